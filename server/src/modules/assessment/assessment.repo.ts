import type { Queryable } from '../../platform/db/client.js';
import type { Honour, PeriodKind, SchemeSubject } from './assessment.logic.js';

/** SQL of the assessment module: schemes, scores, adjustments, selections, honours (scoring is in scores.repo.ts). */

export type SchemeRow = {
  id: number;
  name: string;
  subject: SchemeSubject;
  period_kind: PeriodKind;
  total_weight: number;
  adjustment_cap: number;
  honour: Honour | null;
  honour_quota: number;
  honour_min_score: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
};
export type ItemRow = {
  scheme_id: number;
  metric: string;
  weight: number;
  higher_better: boolean;
  full_at: number;
  zero_at: number;
  sort: number;
};

const SCHEME_COLS = `id, name, subject, period_kind, total_weight::float8 AS total_weight,
  adjustment_cap::float8 AS adjustment_cap, honour, honour_quota, honour_min_score::float8 AS honour_min_score, active,
  created_at, updated_at`;

export async function findSchemeRow(q: Queryable, id: number, lock = false): Promise<SchemeRow | undefined> {
  const [r] = await q.query<SchemeRow>(
    `SELECT ${SCHEME_COLS} FROM assessment_schemes WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r;
}

export async function listSchemeRows(
  q: Queryable,
  f: { active?: boolean; subject?: SchemeSubject; periodKind?: PeriodKind },
): Promise<SchemeRow[]> {
  return q.query<SchemeRow>(
    `SELECT ${SCHEME_COLS} FROM assessment_schemes
      WHERE ($1::boolean IS NULL OR active = $1) AND ($2::text IS NULL OR subject = $2)
        AND ($3::text IS NULL OR period_kind = $3)
      ORDER BY id`,
    [f.active ?? null, f.subject ?? null, f.periodKind ?? null],
  );
}

export async function itemsOf(q: Queryable, schemeIds: readonly number[]): Promise<ItemRow[]> {
  if (schemeIds.length === 0) return [];
  return q.query<ItemRow>(
    `SELECT scheme_id, metric, weight::float8 AS weight, higher_better, full_at::float8 AS full_at,
        zero_at::float8 AS zero_at, sort
      FROM assessment_scheme_items WHERE scheme_id = ANY($1::bigint[]) ORDER BY scheme_id, sort, metric`,
    [schemeIds],
  );
}

export type SchemeValues = {
  name: string;
  subject: SchemeSubject;
  periodKind: PeriodKind;
  totalWeight: number;
  adjustmentCap: number;
  honour: Honour | null;
  honourQuota: number;
  honourMinScore: number;
  active: boolean;
};

export async function insertScheme(q: Queryable, v: SchemeValues): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO assessment_schemes (name, subject, period_kind, total_weight, adjustment_cap, honour, honour_quota,
        honour_min_score, active)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      v.name,
      v.subject,
      v.periodKind,
      v.totalWeight,
      v.adjustmentCap,
      v.honour,
      v.honourQuota,
      v.honourMinScore,
      v.active,
    ],
  );
  return r!.id;
}

export async function updateScheme(q: Queryable, id: number, v: SchemeValues): Promise<void> {
  await q.query(
    `UPDATE assessment_schemes SET name = $2, total_weight = $3, adjustment_cap = $4, honour = $5, honour_quota = $6,
        honour_min_score = $7, active = $8, updated_at = now()
      WHERE id = $1`,
    [id, v.name, v.totalWeight, v.adjustmentCap, v.honour, v.honourQuota, v.honourMinScore, v.active],
  );
}

export async function replaceItems(
  q: Queryable,
  schemeId: number,
  items: readonly { metric: string; weight: number; higherBetter: boolean; fullAt: number; zeroAt: number }[],
): Promise<void> {
  await q.query('DELETE FROM assessment_scheme_items WHERE scheme_id = $1', [schemeId]);
  for (const [i, it] of items.entries()) {
    await q.query(
      `INSERT INTO assessment_scheme_items (scheme_id, metric, weight, higher_better, full_at, zero_at, sort)
        VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [schemeId, it.metric, it.weight, it.higherBetter, it.fullAt, it.zeroAt, i],
    );
  }
}

export async function deleteScheme(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM assessment_schemes WHERE id = $1', [id]);
}

export async function schemeInUse(q: Queryable, id: number): Promise<boolean> {
  const [r] = await q.query<{ used: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM assessment_adjustments WHERE scheme_id = $1)
        OR EXISTS (SELECT 1 FROM assessment_selections WHERE scheme_id = $1) AS used`,
    [id],
  );
  return r!.used;
}

// ---- subjects ---------------------------------------------------------------------------------------------------

export type SubjectRow = {
  kind: 'node' | 'user';
  id: number;
  name: string;
  /** A node's type, or 'worker'. */
  type: string;
  county_id: number;
  /** The node's path, or the worker's grid's path. */
  path: string;
  grid_name: string | null;
  parent_name: string | null;
};

/** A node (any type) as a subject. */
export async function findNodeSubject(q: Queryable, id: number): Promise<SubjectRow | undefined> {
  const [r] = await q.query<SubjectRow>(
    `SELECT 'node' AS kind, n.id, n.name, n.type, n.county_id, n.path,
        CASE WHEN n.type = 'grid' THEN n.name END AS grid_name, p.name AS parent_name
      FROM org_nodes n LEFT JOIN org_nodes p ON p.id = n.parent_id WHERE n.id = $1`,
    [id],
  );
  return r;
}

/** A grid worker as a subject: their first grid_worker post at a grid; undefined for anyone else. */
export async function findWorkerSubject(q: Queryable, userId: number): Promise<SubjectRow | undefined> {
  const [r] = await q.query<SubjectRow>(
    `SELECT 'user' AS kind, u.id, u.display_name AS name, 'worker' AS type, n.county_id, n.path,
        n.name AS grid_name, n.name AS parent_name
      FROM users u JOIN posts p ON p.user_id = u.id AND p.role = 'grid_worker'
      JOIN org_nodes n ON n.id = p.node_id AND n.type = 'grid'
      WHERE u.id = $1 ORDER BY p.id LIMIT 1`,
    [userId],
  );
  return r;
}

/** The street or town at or above a path (the level that approves a selection). */
export async function streetAbove(
  q: Queryable,
  path: string,
): Promise<{ id: number; name: string; path: string } | undefined> {
  const [r] = await q.query<{ id: number; name: string; path: string }>(
    `SELECT id, name, path FROM org_nodes WHERE type IN ('street', 'town') AND $1 LIKE path || '%'
      ORDER BY depth DESC LIMIT 1`,
    [path],
  );
  return r;
}

// ---- scores -----------------------------------------------------------------------------------------------------

export type ScoreRow = {
  subject_kind: 'node' | 'user';
  subject_id: number;
  name: string;
  grid_name: string | null;
  group_node_id: number;
  group_name: string;
  node_path: string;
  items: { metric: string; value: number | null; marks: number; weight: number }[];
  base: number;
  adjustments: number;
  total: number;
  rank: number;
  group_size: number;
  computed_at: Date;
  previous_rank: number | null;
  previous_total: number | null;
};

const SUBJECT_NAME = `CASE WHEN s.subject_kind = 'node' THEN (SELECT name FROM org_nodes WHERE id = s.subject_id)
  ELSE (SELECT display_name FROM users WHERE id = s.subject_id) END`;

/**
 * The scores of a scheme and period whose group lies in `scopeCond` (an SQL condition over `g.path`, from
 * scopeSql) and under `nodePath` (or holds it), with the previous period's rank and total.
 */
export async function rankingRows(
  q: Queryable,
  p: { schemeId: number; periodStart: string; previousStart: string; nodePath: string | null; scopeCond: string },
): Promise<ScoreRow[]> {
  return q.query<ScoreRow>(
    `SELECT s.subject_kind, s.subject_id, ${SUBJECT_NAME} AS name,
        CASE WHEN s.subject_kind = 'user' THEN (SELECT name FROM org_nodes WHERE path = s.node_path) END AS grid_name,
        s.group_node_id, g.name AS group_name, s.node_path, s.items, s.base::float8 AS base,
        s.adjustments::float8 AS adjustments, s.total::float8 AS total, s.rank, s.group_size, s.computed_at,
        pr.rank AS previous_rank, pr.total::float8 AS previous_total
      FROM assessment_scores s JOIN org_nodes g ON g.id = s.group_node_id
      LEFT JOIN assessment_scores pr ON pr.scheme_id = s.scheme_id AND pr.period_start = $3::date
        AND pr.subject_kind = s.subject_kind AND pr.subject_id = s.subject_id
      WHERE s.scheme_id = $1 AND s.period_start = $2::date AND ${p.scopeCond}
        AND ($4::text IS NULL OR g.path LIKE $4::text || '%' OR s.node_path LIKE $4::text || '%')
      ORDER BY g.path, s.rank, s.subject_id`,
    [p.schemeId, p.periodStart, p.previousStart, p.nodePath],
  );
}

export type HistoryRow = {
  scheme_id: number;
  scheme_name: string;
  period_kind: PeriodKind;
  period_start: string;
  items: ScoreRow['items'];
  base: number;
  adjustments: number;
  total: number;
  rank: number;
  group_size: number;
};

export async function historyRows(
  q: Queryable,
  p: { kind: 'node' | 'user'; id: number; schemeId: number | null; limit: number },
): Promise<HistoryRow[]> {
  return q.query<HistoryRow>(
    `SELECT s.scheme_id, sc.name AS scheme_name, sc.period_kind, to_char(s.period_start, 'YYYY-MM-DD') AS period_start,
        s.items, s.base::float8 AS base, s.adjustments::float8 AS adjustments, s.total::float8 AS total, s.rank,
        s.group_size
      FROM assessment_scores s JOIN assessment_schemes sc ON sc.id = s.scheme_id
      WHERE s.subject_kind = $1 AND s.subject_id = $2 AND ($3::bigint IS NULL OR s.scheme_id = $3)
      ORDER BY s.period_start DESC, s.scheme_id LIMIT $4`,
    [p.kind, p.id, p.schemeId, p.limit],
  );
}

// ---- adjustments ------------------------------------------------------------------------------------------------

export type AdjustmentRow = {
  id: number;
  scheme_id: number;
  scheme_name: string;
  period_start: string;
  subject_kind: 'node' | 'user';
  subject_id: number;
  subject_name: string;
  county_id: number;
  node_path: string;
  points: number;
  reason: string;
  evidence_file_ids: number[];
  created_by: number;
  created_by_name: string;
  created_at: Date;
  withdrawn_at: Date | null;
  withdrawn_by_name: string | null;
};

const ADJ_SELECT = `SELECT s.id, s.scheme_id, sc.name AS scheme_name, to_char(s.period_start, 'YYYY-MM-DD') AS period_start,
    s.subject_kind, s.subject_id, COALESCE(${SUBJECT_NAME}, '') AS subject_name, s.county_id, s.node_path,
    s.points::float8 AS points, s.reason, s.evidence_file_ids, s.created_by, cu.display_name AS created_by_name,
    s.created_at, s.withdrawn_at, wu.display_name AS withdrawn_by_name
  FROM assessment_adjustments s JOIN assessment_schemes sc ON sc.id = s.scheme_id
  JOIN users cu ON cu.id = s.created_by LEFT JOIN users wu ON wu.id = s.withdrawn_by`;

export async function insertAdjustment(
  q: Queryable,
  v: {
    schemeId: number;
    periodStart: string;
    subjectKind: 'node' | 'user';
    subjectId: number;
    countyId: number;
    nodePath: string;
    points: number;
    reason: string;
    createdBy: number;
  },
): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO assessment_adjustments (scheme_id, period_start, subject_kind, subject_id, county_id, node_path, points,
        reason, created_by)
      VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [v.schemeId, v.periodStart, v.subjectKind, v.subjectId, v.countyId, v.nodePath, v.points, v.reason, v.createdBy],
  );
  return r!.id;
}

export async function setEvidence(q: Queryable, id: number, fileIds: readonly number[]): Promise<void> {
  await q.query('UPDATE assessment_adjustments SET evidence_file_ids = $2::bigint[] WHERE id = $1', [id, fileIds]);
}

export async function findAdjustment(q: Queryable, id: number, lock = false): Promise<AdjustmentRow | undefined> {
  if (lock) await q.query('SELECT id FROM assessment_adjustments WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<AdjustmentRow>(`${ADJ_SELECT} WHERE s.id = $1`, [id]);
  return r;
}

export async function listAdjustments(
  q: Queryable,
  f: {
    scopeCond: string;
    nodePath: string | null;
    schemeId?: number;
    periodStart?: string;
    subjectKind?: string;
    subjectId?: number;
    includeWithdrawn: boolean;
    limit: number;
    offset: number;
  },
): Promise<{ rows: AdjustmentRow[]; total: number }> {
  const where = `WHERE ${f.scopeCond} AND ($1::text IS NULL OR s.node_path LIKE $1::text || '%')
    AND ($2::bigint IS NULL OR s.scheme_id = $2) AND ($3::date IS NULL OR s.period_start = $3::date)
    AND ($4::text IS NULL OR s.subject_kind = $4) AND ($5::bigint IS NULL OR s.subject_id = $5)
    AND ($6::boolean OR s.withdrawn_at IS NULL)`;
  const params = [
    f.nodePath,
    f.schemeId ?? null,
    f.periodStart ?? null,
    f.subjectKind ?? null,
    f.subjectId ?? null,
    f.includeWithdrawn,
  ];
  const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM assessment_adjustments s ${where}`, params);
  const rows = await q.query<AdjustmentRow>(
    `${ADJ_SELECT} ${where} ORDER BY s.created_at DESC, s.id DESC LIMIT $7 OFFSET $8`,
    [...params, f.limit, f.offset],
  );
  return { rows, total: c!.n };
}

export async function withdrawAdjustment(q: Queryable, id: number, by: number): Promise<void> {
  await q.query('UPDATE assessment_adjustments SET withdrawn_at = now(), withdrawn_by = $2 WHERE id = $1', [id, by]);
}

// ---- selections -------------------------------------------------------------------------------------------------

export type SelectionRow = {
  id: number;
  scheme_id: number;
  scheme_name: string;
  honour: Honour;
  period_start: string;
  subject_kind: 'node' | 'user';
  subject_id: number;
  subject_name: string;
  grid_name: string | null;
  community_name: string | null;
  county_id: number;
  node_path: string;
  level_node_id: number;
  level_node_name: string;
  level_node_path: string;
  score: number | null;
  status: 'proposed' | 'nominated' | 'approved' | 'declined' | 'published';
  citation: string | null;
  nominated_by_name: string | null;
  nominated_at: Date | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_reason: string | null;
  published_at: Date | null;
  version: number;
  created_at: Date;
};

const SEL_SELECT = `SELECT s.id, s.scheme_id, sc.name AS scheme_name, s.honour,
    to_char(s.period_start, 'YYYY-MM-DD') AS period_start, s.subject_kind, s.subject_id,
    COALESCE(${SUBJECT_NAME}, '') AS subject_name, gn.name AS grid_name, cn.name AS community_name, s.county_id,
    s.node_path, s.level_node_id, ln.name AS level_node_name, ln.path AS level_node_path, s.score::float8 AS score,
    s.status, s.citation, nu.display_name AS nominated_by_name, s.nominated_at, du.display_name AS decided_by_name,
    s.decided_at, s.decision_reason, s.published_at, s.version, s.created_at
  FROM assessment_selections s JOIN assessment_schemes sc ON sc.id = s.scheme_id
  JOIN org_nodes ln ON ln.id = s.level_node_id
  LEFT JOIN org_nodes gn ON gn.path = s.node_path AND gn.type = 'grid'
  LEFT JOIN org_nodes cn ON cn.id = gn.parent_id
  LEFT JOIN users nu ON nu.id = s.nominated_by LEFT JOIN users du ON du.id = s.decided_by`;

export async function findSelection(q: Queryable, id: number, lock = false): Promise<SelectionRow | undefined> {
  if (lock) await q.query('SELECT id FROM assessment_selections WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<SelectionRow>(`${SEL_SELECT} WHERE s.id = $1`, [id]);
  return r;
}

export async function listSelections(
  q: Queryable,
  f: {
    scopeCond: string;
    nodePath: string | null;
    schemeId?: number;
    periodStart?: string;
    status?: string;
    honour?: string;
    limit: number;
    offset: number;
  },
): Promise<{ rows: SelectionRow[]; total: number }> {
  const where = `WHERE ${f.scopeCond} AND ($1::text IS NULL OR s.node_path LIKE $1::text || '%')
    AND ($2::bigint IS NULL OR s.scheme_id = $2) AND ($3::date IS NULL OR s.period_start = $3::date)
    AND ($4::text IS NULL OR s.status = $4) AND ($5::text IS NULL OR s.honour = $5)`;
  const params = [f.nodePath, f.schemeId ?? null, f.periodStart ?? null, f.status ?? null, f.honour ?? null];
  const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM assessment_selections s ${where}`, params);
  const rows = await q.query<SelectionRow>(
    `${SEL_SELECT} ${where} ORDER BY s.period_start DESC, s.score DESC NULLS LAST, s.id LIMIT $6 OFFSET $7`,
    [...params, f.limit, f.offset],
  );
  return { rows, total: c!.n };
}

/**
 * Proposals from the scores: per group, the subjects ranked within the quota whose total reaches the minimum,
 * not already selected for the period; level_node_id = the street or town above. Returns the new ids.
 */
export async function insertProposals(
  q: Queryable,
  p: {
    schemeId: number;
    honour: Honour;
    periodStart: string;
    quota: number;
    minScore: number;
    nodePath: string | null;
  },
): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO assessment_selections (scheme_id, honour, period_start, subject_kind, subject_id, county_id, node_path,
        level_node_id, score, status)
      SELECT s.scheme_id, $2, s.period_start, s.subject_kind, s.subject_id, s.county_id, s.node_path,
        (SELECT l.id FROM org_nodes l WHERE l.type IN ('street', 'town') AND s.node_path LIKE l.path || '%'
          ORDER BY l.depth DESC LIMIT 1),
        s.total, 'proposed'
      FROM assessment_scores s
      WHERE s.scheme_id = $1 AND s.period_start = $3::date AND s.rank <= $4 AND s.total >= $5
        AND ($6::text IS NULL OR s.node_path LIKE $6::text || '%')
        AND EXISTS (SELECT 1 FROM org_nodes l WHERE l.type IN ('street', 'town') AND s.node_path LIKE l.path || '%')
      ORDER BY s.group_node_id, s.rank, s.subject_id
      ON CONFLICT (scheme_id, period_start, subject_kind, subject_id) DO NOTHING
      RETURNING id`,
    [p.schemeId, p.honour, p.periodStart, p.quota, p.minScore, p.nodePath],
  );
  return rows.map((r) => r.id);
}

export async function insertSelection(
  q: Queryable,
  v: {
    schemeId: number;
    honour: Honour;
    periodStart: string;
    subjectKind: 'node' | 'user';
    subjectId: number;
    countyId: number;
    nodePath: string;
    levelNodeId: number;
    score: number | null;
    citation: string;
    by: number;
  },
): Promise<number | null> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO assessment_selections (scheme_id, honour, period_start, subject_kind, subject_id, county_id, node_path,
        level_node_id, score, status, citation, nominated_by, nominated_at)
      VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8, $9, 'nominated', $10, $11, now())
      ON CONFLICT (scheme_id, period_start, subject_kind, subject_id) DO NOTHING RETURNING id`,
    [
      v.schemeId,
      v.honour,
      v.periodStart,
      v.subjectKind,
      v.subjectId,
      v.countyId,
      v.nodePath,
      v.levelNodeId,
      v.score,
      v.citation,
      v.by,
    ],
  );
  return r?.id ?? null;
}

export async function scoreOf(
  q: Queryable,
  p: { schemeId: number; periodStart: string; kind: string; id: number },
): Promise<number | null> {
  const [r] = await q.query<{ total: number }>(
    `SELECT total::float8 AS total FROM assessment_scores
      WHERE scheme_id = $1 AND period_start = $2::date AND subject_kind = $3 AND subject_id = $4`,
    [p.schemeId, p.periodStart, p.kind, p.id],
  );
  return r?.total ?? null;
}

export async function nominateSelection(q: Queryable, id: number, citation: string, by: number): Promise<void> {
  await q.query(
    `UPDATE assessment_selections SET status = 'nominated', citation = $2, nominated_by = $3, nominated_at = now(),
        version = version + 1 WHERE id = $1`,
    [id, citation, by],
  );
}

export async function decideSelection(
  q: Queryable,
  id: number,
  status: 'approved' | 'declined',
  by: number,
  reason: string | null,
): Promise<void> {
  await q.query(
    `UPDATE assessment_selections SET status = $2, decided_by = $3, decided_at = now(), decision_reason = $4,
        version = version + 1 WHERE id = $1`,
    [id, status, by, reason],
  );
}

/** Approved selections of a scheme and quarter under a level node become published; returns them. */
export async function publishSelections(
  q: Queryable,
  p: { schemeId: number; periodStart: string; levelPath: string },
): Promise<{ id: number; subject_kind: 'node' | 'user'; subject_id: number; node_path: string }[]> {
  return q.query(
    `UPDATE assessment_selections SET status = 'published', published_at = now(), version = version + 1
      WHERE scheme_id = $1 AND period_start = $2::date AND status = 'approved' AND node_path LIKE $3 || '%'
      RETURNING id, subject_kind, subject_id, node_path`,
    [p.schemeId, p.periodStart, p.levelPath],
  );
}

/** The grid workers (users with a grid_worker post) of the grids at these paths. */
export async function gridWorkersAt(q: Queryable, paths: readonly string[]): Promise<number[]> {
  if (paths.length === 0) return [];
  const rows = await q.query<{ user_id: number }>(
    `SELECT DISTINCT p.user_id FROM posts p JOIN org_nodes n ON n.id = p.node_id
      JOIN users u ON u.id = p.user_id AND NOT u.disabled
      WHERE p.role = 'grid_worker' AND n.path = ANY($1::text[])`,
    [paths],
  );
  return rows.map((r) => r.user_id);
}

export type PublicHonourRow = {
  honour: Honour;
  period_start: string;
  name: string;
  grid_name: string | null;
  community_name: string | null;
  citation: string | null;
  published_at: Date;
};

export async function publicHonours(q: Queryable, path: string): Promise<PublicHonourRow[]> {
  return q.query<PublicHonourRow>(
    `SELECT s.honour, to_char(s.period_start, 'YYYY-MM-DD') AS period_start,
        COALESCE(${SUBJECT_NAME}, '') AS name, gn.name AS grid_name, cn.name AS community_name, s.citation,
        s.published_at
      FROM assessment_selections s
      LEFT JOIN org_nodes gn ON gn.path = s.node_path AND gn.type = 'grid'
      LEFT JOIN org_nodes cn ON cn.id = gn.parent_id
      WHERE s.status = 'published' AND s.node_path LIKE $1 || '%'
      ORDER BY s.period_start DESC, s.honour, cn.name, gn.name, s.id
      LIMIT 500`,
    [path],
  );
}

export async function honoursOf(q: Queryable, kind: string, id: number): Promise<SelectionRow[]> {
  return q.query<SelectionRow>(
    `${SEL_SELECT} WHERE s.subject_kind = $1 AND s.subject_id = $2 AND s.status IN ('approved', 'published', 'nominated')
      ORDER BY s.period_start DESC, s.id DESC`,
    [kind, id],
  );
}

export async function adjustmentsOf(q: Queryable, kind: string, id: number): Promise<AdjustmentRow[]> {
  return q.query<AdjustmentRow>(
    `${ADJ_SELECT} WHERE s.subject_kind = $1 AND s.subject_id = $2 ORDER BY s.period_start DESC, s.id DESC LIMIT 200`,
    [kind, id],
  );
}
