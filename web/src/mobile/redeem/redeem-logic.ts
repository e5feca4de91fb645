/** Redemption on the phone: the pure parts (the QR's text, typed codes, the basket, the countdown). */

export const QR_PREFIX = 'linli:redeem:';

export const qrValue = (code: string) => `${QR_PREFIX}${code}`;

/** The 8 digits out of what was scanned or typed (the QR's prefix, spaces allowed), or null. */
export function parseCode(raw: string): string | null {
  let s = raw.trim();
  if (s.startsWith(QR_PREFIX)) s = s.slice(QR_PREFIX.length);
  s = s.replace(/[\s-]/g, '');
  return /^[0-9]{8}$/.test(s) ? s : null;
}

/** 8 digits shown as two groups of four, for reading aloud. */
export const spaced = (code: string) => `${code.slice(0, 4)} ${code.slice(4)}`;

/** Seconds left until `expiresAt` (never below 0). */
export function secondsLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.ceil((new Date(expiresAt).getTime() - now) / 1000));
}

/** m:ss */
export function countdown(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export type Basket = Record<number, number>;

/** The basket's total against the catalogue's prices. */
export function basketTotal(basket: Basket, goods: readonly { id: number; price: number }[]): number {
  return goods.reduce((s, g) => s + g.price * (basket[g.id] ?? 0), 0);
}

/** The basket as the API's items (quantities above 0). */
export function basketItems(basket: Basket): { goodsId: number; quantity: number }[] {
  return Object.entries(basket)
    .filter(([, q]) => q > 0)
    .map(([id, q]) => ({ goodsId: Number(id), quantity: q }));
}
