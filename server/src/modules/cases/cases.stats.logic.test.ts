import { describe, expect, it } from 'vitest';
import {
  comparePaths,
  figuresOf,
  foldStats,
  groupOnPath,
  isDay,
  monthsOf,
  periodOf,
  rootCategory,
  type StatsRaw,
  zeroCounts,
} from './cases.stats.logic.js';

const raw = (over: Partial<StatsRaw>): StatsRaw => ({ ...zeroCounts(), dim: null, month: null, ...over });

describe('periodOf', () => {
  it('defaults to twelve calendar months up to today', () => {
    expect(periodOf({}, '2026-12-07')).toMatchObject({ from: '2026-01-01', to: '2026-12-07' });
    expect(periodOf({}, '2026-03-15')).toMatchObject({ from: '2025-04-01', to: '2026-03-15' });
    expect(periodOf({ to: '2026-01-31' }, '2026-12-07')).toMatchObject({ from: '2025-02-01' });
  });

  it('runs from Shanghai midnight of the first day to Shanghai midnight after the last', () => {
    const p = periodOf({ from: '2025-03-01', to: '2025-04-30' }, '2026-01-01');
    if ('invalid' in p) throw new Error('invalid');
    expect(p.start.toISOString()).toBe('2025-02-28T16:00:00.000Z');
    expect(p.end.toISOString()).toBe('2025-04-30T16:00:00.000Z');
  });

  it('names the bad field', () => {
    expect(periodOf({ from: '2025-02-29' }, '2026-01-01')).toEqual({ invalid: 'from', reason: 'day' });
    expect(periodOf({ to: '2025-13-01' }, '2026-01-01')).toEqual({ invalid: 'to', reason: 'day' });
    expect(periodOf({ from: '2025-05-01', to: '2025-04-30' }, '2026-01-01')).toEqual({
      invalid: 'to',
      reason: 'order',
    });
    expect(periodOf({ from: '2010-01-01', to: '2025-04-30' }, '2026-01-01')).toEqual({
      invalid: 'from',
      reason: 'length',
    });
    expect(isDay('2024-02-29')).toBe(true);
  });
});

describe('monthsOf', () => {
  it('lists every month the period touches, across a year end', () => {
    expect(monthsOf({ from: '2025-11-30', to: '2026-02-01' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsOf({ from: '2025-03-01', to: '2025-03-01' })).toEqual(['2025-03']);
  });
});

describe('figuresOf', () => {
  it('derives the on-time rate from due and the satisfaction from ratings, null when there is nothing to divide', () => {
    expect(figuresOf({ ...zeroCounts(), due: 3, closedOnTime: 2, ratingCount: 3, ratingSum: 13 })).toMatchObject({
      onTimeRate: 0.6667,
      satisfaction: 4.33,
    });
    const empty = figuresOf(zeroCounts());
    expect(empty.onTimeRate).toBeNull();
    expect(empty.satisfaction).toBeNull();
    expect(empty).not.toHaveProperty('ratingSum');
  });
});

describe('foldStats', () => {
  it('adds rows into their groups, lists empty groups, and gathers the rest under other', () => {
    const groups = [
      { key: 'a', label: '甲', order: 0 },
      { key: 'b', label: '乙', order: 1 },
    ];
    const out = foldStats(
      [
        raw({ dim: 'a', received: 2, due: 2, closedOnTime: 1 }),
        raw({ dim: 'a', received: 1 }),
        raw({ dim: 'x', received: 5 }),
      ],
      (r) => groups.find((g) => g.key === r.dim) ?? null,
      groups,
      { key: 'none', label: '其他' },
    );
    expect(out.items.map((i) => [i.key, i.received, i.onTimeRate])).toEqual([
      ['a', 3, 0.5],
      ['b', 0, null],
      ['none', 5, null],
    ]);
    expect(out.totals).toMatchObject({ received: 8, due: 2, closedOnTime: 1, onTimeRate: 0.5 });
  });
});

describe('places and categories', () => {
  it('finds the group node on a path, top first', () => {
    const groups = new Map([
      [9, 'grid 9'],
      [12, 'grid 12'],
    ]);
    expect(groupOnPath('/1/5/9/33/', groups)).toBe('grid 9');
    expect(groupOnPath('/1/5/', groups)).toBeNull();
  });

  it('folds a category to its root, surviving a loop', () => {
    const parents = new Map<number, number | null>([
      [1, null],
      [2, 1],
      [3, 2],
      [7, 8],
      [8, 7],
    ]);
    expect(rootCategory(3, parents)).toBe(1);
    expect(rootCategory(1, parents)).toBe(1);
    expect(rootCategory(99, parents)).toBe(99);
    expect([7, 8]).toContain(rootCategory(7, parents));
  });

  it('orders paths by their ids', () => {
    expect(['/1/10/', '/1/9/', '/1/9/3/'].sort(comparePaths)).toEqual(['/1/9/', '/1/9/3/', '/1/10/']);
  });
});
