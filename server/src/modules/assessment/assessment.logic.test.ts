import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cappedAdjustments,
  checkScheme,
  competitionRanks,
  isPeriodStart,
  itemMarks,
  metricValue,
  periodStartOf,
  proposalsOf,
  quarterLabel,
  shiftPeriod,
} from './assessment.logic.js';

const item = (over: Record<string, unknown> = {}) => ({
  metric: 'cases_on_time_rate',
  weight: 100,
  fullAt: 0.95,
  zeroAt: 0.5,
  ...over,
});

describe('checkScheme', () => {
  const base = { subject: 'grid' as const, totalWeight: 100, honour: null };
  it('accepts a consistent scheme (positive control)', () => {
    expect(
      checkScheme({
        ...base,
        items: [item({ weight: 60 }), item({ metric: 'cases_overdue', weight: 40, fullAt: 0, zeroAt: 10 })],
      }),
    ).toBeNull();
  });
  it('refuses weights not summing to the total, naming items and the sum', () => {
    expect(checkScheme({ ...base, items: [item({ weight: 60 })] })).toEqual({
      code: 'ASSESSMENT_WEIGHTS_SUM',
      field: 'items',
      params: { sum: 60, total: 100 },
    });
  });
  it('refuses an unknown metric, a metric not computed for the subject, and a duplicate, naming the row', () => {
    expect(checkScheme({ ...base, items: [item({ metric: 'nope' })] })).toMatchObject({
      code: 'ASSESSMENT_METRIC_UNKNOWN',
      field: 'items.0.metric',
    });
    expect(checkScheme({ ...base, subject: 'worker', items: [item({ metric: 'data_freshness' })] })).toMatchObject({
      code: 'ASSESSMENT_METRIC_SUBJECT',
      field: 'items.0.metric',
    });
    expect(checkScheme({ ...base, items: [item({ weight: 50 }), item({ weight: 50 })] })).toMatchObject({
      code: 'ASSESSMENT_METRIC_DUPLICATE',
      field: 'items.1.metric',
    });
  });
  it('refuses full_at = zero_at and a direction contradicting full_at/zero_at (default from the catalogue)', () => {
    expect(checkScheme({ ...base, items: [item({ fullAt: 1, zeroAt: 1 })] })).toMatchObject({
      code: 'ASSESSMENT_ITEM_RANGE',
      field: 'items.0.fullAt',
    });
    expect(checkScheme({ ...base, items: [item({ fullAt: 0.5, zeroAt: 0.95 })] })).toMatchObject({
      code: 'ASSESSMENT_ITEM_DIRECTION',
    });
    // overdue cases: lower is better by the catalogue, so full_at 10 > zero_at 0 contradicts it
    expect(checkScheme({ ...base, items: [item({ metric: 'cases_overdue', fullAt: 10, zeroAt: 0 })] })).toMatchObject({
      code: 'ASSESSMENT_ITEM_DIRECTION',
    });
    expect(
      checkScheme({ ...base, items: [item({ metric: 'cases_overdue', higherBetter: true, fullAt: 10, zeroAt: 0 })] }),
    ).toBeNull();
  });
  it('refuses an honour not fitting the subject', () => {
    expect(checkScheme({ ...base, honour: 'excellent_worker', items: [item()] })).toMatchObject({
      code: 'ASSESSMENT_HONOUR_SUBJECT',
      field: 'honour',
    });
    expect(checkScheme({ ...base, honour: 'red_flag_grid', items: [item()] })).toBeNull();
    expect(checkScheme({ ...base, subject: 'community', honour: 'red_flag_grid', items: [item()] })).toMatchObject({
      code: 'ASSESSMENT_HONOUR_SUBJECT',
    });
  });
});

describe('scoring', () => {
  it('marks = weight × clamp((value − zero_at)/(full_at − zero_at), 0, 1), both directions', () => {
    expect(itemMarks({ weight: 60, fullAt: 0.95, zeroAt: 0.5 }, 0.9)).toBe(53.33);
    expect(itemMarks({ weight: 60, fullAt: 0.95, zeroAt: 0.5 }, 1)).toBe(60);
    expect(itemMarks({ weight: 60, fullAt: 0.95, zeroAt: 0.5 }, 0.2)).toBe(0);
    expect(itemMarks({ weight: 40, fullAt: 0, zeroAt: 10 }, 2)).toBe(32);
    expect(itemMarks({ weight: 40, fullAt: 0, zeroAt: 10 }, 12)).toBe(0);
    expect(itemMarks({ weight: 40, fullAt: 0, zeroAt: 10 }, null)).toBe(0);
  });
  it('marks stay between 0 and the weight', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: -1000, max: 1000, noNaN: true }),
        fc.double({ min: -5000, max: 5000, noNaN: true }),
        (weight, fullAt, zeroAt, value) => {
          fc.pre(Math.abs(fullAt - zeroAt) > 1e-6);
          const m = itemMarks({ weight, fullAt, zeroAt }, value);
          return m >= 0 && m <= Math.round(weight * 100 + 1) / 100;
        },
      ),
    );
  });
  it('a value: a count is num; a rate is num/den, none without a denominator or a row', () => {
    expect(metricValue('cases_overdue', { num: 3, den: null })).toBe(3);
    expect(metricValue('cases_on_time_rate', { num: 3, den: 4 })).toBe(0.75);
    expect(metricValue('cases_on_time_rate', { num: 0, den: null })).toBeNull();
    expect(metricValue('cases_on_time_rate', { num: 0, den: 0 })).toBeNull();
    expect(metricValue('cases_on_time_rate', null)).toBeNull();
  });
  it('adjustments are summed and clamped to ±cap', () => {
    expect(cappedAdjustments([8, 7], 10)).toBe(10);
    expect(cappedAdjustments([-8, -7], 10)).toBe(-10);
    expect(cappedAdjustments([5, -2], 10)).toBe(3);
    expect(cappedAdjustments([], 10)).toBe(0);
  });
  it('ranks by standard competition ranking (1, 2, 2, 4), ties broken by nothing', () => {
    expect(competitionRanks([85.33, 76, 76, 0, 0])).toEqual([1, 2, 2, 4, 4]);
    expect(competitionRanks([1, 3, 2, 3])).toEqual([4, 1, 3, 1]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 30 }), (totals) => {
        const ranks = competitionRanks(totals);
        return totals.every((t, i) => ranks[i] === 1 + totals.filter((o) => o > t).length) && Math.min(...ranks) === 1;
      }),
    );
  });
  it('proposes within the quota by rank and above the minimum score', () => {
    const ranked = [
      { id: 1, rank: 1, total: 90 },
      { id: 2, rank: 1, total: 90 },
      { id: 3, rank: 3, total: 85 },
    ];
    expect(proposalsOf(ranked, 1, 80).map((r) => r.id)).toEqual([1, 2]);
    expect(proposalsOf(ranked, 3, 88).map((r) => r.id)).toEqual([1, 2]);
    expect(proposalsOf(ranked, 0, 0)).toEqual([]);
  });
});

describe('periods', () => {
  it('knows the first days of weeks, months and quarters', () => {
    expect(isPeriodStart('week', '2026-12-07')).toBe(true); // a Monday
    expect(isPeriodStart('week', '2026-12-08')).toBe(false);
    expect(isPeriodStart('month', '2026-12-01')).toBe(true);
    expect(isPeriodStart('month', '2026-12-02')).toBe(false);
    expect(isPeriodStart('quarter', '2026-10-01')).toBe(true);
    expect(isPeriodStart('quarter', '2026-11-01')).toBe(false);
    expect(isPeriodStart('month', '2026-02-30')).toBe(false);
  });
  it('shifts periods and finds the period of a day', () => {
    expect(shiftPeriod('month', '2026-01-01', 1)).toBe('2025-12-01');
    expect(shiftPeriod('quarter', '2026-01-01', 1)).toBe('2025-10-01');
    expect(shiftPeriod('week', '2026-12-07', 1)).toBe('2026-11-30');
    expect(periodStartOf('quarter', '2026-12-07')).toBe('2026-10-01');
    expect(periodStartOf('week', '2026-12-13')).toBe('2026-12-07');
    expect(periodStartOf('month', '2026-12-13')).toBe('2026-12-01');
    expect(quarterLabel('2026-07-01')).toBe('2026-Q3');
  });
});
