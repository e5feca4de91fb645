import { describe, expect, it } from 'vitest';
import { childPart, coveragePeriod, onTimeRate, parseDay, ratePercent } from './coverage.logic.js';

describe('coverage periods', () => {
  it('a week runs Monday to Sunday in Shanghai days', () => {
    // 2026-12-09 is a Wednesday
    const p = coveragePeriod('week', '2026-12-09')!;
    expect(p.from).toBe('2026-12-07');
    expect(p.to).toBe('2026-12-13');
    expect(p.start.toISOString()).toBe('2026-12-06T16:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-12-13T16:00:00.000Z');
    expect(coveragePeriod('week', '2026-12-07')!.from).toBe('2026-12-07');
    expect(coveragePeriod('week', '2026-12-13')!.from).toBe('2026-12-07');
    expect(coveragePeriod('week', '2026-12-14')!.from).toBe('2026-12-14');
  });

  it('a week may cross a month and a year', () => {
    const p = coveragePeriod('week', '2027-01-01')!;
    expect([p.from, p.to]).toEqual(['2026-12-28', '2027-01-03']);
  });

  it('a month is the calendar month, leap days included', () => {
    const p = coveragePeriod('month', '2028-02-15')!;
    expect([p.from, p.to]).toEqual(['2028-02-01', '2028-02-29']);
    expect(p.start.toISOString()).toBe('2028-01-31T16:00:00.000Z');
    expect(p.end.toISOString()).toBe('2028-02-29T16:00:00.000Z');
    expect(coveragePeriod('month', '2026-12-31')!.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('refuses days that do not exist', () => {
    expect(parseDay('2025-02-29')).toBeNull();
    expect(parseDay('2025-13-01')).toBeNull();
    expect(parseDay('20250101')).toBeNull();
    expect(coveragePeriod('month', '2025-02-30')).toBeNull();
    expect(parseDay('2024-02-29')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
  });
});

describe('coverage figures', () => {
  it('rates are null when nothing was required', () => {
    expect(onTimeRate(0, 0)).toBeNull();
    expect(onTimeRate(1, 3)).toBe(0.3333);
    expect(onTimeRate(2, 2)).toBe(1);
    expect(ratePercent(0.3333)).toBe(33.3);
    expect(ratePercent(null)).toBeNull();
  });

  it('finds the path part of the level below a node', () => {
    expect(childPart('/1/')).toBe(3);
    expect(childPart('/1/7/')).toBe(4);
    expect('/1/7/42/99/'.split('/')[childPart('/1/7/') - 1]).toBe('42');
  });
});
