import { createHash, randomInt } from 'node:crypto';

/** Redemption codes and baskets: the pure parts of redeeming points at a merchant's counter. */

/** How long a code shown on the resident's phone stays valid. */
export const CODE_TTL_MS = 2 * 60 * 1000;
export const CODE_RE = /^[0-9]{8}$/;
/** The QR's text: `linli:redeem:<8 digits>`. */
export const QR_PREFIX = 'linli:redeem:';

/** A fresh random 8-digit code (leading zeros kept). */
export function newCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

/** What is stored of a code: its sha256 (the code itself is shown once). */
export function hashCode(code: string): Buffer {
  return createHash('sha256').update(code, 'utf8').digest();
}

/** The 8 digits out of what the counter typed or scanned (spaces and the QR prefix allowed), or null. */
export function parseCode(raw: string): string | null {
  let s = raw.trim();
  if (s.startsWith(QR_PREFIX)) s = s.slice(QR_PREFIX.length);
  s = s.replace(/[\s-]/g, '');
  return CODE_RE.test(s) ? s : null;
}

export type BasketLine = { goodsId: number; quantity: number };

/** The lines merged per goods (the same goods twice counts once, quantities added) and sorted by goods id — the
 * order stock rows are locked in, so two redemptions over the same goods cannot deadlock. */
export function mergeBasket(items: readonly BasketLine[]): BasketLine[] {
  const m = new Map<number, number>();
  for (const it of items) m.set(it.goodsId, (m.get(it.goodsId) ?? 0) + it.quantity);
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([goodsId, quantity]) => ({ goodsId, quantity }));
}

/** The basket's total in points (prices × quantities). */
export function basketTotal(lines: readonly { price: number; quantity: number }[]): number {
  return lines.reduce((s, l) => s + l.price * l.quantity, 0);
}

/** The state of a code at `now` as the resident's page shows it. */
export function codeState(
  c: { usedAt: Date | null; expiresAt: Date; redemptionId: number | null },
  now: Date,
): 'used' | 'expired' | 'active' {
  if (c.usedAt !== null) return 'used';
  return c.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}
