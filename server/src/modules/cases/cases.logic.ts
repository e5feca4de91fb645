/**
 * Pure rules of the cases module besides the workflow: where an account may report, and whether a point lies in a
 * grid's boundary (GeoJSON from the hierarchy).
 */
import type { Grant, Scope } from '../../platform/access/scope.js';

/**
 * Where an account may report a case: for a post at a community or village or below it, that community or village
 * (the path's first three levels: county / street / community); for a street, town or county post, its area; a
 * post without a node (a system administrator), everywhere.
 */
export function reportArea(grants: readonly Grant[]): Scope {
  const paths: string[] = [];
  for (const g of grants) {
    if (g.path === null) return { all: true };
    const ids = g.path.split('/').filter(Boolean);
    paths.push(ids.length > 3 ? `/${ids.slice(0, 3).join('/')}/` : g.path);
  }
  paths.sort((a, b) => a.length - b.length);
  const minimal: string[] = [];
  for (const p of paths) if (!minimal.some((m) => p.startsWith(m))) minimal.push(p);
  return { all: false, paths: minimal };
}

type Ring = number[][];

function ringsOf(geo: unknown): Ring[][] {
  if (!geo || typeof geo !== 'object') return [];
  const g = geo as { type?: string; coordinates?: unknown; geometry?: unknown; features?: unknown[] };
  switch (g.type) {
    case 'Feature':
      return ringsOf(g.geometry);
    case 'FeatureCollection':
      return (g.features ?? []).flatMap(ringsOf);
    case 'Polygon':
      return Array.isArray(g.coordinates) ? [g.coordinates as Ring[]] : [];
    case 'MultiPolygon':
      return Array.isArray(g.coordinates) ? (g.coordinates as Ring[][]) : [];
    default:
      return [];
  }
}

/** Ray casting over one ring of [lng, lat] positions. */
function inRing(lat: number, lng: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether the point lies inside a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection (holes excluded). */
export function pointInBoundary(lat: number, lng: number, boundary: unknown): boolean {
  return ringsOf(boundary).some((poly) => {
    const [outer, ...holes] = poly;
    return outer !== undefined && inRing(lat, lng, outer) && !holes.some((h) => inRing(lat, lng, h));
  });
}
