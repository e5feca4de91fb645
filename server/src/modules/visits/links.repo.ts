import type { Queryable } from '../../platform/db/client.js';
import type { LinkKind } from './links.schemas.js';

/** SQL of 一网三联's links (grid_links), and the few facts about people and places their rules need. */

/** A link with what its views show: the linker's and community's names, and the target's parts for its label. */
export type LinkRow = {
  id: number;
  county_id: number;
  community_id: number;
  community_name: string;
  kind: LinkKind;
  user_id: number;
  user_name: string;
  resident_id: number | null;
  node_id: number | null;
  node_name: string | null;
  household_id: number | null;
  node_path: string;
  valid_from: string;
  valid_to: string | null;
  note: string | null;
  created_at: Date;
  ended_at: Date | null;
  active: boolean;
  /** The household's place ("1号楼 1单元 0301") and head, for party_household links. */
  place_label: string | null;
  head_name: string | null;
};

/** "1号楼 1单元 0301" from the household's node (a unit under its building, or a courtyard) and its room. */
const PLACE_LABEL = `concat_ws(' ', CASE WHEN hn.type = 'unit' THEN hp.name END, hn.name, hs.room_no)`;

/** Joins that give a household `h` its place label parts and head (`hh`). */
const HOUSEHOLD_JOINS = `
  JOIN org_nodes hn ON hn.id = h.node_id
  LEFT JOIN org_nodes hp ON hp.id = hn.parent_id
  LEFT JOIN houses hs ON hs.id = h.house_id
  LEFT JOIN residents hh ON hh.id = h.head_resident_id`;

const LINK_SELECT = `
  SELECT l.id::int AS id, l.county_id::int AS county_id, l.community_id::int AS community_id, c.name AS community_name,
         l.kind, l.user_id::int AS user_id, u.display_name AS user_name, l.resident_id::int AS resident_id,
         l.node_id::int AS node_id, ln.name AS node_name, l.household_id::int AS household_id, l.node_path,
         to_char(l.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(l.valid_to, 'YYYY-MM-DD') AS valid_to,
         l.note, l.created_at, l.ended_at,
         (l.ended_at IS NULL AND l.valid_from <= $1::date AND (l.valid_to IS NULL OR l.valid_to >= $1::date)) AS active,
         CASE WHEN h.id IS NOT NULL THEN ${PLACE_LABEL} END AS place_label, hh.name AS head_name
    FROM grid_links l
    JOIN org_nodes c ON c.id = l.community_id
    JOIN users u ON u.id = l.user_id
    LEFT JOIN org_nodes ln ON ln.id = l.node_id
    LEFT JOIN households h ON h.id = l.household_id
    LEFT JOIN org_nodes hn ON hn.id = h.node_id
    LEFT JOIN org_nodes hp ON hp.id = hn.parent_id
    LEFT JOIN houses hs ON hs.id = h.house_id
    LEFT JOIN residents hh ON hh.id = h.head_resident_id`;

/** The condition "in force on day $1". */
const ACTIVE = `l.ended_at IS NULL AND l.valid_from <= $1::date AND (l.valid_to IS NULL OR l.valid_to >= $1::date)`;

export type LinkFilter = {
  /** SQL condition on l.node_path (the reader's scope), paths inlined by scopeSql. */
  scope: string;
  day: string;
  underPath?: string;
  kind?: LinkKind;
  userId?: number;
  householdId?: number;
  activeOnly: boolean;
};

function whereOf(f: LinkFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [f.day];
  const conds = [f.scope];
  if (f.underPath !== undefined) {
    params.push(`${f.underPath}%`);
    conds.push(`l.node_path LIKE $${params.length}`);
  }
  if (f.kind !== undefined) {
    params.push(f.kind);
    conds.push(`l.kind = $${params.length}`);
  }
  if (f.userId !== undefined) {
    params.push(f.userId);
    conds.push(`l.user_id = $${params.length}`);
  }
  if (f.householdId !== undefined) {
    params.push(f.householdId);
    conds.push(`l.household_id = $${params.length}`);
  }
  if (f.activeOnly) conds.push(ACTIVE);
  return { where: conds.join(' AND '), params };
}

export async function listLinks(
  q: Queryable,
  f: LinkFilter,
  limit: number,
  offset: number,
): Promise<{ rows: LinkRow[]; total: number }> {
  const { where, params } = whereOf(f);
  // $1 (the day) is named even when no condition uses it, so that its type is known.
  const count = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM grid_links l WHERE $1::date IS NOT NULL AND ${where}`,
    params,
  );
  const rows = await q.query<LinkRow>(
    `${LINK_SELECT} WHERE ${where}
      ORDER BY c.name, u.display_name, l.user_id, l.kind, l.node_path, l.id
      LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
    params,
  );
  return { rows, total: count[0]?.n ?? 0 };
}

export async function findLink(q: Queryable, id: number, day: string, forUpdate = false): Promise<LinkRow | undefined> {
  if (forUpdate) await q.query('SELECT id FROM grid_links WHERE id = $1 FOR UPDATE', [id]);
  const rows = await q.query<LinkRow>(`${LINK_SELECT} WHERE l.id = $2`, [day, id]);
  return rows[0];
}

export async function findLinksByIds(q: Queryable, ids: number[], day: string): Promise<LinkRow[]> {
  if (ids.length === 0) return [];
  return q.query<LinkRow>(`${LINK_SELECT} WHERE l.id = ANY($2::bigint[]) ORDER BY l.id`, [day, ids]);
}

/** Links in force under a path (the tree), and per linker how many distinct households they reach. */
export async function activeLinksUnder(q: Queryable, scope: string, path: string, day: string): Promise<LinkRow[]> {
  return q.query<LinkRow>(
    `${LINK_SELECT} WHERE ${scope} AND l.node_path LIKE $2 AND ${ACTIVE}
      ORDER BY u.display_name, l.user_id, l.kind, l.node_path, l.id LIMIT 5000`,
    [day, `${path}%`],
  );
}

export async function householdsPerLinker(
  q: Queryable,
  scope: string,
  path: string,
  day: string,
): Promise<Map<number, number>> {
  const rows = await q.query<{ user_id: number; n: number }>(
    `SELECT l.user_id::int AS user_id, count(DISTINCT h.id)::int AS n
       FROM grid_links l
       JOIN households h ON h.dissolved_at IS NULL
        AND ((l.kind = 'party_household' AND h.id = l.household_id)
          OR (l.kind <> 'party_household' AND h.node_path LIKE l.node_path || '%'))
      WHERE ${scope} AND l.node_path LIKE $2 AND ${ACTIVE}
      GROUP BY l.user_id`,
    [day, `${path}%`],
  );
  return new Map(rows.map((r) => [r.user_id, r.n]));
}

export type HouseholdRow = {
  id: number;
  county_id: number;
  node_path: string;
  place_label: string;
  head_name: string | null;
  members: number;
  last_visited_at: Date | null;
};

const HOUSEHOLD_SELECT = `
  SELECT h.id::int AS id, h.county_id::int AS county_id, h.node_path, ${PLACE_LABEL} AS place_label,
         hh.name AS head_name,
         (SELECT count(*)::int FROM residents m WHERE m.household_id = h.id AND m.status = 'active') AS members`;

/** Households not dissolved, by id (for a batch of party_household links). */
export async function findHouseholds(q: Queryable, ids: number[]): Promise<HouseholdRow[]> {
  return q.query<HouseholdRow>(
    `${HOUSEHOLD_SELECT}, NULL::timestamptz AS last_visited_at
       FROM households h ${HOUSEHOLD_JOINS}
      WHERE h.id = ANY($1::bigint[]) AND h.dissolved_at IS NULL`,
    [ids],
  );
}

/**
 * Households under a path in the reader's scope that nobody reaches: no party member linked to them and no
 * building leader linked to a building above them, on day $1.
 */
export async function listGaps(
  q: Queryable,
  scope: string,
  path: string | null,
  day: string,
  limit: number,
  offset: number,
  withoutParty = false,
): Promise<{ rows: HouseholdRow[]; total: number }> {
  const params: unknown[] = [day];
  const conds = ['h.dissolved_at IS NULL', scope];
  if (path !== null) {
    params.push(`${path}%`);
    conds.push(`h.node_path LIKE $${params.length}`);
  }
  conds.push(`NOT EXISTS (SELECT 1 FROM grid_links l WHERE ${ACTIVE}
     AND ((l.kind = 'party_household' AND l.household_id = h.id)
       ${withoutParty ? '' : "OR (l.kind = 'leader_building' AND h.node_path LIKE l.node_path || '%')"}))`);
  const where = conds.join(' AND ');
  const count = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM households h WHERE ${where}`, params);
  const rows = await q.query<HouseholdRow>(
    `${HOUSEHOLD_SELECT}, NULL::timestamptz AS last_visited_at
       FROM households h ${HOUSEHOLD_JOINS}
      WHERE ${where}
      ORDER BY h.node_path, hs.room_no NULLS LAST, h.id
      LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`,
    params,
  );
  return { rows, total: count[0]?.n ?? 0 };
}

/** The households one link reaches (its household, or those under its building or group), at most `limit`. */
export async function householdsOfLink(q: Queryable, link: LinkRow, limit: number): Promise<HouseholdRow[]> {
  const cond = link.household_id !== null ? 'h.id = $1' : `h.node_path LIKE $1`;
  const param = link.household_id !== null ? link.household_id : `${link.node_path}%`;
  return q.query<HouseholdRow>(
    `${HOUSEHOLD_SELECT},
         (SELECT max(v.visited_at) FROM visits v WHERE v.household_id = h.id) AS last_visited_at
       FROM households h ${HOUSEHOLD_JOINS}
      WHERE ${cond} AND h.dissolved_at IS NULL
      ORDER BY h.node_path, hs.room_no NULLS LAST, h.id
      LIMIT ${Math.trunc(limit)}`,
    [param],
  );
}

/** What the community rule needs to know of a linker: active, their posts' and own resident record's paths. */
export type LinkerRow = {
  id: number;
  display_name: string;
  disabled: boolean;
  resident_id: number | null;
  post_paths: string[];
  resident_path: string | null;
};

export async function findLinker(q: Queryable, userId: number): Promise<LinkerRow | undefined> {
  const rows = await q.query<LinkerRow>(
    `SELECT u.id::int AS id, u.display_name, u.disabled, u.resident_id::int AS resident_id,
            COALESCE((SELECT array_agg(n.path ORDER BY n.path) FROM posts p JOIN org_nodes n ON n.id = p.node_id
                       WHERE p.user_id = u.id), '{}') AS post_paths,
            (SELECT r.node_path FROM residents r WHERE r.id = u.resident_id AND r.status = 'active') AS resident_path
       FROM users u WHERE u.id = $1`,
    [userId],
  );
  return rows[0];
}

export async function findResidentPath(q: Queryable, residentId: number): Promise<string | null> {
  const rows = await q.query<{ node_path: string }>(
    `SELECT node_path FROM residents WHERE id = $1 AND status = 'active'`,
    [residentId],
  );
  return rows[0]?.node_path ?? null;
}

/** Ids of links in force (not ended) that a new one would repeat. */
export async function existingLinks(
  q: Queryable,
  kind: LinkKind,
  userId: number,
  nodeId: number | null,
  householdIds: number[],
): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `SELECT id::int AS id FROM grid_links
      WHERE ended_at IS NULL AND kind = $1 AND user_id = $2
        AND (($3::bigint IS NOT NULL AND node_id = $3) OR household_id = ANY($4::bigint[]))`,
    [kind, userId, nodeId, householdIds],
  );
  return rows.map((r) => r.id);
}

export type NewLink = {
  countyId: number;
  communityId: number;
  kind: LinkKind;
  userId: number;
  residentId: number | null;
  nodeId: number | null;
  householdId: number | null;
  nodePath: string;
  validFrom: string;
  validTo: string | null;
  note: string | null;
  createdBy: number | null;
};

export async function insertLink(q: Queryable, l: NewLink): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO grid_links (county_id, community_id, kind, user_id, resident_id, node_id, household_id, node_path,
       valid_from, valid_to, note, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id::int AS id`,
    [
      l.countyId,
      l.communityId,
      l.kind,
      l.userId,
      l.residentId,
      l.nodeId,
      l.householdId,
      l.nodePath,
      l.validFrom,
      l.validTo,
      l.note,
      l.createdBy,
    ],
  );
  return rows[0]!.id;
}

export async function updateLink(
  q: Queryable,
  id: number,
  set: { validTo?: string | null; note?: string | null },
): Promise<void> {
  const cols: string[] = [];
  const params: unknown[] = [id];
  if (set.validTo !== undefined) {
    params.push(set.validTo);
    cols.push(`valid_to = $${params.length}::date`);
  }
  if (set.note !== undefined) {
    params.push(set.note);
    cols.push(`note = $${params.length}`);
  }
  if (cols.length === 0) return;
  await q.query(`UPDATE grid_links SET ${cols.join(', ')} WHERE id = $1`, params);
}

export async function endLink(q: Queryable, id: number, by: number | null): Promise<void> {
  await q.query('UPDATE grid_links SET ended_at = now(), ended_by = $2 WHERE id = $1', [id, by]);
}

/** Nodes by id: the community a path names, for its name. */
export async function nodeNames(q: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<{ id: number; name: string }>(
    'SELECT id::int AS id, name FROM org_nodes WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
