import { isValidPath } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/client.js';

/**
 * The SQL of coverage (走访覆盖). Every query is bounded by one area path (checked against the caller's scope by the
 * service, and inlined after `isValidPath` so the planner sees a constant prefix for the text_pattern_ops indexes).
 * Figures: docs/architecture.md, "Grid work: coverage".
 */

export type CoverageNode = { id: number; type: string; name: string; path: string; status: string };

export type TaskFigures = { required: number; doneOnTime: number; doneLate: number; overdue: number };
export type Keyed<T> = T & { key: string | null };

function under(column: string, path: string): string {
  if (!isValidPath(path)) throw new Error(`invalid area path ${path}`);
  return `${column} LIKE '${path}%'`;
}

export async function findNode(q: Queryable, id: number): Promise<CoverageNode | undefined> {
  const rows = await q.query<CoverageNode>('SELECT id, type, name, path, status FROM org_nodes WHERE id = $1', [id]);
  return rows[0];
}

/** The first active county (the default area of a caller whose scope is everywhere). */
export async function firstCounty(q: Queryable): Promise<CoverageNode | undefined> {
  const rows = await q.query<CoverageNode>(
    `SELECT id, type, name, path, status FROM org_nodes
      WHERE parent_id IS NULL AND status = 'active' ORDER BY id LIMIT 1`,
  );
  return rows[0];
}

/** Active children of a node of the given types, in creation order (第一网格, 第二网格 …). */
export async function listChildren(q: Queryable, parentId: number, types: readonly string[]): Promise<CoverageNode[]> {
  return q.query<CoverageNode>(
    `SELECT id, type, name, path, status FROM org_nodes
      WHERE parent_id = $1 AND status = 'active' AND type = ANY($2::text[]) ORDER BY id`,
    [parentId, types],
  );
}

type TaskRow = { key: string | null; required: number; done_on_time: number; done_late: number; overdue: number };

/**
 * Task figures of the area over tasks due in [start, end), withdrawn ones not counted: grouped by the path part
 * `part` (the child node's id; '' for a task at the area itself), by assignee, or not at all.
 */
export async function countTasks(
  q: Queryable,
  f: { path: string; start: Date; end: Date; now: Date },
  by: { part: number } | 'assignee' | 'none',
): Promise<Keyed<TaskFigures>[]> {
  const key =
    by === 'assignee'
      ? 't.assignee_id::text'
      : by === 'none'
        ? 'NULL::text'
        : `split_part(t.node_path, '/', ${by.part})`;
  const rows = await q.query<TaskRow>(
    `SELECT ${key} AS key,
       count(*)::int AS required,
       count(*) FILTER (WHERE t.status = 'done' AND t.done_at <= t.due_at)::int AS done_on_time,
       count(*) FILTER (WHERE t.status = 'done' AND t.done_at > t.due_at)::int AS done_late,
       count(*) FILTER (WHERE t.status = 'open' AND t.due_at < $3)::int AS overdue
       FROM visit_tasks t
      WHERE ${under('t.node_path', f.path)} AND t.due_at >= $1 AND t.due_at < $2 AND t.status <> 'withdrawn'
      GROUP BY 1`,
    [f.start, f.end, f.now],
  );
  return rows.map((r) => ({
    key: r.key,
    required: r.required,
    doneOnTime: r.done_on_time,
    doneLate: r.done_late,
    overdue: r.overdue,
  }));
}

/** Visits made in [start, end) in the area (attempts included), grouped like `countTasks` (by visitor). */
export async function countVisits(
  q: Queryable,
  f: { path: string; start: Date; end: Date },
  by: { part: number } | 'visitor' | 'none',
): Promise<Keyed<{ visits: number }>[]> {
  const key =
    by === 'visitor' ? 'v.visitor_id::text' : by === 'none' ? 'NULL::text' : `split_part(v.node_path, '/', ${by.part})`;
  return q.query<Keyed<{ visits: number }>>(
    `SELECT ${key} AS key, count(*)::int AS visits FROM visits v
      WHERE ${under('v.node_path', f.path)} AND v.visited_at >= $1 AND v.visited_at < $2
      GROUP BY 1`,
    [f.start, f.end],
  );
}

/** A household counts when it is not dissolved and someone still lives in it. */
const LIVED_IN = `h.dissolved_at IS NULL
  AND EXISTS (SELECT 1 FROM residents m WHERE m.household_id = h.id AND m.status = 'active')`;

/**
 * A visit that met the household (not "not at home") since `since`: recorded on the household, or on one of its
 * members.
 */
const VISITED_SINCE = (since: string) => `(
  EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id AND v.outcome <> 'not_home' AND v.visited_at >= ${since})
  OR EXISTS (SELECT 1 FROM visits v JOIN residents m ON m.id = v.resident_id
              WHERE m.household_id = h.id AND v.household_id IS NULL AND v.outcome <> 'not_home' AND v.visited_at >= ${since}))`;

/** Households of the area and those not visited since `since` (户户到), grouped by the path part or not at all. */
export async function countHouseholds(
  q: Queryable,
  f: { path: string; since: Date },
  by: { part: number } | 'none',
): Promise<Keyed<{ households: number; householdsUnvisited: number }>[]> {
  const key = by === 'none' ? 'NULL::text' : `split_part(h.node_path, '/', ${by.part})`;
  const rows = await q.query<{ key: string | null; households: number; unvisited: number }>(
    `SELECT ${key} AS key, count(*)::int AS households,
       count(*) FILTER (WHERE NOT ${VISITED_SINCE('$1')})::int AS unvisited
       FROM households h
      WHERE ${under('h.node_path', f.path)} AND ${LIVED_IN}
      GROUP BY 1`,
    [f.since],
  );
  return rows.map((r) => ({ key: r.key, households: r.households, householdsUnvisited: r.unvisited }));
}

export async function loadUserNames(q: Queryable, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<{ id: number; display_name: string }>(
    'SELECT id, display_name FROM users WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(rows.map((r) => [Number(r.id), r.display_name]));
}

export type UnvisitedRow = {
  id: number;
  node_path: string;
  head_name: string | null;
  place: string;
  members: number;
  last_visited_at: Date | null;
};

const PLACE = `COALESCE((SELECT string_agg(pn.name, ' / ' ORDER BY pn.depth) FROM org_nodes pn
     WHERE pn.id = ANY(string_to_array(trim(both '/' from h.node_path), '/')::bigint[]) AND pn.depth >= 2), '')
  || COALESCE(' ' || (SELECT ho.room_no FROM houses ho WHERE ho.id = h.house_id), '')`;

const LAST_VISIT = `GREATEST(
  (SELECT max(v.visited_at) FROM visits v WHERE v.household_id = h.id AND v.outcome <> 'not_home'),
  (SELECT max(v.visited_at) FROM visits v JOIN residents m ON m.id = v.resident_id
    WHERE m.household_id = h.id AND v.household_id IS NULL AND v.outcome <> 'not_home'))`;

const UNVISITED_COLS = `h.id, h.node_path,
  (SELECT r.name FROM residents r WHERE r.id = h.head_resident_id) AS head_name,
  ${PLACE} AS place,
  (SELECT count(*)::int FROM residents m WHERE m.household_id = h.id AND m.status = 'active') AS members,
  ${LAST_VISIT} AS last_visited_at`;

/** A page of households of the area not visited since `since`, never visited first, then the longest ago. */
export async function listUnvisited(
  q: Queryable,
  f: { path: string; since: Date },
  page: { limit: number; offset: number },
): Promise<{ rows: UnvisitedRow[]; total: number }> {
  const rows = await q.query<UnvisitedRow & { total: number }>(
    `WITH gap AS MATERIALIZED (
       SELECT h.id FROM households h
        WHERE ${under('h.node_path', f.path)} AND ${LIVED_IN} AND NOT ${VISITED_SINCE('$1')})
     SELECT ${UNVISITED_COLS}, (SELECT count(*)::int FROM gap) AS total
       FROM households h JOIN gap ON gap.id = h.id
      ORDER BY last_visited_at ASC NULLS FIRST, h.id
      LIMIT $2 OFFSET $3`,
    [f.since, page.limit, page.offset],
  );
  const total =
    rows[0]?.total ??
    (
      await q.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM households h
          WHERE ${under('h.node_path', f.path)} AND ${LIVED_IN} AND NOT ${VISITED_SINCE('$1')}`,
        [f.since],
      )
    )[0]!.n;
  return { rows, total };
}

/** The same households in id order after `afterId` (keyset pages for the export). */
export async function listUnvisitedAfter(
  q: Queryable,
  f: { path: string; since: Date },
  afterId: number,
  limit: number,
): Promise<UnvisitedRow[]> {
  return q.query<UnvisitedRow>(
    `SELECT ${UNVISITED_COLS} FROM households h
      WHERE ${under('h.node_path', f.path)} AND ${LIVED_IN} AND NOT ${VISITED_SINCE('$1')} AND h.id > $2
      ORDER BY h.id LIMIT $3`,
    [f.since, afterId, limit],
  );
}
