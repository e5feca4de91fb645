/**
 * What an error report shows of a bad row's ID and phone numbers (PIPL: only what fixing the row needs). The
 * report is a file that leaves the system, so the numbers are masked as everywhere else, except the part that
 * is wrong: a bad birth date keeps its date digits, a wrong length says the length, a stray character stays
 * visible where it is, a wrong check digit is the last character (which the usual mask keeps). Pure functions.
 */
import type { Locale } from '../../../platform/errors/errors.js';
import { maskIdNumber, maskPhone, normalizeIdNumber, normalizePhone, parsePhone } from '../../../platform/pii/index.js';
import { type Cell, cellText, type ImportField, type RowIssue, type RowIssueCode } from './import.logic.js';

const STAR = '*';

function lengthNote(n: number, locale: Locale): string {
  return locale === 'zh-CN' ? `（${n} 位）` : ` (${n} characters)`;
}

/**
 * Stars every character but those `keep` says to show; characters outside `allowed` are always shown, since
 * they are what is wrong. Counts code points, so a stray CJK character or emoji stays whole.
 */
function starExcept(chars: string[], keep: (i: number, n: number) => boolean, allowed: RegExp): string {
  const n = chars.length;
  return chars.map((c, i) => (keep(i, n) || !allowed.test(c) ? c : STAR)).join('');
}

const keepIdEnds = (i: number, n: number) => n > 10 && (i < 6 || i >= n - 4);

/**
 * An ID number cell as the report shows it, given what is wrong with it (the issue code on the ID column, or
 * null when the number itself is fine and something else in the row is wrong).
 */
export function maskIdForReport(raw: string, problem: RowIssueCode | null, locale: Locale): string {
  if (raw === '') return raw;
  const id = normalizeIdNumber(raw);
  const chars = Array.from(id);
  const n = chars.length;
  switch (problem) {
    case 'id_length':
      return starExcept(chars, keepIdEnds, /[0-9X]/) + lengthNote(n, locale);
    case 'id_format':
      // Only the last character of an 18-digit number may be an X; elsewhere it is the mistake.
      return starExcept(chars, (i) => keepIdEnds(i, n) || (chars[i] === 'X' && i !== 17), /[0-9X]/);
    case 'id_birth_date': {
      // The birth date is characters 7–14 (7–12 of an old 15-digit number): shown, with the area code.
      const end = n === 15 ? 12 : 14;
      return starExcept(chars, (i) => i < end, /[0-9X]/);
    }
    default:
      return /^[0-9X]+$/.test(id) ? maskIdNumber(id) : starExcept(chars, keepIdEnds, /[0-9X]/);
  }
}

/** A phone cell as the report shows it: masked as usual when valid; when not, masked with its length. */
export function maskPhoneForReport(raw: string, problem: RowIssueCode | null, locale: Locale): string {
  if (raw === '') return raw;
  if (problem !== 'phone_invalid') {
    const p = parsePhone(raw);
    return maskPhone(p.ok ? p.value : normalizePhone(raw));
  }
  const chars = Array.from(normalizePhone(raw));
  const n = chars.length;
  // A mistyped mobile keeps its operator prefix and last two digits; a short fragment only its last two.
  const keep = (i: number) => (n >= 9 && i < 3) || (n > 4 && i >= n - 2);
  return starExcept(chars, keep, /[0-9-]/) + lengthNote(n, locale);
}

/**
 * A bad row's cells and issues as the error report writes them: the ID and phone cells masked (see above), and
 * the phone's value in its issue message replaced by the masked form. The other cells are kept as written.
 */
export function maskReportRow(
  cells: readonly Cell[],
  index: Readonly<Record<ImportField, number>>,
  issues: readonly RowIssue[],
  locale: Locale,
): { cells: Cell[]; issues: RowIssue[] } {
  const out = cells.slice();
  const problemOf = (field: ImportField) => issues.find((i) => i.field === field)?.code ?? null;
  let maskedPhone: string | null = null;
  const idAt = index.idNumber;
  if (idAt >= 0 && idAt < out.length) {
    const text = cellText(out[idAt] ?? null);
    if (text !== '') out[idAt] = maskIdForReport(text, problemOf('idNumber'), locale);
  }
  const phoneAt = index.phone;
  if (phoneAt >= 0 && phoneAt < out.length) {
    const text = cellText(out[phoneAt] ?? null);
    if (text !== '') {
      maskedPhone = maskPhoneForReport(text, problemOf('phone'), locale);
      out[phoneAt] = maskedPhone;
    }
  }
  const masked = issues.map((i) =>
    i.code === 'phone_invalid' && maskedPhone !== null ? { ...i, params: { ...i.params, value: maskedPhone } } : i,
  );
  return { cells: out, issues: masked };
}
