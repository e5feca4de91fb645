import { isValidPath } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/client.js';
import type { AgeSexCount } from './dashboard.logic.js';

/**
 * The dashboard's read model: set-based counts over other modules' tables (residents, households, houses,
 * resident_tags, cases, visit_tasks, alarms, ledger_transfers, metric_values, assessment_scores), each narrowed to
 * one subtree by `node_path LIKE '<path>%'` with the path inlined (checked against the strict path pattern) so
 * that the planner uses the text_pattern_ops indexes. Nothing here writes.
 */

const OPEN_CASE = `c.stage NOT IN ('closed', 'merged', 'cancelled')`;

function under(column: string, path: string): string {
  if (!isValidPath(path)) throw new Error(`invalid path ${path}`);
  return `${column} LIKE '${path}%'`;
}

/** The id of the child of `path` a row's path lies under, as text (null for rows on the node itself). */
function childOf(column: string, path: string): string {
  return `NULLIF(split_part(substr(${column}, ${path.length + 1}), '/', 1), '')`;
}

export type NodeRow = { id: number; name: string; type: string; path: string; status: string; county_id: number };

export async function findNode(q: Queryable, id: number): Promise<NodeRow | undefined> {
  const rows = await q.query<NodeRow>(
    'SELECT id::int, name, type, path, status, county_id::int FROM org_nodes WHERE id = $1',
    [id],
  );
  return rows[0];
}

export async function loadNodes(q: Queryable, ids: number[]): Promise<NodeRow[]> {
  if (ids.length === 0) return [];
  return q.query<NodeRow>(
    'SELECT id::int, name, type, path, status, county_id::int FROM org_nodes WHERE id = ANY($1::bigint[])',
    [ids],
  );
}

/** The first active county (a system administrator's default). */
export async function firstCounty(q: Queryable): Promise<NodeRow | undefined> {
  const rows = await q.query<NodeRow>(
    `SELECT id::int, name, type, path, status, county_id::int FROM org_nodes
      WHERE type = 'county' AND status = 'active' ORDER BY id LIMIT 1`,
  );
  return rows[0];
}

/** Active children of a node, in creation order (第一网格 before 第二网格). */
export async function listChildren(q: Queryable, parentId: number): Promise<NodeRow[]> {
  return q.query<NodeRow>(
    `SELECT id::int, name, type, path, status, county_id::int FROM org_nodes
      WHERE parent_id = $1 AND status = 'active' ORDER BY id`,
    [parentId],
  );
}

export type PopulationTotals = { residents: number; households: number; houses: number };

export async function countPopulation(q: Queryable, path: string): Promise<PopulationTotals> {
  const rows = await q.query<PopulationTotals>(
    `SELECT
       (SELECT count(*)::int FROM residents r WHERE r.status = 'active' AND ${under('r.node_path', path)}) AS residents,
       (SELECT count(*)::int FROM households h WHERE h.dissolved_at IS NULL AND ${under('h.node_path', path)}) AS households,
       (SELECT count(*)::int FROM houses o WHERE ${under('o.node_path', path)}) AS houses`,
  );
  return rows[0]!;
}

/** Living residents by age band (whole years on `today`) and sex. */
export async function countAgeSex(q: Queryable, path: string, today: string): Promise<AgeSexCount[]> {
  const rows = await q.query<{ band: AgeSexCount['band']; sex: AgeSexCount['sex']; n: number }>(
    `SELECT CASE WHEN a < 18 THEN '0-17' WHEN a < 60 THEN '18-59' WHEN a < 80 THEN '60-79' ELSE '80+' END AS band,
            sex, count(*)::int AS n
       FROM (SELECT date_part('year', age($1::date, r.birth_date))::int AS a, r.sex
               FROM residents r WHERE r.status = 'active' AND ${under('r.node_path', path)}) x
      GROUP BY 1, 2`,
    [today],
  );
  return rows;
}

export type GroupCount = { code: string; name: string; sensitive: boolean; holders: number };

/** The tags under 特殊人群 (special_groups) with their living holders under the node, in dictionary order. */
export async function countSpecialGroups(q: Queryable, path: string): Promise<GroupCount[]> {
  return q.query<GroupCount>(
    `SELECT t.code, t.name, t.sensitive,
            (SELECT count(*)::int FROM resident_tags rt JOIN residents r ON r.id = rt.resident_id
              WHERE rt.tag_id = t.id AND r.status = 'active' AND ${under('rt.node_path', path)}) AS holders
       FROM tags t JOIN tags g ON g.id = t.parent_id AND g.code = 'special_groups'
      ORDER BY t.sort, t.id`,
  );
}

export type StageCount = { stage: string; name_zh: string; name_en: string; n: number };

/** Open cases (not closed, merged or cancelled) by stage, in the stages' order (zeros left out). */
export async function countOpenByStage(q: Queryable, path: string): Promise<StageCount[]> {
  return q.query<StageCount>(
    `SELECT s.code AS stage, s.name_zh, s.name_en, count(c.id)::int AS n
       FROM case_stages s JOIN cases c ON c.stage = s.code AND ${OPEN_CASE} AND ${under('c.node_path', path)}
      GROUP BY s.code, s.name_zh, s.name_en, s.sort ORDER BY s.sort`,
  );
}

export type CategoryCount = { id: number; name_zh: string; name_en: string; n: number };

/** Open cases by category, the `limit` largest. */
export async function countOpenByCategory(q: Queryable, path: string, limit: number): Promise<CategoryCount[]> {
  return q.query<CategoryCount>(
    `SELECT k.id::int, k.name_zh, k.name_en, x.n
       FROM (SELECT c.category_id, count(*)::int AS n FROM cases c
              WHERE ${OPEN_CASE} AND ${under('c.node_path', path)} GROUP BY c.category_id) x
       JOIN case_categories k ON k.id = x.category_id
      ORDER BY x.n DESC, k.sort, k.id LIMIT $1`,
    [limit],
  );
}

/** Open cases flagged overdue. */
export async function countOverdueCases(q: Queryable, path: string): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM cases c WHERE c.overdue AND ${OPEN_CASE} AND ${under('c.node_path', path)}`,
  );
  return rows[0]!.n;
}

/** Cases created and closed per Shanghai month since `from` (a timestamp). */
export async function countCaseMonths(
  q: Queryable,
  path: string,
  from: string,
): Promise<{ month: string; created: number; closed: number }[]> {
  return q.query(
    `SELECT month, sum(created)::int AS created, sum(closed)::int AS closed FROM (
       SELECT to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, 1 AS created, 0 AS closed
         FROM cases c WHERE c.created_at >= $1::timestamptz AND ${under('c.node_path', path)}
       UNION ALL
       SELECT to_char(c.closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM'), 0, 1
         FROM cases c WHERE c.closed_at >= $1::timestamptz AND c.stage = 'closed' AND ${under('c.node_path', path)}
     ) x GROUP BY month`,
    [from],
  );
}

/** Of the cases whose handling deadline fell in [start, end): how many, and how many handled by it. */
export async function countOnTime(
  q: Queryable,
  path: string,
  start: string,
  end: string,
): Promise<{ due: number; onTime: number }> {
  const rows = await q.query<{ due: number; on_time: number }>(
    `SELECT count(*)::int AS due,
            count(*) FILTER (WHERE c.handled_at IS NOT NULL AND c.handled_at <= c.handle_due_at)::int AS on_time
       FROM cases c
      WHERE c.handle_due_at >= $1::timestamptz AND c.handle_due_at < $2::timestamptz
        AND c.stage NOT IN ('merged', 'cancelled') AND ${under('c.node_path', path)}`,
    [start, end],
  );
  return { due: rows[0]!.due, onTime: rows[0]!.on_time };
}

export type MetricRow = { subject_id: number; metric: string; num: number; den: number | null };

/** metric_values of nodes for a month (its first day). */
export async function loadMonthMetrics(
  q: Queryable,
  periodStart: string,
  nodeIds: number[],
  metrics: string[],
): Promise<MetricRow[]> {
  if (nodeIds.length === 0) return [];
  const rows = await q.query<{ subject_id: number; metric: string; num: string; den: string | null }>(
    `SELECT subject_id::int, metric, num::text, den::text FROM metric_values
      WHERE period_kind = 'month' AND period_start = $1::date AND subject_kind = 'node'
        AND subject_id = ANY($2::bigint[]) AND metric = ANY($3::text[])`,
    [periodStart, nodeIds, metrics],
  );
  return rows.map((r) => ({ ...r, num: Number(r.num), den: r.den === null ? null : Number(r.den) }));
}

/** Open visit tasks past their due time. */
export async function countTasksOverdue(q: Queryable, path: string): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM visit_tasks t
      WHERE t.status = 'open' AND t.due_at < now() AND ${under('t.node_path', path)}`,
  );
  return rows[0]!.n;
}

export type AlarmFigures = { byKind: { kind: string; n: number }[]; raised30d: number; acked30d: number };

/** Open alarms (not resolved) by kind; raised in the last 30 days and of those acknowledged at the first step. */
export async function countAlarms(q: Queryable, path: string): Promise<AlarmFigures> {
  const byKind = await q.query<{ kind: string; n: number }>(
    `SELECT a.kind, count(*)::int AS n FROM alarms a
      WHERE a.status <> 'resolved' AND ${under('a.node_path', path)} GROUP BY a.kind ORDER BY n DESC, a.kind`,
  );
  const rows = await q.query<{ raised: number; acked: number }>(
    `SELECT count(*)::int AS raised,
            count(*) FILTER (WHERE a.acknowledged_at IS NOT NULL AND a.ladder_step = 0)::int AS acked
       FROM alarms a WHERE a.first_at >= now() - interval '30 days' AND ${under('a.node_path', path)}`,
  );
  return { byKind, raised30d: rows[0]!.raised, acked30d: rows[0]!.acked };
}

/**
 * Points (or hours, in minutes) issued in [start, end): transfers from an issuer to resident and household
 * accounts under the node, less reversals of them.
 */
export async function sumIssued(
  q: Queryable,
  path: string,
  currency: 'points' | 'hours',
  start: string,
  end: string,
): Promise<number> {
  const rows = await q.query<{ n: string }>(
    `SELECT COALESCE(sum(CASE WHEN fa.kind = 'issuer' THEN t.amount ELSE -t.amount END), 0)::text AS n
       FROM ledger_transfers t
       JOIN ledger_accounts fa ON fa.id = t.from_account_id
       JOIN ledger_accounts ta ON ta.id = t.to_account_id
      WHERE t.currency = $1 AND t.created_at >= $2::timestamptz AND t.created_at < $3::timestamptz
        AND ((fa.kind = 'issuer' AND ta.kind IN ('resident', 'household') AND ${under('ta.node_path', path)})
          OR (t.kind = 'reverse' AND ta.kind = 'issuer' AND fa.kind IN ('resident', 'household')
              AND ${under('fa.node_path', path)}))`,
    [currency, start, end],
  );
  return Number(rows[0]!.n);
}

export type ScoreRow = { name: string; total: number; rank: number; group_size: number };
export type LatestScheme = { id: number; name: string; subject: string; period_start: string };

/** The scheme and period of the latest scores under the node (by period, then computation time). */
export async function latestScores(
  q: Queryable,
  path: string,
): Promise<{ scheme: LatestScheme; rows: ScoreRow[] } | null> {
  const latest = await q.query<LatestScheme>(
    `SELECT s.scheme_id::int AS id, m.name, m.subject, to_char(s.period_start, 'YYYY-MM-DD') AS period_start
       FROM assessment_scores s JOIN assessment_schemes m ON m.id = s.scheme_id
      WHERE ${under('s.node_path', path)}
      ORDER BY s.period_start DESC, s.computed_at DESC, s.scheme_id LIMIT 1`,
  );
  const scheme = latest[0];
  if (!scheme) return null;
  const rows = await q.query<{ name: string | null; total: string; rank: number; group_size: number }>(
    `SELECT CASE WHEN s.subject_kind = 'node' THEN n.name ELSE u.display_name END AS name,
            s.total::text, s.rank, s.group_size
       FROM assessment_scores s
       LEFT JOIN org_nodes n ON s.subject_kind = 'node' AND n.id = s.subject_id
       LEFT JOIN users u ON s.subject_kind = 'user' AND u.id = s.subject_id
      WHERE s.scheme_id = $1 AND s.period_start = $2::date AND ${under('s.node_path', path)}`,
    [scheme.id, scheme.period_start],
  );
  return {
    scheme,
    rows: rows.map((r) => ({ name: r.name ?? '—', total: Number(r.total), rank: r.rank, group_size: r.group_size })),
  };
}

export type ChildCounts = {
  child: string;
  population: number;
  open_cases: number;
  overdue: number;
  alarms_open: number;
};

/** Per child of the node: living residents, open and overdue cases, open alarms (children without any left out). */
export async function countChildren(q: Queryable, path: string): Promise<ChildCounts[]> {
  return q.query<ChildCounts>(
    `SELECT child, sum(p)::int AS population, sum(o)::int AS open_cases, sum(d)::int AS overdue, sum(a)::int AS alarms_open
       FROM (
         SELECT ${childOf('r.node_path', path)} AS child, 1 AS p, 0 AS o, 0 AS d, 0 AS a
           FROM residents r WHERE r.status = 'active' AND ${under('r.node_path', path)}
         UNION ALL
         SELECT ${childOf('c.node_path', path)}, 0, 1, CASE WHEN c.overdue THEN 1 ELSE 0 END, 0
           FROM cases c WHERE ${OPEN_CASE} AND ${under('c.node_path', path)}
         UNION ALL
         SELECT ${childOf('a.node_path', path)}, 0, 0, 0, 1
           FROM alarms a WHERE a.status <> 'resolved' AND ${under('a.node_path', path)}
       ) x WHERE child IS NOT NULL GROUP BY child`,
  );
}
