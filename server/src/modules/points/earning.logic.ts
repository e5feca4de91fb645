/**
 * Earning rules' arithmetic and checks, pure: how much a credit is worth, what a cap leaves of it, the Shanghai day
 * and month a credit counts in, and whether a rule as it would be stored makes sense.
 */
import { shanghaiDay, shanghaiMidnight } from '../cases/calendar.logic.js';

export type Caps = { dailyCap: number | null; monthlyCap: number | null };

/**
 * What of `amount` may still be credited, given what this rule already credited this person today and this month
 * (cut to what is left; 0 when a cap is reached). `capped`: the credit was cut.
 */
export function applyCaps(
  amount: number,
  caps: Caps,
  earned: { today: number; thisMonth: number },
): { amount: number; capped: boolean } {
  let left = Math.max(0, amount);
  if (caps.dailyCap !== null) left = Math.min(left, Math.max(0, caps.dailyCap - earned.today));
  if (caps.monthlyCap !== null) left = Math.min(left, Math.max(0, caps.monthlyCap - earned.thisMonth));
  return { amount: left, capped: left < amount };
}

/** A rule's amount times a quantity (hours for 'volunteer_hour'), in whole units, rounded half up; never negative. */
export function ruleAmount(amount: number, quantity = 1): number {
  if (!Number.isFinite(quantity) || quantity <= 0) return 0;
  return Math.round(amount * quantity);
}

/** The Shanghai day and month an instant falls in, as [start, end) instants: what the daily and monthly caps count. */
export function capWindows(now: Date): { dayStart: Date; dayEnd: Date; monthStart: Date; monthEnd: Date } {
  const day = shanghaiDay(now);
  const dayStart = shanghaiMidnight(day);
  const [y, m] = day.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return {
    dayStart: new Date(dayStart),
    dayEnd: new Date(shanghaiMidnight(shanghaiDay(dayStart + 36 * 3600_000))),
    monthStart: new Date(shanghaiMidnight(`${day.slice(0, 7)}-01`)),
    monthEnd: new Date(shanghaiMidnight(next)),
  };
}

export const EARN_TRIGGERS = [
  'case_confirmed',
  'visit_done',
  'garbage_checkin',
  'volunteer_hour',
  'activity',
  'manual',
] as const;

export const MAX_RULE_AMOUNT = 100_000;

export type RuleShape = {
  trigger: string;
  activityType: string | null;
  currency: string;
  amount: number;
  dailyCap: number | null;
  monthlyCap: number | null;
};

/** What is wrong with a rule as it would be stored: the field and a reason code, or null. */
export function ruleProblem(r: RuleShape): { field: string; reason: string } | null {
  if (!(EARN_TRIGGERS as readonly string[]).includes(r.trigger)) return { field: 'trigger', reason: 'unknown' };
  if (r.trigger === 'activity' && !r.activityType) return { field: 'activityType', reason: 'required' };
  if (r.trigger !== 'activity' && r.activityType) return { field: 'activityType', reason: 'not_allowed' };
  if (r.activityType !== null && !/^[a-z][a-z0-9_]{1,39}$/.test(r.activityType)) {
    return { field: 'activityType', reason: 'format' };
  }
  if (!Number.isSafeInteger(r.amount) || r.amount <= 0) return { field: 'amount', reason: 'positive' };
  if (r.amount > MAX_RULE_AMOUNT) return { field: 'amount', reason: 'too_large' };
  if (r.dailyCap !== null && (!Number.isSafeInteger(r.dailyCap) || r.dailyCap <= 0)) {
    return { field: 'dailyCap', reason: 'positive' };
  }
  if (r.monthlyCap !== null && (!Number.isSafeInteger(r.monthlyCap) || r.monthlyCap <= 0)) {
    return { field: 'monthlyCap', reason: 'positive' };
  }
  if (r.dailyCap !== null && r.monthlyCap !== null && r.dailyCap > r.monthlyCap) {
    return { field: 'dailyCap', reason: 'above_monthly' };
  }
  if (r.dailyCap !== null && r.dailyCap < r.amount && r.trigger !== 'volunteer_hour') {
    // a cap below one credit would cut every credit: almost surely a mistake
    return { field: 'dailyCap', reason: 'below_amount' };
  }
  return null;
}
