import { shanghaiDay, shanghaiMidnight } from '../cases/calendar.logic.js';

/**
 * Settlement arithmetic (月结), pure: a period is a calendar month 'YYYY-MM' in Asia/Shanghai; the points a merchant
 * took in it go back to the community's issuer and the community owes points ÷ points_per_yuan yuan, kept in fen.
 */

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(s: string): boolean {
  return PERIOD.test(s);
}

/** The instants a period starts and ends ([from, to), Shanghai midnights of the 1st of the month and the next). */
export function periodBounds(period: string): { from: Date; to: Date } {
  const m = PERIOD.exec(period);
  if (!m) throw new Error(`not a period: ${period}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { from: new Date(shanghaiMidnight(`${period}-01`)), to: new Date(shanghaiMidnight(`${next}-01`)) };
}

/** The Shanghai month an instant lies in. */
export function periodOf(at: Date | number): string {
  return shanghaiDay(at).slice(0, 7);
}

/** The month before the one `now` lies in (what the monthly job settles). */
export function previousPeriod(now: Date | number): string {
  const [y, m] = periodOf(now).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Whether a period is over at `now` (only a finished month can be settled). */
export function isPeriodOver(period: string, now: Date | number): boolean {
  return periodBounds(period).to.getTime() <= (typeof now === 'number' ? now : now.getTime());
}

/** Fen owed for `points` at `pointsPerYuan` points a yuan, rounded half up to the fen. */
export function settlementFen(points: number, pointsPerYuan: number): number {
  if (!Number.isSafeInteger(points) || points < 0) throw new Error(`bad points ${points}`);
  if (!Number.isSafeInteger(pointsPerYuan) || pointsPerYuan <= 0) throw new Error(`bad rate ${pointsPerYuan}`);
  return Math.floor((points * 200 + pointsPerYuan) / (2 * pointsPerYuan));
}

/** The totals of a month's redemptions (only those still 'done'; a reversed one gave its points back). */
export function settlementTotals(redemptions: readonly { total: number; status: string }[]): {
  redemptions: number;
  points: number;
} {
  let n = 0;
  let points = 0;
  for (const r of redemptions) {
    if (r.status !== 'done') continue;
    n++;
    points += r.total;
  }
  return { redemptions: n, points };
}

/** '12.34' from 1234 fen. */
export function yuanText(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** The idempotency key of a settlement's transfer. */
export function settlementKey(merchantId: number, period: string): string {
  return `settle:${merchantId}:${period}`;
}

/**
 * What a settlement moves: the month's points, but never more than the merchant's account holds (a refund after an
 * earlier month was settled took points that month had already been paid for; the shortfall is deducted).
 */
export function settledPoints(monthPoints: number, balance: number): { points: number; deducted: number } {
  const points = Math.max(0, Math.min(monthPoints, balance));
  return { points, deducted: monthPoints - points };
}
