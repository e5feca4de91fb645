import type { Currency } from './points-types';

/** Pure helpers of the points pages: amounts in each currency's unit, signs, kinds. */

/** An amount as shown: points as a whole number; hours (kept in minutes) as hours and minutes. */
export function amountText(amount: number, currency: Currency, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (currency !== 'hours') return String(amount);
  const sign = amount < 0 ? '-' : '';
  const m = Math.abs(amount);
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (lang === 'en') return `${sign}${h ? `${h} h` : ''}${h && rest ? ' ' : ''}${rest || !h ? `${rest} min` : ''}`;
  return `${sign}${h ? `${h} 小时` : ''}${h && rest ? ' ' : ''}${rest || !h ? `${rest} 分钟` : ''}`;
}

/** A movement's amount with its sign (+ in, − out). */
export function signedText(amount: number, currency: Currency, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  return amount > 0 ? `+${amountText(amount, currency, lang)}` : amountText(amount, currency, lang);
}

/** Whether a manager may reverse a movement here: an award, a credit or an expiry not yet reversed. */
export function canReverse(m: { kind: string; reversedById: number | null }): boolean {
  return ['earn', 'adjust', 'expire'].includes(m.kind) && m.reversedById === null;
}

/** The award form's amount: a non-zero whole number, signed by the chosen direction. */
export function awardAmount(direction: 'award' | 'deduct', value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isInteger(value) || value <= 0) return null;
  return direction === 'deduct' ? -value : value;
}
