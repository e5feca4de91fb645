import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHILD_TYPES, NODE_TYPES } from '../../platform/access/roles.js';
import { AppError } from '../../platform/errors/errors.js';
import {
  assertChildType,
  assertCode,
  childPath,
  idsOfPath,
  isCycle,
  normalizeBoundary,
  parentPathOf,
} from './org.logic.js';

function thrown(fn: () => void): AppError | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

const idArb = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const pathArb = fc.array(idArb, { minLength: 1, maxLength: 9 }).map((ids) => `/${ids.join('/')}/`);

describe('assertChildType', () => {
  for (const parent of NODE_TYPES) {
    for (const child of NODE_TYPES) {
      const allowed = CHILD_TYPES[parent].includes(child);
      it(`${allowed ? 'accepts' : 'refuses'} a ${child} under a ${parent}`, () => {
        const err = thrown(() => assertChildType(parent, child));
        if (allowed) {
          expect(err).toBeNull();
        } else {
          expect(err?.code).toBe('ORG_CHILD_TYPE_INVALID');
          expect(err?.field).toBe('type');
          expect(err?.params).toEqual({ type: child, parentType: parent });
        }
      });
    }
  }

  it('accepts only a county at the top', () => {
    for (const type of NODE_TYPES) {
      const err = thrown(() => assertChildType(null, type));
      if (type === 'county') expect(err).toBeNull();
      else expect([err?.code, err?.field]).toEqual(['ORG_ROOT_TYPE_INVALID', 'type']);
    }
  });

  it('lets every type but the county be placed somewhere', () => {
    const placeable = new Set(Object.values(CHILD_TYPES).flat());
    expect(NODE_TYPES.filter((t) => !placeable.has(t))).toEqual(['county']);
  });
});

describe('assertCode', () => {
  it('accepts a county with a 6-digit division code of a known province', () => {
    expect(thrown(() => assertCode('county', '370899'))).toBeNull();
    expect(thrown(() => assertCode('county', '110101'))).toBeNull();
  });

  it('refuses a county with no code or a code that is not a division code', () => {
    for (const code of [undefined, null, '', '37089', '3708991', '990899', '37O899', ' 370899']) {
      const err = thrown(() => assertCode('county', code));
      expect([err?.code, err?.field], String(code)).toEqual(['ORG_CODE_INVALID', 'code']);
    }
  });

  it('leaves the codes of other node types free', () => {
    for (const type of NODE_TYPES.filter((t) => t !== 'county')) {
      expect(thrown(() => assertCode(type, null))).toBeNull();
      expect(thrown(() => assertCode(type, 'G-01'))).toBeNull();
    }
  });
});

describe('paths', () => {
  it('builds a root path and a child path from the parent and the id', () => {
    expect(childPath(null, 1)).toBe('/1/');
    expect(childPath('/1/7/', 42)).toBe('/1/7/42/');
  });

  it('gives the parent path, and null for a root', () => {
    expect(parentPathOf('/1/7/42/')).toBe('/1/7/');
    expect(parentPathOf('/1/')).toBeNull();
  });

  it('lists the ids from the top down', () => {
    expect(idsOfPath('/1/7/42/')).toEqual([1, 7, 42]);
  });

  it('round-trips: the parent of a child path is the path it was built from', () => {
    fc.assert(
      fc.property(
        fc.option(pathArb, { nil: null }),
        idArb,
        (parent, id) => parentPathOf(childPath(parent, id)) === parent,
      ),
    );
  });

  it('round-trips: the ids of a child path are the parent ids and then the id', () => {
    fc.assert(
      fc.property(pathArb, idArb, (parent, id) => {
        expect(idsOfPath(childPath(parent, id))).toEqual([...idsOfPath(parent), id]);
      }),
    );
  });
});

describe('isCycle', () => {
  it('sees a move under the node itself or any descendant as a cycle', () => {
    expect(isCycle('/1/7/', '/1/7/')).toBe(true);
    expect(isCycle('/1/7/', '/1/7/42/9/')).toBe(true);
  });

  it('allows a move under a sibling, the parent, or a node whose id only shares leading digits', () => {
    expect(isCycle('/1/7/', '/1/8/')).toBe(false);
    expect(isCycle('/1/7/', '/1/')).toBe(false);
    expect(isCycle('/1/7/', '/1/70/')).toBe(false);
  });

  it('is a cycle exactly when the new parent lies in the subtree', () => {
    fc.assert(
      fc.property(pathArb, fc.array(idArb, { maxLength: 4 }), (node, below) => {
        const inside = below.reduce<string>((p, id) => childPath(p, id), node);
        return isCycle(node, inside) && (parentPathOf(node) === null || !isCycle(node, parentPathOf(node)!));
      }),
    );
  });
});

describe('normalizeBoundary', () => {
  const ring = [
    [117.1, 35.6],
    [117.2, 35.6],
    [117.2, 35.7],
    [117.1, 35.6],
  ];
  const polygon = { type: 'Polygon', coordinates: [ring] };
  const multi = { type: 'MultiPolygon', coordinates: [[ring], [ring]] };

  it('treats null and a missing boundary as none', () => {
    expect(normalizeBoundary(null)).toBeNull();
    expect(normalizeBoundary(undefined)).toBeNull();
  });

  it('accepts a Polygon and a MultiPolygon with closed rings', () => {
    expect(normalizeBoundary(polygon)).toEqual(polygon);
    expect(normalizeBoundary(multi)).toEqual(multi);
  });

  it('accepts positions with an altitude', () => {
    const r3 = ring.map(([x, y]) => [x, y, 12.5]);
    expect(normalizeBoundary({ type: 'Polygon', coordinates: [r3] })).toEqual({ type: 'Polygon', coordinates: [r3] });
  });

  it('unwraps a Feature and keeps only the geometry', () => {
    expect(normalizeBoundary({ type: 'Feature', properties: { name: '第一网格' }, geometry: multi })).toEqual(multi);
  });

  it('drops members other than type and coordinates', () => {
    expect(normalizeBoundary({ ...polygon, bbox: [0, 0, 1, 1], crs: 'x' })).toEqual(polygon);
  });

  const refuses: [string, unknown][] = [
    ['an open ring', { type: 'Polygon', coordinates: [ring.slice(0, 3).concat([[117.15, 35.65]])] }],
    ['a ring of three positions', { type: 'Polygon', coordinates: [[ring[0], ring[1], ring[0]]] }],
    ['a polygon with no rings', { type: 'Polygon', coordinates: [] }],
    ['a MultiPolygon with no polygons', { type: 'MultiPolygon', coordinates: [] }],
    [
      'a MultiPolygon holding an open ring',
      { type: 'MultiPolygon', coordinates: [[ring], [ring.slice(0, 3).concat([[0, 0]])]] },
    ],
    ['a Point', { type: 'Point', coordinates: [117.1, 35.6] }],
    ['a LineString', { type: 'LineString', coordinates: ring }],
    ['a FeatureCollection', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: polygon }] }],
    ['a Feature without geometry', { type: 'Feature', properties: {} }],
    ['a Feature holding a Point', { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] } }],
    [
      'a NaN coordinate',
      { type: 'Polygon', coordinates: [[[Number.NaN, 35.6], ...ring.slice(1, 3), [Number.NaN, 35.6]]] },
    ],
    [
      'an infinite coordinate',
      {
        type: 'Polygon',
        coordinates: [
          [
            [Infinity, 1],
            [1, 2],
            [2, 2],
            [Infinity, 1],
          ],
        ],
      },
    ],
    ['a coordinate given as a string', { type: 'Polygon', coordinates: [[['117.1', '35.6'], ...ring.slice(1)]] }],
    ['a position with one number', { type: 'Polygon', coordinates: [[[117.1], ...ring.slice(1)]] }],
    [
      'a position with four numbers',
      {
        type: 'Polygon',
        coordinates: [
          [
            [1, 2, 3, 4],
            [2, 2],
            [2, 3],
            [1, 2, 3, 4],
          ],
        ],
      },
    ],
    ['a missing type', { coordinates: [ring] }],
    ['a string', 'POLYGON((117.1 35.6, 117.2 35.6, 117.2 35.7, 117.1 35.6))'],
    ['a number', 42],
  ];
  for (const [what, value] of refuses) {
    it(`refuses ${what}`, () => {
      const err = thrown(() => normalizeBoundary(value));
      expect([err?.code, err?.field]).toEqual(['ORG_BOUNDARY_INVALID', 'boundary']);
    });
  }

  it('accepts any closed ring of finite positions', () => {
    const pos = fc.tuple(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(pos, fc.array(pos, { minLength: 2, maxLength: 20 }), (first, middle) => {
        const closed = [first, ...middle, first];
        expect(normalizeBoundary({ type: 'Polygon', coordinates: [closed] })).toEqual({
          type: 'Polygon',
          coordinates: [closed],
        });
      }),
    );
  });
});
