import type { Queryable } from '../../platform/db/client.js';

export type MapNodeRow = {
  id: number;
  name: string;
  type: string;
  path: string;
  boundary: Record<string, unknown> | null;
};

/** The active community or village at or above the node (none when the node lies above communities). */
export async function findCommunityOf(q: Queryable, nodeId: number): Promise<MapNodeRow | undefined> {
  const rows = await q.query<MapNodeRow>(
    `SELECT c.id, c.name, c.type, c.path, c.boundary
       FROM org_nodes n
       JOIN org_nodes c ON n.path LIKE c.path || '%' AND c.type IN ('community', 'village') AND c.status = 'active'
      WHERE n.id = $1 AND n.status = 'active'`,
    [nodeId],
  );
  return rows[0];
}

/** The active grids, micro-grids and buildings under a community, top down. */
export async function listMapNodes(q: Queryable, communityPath: string): Promise<MapNodeRow[]> {
  return q.query<MapNodeRow>(
    `SELECT id, name, type, path, boundary
       FROM org_nodes
      WHERE path LIKE $1 || '%' AND path <> $1 AND type IN ('grid', 'micro_grid', 'building') AND status = 'active'
      ORDER BY depth, id`,
    [communityPath],
  );
}
