import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateIdNumber } from '../../../platform/pii/index.js';
import { IdRowSet } from './import.dedupe.js';

const idArb = fc
  .record({
    area: fc.constantFrom('370899', '110105', '440305', '510104', '820000'),
    day: fc.date({ min: new Date('1920-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map((r) =>
    generateIdNumber({ areaCode: r.area, birthDate: r.day.toISOString().slice(0, 10), sequence: r.sequence }),
  );

describe('IdRowSet', () => {
  it('remembers the first row of every ID number, like a Map, through any number of growths', () => {
    fc.assert(
      fc.property(fc.array(idArb, { maxLength: 400 }), (ids) => {
        const set = new IdRowSet(4);
        const map = new Map<string, number>();
        ids.forEach((id, row) => {
          expect(set.addOrGet(id, row + 2)).toBe(map.get(id));
          if (!map.has(id)) map.set(id, row + 2);
        });
        expect(set.size).toBe(map.size);
      }),
    );
  });
});
