import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUser, newSession, nodeIdByName } from '../../test/factories.js';
import { buildHouse, buildResident, firstNodeUnder } from '../../test/people-factories.js';
import { multipartFile, nextSerial, registerDevice, xlsxOf } from '../../test/registry-factories.js';
import { describeEachDb, OWN_ORIGIN } from '../../test/test-app.js';
import { BUILTIN_DEVICE_TYPES } from './devices.schemas.js';
import { onDeviceChanged } from './devices.service.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** bytea as hex (PGlite gives a Uint8Array, node-postgres a Buffer). */
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describeEachDb('device registry', (env) => {
  // 东关社区 (shequ's), its 第一网格 (wangge's) with 1号楼 and a unit, 第二网格 beside it, 西关社区 (another community).
  let community: number;
  let grid: number;
  let building: number;
  let unit: number;
  let sibGrid: number;
  let sibUnit: number;
  let west: number;
  let westUnit: number;
  let house: number;
  let elder: { id: number; name: string; idNumber: string };
  let sibElder: { id: number; name: string; idNumber: string };
  let westElder: { id: number; idNumber: string };
  const CONTACT_PHONE = '13905378801';

  const secretHash = async (id: number) =>
    hex((await env.db.query<{ h: Buffer }>('SELECT secret_hash AS h FROM devices WHERE id = $1', [id]))[0]!.h);

  beforeAll(async () => {
    community = env.ids.community!;
    grid = env.ids.grid!;
    building = env.ids.building!;
    unit = env.ids.unit!;
    sibGrid = await nodeIdByName(env.db, '第二网格', community);
    sibUnit = await firstNodeUnder(env.db, sibGrid, 'unit');
    west = await nodeIdByName(env.db, '西关社区');
    westUnit = await firstNodeUnder(env.db, west, 'unit');
    house = (await buildHouse(env, { nodeId: unit, roomNo: '101' })).id;
    elder = await buildResident(env, {
      nodeId: unit,
      name: '王守田',
      houseId: house,
      birthDate: '1940-03-02',
      contacts: [{ name: '王小明', relation: '子女', phone: CONTACT_PHONE }],
    });
    sibElder = await buildResident(env, { nodeId: sibUnit, name: '李桂英', birthDate: '1942-05-06' });
    westElder = await buildResident(env, { nodeId: westUnit, name: '赵西关', birthDate: '1941-01-01' });
  });

  describe('types and rules', () => {
    it('seeds the seven built-in types with their metrics, events and default rules with ladders', async () => {
      const res = await env.as('shequ', { method: 'GET', url: '/api/device-types' });
      expect(res.statusCode).toBe(200);
      const types = res.json().items as { code: string; builtin: boolean; metrics: { key: string }[] }[];
      expect(types.filter((t) => t.builtin).map((t) => t.code)).toEqual([...BUILTIN_DEVICE_TYPES]);
      const meter = types.find((t) => t.code === 'water_meter')!;
      expect(meter.metrics.map((m) => m.key)).toEqual(['total_l', 'flow_lpm', 'battery']);
      const rules = await env.as('wangge', { method: 'GET', url: '/api/device-rules?typeCode=water_meter' });
      const noUse = (rules.json().items as { code: string }[]).find((r) => r.code === 'no_use');
      expect(noUse).toMatchObject({
        kind: 'no_use',
        builtin: true,
        params: { metric: 'total_l', windowHours: 8, minUse: 10, quietStart: '22:00', quietEnd: '06:00' },
        ladder: [
          { level: 'family', afterMin: 0 },
          { level: 'grid', afterMin: 15 },
          { level: 'community', afterMin: 45 },
          { level: 'street', afterMin: 120 },
        ],
      });
      const all = await env.as('admin', { method: 'GET', url: '/api/device-rules' });
      const codes = (all.json().items as { typeCode: string; code: string }[]).map((r) => `${r.typeCode}.${r.code}`);
      for (const c of [
        'bracelet.heart_rate',
        'bracelet.systolic_high',
        'sos_button.sos',
        'smoke_detector.smoke',
        'ai_camera.high_altitude_throwing',
        'ai_camera.ebike_in_lift',
        'smart_bin.bin_full',
        'door_sensor.silent',
      ])
        expect(codes).toContain(c);
    });

    it('refuses types and rules to anyone without devices.read or devices.config', async () => {
      for (const url of ['/api/device-types', '/api/device-rules']) {
        const res = await env.as('jumin', { method: 'GET', url });
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
      }
    });

    it('names the field of a rule’s params that is wrong, and the metric or event the type lacks', async () => {
      const rule = (params: Record<string, unknown>, kind = 'no_use', typeCode = 'water_meter') =>
        env.as('admin', {
          method: 'POST',
          url: '/api/device-rules',
          payload: {
            typeCode,
            code: `r${Math.random().toString(36).slice(2, 8)}`,
            nameZh: '测试规则',
            nameEn: 'Test rule',
            kind,
            params,
            severity: 'major',
            ladder: [{ level: 'grid', afterMin: 0 }],
          },
        });
      const zeroWindow = await rule({ metric: 'total_l', windowHours: 0, minUse: 10 });
      expect(zeroWindow.statusCode).toBe(400);
      expect(zeroWindow.json()).toMatchObject({ code: 'VALIDATION', field: 'params.windowHours' });
      const missing = await rule({ metric: 'total_l', minUse: 10 });
      expect(missing.json()).toMatchObject({ code: 'VALIDATION', field: 'params.windowHours' });
      const extra = await rule({ metric: 'total_l', windowHours: 8, minUse: 10, colour: 'red' });
      expect(extra.json()).toMatchObject({ code: 'VALIDATION', field: 'params.colour' });
      const metric = await rule({ metric: 'heart_rate', windowHours: 8, minUse: 10 });
      expect(metric.statusCode).toBe(400);
      expect(metric.json()).toMatchObject({ code: 'DEVICE_RULE_METRIC_UNKNOWN', field: 'params.metric' });
      const event = await rule({ events: ['sos', 'fire'] }, 'event', 'sos_button');
      expect(event.json()).toMatchObject({ code: 'DEVICE_RULE_EVENT_UNKNOWN', field: 'params.events' });
      const neither = await rule({ metric: 'heart_rate' }, 'threshold', 'bracelet');
      expect(neither.json()).toMatchObject({ code: 'VALIDATION', field: 'params.above' });
      // the positive control: the same rule, right, is made and listed
      const good = await rule({ metric: 'total_l', windowHours: 12, minUse: 10 });
      expect(good.statusCode).toBe(201);
      expect(good.json()).toMatchObject({ kind: 'no_use', params: { windowHours: 12 }, builtin: false, version: 1 });
      const dup = await env.as('admin', {
        method: 'POST',
        url: '/api/device-rules',
        payload: {
          typeCode: 'water_meter',
          code: good.json().code,
          nameZh: '重复',
          nameEn: 'Dup',
          kind: 'silent',
          params: { minutes: 30 },
          severity: 'minor',
          ladder: [],
        },
      });
      expect(dup.json()).toMatchObject({ code: 'DEVICE_RULE_CODE_TAKEN', field: 'code' });
    });

    it('changes a rule at the version read, and refuses a stale version or a non-admin', async () => {
      const list = await env.as('admin', { method: 'GET', url: '/api/device-rules?typeCode=bracelet' });
      const hr = (list.json().items as { id: number; code: string; version: number }[]).find(
        (r) => r.code === 'heart_rate',
      )!;
      const patch = (user: string, body: Record<string, unknown>) =>
        env.as(user, { method: 'PATCH', url: `/api/device-rules/${hr.id}`, payload: body });
      const byWorker = await patch('shequ', { version: hr.version, params: { metric: 'heart_rate', above: 130 } });
      expect(byWorker.statusCode).toBe(403);
      const bad = await patch('admin', { version: hr.version, params: { metric: 'heart_rate', above: 'high' } });
      expect(bad.json()).toMatchObject({ code: 'VALIDATION', field: 'params.above' });
      const ok = await patch('admin', { version: hr.version, params: { metric: 'heart_rate', below: 45, above: 130 } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ params: { above: 130 }, version: hr.version + 1 });
      const stale = await patch('admin', { version: hr.version, severity: 'minor' });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('DEVICE_VERSION_CONFLICT');
      const audit = await env.db.query<{ target_id: string }>(
        `SELECT target_id FROM audit_log WHERE action = 'device_rule.update'`,
      );
      expect(audit.map((a) => a.target_id)).toContain(String(hr.id));
    });

    it('keeps a built-in type’s metrics and events, and lets an admin add a type of their own', async () => {
      const metrics = await env.as('admin', {
        method: 'PATCH',
        url: '/api/device-types/water_meter',
        payload: { metrics: [{ key: 'x', nameZh: 'x', nameEn: 'x', unit: '', min: 0, max: 1 }] },
      });
      expect(metrics.statusCode).toBe(409);
      expect(metrics.json()).toMatchObject({ code: 'DEVICE_TYPE_BUILTIN', field: 'metrics' });
      const renamed = await env.as('admin', {
        method: 'PATCH',
        url: '/api/device-types/door_sensor',
        payload: { nameZh: '门窗磁', reportIntervalS: 1800 },
      });
      expect(renamed.json()).toMatchObject({ code: 'door_sensor', nameZh: '门窗磁', reportIntervalS: 1800 });
      const made = await env.as('admin', {
        method: 'POST',
        url: '/api/device-types',
        payload: {
          code: 'gas_detector',
          nameZh: '燃气报警器',
          nameEn: 'Gas detector',
          metrics: [{ key: 'lel', nameZh: '浓度', nameEn: 'LEL', unit: '%LEL', min: 0, max: 100 }],
          events: [{ key: 'gas', nameZh: '燃气泄漏', nameEn: 'Gas leak' }],
          reportIntervalS: 600,
        },
      });
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({ code: 'gas_detector', builtin: false, deviceCount: 0, name: '燃气报警器' });
      const { builtin: _b, name: _n, deviceCount: _c, active: _a, ...again } = made.json();
      const taken = await env.as('admin', { method: 'POST', url: '/api/device-types', payload: again });
      expect(taken.statusCode).toBe(409);
      expect(taken.json()).toMatchObject({ code: 'DEVICE_TYPE_CODE_TAKEN', field: 'code' });
      const byStreet = await env.as('jiedao', {
        method: 'PATCH',
        url: '/api/device-types/gas_detector',
        payload: { nameZh: '燃气' },
      });
      expect(byStreet.statusCode).toBe(403);
    });
  });

  describe('devices', () => {
    it('registers a device, shows its credentials once, lists it, rotates them and retires it', async () => {
      const changed: (number | null)[] = [];
      const off = onDeviceChanged((id) => changed.push(id));
      const serial = nextSerial('WM');
      const res = await env.as('shequ', {
        method: 'POST',
        url: '/api/devices',
        payload: {
          typeCode: 'water_meter',
          serial,
          nodeId: unit,
          houseId: house,
          residentId: elder.id,
          name: '厨房水表',
        },
      });
      expect(res.statusCode).toBe(201);
      const { device, credentials } = res.json();
      expect(credentials).toEqual({
        deviceId: device.id,
        username: String(device.id),
        token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        telemetryTopic: `linli/${device.id}/telemetry`,
        eventTopic: `linli/${device.id}/event`,
        httpUrl: `/api/ingest/devices/${device.id}/messages`,
      });
      expect(await secretHash(device.id)).toEqual(sha256(credentials.token));
      expect(device).toMatchObject({
        typeCode: 'water_meter',
        serial,
        houseLabel: '101',
        residentId: elder.id,
        residentName: '王守田',
        status: 'active',
        online: false,
        openAlarms: 0,
        secretPrefix: credentials.token.slice(0, 6),
        placeName: '东关社区 / 第一网格 / 1号微网格 / 1号楼 / 1单元',
      });
      expect(changed).toContain(device.id);

      // the detail: the type's rules with the effective params; the secret nowhere
      const detail = await env.as('wangge', { method: 'GET', url: `/api/devices/${device.id}` });
      expect(detail.statusCode).toBe(200);
      expect(detail.body).not.toContain(credentials.token);
      const noUse = (detail.json().rules as { rule: { code: string }; effectiveParams: unknown }[]).find(
        (r) => r.rule.code === 'no_use',
      );
      expect(noUse?.effectiveParams).toMatchObject({ windowHours: 8, minUse: 10 });

      // the list: by serial, by resident, online filter
      const list = await env.as('wangge', { method: 'GET', url: `/api/devices?q=${serial}` });
      expect(list.json()).toMatchObject({ total: 1, items: [{ id: device.id, serial }] });
      const byRes = await env.as('shequ', { method: 'GET', url: `/api/devices?residentId=${elder.id}` });
      expect(byRes.json().items.map((i: { id: number }) => i.id)).toContain(device.id);
      await env.db.query(`UPDATE devices SET last_seen_at = now() WHERE id = $1`, [device.id]);
      const online = await env.as('shequ', { method: 'GET', url: `/api/devices?online=true&q=${serial}` });
      expect(online.json().items).toMatchObject([{ id: device.id, online: true }]);
      const offline = await env.as('shequ', { method: 'GET', url: `/api/devices?online=false&q=${serial}` });
      expect(offline.json().total).toBe(0);
      // 2 × 600 s is 20 minutes: heard 25 minutes ago is offline
      await env.db.query(`UPDATE devices SET last_seen_at = now() - interval '25 minutes' WHERE id = $1`, [device.id]);
      const late = await env.as('shequ', { method: 'GET', url: `/api/devices?online=false&q=${serial}` });
      expect(late.json().items).toMatchObject([{ id: device.id, online: false }]);

      const buildings = await env.as('shequ', { method: 'GET', url: `/api/devices/buildings?nodeId=${grid}` });
      expect(buildings.statusCode).toBe(200);
      const b1 = (buildings.json().items as { nodeId: number; total: number; offline: number }[]).find(
        (b) => b.nodeId === building,
      );
      expect(b1).toMatchObject({ placeName: '东关社区 / 第一网格 / 1号微网格 / 1号楼' });
      expect(b1!.total).toBeGreaterThanOrEqual(1);

      // a second registration of the serial for the type
      const twice = await env.as('shequ', {
        method: 'POST',
        url: '/api/devices',
        payload: { typeCode: 'water_meter', serial, nodeId: unit },
      });
      expect(twice.statusCode).toBe(409);
      expect(twice.json()).toMatchObject({ code: 'DEVICE_SERIAL_TAKEN', field: 'serial' });

      // rotate: the old token's hash no longer matches, the new one does
      const rotated = await env.as('shequ', { method: 'POST', url: `/api/devices/${device.id}/credentials` });
      expect(rotated.statusCode).toBe(200);
      const fresh = rotated.json().token as string;
      expect(fresh).not.toBe(credentials.token);
      const stored = await secretHash(device.id);
      expect(stored).not.toEqual(sha256(credentials.token));
      expect(stored).toEqual(sha256(fresh));
      const byGrid = await env.as('wangge', { method: 'POST', url: `/api/devices/${device.id}/credentials` });
      expect(byGrid.statusCode).toBe(403);
      expect(await secretHash(device.id)).toEqual(sha256(fresh));

      // audited, the secret nowhere in the record
      const audit = await env.db.query<{ action: string; diff: unknown }>(
        `SELECT action, diff FROM audit_log WHERE target_type = 'device' AND target_id = $1 ORDER BY id`,
        [String(device.id)],
      );
      expect(audit.map((a) => a.action)).toEqual(['device.create', 'device.rotate']);
      expect(JSON.stringify(audit)).not.toContain(credentials.token);
      expect(JSON.stringify(audit)).not.toContain(fresh);

      // retire at the version read; a stale version is refused
      const current = (await env.as('shequ', { method: 'GET', url: `/api/devices/${device.id}` })).json();
      const stale = await env.as('shequ', {
        method: 'PATCH',
        url: `/api/devices/${device.id}`,
        payload: { version: current.version - 1, status: 'retired' },
      });
      expect(stale.statusCode).toBe(409);
      const retired = await env.as('shequ', {
        method: 'PATCH',
        url: `/api/devices/${device.id}`,
        payload: { version: current.version, status: 'retired' },
      });
      expect(retired.statusCode).toBe(200);
      expect(retired.json()).toMatchObject({ status: 'retired', version: current.version + 1 });
      const gone = await env.as('shequ', { method: 'GET', url: `/api/devices?q=${serial}` });
      expect(gone.json().total).toBe(0);
      const asked = await env.as('shequ', { method: 'GET', url: `/api/devices?q=${serial}&status=retired` });
      expect(asked.json().total).toBe(1);
      const actions = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'device' AND target_id = $1 ORDER BY id`,
        [String(device.id)],
      );
      expect(actions.map((a) => a.action)).toEqual(['device.create', 'device.rotate', 'device.retire']);
      off();
    });

    it('refuses a house elsewhere, a resident outside the area, and an unknown type', async () => {
      const westHouse = (await buildHouse(env, { nodeId: westUnit, roomNo: '909' })).id;
      const sibHouse = (await buildHouse(env, { nodeId: sibUnit, roomNo: '808' })).id;
      const post = (payload: Record<string, unknown>) =>
        env.as('shequ', {
          method: 'POST',
          url: '/api/devices',
          payload: { typeCode: 'water_meter', serial: nextSerial(), nodeId: unit, ...payload },
        });
      expect((await post({ houseId: sibHouse })).json()).toMatchObject({
        code: 'DEVICE_HOUSE_ELSEWHERE',
        field: 'houseId',
      });
      expect((await post({ houseId: westHouse })).json()).toMatchObject({ code: 'HOUSE_NOT_FOUND', field: 'houseId' });
      expect((await post({ residentId: westElder.id })).json()).toMatchObject({
        code: 'RESIDENT_NOT_FOUND',
        field: 'residentId',
      });
      expect((await post({ typeCode: 'no_such_type' })).json()).toMatchObject({
        code: 'DEVICE_TYPE_NOT_FOUND',
        field: 'typeCode',
      });
      // the positive control: the person of 第二网格 is in the community worker's area
      expect((await post({ residentId: sibElder.id })).statusCode).toBe(201);
    });

    it('lets a community worker register only in their community, and a grid worker not at all', async () => {
      const outside = await env.as('shequ', {
        method: 'POST',
        url: '/api/devices',
        payload: { typeCode: 'sos_button', serial: nextSerial(), nodeId: westUnit },
      });
      expect(outside.statusCode).toBe(404);
      expect(outside.json()).toMatchObject({ code: 'ORG_NODE_NOT_FOUND', field: 'nodeId' });
      const inside = await env.as('shequ', {
        method: 'POST',
        url: '/api/devices',
        payload: { typeCode: 'sos_button', serial: nextSerial(), nodeId: sibUnit },
      });
      expect(inside.statusCode).toBe(201);
      for (const nodeId of [sibUnit, unit]) {
        const res = await env.as('wangge', {
          method: 'POST',
          url: '/api/devices',
          payload: { typeCode: 'sos_button', serial: nextSerial(), nodeId },
        });
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
      }
      const count = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM devices WHERE type_code = 'sos_button'`,
      );
      expect(count[0]!.n).toBe(1);
    });

    it('shows devices only within the caller’s area, and masks a person the caller may not see in full', async () => {
      const westDevice = await registerDevice(env, 'admin', { nodeId: westUnit, residentId: westElder.id });
      const sibDevice = await registerDevice(env, 'shequ', { nodeId: sibUnit, typeCode: 'door_sensor' });
      // in 第一网格, watching a person of 第二网格 (whom the grid worker may not see in full)
      const gridDevice = await registerDevice(env, 'shequ', {
        nodeId: grid,
        typeCode: 'bracelet',
        residentId: sibElder.id,
      });
      const ids = async (user: string) =>
        (
          (await env.as(user, { method: 'GET', url: '/api/devices?pageSize=200' })).json().items as { id: number }[]
        ).map((i) => i.id);
      const shequ = await ids('shequ');
      expect(shequ).toContain(sibDevice.id);
      expect(shequ).not.toContain(westDevice.id);
      const wangge = await ids('wangge');
      expect(wangge).toContain(gridDevice.id);
      expect(wangge).not.toContain(sibDevice.id);
      const jiedao = await ids('jiedao');
      expect(jiedao).toEqual(expect.arrayContaining([westDevice.id, sibDevice.id, gridDevice.id]));
      const denied = await env.as('shequ', { method: 'GET', url: `/api/devices/${westDevice.id}` });
      expect(denied.statusCode).toBe(404);
      expect(denied.json().code).toBe('DEVICE_NOT_FOUND');
      const notMine = await env.as('shequ', {
        method: 'PATCH',
        url: `/api/devices/${westDevice.id}`,
        payload: { version: westDevice.version, name: 'x' },
      });
      expect(notMine.json().code).toBe('DEVICE_NOT_FOUND');
      const otherNode = await env.as('shequ', { method: 'GET', url: `/api/devices?nodeId=${west}` });
      expect(otherNode.json()).toMatchObject({ code: 'ORG_NODE_NOT_FOUND', field: 'nodeId' });
      expect((await env.as('jumin', { method: 'GET', url: '/api/devices' })).statusCode).toBe(403);

      const seen = await env.as('wangge', { method: 'GET', url: `/api/devices/${gridDevice.id}` });
      expect(seen.json().residentName).toBe('李*英');
      const full = await env.as('shequ', { method: 'GET', url: `/api/devices/${gridDevice.id}` });
      expect(full.json().residentName).toBe('李桂英');
    });

    it('exports the list as filtered, as .xlsx', async () => {
      const d = await registerDevice(env, 'shequ', { nodeId: unit, typeCode: 'smoke_detector', name: '导出烟感' });
      const res = await env.as('wangge', { method: 'GET', url: '/api/devices/export.xlsx?typeCode=smoke_detector' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const rows: unknown[][] = [];
      wb.worksheets[0]!.eachRow((row) => {
        rows.push((row.values as unknown[]).slice(1));
      });
      expect(rows[0]).toContain('序列号');
      expect(rows.slice(1).map((r) => r[0])).toEqual([d.id]);
      expect(rows[1]).toContain('导出烟感');
    });
  });

  describe('import', () => {
    const HEAD = [
      '设备类型 Type',
      '序列号 Serial',
      '设备名称 Name',
      '安装地点 Place',
      '房号 Room',
      '看护对象身份证号 Resident ID number',
    ];
    const upload = async (user: string, rows: (string | number | null)[][]) => {
      const body = multipartFile('devices.xlsx', await xlsxOf(rows));
      return env.as(user, { method: 'POST', url: '/api/devices/import', ...body });
    };

    it('offers a template with headers in Chinese and English', async () => {
      const res = await env.as('shequ', { method: 'GET', url: '/api/devices/import-template.xlsx' });
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const head = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
      expect(head.slice(0, 4)).toEqual(['设备类型 Type', '序列号 Serial', '设备名称 Name', '安装地点 Place']);
      expect((await env.as('wangge', { method: 'GET', url: '/api/devices/import-template.xlsx' })).statusCode).toBe(
        403,
      );
    });

    it('creates every device of a good file, with their credentials once', async () => {
      const s = [nextSerial('IM'), nextSerial('IM'), nextSerial('IM')];
      const res = await upload('shequ', [
        HEAD,
        ['智能水表', s[0]!, '王家水表', '东关社区/第一网格/1号微网格/1号楼/1单元', '101', elder.idNumber],
        ['sos_button', s[1]!, null, '1号楼/1单元', null, null],
        ['Smart bin', s[2]!, '东门垃圾桶', '第二网格', null, null],
      ]);
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.created).toBe(3);
      expect(body.errors).toEqual([]);
      expect(body.credentials.map((c: { serial: string }) => c.serial)).toEqual(s);
      const rows = await env.db.query<{
        id: number;
        serial: string;
        house_id: number;
        resident_id: number;
        secret_hash: Buffer;
      }>('SELECT id, serial, house_id, resident_id, secret_hash FROM devices WHERE serial = ANY($1) ORDER BY id', [s]);
      expect(rows.map((r) => r.serial)).toEqual(s);
      expect(rows[0]).toMatchObject({ house_id: house, resident_id: elder.id });
      for (const [i, r] of rows.entries()) expect(hex(r.secret_hash)).toEqual(sha256(body.credentials[i].token));
      const audit = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'device.create' AND target_id = ANY($1)`,
        [rows.map((r) => String(r.id))],
      );
      expect(audit[0]!.n).toBe(3);
    });

    it('creates nothing from a file with errors, naming each row and column', async () => {
      const dupe = nextSerial('DU');
      const s = [nextSerial('BAD'), nextSerial('BAD'), dupe];
      const res = await upload('shequ', [
        HEAD,
        ['智能水表', s[0]!, null, '1号楼/1单元', null, null],
        ['no_such_type', s[1]!, null, '1号楼/1单元', null, null],
        ['智能水表', dupe, null, '1号楼/1单元', null, null],
        ['智能水表', dupe, null, '1号楼/1单元', null, null],
        ['智能水表', nextSerial('BAD'), null, '西关社区', null, null],
        ['智能水表', nextSerial('BAD'), null, '1号楼/1单元', '999', '110105194001010000'],
      ]);
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body).toMatchObject({ code: 'DEVICE_IMPORT_INVALID', created: 0, credentials: [] });
      expect(body.message).toContain('未导入任何设备');
      const at = (row: number) => body.errors.filter((e: { row: number }) => e.row === row);
      expect(at(3)).toMatchObject([{ row: 3, column: '设备类型 Type' }]);
      expect(at(3)[0].message).toContain('no_such_type');
      expect(at(5)).toMatchObject([{ row: 5, column: '序列号 Serial' }]);
      expect(at(5)[0].message).toContain('4');
      expect(at(6)).toMatchObject([{ row: 6, column: '安装地点 Place' }]);
      expect(at(7).map((e: { column: string }) => e.column)).toEqual([
        '房号 Room',
        '看护对象身份证号 Resident ID number',
      ]);
      expect(at(2)).toEqual([]);
      const made = await env.db.query('SELECT 1 FROM devices WHERE serial = ANY($1)', [s]);
      expect(made).toEqual([]);
    });

    it('refuses a serial already registered, and an import by a grid worker', async () => {
      const d = nextSerial('EX');
      await registerDevice(env, 'shequ', { nodeId: unit, serial: d });
      const res = await upload('shequ', [HEAD, ['water_meter', d, null, '1号楼/1单元', null, null]]);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toMatchObject([{ row: 2, column: '序列号 Serial' }]);
      const noFile = await env.as('shequ', { method: 'POST', url: '/api/devices/import', payload: {} });
      expect(noFile.statusCode).toBe(400);
      expect(noFile.json()).toMatchObject({ code: 'IMPORT_FILE_REQUIRED', field: 'file' });
      const grid = await upload('wangge', [HEAD, ['water_meter', nextSerial(), null, '1号楼/1单元', null, null]]);
      expect(grid.statusCode).toBe(403);
    });
  });

  describe('overrides and away', () => {
    it('merges a person’s override over the rule, checks it like a rule, and refuses it to a grid worker', async () => {
      const d = await registerDevice(env, 'shequ', { nodeId: unit, residentId: elder.id });
      const rules = (await env.as('shequ', { method: 'GET', url: '/api/device-rules?typeCode=water_meter' })).json()
        .items as { id: number; code: string }[];
      const noUse = rules.find((r) => r.code === 'no_use')!;
      const put = (user: string, params: Record<string, unknown>, enabled = true) =>
        env.as(user, {
          method: 'PUT',
          url: `/api/residents/${elder.id}/rule-overrides/${noUse.id}`,
          payload: { params, enabled, note: '起得晚' },
        });
      const bad = await put('shequ', { quietEnd: '25:00' });
      expect(bad.json()).toMatchObject({ code: 'VALIDATION', field: 'params.quietEnd' });
      const byGrid = await put('wangge', { quietEnd: '08:00' });
      expect(byGrid.statusCode).toBe(403);
      const ok = await put('shequ', { quietEnd: '08:00' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ ruleId: noUse.id, residentId: elder.id, params: { quietEnd: '08:00' } });
      const detail = (await env.as('wangge', { method: 'GET', url: `/api/devices/${d.id}` })).json();
      const eff = detail.rules.find((r: { rule: { id: number } }) => r.rule.id === noUse.id);
      expect(eff.override).toMatchObject({ note: '起得晚' });
      expect(eff.effectiveParams).toMatchObject({ quietStart: '22:00', quietEnd: '08:00', windowHours: 8 });
      const off = await put('shequ', {}, false);
      expect(off.statusCode).toBe(200);
      const detail2 = (await env.as('shequ', { method: 'GET', url: `/api/devices/${d.id}` })).json();
      expect(detail2.rules.find((r: { rule: { id: number } }) => r.rule.id === noUse.id).effectiveParams).toBeNull();
      const list = await env.as('wangge', { method: 'GET', url: `/api/residents/${elder.id}/rule-overrides` });
      expect(list.json().items).toMatchObject([{ ruleId: noUse.id, enabled: false }]);
      const westList = await env.as('shequ', { method: 'GET', url: `/api/residents/${westElder.id}/rule-overrides` });
      expect(westList.json().code).toBe('RESIDENT_NOT_FOUND');
      const del = await env.as('shequ', {
        method: 'DELETE',
        url: `/api/residents/${elder.id}/rule-overrides/${noUse.id}`,
      });
      expect(del.statusCode).toBe(200);
      const after = await env.as('shequ', { method: 'GET', url: `/api/residents/${elder.id}/rule-overrides` });
      expect(after.json().items).toEqual([]);
    });

    it('lets a worker with alarms.handle set a person away, and refuses one of another area', async () => {
      const outsider = await buildUser(env, { role: 'community_worker', nodeId: west });
      const cookie = await newSession(env, outsider);
      const refused = await env.app.inject({
        method: 'PUT',
        url: `/api/residents/${elder.id}/away`,
        headers: { cookie, origin: OWN_ORIGIN },
        payload: { reason: '住院' },
      });
      expect(refused.statusCode).toBe(404);
      expect(refused.json().code).toBe('RESIDENT_NOT_FOUND');
      const past = await env.as('wangge', {
        method: 'PUT',
        url: `/api/residents/${elder.id}/away`,
        payload: { untilAt: '2020-01-01T00:00:00Z' },
      });
      expect(past.json()).toMatchObject({ code: 'VALIDATION', field: 'untilAt' });
      const set = await env.as('wangge', {
        method: 'PUT',
        url: `/api/residents/${elder.id}/away`,
        payload: { reason: '住院' },
      });
      expect(set.statusCode).toBe(200);
      expect(set.json()).toMatchObject({ residentId: elder.id, untilAt: null, reason: '住院', setBy: '张网格' });
      const got = await env.as('shequ', { method: 'GET', url: `/api/residents/${elder.id}/away` });
      expect(got.json()).toMatchObject({ reason: '住院' });
      const cleared = await env.as('wangge', { method: 'DELETE', url: `/api/residents/${elder.id}/away` });
      expect(cleared.json()).toEqual({ ok: true });
      expect((await env.as('shequ', { method: 'GET', url: `/api/residents/${elder.id}/away` })).json()).toBeNull();
      const audit = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'resident' AND target_id = $1 AND action LIKE 'resident.away%' ORDER BY id`,
        [String(elder.id)],
      );
      expect(audit.map((a) => a.action)).toEqual(['resident.away_set', 'resident.away_clear']);
    });

    it('shows family their watched person and lets them switch away; a user whose phone is not a contact is refused', async () => {
      const d = await registerDevice(env, 'shequ', { nodeId: unit, residentId: elder.id, typeCode: 'bracelet' });
      const family = await buildUser(env, { phone: CONTACT_PHONE });
      const stranger = await buildUser(env, { phone: '13905378899' });
      const as = async (
        u: { username: string; password: string },
        method: 'GET' | 'PUT' | 'DELETE',
        url: string,
        payload?: object,
      ) =>
        env.app.inject({
          method,
          url,
          headers: { cookie: await newSession(env, u), origin: OWN_ORIGIN },
          ...(payload ? { payload } : {}),
        });
      // the hashes: both are pii.hash(phone, 'phone')
      const [u] = await env.db.query<{ h: Buffer }>('SELECT phone_hash AS h FROM users WHERE id = $1', [family.id]);
      expect(hex(u!.h)).toEqual(hex(env.pii.hash(CONTACT_PHONE, 'phone')));

      const watched = await as(family, 'GET', '/api/me/watched');
      expect(watched.statusCode).toBe(200);
      const me = (watched.json().items as { residentId: number }[]).find((p) => p.residentId === elder.id);
      expect(me).toMatchObject({ name: '王守田', relation: '子女', away: null, openAlarms: 0 });
      expect((me as unknown as { devices: { id: number }[] }).devices.map((x) => x.id)).toContain(d.id);
      const none = await as(stranger, 'GET', '/api/me/watched');
      expect(none.json()).toEqual({ items: [] });

      const refused = await as(stranger, 'PUT', `/api/me/watched/${elder.id}/away`, { reason: '在子女家' });
      expect(refused.statusCode).toBe(404);
      expect(refused.json().code).toBe('RESIDENT_NOT_FOUND');
      expect((await as(stranger, 'DELETE', `/api/me/watched/${elder.id}/away`)).statusCode).toBe(404);
      const until = new Date(Date.now() + 3 * 86_400_000).toISOString();
      const set = await as(family, 'PUT', `/api/me/watched/${elder.id}/away`, { reason: '在子女家', untilAt: until });
      expect(set.statusCode).toBe(200);
      expect(set.json()).toMatchObject({ residentId: elder.id, reason: '在子女家', untilAt: until });
      const detail = (await env.as('wangge', { method: 'GET', url: `/api/devices/${d.id}` })).json();
      expect(detail.away).toMatchObject({ reason: '在子女家' });
      const again = await as(family, 'GET', '/api/me/watched');
      expect(again.json().items.find((p: { residentId: number }) => p.residentId === elder.id).away).toMatchObject({
        reason: '在子女家',
      });
      expect((await as(family, 'DELETE', `/api/me/watched/${elder.id}/away`)).json()).toEqual({ ok: true });
      expect(await env.db.query('SELECT 1 FROM resident_away WHERE resident_id = $1', [elder.id])).toEqual([]);
    });
  });
});
