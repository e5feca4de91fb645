/**
 * Masked display of personal data (PIPL: show only what the task needs). Pure functions, no I/O.
 * The masked forms are what lists, exports and logs carry unless the user may reveal the whole value.
 */
import { parsePhone } from './phone.logic.js';

const STAR = '*';
const STARS_8 = STAR.repeat(8);

/**
 * Keeps the first 6 (the division code, needed to tell where someone is registered) and the last 4
 * characters: `370323199001011234` → `370323********1234`. Other lengths keep the same 6/4 and star the
 * middle; a value of 10 characters or fewer is starred entirely, since keeping 6+4 would show all of it.
 * The length is preserved. Expects the canonical form (ASCII, see normalizeIdNumber).
 */
export function maskIdNumber(id: string): string {
  const n = id.length;
  if (n <= 10) return STAR.repeat(n);
  return id.slice(0, 6) + (n === 18 ? STARS_8 : STAR.repeat(n - 10)) + id.slice(n - 4);
}

// Canonical mobiles, the usual input of an import, need no parsing.
const CANONICAL_MOBILE = /^1[3-9]\d{9}$/;

/**
 * Mobiles keep the first 3 and last 4 digits (`138****5678`); landlines keep the area code and the last
 * 2 digits (`0537-*****67`). Non-canonical input is parsed first; anything unparseable keeps only its last
 * 2 characters (and is starred entirely when 4 characters or shorter).
 */
export function maskPhone(phone: string): string {
  if (CANONICAL_MOBILE.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
  const p = parsePhone(phone);
  if (!p.ok) {
    const n = phone.length;
    return n <= 4 ? STAR.repeat(n) : STAR.repeat(n - 2) + phone.slice(n - 2);
  }
  const v = p.value;
  if (p.kind === 'mobile') return `${v.slice(0, 3)}****${v.slice(7)}`;
  const dash = v.indexOf('-');
  return `${v.slice(0, dash + 1)}${STAR.repeat(v.length - dash - 3)}${v.slice(v.length - 2)}`;
}

// Names almost always consist of CJK ideographs (including the supplementary planes, which JS stores as
// surrogate pairs) and precomposed Latin letters, where one code point is one character and Array.from is
// enough. Anything else (combining marks, variation selectors, Hangul jamo, emoji sequences) goes through the
// grapheme segmenter, which is correct for all scripts but several times slower.
const SIMPLE_CHARS =
  /^[\u0020-\u007e\u00a0-\u02ff\u3000-\u3029\u3030-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e\u{20000}-\u{3ffff}]*$/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function splitChars(s: string): string[] {
  if (SIMPLE_CHARS.test(s)) return Array.from(s);
  return Array.from(graphemes.segment(s), (g) => g.segment);
}

/**
 * Keeps the first and last character of a name: `张三明` → `张*明`, `欧阳小明` → `欧**明`, `张三` → `张*`;
 * a single character is returned unchanged. Counts user-visible characters, not UTF-16 units, so the result
 * has as many characters as the input.
 */
export function maskName(name: string): string {
  const chars = splitChars(name);
  const n = chars.length;
  if (n <= 1) return name;
  if (n === 2) return `${chars[0]}${STAR}`;
  return `${chars[0]}${STAR.repeat(n - 2)}${chars[n - 1]}`;
}
