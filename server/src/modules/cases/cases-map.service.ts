import type { Ctx } from '../../platform/access/context.js';
import { pathInScope } from '../../platform/access/scope.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { reportArea } from './cases.logic.js';
import { findCommunityOf, listMapNodes, type MapNodeRow } from './cases-map.repo.js';
import type { CommunityMap, MapNode, MapQuery } from './cases-map.schemas.js';

export type CasesMapDeps = { db: Db; mapTiles: string | null };

/**
 * The grid map of a community the caller may report in: the node asked for (its community), else the community
 * of the caller's first post at or below one. Throws ORG_NODE_NOT_FOUND (field nodeId) for a node outside the
 * caller's reporting area, one above communities, or a caller with no community of their own.
 */
export async function getCommunityMap(deps: CasesMapDeps, ctx: Ctx, query: MapQuery): Promise<CommunityMap> {
  const grants = ctx.principal.grants;
  let community: MapNodeRow | undefined;
  if (query.nodeId !== undefined) {
    community = await findCommunityOf(deps.db, query.nodeId);
    // The same area as reporting a case: the community of a post at or below one, a street's or county's whole area.
    if (community && !pathInScope(reportArea(grants), community.path)) community = undefined;
  } else {
    for (const g of grants) {
      if (g.nodeId === null) continue;
      community = await findCommunityOf(deps.db, g.nodeId);
      if (community) break;
    }
  }
  if (!community) throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });

  const rows = await listMapNodes(deps.db, community.path);
  const gridOf = (path: string): number | null => {
    const grid = rows.find((r) => r.type === 'grid' && path.startsWith(r.path) && path !== r.path);
    return grid?.id ?? null;
  };
  const view = (r: MapNodeRow, parentGridId: number | null): MapNode => ({
    id: r.id,
    name: r.name,
    type: r.type,
    parentGridId,
    boundary: r.boundary,
  });
  return {
    community: view(community, null),
    grids: rows.filter((r) => r.type === 'grid').map((r) => view(r, community!.id)),
    buildings: rows.filter((r) => r.type === 'building').map((r) => view(r, gridOf(r.path))),
    tiles: deps.mapTiles,
  };
}
