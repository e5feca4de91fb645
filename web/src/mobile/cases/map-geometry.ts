/**
 * Pure geometry for the phone's grid map: GeoJSON outlines (WGS 84) projected with Web Mercator — the projection
 * map tiles use, so a configured tile background lines up — into "world units" (the whole world is 256 × 256 at
 * zoom 0), and back; point-in-polygon to tell which grid a tapped point lies in; the tiles covering a view.
 */

export type LngLat = { lng: number; lat: number };
export type XY = { x: number; y: number };
export type Ring = number[][];
export type Geometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
export type Bounds = { minX: number; minY: number; maxX: number; maxY: number };

const TILE = 256;
const MAX_LAT = 85.05112878;

export function project({ lng, lat }: LngLat): XY {
  const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const s = Math.sin((clamped * Math.PI) / 180);
  return {
    x: ((lng + 180) / 360) * TILE,
    y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * TILE,
  };
}

export function unproject({ x, y }: XY): LngLat {
  const lng = (x / TILE) * 360 - 180;
  const n = Math.PI - (2 * Math.PI * y) / TILE;
  const lat = (180 / Math.PI) * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)));
  return { lng, lat };
}

/** A stored boundary as a geometry, or null when it is none of the two shapes the hierarchy keeps. */
export function asGeometry(value: unknown): Geometry | null {
  const g = value as { type?: unknown; coordinates?: unknown } | null;
  if (!g || !Array.isArray(g.coordinates)) return null;
  if (g.type === 'Polygon' || g.type === 'MultiPolygon') return g as Geometry;
  return null;
}

export function polygonsOf(g: Geometry): Ring[][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/**
 * A view: world units shifted to the bounds' corner and scaled so the bounds are `widthPx` wide. SVG keeps
 * coordinates as 32-bit floats, in which a community (a few thousandths of a world unit, 200 units from the
 * origin) would be only a few hundred steps wide; local coordinates keep full detail.
 */
export type View = { originX: number; originY: number; k: number; width: number; height: number };

export function makeView(b: Bounds, widthPx: number): View {
  const k = widthPx / Math.max(b.maxX - b.minX, 1e-12);
  return { originX: b.minX, originY: b.minY, k, width: widthPx, height: (b.maxY - b.minY) * k };
}

export function toView(v: View, lngLat: LngLat): XY {
  const p = project(lngLat);
  return { x: (p.x - v.originX) * v.k, y: (p.y - v.originY) * v.k };
}

export function fromView(v: View, { x, y }: XY): LngLat {
  return unproject({ x: x / v.k + v.originX, y: y / v.k + v.originY });
}

/** The SVG path of a geometry in a view (every ring closed; holes drawn by the even-odd rule). */
export function pathOf(g: Geometry, v: View): string {
  return polygonsOf(g)
    .flatMap((rings) =>
      rings.map((ring) => {
        const pts = ring.map(([lng, lat]) => toView(v, { lng: lng!, lat: lat! }));
        return `M${pts.map((p) => `${round(p.x)},${round(p.y)}`).join('L')}Z`;
      }),
    )
    .join('');
}

const round = (v: number) => Math.round(v * 100) / 100;

/** Whether a point lies inside a geometry (ray casting; a point inside a hole is outside). */
export function contains(g: Geometry, { lng, lat }: LngLat): boolean {
  return polygonsOf(g).some((rings) => {
    let inside = false;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i] as [number, number];
        const [xj, yj] = ring[j] as [number, number];
        if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    return inside;
  });
}

/** The centre of a geometry's bounding box (where its label goes). */
export function centreOf(g: Geometry): LngLat {
  const b = boundsOf([g]);
  return unproject({ x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 });
}

/** The bounds of geometries in world units, or null when there are none. */
export function boundsOf(geometries: Geometry[]): Bounds {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const g of geometries)
    for (const rings of polygonsOf(g))
      for (const ring of rings)
        for (const [lng, lat] of ring) {
          const p = project({ lng: lng!, lat: lat! });
          minX = Math.min(minX, p.x);
          minY = Math.min(minY, p.y);
          maxX = Math.max(maxX, p.x);
          maxY = Math.max(maxY, p.y);
        }
  return { minX, minY, maxX, maxY };
}

/** Bounds grown by a share of their size on every side. */
export function pad(b: Bounds, share: number): Bounds {
  const dx = (b.maxX - b.minX) * share;
  const dy = (b.maxY - b.minY) * share;
  return { minX: b.minX - dx, minY: b.minY - dy, maxX: b.maxX + dx, maxY: b.maxY + dy };
}

export type Tile = { url: string; x: number; y: number; size: number };

/**
 * The tiles of a URL template ({x}, {y}, {z}) covering the bounds drawn `widthPx` wide: the zoom whose tiles
 * show at about their own size, at most `maxTiles` of them (none when more would be needed).
 */
export function tilesFor(template: string, b: Bounds, widthPx: number, maxTiles = 36): Tile[] {
  const scale = widthPx / Math.max(b.maxX - b.minX, 1e-12);
  const z = Math.max(1, Math.min(19, Math.round(Math.log2(scale))));
  const n = 2 ** z;
  const size = TILE / n;
  const x0 = Math.floor(b.minX / size);
  const x1 = Math.floor(b.maxX / size);
  const y0 = Math.floor(b.minY / size);
  const y1 = Math.floor(b.maxY / size);
  if ((x1 - x0 + 1) * (y1 - y0 + 1) > maxTiles) return [];
  const tiles: Tile[] = [];
  for (let tx = x0; tx <= x1; tx++)
    for (let ty = y0; ty <= y1; ty++) {
      if (ty < 0 || ty >= n) continue;
      const wrapped = ((tx % n) + n) % n;
      const url = template
        .replaceAll('{z}', String(z))
        .replaceAll('{x}', String(wrapped))
        .replaceAll('{y}', String(ty));
      tiles.push({ url, x: tx * size, y: ty * size, size });
    }
  return tiles;
}
