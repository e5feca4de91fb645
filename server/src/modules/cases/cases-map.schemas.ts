import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict } from '../../platform/http/schemas.js';

/**
 * The grid map of one community (the phone's 我要报事 and 巡查上报 draw it): the community's outline, its grids
 * and its buildings, each with its GeoJSON boundary from the hierarchy (`org_nodes.boundary`, a Polygon or
 * MultiPolygon in WGS 84) or null where none is drawn, and the tile template when one is configured.
 */
export const MapQuery = Strict({
  /** A community or village (or any node under one: its community is meant); default: the caller's own. */
  nodeId: Type.Optional(Id),
});
export type MapQuery = Static<typeof MapQuery>;

const Geometry = Nullable(Type.Object({}, { additionalProperties: true }));

export const MapNode = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  type: Type.String(),
  /** For a building: the grid it lies in (through its micro-grid); for a grid: the community. */
  parentGridId: Nullable(Type.Integer()),
  boundary: Geometry,
});
export type MapNode = Static<typeof MapNode>;

export const CommunityMap = Type.Object({
  community: MapNode,
  grids: Type.Array(MapNode),
  buildings: Type.Array(MapNode),
  /**
   * A tile URL template with {x}, {y} and {z} (LINLI_MAP_TILES, e.g. 天地图 with its key), or null: then the map
   * is the outlines alone and nothing is fetched from elsewhere.
   */
  tiles: Nullable(Type.String()),
});
export type CommunityMap = Static<typeof CommunityMap>;
