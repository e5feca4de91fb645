import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  ageBandOf,
  childIdOf,
  fillAgeBands,
  fillMonths,
  idsOnPath,
  lastFullMonth,
  listLink,
  monthsEnding,
  rankingSlices,
  ratio,
} from './dashboard.logic.js';

describe('age bands', () => {
  it('puts the boundaries in the right band', () => {
    expect([0, 17, 18, 59, 60, 79, 80, 120].map(ageBandOf)).toEqual([
      '0-17',
      '0-17',
      '18-59',
      '18-59',
      '60-79',
      '60-79',
      '80+',
      '80+',
    ]);
  });
  it('fills every band and sex with zeros and sums repeated rows', () => {
    expect(
      fillAgeBands([
        { band: '80+', sex: 'female', n: 2 },
        { band: '80+', sex: 'female', n: 1 },
        { band: '0-17', sex: 'male', n: 4 },
      ]),
    ).toEqual([
      { band: '0-17', min: 0, max: 17, male: 4, female: 0 },
      { band: '18-59', min: 18, max: 59, male: 0, female: 0 },
      { band: '60-79', min: 60, max: 79, male: 0, female: 0 },
      { band: '80+', min: 80, max: null, male: 0, female: 3 },
    ]);
  });
  it('keeps the total of the counts', () => {
    const row = fc.record({
      band: fc.constantFrom('0-17', '18-59', '60-79', '80+' as const),
      sex: fc.constantFrom('male', 'female' as const),
      n: fc.nat(1000),
    });
    fc.assert(
      fc.property(fc.array(row), (rows) => {
        const total = fillAgeBands(rows).reduce((s, b) => s + b.male + b.female, 0);
        expect(total).toBe(rows.reduce((s, r) => s + r.n, 0));
      }),
    );
  });
});

describe('months', () => {
  it('steps over year ends both ways', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-03', -14)).toBe('2025-01');
  });
  it('lists twelve months ending with the current one', () => {
    expect(monthsEnding('2026-02-15', 12)).toEqual([
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
  });
  it('names the last full month and its bounds', () => {
    expect(lastFullMonth('2026-01-01')).toEqual({ month: '2025-12', start: '2025-12-01', end: '2026-01-01' });
  });
  it('fills gaps with zeros and drops months outside the series', () => {
    expect(
      fillMonths(
        ['2026-01', '2026-02', '2026-03'],
        [
          { month: '2026-03', created: 2, closed: 1 },
          { month: '2025-12', created: 9, closed: 9 },
          { month: '2026-01', created: 1 },
        ],
      ),
    ).toEqual([
      { month: '2026-01', created: 1, closed: 0 },
      { month: '2026-02', created: 0, closed: 0 },
      { month: '2026-03', created: 2, closed: 1 },
    ]);
  });
});

describe('ranking slices', () => {
  const rows = (k: number) =>
    Array.from({ length: k }, (_, i) => ({ name: `g${String(i).padStart(2, '0')}`, rank: i + 1 }));
  it('takes the top five and the bottom five, the last first', () => {
    const { top, bottom } = rankingSlices(rows(12), 5);
    expect(top.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(bottom.map((r) => r.rank)).toEqual([12, 11, 10, 9, 8]);
  });
  it('never repeats a subject when there are fewer than ten', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), (k) => {
        const { top, bottom } = rankingSlices(rows(k), 5);
        const names = [...top, ...bottom].map((r) => r.name);
        expect(new Set(names).size).toBe(names.length);
        expect(names.length).toBe(Math.min(k, 10));
      }),
    );
  });
});

describe('paths and links', () => {
  it('finds the child a path lies under', () => {
    expect(childIdOf('/1/5/', '/1/5/9/12/')).toBe(9);
    expect(childIdOf('/1/5/', '/1/5/')).toBeNull();
    expect(childIdOf('/1/5/', '/1/6/9/')).toBeNull();
    expect(idsOnPath('/1/5/9/')).toEqual([1, 5, 9]);
  });
  it('divides only by something', () => {
    expect(ratio(3, 4)).toBe(0.75);
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, null)).toBeNull();
  });
  it('leaves undefined query values out', () => {
    expect(listLink('/people', { nodeId: 5, ageMax: undefined, tag: 'aged_80' })).toBe('/people?nodeId=5&tag=aged_80');
    expect(listLink('/points', {})).toBe('/points');
  });
});
