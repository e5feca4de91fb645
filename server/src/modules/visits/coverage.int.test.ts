import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { type BuiltUser, buildUser, newSession, nodeIdByName } from '../../test/factories.js';
import { buildHousehold, buildResident, ensureTag, firstNodeUnder } from '../../test/people-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { buildVisit, buildVisitRule, buildVisitTask } from '../../test/visits-coverage-factories.js';
import type { Coverage, CoverageRow, CoverageWorkerRow, UnvisitedPage } from './visits.schemas.js';

/**
 * Coverage against hand-built tasks and visits. The week is Monday 2025-03-10 to Sunday 2025-03-16 in Shanghai =
 * [2025-03-09T16:00Z, 2025-03-16T16:00Z); every open task due then is overdue now. Each task notes what it adds.
 * Households are checked against visits dated relative to now (1 and 8 months back).
 */

const WEEK = 'period=week&at=2025-03-12';
const MONTH = 'period=month&at=2025-03-01';
const MONTH_MS = 30 * 86_400_000;

describeEachDb('visit coverage', (env: TestEnv) => {
  const n: Record<string, number> = {};
  const u: Record<string, number> = {};
  const hh: Record<string, number> = {};
  let worker2: BuiltUser;

  const coverage = async (user: string, query: string): Promise<Coverage> => {
    const res = await env.as(user, { method: 'GET', url: `/api/visits/coverage?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Coverage;
  };
  const row = (c: Coverage, nodeId: number): CoverageRow => {
    const found = c.rows.find((r) => r.nodeId === nodeId);
    if (!found) throw new Error(`no row ${nodeId} in ${JSON.stringify(c.rows.map((r) => r.nodeId))}`);
    return found;
  };
  const worker = (c: Coverage, userId: number | null): CoverageWorkerRow => {
    const found = c.workers.find((w) => w.userId === userId);
    if (!found) throw new Error(`no worker ${userId} in ${JSON.stringify(c.workers.map((w) => w.userId))}`);
    return found;
  };

  beforeAll(async () => {
    const db = env.db;
    n.g1 = env.ids.grid!;
    n.g2 = await nodeIdByName(db, '第二网格', env.ids.community);
    n.u1 = await firstNodeUnder(db, n.g1, 'unit');
    n.u2 = await firstNodeUnder(db, n.g2, 'unit');
    n.c2 = (
      await db.query<{ id: number }>(
        `SELECT id FROM org_nodes WHERE parent_id = $1 AND id <> $2 AND type IN ('community','village') ORDER BY id LIMIT 1`,
        [env.ids.street, env.ids.community],
      )
    )[0]!.id;
    n.g3 = await firstNodeUnder(db, n.c2, 'grid');
    u.wangge = Number((await db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'wangge'`))[0]!.id);
    const w2 = await buildUser(env, { role: 'grid_worker', nodeId: n.g2, displayName: '钱网格' });
    u.w2 = w2.id;
    worker2 = w2;
    const rule = await buildVisitRule(db, { tagId: await ensureTag(db, 'cov_test_tag') });
    const t = (o: Omit<Parameters<typeof buildVisitTask>[1], 'ruleId'>) => buildVisitTask(db, { ruleId: rule, ...o });

    // 第一网格, 张网格 (wangge):
    const t1 = await t({
      nodeId: n.u1,
      assigneeId: u.wangge,
      dueAt: '2025-03-12T10:00Z',
      status: 'done',
      doneAt: '2025-03-12T09:00Z',
    }); // week: on time
    await t({
      nodeId: n.u1,
      assigneeId: u.wangge,
      dueAt: '2025-03-12T10:00Z',
      status: 'done',
      doneAt: '2025-03-13T02:00Z',
    }); // week: late
    await t({ nodeId: n.u1, assigneeId: u.wangge, dueAt: '2025-03-14T10:00Z' }); // week: overdue
    await t({ nodeId: n.u1, assigneeId: u.wangge, dueAt: '2025-03-14T10:00Z', status: 'withdrawn' }); // nowhere
    await t({
      nodeId: n.u1,
      assigneeId: u.wangge,
      dueAt: '2025-03-16T15:59:59Z',
      status: 'done',
      doneAt: '2025-03-16T15:59:59Z',
    }); // week (Sunday 23:59:59 Shanghai): on time, done exactly at the deadline
    await t({ nodeId: n.u1, assigneeId: u.wangge, dueAt: '2025-03-16T16:00Z' }); // next week; month: overdue
    await t({
      nodeId: n.u1,
      assigneeId: u.wangge,
      dueAt: '2025-03-09T15:59Z',
      status: 'done',
      doneAt: '2025-03-09T10:00Z',
    }); // the week before; month: on time
    await t({ nodeId: n.u1, assigneeId: u.wangge, dueAt: '2099-06-10T10:00Z' }); // June 2099: required, not overdue
    // 第二网格: 钱网格 on time; one nobody is assigned to, overdue
    await t({
      nodeId: n.u2,
      assigneeId: u.w2,
      dueAt: '2025-03-11T10:00Z',
      status: 'done',
      doneAt: '2025-03-11T03:00Z',
    });
    await t({ nodeId: n.u2, assigneeId: null, dueAt: '2025-03-11T10:00Z' });
    // the street's other community: overdue, seen from the street only
    await t({ nodeId: n.g3, assigneeId: null, dueAt: '2025-03-13T10:00Z' });

    // visits in the week: 第一网格 2 (one an attempt), 第二网格 1; one after the week (month only)
    await buildVisit(db, { nodeId: n.u1, visitorId: u.wangge, visitedAt: '2025-03-12T09:00Z', taskId: t1 });
    await buildVisit(db, { nodeId: n.u1, visitorId: u.wangge, visitedAt: '2025-03-11T09:00Z', outcome: 'not_home' });
    await buildVisit(db, { nodeId: n.u2, visitorId: u.w2, visitedAt: '2025-03-11T03:00Z' });
    await buildVisit(db, { nodeId: n.u1, visitorId: u.wangge, visitedAt: '2025-03-20T03:00Z' });

    // households (户户到), relative to now
    const now = Date.now();
    const recent = new Date(now - MONTH_MS);
    const old = new Date(now - 8 * MONTH_MS);
    const household = async (key: string, nodeId: number, o: { name: string; status?: 'active' | 'moved_out' }) => {
      hh[key] = (await buildHousehold(env, { nodeId })).id;
      const r = await buildResident(env, {
        nodeId,
        name: o.name,
        householdId: hh[key],
        relation: 'head',
        status: o.status ?? 'active',
      });
      await db.query('UPDATE households SET head_resident_id = $2 WHERE id = $1', [hh[key], r.id]);
      return r.id;
    };
    await household('seen', n.u1, { name: '王一' });
    await buildVisit(db, { nodeId: n.u1, visitorId: u.wangge, visitedAt: recent, householdId: hh.seen });
    await household('old', n.u1, { name: '王二' });
    await buildVisit(db, { nodeId: n.u1, visitorId: u.wangge, visitedAt: old, householdId: hh.old });
    await household('attempt', n.u1, { name: '王三' });
    await buildVisit(db, {
      nodeId: n.u1,
      visitorId: u.wangge,
      visitedAt: recent,
      householdId: hh.attempt,
      outcome: 'not_home',
    });
    const member = await household('member', n.u1, { name: '王四' });
    await buildVisit(db, { nodeId: n.u1, visitorId: u.wangge, visitedAt: recent, residentId: member });
    await household('dissolved', n.u1, { name: '王五' });
    await db.query('UPDATE households SET dissolved_at = now() WHERE id = $1', [hh.dissolved]);
    await household('empty', n.u1, { name: '王六', status: 'moved_out' });
    await household('never', n.u2, { name: '李七' });
  });

  it('counts a community week per grid: on time, late, overdue; withdrawn and other weeks not counted', async () => {
    const c = await coverage('shequ', `nodeId=${env.ids.community}&${WEEK}`);
    expect(c).toMatchObject({
      nodeId: env.ids.community,
      period: 'week',
      from: '2025-03-10',
      to: '2025-03-16',
    });
    expect(c.rows.map((r) => r.nodeType)).toEqual(['grid', 'grid', 'grid', 'grid', 'grid']);
    expect(row(c, n.g1!)).toMatchObject({
      required: 4,
      doneOnTime: 2,
      doneLate: 1,
      overdue: 1,
      onTimeRate: 0.5,
      visits: 2,
      households: 4,
      householdsUnvisited: 2,
    });
    expect(row(c, n.g2!)).toMatchObject({
      required: 2,
      doneOnTime: 1,
      doneLate: 0,
      overdue: 1,
      onTimeRate: 0.5,
      visits: 1,
      households: 1,
      householdsUnvisited: 1,
    });
    const empty = c.rows.find((r) => r.nodeId !== n.g1 && r.nodeId !== n.g2)!;
    expect(empty).toMatchObject({ required: 0, onTimeRate: null, visits: 0, households: 0 });
    expect(c.totals).toEqual({
      required: 6,
      doneOnTime: 3,
      doneLate: 1,
      overdue: 2,
      onTimeRate: 0.5,
      visits: 3,
      households: 5,
      householdsUnvisited: 3,
    });
  });

  it('counts per worker, and tasks nobody is assigned to on a row of their own', async () => {
    const c = await coverage('shequ', `nodeId=${env.ids.community}&${WEEK}`);
    expect(worker(c, u.wangge!)).toEqual({
      userId: u.wangge,
      name: '张网格',
      required: 4,
      doneOnTime: 2,
      doneLate: 1,
      overdue: 1,
      onTimeRate: 0.5,
      visits: 2,
    });
    expect(worker(c, u.w2!)).toMatchObject({ name: '钱网格', required: 1, doneOnTime: 1, onTimeRate: 1, visits: 1 });
    expect(worker(c, null)).toMatchObject({ name: '（未分配）', required: 1, overdue: 1, onTimeRate: 0, visits: 0 });
    expect(c.workers.at(-1)!.userId).toBeNull();
  });

  it('a month holds every task due in it, and a future task is required but not overdue', async () => {
    const m = await coverage('shequ', `nodeId=${n.g1}&${MONTH}`);
    expect(m).toMatchObject({ from: '2025-03-01', to: '2025-03-31', rows: [] });
    expect(m.totals).toMatchObject({ required: 6, doneOnTime: 3, doneLate: 1, overdue: 2, onTimeRate: 0.5, visits: 3 });
    const future = await coverage('shequ', `nodeId=${n.g1}&period=month&at=2099-06-15`);
    expect(future.totals).toMatchObject({ required: 1, doneOnTime: 0, overdue: 0, onTimeRate: 0, visits: 0 });
  });

  it('N months decides which households count as unvisited', async () => {
    const twelve = await coverage('shequ', `nodeId=${env.ids.community}&${WEEK}&months=12`);
    expect(row(twelve, n.g1!).householdsUnvisited).toBe(1);
    const res = await env.as('shequ', { method: 'GET', url: `/api/visits/unvisited?nodeId=${n.g1}` });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as UnvisitedPage;
    expect(page.total).toBe(2);
    // never visited (a "not at home" attempt is no visit) first, then the longest ago
    expect(page.items.map((i) => i.householdId)).toEqual([hh.attempt, hh.old]);
    expect(page.items[0]).toMatchObject({ lastVisitedAt: null, members: 1 });
    expect(page.items[1]!.lastVisitedAt).not.toBeNull();
    expect(page.items[0]!.placeLabel).toContain('第一网格');
    const one = (
      await env.as('shequ', { method: 'GET', url: `/api/visits/unvisited?nodeId=${n.g1}&months=12` })
    ).json();
    expect(one).toMatchObject({ total: 1, items: [{ householdId: hh.attempt }] });
    const paged = (
      await env.as('shequ', { method: 'GET', url: `/api/visits/unvisited?nodeId=${n.g1}&pageSize=1&page=3` })
    ).json();
    expect(paged).toEqual({ items: [], total: 2 });
  });

  it('masks the head’s name unless the reader sees sensitive data there', async () => {
    const asWorker = (await env.as('wangge', { method: 'GET', url: '/api/visits/unvisited' })).json() as UnvisitedPage;
    const asAdmin = (
      await env.as('admin', { method: 'GET', url: `/api/visits/unvisited?nodeId=${n.g1}` })
    ).json() as UnvisitedPage;
    expect(asAdmin.items.map((i) => i.headName)).toEqual(['王三', '王二']);
    expect(asWorker.total).toBe(2);
    const shequ = (
      await env.as('shequ', { method: 'GET', url: `/api/visits/unvisited?nodeId=${n.g1}` })
    ).json() as UnvisitedPage;
    for (const p of [asWorker, shequ]) for (const i of p.items) expect(['王三', '王二', '王*']).toContain(i.headName);
  });

  it('a street sees its communities; a grid worker defaults to their grid and is refused the community', async () => {
    const s = await coverage('jiedao', WEEK);
    expect(s.nodeId).toBe(env.ids.street);
    expect(row(s, env.ids.community!)).toMatchObject({ required: 6, overdue: 2 });
    expect(row(s, n.c2!)).toMatchObject({ required: 1, overdue: 1 });
    expect(s.totals.required).toBe(7);
    const g = await coverage('wangge', WEEK);
    expect(g).toMatchObject({ nodeId: n.g1, rows: [] });
    expect(g.totals.required).toBe(4);
    const refused = await env.as('wangge', { method: 'GET', url: `/api/visits/coverage?nodeId=${env.ids.community}` });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ code: 'ORG_NODE_NOT_FOUND', field: 'nodeId' });
    const cookie = await newSession(env, worker2);
    const other = await env.as(null, {
      method: 'GET',
      url: `/api/visits/unvisited?nodeId=${n.g1}`,
      headers: { cookie },
    });
    expect(other.statusCode).toBe(404);
    const own = await env.as(null, { method: 'GET', url: '/api/visits/unvisited', headers: { cookie } });
    expect(own.json()).toMatchObject({ total: 1, items: [{ householdId: hh.never }] });
    const leader = await env.as('louzhang', { method: 'GET', url: '/api/visits/coverage' });
    expect(leader.statusCode).toBe(403);
    const bad = await env.as('shequ', { method: 'GET', url: '/api/visits/coverage?at=2025-02-30' });
    expect(bad.statusCode).toBe(400);
  });

  it('exports the same figures, the workers and the unvisited households with masked names', async () => {
    const res = await env.as('admin', {
      method: 'GET',
      url: `/api/visits/coverage/export?nodeId=${env.ids.community}&${WEEK}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const text = JSON.stringify(rows);
    expect(rows[1]).toEqual([
      '区域',
      '应访数',
      '按期完成',
      '逾期完成',
      '超期未访',
      '按期率(%)',
      '走访次数',
      '户数',
      '未走访户数',
    ]);
    expect(rows.find((r) => r[0] === '第一网格')).toEqual(['第一网格', 4, 2, 1, 1, 50, 2, 4, 2]);
    expect(rows.find((r) => r[0] === '合计')).toEqual(['合计', 6, 3, 1, 2, 50, 3, 5, 3]);
    expect(rows.find((r) => r[0] === '张网格')?.slice(0, 5)).toEqual(['张网格', 4, 2, 1, 1]);
    // the admin sees names on screen, the sheet masks them
    expect(text).toContain('王*');
    expect(text).not.toContain('王三');
    expect(text).not.toContain('李七');
    expect(text).toContain('从未走访');
  });
});
