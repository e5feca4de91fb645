/**
 * Earning rules' arithmetic, pure: how much a credit is worth and what a cap leaves of it.
 */

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
  let left = amount;
  if (caps.dailyCap !== null) left = Math.min(left, Math.max(0, caps.dailyCap - earned.today));
  if (caps.monthlyCap !== null) left = Math.min(left, Math.max(0, caps.monthlyCap - earned.thisMonth));
  return { amount: left, capped: left < amount };
}

/** A rule's amount times a quantity (hours for 'volunteer_hour'), in whole units, rounded half up. */
export function ruleAmount(amount: number, quantity = 1): number {
  return Math.round(amount * quantity);
}
