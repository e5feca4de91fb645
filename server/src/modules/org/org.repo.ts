import type { NodeType } from '../../platform/access/roles.js';
import type { Queryable } from '../../platform/db/client.js';

export type NodeRow = {
  id: number;
  parent_id: number | null;
  county_id: number;
  type: NodeType;
  name: string;
  code: string | null;
  path: string;
  depth: number;
  status: 'active' | 'retired';
  boundary: Record<string, unknown> | null;
  child_count: number;
  created_at: Date;
  updated_at: Date;
};

const COLS = `n.id, n.parent_id, n.county_id, n.type, n.name, n.code, n.path, n.depth, n.status, n.boundary,
  n.created_at, n.updated_at,
  (SELECT count(*)::int FROM org_nodes c WHERE c.parent_id = n.id AND c.status = 'active') AS child_count`;

export async function findNode(q: Queryable, id: number): Promise<NodeRow | undefined> {
  const rows = await q.query<NodeRow>(`SELECT ${COLS} FROM org_nodes n WHERE n.id = $1`, [id]);
  return rows[0];
}

/** Locks the row for the rest of the transaction (moves and retirements must not interleave). */
export async function findNodeForUpdate(q: Queryable, id: number): Promise<NodeRow | undefined> {
  const rows = await q.query<NodeRow>(`SELECT ${COLS} FROM org_nodes n WHERE n.id = $1 FOR UPDATE OF n`, [id]);
  return rows[0];
}

export async function findNodesByIds(q: Queryable, ids: number[]): Promise<NodeRow[]> {
  if (ids.length === 0) return [];
  return q.query<NodeRow>(`SELECT ${COLS} FROM org_nodes n WHERE n.id = ANY($1::bigint[]) ORDER BY n.depth`, [ids]);
}

export async function listChildren(q: Queryable, parentId: number, includeRetired: boolean): Promise<NodeRow[]> {
  return q.query<NodeRow>(
    `SELECT ${COLS} FROM org_nodes n WHERE n.parent_id = $1 AND ($2 OR n.status = 'active')
      ORDER BY n.status, n.code NULLS LAST, n.name, n.id`,
    [parentId, includeRetired],
  );
}

export async function listTopNodes(q: Queryable): Promise<NodeRow[]> {
  return q.query<NodeRow>(
    `SELECT ${COLS} FROM org_nodes n WHERE n.parent_id IS NULL AND n.status = 'active' ORDER BY n.code, n.id`,
  );
}

/** Name or code search inside a scope condition (built by the access layer). */
export async function searchNodes(
  q: Queryable,
  scopeCondition: string,
  text: string,
  type: NodeType | undefined,
  limit: number,
): Promise<(NodeRow & { parent_names: string[] })[]> {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  const like = `%${escaped}%`;
  // The exact name first, then names starting with the text, so that 1号楼 comes before 11号楼.
  return q.query<NodeRow & { parent_names: string[] }>(
    `SELECT ${COLS},
            ARRAY(SELECT a.name FROM org_nodes a
                   WHERE a.id = ANY(string_to_array(trim(BOTH '/' FROM n.path), '/')::bigint[])
                     AND a.id <> n.id AND a.type <> 'county'
                   ORDER BY a.depth) AS parent_names
       FROM org_nodes n
      WHERE ${scopeCondition} AND n.status = 'active' AND ($2::text IS NULL OR n.type = $2)
        AND (n.name LIKE $1 OR n.code LIKE $1)
      ORDER BY (n.name = $4 OR n.code IS NOT DISTINCT FROM $4) DESC, (n.name LIKE $5) DESC, n.depth, length(n.name), n.name
      LIMIT $3`,
    [like, type ?? null, limit, text, `${escaped}%`],
  );
}

export async function nextNodeId(q: Queryable): Promise<number> {
  const rows = await q.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('org_nodes', 'id')) AS id`);
  return rows[0]!.id;
}

export async function insertNode(
  q: Queryable,
  n: {
    id: number;
    parentId: number | null;
    countyId: number;
    type: NodeType;
    name: string;
    code: string | null;
    path: string;
    depth: number;
    boundary: Record<string, unknown> | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO org_nodes (id, parent_id, county_id, type, name, code, path, depth, boundary)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      n.id,
      n.parentId,
      n.countyId,
      n.type,
      n.name,
      n.code,
      n.path,
      n.depth,
      n.boundary === null ? null : JSON.stringify(n.boundary),
    ],
  );
}

export async function updateNode(
  q: Queryable,
  id: number,
  patch: { name: string; code: string | null; boundary: Record<string, unknown> | null },
): Promise<void> {
  await q.query('UPDATE org_nodes SET name = $2, code = $3, boundary = $4, updated_at = now() WHERE id = $1', [
    id,
    patch.name,
    patch.code,
    patch.boundary === null ? null : JSON.stringify(patch.boundary),
  ]);
}

/** Rewrites the paths (and region key) of a whole subtree in one statement. */
export async function moveSubtree(
  q: Queryable,
  m: { id: number; oldPath: string; newPath: string; newParentId: number; depthDelta: number; countyId: number },
): Promise<number> {
  await q.query('UPDATE org_nodes SET parent_id = $2, updated_at = now() WHERE id = $1', [m.id, m.newParentId]);
  const rows = await q.query<{ id: number }>(
    `UPDATE org_nodes SET path = $2 || substr(path, length($1) + 1), depth = depth + $3, county_id = $4
      WHERE path LIKE $1 || '%' RETURNING id`,
    [m.oldPath, m.newPath, m.depthDelta, m.countyId],
  );
  await q.query(
    `UPDATE users SET county_id = $2 WHERE home_node_id IN (SELECT id FROM org_nodes WHERE path LIKE $1 || '%')`,
    [m.newPath, m.countyId],
  );
  await q.query(
    `UPDATE posts SET county_id = $2 WHERE node_id IN (SELECT id FROM org_nodes WHERE path LIKE $1 || '%')`,
    [m.newPath, m.countyId],
  );
  return rows.length;
}

export async function retireNode(q: Queryable, id: number): Promise<void> {
  await q.query(`UPDATE org_nodes SET status = 'retired', retired_at = now(), updated_at = now() WHERE id = $1`, [id]);
}

export async function countActiveChildren(q: Queryable, id: number): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM org_nodes WHERE parent_id = $1 AND status = 'active'`,
    [id],
  );
  return rows[0]!.n;
}

/** Posts and enabled accounts bound to the node or anything under it. */
export async function countPeopleUnder(q: Queryable, path: string): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM posts p JOIN org_nodes n ON n.id = p.node_id WHERE n.path LIKE $1 || '%')
          + (SELECT count(*) FROM users u JOIN org_nodes n ON n.id = u.home_node_id
              WHERE n.path LIKE $1 || '%' AND NOT u.disabled) AS n`,
    [path],
  );
  return Number(rows[0]!.n);
}

export async function countNodes(q: Queryable): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM org_nodes');
  return rows[0]!.n;
}

export type NodeBrief = Pick<NodeRow, 'id' | 'parent_id' | 'county_id' | 'type' | 'name' | 'code' | 'path'>;

/** Active nodes of some counties (every county for null), without the per-node child count. */
export async function listActiveNodesOfCounties(q: Queryable, countyIds: number[] | null): Promise<NodeBrief[]> {
  return q.query<NodeBrief>(
    `SELECT id, parent_id, county_id, type, name, code, path FROM org_nodes
      WHERE status = 'active' AND ($1::bigint[] IS NULL OR county_id = ANY($1::bigint[]))
      ORDER BY depth, id`,
    [countyIds],
  );
}
