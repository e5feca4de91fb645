import { beforeAll, describe, expect, it } from 'vitest';
import { generateIdNumber } from '../../platform/pii/index.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { refreshDerivedTagsDaily } from './tags.service.js';

type Detail = {
  id: number;
  name: string;
  age: number;
  sex: string;
  idMasked: string;
  phoneMasked: string | null;
  householdId: number | null;
  relation: string | null;
  status: string;
  tags: { code: string }[];
  household: { members: { id: number }[]; headResidentId: number | null } | null;
  history: { action: string; reason: string | null }[];
};

const json = <T>(body: string) => JSON.parse(body) as T;
const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
const yearsAgo = (n: number, monthDay = '01-15') => `${Number(today.slice(0, 4)) - n}-${monthDay}`;
let seq = 100;
const newId = (age: number, sex: 'male' | 'female' = 'male') =>
  generateIdNumber({ areaCode: '370899', birthDate: yearsAgo(age), sequence: seq++, sex });

describeEachDb('people', (env: TestEnv) => {
  let unit: number;
  let otherUnit: number;
  let house: number;
  let household: number;

  const post = async (url: string, payload: object, user = 'shequ') => env.as(user, { method: 'POST', url, payload });
  const created = async (url: string, payload: object, user = 'shequ') => {
    const res = await post(url, payload, user);
    if (res.statusCode !== 201) throw new Error(`${url} ${res.statusCode} ${res.body}`);
    return json<{ id: number } & Record<string, unknown>>(res.body);
  };

  beforeAll(async () => {
    unit = env.ids.unit!;
    const units = await env.db.query<{ id: number }>(
      `SELECT n.id FROM org_nodes n JOIN org_nodes c ON n.path LIKE c.path || '%'
        WHERE c.name = '西关社区' AND n.type = 'unit' ORDER BY n.id LIMIT 1`,
    );
    otherUnit = units[0]!.id;
    house = (await created('/api/people/houses', { nodeId: unit, roomNo: '301', use: 'rented' })).id;
    household = (await created('/api/people/households', { nodeId: unit, houseId: house, householdNo: 'H-301' })).id;
  });

  describe('createResident', () => {
    it('takes birth date and sex from the ID number, seals it, and derives 高龄 for a person of 85', async () => {
      const idNumber = newId(85, 'female');
      const r = await created('/api/people/residents', {
        name: '王秀英',
        idNumber,
        phone: '13805371234',
        nodeId: unit,
        houseId: house,
        householdId: household,
        relation: 'head',
      });
      const d = r as unknown as Detail;
      expect(d.sex).toBe('female');
      expect(d.age).toBe(85);
      expect(d.idMasked).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`);
      expect(d.phoneMasked).toBe('138****1234');
      expect(d.tags.map((t) => t.code).sort()).toEqual(['aged_80', 'elderly_alone']);
      const row = await env.db.query<{ id_sealed: Uint8Array }>('SELECT id_sealed FROM residents WHERE id = $1', [
        d.id,
      ]);
      expect(Buffer.from(row[0]!.id_sealed).toString('utf8')).not.toContain(idNumber);
      expect(env.pii.open(row[0]!.id_sealed)).toBe(idNumber);
      expect(d.history.map((h) => h.action)).toContain('resident.create');
    });

    it('refuses a wrong check digit, naming the field, and writes nothing', async () => {
      const good = newId(30);
      const bad = good.slice(0, 17) + (good.endsWith('1') ? '2' : '1');
      const before = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM residents');
      const res = await post('/api/people/residents', { name: '李四', idNumber: bad, nodeId: unit });
      expect(res.statusCode).toBe(400);
      expect(json<{ code: string; field: string }>(res.body)).toMatchObject({
        code: 'ID_NUMBER_INVALID',
        field: 'idNumber',
      });
      expect(await env.db.query('SELECT count(*)::int AS n FROM residents')).toEqual(before);
    });

    it('normalises full-width digits and a lower-case x, and refuses the same person twice', async () => {
      const id = '11010519491231002X';
      const fullWidth = `${id.slice(0, 17).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0))}x`;
      const first = await post('/api/people/residents', { name: '赵敏', idNumber: fullWidth, nodeId: unit });
      expect(first.statusCode).toBe(201);
      expect(json(first.body)).toMatchObject({
        name: '赵敏',
        birthDate: '1949-12-31',
        idMasked: expect.stringMatching(/^110105\*+002X$/),
      });
      const again = await post('/api/people/residents', { name: '赵敏', idNumber: id, nodeId: unit });
      expect(again.statusCode).toBe(409);
      expect(json<{ code: string }>(again.body).code).toBe('ID_NUMBER_DUPLICATE');
    });

    it('refuses a community worker placing a person in another community', async () => {
      const res = await post('/api/people/residents', { name: '钱七', idNumber: newId(40), nodeId: otherUnit });
      expect([403, 404]).toContain(res.statusCode);
    });
  });

  describe('searchResidents', () => {
    let target: Detail;
    let idNumber: string;
    beforeAll(async () => {
      idNumber = newId(66);
      target = (await created('/api/people/residents', {
        name: '诸葛明亮',
        idNumber,
        phone: '13905379876',
        nodeId: unit,
        currentAddress: '东关大街88号',
      })) as unknown as Detail;
    });

    for (const [label, q] of [
      ['full pinyin', 'zhugemingliang'],
      ['pinyin prefix', 'zhuge'],
      ['initials', 'zgml'],
      ['name prefix', '诸葛'],
      ['phone', '139 0537 9876'],
    ] as const) {
      it(`finds a resident by ${label}`, async () => {
        const res = await env.as('shequ', { method: 'GET', url: `/api/people/residents?q=${encodeURIComponent(q)}` });
        expect(res.statusCode).toBe(200);
        expect(json<{ items: { id: number }[] }>(res.body).items.map((i) => i.id)).toContain(target.id);
      });
    }

    it('finds a resident by exact ID number only', async () => {
      const exact = await env.as('shequ', { method: 'GET', url: `/api/people/residents?q=${idNumber}` });
      expect(json<{ items: { id: number }[] }>(exact.body).items.map((i) => i.id)).toEqual([target.id]);
    });

    it('filters by age range, tag and address together', async () => {
      const res = await env.as('shequ', {
        method: 'GET',
        url: `/api/people/residents?ageMin=60&ageMax=70&address=${encodeURIComponent('东关大街88')}`,
      });
      expect(json<{ items: { id: number; age: number }[] }>(res.body).items.map((i) => i.id)).toEqual([target.id]);
      const aged = await env.as('shequ', { method: 'GET', url: '/api/people/residents?tag=aged_80&pageSize=200' });
      const ages = json<{ items: { age: number }[] }>(aged.body).items.map((i) => i.age);
      expect(ages.length).toBeGreaterThan(0);
      expect(ages.every((a) => a >= 80)).toBe(true);
    });

    it('shows a building leader masked names and no sensitive tags', async () => {
      const res = await env.as('louzhang', { method: 'GET', url: `/api/people/residents?q=${idNumber}` });
      expect(res.statusCode).toBe(200);
      const items = json<{ items: { name: string }[] }>(res.body).items;
      expect(items[0]?.name).toBe('诸**亮');
      const sensitive = await env.as('louzhang', { method: 'GET', url: '/api/people/residents?tag=minor' });
      expect(sensitive.statusCode).toBe(403);
    });

    it('shows the grid worker of the grid the person lives in', async () => {
      const mine = await env.as('wangge', { method: 'GET', url: `/api/people/residents?q=${idNumber}` });
      expect(json<{ total: number }>(mine.body).total).toBe(1);
    });
  });

  describe('households', () => {
    it('keeps a person in one household unless the move is confirmed, and recomputes 独居老人', async () => {
      const elder = (await created('/api/people/residents', {
        name: '孙老汉',
        idNumber: newId(72),
        nodeId: unit,
        householdId: household,
        relation: 'spouse',
      })) as unknown as Detail;
      const other = (await created('/api/people/households', { nodeId: unit, householdNo: 'H-2' })).id;
      const refused = await post(`/api/people/households/${other}/members`, { residentId: elder.id, relation: 'head' });
      expect(refused.statusCode).toBe(409);
      expect(json<{ code: string }>(refused.body).code).toBe('RESIDENT_IN_OTHER_HOUSEHOLD');
      const moved = await post(`/api/people/households/${other}/members`, {
        residentId: elder.id,
        relation: 'head',
        moveFromOther: true,
      });
      expect(moved.statusCode).toBe(200);
      expect(json<{ headResidentId: number }>(moved.body).headResidentId).toBe(elder.id);
      const after = json<Detail>(
        (await env.as('shequ', { method: 'GET', url: `/api/people/residents/${elder.id}` })).body,
      );
      expect(after.tags.map((t) => t.code)).toContain('elderly_alone');
      expect(after.history.map((h) => h.action)).toContain('resident.household');
    });

    it('records a death and keeps the person with status and history', async () => {
      const r = (await created('/api/people/residents', {
        name: '周某',
        idNumber: newId(90),
        nodeId: unit,
      })) as unknown as Detail;
      const res = await post(`/api/people/residents/${r.id}/leave`, {
        reason: 'deceased',
        on: today,
        note: '家属告知',
      });
      expect(res.statusCode).toBe(200);
      const d = json<Detail>(res.body);
      expect(d.status).toBe('deceased');
      expect(d.history[0]).toMatchObject({ action: 'resident.death', reason: '家属告知' });
      const again = await post(`/api/people/residents/${r.id}/leave`, { reason: 'moved_out', on: today });
      expect(json<{ code: string }>(again.body).code).toBe('RESIDENT_NOT_ACTIVE');
    });
  });

  describe('tags', () => {
    it('sets a tag by hand with its reason, but never a derived one', async () => {
      const r = (await created('/api/people/residents', {
        name: '吴残',
        idNumber: newId(45),
        nodeId: unit,
      })) as unknown as Detail;
      const tags = json<{ items: { id: number; code: string }[] }>(
        (await env.as('shequ', { method: 'GET', url: '/api/people/tags' })).body,
      ).items;
      const disabled = tags.find((t) => t.code === 'disabled')!.id;
      const aged = tags.find((t) => t.code === 'aged_80')!.id;
      const ok = await post(`/api/people/residents/${r.id}/tags`, { tagId: disabled, reason: '残疾证 3 级' });
      expect(json<Detail>(ok.body).tags.map((t) => t.code)).toContain('disabled');
      const derived = await post(`/api/people/residents/${r.id}/tags`, { tagId: aged, reason: '手工' });
      expect(json<{ code: string }>(derived.body).code).toBe('TAG_IS_DERIVED');
      const removed = await env.as('shequ', {
        method: 'DELETE',
        url: `/api/people/residents/${r.id}/tags/${disabled}`,
      });
      expect(json<Detail>(removed.body).tags.map((t) => t.code)).not.toContain('disabled');
    });

    it('lets a system admin change a rule and recomputes it for everyone', async () => {
      const tags = json<{ items: { id: number; code: string }[] }>(
        (await env.as('admin', { method: 'GET', url: '/api/people/tags' })).body,
      ).items;
      const aged = tags.find((t) => t.code === 'aged_80')!.id;
      const bad = await env.as('admin', {
        method: 'PATCH',
        url: `/api/people/tags/${aged}`,
        payload: { rule: { all: [{ fact: 'shoe_size', op: '>', value: 1 }] } },
      });
      expect(json<{ code: string; field: string }>(bad.body)).toMatchObject({
        code: 'TAG_RULE_INVALID',
        field: 'rule.all.0',
      });
      const res = await env.as('admin', {
        method: 'PATCH',
        url: `/api/people/tags/${aged}`,
        payload: { rule: { all: [{ fact: 'age', op: '>=', value: 70 }] } },
      });
      expect(res.statusCode).toBe(200);
      expect(json(res.body)).toMatchObject({ id: aged, rule: { all: [{ fact: 'age', op: '>=', value: 70 }] } });
      const list = await env.as('shequ', { method: 'GET', url: '/api/people/residents?tag=aged_80&pageSize=200' });
      const ages = json<{ items: { age: number }[] }>(list.body).items.map((i) => i.age);
      expect(ages).toContain(72);
      await env.as('admin', {
        method: 'PATCH',
        url: `/api/people/tags/${aged}`,
        payload: { rule: { all: [{ fact: 'age', op: '>=', value: 80 }] } },
      });
      const back = await env.as('shequ', { method: 'GET', url: '/api/people/residents?tag=aged_80&pageSize=200' });
      expect(json<{ items: { age: number }[] }>(back.body).items.every((i) => i.age >= 80)).toBe(true);
    });
  });

  describe('refreshDerivedTagsDaily', () => {
    it('recomputes every derived tag once per day, then leaves it to the changes', async () => {
      await env.db.query(`DELETE FROM system_settings WHERE key = 'derived_tags_refreshed_on'`);
      const aged = await env.db.query<{ id: number }>(`SELECT id FROM tags WHERE code = 'aged_80'`);
      // A holder lost behind the service's back comes back with the day's refresh.
      await env.db.query('DELETE FROM resident_tags WHERE tag_id = $1', [aged[0]!.id]);
      const first = await refreshDerivedTagsDaily(env.db);
      expect(first?.added).toBeGreaterThan(0);
      expect(await refreshDerivedTagsDaily(env.db)).toBeNull();
    });
  });

  describe('revealResidentField', () => {
    it('shows the ID number to a community worker with a reason and audits it; a building leader may not', async () => {
      const idNumber = newId(50);
      const r = (await created('/api/people/residents', { name: '郑揭', idNumber, nodeId: unit })) as unknown as Detail;
      const no = await post(`/api/people/residents/${r.id}/reveal`, { field: 'idNumber', reason: '核实' }, 'louzhang');
      expect(no.statusCode).toBe(403);
      const res = await post(`/api/people/residents/${r.id}/reveal`, { field: 'idNumber', reason: '办理低保核实身份' });
      expect(json<{ value: string }>(res.body).value).toBe(idNumber);
      const audit = await env.db.query<{ reason: string; actor_name: string }>(
        `SELECT reason, actor_name FROM audit_log WHERE action = 'pii.reveal' AND target_id = $1`,
        [String(r.id)],
      );
      expect(audit).toEqual([{ reason: 'idNumber: 办理低保核实身份', actor_name: '李社工' }]);
    });

    it('refuses a reason of spaces or invisible characters, showing nothing and recording nothing', async () => {
      const idNumber = newId(51);
      const r = (await created('/api/people/residents', { name: '钱空', idNumber, nodeId: unit })) as unknown as Detail;
      const blanks = ['   ', '\u200b\u200b\u200b', '\u3000\u3000', '\u200d \ufeff\u2060', '\u3164\u3164', ' 核\u200b '];
      for (const reason of blanks) {
        const res = await post(`/api/people/residents/${r.id}/reveal`, { field: 'idNumber', reason });
        expect(res.statusCode, JSON.stringify(reason)).toBe(400);
        expect(json<{ code: string; field: string }>(res.body)).toMatchObject({
          code: 'REASON_REQUIRED',
          field: 'reason',
        });
        expect(res.body).not.toContain(idNumber);
      }
      const audit = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'pii.reveal' AND target_id = $1`,
        [String(r.id)],
      );
      expect(audit[0]!.n).toBe(0);
      // The positive control: invisible characters around a real reason are dropped, the reason kept.
      const ok = await post(`/api/people/residents/${r.id}/reveal`, {
        field: 'idNumber',
        reason: '\u200b 上门走访\u3000',
      });
      expect(json<{ value: string }>(ok.body).value).toBe(idNumber);
      const kept = await env.db.query<{ reason: string }>(
        `SELECT reason FROM audit_log WHERE action = 'pii.reveal' AND target_id = $1`,
        [String(r.id)],
      );
      expect(kept).toEqual([{ reason: 'idNumber: 上门走访' }]);
    });
  });

  describe('houses and the building map', () => {
    it('draws units × floors × rooms with use and groups', async () => {
      const map = await env.as('shequ', { method: 'GET', url: `/api/people/buildings/${env.ids.building}/map` });
      expect(map.statusCode).toBe(200);
      const m = json<{
        units: {
          name: string;
          floors: { floor: number; rooms: { roomNo: string; use: string; groups: string[] }[] }[];
        }[];
        totals: { houses: number };
      }>(map.body);
      const room = m.units.flatMap((u) => u.floors.flatMap((f) => f.rooms)).find((r) => r.roomNo === '301');
      expect(room).toMatchObject({ use: 'rented' });
      expect(room!.groups).toContain('aged_80');
      expect(m.units[0]!.floors[0]!.floor).toBe(3);
      expect(m.totals.houses).toBeGreaterThan(0);
    });

    it('refuses the same room twice', async () => {
      const res = await post('/api/people/houses', { nodeId: unit, roomNo: '301' });
      expect(res.statusCode).toBe(409);
      expect(json<{ code: string; field: string }>(res.body)).toMatchObject({
        code: 'HOUSE_ROOM_DUPLICATE',
        field: 'roomNo',
      });
    });
  });

  describe('the hierarchy and its people', () => {
    it('moves residents with their grid and refuses to retire a node people live in', async () => {
      const grid = (
        await created('/api/org/nodes', { parentId: env.ids.community, type: 'grid', name: '迁移测试网格' })
      ).id;
      const r = (await created('/api/people/residents', {
        name: '冯迁',
        idNumber: newId(33),
        nodeId: grid,
      })) as unknown as Detail;
      const retire = await post(`/api/org/nodes/${grid}/retire`, {}, 'jiedao');
      expect(json<{ code: string }>(retire.body).code).toBe('ORG_NODE_HAS_PEOPLE');
      const west = await env.db.query<{ id: number }>(`SELECT id FROM org_nodes WHERE name = '西关社区'`);
      const moved = await post(`/api/org/nodes/${grid}/move`, { parentId: west[0]!.id }, 'jiedao');
      expect(moved.statusCode).toBe(200);
      expect(json(moved.body)).toMatchObject({ id: grid, parentId: west[0]!.id });
      const path = await env.db.query<{ node_path: string; path: string }>(
        'SELECT r.node_path, n.path FROM residents r JOIN org_nodes n ON n.id = r.node_id WHERE r.id = $1',
        [r.id],
      );
      expect(path[0]!.node_path).toBe(path[0]!.path);
      // 东关社区's worker no longer sees the person; 西关社区's scope does.
      const gone = await env.as('shequ', { method: 'GET', url: `/api/people/residents/${r.id}` });
      expect(gone.statusCode).toBe(404);
    });
  });
});
