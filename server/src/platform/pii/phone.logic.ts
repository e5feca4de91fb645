/**
 * Mainland China phone numbers: mobiles (11 digits, 1[3-9]…) and landlines (area code + local number).
 * Pure functions, no I/O.
 */
import { toHalfWidth } from './id-number.logic.js';

export type PhoneError = 'empty' | 'format';

export type PhoneKind = 'mobile' | 'landline';

export type PhoneResult = { ok: true; value: string; kind: PhoneKind } | { ok: false; error: PhoneError };

// Separators people and spreadsheets put into numbers: whitespace of every kind, ASCII and Unicode dashes,
// dots, brackets around the area code.
const SEPARATORS = /[\s\u200b-\u200d\u2060\-\u2010-\u2015\u2212.()]+/g;
const MOBILE = /^1[3-9]\d{9}$/;
// Three-digit area codes are 010 (Beijing) and 02x (Guangzhou, Shanghai, Tianjin, Chongqing, Shenyang,
// Nanjing, Wuhan, Chengdu, Xi'an); every other area code has four digits. That rule, not the position of a
// dash the user typed, decides where the area code ends.
const LANDLINE = /^(010|02\d|0[3-9]\d{2})([1-9]\d{6,7})$/;

/**
 * Strips separators, converts full-width characters, and removes a country prefix (+86, 0086, or 86 before
 * an 11-digit mobile). An international-format landline (+86 537 …) gets its trunk 0 back.
 * Returns digits (and any unexpected characters, which parsePhone then rejects); does not validate.
 */
export function normalizePhone(raw: string): string {
  const s = toHalfWidth(raw).replace(SEPARATORS, '');
  let rest: string;
  if (s.startsWith('+86')) rest = s.slice(3);
  else if (s.startsWith('0086')) rest = s.slice(4);
  else if (s.length === 13 && s.startsWith('86') && MOBILE.test(s.slice(2))) return s.slice(2);
  else return s;
  return rest.length > 0 && !rest.startsWith('0') && !MOBILE.test(rest) ? `0${rest}` : rest;
}

/**
 * Validates a phone number. Mobiles come back as 11 digits (`13812345678`), landlines as
 * `area-local` (`0537-1234567`, `010-12345678`), so equal numbers hash equally whatever was typed.
 */
export function parsePhone(raw: string): PhoneResult {
  const n = normalizePhone(raw);
  if (n.length === 0) return { ok: false, error: 'empty' };
  if (MOBILE.test(n)) return { ok: true, value: n, kind: 'mobile' };
  const m = LANDLINE.exec(n);
  if (m) return { ok: true, value: `${m[1]}-${m[2]}`, kind: 'landline' };
  return { ok: false, error: 'format' };
}
