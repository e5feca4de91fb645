import { isValidPath, type Scope, scopeSql } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/client.js';
import type { StatsRaw } from './cases.stats.logic.js';

/**
 * The SQL of case statistics. Each case (or whistle) is looked at once per cohort it may belong to (a LATERAL
 * list of (cohort, timestamp)), the timestamp is checked against the period, and the cohorts' figures are
 * counted with FILTER — one pass over the cases in scope. Definitions: docs/architecture.md, “Case statistics”.
 */

export type StatsFilter = {
  scope: Scope;
  /** A subtree the request narrows to (already checked against the scope). */
  areaPath: string | null;
  start: Date;
  end: Date;
  /** "Now" for overdue (still not handled past the deadline). */
  now: Date;
};

type RawRow = {
  dim: string | null;
  month: string | null;
  received: number;
  opened: number;
  due: number;
  closed: number;
  closed_on_time: number;
  rework: number;
  overdue: number;
  supervised: number;
  rating_count: number;
  rating_sum: number;
};

function toRaw(r: RawRow): StatsRaw {
  return {
    dim: r.dim,
    month: r.month,
    received: r.received,
    opened: r.opened,
    due: r.due,
    closed: r.closed,
    closedOnTime: r.closed_on_time,
    rework: r.rework,
    overdue: r.overdue,
    supervised: r.supervised,
    ratingCount: r.rating_count,
    ratingSum: r.rating_sum,
  };
}

function whereSql(f: StatsFilter, column: string): string {
  const parts = [scopeSql(f.scope, column)];
  if (f.areaPath !== null) {
    if (!isValidPath(f.areaPath)) throw new Error(`invalid area path ${f.areaPath}`);
    parts.push(`${column} LIKE '${f.areaPath}%'`);
  }
  return parts.join(' AND ');
}

const SUPERVISED = `(c.supervision > 0 OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'supervise'))`;
const MONTH = `to_char(k.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;

/**
 * Counts per raw dimension: `path` (the case's node path; the service folds paths into grids or communities),
 * `category` (the case's category id) or `none`; per Shanghai month of each cohort's timestamp when `byMonth`.
 */
export async function countCases(
  q: Queryable,
  f: StatsFilter,
  dim: 'path' | 'category' | 'none',
  byMonth: boolean,
): Promise<StatsRaw[]> {
  const dimSql = dim === 'path' ? 'c.node_path' : dim === 'category' ? 'c.category_id::text' : 'NULL::text';
  const rows = await q.query<RawRow>(
    `SELECT ${dimSql} AS dim, ${byMonth ? MONTH : 'NULL::text'} AS month,
       count(*) FILTER (WHERE k.k = 'r')::int AS received,
       count(*) FILTER (WHERE k.k = 'r' AND c.dispatched_at IS NOT NULL AND c.stage NOT IN ('cancelled', 'merged'))::int AS opened,
       count(*) FILTER (WHERE k.k = 'r' AND ${SUPERVISED})::int AS supervised,
       count(*) FILTER (WHERE k.k = 'd')::int AS due,
       count(*) FILTER (WHERE k.k = 'd' AND c.stage = 'closed' AND c.handled_at <= c.handle_due_at)::int AS closed_on_time,
       count(*) FILTER (WHERE k.k = 'd' AND coalesce(c.handled_at, $3) > c.handle_due_at)::int AS overdue,
       count(*) FILTER (WHERE k.k = 'c')::int AS closed,
       count(*) FILTER (WHERE k.k = 'c' AND c.rework_count > 0)::int AS rework,
       count(*) FILTER (WHERE k.k = 's')::int AS rating_count,
       coalesce(sum(c.rating) FILTER (WHERE k.k = 's'), 0)::int AS rating_sum
       FROM cases c
       CROSS JOIN LATERAL (VALUES
         ('r', c.created_at),
         ('d', CASE WHEN c.stage NOT IN ('cancelled', 'merged') THEN c.handle_due_at END),
         ('c', CASE WHEN c.stage = 'closed' THEN c.closed_at END),
         ('s', CASE WHEN c.rating IS NOT NULL THEN c.rated_at END)
       ) AS k(k, at)
      WHERE ${whereSql(f, 'c.node_path')} AND k.at >= $1 AND k.at < $2
      GROUP BY 1, 2`,
    [f.start, f.end, f.now],
  );
  return rows.map(toRaw);
}

/**
 * Counts per department from the whistles (吹哨) of cases in scope: received = whistled in the period, opened =
 * of those accepted (签收), due = due in the period and not returned, closedOnTime = of those reported back by
 * the deadline, overdue = of those reported late or still open past it, closed = reported back in the period,
 * rework = of those whose case was sent back, supervised = whistled in the period on a supervised case,
 * ratings = cases rated in the period that the department reported back on.
 */
export async function countWhistles(q: Queryable, f: StatsFilter): Promise<StatsRaw[]> {
  const rows = await q.query<RawRow>(
    `SELECT w.department_id::text AS dim, NULL::text AS month,
       count(*) FILTER (WHERE k.k = 'r')::int AS received,
       count(*) FILTER (WHERE k.k = 'r' AND w.accepted_at IS NOT NULL AND w.status <> 'returned')::int AS opened,
       count(*) FILTER (WHERE k.k = 'r' AND ${SUPERVISED})::int AS supervised,
       count(*) FILTER (WHERE k.k = 'd')::int AS due,
       count(*) FILTER (WHERE k.k = 'd' AND w.status = 'reported' AND w.reported_at <= w.due_at)::int AS closed_on_time,
       count(*) FILTER (WHERE k.k = 'd' AND coalesce(w.reported_at, $3) > w.due_at)::int AS overdue,
       count(*) FILTER (WHERE k.k = 'c')::int AS closed,
       count(*) FILTER (WHERE k.k = 'c' AND c.rework_count > 0)::int AS rework,
       count(*) FILTER (WHERE k.k = 's')::int AS rating_count,
       coalesce(sum(c.rating) FILTER (WHERE k.k = 's'), 0)::int AS rating_sum
       FROM case_whistles w
       JOIN cases c ON c.id = w.case_id
       CROSS JOIN LATERAL (VALUES
         ('r', w.whistled_at),
         ('d', CASE WHEN w.status <> 'returned' THEN w.due_at END),
         ('c', CASE WHEN w.status = 'reported' THEN w.reported_at END),
         ('s', CASE WHEN w.status = 'reported' AND c.rating IS NOT NULL THEN c.rated_at END)
       ) AS k(k, at)
      WHERE ${whereSql(f, 'c.node_path')} AND k.at >= $1 AND k.at < $2
      GROUP BY 1, 2`,
    [f.start, f.end, f.now],
  );
  return rows.map(toRaw);
}

export type StatsNode = { id: number; type: string; name: string; path: string; status: string };

/** Nodes of the given types in scope and area (the groups of a grid or community report). */
export async function listGroupNodes(q: Queryable, types: readonly string[], f: StatsFilter): Promise<StatsNode[]> {
  return q.query<StatsNode>(
    `SELECT n.id, n.type, n.name, n.path, n.status FROM org_nodes n
      WHERE n.type = ANY($1::text[]) AND ${whereSql(f, 'n.path')}`,
    [types],
  );
}

export async function findNode(q: Queryable, id: number): Promise<StatsNode | undefined> {
  const rows = await q.query<StatsNode>('SELECT id, type, name, path, status FROM org_nodes WHERE id = $1', [id]);
  return rows[0];
}

export async function loadNodes(q: Queryable, ids: readonly number[]): Promise<StatsNode[]> {
  if (ids.length === 0) return [];
  return q.query<StatsNode>('SELECT id, type, name, path, status FROM org_nodes WHERE id = ANY($1::bigint[])', [ids]);
}

export type StatsCategory = {
  id: number;
  parent_id: number | null;
  name_zh: string;
  name_en: string;
  sort: number;
  active: boolean;
};

export async function listCategories(q: Queryable): Promise<StatsCategory[]> {
  return q.query<StatsCategory>('SELECT id, parent_id, name_zh, name_en, sort, active FROM case_categories');
}

export type StatsDepartment = { id: number; name: string; node_name: string };

export async function loadDepartments(q: Queryable, ids: readonly number[]): Promise<StatsDepartment[]> {
  if (ids.length === 0) return [];
  return q.query<StatsDepartment>(
    `SELECT d.id, d.name, n.name AS node_name FROM departments d JOIN org_nodes n ON n.id = d.node_id
      WHERE d.id = ANY($1::bigint[])`,
    [ids],
  );
}
