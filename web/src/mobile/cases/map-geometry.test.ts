import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  contains,
  fromView,
  type Geometry,
  makeView,
  pathOf,
  project,
  tilesFor,
  toView,
  unproject,
} from './map-geometry';

const square: Geometry = {
  type: 'Polygon',
  coordinates: [
    [
      [117.27, 35.655],
      [117.28, 35.655],
      [117.28, 35.662],
      [117.27, 35.662],
      [117.27, 35.655],
    ],
  ],
};

describe('map geometry', () => {
  it('projects and unprojects a point to within a millimetre', () => {
    const p = { lng: 117.2751, lat: 35.6583 };
    const back = unproject(project(p));
    expect(back.lng).toBeCloseTo(p.lng, 9);
    expect(back.lat).toBeCloseTo(p.lat, 9);
  });

  it('puts north up: a point further north has a smaller y', () => {
    expect(project({ lng: 117, lat: 36 }).y).toBeLessThan(project({ lng: 117, lat: 35 }).y);
  });

  it('tells a point inside an outline from one outside, and one in a hole as outside', () => {
    expect(contains(square, { lng: 117.275, lat: 35.658 })).toBe(true);
    expect(contains(square, { lng: 117.285, lat: 35.658 })).toBe(false);
    const holed: Geometry = {
      type: 'MultiPolygon',
      coordinates: [
        [
          square.coordinates[0]!,
          [
            [117.274, 35.657],
            [117.276, 35.657],
            [117.276, 35.659],
            [117.274, 35.659],
            [117.274, 35.657],
          ],
        ],
      ],
    };
    expect(contains(holed, { lng: 117.275, lat: 35.658 })).toBe(false);
    expect(contains(holed, { lng: 117.271, lat: 35.656 })).toBe(true);
  });

  it('draws every ring as a closed path in a view as wide as asked, and reads a tap back to the point', () => {
    const view = makeView(boundsOf([square]), 360);
    const d = pathOf(square, view);
    expect(d.match(/M/g)).toHaveLength(1);
    expect(d.endsWith('Z')).toBe(true);
    expect(d.startsWith('M0,')).toBe(true);
    expect(d).toContain('L360,');
    const p = { lng: 117.2731, lat: 35.6601 };
    const back = fromView(view, toView(view, p));
    expect(back.lng).toBeCloseTo(p.lng, 9);
    expect(back.lat).toBeCloseTo(p.lat, 9);
  });

  it('covers a community with a few tiles at a zoom that shows them about their own size', () => {
    const tiles = tilesFor('https://tiles.example/{z}/{x}/{y}.png', boundsOf([square]), 360);
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.length).toBeLessThanOrEqual(36);
    const [first] = tiles;
    expect(first!.url).toMatch(/^https:\/\/tiles\.example\/1[56]\/\d+\/\d+\.png$/);
    // every tile touches the bounds
    const b = boundsOf([square]);
    for (const t of tiles) {
      expect(t.x).toBeLessThanOrEqual(b.maxX);
      expect(t.x + t.size).toBeGreaterThanOrEqual(b.minX);
    }
  });

  it('gives no tiles when the view would need too many', () => {
    expect(tilesFor('https://t/{z}/{x}/{y}', { minX: 0, minY: 0, maxX: 255, maxY: 255 }, 360, 4).length).toBe(4);
    expect(tilesFor('https://t/{z}/{x}/{y}', { minX: 0, minY: 0, maxX: 256, maxY: 256 }, 2000, 4)).toEqual([]);
  });
});
