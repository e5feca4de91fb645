import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { nodeIdByName } from '../../test/factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import type { CaseStats, CaseStatsItem } from './cases.stats.schemas.js';

/**
 * Case statistics against hand-built cases and whistles (rows written directly, so that every timestamp is
 * chosen). Period: March and April 2025 in Shanghai = [2025-02-28T16:00Z, 2025-04-30T16:00Z). Each case
 * notes which figures it adds to; the expected numbers below are counted by hand from these notes.
 */

type CaseRow = {
  no: string;
  grid: 'g1' | 'g2' | 'g3' | 'gOut';
  cat: 'A' | 'A1' | 'B';
  stage: string;
  created: string;
  dispatched?: string;
  due?: string;
  handled?: string;
  closed?: string;
  rework?: number;
  supervision?: number;
  rating?: number;
  rated?: string;
};

const CASES: CaseRow[] = [
  // received Mar, opened, due Mar, closed on time, closed Mar, rated 5 (Mar)
  {
    no: 'c1',
    grid: 'g1',
    cat: 'A1',
    stage: 'closed',
    created: '2025-03-02T02:00Z',
    dispatched: '2025-03-02T03:00Z',
    due: '2025-03-05T02:00Z',
    handled: '2025-03-04T02:00Z',
    closed: '2025-03-06T02:00Z',
    rating: 5,
    rated: '2025-03-07T02:00Z',
  },
  // received Mar, opened, supervised, due Mar, overdue (handled late), closed Apr, rework, rated 3 (Apr)
  {
    no: 'c2',
    grid: 'g1',
    cat: 'A1',
    stage: 'closed',
    created: '2025-03-10T02:00Z',
    dispatched: '2025-03-10T03:00Z',
    due: '2025-03-12T02:00Z',
    handled: '2025-03-15T02:00Z',
    closed: '2025-04-01T02:00Z',
    rework: 1,
    supervision: 2,
    rating: 3,
    rated: '2025-04-02T02:00Z',
  },
  // received Mar, opened, due Apr, overdue (never handled)
  {
    no: 'c3',
    grid: 'g2',
    cat: 'B',
    stage: 'whistled',
    created: '2025-03-20T02:00Z',
    dispatched: '2025-03-20T03:00Z',
    due: '2025-04-10T02:00Z',
  },
  // received Apr only
  { no: 'c4', grid: 'g2', cat: 'B', stage: 'reported', created: '2025-04-05T02:00Z' },
  // received Apr, cancelled: not opened
  { no: 'c5', grid: 'g1', cat: 'A', stage: 'cancelled', created: '2025-04-06T02:00Z' },
  // reported 2025-02-28 23:00 Shanghai (February: not received); due 2025-03-01 09:00 Shanghai (March), handled
  // before it, closed 2025-03-01 11:00 Shanghai: due, closed on time, closed
  {
    no: 'c6',
    grid: 'g1',
    cat: 'A1',
    stage: 'closed',
    created: '2025-02-28T15:00Z',
    dispatched: '2025-02-28T15:30Z',
    due: '2025-03-01T01:00Z',
    handled: '2025-02-28T20:00Z',
    closed: '2025-03-01T03:00Z',
  },
  // reported 2025-05-01 01:00 Shanghai: outside the period, counts nowhere
  { no: 'c7', grid: 'g1', cat: 'A1', stage: 'reported', created: '2025-04-30T17:00Z' },
  // received Mar; merged: neither opened nor due
  {
    no: 'c10',
    grid: 'g1',
    cat: 'A1',
    stage: 'merged',
    created: '2025-03-11T02:00Z',
    dispatched: '2025-03-11T03:00Z',
    due: '2025-03-20T02:00Z',
  },
  // received Apr, opened, supervised (a 'supervise' event, mark since cleared), due Apr, handled on time, not closed
  {
    no: 'c11',
    grid: 'g2',
    cat: 'B',
    stage: 'handled',
    created: '2025-04-07T02:00Z',
    dispatched: '2025-04-07T03:00Z',
    due: '2025-04-09T02:00Z',
    handled: '2025-04-08T02:00Z',
  },
  // another community of the street (the street sees it, 东关社区 does not): received Mar
  { no: 'c8', grid: 'g3', cat: 'A', stage: 'reported', created: '2025-03-03T02:00Z' },
  // another street: only county-wide callers
  { no: 'c9', grid: 'gOut', cat: 'A', stage: 'reported', created: '2025-03-03T02:00Z' },
];

const PERIOD = 'from=2025-03-01&to=2025-04-30';

describeEachDb('case statistics', (env: TestEnv) => {
  const g: Record<string, { id: number; path: string }> = {};
  const cat: Record<string, number> = {};
  const caseId: Record<string, number> = {};
  const dept: Record<string, number> = {};

  const get = async (user: string, query: string) => {
    const res = await env.as(user, { method: 'GET', url: `/api/cases/stats?${query}` });
    return res;
  };
  const stats = async (user: string, query: string): Promise<CaseStats> => {
    const res = await get(user, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CaseStats;
  };
  const item = (s: CaseStats, key: string | number): CaseStatsItem => {
    const found = s.items.find((i) => i.key === String(key));
    if (!found) throw new Error(`no item ${key} in ${JSON.stringify(s.items.map((i) => i.key))}`);
    return found;
  };

  beforeAll(async () => {
    const db = env.db;
    const nodeOf = async (id: number) =>
      (await db.query<{ id: number; path: string }>('SELECT id, path FROM org_nodes WHERE id = $1', [id]))[0]!;
    g.g1 = await nodeOf(env.ids.grid!);
    g.g2 = await nodeOf(await nodeIdByName(db, '第二网格', env.ids.community));
    // The street's second community, and a grid of another street.
    const other = (
      await db.query<{ id: number }>(
        `SELECT id FROM org_nodes WHERE parent_id = $1 AND id <> $2 AND type IN ('community','village') ORDER BY id LIMIT 1`,
        [env.ids.street, env.ids.community],
      )
    )[0]!.id;
    g.g3 = await nodeOf(await nodeIdByName(db, '第一网格', other));
    const otherStreet = (
      await db.query<{ id: number }>(
        `SELECT id FROM org_nodes WHERE parent_id = $1 AND id <> $2 AND type IN ('street','town') ORDER BY id LIMIT 1`,
        [env.ids.county, env.ids.street],
      )
    )[0]!.id;
    g.gOut = (
      await db.query<{ id: number; path: string }>(
        `SELECT id, path FROM org_nodes WHERE type = 'grid' AND path LIKE (SELECT path FROM org_nodes WHERE id = $1) || '%' ORDER BY id LIMIT 1`,
        [otherStreet],
      )
    )[0]!;
    const addCat = async (code: string, name: string, parent: number | null, sort: number) =>
      (
        await db.query<{ id: number }>(
          `INSERT INTO case_categories (parent_id, code, name_zh, name_en, sort) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [parent, code, name, `${code} en`, sort],
        )
      )[0]!.id;
    cat.A = await addCat('stats_A', '统计大类甲', null, -20);
    cat.A1 = await addCat('stats_A1', '统计小类甲一', cat.A, 0);
    cat.B = await addCat('stats_B', '统计大类乙', null, -10);
    for (const c of CASES) {
      const node = g[c.grid]!;
      caseId[c.no] = (
        await db.query<{ id: number }>(
          `INSERT INTO cases (county_id, case_no, category_id, stage, title, source, node_id, node_path,
             created_at, dispatched_at, handle_due_at, handled_at, closed_at, rework_count, supervision, rating, rated_at)
           VALUES ($1, $2, $3, $4, '测试', 'worker', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
          [
            env.ids.county,
            `STATS-${c.no}`,
            cat[c.cat],
            c.stage,
            node.id,
            node.path,
            c.created,
            c.dispatched ?? null,
            c.due ?? null,
            c.handled ?? null,
            c.closed ?? null,
            c.rework ?? 0,
            c.supervision ?? 0,
            c.rating ?? null,
            c.rated ?? null,
          ],
        )
      )[0]!.id;
    }
    await db.query(
      `INSERT INTO case_events (county_id, case_id, at, action, data) VALUES ($1, $2, '2025-04-08T09:00Z', 'supervise', '{"level":1}')`,
      [env.ids.county, caseId.c11],
    );
    const streetPath = (await nodeOf(env.ids.street!)).path;
    for (const name of ['统计甲部门', '统计乙部门']) {
      dept[name] = (
        await db.query<{ id: number }>(
          `INSERT INTO departments (county_id, node_id, node_path, name) VALUES ($1, $2, $3, $4) RETURNING id`,
          [env.ids.county, env.ids.street, streetPath, name],
        )
      )[0]!.id;
    }
    const whistle = async (
      c: string,
      d: string,
      w: { status: string; at: string; due: string; accepted?: string; reported?: string },
    ) =>
      db.query(
        `INSERT INTO case_whistles (county_id, case_id, department_id, status, whistled_at, due_at, accepted_at, reported_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [env.ids.county, caseId[c], dept[d], w.status, w.at, w.due, w.accepted ?? null, w.reported ?? null],
      );
    // 甲: c3 reported on time, c11 reported late (c11 is supervised); 乙: c3 still pending past its deadline.
    await whistle('c3', '统计甲部门', {
      status: 'reported',
      at: '2025-03-21T02:00Z',
      due: '2025-03-25T02:00Z',
      accepted: '2025-03-21T05:00Z',
      reported: '2025-03-24T02:00Z',
    });
    await whistle('c3', '统计乙部门', { status: 'pending', at: '2025-03-21T02:00Z', due: '2025-03-25T02:00Z' });
    await whistle('c11', '统计甲部门', {
      status: 'reported',
      at: '2025-04-07T04:00Z',
      due: '2025-04-08T02:00Z',
      accepted: '2025-04-07T05:00Z',
      reported: '2025-04-09T02:00Z',
    });
  });

  const COMMUNITY_TOTALS = {
    received: 7,
    opened: 4,
    due: 5,
    closed: 3,
    closedOnTime: 2,
    onTimeRate: 0.4,
    rework: 1,
    overdue: 2,
    supervised: 2,
    ratingCount: 2,
    satisfaction: 4,
  };

  it('counts each grid of a community, with empty grids listed and totals over all', async () => {
    const s = await stats('shequ', `groupBy=grid&${PERIOD}`);
    expect(s).toMatchObject({ groupBy: 'grid', from: '2025-03-01', to: '2025-04-30' });
    expect(item(s, g.g1!.id)).toEqual({
      key: String(g.g1!.id),
      label: '东关社区 第一网格',
      received: 4,
      opened: 2,
      due: 3,
      closed: 3,
      closedOnTime: 2,
      onTimeRate: 0.6667,
      rework: 1,
      overdue: 1,
      supervised: 1,
      ratingCount: 2,
      satisfaction: 4,
    });
    expect(item(s, g.g2!.id)).toEqual({
      key: String(g.g2!.id),
      label: '东关社区 第二网格',
      received: 3,
      opened: 2,
      due: 2,
      closed: 0,
      closedOnTime: 0,
      onTimeRate: 0,
      rework: 0,
      overdue: 1,
      supervised: 1,
      ratingCount: 0,
      satisfaction: null,
    });
    // Five grids in 东关社区, the other three empty; nothing from the other community or street.
    expect(s.items).toHaveLength(5);
    expect(s.items.filter((i) => i.received === 0 && i.due === 0)).toHaveLength(3);
    expect(s.items.find((i) => i.key === String(g.g3!.id))).toBeUndefined();
    expect(s.totals).toEqual(COMMUNITY_TOTALS);
  });

  it('counts by month, each figure in the month of its own timestamp (Shanghai time)', async () => {
    const s = await stats('shequ', `groupBy=month&${PERIOD}`);
    expect(s.items.map((i) => i.key)).toEqual(['2025-03', '2025-04']);
    expect(item(s, '2025-03')).toMatchObject({
      received: 4,
      opened: 3,
      due: 3,
      closed: 2,
      closedOnTime: 2,
      onTimeRate: 0.6667,
      rework: 0,
      overdue: 1,
      supervised: 1,
      ratingCount: 1,
      satisfaction: 5,
    });
    expect(item(s, '2025-04')).toMatchObject({
      received: 3,
      opened: 1,
      due: 2,
      closed: 1,
      closedOnTime: 0,
      onTimeRate: 0,
      rework: 1,
      overdue: 1,
      supervised: 1,
      ratingCount: 1,
      satisfaction: 3,
    });
    expect(s.totals).toEqual(COMMUNITY_TOTALS);
    // One Shanghai day: 2025-03-01 holds c6's deadline (09:00) and closing (11:00), not its report.
    const day = await stats('shequ', 'groupBy=month&from=2025-03-01&to=2025-03-01');
    expect(day.totals).toMatchObject({ received: 0, due: 1, closed: 1, closedOnTime: 1, onTimeRate: 1 });
    // February 28 (Shanghai) holds c6's report at 23:00, not March 1.
    const feb = await stats('shequ', 'groupBy=month&from=2025-02-28&to=2025-02-28');
    expect(feb.totals).toMatchObject({ received: 1, opened: 1, due: 0 });
  });

  it('counts by root category (a child category folds into its 大类)', async () => {
    const s = await stats('shequ', `groupBy=category&${PERIOD}`);
    expect(item(s, cat.A!)).toMatchObject({
      label: '统计大类甲',
      received: 4,
      opened: 2,
      due: 3,
      closed: 3,
      closedOnTime: 2,
      overdue: 1,
      rework: 1,
      supervised: 1,
      satisfaction: 4,
    });
    expect(item(s, cat.B!)).toMatchObject({ label: '统计大类乙', received: 3, opened: 2, due: 2, overdue: 1 });
    expect(s.items.find((i) => i.key === String(cat.A1))).toBeUndefined();
    expect(s.totals).toEqual(COMMUNITY_TOTALS);
  });

  it('counts by community for the street, without other streets', async () => {
    const s = await stats('jiedao', `groupBy=community&${PERIOD}`);
    expect(item(s, env.ids.community!)).toMatchObject({ label: '东关社区', ...COMMUNITY_TOTALS });
    const c3Community = s.items.find((i) => i.received === 1 && i.key !== String(env.ids.community));
    expect(c3Community).toBeDefined();
    expect(s.totals.received).toBe(8);
    // The system administrator sees the other street's case too.
    const county = await stats('admin', `groupBy=community&${PERIOD}`);
    expect(county.totals.received).toBe(9);
  });

  it('counts departments from their whistles, ranked, with their on-time rate', async () => {
    const s = await stats('jiedao', `groupBy=department&${PERIOD}`);
    expect(s.items).toEqual([
      {
        key: String(dept.统计甲部门),
        label: '统计甲部门',
        received: 2,
        opened: 2,
        due: 2,
        closed: 2,
        closedOnTime: 1,
        onTimeRate: 0.5,
        rework: 0,
        overdue: 1,
        supervised: 1,
        ratingCount: 0,
        satisfaction: null,
      },
      {
        key: String(dept.统计乙部门),
        label: '统计乙部门',
        received: 1,
        opened: 0,
        due: 1,
        closed: 0,
        closedOnTime: 0,
        onTimeRate: 0,
        rework: 0,
        overdue: 1,
        supervised: 0,
        ratingCount: 0,
        satisfaction: null,
      },
    ]);
    expect(s.totals).toMatchObject({ received: 3, due: 3, closedOnTime: 1, onTimeRate: 0.3333 });
  });

  it('narrows to a node inside the scope', async () => {
    const s = await stats('shequ', `groupBy=grid&${PERIOD}&nodeId=${g.g2!.id}`);
    expect(s.items.map((i) => i.key)).toEqual([String(g.g2!.id)]);
    expect(s.totals).toMatchObject({ received: 3, due: 2, overdue: 1 });
  });

  it('refuses callers without cases.stats, nodes outside the scope and bad periods (a positive control beside)', async () => {
    expect((await get('shequ', `groupBy=grid&${PERIOD}`)).statusCode).toBe(200);
    const noPerm = await get('wangge', `groupBy=grid&${PERIOD}`);
    expect(noPerm.statusCode).toBe(403);
    expect(noPerm.json()).toMatchObject({ code: 'FORBIDDEN' });
    const outside = await get('shequ', `groupBy=grid&${PERIOD}&nodeId=${g.g3!.id}`);
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ code: 'ORG_NODE_NOT_FOUND', field: 'nodeId' });
    const order = await get('shequ', 'groupBy=grid&from=2025-05-01&to=2025-04-30');
    expect(order.statusCode).toBe(400);
    expect(order.json()).toMatchObject({ code: 'CASE_STATS_PERIOD_INVALID', field: 'to' });
    const day = await get('shequ', 'groupBy=grid&from=2025-02-30&to=2025-04-30');
    expect(day.json()).toMatchObject({ code: 'CASE_STATS_PERIOD_INVALID', field: 'from' });
    const long = await get('shequ', 'groupBy=grid&from=2010-01-01&to=2025-04-30');
    expect(long.json()).toMatchObject({ code: 'CASE_STATS_PERIOD_INVALID', field: 'from' });
    const group = await get('shequ', 'groupBy=building');
    expect(group.statusCode).toBe(400);
    expect(group.json()).toMatchObject({ field: 'groupBy' });
  });

  it('exports the same figures to Excel with a total row', async () => {
    const res = await env.as('shequ', { method: 'GET', url: `/api/cases/stats.xlsx?groupBy=grid&${PERIOD}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('事件统计（按网格）');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    const row = (n: number) => Array.from({ length: 12 }, (_, i) => ws.getRow(n).getCell(i + 1).value ?? null);
    expect(String(ws.getRow(1).getCell(1).value)).toContain('期间：2025-03-01 至 2025-04-30');
    expect(row(2)).toEqual([
      '网格',
      '受理数',
      '立案数',
      '应结案数',
      '结案数',
      '按期结案数',
      '按期结案率(%)',
      '返工数',
      '超期数',
      '督办数',
      '评价数',
      '满意度(1-5)',
    ]);
    const rows = Array.from({ length: ws.rowCount - 2 }, (_, i) => row(i + 3));
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r[0] === '东关社区 第一网格')).toEqual([
      '东关社区 第一网格',
      4,
      2,
      3,
      3,
      2,
      66.7,
      1,
      1,
      1,
      2,
      4,
    ]);
    // An empty grid: no rate, no satisfaction (empty cells).
    expect(rows.find((r) => r[0] === '东关社区 第三网格')).toEqual([
      '东关社区 第三网格',
      0,
      0,
      0,
      0,
      0,
      null,
      0,
      0,
      0,
      0,
      null,
    ]);
    expect(rows.at(-1)).toEqual(['合计', 7, 4, 5, 3, 2, 40, 1, 2, 2, 2, 4]);
    const refused = await env.as('wangge', { method: 'GET', url: `/api/cases/stats.xlsx?groupBy=grid&${PERIOD}` });
    expect(refused.statusCode).toBe(403);
  });
});
