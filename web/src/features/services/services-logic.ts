/** Pure helpers of the services pages (no I/O): money, hours, the repair response clock. */

/** 分 → "¥12.00". */
export function yuan(cents: number): string {
  return `¥${(cents / 100).toFixed(2)}`;
}

/** Minutes → "1.5" hours (one decimal, trailing zero dropped). */
export function hoursText(minutes: number): string {
  return String(Math.round((minutes / 60) * 10) / 10);
}

export type RepairClock =
  | { state: 'waiting'; minutesLeft: number }
  | { state: 'late'; minutesLate: number }
  | { state: 'responded' }
  | { state: 'none' };

/**
 * The 15-minute response clock of a repair (物业报修): while the case waits to be accepted (stage type open), the
 * minutes left until its response deadline, or how late it is; once accepted, responded.
 */
export function repairClock(
  c: { stageType: 'open' | 'in_progress' | 'fixed' | 'closed'; responseDueAt: string | null },
  now: Date,
): RepairClock {
  if (c.stageType !== 'open') return { state: 'responded' };
  if (!c.responseDueAt) return { state: 'none' };
  const left = (Date.parse(c.responseDueAt) - now.getTime()) / 60_000;
  return left >= 0
    ? { state: 'waiting', minutesLeft: Math.ceil(left) }
    : { state: 'late', minutesLate: Math.ceil(-left) };
}

/** The code of the repair category (seeded by the cases module with a 15-minute response SLA). */
export const REPAIR_CATEGORY_CODE = 'property.repair';
