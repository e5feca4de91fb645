import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import type { Queryable } from '../../platform/db/client.js';
import { buildDevice, buildRule, ensureDeviceType } from '../../test/devices-factories.js';
import { buildHousehold, buildResident, firstNodeUnder } from '../../test/people-factories.js';
import { describeEachDb } from '../../test/test-app.js';
import { until } from '../../test/until.js';
import { buildVisit, buildVisitRule, buildVisitTask } from '../../test/visits-factories.js';
import { refreshMetrics } from './metrics.service.js';

/** A Shanghai wall-clock time as an instant: '2026-03-05 10:00'. */
const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);

type Val = { num: number; den: number | null };

async function value(db: Queryable, kind: string, id: number, metric: string, start = '2026-03-01', pk = 'month') {
  const rows = await db.query<{ num: string; den: string | null }>(
    `SELECT num::text, den::text FROM metric_values
      WHERE period_kind = $1 AND period_start = $2 AND subject_kind = $3 AND subject_id = $4 AND metric = $5`,
    [pk, start, kind, id, metric],
  );
  const r = rows[0];
  return r ? ({ num: Number(r.num), den: r.den === null ? null : Number(r.den) } satisfies Val) : null;
}

async function userId(db: Queryable, username: string): Promise<number> {
  const rows = await db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]);
  return rows[0]!.id;
}

describeEachDb('metrics: refresh and API', (env) => {
  let g1: number;
  let g2: number;
  let community: number;
  let dept: number;
  let worker: number;
  let other: number;
  let seq = 0;

  async function insertCase(o: {
    node: number;
    dispatched: Date;
    closed?: Date;
    handled?: Date;
    due: Date;
    rework?: number;
    rating?: number;
    ratedAt?: Date;
    handler?: number;
    dept?: number;
    stage?: string;
  }): Promise<void> {
    seq++;
    const cat = await env.db.query<{ id: number }>('SELECT id FROM case_categories ORDER BY id LIMIT 1');
    await env.db.query(
      `INSERT INTO cases (county_id, case_no, category_id, stage, title, source, node_id, node_path, dispatched_at,
         handle_due_at, handled_at, closed_at, rework_count, rating, rated_at, handler_id, assignee_department_id,
         created_at)
       SELECT n.county_id, $2, $3, $4, '测试事件', 'worker', n.id, n.path, $5, $6, $7, $8, $9, $10, $11, $12, $13, $5
         FROM org_nodes n WHERE n.id = $1`,
      [
        o.node,
        `MT-${seq}-${Math.random().toString(36).slice(2, 6)}`,
        cat[0]!.id,
        o.stage ?? (o.closed ? 'closed' : 'handling'),
        o.dispatched,
        o.due,
        o.handled ?? null,
        o.closed ?? null,
        o.rework ?? 0,
        o.rating ?? null,
        o.ratedAt ?? null,
        o.handler ?? null,
        o.dept ?? null,
      ],
    );
  }

  beforeAll(async () => {
    const db = env.db;
    community = env.ids.community!;
    g1 = env.ids.grid!;
    g2 = await firstNodeUnder(db, community, 'grid', 1);
    worker = await userId(db, 'wangge');
    other = await userId(db, 'admin');
    const deptRows = await db.query<{ id: number }>(
      `INSERT INTO departments (county_id, node_id, node_path, name)
       SELECT county_id, id, path, '测试城管' FROM org_nodes WHERE id = $1 RETURNING id`,
      [env.ids.county],
    );
    dept = deptRows[0]!.id;

    // ---- cases (month 2026-03) ----
    // G1: c1 on time, rated 5; c2 closed 23:59 on the last day (counts), late, reworked, rated 3; c3 came in at 00:00
    // of April (not March); c4 came in February, still open, past its deadline at the end of March (overdue)
    await insertCase({
      node: env.ids.building!,
      dispatched: sh('2026-03-05 09:00'),
      handled: sh('2026-03-09 10:00'),
      closed: sh('2026-03-10 10:00'),
      due: sh('2026-03-12 18:00'),
      rating: 5,
      ratedAt: sh('2026-03-11 09:00'),
      handler: worker,
    });
    await insertCase({
      node: g1,
      dispatched: sh('2026-03-06 09:00'),
      closed: sh('2026-03-31 23:59'),
      due: sh('2026-03-20 18:00'),
      rework: 1,
      rating: 3,
      ratedAt: sh('2026-03-31 23:00'),
      handler: worker,
    });
    await insertCase({ node: g1, dispatched: sh('2026-04-01 00:00'), due: sh('2026-04-05 18:00'), handler: worker });
    await insertCase({ node: g1, dispatched: sh('2026-02-20 09:00'), due: sh('2026-03-15 18:00'), handler: worker });
    // G2: c5 on time (department); c6 came in 23:59 on Feb 28, closed March 1 after its deadline, rated 1 at 00:00
    await insertCase({
      node: g2,
      dispatched: sh('2026-03-02 09:00'),
      closed: sh('2026-03-03 09:00'),
      due: sh('2026-03-04 18:00'),
      dept,
    });
    await insertCase({
      node: g2,
      dispatched: sh('2026-02-28 23:59'),
      closed: sh('2026-03-01 12:00'),
      due: sh('2026-02-28 18:00'),
      rating: 1,
      ratedAt: sh('2026-03-01 00:00'),
      dept,
    });

    // ---- households, residents, visits (G1) ----
    const pe = { db, pii: env.pii };
    const unit = env.ids.unit!;
    const h1 = (await buildHousehold(pe, { nodeId: unit })).id;
    const h2 = (await buildHousehold(pe, { nodeId: unit })).id;
    const h3 = (await buildHousehold(pe, { nodeId: unit })).id;
    const h4 = (await buildHousehold(pe, { nodeId: unit })).id;
    await db.query(`UPDATE households SET created_at = '2025-01-01' WHERE id = ANY($1::bigint[])`, [[h1, h2, h3, h4]]);
    await db.query(`UPDATE households SET dissolved_at = $2 WHERE id = $1`, [h4, sh('2026-03-15 10:00')]);
    const r1 = (await buildResident(pe, { nodeId: unit, householdId: h2 })).id;
    const r2 = (await buildResident(pe, { nodeId: unit, householdId: h1 })).id;
    const r3 = (await buildResident(pe, { nodeId: unit, householdId: h3 })).id;
    const r4 = (await buildResident(pe, { nodeId: unit, householdId: h3 })).id;
    const r5 = (await buildResident(pe, { nodeId: unit, householdId: h3, status: 'moved_out' })).id;
    await db.query(
      `UPDATE residents SET created_at = '2025-01-01', updated_at = '2025-01-01' WHERE id = ANY($1::bigint[])`,
      [[r1, r2, r3, r4, r5]],
    );
    await db.query(`UPDATE residents SET updated_at = '2026-01-15' WHERE id = $1`, [r3]);
    await buildVisit(db, { visitorId: worker, householdId: h1, visitedAt: sh('2026-03-10 10:00') });
    await buildVisit(db, { visitorId: other, residentId: r1, visitedAt: sh('2026-03-20 10:00') });
    await buildVisit(db, { visitorId: worker, householdId: h3, visitedAt: sh('2026-04-02 10:00') });

    // ---- visit tasks (G1) ----
    const rule = (await buildVisitRule(db)).id;
    const task = (o: { due: string; status?: 'open' | 'done' | 'withdrawn'; done?: string; assignee?: number }) =>
      buildVisitTask(db, {
        ruleId: rule,
        householdId: h1,
        dueAt: sh(o.due),
        status: o.status ?? 'open',
        doneAt: o.done ? sh(o.done) : null,
        assigneeId: o.assignee ?? null,
      });
    await task({ due: '2026-03-10 18:00', status: 'done', done: '2026-03-09 10:00', assignee: worker });
    await task({ due: '2026-03-11 18:00', status: 'done', done: '2026-03-12 10:00', assignee: worker });
    await task({ due: '2026-03-12 18:00' });
    await task({ due: '2026-03-13 18:00', status: 'withdrawn' });
    await task({ due: '2026-04-02 18:00', status: 'done', done: '2026-04-01 10:00', assignee: worker });

    // ---- alarms (G1) ----
    const type = await ensureDeviceType(db, { code: 'mt_sos', events: [{ key: 'sos', nameZh: 'SOS', nameEn: 'SOS' }] });
    const ladder2 = await buildRule(db, {
      typeCode: type,
      code: 'mt_two',
      kind: 'event',
      params: { event: 'sos' },
      ladder: [
        { level: 'family', afterMin: 0 },
        { level: 'grid', afterMin: 10 },
      ],
    });
    const ladder1 = await buildRule(db, {
      typeCode: type,
      code: 'mt_one',
      kind: 'event',
      params: { event: 'sos' },
      ladder: [{ level: 'family', afterMin: 0 }],
    });
    const device = await buildDevice(db, { typeCode: type, nodeId: env.ids.building! });
    const alarm = async (ruleId: number, first: string, ackMin: number | null, by: number) => {
      const at = sh(first);
      const ack = ackMin === null ? null : new Date(at.getTime() + ackMin * 60_000);
      await db.query(
        `INSERT INTO alarms (county_id, node_id, node_path, device_id, rule_id, kind, severity, status, first_at,
           last_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, outcome)
         SELECT d.county_id, d.node_id, d.node_path, d.id, $2, 'event', 'major', $6, $3, $3, $4, $5,
                CASE WHEN $6 = 'resolved' THEN $4::timestamptz END, CASE WHEN $6 = 'resolved' THEN $5::bigint END,
                CASE WHEN $6 = 'resolved' THEN 'person_safe' END
           FROM devices d WHERE d.id = $1`,
        [device.id, ruleId, at, ack, ack === null ? null : by, ack === null ? 'active' : 'resolved'],
      );
    };
    await alarm(ladder2, '2026-03-05 10:00', 5, worker); // in time (before the second step at 10 min)
    await alarm(ladder2, '2026-03-06 10:00', 15, worker); // late
    await alarm(ladder1, '2026-03-07 10:00', 25, other); // one step: 30 minutes
    await alarm(ladder2, '2026-04-01 10:00', null, worker); // April

    // ---- activities, time bank (the community, G2) ----
    const activity = async (node: number, start: string, end: string, status: string) => {
      const rows = await db.query<{ id: number }>(
        `INSERT INTO activities (county_id, node_id, node_path, title, activity_type, place, starts_at, ends_at,
           checkin_secret, status)
         SELECT county_id, id, path, '测试活动', 'cleanup', '广场', $2, $3, 'secret', $4 FROM org_nodes WHERE id = $1
         RETURNING id`,
        [node, sh(start), sh(end), status],
      );
      return rows[0]!.id;
    };
    const a1 = await activity(community, '2026-03-15 09:00', '2026-03-15 11:00', 'ended');
    await activity(g2, '2026-03-20 09:00', '2026-03-20 11:00', 'cancelled');
    await db.query(
      `INSERT INTO activity_signups (activity_id, resident_id, status) VALUES ($1, $2, 'attended'), ($1, $3, 'attended'),
         ($1, $4, 'no_show')`,
      [a1, r1, r2, r3],
    );
    const g2r1 = (await buildResident(pe, { nodeId: g2 })).id;
    const g2r2 = (await buildResident(pe, { nodeId: g2 })).id;
    await db.query(
      `INSERT INTO timebank_services (county_id, node_id, node_path, volunteer_resident_id, recipient_resident_id,
         service_type, served_at, minutes, status, recorded_by)
       SELECT county_id, id, path, $2::bigint, $3::bigint, 'walking', $4::timestamptz, 90, 'confirmed', $6::bigint
         FROM org_nodes WHERE id = $1
       UNION ALL
       SELECT county_id, id, path, $2::bigint, $3::bigint, 'walking', $5::timestamptz, 60, 'pending', $6::bigint
         FROM org_nodes WHERE id = $1`,
      [g2, g2r1, g2r2, sh('2026-03-10 10:00'), sh('2026-03-11 10:00'), other],
    );

    // ---- points (G1): 100 earned, 50 awarded and reversed, a February 20 reversed in March, April's not counted --
    const account = async (kind: string, node: number, residentId: number | null) => {
      if (kind === 'issuer') {
        const found = await db.query<{ id: number }>(
          `SELECT id FROM ledger_accounts WHERE kind = 'issuer' AND community_id = $1 AND currency = 'points'`,
          [community],
        );
        if (found[0]) return found[0].id;
      }
      const rows = await db.query<{ id: number }>(
        `INSERT INTO ledger_accounts (county_id, community_id, node_id, node_path, kind, currency, resident_id,
           min_balance)
         SELECT county_id, $2, id, path, $3, 'points', $4, CASE WHEN $3 = 'issuer' THEN NULL ELSE 0 END
           FROM org_nodes WHERE id = $1 RETURNING id`,
        [node, community, kind, residentId],
      );
      return rows[0]!.id;
    };
    const issuer = await account('issuer', community, null);
    const acc1 = await account('resident', unit, r1);
    const acc3 = await account('resident', unit, r3);
    const transfer = async (kind: string, amount: number, from: number, to: number, at: string, reverses?: number) => {
      const rows = await db.query<{ id: number }>(
        `INSERT INTO ledger_transfers (county_id, currency, kind, amount, from_account_id, to_account_id, reason,
           reverses_id, created_at)
         VALUES ($1, 'points', $2, $3, $4, $5, '测试', $6, $7) RETURNING id`,
        [env.ids.county, kind, amount, from, to, reverses ?? null, sh(at)],
      );
      return rows[0]!.id;
    };
    await transfer('earn', 100, issuer, acc1, '2026-03-05 10:00');
    const award = await transfer('adjust', 50, issuer, acc3, '2026-03-06 10:00');
    await transfer('reverse', 50, acc3, issuer, '2026-03-07 10:00', award);
    const feb = await transfer('earn', 20, issuer, acc1, '2026-02-10 10:00');
    await transfer('reverse', 20, acc1, issuer, '2026-03-03 10:00', feb);
    await transfer('earn', 30, issuer, acc1, '2026-04-02 10:00');

    await refreshMetrics(env.db, { periodKind: 'month', periodStart: '2026-03-01' });
  });

  it('computes every case metric per grid, with the period edges in Shanghai time', async () => {
    const db = env.db;
    expect(await value(db, 'node', g1, 'cases_received')).toEqual({ num: 2, den: null });
    expect(await value(db, 'node', g1, 'cases_closed')).toEqual({ num: 2, den: null });
    expect(await value(db, 'node', g1, 'cases_on_time_rate')).toEqual({ num: 1, den: 2 });
    expect(await value(db, 'node', g1, 'cases_overdue')).toEqual({ num: 1, den: null });
    expect(await value(db, 'node', g1, 'cases_rework_rate')).toEqual({ num: 1, den: 2 });
    expect(await value(db, 'node', g1, 'cases_satisfaction')).toEqual({ num: 8, den: 2 });
    expect(await value(db, 'node', g2, 'cases_received')).toEqual({ num: 1, den: null });
    expect(await value(db, 'node', g2, 'cases_closed')).toEqual({ num: 2, den: null });
    expect(await value(db, 'node', g2, 'cases_on_time_rate')).toEqual({ num: 1, den: 2 });
    expect(await value(db, 'node', g2, 'cases_overdue')).toEqual({ num: 0, den: null });
    expect(await value(db, 'node', g2, 'cases_rework_rate')).toEqual({ num: 0, den: 2 });
    expect(await value(db, 'node', g2, 'cases_satisfaction')).toEqual({ num: 1, den: 1 });
    // April: the case that came in at 00:00 on April 1 is April's
    await refreshMetrics(env.db, { periodKind: 'month', periodStart: '2026-04-01' });
    expect(await value(db, 'node', g1, 'cases_received', '2026-04-01')).toEqual({ num: 1, den: null });
    expect(await value(db, 'node', g1, 'cases_closed', '2026-04-01')).toEqual({ num: 0, den: null });
  });

  it('rolls communities up as sums of num and den (a rate is Σnum/Σden, not a mean of rates)', async () => {
    const db = env.db;
    expect(await value(db, 'node', community, 'cases_received')).toEqual({ num: 3, den: null });
    expect(await value(db, 'node', community, 'cases_closed')).toEqual({ num: 4, den: null });
    expect(await value(db, 'node', community, 'cases_on_time_rate')).toEqual({ num: 2, den: 4 });
    // mean of the grids' averages would be (4 + 1) / 2 = 2.5; the community's is 9 / 3 = 3
    expect(await value(db, 'node', community, 'cases_satisfaction')).toEqual({ num: 9, den: 3 });
    const street = await value(db, 'node', env.ids.street!, 'cases_closed');
    const county = await value(db, 'node', env.ids.county!, 'cases_closed');
    expect(street).toEqual({ num: 4, den: null });
    expect(county).toEqual({ num: 4, den: null });
    // a grid where nothing happened still has its counts (0), and no rate
    const g3 = await firstNodeUnder(db, community, 'grid', 2);
    expect(await value(db, 'node', g3, 'cases_closed')).toEqual({ num: 0, den: null });
    expect(await value(db, 'node', g3, 'cases_on_time_rate')).toBeNull();
  });

  it('computes visits, coverage, alarms, freshness, volunteering and points', async () => {
    const db = env.db;
    expect(await value(db, 'node', g1, 'visits_on_time_rate')).toEqual({ num: 1, den: 3 });
    expect(await value(db, 'node', g1, 'household_coverage')).toEqual({ num: 2, den: 3 });
    expect(await value(db, 'node', g1, 'alarms_ack_rate')).toEqual({ num: 2, den: 3 });
    expect(await value(db, 'node', g1, 'data_freshness')).toEqual({ num: 3, den: 4 });
    expect(await value(db, 'node', community, 'activities_held')).toEqual({ num: 1, den: null });
    expect(await value(db, 'node', g2, 'activities_held')).toEqual({ num: 0, den: null });
    expect(await value(db, 'node', g2, 'volunteer_hours')).toEqual({ num: 1.5, den: null });
    expect(await value(db, 'node', community, 'volunteer_hours')).toEqual({ num: 5.5, den: null });
    expect(await value(db, 'node', g1, 'points_issued')).toEqual({ num: 80, den: null });
    expect(await value(db, 'node', community, 'points_issued')).toEqual({ num: 80, den: null });
  });

  it('computes workers (handler, assignee, visitor, acknowledger) and departments', async () => {
    const db = env.db;
    expect(await value(db, 'user', worker, 'cases_received')).toEqual({ num: 2, den: null });
    expect(await value(db, 'user', worker, 'cases_closed')).toEqual({ num: 2, den: null });
    expect(await value(db, 'user', worker, 'cases_overdue')).toEqual({ num: 1, den: null });
    expect(await value(db, 'user', worker, 'visits_on_time_rate')).toEqual({ num: 1, den: 2 });
    expect(await value(db, 'user', worker, 'household_coverage')).toEqual({ num: 1, den: 3 });
    expect(await value(db, 'user', worker, 'alarms_ack_rate')).toEqual({ num: 1, den: 2 });
    expect(await value(db, 'department', dept, 'cases_received')).toEqual({ num: 1, den: null });
    expect(await value(db, 'department', dept, 'cases_on_time_rate')).toEqual({ num: 1, den: 2 });
    // the admin is no grid worker: no subject rows
    expect(await value(db, 'user', other, 'cases_closed')).toBeNull();
    const path = await db.query<{ node_path: string }>(
      `SELECT node_path FROM metric_values WHERE subject_kind = 'user' AND subject_id = $1 LIMIT 1`,
      [worker],
    );
    const g1Path = await db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [g1]);
    expect(path[0]!.node_path).toBe(g1Path[0]!.path);
  });

  it('computes a week, and records each refresh', async () => {
    await refreshMetrics(env.db, { periodKind: 'week', periodStart: '2026-03-09' });
    // c1 closed on Tuesday March 10, c5 on March 3 (the week before)
    expect(await value(env.db, 'node', community, 'cases_closed', '2026-03-09', 'week')).toEqual({ num: 1, den: null });
    const r = await env.db.query<{ rows: number }>(
      `SELECT rows FROM metric_refreshes WHERE period_kind = 'week' AND period_start = '2026-03-09' AND county_id = $1`,
      [env.ids.county],
    );
    expect(r[0]!.rows).toBeGreaterThan(0);
    await expect(refreshMetrics(env.db, { periodKind: 'week', periodStart: '2026-03-10' })).rejects.toMatchObject({
      code: 'METRICS_PERIOD_INVALID',
    });
  });

  it('answers the table of a node with its children and links, within scope', async () => {
    const q = `periodKind=month&periodStart=2026-03-01&metrics=cases_received,cases_satisfaction`;
    const res = await env.as('shequ', { method: 'GET', url: `/api/metrics?${q}&nodeId=${community}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.self.figures).toEqual([
      expect.objectContaining({
        metric: 'cases_received',
        num: 3,
        value: 3,
        link: expect.stringContaining(`nodeId=${community}`),
      }),
      expect.objectContaining({ metric: 'cases_satisfaction', num: 9, den: 3, value: 3, link: null }),
    ]);
    const g1Row = body.children.find((c: { subjectId: number }) => c.subjectId === g1);
    expect(g1Row.figures[0]).toMatchObject({ num: 2, link: `/cases?nodeId=${g1}&from=2026-03-01&to=2026-03-31` });
    expect(body.refreshedAt).not.toBeNull();

    // the grid worker: their grid (with its workers as children), not the next grid, not the community
    const own = await env.as('wangge', { method: 'GET', url: `/api/metrics?${q}&nodeId=${g1}` });
    expect(own.statusCode).toBe(200);
    expect(own.json().children.map((c: { subjectId: number }) => c.subjectId)).toContain(worker);
    const next = await env.as('wangge', { method: 'GET', url: `/api/metrics?${q}&nodeId=${g2}` });
    expect(next.statusCode).toBe(404);
    const up = await env.as('wangge', { method: 'GET', url: `/api/metrics?${q}&nodeId=${community}` });
    expect(up.statusCode).toBe(404);
    const bad = await env.as('shequ', { method: 'GET', url: `/api/metrics?periodKind=month&periodStart=2026-03-02` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('METRICS_PERIOD_INVALID');
    const unknown = await env.as('shequ', { method: 'GET', url: `/api/metrics?${q},nope` });
    expect(unknown.json()).toMatchObject({ code: 'METRICS_METRIC_UNKNOWN', field: 'metrics' });
  });

  it('answers a history, the catalogue and the refreshes; exports the table', async () => {
    const h = await env.as('wangge', {
      method: 'GET',
      url: `/api/metrics/history?subjectKind=node&subjectId=${g1}&metric=cases_closed&periodKind=month&periodStart=2026-04-01&count=3`,
    });
    expect(h.statusCode).toBe(200);
    expect(h.json().points.map((p: { periodStart: string; value: number | null }) => [p.periodStart, p.value])).toEqual(
      [
        ['2026-02-01', null],
        ['2026-03-01', 2],
        ['2026-04-01', 0],
      ],
    );
    const hidden = await env.as('wangge', {
      method: 'GET',
      url: `/api/metrics/history?subjectKind=node&subjectId=${g2}&metric=cases_closed&periodKind=month`,
    });
    expect(hidden.statusCode).toBe(404);
    const cat = await env.as('wangge', { method: 'GET', url: '/api/metrics/catalogue' });
    expect(cat.json().items).toHaveLength(13);
    expect(cat.json().items[0]).toMatchObject({ code: 'cases_received', kind: 'count', label: '受理事件数' });
    const refs = await env.as('shequ', { method: 'GET', url: '/api/metrics/refreshes' });
    expect(refs.json().items.some((r: { periodStart: string }) => r.periodStart === '2026-03-01')).toBe(true);

    const x = await env.as('shequ', {
      method: 'GET',
      url: `/api/metrics/export?periodKind=month&periodStart=2026-03-01&nodeId=${community}&metrics=cases_closed,cases_on_time_rate`,
    });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const total = rows.find((r) => String(r[0]).includes('合计'));
    expect(total).toEqual([expect.stringContaining('东关社区'), 4, 50]);
  });

  it('recomputes a period on demand for an installation administrator only', async () => {
    const body = { periodKind: 'quarter', periodStart: '2026-01-01' };
    const denied = await env.as('shequ', { method: 'POST', url: '/api/metrics/refresh', payload: body });
    expect(denied.statusCode).toBe(403);
    expect(await value(env.db, 'node', g1, 'cases_closed', '2026-01-01', 'quarter')).toBeNull();
    const bad = await env.as('admin', {
      method: 'POST',
      url: '/api/metrics/refresh',
      payload: { periodKind: 'quarter', periodStart: '2026-02-01' },
    });
    expect(bad.json()).toMatchObject({ code: 'METRICS_PERIOD_INVALID', field: 'periodStart' });
    const ok = await env.as('admin', { method: 'POST', url: '/api/metrics/refresh', payload: body });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ periodKind: 'quarter', periodStart: '2026-01-01', rows: expect.any(Number) });
    // Q1: c1, c2 (March) in G1
    expect(await value(env.db, 'node', g1, 'cases_closed', '2026-01-01', 'quarter')).toEqual({ num: 2, den: null });
    const audit = await env.db.query(`SELECT target_id FROM audit_log WHERE action = 'metrics.refresh'`);
    expect(audit).toEqual([{ target_id: 'quarter:2026-01-01' }]);
  });

  it('the job metrics.refresh computes the period it is sent', async () => {
    await env.jobs.send('metrics.refresh', { periodKind: 'month', periodStart: '2026-02-01' });
    await until(
      async () => (await value(env.db, 'node', g2, 'cases_received', '2026-02-01')) !== null,
      'the job metrics.refresh',
    );
    // c6 came in at 23:59 on February 28 (Shanghai): February's
    expect(await value(env.db, 'node', g2, 'cases_received', '2026-02-01')).toEqual({ num: 1, den: null });
  }, 60_000);
});
