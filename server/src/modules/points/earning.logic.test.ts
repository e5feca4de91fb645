import { describe, expect, it } from 'vitest';
import { applyCaps, capWindows, ruleAmount, ruleProblem } from './earning.logic.js';

const ok = {
  trigger: 'garbage_checkin',
  activityType: null,
  currency: 'points',
  amount: 2,
  dailyCap: 2,
  monthlyCap: 30,
};

describe('applyCaps', () => {
  it('cuts a credit to what the daily cap leaves, and to nothing once it is reached', () => {
    expect(applyCaps(10, { dailyCap: 30, monthlyCap: null }, { today: 25, thisMonth: 25 })).toEqual({
      amount: 5,
      capped: true,
    });
    expect(applyCaps(10, { dailyCap: 30, monthlyCap: null }, { today: 30, thisMonth: 30 })).toEqual({
      amount: 0,
      capped: true,
    });
    expect(applyCaps(10, { dailyCap: 30, monthlyCap: null }, { today: 10, thisMonth: 10 })).toEqual({
      amount: 10,
      capped: false,
    });
  });
  it('the monthly cap binds when it leaves less than the daily one', () => {
    expect(applyCaps(10, { dailyCap: 30, monthlyCap: 100 }, { today: 0, thisMonth: 96 })).toEqual({
      amount: 4,
      capped: true,
    });
  });
  it('no caps: the whole amount', () => {
    expect(applyCaps(7, { dailyCap: null, monthlyCap: null }, { today: 1e6, thisMonth: 1e6 })).toEqual({
      amount: 7,
      capped: false,
    });
  });
});

describe('ruleAmount', () => {
  it('multiplies by the quantity, rounded half up, never negative', () => {
    expect(ruleAmount(10, 1.5)).toBe(15);
    expect(ruleAmount(10, 0.25)).toBe(3);
    expect(ruleAmount(10)).toBe(10);
    expect(ruleAmount(10, 0)).toBe(0);
    expect(ruleAmount(10, -2)).toBe(0);
  });
});

describe('capWindows (Asia/Shanghai)', () => {
  it('23:59 and 00:01 Shanghai fall on different days, the same month', () => {
    const late = capWindows(new Date('2026-12-07T15:59:00Z')); // 23:59 on the 7th in Shanghai
    const early = capWindows(new Date('2026-12-07T16:01:00Z')); // 00:01 on the 8th
    expect(late.dayStart.toISOString()).toBe('2026-12-06T16:00:00.000Z');
    expect(late.dayEnd.toISOString()).toBe('2026-12-07T16:00:00.000Z');
    expect(early.dayStart.toISOString()).toBe('2026-12-07T16:00:00.000Z');
    expect(early.monthStart.toISOString()).toBe(late.monthStart.toISOString());
    expect(late.monthStart.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(late.monthEnd.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });
  it('a new month begins at Shanghai midnight of the 1st (and a new year after December)', () => {
    const w = capWindows(new Date('2026-12-31T16:30:00Z')); // 00:30 on 1 January 2027 in Shanghai
    expect(w.monthStart.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(w.monthEnd.toISOString()).toBe('2027-01-31T16:00:00.000Z');
  });
});

describe('ruleProblem', () => {
  it('accepts a well-formed rule', () => {
    expect(ruleProblem(ok)).toBeNull();
    expect(ruleProblem({ ...ok, trigger: 'activity', activityType: 'choir', dailyCap: null })).toBeNull();
  });
  it('names the field of what is wrong', () => {
    expect(ruleProblem({ ...ok, trigger: 'birthday' })).toEqual({ field: 'trigger', reason: 'unknown' });
    expect(ruleProblem({ ...ok, trigger: 'activity' })).toEqual({ field: 'activityType', reason: 'required' });
    expect(ruleProblem({ ...ok, activityType: 'choir' })).toEqual({ field: 'activityType', reason: 'not_allowed' });
    expect(ruleProblem({ ...ok, trigger: 'activity', activityType: 'Choir!' })?.field).toBe('activityType');
    expect(ruleProblem({ ...ok, amount: 0 })).toEqual({ field: 'amount', reason: 'positive' });
    expect(ruleProblem({ ...ok, amount: -5 })).toEqual({ field: 'amount', reason: 'positive' });
    expect(ruleProblem({ ...ok, amount: 1.5 })?.field).toBe('amount');
    expect(ruleProblem({ ...ok, amount: 100_001, dailyCap: null })).toEqual({ field: 'amount', reason: 'too_large' });
    expect(ruleProblem({ ...ok, dailyCap: 0 })).toEqual({ field: 'dailyCap', reason: 'positive' });
    expect(ruleProblem({ ...ok, monthlyCap: -1 })).toEqual({ field: 'monthlyCap', reason: 'positive' });
    expect(ruleProblem({ ...ok, dailyCap: 40, monthlyCap: 30 })).toEqual({
      field: 'dailyCap',
      reason: 'above_monthly',
    });
    expect(ruleProblem({ ...ok, amount: 5, dailyCap: 2 })).toEqual({ field: 'dailyCap', reason: 'below_amount' });
  });
});
