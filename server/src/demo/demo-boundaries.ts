/**
 * Grid-map outlines for the demo community (东关社区), so the phone's map has something to draw and a point a
 * resident taps falls into a grid. Invented coordinates (WGS 84, near 35.66 N 117.27 E), laid out like a small
 * town quarter: the community is a block about 1 km wide, cut into five grids by streets that are not quite
 * straight, each grid holding its six buildings in two rows. Only the demo community gets outlines; the other
 * places stay without, as an installation's hierarchy often does until someone draws it.
 */

type Ring = [number, number][];
export type DemoPolygon = { type: 'Polygon'; coordinates: Ring[] };

const WEST = 117.27;
const EAST = 117.282;
const SOUTH = 35.655;
const NORTH = 35.6622;
/** Where the streets between the grids meet the south and the north edge (longitudes), west to east. */
const CUTS_SOUTH = [WEST, 117.2725, 117.2748, 117.2771, 117.2796, EAST];
const CUTS_NORTH = [WEST + 0.0006, 117.2729, 117.2746, 117.2775, 117.2793, EAST - 0.0004];

const round = (v: number) => Math.round(v * 1e6) / 1e6;
const ring = (points: [number, number][]): Ring => {
  const r = points.map(([lng, lat]) => [round(lng), round(lat)] as [number, number]);
  return [...r, r[0]!];
};

/** The demo community's outline. */
export function demoCommunityBoundary(): DemoPolygon {
  return {
    type: 'Polygon',
    coordinates: [
      ring([
        [CUTS_SOUTH[0]!, SOUTH],
        [EAST, SOUTH],
        [CUTS_NORTH[5]!, NORTH],
        [(WEST + EAST) / 2, NORTH + 0.0004],
        [CUTS_NORTH[0]!, NORTH],
      ]),
    ],
  };
}

/** The north edge's latitude at a longitude (it bulges a little in the middle, as the outline above does). */
function northAt(lng: number): number {
  const mid = (WEST + EAST) / 2;
  const t =
    lng <= mid ? (lng - CUTS_NORTH[0]!) / (mid - CUTS_NORTH[0]!) : (CUTS_NORTH[5]! - lng) / (CUTS_NORTH[5]! - mid);
  return NORTH + 0.0004 * Math.max(0, Math.min(1, t));
}

/** Grid `g` (0-based, west to east) of the demo community. */
export function demoGridBoundary(g: number): DemoPolygon {
  const sw = CUTS_SOUTH[g]!;
  const se = CUTS_SOUTH[g + 1]!;
  const nw = CUTS_NORTH[g]!;
  const ne = CUTS_NORTH[g + 1]!;
  const mid = (WEST + EAST) / 2;
  const points: [number, number][] = [
    [sw, SOUTH],
    [se, SOUTH],
    [ne, northAt(ne)],
  ];
  // The grid that holds the outline's northern tip follows it.
  if (nw < mid && ne > mid) points.push([mid, NORTH + 0.0004]);
  points.push([nw, northAt(nw)]);
  return { type: 'Polygon', coordinates: [ring(points)] };
}

/**
 * Building `b` (0-based: micro-grid m = b / 3, then 0-2) of grid `g`: a block of flats about 55 × 30 m inside the
 * grid, in two rows (the micro-grids) of three.
 */
export function demoBuildingBoundary(g: number, b: number): DemoPolygon {
  const row = Math.floor(b / 3);
  const col = b % 3;
  const west = Math.max(CUTS_SOUTH[g]!, CUTS_NORTH[g]!) + 0.0002;
  const east = Math.min(CUTS_SOUTH[g + 1]!, CUTS_NORTH[g + 1]!) - 0.0002;
  const width = (east - west) / 3;
  const x0 = west + col * width + width * 0.1;
  const x1 = x0 + width * 0.8;
  const y0 = SOUTH + 0.0012 + row * 0.0028 + col * 0.0004;
  const y1 = y0 + 0.00028;
  return {
    type: 'Polygon',
    coordinates: [
      ring([
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
      ]),
    ],
  };
}
