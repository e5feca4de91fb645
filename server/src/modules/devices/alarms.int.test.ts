import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { send } from '../../platform/notify/notify.service.js';
import {
  addReadings,
  buildDevice,
  buildRule,
  ensureDeviceType,
  HEART_METRIC,
  SOS_EVENT,
  setAway,
  setOverride,
  WATER_METRIC,
} from '../../test/devices-factories.js';
import { type BuiltUser, buildUser, newSession } from '../../test/factories.js';
import { buildHouse, buildResident, firstNodeUnder } from '../../test/people-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { type AlarmDeps, evaluateTimedRules, raiseAlarms, runLadderStep, sweepLadder } from './alarms.service.js';
import type { AlarmDetail, AlarmListItem, AlarmPage } from './devices.schemas.js';
import { shanghaiMinuteOfDay } from './rules.logic.js';

const MIN = 60_000;
const FAMILY_PHONE = '13912345678';
const LADDER = [
  { level: 'family' as const, afterMin: 0 },
  { level: 'grid' as const, afterMin: 15 },
  { level: 'community' as const, afterMin: 45 },
  { level: 'street' as const, afterMin: 120 },
];

/** "HH:MM" Shanghai time of an instant. */
function hhmm(at: Date): string {
  const m = Math.floor(shanghaiMinuteOfDay(at));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

describeEachDb('alarms', (env: TestEnv) => {
  const deps = (): AlarmDeps => ({ db: env.db, pii: env.pii, jobs: env.jobs });
  let typeCode: string;
  let heartRule: number;
  let sosRule: number;
  let residentId: number;
  let houseId: number;
  let otherBuilding: number;
  let family: BuiltUser;
  let stranger: BuiltUser;
  const sessions = new Map<string, string>();
  /** A request as a demo account (by name) or as an account a test built. */
  async function as(who: string | BuiltUser, opts: InjectOptions) {
    if (typeof who === 'string') return env.as(who, opts);
    let cookie = sessions.get(who.username);
    if (!cookie) {
      cookie = await newSession(env, who);
      sessions.set(who.username, cookie);
    }
    return env.as(null, { ...opts, headers: { ...(opts.headers ?? {}), cookie } });
  }
  let seq = 0;

  async function userId(username: string): Promise<number> {
    return (await env.db.query<{ id: number }>('SELECT id FROM users WHERE lower(username) = $1', [username]))[0]!.id;
  }
  async function messages(userIdOf: number, kind: string) {
    return env.db.query<{ payload: Record<string, unknown>; link_type: string; link_id: number }>(
      'SELECT payload, link_type, link_id FROM inbox_messages WHERE user_id = $1 AND kind = $2 ORDER BY id',
      [userIdOf, kind],
    );
  }
  async function events(alarmId: number) {
    return env.db.query<{ action: string; level: string | null; detail: Record<string, unknown> }>(
      'SELECT action, level, detail FROM alarm_events WHERE alarm_id = $1 ORDER BY id',
      [alarmId],
    );
  }
  /** A new device in 1号楼 (the grid worker's) watching the resident, and an alarm raised on it at `now`. */
  async function raiseOne(now = new Date(), nodeId = env.ids.building!, rule = heartRule) {
    seq++;
    const d = await buildDevice(env.db, {
      typeCode,
      nodeId,
      serial: `HB${seq}`,
      residentId: nodeId === env.ids.building ? residentId : null,
      houseId: nodeId === env.ids.building ? houseId : null,
    });
    const res = await env.db.transaction((tx) =>
      raiseAlarms(
        deps(),
        tx,
        [{ deviceId: d.id, ruleId: rule, at: now, detail: { metric: 'heart_rate', value: 150, above: 120 } }],
        {
          now,
        },
      ),
    );
    return { deviceId: d.id, alarmId: res.raised[0]!, res };
  }

  beforeAll(async () => {
    typeCode = await ensureDeviceType(env.db, {
      code: 'tband',
      metrics: [HEART_METRIC],
      events: [SOS_EVENT],
    });
    heartRule = await buildRule(env.db, {
      typeCode,
      code: 'heart',
      kind: 'threshold',
      params: { metric: 'heart_rate', below: 45, above: 120 },
      ladder: LADDER,
    });
    sosRule = await buildRule(env.db, {
      typeCode,
      code: 'sos',
      kind: 'event',
      params: { events: ['sos'] },
      severity: 'critical',
      ladder: [{ level: 'grid', afterMin: 0 }],
    });
    houseId = (await buildHouse(env, { nodeId: env.ids.unit! })).id;
    residentId = (
      await buildResident(env, {
        nodeId: env.ids.unit!,
        houseId,
        name: '王老伯',
        contacts: [
          { name: '王小明', relation: '儿子', phone: FAMILY_PHONE },
          { name: '王小红', relation: '女儿', phone: '13700000001' },
        ],
      })
    ).id;
    family = await buildUser(env, { role: 'resident', phone: FAMILY_PHONE, displayName: '王小明' });
    stranger = await buildUser(env, { role: 'resident', phone: '13600000002' });
    const secondGrid = await firstNodeUnder(env.db, env.ids.community!, 'grid', 1);
    otherBuilding = await firstNodeUnder(env.db, secondGrid, 'building');
  });

  describe('raiseAlarms', () => {
    it('raises one alarm per device and rule, counts a repeat on it, and notifies the family in the same transaction', async () => {
      const now = new Date();
      const { deviceId, alarmId, res } = await raiseOne(now);
      expect(res.retriggered).toEqual([]);
      const again = await env.db.transaction((tx) =>
        raiseAlarms(deps(), tx, [
          {
            deviceId,
            ruleId: heartRule,
            at: new Date(now.getTime() + 1000),
            detail: { metric: 'heart_rate', value: 160, above: 120 },
          },
          {
            deviceId,
            ruleId: heartRule,
            at: new Date(now.getTime() + 2000),
            detail: { metric: 'heart_rate', value: 170, above: 120 },
          },
        ]),
      );
      expect(again).toEqual({ raised: [], retriggered: [alarmId] });
      const row = (
        await env.db.query<{
          trigger_count: number;
          detail: { value: number };
          ladder_step: number;
          next_step_at: Date;
        }>('SELECT trigger_count, detail, ladder_step, next_step_at FROM alarms WHERE id = $1', [alarmId])
      )[0]!;
      expect(row.trigger_count).toBe(3);
      expect(row.detail.value).toBe(170);
      expect(row.ladder_step).toBe(0);
      expect(row.next_step_at.getTime()).toBe(now.getTime() + 15 * MIN);
      expect((await events(alarmId)).map((e) => [e.action, e.level])).toEqual([
        ['raised', null],
        ['notified', 'family'],
      ]);
      const inbox = await messages(family.id, 'alarms.raised');
      expect(inbox.filter((m) => m.link_id === alarmId)).toHaveLength(1);
      expect(inbox.at(-1)).toMatchObject({
        link_type: 'alarm',
        payload: { alarmId, summaryZh: '心率 150 次/分（高于 120）' },
      });
      // the family's inbox opens the alarm; someone who may not read it gets the message without its link
      const box = (await as(family, { method: 'GET', url: '/api/inbox' })).json() as {
        items: { kind: string; title: string; urgency: string; link: { type: string; id: number } | null }[];
      };
      const mine = box.items.find((m) => m.kind === 'alarms.raised' && m.link?.id === alarmId);
      expect(mine).toMatchObject({ urgency: 'urgent', link: { type: 'alarm', id: alarmId } });
      expect(mine!.title).toContain('心率 150 次/分（高于 120）');
      await send(env.db, [await userId('louzhang')], 'alarms.raised', { ...inbox.at(-1)!.payload });
      const theirs = (await as('louzhang', { method: 'GET', url: '/api/inbox' })).json() as {
        items: { kind: string; link: unknown }[];
      };
      expect(theirs.items.find((m) => m.kind === 'alarms.raised')).toMatchObject({ link: null });
      // the next step waits as a job, keyed so that it is queued once
      const jobs = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'alarms.ladder' AND singleton_key = $1`,
        [`alarm:${alarmId}:1`],
      );
      expect(jobs[0]!.n).toBe(1);
    });

    it('never opens two alarms when two connections raise the same trigger at once', async () => {
      seq++;
      const d = await buildDevice(env.db, { typeCode, nodeId: env.ids.building!, serial: `CC${seq}` });
      const trigger = { deviceId: d.id, ruleId: sosRule, at: new Date(), detail: { event: 'sos' } };
      const [a, b] = await Promise.all([
        env.db.transaction((tx) => raiseAlarms(deps(), tx, [trigger])),
        env.db.transaction((tx) => raiseAlarms(deps(), tx, [trigger])),
      ]);
      expect([...a.raised, ...b.raised]).toHaveLength(1);
      expect([...a.retriggered, ...b.retriggered]).toEqual([...a.raised, ...b.raised]);
      const rows = await env.db.query<{ n: number; c: number }>(
        'SELECT count(*)::int AS n, max(trigger_count) AS c FROM alarms WHERE device_id = $1',
        [d.id],
      );
      expect(rows[0]).toEqual({ n: 1, c: 2 });
      const raisedEvents = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM alarm_events e JOIN alarms a ON a.id = e.alarm_id WHERE a.device_id = $1 AND e.action = 'raised'`,
        [d.id],
      );
      expect(raisedEvents[0]!.n).toBe(1);
    });

    it('opens a new alarm once the previous one is resolved, and drops triggers of unknown devices', async () => {
      const { deviceId, alarmId } = await raiseOne();
      await env.db.query(
        `UPDATE alarms SET status = 'resolved', resolved_at = now(), outcome = 'false_alarm' WHERE id = $1`,
        [alarmId],
      );
      const res = await env.db.transaction((tx) =>
        raiseAlarms(deps(), tx, [
          { deviceId, ruleId: heartRule, at: new Date(), detail: { metric: 'heart_rate', value: 130, above: 120 } },
          { deviceId: 987654321, ruleId: heartRule, at: new Date(), detail: {} },
        ]),
      );
      expect(res.raised).toHaveLength(1);
      expect(res.raised[0]).not.toBe(alarmId);
    });
  });

  describe('the ladder', () => {
    it('notifies the family first, the grid after 15 minutes unacknowledged, each level once, and stops when acknowledged', async () => {
      const t0 = new Date();
      const { alarmId } = await raiseOne(t0);
      const wangge = await userId('wangge');
      const shequ = await userId('shequ');
      const gridBefore = (await messages(wangge, 'alarms.escalated')).filter((m) => m.link_id === alarmId);
      expect(gridBefore).toHaveLength(0);
      // not due yet at 10 minutes
      expect(await runLadderStep(deps(), { alarmId, step: 1 }, new Date(t0.getTime() + 10 * MIN))).toBe(false);
      expect((await messages(wangge, 'alarms.escalated')).filter((m) => m.link_id === alarmId)).toHaveLength(0);
      // due at 15: the grid worker hears of it
      expect(await runLadderStep(deps(), { alarmId, step: 1 }, new Date(t0.getTime() + 15 * MIN))).toBe(true);
      expect((await messages(wangge, 'alarms.escalated')).filter((m) => m.link_id === alarmId)).toHaveLength(1);
      // the same step again (the job retried, the sweep) does nothing
      expect(await runLadderStep(deps(), { alarmId, step: 1 }, new Date(t0.getTime() + 16 * MIN))).toBe(false);
      await sweepLadder(deps(), new Date(t0.getTime() + 16 * MIN));
      expect((await messages(wangge, 'alarms.escalated')).filter((m) => m.link_id === alarmId)).toHaveLength(1);
      const row = (
        await env.db.query<{ ladder_step: number; next_step_at: Date }>(
          'SELECT ladder_step, next_step_at FROM alarms WHERE id = $1',
          [alarmId],
        )
      )[0]!;
      expect(row).toEqual({ ladder_step: 1, next_step_at: new Date(t0.getTime() + 45 * MIN) });
      // the family acknowledges: the community is never told
      const ack = await as(family, { method: 'POST', url: `/api/me/alarms/${alarmId}/acknowledge` });
      expect(ack.statusCode).toBe(200);
      expect((ack.json() as AlarmListItem).status).toBe('acknowledged');
      expect((ack.json() as AlarmListItem).acknowledgedBy).toBe('王小明');
      expect(await runLadderStep(deps(), { alarmId, step: 2 }, new Date(t0.getTime() + 50 * MIN))).toBe(false);
      await sweepLadder(deps(), new Date(t0.getTime() + 50 * MIN));
      expect((await messages(shequ, 'alarms.escalated')).filter((m) => m.link_id === alarmId)).toHaveLength(0);
      // the grid worker the ladder reached hears that the family took it
      expect((await messages(wangge, 'alarms.acknowledged')).filter((m) => m.link_id === alarmId)).toHaveLength(1);
      expect((await events(alarmId)).map((e) => [e.action, e.level])).toEqual([
        ['raised', null],
        ['notified', 'family'],
        ['escalated', 'grid'],
        ['notified', 'grid'],
        ['acknowledged', null],
      ]);
    });

    it('climbs to the community and the street when nobody acknowledges; a lost job is caught by the sweep', async () => {
      const t0 = new Date();
      const { alarmId } = await raiseOne(t0);
      const shequ = await userId('shequ');
      const jiedao = await userId('jiedao');
      // every job lost: the sweep takes the steps as they fall due, late ones together
      await sweepLadder(deps(), new Date(t0.getTime() + 14 * MIN));
      expect((await events(alarmId)).filter((e) => e.action === 'notified')).toHaveLength(1);
      expect(await sweepLadder(deps(), new Date(t0.getTime() + 50 * MIN))).toBeGreaterThanOrEqual(1);
      expect((await messages(shequ, 'alarms.escalated')).filter((m) => m.link_id === alarmId)).toHaveLength(1);
      expect((await messages(jiedao, 'alarms.escalated')).filter((m) => m.link_id === alarmId)).toHaveLength(0);
      expect(await sweepLadder(deps(), new Date(t0.getTime() + 121 * MIN))).toBeGreaterThanOrEqual(1);
      expect((await messages(jiedao, 'alarms.escalated')).filter((m) => m.link_id === alarmId)).toHaveLength(1);
      const row = (
        await env.db.query<{ ladder_step: number; next_step_at: Date | null }>(
          'SELECT ladder_step, next_step_at FROM alarms WHERE id = $1',
          [alarmId],
        )
      )[0]!;
      expect(row).toEqual({ ladder_step: 3, next_step_at: null });
      const levels = (await events(alarmId)).filter((e) => e.action === 'notified').map((e) => e.level);
      expect(levels).toEqual(['family', 'grid', 'community', 'street']);
    });

    it('records the contacts to call when no family contact has an account', async () => {
      const lone = await buildResident(env, {
        nodeId: env.ids.unit!,
        name: '李奶奶',
        contacts: [{ name: '李大', relation: '儿子', phone: '13500000003' }],
      });
      seq++;
      const d = await buildDevice(env.db, {
        typeCode,
        nodeId: env.ids.building!,
        serial: `LN${seq}`,
        residentId: lone.id,
      });
      const res = await env.db.transaction((tx) =>
        raiseAlarms(deps(), tx, [
          { deviceId: d.id, ruleId: heartRule, at: new Date(), detail: { metric: 'heart_rate', value: 40, below: 45 } },
        ]),
      );
      const notified = (await events(res.raised[0]!)).find((e) => e.action === 'notified')!;
      expect(notified.level).toBe('family');
      expect(notified.detail).toMatchObject({
        users: [],
        contactsToCall: [{ name: '李大', relation: '儿子', phoneMasked: '135****0003' }],
      });
    });
  });

  describe('the alarm centre and the lifecycle', () => {
    it('acknowledges, resolves with an outcome, and refuses what the state or scope does not allow', async () => {
      const { alarmId } = await raiseOne();
      const url = `/api/alarms/${alarmId}`;
      // scope: another grid's worker cannot see or act; a resident without the permission neither
      const other = await buildUser(env, {
        role: 'grid_worker',
        nodeId: await firstNodeUnder(env.db, env.ids.community!, 'grid', 1),
      });
      expect((await as(other, { method: 'GET', url })).json()).toMatchObject({ code: 'ALARM_NOT_FOUND' });
      const otherAck = await as(other, { method: 'POST', url: `${url}/acknowledge`, payload: {} });
      expect(otherAck.statusCode).toBe(404);
      expect((await as(stranger, { method: 'POST', url: `${url}/acknowledge`, payload: {} })).statusCode).toBe(404);
      // building leader reads nothing here
      expect((await as('louzhang', { method: 'GET', url })).statusCode).toBe(404);
      // the grid worker sees it, with the contacts to call and what they may do
      const got = await as('wangge', { method: 'GET', url });
      expect(got.statusCode).toBe(200);
      const detail = got.json() as AlarmDetail;
      expect(detail).toMatchObject({
        id: alarmId,
        status: 'active',
        residentName: '王*伯',
        level: 'family',
        summary: '心率 150 次/分（高于 120）',
      });
      expect(detail.placeName).toContain('1号楼');
      expect(detail.contacts).toEqual([
        expect.objectContaining({ name: '王小明', relation: '儿子', phoneMasked: '139****5678', hasAccount: true }),
        expect.objectContaining({ name: '王小红', hasAccount: false }),
      ]);
      expect(detail.allowedActions).toEqual(['acknowledge', 'resolve', 'note', 'case']);
      expect(detail.ladder.map((s) => s.level)).toEqual(['family', 'grid', 'community', 'street']);
      // a stale version is refused, the right one acknowledges
      const stale = await as('wangge', {
        method: 'POST',
        url: `${url}/acknowledge`,
        payload: { version: detail.version + 5 },
      });
      expect(stale.json()).toMatchObject({ code: 'ALARM_CHANGED' });
      const ack = await as('wangge', {
        method: 'POST',
        url: `${url}/acknowledge`,
        payload: { version: detail.version, note: '已电话联系' },
      });
      expect(ack.statusCode).toBe(200);
      const acked = ack.json() as AlarmDetail;
      expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: '张网格', nextStepAt: null });
      expect(acked.allowedActions).toEqual(['resolve', 'note', 'case']);
      const twice = await as('wangge', { method: 'POST', url: `${url}/acknowledge`, payload: {} });
      expect(twice.statusCode).toBe(409);
      expect(twice.json()).toMatchObject({ code: 'ALARM_TRANSITION_INVALID' });
      // resolving needs an outcome a person may choose
      expect((await as('wangge', { method: 'POST', url: `${url}/resolve`, payload: {} })).statusCode).toBe(400);
      expect(
        (await as('wangge', { method: 'POST', url: `${url}/resolve`, payload: { outcome: 'auto_cleared' } }))
          .statusCode,
      ).toBe(400);
      const note = await as('wangge', {
        method: 'POST',
        url: `${url}/notes`,
        payload: { text: '上门查看，老人安好' },
      });
      expect(note.statusCode).toBe(200);
      expect((note.json() as AlarmDetail).events.at(-1)).toMatchObject({
        action: 'note',
        actor: '张网格',
        detail: { text: '上门查看，老人安好' },
      });
      const resolved = await as('wangge', {
        method: 'POST',
        url: `${url}/resolve`,
        payload: { outcome: 'person_safe', note: '误触' },
      });
      expect(resolved.statusCode).toBe(200);
      expect(resolved.json()).toMatchObject({ status: 'resolved', outcome: 'person_safe', resolvedBy: '张网格' });
      const again = await as('wangge', {
        method: 'POST',
        url: `${url}/resolve`,
        payload: { outcome: 'false_alarm' },
      });
      expect(again.json()).toMatchObject({ code: 'ALARM_TRANSITION_INVALID' });
      const audits = await env.db.query<{ action: string; actor_name: string }>(
        `SELECT action, actor_name FROM audit_log WHERE target_type = 'alarm' AND target_id = $1 ORDER BY id`,
        [String(alarmId)],
      );
      expect(audits.map((a) => a.action)).toEqual(['alarm.acknowledge', 'alarm.note', 'alarm.resolve']);
    });

    it('lists alarms in the area only, with the open counts', async () => {
      const mine = await raiseOne();
      const theirs = await raiseOne(new Date(), otherBuilding);
      const ids = (body: AlarmPage) => body.items.map((i) => i.id);
      const grid = (
        await as('wangge', { method: 'GET', url: '/api/alarms?status=open&pageSize=200' })
      ).json() as AlarmPage;
      expect(ids(grid)).toContain(mine.alarmId);
      expect(ids(grid)).not.toContain(theirs.alarmId);
      expect(grid.counts.active).toBeGreaterThanOrEqual(1);
      const community = (
        await as('shequ', { method: 'GET', url: '/api/alarms?status=open&pageSize=200' })
      ).json() as AlarmPage;
      expect(ids(community)).toEqual(expect.arrayContaining([mine.alarmId, theirs.alarmId]));
      const byDevice = (
        await as('shequ', { method: 'GET', url: `/api/alarms?deviceId=${theirs.deviceId}` })
      ).json() as AlarmPage;
      expect(byDevice).toMatchObject({ total: 1, items: [{ id: theirs.alarmId, deviceId: theirs.deviceId }] });
      const refused = await as('jumin', { method: 'GET', url: '/api/alarms' });
      expect(refused.statusCode).toBe(403);
      // the other grid's alarm opened through a message link: the grid worker's link is withheld
      expect((await as('wangge', { method: 'GET', url: `/api/alarms/${theirs.alarmId}` })).statusCode).toBe(404);
    });

    it("shows the family their relative's alarms only, and lets them acknowledge those", async () => {
      const { alarmId } = await raiseOne();
      const theirs = await raiseOne(new Date(), otherBuilding);
      const list = (await as(family, { method: 'GET', url: '/api/me/alarms' })).json() as {
        items: AlarmListItem[];
      };
      expect(list.items.map((i) => i.id)).toContain(alarmId);
      expect(list.items.map((i) => i.id)).not.toContain(theirs.alarmId);
      expect(list.items.every((i) => i.status !== 'resolved')).toBe(true);
      const none = (await as(stranger, { method: 'GET', url: '/api/me/alarms?status=all' })).json() as {
        items: AlarmListItem[];
      };
      expect(none.items).toEqual([]);
      expect((await as(stranger, { method: 'POST', url: `/api/me/alarms/${alarmId}/acknowledge` })).statusCode).toBe(
        404,
      );
      expect(
        (await as(family, { method: 'POST', url: `/api/me/alarms/${theirs.alarmId}/acknowledge` })).statusCode,
      ).toBe(404);
      // family may open the alarm itself (the message's link), not resolve it
      const detail = (await as(family, { method: 'GET', url: `/api/alarms/${alarmId}` })).json() as AlarmDetail;
      expect(detail.allowedActions).toEqual(['acknowledge']);
      expect(
        (
          await as(family, {
            method: 'POST',
            url: `/api/alarms/${alarmId}/resolve`,
            payload: { outcome: 'person_safe' },
          })
        ).statusCode,
      ).toBe(404);
      const ack = await as(family, { method: 'POST', url: `/api/me/alarms/${alarmId}/acknowledge` });
      expect(ack.json()).toMatchObject({ id: alarmId, status: 'acknowledged' });
      const all = (await as(family, { method: 'GET', url: '/api/me/alarms?status=all' })).json() as {
        items: AlarmListItem[];
      };
      expect(all.items.find((i) => i.id === alarmId)?.status).toBe('acknowledged');
    });

    it('opens one case for an alarm through the cases service', async () => {
      const { alarmId } = await raiseOne();
      const cat = (
        await env.db.query<{ id: number }>('SELECT id FROM case_categories WHERE active ORDER BY id LIMIT 1')
      )[0]!.id;
      const refused = await as('louzhang', {
        method: 'POST',
        url: `/api/alarms/${alarmId}/case`,
        payload: { categoryId: cat },
      });
      expect(refused.statusCode).toBe(404);
      const res = await as('wangge', {
        method: 'POST',
        url: `/api/alarms/${alarmId}/case`,
        payload: { categoryId: cat },
      });
      expect(res.statusCode).toBe(201);
      const { caseId } = res.json() as { caseId: number };
      const c = (
        await env.db.query<{ source: string; house_id: number; title: string }>(
          'SELECT source, house_id, title FROM cases WHERE id = $1',
          [caseId],
        )
      )[0]!;
      expect(c).toMatchObject({ source: 'device', house_id: houseId });
      expect(c.title).toContain('心率 150');
      const detail = (await as('wangge', { method: 'GET', url: `/api/alarms/${alarmId}` })).json() as AlarmDetail;
      expect(detail.caseId).toBe(caseId);
      expect(detail.events.at(-1)).toMatchObject({ action: 'case_opened', detail: { caseId } });
      expect(detail.allowedActions).not.toContain('case');
      const again = await as('wangge', {
        method: 'POST',
        url: `/api/alarms/${alarmId}/case`,
        payload: { categoryId: cat },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'ALARM_CASE_EXISTS' });
    });
  });

  describe('the timed evaluator', () => {
    it('fires no-use for a silent meter, not for one used, not in quiet hours, not while away, not without a baseline', async () => {
      const now = new Date();
      const meter = await ensureDeviceType(env.db, { code: 'tmeter', metrics: [WATER_METRIC] });
      // quiet hours well away from the last 8 hours, so the window is plainly the last 8 hours
      const noUse = await buildRule(env.db, {
        typeCode: meter,
        code: 'no_use',
        kind: 'no_use',
        params: {
          metric: 'total_l',
          windowHours: 8,
          minUse: 10,
          quietStart: hhmm(new Date(now.getTime() + 120 * MIN)),
          quietEnd: hhmm(new Date(now.getTime() + 180 * MIN)),
        },
      });
      const people = await Promise.all(
        ['静', '用', '睡', '外', '新'].map((n) => buildResident(env, { nodeId: env.ids.unit!, name: `表${n}` })),
      );
      const [silent, used, sleeping, away, fresh] = await Promise.all(
        people.map((p, i) =>
          buildDevice(env.db, { typeCode: meter, nodeId: env.ids.building!, serial: `WM${i}`, residentId: p.id }),
        ),
      );
      const at = (min: number) => new Date(now.getTime() + min * MIN);
      for (const d of [silent!, sleeping!, away!])
        await addReadings(env.db, d.id, 'total_l', [
          [at(-600), 10_000],
          [at(-60), 10_003],
        ]);
      await addReadings(env.db, used!.id, 'total_l', [
        [at(-600), 20_000],
        [at(-60), 20_050],
      ]);
      await addReadings(env.db, fresh!.id, 'total_l', [[at(-60), 500]]);
      await setOverride(env.db, noUse, people[2]!.id, {
        params: { quietStart: hhmm(at(-60)), quietEnd: hhmm(at(60)) },
      });
      await setAway(env.db, people[3]!.id, at(-24 * 60));

      const first = await evaluateTimedRules(deps(), now);
      expect(first.raised).toBe(1);
      expect(first.evaluated).toBeGreaterThanOrEqual(5);
      const open = await env.db.query<{ device_id: number; detail: Record<string, unknown>; kind: string }>(
        `SELECT device_id, detail, kind FROM alarms WHERE rule_id = $1 AND status <> 'resolved'`,
        [noUse],
      );
      expect(open.map((a) => a.device_id)).toEqual([silent!.id]);
      expect(open[0]).toMatchObject({
        kind: 'no_use',
        detail: { metric: 'total_l', used: 3, minUse: 10, windowHours: 8 },
      });
      // a minute later: nothing new (the open alarm is not raised again)
      expect((await evaluateTimedRules(deps(), at(1))).raised).toBe(0);
      // the away switch lapses: that meter fires too
      await setAway(env.db, people[3]!.id, at(-24 * 60), at(1));
      expect((await evaluateTimedRules(deps(), at(2))).raised).toBe(1);
      // water used again: the alarm is marked cleared (no_use does not resolve by itself)
      await addReadings(env.db, silent!.id, 'total_l', [[at(2), 10_040]]);
      const later = await evaluateTimedRules(deps(), at(3));
      expect(later.cleared).toBe(1);
      const row = (
        await env.db.query<{ status: string; cleared_at: Date | null }>(
          'SELECT status, cleared_at FROM alarms WHERE device_id = $1',
          [silent!.id],
        )
      )[0]!;
      expect(row.status).toBe('active');
      expect(row.cleared_at).not.toBeNull();
    });

    it('fires high use over the last window minutes, and not for a person the rule is switched off for', async () => {
      const now = new Date();
      const at = (min: number) => new Date(now.getTime() + min * MIN);
      const leak = await ensureDeviceType(env.db, { code: 'tleak', metrics: [WATER_METRIC] });
      const rule = await buildRule(env.db, {
        typeCode: leak,
        code: 'high_use',
        kind: 'high_use',
        params: { metric: 'total_l', windowMinutes: 60, maxUse: 300 },
      });
      const [a, b] = await Promise.all(
        ['漏', '关'].map((n) => buildResident(env, { nodeId: env.ids.unit!, name: `高${n}` })),
      );
      const [leaking, off, normal] = await Promise.all(
        [a!.id, b!.id, null].map((r, i) =>
          buildDevice(env.db, { typeCode: leak, nodeId: env.ids.building!, serial: `HU${i}`, residentId: r }),
        ),
      );
      for (const d of [leaking!, off!]) {
        await addReadings(env.db, d.id, 'total_l', [
          [at(-90), 100],
          [at(-61), 150],
          [at(-5), 600],
        ]);
      }
      await addReadings(env.db, normal!.id, 'total_l', [
        [at(-90), 100],
        [at(-61), 150],
        [at(-5), 260],
      ]);
      await setOverride(env.db, rule, b!.id, { enabled: false });
      const res = await evaluateTimedRules(deps(), now);
      expect(res.raised).toBe(1);
      const open = await env.db.query<{ device_id: number; detail: Record<string, unknown> }>(
        `SELECT device_id, detail FROM alarms WHERE rule_id = $1`,
        [rule],
      );
      expect(open).toEqual([
        { device_id: leaking!.id, detail: { metric: 'total_l', used: 450, maxUse: 300, windowMinutes: 60 } },
      ]);
    });

    it('raises each alarm once when two evaluators run at the same minute (two instances)', async () => {
      const now = new Date();
      const type = await ensureDeviceType(env.db, { code: 'ttwice', metrics: [HEART_METRIC] });
      const rule = await buildRule(env.db, {
        typeCode: type,
        code: 'silent',
        kind: 'silent',
        params: { minutes: 30 },
        ladder: [{ level: 'grid', afterMin: 0 }],
      });
      const devices = await Promise.all(
        [0, 1, 2].map((i) =>
          buildDevice(env.db, {
            typeCode: type,
            nodeId: env.ids.building!,
            serial: `TW${i}`,
            lastSeenAt: new Date(now.getTime() - 45 * MIN),
          }),
        ),
      );
      const [a, b] = await Promise.all([evaluateTimedRules(deps(), now), evaluateTimedRules(deps(), now)]);
      expect(a.raised + b.raised).toBe(3);
      const rows = await env.db.query<{ device_id: number; n: number }>(
        `SELECT device_id, count(*)::int AS n FROM alarms WHERE rule_id = $1 GROUP BY device_id ORDER BY device_id`,
        [rule],
      );
      expect(rows).toEqual(devices.map((d) => ({ device_id: d.id, n: 1 })).sort((x, y) => x.device_id - y.device_id));
      // and the grid worker was told once per alarm
      const told = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbox_messages m JOIN alarms a ON a.id = m.link_id
          WHERE m.link_type = 'alarm' AND a.rule_id = $1 AND m.user_id = $2`,
        [rule, await userId('wangge')],
      );
      expect(told[0]!.n).toBe(3);
    });

    it('fires silence for a device not heard from, resolves it by itself when it reports again', async () => {
      const now = new Date();
      const band = await ensureDeviceType(env.db, { code: 'tsilent', metrics: [HEART_METRIC] });
      const rule = await buildRule(env.db, {
        typeCode: band,
        code: 'silent',
        kind: 'silent',
        params: { minutes: 60 },
        autoResolve: true,
      });
      const quiet = await buildDevice(env.db, {
        typeCode: band,
        nodeId: env.ids.building!,
        serial: 'S1',
        lastSeenAt: new Date(now.getTime() - 120 * MIN),
      });
      const talking = await buildDevice(env.db, {
        typeCode: band,
        nodeId: env.ids.building!,
        serial: 'S2',
        lastSeenAt: new Date(now.getTime() - 5 * MIN),
      });
      const never = await buildDevice(env.db, {
        typeCode: band,
        nodeId: env.ids.building!,
        serial: 'S3',
        createdAt: new Date(now.getTime() - 90 * MIN),
      });
      const brandNew = await buildDevice(env.db, { typeCode: band, nodeId: env.ids.building!, serial: 'S4' });
      const res = await evaluateTimedRules(deps(), now);
      expect(res.raised).toBe(2);
      const open = await env.db.query<{ device_id: number; detail: Record<string, unknown> }>(
        `SELECT device_id, detail FROM alarms WHERE rule_id = $1 AND status <> 'resolved' ORDER BY device_id`,
        [rule],
      );
      expect(open.map((a) => a.device_id)).toEqual([quiet.id, never.id]);
      expect(open[0]!.detail).toMatchObject({ minutes: 60, silentMinutes: 120 });
      expect(open.map((a) => a.device_id)).not.toContain(talking.id);
      expect(open.map((a) => a.device_id)).not.toContain(brandNew.id);
      await env.db.query('UPDATE devices SET last_seen_at = $2 WHERE id = $1', [
        quiet.id,
        new Date(now.getTime() + 30_000),
      ]);
      const after = await evaluateTimedRules(deps(), new Date(now.getTime() + MIN));
      expect(after.cleared).toBe(1);
      const row = (
        await env.db.query<{ status: string; outcome: string }>(
          'SELECT status, outcome FROM alarms WHERE device_id = $1',
          [quiet.id],
        )
      )[0]!;
      expect(row).toEqual({ status: 'resolved', outcome: 'auto_cleared' });
    });
  });
});
