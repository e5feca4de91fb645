import { describe, expect, it } from 'vitest';
import { childTypesOf, parentTypesOf, parseBoundary } from './child-types';

describe('parentTypesOf', () => {
  it('lets a building move under a grid or a micro-grid', () => {
    expect(parentTypesOf('building')).toEqual(['grid', 'micro_grid']);
  });

  it('gives a county nowhere to move', () => {
    expect(parentTypesOf('county')).toEqual([]);
  });

  it('is the inverse of childTypesOf', () => {
    expect(childTypesOf('street')).toContain('community');
    expect(parentTypesOf('community')).toContain('street');
  });
});

describe('parseBoundary', () => {
  it('reads an empty box as no boundary', () => {
    expect(parseBoundary('  ')).toEqual({ ok: true, value: null });
  });

  it('accepts a GeoJSON object', () => {
    expect(parseBoundary('{"type":"Polygon","coordinates":[]}')).toEqual({
      ok: true,
      value: { type: 'Polygon', coordinates: [] },
    });
  });

  it('refuses text that is not a JSON object', () => {
    expect(parseBoundary('[1,2]').ok).toBe(false);
    expect(parseBoundary('{type: Polygon}').ok).toBe(false);
  });
});
