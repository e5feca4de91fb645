import { describe, expect, it } from 'vitest';
import { amountText, awardAmount, canReverse, signedText } from './points-logic';

describe('points logic', () => {
  it('shows points as numbers and hours (minutes) as hours and minutes', () => {
    expect(amountText(120, 'points')).toBe('120');
    expect(amountText(90, 'hours')).toBe('1 小时 30 分钟');
    expect(amountText(120, 'hours')).toBe('2 小时');
    expect(amountText(0, 'hours')).toBe('0 分钟');
    expect(amountText(45, 'hours', 'en')).toBe('45 min');
    expect(amountText(-75, 'hours', 'en')).toBe('-1 h 15 min');
  });

  it('signs movements', () => {
    expect(signedText(5, 'points')).toBe('+5');
    expect(signedText(-5, 'points')).toBe('-5');
  });

  it('offers reversal for awards, credits and expiries not yet reversed', () => {
    expect(canReverse({ kind: 'adjust', reversedById: null })).toBe(true);
    expect(canReverse({ kind: 'earn', reversedById: 3 })).toBe(false);
    expect(canReverse({ kind: 'redeem', reversedById: null })).toBe(false);
    expect(canReverse({ kind: 'reverse', reversedById: null })).toBe(false);
  });

  it('turns the form into a signed amount, refusing non-positive or fractional input', () => {
    expect(awardAmount('award', 10)).toBe(10);
    expect(awardAmount('deduct', 10)).toBe(-10);
    expect(awardAmount('award', 0)).toBeNull();
    expect(awardAmount('award', 1.5)).toBeNull();
    expect(awardAmount('deduct', undefined)).toBeNull();
  });
});
