import { describe, expect, it } from 'vitest';
import type { Grant } from '../../platform/access/scope.js';
import { pointInBoundary, reportArea } from './cases.logic.js';

const grant = (path: string | null, role: Grant['role'] = 'resident'): Grant => ({
  postId: 1,
  role,
  nodeId: path ? 1 : null,
  path,
});

describe('reportArea', () => {
  it('gives a post at a community or below its whole community', () => {
    expect(reportArea([grant('/1/2/3/4/5/')])).toEqual({ all: false, paths: ['/1/2/3/'] });
    expect(reportArea([grant('/1/2/3/', 'volunteer')])).toEqual({ all: false, paths: ['/1/2/3/'] });
  });

  it('gives a street or county post its own area, and folds nested areas', () => {
    expect(reportArea([grant('/1/2/', 'street_admin'), grant('/1/2/3/9/')])).toEqual({ all: false, paths: ['/1/2/'] });
    expect(reportArea([grant('/1/', 'department')])).toEqual({ all: false, paths: ['/1/'] });
  });

  it('gives a post without a node everything, and no post nothing', () => {
    expect(reportArea([grant(null, 'admin')])).toEqual({ all: true });
    expect(reportArea([])).toEqual({ all: false, paths: [] });
  });
});

describe('pointInBoundary', () => {
  // A 0.01° square at 116.90–116.91 E, 35.50–35.51 N with a hole in its south-west corner.
  const square = [
    [116.9, 35.5],
    [116.91, 35.5],
    [116.91, 35.51],
    [116.9, 35.51],
    [116.9, 35.5],
  ];
  const hole = [
    [116.9, 35.5],
    [116.902, 35.5],
    [116.902, 35.502],
    [116.9, 35.502],
    [116.9, 35.5],
  ];

  it('finds a point inside a Polygon, Feature or MultiPolygon, and not outside', () => {
    const polygon = { type: 'Polygon', coordinates: [square] };
    expect(pointInBoundary(35.505, 116.905, polygon)).toBe(true);
    expect(pointInBoundary(35.52, 116.905, polygon)).toBe(false);
    expect(pointInBoundary(35.505, 116.905, { type: 'Feature', geometry: polygon, properties: {} })).toBe(true);
    expect(pointInBoundary(35.505, 116.905, { type: 'MultiPolygon', coordinates: [[square]] })).toBe(true);
  });

  it('leaves out holes', () => {
    const withHole = { type: 'Polygon', coordinates: [square, hole] };
    expect(pointInBoundary(35.501, 116.901, withHole)).toBe(false);
    expect(pointInBoundary(35.505, 116.905, withHole)).toBe(true);
  });

  it('finds nothing in a boundary that is not GeoJSON', () => {
    expect(pointInBoundary(35.505, 116.905, null)).toBe(false);
    expect(pointInBoundary(35.505, 116.905, { type: 'Point', coordinates: [116.905, 35.505] })).toBe(false);
  });
});
describe('pointInBoundary (also Open311’s placing of a point)', () => {
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [10, 0],
        [10, 10],
        [0, 10],
        [0, 0],
      ],
      [
        [4, 4],
        [6, 4],
        [6, 6],
        [4, 6],
        [4, 4],
      ],
    ],
  };
  it('finds points inside a polygon, not in its hole nor outside', () => {
    expect(pointInBoundary(1, 1, square)).toBe(true);
    expect(pointInBoundary(5, 5, square)).toBe(false);
    expect(pointInBoundary(11, 1, square)).toBe(false);
    expect(pointInBoundary(2, 8, { type: 'Feature', geometry: square })).toBe(true);
    expect(pointInBoundary(1, 9, { type: 'MultiPolygon', coordinates: [square.coordinates] })).toBe(true);
    expect(pointInBoundary(1, 1, { type: 'Point', coordinates: [1, 1] })).toBe(false);
    expect(pointInBoundary(1, 1, null)).toBe(false);
  });
});
