import { describe, expect, it } from 'vitest';
import {
  isPeriod,
  isPeriodOver,
  periodBounds,
  periodOf,
  previousPeriod,
  settledPoints,
  settlementFen,
  settlementKey,
  settlementTotals,
  yuanText,
} from './settlements.logic.js';

describe('settlement arithmetic', () => {
  it('bounds a month at Shanghai midnights, December rolling into the next year', () => {
    expect(periodBounds('2026-03')).toEqual({
      from: new Date('2026-02-28T16:00:00Z'),
      to: new Date('2026-03-31T16:00:00Z'),
    });
    expect(periodBounds('2026-12').to).toEqual(new Date('2026-12-31T16:00:00Z'));
    expect(() => periodBounds('2026-13')).toThrow();
  });

  it('knows the month of an instant in Shanghai, and the month before', () => {
    // 2026-03-31 23:30 +08:00 is still March; 16:30Z on the 31st is April 1st in Shanghai
    expect(periodOf(new Date('2026-03-31T15:30:00Z'))).toBe('2026-03');
    expect(periodOf(new Date('2026-03-31T16:30:00Z'))).toBe('2026-04');
    expect(previousPeriod(new Date('2026-01-01T02:00:00+08:00'))).toBe('2025-12');
    expect(previousPeriod(new Date('2026-11-01T02:00:00+08:00'))).toBe('2026-10');
  });

  it('settles only a month that is over', () => {
    expect(isPeriodOver('2026-03', new Date('2026-03-31T15:59:59Z'))).toBe(false);
    expect(isPeriodOver('2026-03', new Date('2026-03-31T16:00:00Z'))).toBe(true);
    expect(isPeriod('2026-3')).toBe(false);
    expect(isPeriod('2026-00')).toBe(false);
    expect(isPeriod('2026-10')).toBe(true);
  });

  it('turns points into fen at the rate, rounding half up', () => {
    expect(settlementFen(0, 100)).toBe(0);
    expect(settlementFen(2300, 100)).toBe(2300); // 23.00 yuan
    expect(settlementFen(1, 100)).toBe(1);
    expect(settlementFen(1, 200)).toBe(1); // 0.5 fen → 1
    expect(settlementFen(1, 300)).toBe(0); // 0.33 fen → 0
    expect(settlementFen(1000, 3)).toBe(33333); // 333.333 yuan
    expect(() => settlementFen(-1, 100)).toThrow();
    expect(yuanText(33333)).toBe('333.33');
    expect(yuanText(5)).toBe('0.05');
  });

  it('counts only redemptions still done', () => {
    expect(
      settlementTotals([
        { total: 500, status: 'done' },
        { total: 800, status: 'reversed' },
        { total: 200, status: 'done' },
      ]),
    ).toEqual({ redemptions: 2, points: 700 });
    expect(settlementTotals([])).toEqual({ redemptions: 0, points: 0 });
    expect(settlementKey(7, '2026-03')).toBe('settle:7:2026-03');
  });

  it('never moves more than the merchant holds; the rest is deducted', () => {
    expect(settledPoints(1300, 5000)).toEqual({ points: 1300, deducted: 0 });
    expect(settledPoints(2000, 1500)).toEqual({ points: 1500, deducted: 500 });
    expect(settledPoints(200, 0)).toEqual({ points: 0, deducted: 200 });
    expect(settledPoints(0, 0)).toEqual({ points: 0, deducted: 0 });
  });
});
