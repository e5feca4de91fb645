import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../platform/access/scope.js';
import type { MyTasks } from '../../platform/tasks/tasks.schemas.js';
import { buildDevice, buildRule, ensureDeviceType, HEART_METRIC, SOS_EVENT } from '../../test/devices-factories.js';
import { type BuiltUser, buildUser, newSession } from '../../test/factories.js';
import { buildResident } from '../../test/people-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { raiseAlarms } from './alarms.service.js';
import { callerLevel } from './alarms.tasks.js';

const MIN = 60_000;
const LADDER = [
  { level: 'family' as const, afterMin: 0 },
  { level: 'grid' as const, afterMin: 0 },
  { level: 'community' as const, afterMin: 30 },
  { level: 'street' as const, afterMin: 120 },
];

describe('callerLevel', () => {
  const p = (...roles: string[]) =>
    ({ grants: roles.map((role, i) => ({ postId: i, role, nodeId: 1, path: '/1/' })) }) as unknown as Principal;
  it('is the lowest ladder level among the caller’s posts, none for those above every level', () => {
    expect(callerLevel(p('grid_worker'))).toBe(1);
    expect(callerLevel(p('street_admin', 'community_worker'))).toBe(2);
    expect(callerLevel(p('street_admin'))).toBe(3);
    expect(callerLevel(p('county_admin'))).toBeNull();
    expect(callerLevel(p('admin'))).toBeNull();
    expect(callerLevel(p('resident'))).toBeNull();
  });
});

describeEachDb('my tasks: alarms', (env: TestEnv) => {
  let worker: BuiltUser;
  let community: BuiltUser;
  const cookies: Record<string, string> = {};
  const ids: Record<string, number> = {};
  const firstAt: Record<string, number> = {};

  async function mine(who: string, query = '', lang = 'zh-CN'): Promise<MyTasks> {
    const res = await env.as(null, {
      method: 'GET',
      url: `/api/tasks/mine?kind=alarm&limit=200${query}`,
      headers: { cookie: `${cookies[who]}; linli_lang=${lang}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as MyTasks;
  }

  beforeAll(async () => {
    const node = async (parentId: number, type: string, name: string) =>
      (
        (
          await env.as('admin', { method: 'POST', url: '/api/org/nodes', payload: { parentId, type, name } })
        ).json() as {
          id: number;
        }
      ).id;
    const stamp = Date.now();
    const grid = await node(env.ids.community!, 'grid', `预警网格${stamp}`);
    const building = await node(grid, 'building', `预警楼${stamp}`);
    const sibling = await node(env.ids.community!, 'grid', `预警邻格${stamp}`);
    const siblingBuilding = await node(sibling, 'building', `预警邻楼${stamp}`);
    worker = await buildUser(env, { role: 'grid_worker', nodeId: grid });
    community = await buildUser(env, { role: 'community_worker', nodeId: env.ids.community! });
    cookies.worker = await newSession(env, worker);
    cookies.community = await newSession(env, community);
    const typeCode = await ensureDeviceType(env.db, { code: 'tktask', metrics: [HEART_METRIC], events: [SOS_EVENT] });
    const heart = await buildRule(env.db, {
      typeCode,
      code: 'tk_heart',
      kind: 'threshold',
      params: { metric: 'heart_rate', above: 120 },
      severity: 'minor',
      ladder: LADDER,
    });
    const sos = await buildRule(env.db, {
      typeCode,
      code: 'tk_sos',
      kind: 'event',
      params: { events: ['sos'] },
      severity: 'critical',
      ladder: LADDER,
    });
    const gridOnly = await buildRule(env.db, {
      typeCode,
      code: 'tk_grid',
      kind: 'threshold',
      params: { metric: 'heart_rate', below: 40 },
      severity: 'warning',
      ladder: [{ level: 'grid', afterMin: 0 }],
    });
    const person = (await buildResident(env, { nodeId: building, name: '赵老伯' })).id;
    const raise = async (
      name: string,
      nodeId: number,
      rule: number,
      agoMin: number,
      detail: Record<string, unknown>,
    ) => {
      const at = new Date(Date.now() - agoMin * MIN);
      const d = await buildDevice(env.db, { typeCode, nodeId, residentId: nodeId === building ? person : null });
      const r = await env.db.transaction((tx) =>
        raiseAlarms({ db: env.db, pii: env.pii, jobs: env.jobs }, tx, [{ deviceId: d.id, ruleId: rule, at, detail }], {
          now: at,
        }),
      );
      ids[name] = r.raised[0]!;
      firstAt[name] = at.getTime();
    };
    const high = { metric: 'heart_rate', value: 150, above: 120 };
    await raise('old', building, heart, 60, high); // the grid's time ran out 30 minutes ago
    await raise('sos', building, sos, 5, { event: 'sos' }); // critical, the grid has 25 minutes left
    await raise('noLadder', building, gridOnly, 10, { metric: 'heart_rate', value: 35, below: 40 });
    await raise('taken', building, heart, 20, high);
    await env.db.query(
      `UPDATE alarms SET status = 'acknowledged', acknowledged_at = now(), next_step_at = NULL WHERE id = $1`,
      [ids.taken],
    );
    await raise('elsewhere', siblingBuilding, heart, 90, high);
  });

  it('lists the active alarms of the grid worker’s area, due when the ladder passes the grid level', async () => {
    const r = await mine('worker');
    expect(r.items.map((t) => t.id)).toEqual([ids.old, ids.sos, ids.noLadder]);
    expect(r.counts).toEqual({ total: 3, overdue: 1, byKind: { alarm: 3 } });
    const [old, sos, noLadder] = r.items;
    expect(old).toMatchObject({
      key: `alarm:${ids.old}`,
      kind: 'alarm',
      action: '确认',
      title: '确认预警：心率 150 次/分（高于 120）',
      dueAt: new Date(firstAt.old! + 30 * MIN).toISOString(),
      overdue: true,
      urgent: false,
      link: `/alarms/${ids.old}`,
      mobileLink: `/m/alarms/${ids.old}`,
      createdAt: new Date(firstAt.old!).toISOString(),
    });
    expect(old!.detail).toMatch(/预警楼\d+ · 赵\*伯$/);
    expect(sos).toMatchObject({ dueAt: new Date(firstAt.sos! + 30 * MIN).toISOString(), overdue: false, urgent: true });
    expect(noLadder).toMatchObject({ dueAt: null, overdue: false, urgent: false });
  });

  it('gives a community worker the time the ladder passes the community, in English when asked', async () => {
    const r = await mine('community', '', 'en');
    const old = r.items.find((t) => t.id === ids.old);
    expect(old).toMatchObject({
      dueAt: new Date(firstAt.old! + 120 * MIN).toISOString(),
      overdue: false,
      action: 'Acknowledge',
      title: 'Acknowledge alarm: Heart rate 150 bpm (above 120)',
    });
    expect(r.items.map((t) => t.id)).toContain(ids.elsewhere);
    expect(r.items.map((t) => t.id)).not.toContain(ids.taken);
  });

  it('is nothing for an account without alarms.handle', async () => {
    const res = await env.as('jumin', { method: 'GET', url: '/api/tasks/mine?kind=alarm' });
    expect(res.json()).toEqual({ items: [], counts: { total: 0, overdue: 0, byKind: {} } });
  });
});
