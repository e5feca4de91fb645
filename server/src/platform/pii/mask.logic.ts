/**
 * Masked display of personal data (PIPL: show only what the task needs). Pure functions, no I/O.
 * The masked forms are what lists, exports and logs carry unless the user may reveal the whole value.
 */
import { parsePhone } from './phone.logic.js';

const STAR = '*';

/**
 * Keeps the first 6 (the division code, needed to tell where someone is registered) and the last 4
 * characters: `370323199001011234` → `370323********1234`. Other lengths keep the same 6/4 and star the
 * middle; a value of 10 characters or fewer is starred entirely, since keeping 6+4 would show all of it.
 * The length is preserved. Expects the canonical form (ASCII, see normalizeIdNumber).
 */
export function maskIdNumber(id: string): string {
  const n = id.length;
  if (n <= 10) return STAR.repeat(n);
  return id.slice(0, 6) + STAR.repeat(n - 10) + id.slice(n - 4);
}

/**
 * Mobiles keep the first 3 and last 4 digits (`138****5678`); landlines keep the area code and the last
 * 2 digits (`0537-*****67`). Non-canonical input is parsed first; anything unparseable keeps only its last
 * 2 characters (and is starred entirely when 4 characters or shorter).
 */
export function maskPhone(phone: string): string {
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

// Characters that do not stand alone: combining marks (incl. the ideographic variation selectors used for
// rare characters in names), zero-width joiners, emoji modifiers and regional-indicator pairs.
const NEEDS_GRAPHEMES = /\p{M}|\u200d|[\u{1f1e6}-\u{1f1ff}]|[\u{1f3fb}-\u{1f3ff}]/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function splitChars(s: string): string[] {
  // Array.from splits by code point (so surrogate pairs such as 𠮷 stay whole) and is cheap; the segmenter
  // is only needed when a character is built from several code points.
  if (!NEEDS_GRAPHEMES.test(s)) return Array.from(s);
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
