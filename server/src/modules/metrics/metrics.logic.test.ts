import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isPeriodStart,
  metricValue,
  nightlyPeriods,
  parseDay,
  parseMetricList,
  periodBounds,
  periodSeries,
  periodStartOf,
  shanghaiDay,
  shiftPeriod,
} from './metrics.logic.js';

describe('metrics periods', () => {
  it('weeks start on Monday, months on the 1st, quarters on Jan/Apr/Jul/Oct 1', () => {
    expect(periodStartOf('week', '2026-03-01')).toBe('2026-02-23'); // a Sunday
    expect(periodStartOf('week', '2026-03-02')).toBe('2026-03-02'); // a Monday
    expect(periodStartOf('month', '2026-03-31')).toBe('2026-03-01');
    expect(periodStartOf('quarter', '2026-06-30')).toBe('2026-04-01');
    expect(periodStartOf('quarter', '2026-10-01')).toBe('2026-10-01');
    expect(isPeriodStart('week', '2026-03-03')).toBe(false);
    expect(isPeriodStart('quarter', '2026-02-01')).toBe(false);
    expect(isPeriodStart('month', '2026-02-30')).toBe(false);
    expect(parseDay('2026-02-30')).toBeNull();
  });

  it('bounds a period by Shanghai midnights (UTC+8)', () => {
    const m = periodBounds('month', '2026-03-01');
    expect(m.from.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(m.to.toISOString()).toBe('2026-03-31T16:00:00.000Z');
    expect(m.lastDay).toBe('2026-03-31');
    const q = periodBounds('quarter', '2026-10-01');
    expect(q.to.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    const w = periodBounds('week', '2026-12-28');
    expect(w.lastDay).toBe('2027-01-03');
    // 23:59 on March 31 in Shanghai is inside March; 00:00 on April 1 is not
    const late = new Date('2026-03-31T23:59:00+08:00');
    expect(late >= m.from && late < m.to).toBe(true);
    expect(new Date('2026-04-01T00:00:00+08:00') < m.to).toBe(false);
    expect(shanghaiDay(new Date('2026-03-31T16:00:00Z'))).toBe('2026-04-01');
  });

  it('shifts and lists periods', () => {
    expect(shiftPeriod('month', '2026-01-01', -1)).toBe('2025-12-01');
    expect(shiftPeriod('quarter', '2026-10-01', 1)).toBe('2027-01-01');
    expect(shiftPeriod('week', '2026-12-28', 1)).toBe('2027-01-04');
    expect(periodSeries('month', '2026-03-01', 3)).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(nightlyPeriods('2026-04-01')).toEqual([
      { periodKind: 'week', periodStart: '2026-03-23' },
      { periodKind: 'week', periodStart: '2026-03-30' },
      { periodKind: 'month', periodStart: '2026-03-01' },
      { periodKind: 'month', periodStart: '2026-04-01' },
      { periodKind: 'quarter', periodStart: '2026-01-01' },
      { periodKind: 'quarter', periodStart: '2026-04-01' },
    ]);
  });

  it('every day lies in exactly the period periodStartOf names (property)', () => {
    const kinds = ['week', 'month', 'quarter'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 30 }), fc.constantFrom(...kinds), (offset, kind) => {
        const day = new Date(Date.UTC(2010, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        const start = periodStartOf(kind, day);
        const b = periodBounds(kind, start);
        const noon = new Date(`${day}T12:00:00+08:00`);
        return isPeriodStart(kind, start) && noon >= b.from && noon < b.to && start <= day && b.lastDay >= day;
      }),
    );
  });
});

describe('metric values and lists', () => {
  it('a count is its num; a rate num/den, none without a denominator', () => {
    expect(metricValue('cases_closed', 4, null)).toBe(4);
    expect(metricValue('cases_on_time_rate', 1, 4)).toBe(0.25);
    expect(metricValue('cases_on_time_rate', 0, 0)).toBeNull();
    expect(metricValue('cases_satisfaction', 9, 3)).toBe(3);
  });
  it('parses metric lists in catalogue order and names an unknown one', () => {
    expect(parseMetricList('cases_closed,cases_received').codes).toEqual(['cases_received', 'cases_closed']);
    expect(parseMetricList(undefined).codes).toHaveLength(13);
    expect(parseMetricList('cases_closed,nope')).toEqual({ codes: [], bad: 'nope' });
  });
});
