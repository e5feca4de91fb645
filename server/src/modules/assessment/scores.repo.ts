import type { Queryable } from '../../platform/db/client.js';
import type { SchemeSubject } from './assessment.logic.js';

/** SQL of scoring: one set-based statement per scheme and period (delete, then insert, in the caller's transaction). */

/**
 * The subjects of a scheme, each with its ranking group: a grid in its community (the grid's parent), a community or
 * village in its street or town (its parent), a grid worker (a `grid_worker` post at a grid; the first such post
 * when they hold several) in the community above that grid. Columns: kind, id, county_id, path, group_id, group_path.
 */
function subjectsSql(subject: SchemeSubject): string {
  if (subject === 'grid') {
    return `SELECT 'node'::text AS kind, n.id, n.county_id, n.path, g.id AS group_id, g.path AS group_path
      FROM org_nodes n JOIN org_nodes g ON g.id = n.parent_id
      WHERE n.type = 'grid' AND n.status = 'active'`;
  }
  if (subject === 'community') {
    return `SELECT 'node'::text AS kind, n.id, n.county_id, n.path, g.id AS group_id, g.path AS group_path
      FROM org_nodes n JOIN org_nodes g ON g.id = n.parent_id
      WHERE n.type IN ('community', 'village') AND n.status = 'active'`;
  }
  return `SELECT DISTINCT ON (p.user_id) 'user'::text AS kind, p.user_id AS id, n.county_id, n.path,
        g.id AS group_id, g.path AS group_path
      FROM posts p JOIN users u ON u.id = p.user_id AND NOT u.disabled
      JOIN org_nodes n ON n.id = p.node_id AND n.type = 'grid' AND n.status = 'active'
      JOIN org_nodes g ON g.id = n.parent_id
      WHERE p.role = 'grid_worker'
      ORDER BY p.user_id, p.id`;
}

/**
 * Recomputes the scores of one scheme and period for every subject whose ranking group lies under `nodePath` or
 * holds it (so a group is always ranked whole), or for all when `nodePath` is null. Returns the rows written.
 *
 * value: a count metric's num; a rate's or average's num/den (null without a row or without a denominator).
 * marks: round(weight × clamp((value − zero_at)/(full_at − zero_at), 0, 1), 2), 0 without a value.
 * adjustments: the sum of the ones not withdrawn, clamped to ±adjustment_cap; total = base + adjustments;
 * rank: rank() (1, 2, 2, 4) by total within the group.
 */
export async function recomputeScores(
  q: Queryable,
  p: {
    schemeId: number;
    subject: SchemeSubject;
    periodKind: string;
    periodStart: string;
    nodePath: string | null;
    countMetrics: readonly string[];
  },
): Promise<number> {
  const within = `($3::text IS NULL OR s.group_path LIKE $3::text || '%' OR $3::text LIKE s.group_path || '%')`;
  await q.query(
    `DELETE FROM assessment_scores a
      WHERE a.scheme_id = $1 AND a.period_start = $2::date
        AND ($3::text IS NULL OR a.node_path LIKE $3::text || '%' OR a.group_node_id IN (
          SELECT g.id FROM org_nodes g WHERE g.path LIKE $3::text || '%' OR $3::text LIKE g.path || '%'))`,
    [p.schemeId, p.periodStart, p.nodePath],
  );
  const rows = await q.query<{ n: number }>(
    `WITH sch AS (SELECT id, adjustment_cap AS cap FROM assessment_schemes WHERE id = $1),
    subj AS (SELECT s.* FROM (${subjectsSql(p.subject)}) s WHERE ${within}),
    vals AS (
      SELECT s.kind, s.id, i.metric, i.weight, i.full_at, i.zero_at, i.sort,
        CASE WHEN mv.metric IS NULL THEN NULL
             WHEN i.metric = ANY($4::text[]) THEN mv.num
             WHEN mv.den > 0 THEN mv.num / mv.den END AS value
      FROM subj s
      CROSS JOIN assessment_scheme_items i
      LEFT JOIN metric_values mv ON mv.period_kind = $5 AND mv.period_start = $2::date
        AND mv.subject_kind = s.kind AND mv.subject_id = s.id AND mv.metric = i.metric
      WHERE i.scheme_id = $1),
    marked AS (
      SELECT v.*, CASE WHEN v.value IS NULL THEN 0::numeric
        ELSE round(v.weight * greatest(0, least(1, (v.value - v.zero_at) / (v.full_at - v.zero_at))), 2) END AS marks
      FROM vals v),
    per AS (
      SELECT kind, id,
        jsonb_agg(jsonb_build_object('metric', metric, 'value', round(value, 6), 'marks', marks, 'weight', weight)
          ORDER BY sort, metric) AS items,
        sum(marks) AS base
      FROM marked GROUP BY kind, id),
    adj AS (
      SELECT subject_kind, subject_id, sum(points) AS pts FROM assessment_adjustments
      WHERE scheme_id = $1 AND period_start = $2::date AND withdrawn_at IS NULL
      GROUP BY subject_kind, subject_id),
    tot AS (
      SELECT s.kind, s.id, s.county_id, s.path, s.group_id, p.items, p.base,
        round(least(sch.cap, greatest(-sch.cap, COALESCE(a.pts, 0))), 2) AS adj
      FROM subj s JOIN per p ON p.kind = s.kind AND p.id = s.id
      CROSS JOIN sch
      LEFT JOIN adj a ON a.subject_kind = s.kind AND a.subject_id = s.id),
    ins AS (
      INSERT INTO assessment_scores (scheme_id, period_start, subject_kind, subject_id, county_id, node_path,
        group_node_id, items, base, adjustments, total, rank, group_size)
      SELECT $1, $2::date, t.kind, t.id, t.county_id, t.path, t.group_id, t.items, t.base, t.adj, t.base + t.adj,
        rank() OVER (PARTITION BY t.group_id ORDER BY t.base + t.adj DESC),
        count(*) OVER (PARTITION BY t.group_id)
      FROM tot t
      RETURNING 1)
    SELECT count(*)::int AS n FROM ins`,
    [p.schemeId, p.periodStart, p.nodePath, p.countMetrics, p.periodKind],
  );
  return rows[0]?.n ?? 0;
}
