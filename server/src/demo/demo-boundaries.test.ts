import { describe, expect, it } from 'vitest';
import { normalizeBoundary } from '../modules/org/org.logic.js';
import { type DemoPolygon, demoBuildingBoundary, demoCommunityBoundary, demoGridBoundary } from './demo-boundaries.js';

/** Ray casting over the outer ring. */
function inside(poly: DemoPolygon, [lng, lat]: [number, number]): boolean {
  const ring = poly.coordinates[0]!;
  let isIn = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) isIn = !isIn;
  }
  return isIn;
}

const corners = (p: DemoPolygon) => p.coordinates[0]!.slice(0, -1);

describe('demo grid map outlines', () => {
  it('are outlines the hierarchy accepts (closed polygons)', () => {
    for (const p of [demoCommunityBoundary(), ...[0, 1, 2, 3, 4].map(demoGridBoundary)]) {
      expect(normalizeBoundary(p)).toEqual(p);
      const ring = p.coordinates[0]!;
      expect(ring[0]).toEqual(ring.at(-1));
    }
  });

  it('put every building wholly inside its own grid and no other, and every grid inside the community', () => {
    const community = demoCommunityBoundary();
    for (let g = 0; g < 5; g++) {
      const grid = demoGridBoundary(g);
      for (const [lng, lat] of corners(grid)) {
        // the corners lie on the community's edge: nudge them towards the grid's middle
        const [cx, cy] = centre(grid);
        expect(inside(community, [lng + (cx - lng) * 0.01, lat + (cy - lat) * 0.01])).toBe(true);
      }
      for (let b = 0; b < 6; b++) {
        const building = demoBuildingBoundary(g, b);
        for (const corner of corners(building)) {
          expect(inside(grid, corner)).toBe(true);
          for (let other = 0; other < 5; other++)
            if (other !== g) expect(inside(demoGridBoundary(other), corner)).toBe(false);
        }
      }
    }
  });
});

function centre(p: DemoPolygon): [number, number] {
  const pts = corners(p);
  return [pts.reduce((s, q) => s + q[0]!, 0) / pts.length, pts.reduce((s, q) => s + q[1]!, 0) / pts.length];
}
