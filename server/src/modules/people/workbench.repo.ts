import type { Queryable } from '../../platform/db/client.js';

/**
 * The people module's figures for the workbench. `scope` is a condition from `scopeSql` over the column
 * named `p` (each statement aliases its path column so), so one condition serves every table.
 */

/** Monday 00:00 of this week in Asia/Shanghai, where the offices are. */
const WEEK_START = `(date_trunc('week', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;

export type PeopleTotals = { residents: number; households: number; houses: number };

export async function countPeopleTotals(q: Queryable, scope: (column: string) => string): Promise<PeopleTotals> {
  const rows = await q.query<PeopleTotals>(
    `SELECT
       (SELECT count(*)::int FROM residents r WHERE r.status = 'active' AND ${scope('r.node_path')}) AS residents,
       (SELECT count(*)::int FROM households h WHERE h.dissolved_at IS NULL AND ${scope('h.node_path')}) AS households,
       (SELECT count(*)::int FROM houses o WHERE ${scope('o.node_path')}) AS houses`,
  );
  return rows[0]!;
}

export type GroupCount = { code: string; name: string; sensitive: boolean; holders: number };

/** The tags under 特殊人群 (special_groups) with their living holders in scope, in dictionary order. */
export async function countSpecialGroups(q: Queryable, scope: (column: string) => string): Promise<GroupCount[]> {
  return q.query<GroupCount>(
    `SELECT t.code, t.name, t.sensitive,
            (SELECT count(*)::int FROM resident_tags rt JOIN residents r ON r.id = rt.resident_id
              WHERE rt.tag_id = t.id AND r.status = 'active' AND ${scope('rt.node_path')}) AS holders
       FROM tags t JOIN tags g ON g.id = t.parent_id AND g.code = 'special_groups'
      ORDER BY t.sort, t.id`,
  );
}

export type WeekActivity = { imports: number; importedRows: number; changes: number };

/**
 * This week's committed imports (and the rows they wrote) and changes to residents, households and houses, read
 * from the audit trail: every such change is audited with the path of its target.
 */
export async function countWeekActivity(q: Queryable, scope: (column: string) => string): Promise<WeekActivity> {
  const rows = await q.query<WeekActivity>(
    `SELECT
       count(*) FILTER (WHERE a.action = 'people.import')::int AS imports,
       COALESCE(sum(CASE WHEN a.action = 'people.import' THEN
         COALESCE((a.diff -> 'rowsInserted' ->> 1)::int, 0) + COALESCE((a.diff -> 'rowsUpdated' ->> 1)::int, 0)
       END), 0)::int AS "importedRows",
       count(*) FILTER (WHERE a.target_type IN ('resident', 'household', 'house') AND a.action <> 'pii.reveal')::int
         AS changes
       FROM audit_log a
      WHERE a.at >= ${WEEK_START} AND ${scope('a.scope_path')}`,
  );
  return rows[0]!;
}

/** The start of this week (Monday, Asia/Shanghai) as a timestamp. */
export async function weekStart(q: Queryable): Promise<Date> {
  const rows = await q.query<{ at: Date }>(`SELECT ${WEEK_START} AS at`);
  return rows[0]!.at;
}

/** The names of the nodes at these paths (an area's own name for the reader). */
export async function nodeNamesAt(q: Queryable, paths: string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const rows = await q.query<{ name: string }>(
    'SELECT name FROM org_nodes WHERE path = ANY($1::text[]) ORDER BY path',
    [paths],
  );
  return rows.map((r) => r.name);
}
