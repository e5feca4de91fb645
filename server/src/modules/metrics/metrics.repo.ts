/**
 * Metrics: the set-based SQL that computes metric_values for one period (one statement per metric family, never
 * per grid), and the reads of the API. Only this file holds the module's SQL.
 *
 * How a record finds its node: every node maps to its reporting unit (`mv_unit`): the deepest node among itself
 * and its ancestors that is a grid, community, village, street, town or county (a micro-grid, building or unit
 * rolls into its grid). Figures are computed per unit (`mv_part`), then each node's row is the sum of num and den
 * over the units at or below it — a rate is Σnum/Σden, never a mean of rates.
 */
import type { Queryable, Tx } from '../../platform/db/client.js';
import { METRICS, type MetricCode, type PeriodKind } from './metrics.catalogue.js';

export const UNIT_TYPES = "('grid', 'community', 'village', 'street', 'town', 'county')";

export type RefreshParams = {
  periodKind: PeriodKind;
  periodStart: string;
  /** [from, to) of the period, ISO instants. */
  from: string;
  to: string;
  /** Start of the 6 months before the period end (data_freshness), ISO instant. */
  freshFrom: string;
  countyId: number | null;
};

export const FAMILIES = [
  'units',
  'cases',
  'visit_tasks',
  'coverage',
  'alarms',
  'freshness',
  'volunteering',
  'points',
  'write',
] as const;
export type Family = (typeof FAMILIES)[number];

const COUNT_METRICS = (Object.keys(METRICS) as MetricCode[]).filter((c) => METRICS[c].kind === 'count');
const sqlList = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');

/** Serialises refreshes (delete + insert of the same keys) across servers. */
export async function lockRefresh(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('linli.metrics.refresh'))`);
}

// $1 from, $2 to, $3 county (nullable); further params per statement.
const P = `$1::timestamptz`;
const E = `$2::timestamptz`;

/** Temporary tables for the refresh (dropped at commit). */
export async function prepareUnits(tx: Tx, p: RefreshParams): Promise<void> {
  await tx.exec(`
    CREATE TEMP TABLE mv_unit (node_id bigint PRIMARY KEY, unit_id bigint NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE mv_worker (user_id bigint PRIMARY KEY, grid_id bigint NOT NULL, county_id bigint NOT NULL,
      path text NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE mv_part (metric text NOT NULL, unit_id bigint NOT NULL, num numeric NOT NULL, den numeric)
      ON COMMIT DROP;
    CREATE TEMP TABLE mv_subj (subject_kind text NOT NULL, subject_id bigint NOT NULL, metric text NOT NULL,
      num numeric NOT NULL, den numeric) ON COMMIT DROP;
    CREATE TEMP TABLE mv_visited (household_id bigint NOT NULL, visitor_id bigint NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE mv_fresh (resident_id bigint, household_id bigint) ON COMMIT DROP;
    CREATE TEMP TABLE mv_cases (node_id bigint NOT NULL, handler_id bigint, department_id bigint,
      received boolean NOT NULL, closed boolean NOT NULL, on_time boolean NOT NULL, rework boolean NOT NULL,
      overdue boolean NOT NULL, rated boolean NOT NULL, rating smallint) ON COMMIT DROP;`);
  await tx.query(
    `INSERT INTO mv_unit (node_id, unit_id)
     SELECT n.id, u.id
       FROM org_nodes n
       CROSS JOIN LATERAL (
         SELECT a.id
           FROM unnest(string_to_array(trim(BOTH '/' FROM n.path), '/')) WITH ORDINALITY AS s (seg, ord)
           JOIN org_nodes a ON a.id = s.seg::bigint
          WHERE a.type IN ${UNIT_TYPES}
          ORDER BY s.ord DESC
          LIMIT 1) u
      WHERE $1::bigint IS NULL OR n.county_id = $1::bigint`,
    [p.countyId],
  );
  await tx.exec('ANALYZE mv_unit');
  // A grid worker's grid: their first grid_worker post at a grid (or a micro-grid, which rolls into its grid).
  await tx.query(
    `INSERT INTO mv_worker (user_id, grid_id, county_id, path)
     SELECT DISTINCT ON (po.user_id) po.user_id, g.id, g.county_id, g.path
       FROM posts po
       JOIN mv_unit u ON u.node_id = po.node_id
       JOIN org_nodes g ON g.id = u.unit_id AND g.type = 'grid' AND g.status = 'active'
      WHERE po.role = 'grid_worker'
      ORDER BY po.user_id, po.id`,
  );
  await tx.exec('ANALYZE mv_worker');
  // Zero rows for counts: every active reporting node, worker and department has its counts, even when nothing
  // happened (an assessment item reads 0, not "missing").
  await tx.query(
    `INSERT INTO mv_part (metric, unit_id, num, den)
     SELECT m.metric, n.id, 0, NULL::numeric
       FROM org_nodes n CROSS JOIN unnest(ARRAY[${sqlList(COUNT_METRICS)}]) AS m (metric)
      WHERE n.type IN ${UNIT_TYPES} AND n.status = 'active' AND ($1::bigint IS NULL OR n.county_id = $1::bigint)`,
    [p.countyId],
  );
  const userCounts = COUNT_METRICS.filter((c) => (METRICS[c].subjects as readonly string[]).includes('user'));
  const deptCounts = COUNT_METRICS.filter((c) => (METRICS[c].subjects as readonly string[]).includes('department'));
  await tx.query(
    `INSERT INTO mv_subj (subject_kind, subject_id, metric, num, den)
     SELECT 'user', w.user_id, m.metric, 0, NULL::numeric FROM mv_worker w CROSS JOIN unnest(ARRAY[${sqlList(userCounts)}]) AS m (metric)
     UNION ALL
     SELECT 'department', d.id, m.metric, 0, NULL::numeric
       FROM departments d CROSS JOIN unnest(ARRAY[${sqlList(deptCounts)}]) AS m (metric)
      WHERE d.active AND ($1::bigint IS NULL OR d.county_id = $1::bigint)`,
    [p.countyId],
  );
}

/**
 * The cases that count in the period, read once from `cases` (one scan) with what they count for; the node, worker
 * and department figures aggregate this smaller table.
 */
async function collectCases(tx: Tx, p: RefreshParams): Promise<void> {
  const closed = `c.closed_at >= ${P} AND c.closed_at < ${E}`;
  const overdue = `c.created_at < ${E} AND c.handle_due_at < ${E} AND (c.closed_at IS NULL OR c.closed_at >= ${E})
        AND c.stage NOT IN ('cancelled', 'merged')`;
  const rated = `c.rating IS NOT NULL AND c.rated_at >= ${P} AND c.rated_at < ${E}`;
  await tx.query(
    `INSERT INTO mv_cases (node_id, handler_id, department_id, received, closed, on_time, rework, overdue, rated,
       rating)
     SELECT c.node_id, c.handler_id, c.assignee_department_id,
            COALESCE(c.dispatched_at >= ${P} AND c.dispatched_at < ${E}, false),
            COALESCE(${closed}, false),
            COALESCE(${closed} AND (c.handle_due_at IS NULL OR COALESCE(c.handled_at, c.closed_at) <= c.handle_due_at),
              false),
            COALESCE(${closed} AND c.rework_count > 0, false),
            COALESCE(${overdue}, false),
            COALESCE(${rated}, false),
            c.rating
       FROM cases c
      WHERE (c.dispatched_at >= ${P} AND c.dispatched_at < ${E}) OR (${closed}) OR (${rated}) OR (${overdue})`,
    [p.from, p.to],
  );
  await tx.exec('ANALYZE mv_cases');
}

/** The cases aggregate for one subject: `subject` is the grouping expression, `join` ties cases to it. */
function casesAggregate(subject: string, join: string): string {
  return `
    SELECT ${subject} AS subject_id,
      count(*) FILTER (WHERE c.received) AS received,
      count(*) FILTER (WHERE c.closed) AS closed,
      count(*) FILTER (WHERE c.on_time) AS on_time,
      count(*) FILTER (WHERE c.rework) AS rework,
      count(*) FILTER (WHERE c.overdue) AS overdue,
      count(*) FILTER (WHERE c.rated) AS rated,
      COALESCE(sum(c.rating) FILTER (WHERE c.rated), 0) AS rating_sum
    FROM mv_cases c ${join}
    GROUP BY 1`;
}

const CASES_UNPIVOT = `
  CROSS JOIN LATERAL (VALUES
    ('cases_received', x.received::numeric, NULL::numeric),
    ('cases_closed', x.closed, NULL),
    ('cases_on_time_rate', x.on_time, x.closed),
    ('cases_overdue', x.overdue, NULL),
    ('cases_rework_rate', x.rework, x.closed),
    ('cases_satisfaction', x.rating_sum, x.rated)) AS m (metric, num, den)
  WHERE m.den IS NULL OR m.den > 0`;

export async function computeCases(tx: Tx, p: RefreshParams): Promise<void> {
  await collectCases(tx, p);
  await tx.query(
    `INSERT INTO mv_part (metric, unit_id, num, den)
     SELECT m.metric, x.subject_id, m.num, m.den
       FROM (${casesAggregate('u.unit_id', 'JOIN mv_unit u ON u.node_id = c.node_id')}) x ${CASES_UNPIVOT}`,
  );
  await tx.query(
    `INSERT INTO mv_subj (subject_kind, subject_id, metric, num, den)
     SELECT 'user', x.subject_id, m.metric, m.num, m.den
       FROM (${casesAggregate('w.user_id', 'JOIN mv_worker w ON w.user_id = c.handler_id')}) x ${CASES_UNPIVOT}`,
  );
  await tx.query(
    `INSERT INTO mv_subj (subject_kind, subject_id, metric, num, den)
     SELECT 'department', x.subject_id, m.metric, m.num, m.den
       FROM (${casesAggregate(
         'd.id',
         'JOIN departments d ON d.id = c.department_id AND ($1::bigint IS NULL OR d.county_id = $1::bigint)',
       )}) x ${CASES_UNPIVOT}`,
    [p.countyId],
  );
}

/** visits_on_time_rate: visit tasks due in the period (not withdrawn), done by their due time. */
export async function computeVisitTasks(tx: Queryable, p: RefreshParams): Promise<void> {
  const agg = (subject: string, join: string) => `
    SELECT ${subject} AS subject_id,
      count(*) FILTER (WHERE t.status = 'done' AND t.done_at <= t.due_at) AS num, count(*) AS den
    FROM visit_tasks t ${join}
    WHERE t.due_at >= ${P} AND t.due_at < ${E} AND t.status <> 'withdrawn'
    GROUP BY 1`;
  await tx.query(
    `INSERT INTO mv_part (metric, unit_id, num, den)
     SELECT 'visits_on_time_rate', x.subject_id, x.num, x.den
       FROM (${agg('u.unit_id', 'JOIN mv_unit u ON u.node_id = t.node_id')}) x`,
    [p.from, p.to],
  );
  await tx.query(
    `INSERT INTO mv_subj (subject_kind, subject_id, metric, num, den)
     SELECT 'user', x.subject_id, 'visits_on_time_rate', x.num, x.den
       FROM (${agg('w.user_id', 'JOIN mv_worker w ON w.user_id = t.assignee_id')}) x`,
    [p.from, p.to],
  );
}

/**
 * household_coverage: living households (created before the period end, not dissolved by then) with a visit in
 * the period (to the household, or to one of its members) ÷ living households. A worker: the households of their
 * grid they visited themselves ÷ the living households of their grid.
 */
export async function computeCoverage(tx: Queryable, p: RefreshParams): Promise<void> {
  await tx.query(
    `INSERT INTO mv_visited (household_id, visitor_id)
     SELECT DISTINCT COALESCE(v.household_id, r.household_id) AS household_id, v.visitor_id
       FROM visits v LEFT JOIN residents r ON r.id = v.resident_id
      WHERE v.visited_at >= ${P} AND v.visited_at < ${E} AND COALESCE(v.household_id, r.household_id) IS NOT NULL`,
    [p.from, p.to],
  );
  const living = `h.created_at < $1::timestamptz AND (h.dissolved_at IS NULL OR h.dissolved_at >= $1::timestamptz)`;
  await tx.query(
    `INSERT INTO mv_part (metric, unit_id, num, den)
     SELECT 'household_coverage', u.unit_id, count(vv.household_id), count(*)
       FROM households h
       JOIN mv_unit u ON u.node_id = h.node_id
       LEFT JOIN (SELECT DISTINCT household_id FROM mv_visited) vv ON vv.household_id = h.id
      WHERE ${living}
      GROUP BY u.unit_id`,
    [p.to],
  );
  await tx.query(
    `INSERT INTO mv_subj (subject_kind, subject_id, metric, num, den)
     SELECT 'user', w.user_id, 'household_coverage', count(vv.household_id), count(*)
       FROM mv_worker w
       JOIN mv_unit u ON u.unit_id = w.grid_id
       JOIN households h ON h.node_id = u.node_id
       LEFT JOIN mv_visited vv ON vv.household_id = h.id AND vv.visitor_id = w.user_id
      WHERE ${living}
      GROUP BY w.user_id`,
    [p.to],
  );
}

/**
 * alarms_ack_rate: alarms raised in the period, acknowledged (or resolved by a person) before the ladder's second
 * step was due — `ladder[1].afterMin` minutes after the alarm was raised, i.e. while only the first level had been
 * told — or within 30 minutes when the rule's ladder has a single step. A worker: among the alarms raised in the
 * period that they acknowledged, the share acknowledged in time.
 */
export async function computeAlarms(tx: Queryable, p: RefreshParams): Promise<void> {
  const inTime = `COALESCE(a.acknowledged_at, CASE WHEN a.outcome <> 'auto_cleared' THEN a.resolved_at END)
      <= a.first_at + make_interval(mins => COALESCE((r.ladder -> 1 ->> 'afterMin')::int, 30))`;
  await tx.query(
    `INSERT INTO mv_part (metric, unit_id, num, den)
     SELECT 'alarms_ack_rate', u.unit_id, count(*) FILTER (WHERE ${inTime}), count(*)
       FROM alarms a
       JOIN device_rules r ON r.id = a.rule_id
       JOIN mv_unit u ON u.node_id = a.node_id
      WHERE a.first_at >= ${P} AND a.first_at < ${E}
      GROUP BY u.unit_id`,
    [p.from, p.to],
  );
  await tx.query(
    `INSERT INTO mv_subj (subject_kind, subject_id, metric, num, den)
     SELECT 'user', w.user_id, 'alarms_ack_rate', count(*) FILTER (WHERE ${inTime}), count(*)
       FROM alarms a
       JOIN device_rules r ON r.id = a.rule_id
       JOIN mv_worker w ON w.user_id = a.acknowledged_by
      WHERE a.first_at >= ${P} AND a.first_at < ${E}
      GROUP BY w.user_id`,
    [p.from, p.to],
  );
}

/**
 * data_freshness: residents living at the period end (status active, recorded before the end) whose record was
 * changed (updated_at) or who — or whose household — was visited in the 6 months before the period end ÷ those
 * residents.
 */
export async function computeFreshness(tx: Queryable, p: RefreshParams): Promise<void> {
  await tx.query(
    `INSERT INTO mv_fresh (resident_id, household_id)
     SELECT DISTINCT v.resident_id AS resident_id, v.household_id AS household_id
       FROM visits v
      WHERE v.visited_at >= $1::timestamptz AND v.visited_at < $2::timestamptz`,
    [p.freshFrom, p.to],
  );
  await tx.query(
    `INSERT INTO mv_part (metric, unit_id, num, den)
     SELECT 'data_freshness', u.unit_id,
            count(*) FILTER (WHERE (r.updated_at >= $1::timestamptz AND r.updated_at < $2::timestamptz)
              OR EXISTS (SELECT 1 FROM mv_fresh f WHERE f.resident_id = r.id)
              OR (r.household_id IS NOT NULL AND EXISTS (SELECT 1 FROM mv_fresh f WHERE f.household_id = r.household_id))),
            count(*)
       FROM residents r
       JOIN mv_unit u ON u.node_id = r.node_id
      WHERE r.status = 'active' AND r.created_at < $2::timestamptz
      GROUP BY u.unit_id`,
    [p.freshFrom, p.to],
  );
}

/**
 * activities_held: activities (not cancelled) that ended in the period, at their node. volunteer_hours: for those
 * activities, their length in hours times the sign-ups marked attended, plus confirmed time-bank services served
 * in the period (minutes / 60), at the service's node.
 */
export async function computeVolunteering(tx: Queryable, p: RefreshParams): Promise<void> {
  await tx.query(
    `INSERT INTO mv_part (metric, unit_id, num, den)
     SELECT 'activities_held', u.unit_id, count(*), NULL::numeric
       FROM activities a JOIN mv_unit u ON u.node_id = a.node_id
      WHERE a.ends_at >= ${P} AND a.ends_at < ${E} AND a.status <> 'cancelled'
      GROUP BY u.unit_id
     UNION ALL
     SELECT 'volunteer_hours', u.unit_id, sum(extract(epoch FROM a.ends_at - a.starts_at) / 3600), NULL::numeric
       FROM activities a
       JOIN activity_signups s ON s.activity_id = a.id AND s.status = 'attended'
       JOIN mv_unit u ON u.node_id = a.node_id
      WHERE a.ends_at >= ${P} AND a.ends_at < ${E} AND a.status <> 'cancelled'
      GROUP BY u.unit_id
     UNION ALL
     SELECT 'volunteer_hours', u.unit_id, sum(t.minutes)::numeric / 60, NULL::numeric
       FROM timebank_services t JOIN mv_unit u ON u.node_id = t.node_id
      WHERE t.status = 'confirmed' AND t.served_at >= ${P} AND t.served_at < ${E}
      GROUP BY u.unit_id`,
    [p.from, p.to],
  );
}

/**
 * points_issued: points transferred in the period from a community's issuer account to a resident's or a
 * household's account (any kind but a reversal), minus the reversals made in the period of such transfers; at the
 * receiving account's node.
 */
export async function computePoints(tx: Queryable, p: RefreshParams): Promise<void> {
  await tx.query(
    `INSERT INTO mv_part (metric, unit_id, num, den)
     SELECT 'points_issued', u.unit_id, sum(CASE WHEN t.kind = 'reverse' THEN -o.amount ELSE t.amount END), NULL::numeric
       FROM ledger_transfers t
       LEFT JOIN ledger_transfers o ON t.kind = 'reverse' AND o.id = t.reverses_id
       JOIN ledger_accounts fa ON fa.id = CASE WHEN t.kind = 'reverse' THEN o.from_account_id ELSE t.from_account_id END
       JOIN ledger_accounts ta ON ta.id = CASE WHEN t.kind = 'reverse' THEN o.to_account_id ELSE t.to_account_id END
       JOIN mv_unit u ON u.node_id = ta.node_id
      WHERE t.currency = 'points' AND t.created_at >= ${P} AND t.created_at < ${E}
        AND fa.kind = 'issuer' AND ta.kind IN ('resident', 'household')
        AND (t.kind <> 'reverse' OR o.kind <> 'reverse')
      GROUP BY u.unit_id`,
    [p.from, p.to],
  );
}

/** Replaces the period's rows: nodes rolled up from the units, workers and departments as computed. */
export async function writeValues(tx: Tx, p: RefreshParams): Promise<number> {
  await tx.exec('ANALYZE mv_part; ANALYZE mv_subj');
  await tx.query(
    `DELETE FROM metric_values
      WHERE period_kind = $1 AND period_start = $2::date AND ($3::bigint IS NULL OR county_id = $3::bigint)`,
    [p.periodKind, p.periodStart, p.countyId],
  );
  const nodes = await tx.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO metric_values (period_kind, period_start, subject_kind, subject_id, metric, county_id, node_path,
                                  num, den)
       SELECT $1, $2::date, 'node', a.id, mp.metric, a.county_id, a.path, sum(mp.num), sum(mp.den)
         FROM mv_part mp
         JOIN org_nodes un ON un.id = mp.unit_id
         CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM un.path), '/')) AS s (seg)
         JOIN org_nodes a ON a.id = s.seg::bigint AND a.type IN ${UNIT_TYPES}
        GROUP BY a.id, a.county_id, a.path, mp.metric
       HAVING bool_and(mp.den IS NULL) OR sum(mp.den) > 0
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [p.periodKind, p.periodStart],
  );
  const subjects = await tx.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO metric_values (period_kind, period_start, subject_kind, subject_id, metric, county_id, node_path,
                                  num, den)
       SELECT $1, $2::date, s.subject_kind, s.subject_id, s.metric, COALESCE(w.county_id, d.county_id),
              COALESCE(w.path, d.node_path), sum(s.num), sum(s.den)
         FROM mv_subj s
         LEFT JOIN mv_worker w ON s.subject_kind = 'user' AND w.user_id = s.subject_id
         LEFT JOIN departments d ON s.subject_kind = 'department' AND d.id = s.subject_id
        WHERE COALESCE(w.path, d.node_path) IS NOT NULL
        GROUP BY s.subject_kind, s.subject_id, s.metric, COALESCE(w.county_id, d.county_id), COALESCE(w.path, d.node_path)
       HAVING bool_and(s.den IS NULL) OR sum(s.den) > 0
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [p.periodKind, p.periodStart],
  );
  return (nodes[0]?.n ?? 0) + (subjects[0]?.n ?? 0);
}

/** Records the refresh per county (the rows written for it, the whole refresh's duration). */
export async function recordRefresh(tx: Queryable, p: RefreshParams, millis: number): Promise<void> {
  await tx.query(
    `INSERT INTO metric_refreshes (period_kind, period_start, county_id, refreshed_at, rows, millis)
     SELECT $1, $2::date, c.id, now(),
            (SELECT count(*) FROM metric_values v
              WHERE v.period_kind = $1 AND v.period_start = $2::date AND v.county_id = c.id), $4
       FROM org_nodes c
      WHERE c.type = 'county' AND ($3::bigint IS NULL OR c.id = $3::bigint)
     ON CONFLICT (period_kind, period_start, county_id)
       DO UPDATE SET refreshed_at = EXCLUDED.refreshed_at, rows = EXCLUDED.rows, millis = EXCLUDED.millis`,
    [p.periodKind, p.periodStart, p.countyId, millis],
  );
}

// ---- reads ------------------------------------------------------------------------------------------------------

export type ValueRow = {
  subject_kind: 'node' | 'user' | 'department';
  subject_id: number;
  metric: string;
  node_path: string;
  num: string;
  den: string | null;
};

export type NodeBrief = { id: number; name: string; type: string; path: string; county_id: number; status: string };

export async function findNode(q: Queryable, id: number): Promise<NodeBrief | undefined> {
  const rows = await q.query<NodeBrief>('SELECT id, name, type, path, county_id, status FROM org_nodes WHERE id = $1', [
    id,
  ]);
  return rows[0];
}

/** The nodes of the path (root first), for the breadcrumb. */
export async function pathNodes(q: Queryable, path: string): Promise<NodeBrief[]> {
  return q.query<NodeBrief>(
    `SELECT n.id, n.name, n.type, n.path, n.county_id, n.status
       FROM unnest(string_to_array(trim(BOTH '/' FROM $1), '/')) WITH ORDINALITY AS s (seg, ord)
       JOIN org_nodes n ON n.id = s.seg::bigint
      ORDER BY s.ord`,
    [path],
  );
}

/** The active reporting children of a node (grids, communities …), by name. */
export async function childUnits(q: Queryable, parentId: number): Promise<NodeBrief[]> {
  return q.query<NodeBrief>(
    `SELECT id, name, type, path, county_id, status FROM org_nodes
      WHERE parent_id = $1 AND status = 'active' AND type IN ${UNIT_TYPES}
      ORDER BY name, id`,
    [parentId],
  );
}

/** Grid workers of a grid (a post at the grid or a micro-grid under it). */
export async function gridWorkers(q: Queryable, gridPath: string): Promise<{ id: number; name: string }[]> {
  return q.query(
    `SELECT DISTINCT u.id, u.display_name AS name
       FROM posts po JOIN org_nodes n ON n.id = po.node_id JOIN users u ON u.id = po.user_id
      WHERE po.role = 'grid_worker' AND n.path LIKE $1 || '%'
      ORDER BY u.display_name, u.id`,
    [gridPath],
  );
}

export async function valuesFor(
  q: Queryable,
  a: { periodKind: PeriodKind; periodStart: string; kind: 'node' | 'user'; ids: number[]; metrics: string[] },
): Promise<ValueRow[]> {
  if (a.ids.length === 0) return [];
  return q.query<ValueRow>(
    `SELECT subject_kind, subject_id, metric, node_path, num::text, den::text
       FROM metric_values
      WHERE period_kind = $1 AND period_start = $2::date AND subject_kind = $3
        AND subject_id = ANY($4::bigint[]) AND metric = ANY($5::text[])`,
    [a.periodKind, a.periodStart, a.kind, a.ids, a.metrics],
  );
}

export async function history(
  q: Queryable,
  a: { periodKind: PeriodKind; starts: string[]; kind: string; id: number; metric: string },
): Promise<(ValueRow & { period_start: string })[]> {
  return q.query(
    `SELECT subject_kind, subject_id, metric, node_path, num::text, den::text, to_char(period_start, 'YYYY-MM-DD') AS period_start
       FROM metric_values
      WHERE period_kind = $1 AND period_start = ANY($2::date[]) AND subject_kind = $3 AND subject_id = $4
        AND metric = $5`,
    [a.periodKind, a.starts, a.kind, a.id, a.metric],
  );
}

/** Where a user or department subject sits (their rows' node_path), for scope. */
export async function subjectPath(
  q: Queryable,
  kind: 'user' | 'department',
  id: number,
): Promise<{ path: string; name: string } | undefined> {
  if (kind === 'department') {
    const rows = await q.query<{ path: string; name: string }>(
      'SELECT node_path AS path, name FROM departments WHERE id = $1',
      [id],
    );
    return rows[0];
  }
  const rows = await q.query<{ path: string; name: string }>(
    `SELECT n.path, u.display_name AS name
       FROM posts po JOIN org_nodes n ON n.id = po.node_id JOIN users u ON u.id = po.user_id
      WHERE po.user_id = $1 AND po.role = 'grid_worker'
      ORDER BY po.id LIMIT 1`,
    [id],
  );
  return rows[0];
}

export type RefreshRow = {
  period_kind: PeriodKind;
  period_start: string;
  county_id: number;
  county_name: string;
  refreshed_at: Date;
  rows: number;
  millis: number;
};

export async function listRefreshes(q: Queryable, countyIds: number[] | null, limit: number): Promise<RefreshRow[]> {
  return q.query<RefreshRow>(
    `SELECT r.period_kind, to_char(r.period_start, 'YYYY-MM-DD') AS period_start, r.county_id, c.name AS county_name,
            r.refreshed_at, r.rows, r.millis
       FROM metric_refreshes r JOIN org_nodes c ON c.id = r.county_id
      WHERE $1::bigint[] IS NULL OR r.county_id = ANY($1::bigint[])
      ORDER BY r.refreshed_at DESC, r.period_kind, r.period_start DESC
      LIMIT $2`,
    [countyIds, limit],
  );
}

export async function lastRefresh(
  q: Queryable,
  periodKind: PeriodKind,
  periodStart: string,
  countyId: number,
): Promise<Date | null> {
  const rows = await q.query<{ at: Date }>(
    `SELECT refreshed_at AS at FROM metric_refreshes
      WHERE period_kind = $1 AND period_start = $2::date AND county_id = $3`,
    [periodKind, periodStart, countyId],
  );
  return rows[0]?.at ?? null;
}
