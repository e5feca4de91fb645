/**
 * Chinese resident identity numbers (公民身份号码, GB 11643-1999).
 *
 * Layout of the 18-character form: 6-digit administrative division code (GB/T 2260) where the number was
 * first issued, 8-digit birth date YYYYMMDD, 3-digit sequence (its last digit is odd for men, even for women),
 * and a check character (ISO 7064 MOD 11-2, `X` stands for 10). The older 15-digit form (issued until 1999)
 * has a 2-digit year (always 19xx) and no check character.
 *
 * Pure functions only: no I/O, no clock unless the caller passes none, so they can run in the browser too.
 */

/** Why an ID number was rejected; stable codes meant for i18n keys and API error details. */
export type IdNumberError = 'empty' | 'length' | 'format' | 'area' | 'birth_date' | 'check_digit';

export type Sex = 'male' | 'female';

export type ParsedIdNumber = {
  ok: true;
  /** Canonical 18-character form (15-digit input is converted). */
  value: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  /** The 6-digit division code where the number was issued (not necessarily where the person lives now). */
  areaCode: string;
};

export type IdNumberResult = ParsedIdNumber | { ok: false; error: IdNumberError };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

// GB/T 2260 province-level codes. 71 (Taiwan), 81 (Hong Kong) and 82 (Macao) appear on residence permits
// (港澳台居民居住证), which use the same number format.
const PROVINCE_CODES: ReadonlySet<string> = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(' '),
);

// \s covers U+3000 (ideographic space), NBSP and U+FEFF; zero-width spaces/joiners are not whitespace to JS
// but arrive from copy-paste out of web pages and office documents all the same.
const INVISIBLE = /[\s\u200b-\u200d\u2060]+/g;
// The full-width ASCII block U+FF01..U+FF5E is plain ASCII shifted by 0xFEE0 (Chinese IMEs type digits there).
const FULL_WIDTH = /[\uff01-\uff5e]/g;

/** Converts full-width ASCII (０-９, Ａ-Ｚ, －, ＋ …) to ASCII. Shared with phone.logic. */
export function toHalfWidth(s: string): string {
  return s.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * Puts an ID number as typed or imported into the form it is validated, hashed and stored in:
 * whitespace of every kind removed, full-width characters made ASCII, `x` upper-cased.
 * Does not validate.
 */
export function normalizeIdNumber(raw: string): string {
  return toHalfWidth(raw.replace(INVISIBLE, '')).toUpperCase();
}

/**
 * The GB 11643 check character for the first 17 digits.
 * @throws RangeError when `first17` is not exactly 17 ASCII digits (a programming error, not user input).
 */
export function computeCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('computeCheckDigit expects 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/**
 * Converts a 15-digit (first-generation) ID number to its 18-character form: `19` goes in front of the
 * 2-digit birth year and a check character is appended. The input is normalized first.
 * @throws RangeError when the normalized input is not 15 digits.
 */
export function convert15To18(id15: string): string {
  const n = normalizeIdNumber(id15);
  if (!/^\d{15}$/.test(n)) throw new RangeError('convert15To18 expects 15 digits');
  const first17 = `${n.slice(0, 6)}19${n.slice(6)}`;
  return first17 + computeCheckDigit(first17);
}

/** True for a 6-digit GB/T 2260 division code with a known province prefix. */
export function isValidDivisionCode(code: string): boolean {
  return /^\d{6}$/.test(code) && PROVINCE_CODES.has(code.slice(0, 2));
}

/** Days since 1970-01-01 for a proleptic Gregorian date, or null when the date does not exist. */
function civilDay(year: number, month: number, day: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const t = Date.UTC(year, month - 1, day);
  const d = new Date(t);
  // Date.UTC rolls 02-30 over to 03-02; a round trip that changes the fields means the date does not exist.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return t / 86_400_000;
}

const CHINA_OFFSET_MS = 8 * 3_600_000;
const MIN_BIRTH_DAY = Date.UTC(1900, 0, 1) / 86_400_000;

/**
 * "Today" is the calendar day in Asia/Shanghai (UTC+8, no DST since 1991): a baby registered at 00:30 Beijing
 * time must not be rejected as born in the future because the server runs on UTC.
 */
function chinaToday(now: Date): number {
  return Math.floor((now.getTime() + CHINA_OFFSET_MS) / 86_400_000);
}

// ---- The usual input, checked without normalising or allocating beyond the result ----------------------
// An import checks hundreds of thousands of numbers that are already 17 ASCII digits and a digit or X; for
// those the checks below run on character codes, giving exactly what the general path gives.

const IS_PROVINCE = new Uint8Array(100);
for (const p of PROVINCE_CODES) IS_PROVINCE[Number(p)] = 1;
const MIN_BIRTH_YMD = 19000101;
// Birth dates as YYYY-MM-DD by their yyyymmdd number: at most one string per day since 1900 ever made.
const BIRTH_DATES = new Map<number, string>();

// yyyymmdd of "today" in Asia/Shanghai for the last instant asked about, kept while it is the same day.
let todayDayNo = Number.NaN;
let todayYmd = 0;

function chinaTodayYmd(now: number): number {
  const dayNo = Math.floor((now + CHINA_OFFSET_MS) / 86_400_000);
  if (dayNo !== todayDayNo) {
    const d = new Date(dayNo * 86_400_000);
    todayYmd = d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
    todayDayNo = dayNo;
  }
  return todayYmd;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// The digits of the number being checked, read once (a cell is often a slice of a larger string, where every
// charCodeAt has to find its way to the characters).
const DIGITS = new Int32Array(18);

/**
 * True for 17 ASCII digits and an ASCII digit or upper-case X (nothing for normalizeIdNumber to change), with
 * their values left in DIGITS (X as 10).
 */
function readPlain18(s: string): boolean {
  if (s.length !== 18) return false;
  for (let i = 0; i < 17; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return false;
    DIGITS[i] = c;
  }
  const last = s.charCodeAt(17);
  if (last >= 48 && last <= 57) DIGITS[17] = last - 48;
  else if (last === 88) DIGITS[17] = 10;
  else return false;
  return true;
}

// The number whose digits readPlain18 left in DIGITS.
function parsePlain18(v: string, today: Date | undefined): IdNumberResult {
  const g = DIGITS;
  if (IS_PROVINCE[(g[0] as number) * 10 + (g[1] as number)] !== 1) return { ok: false, error: 'area' };
  const year = (g[6] as number) * 1000 + (g[7] as number) * 100 + (g[8] as number) * 10 + (g[9] as number);
  const month = (g[10] as number) * 10 + (g[11] as number);
  const day = (g[12] as number) * 10 + (g[13] as number);
  const ymd = year * 10_000 + month * 100 + day;
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    ymd < MIN_BIRTH_YMD ||
    ymd > chinaTodayYmd(today === undefined ? Date.now() : today.getTime())
  ) {
    return { ok: false, error: 'birth_date' };
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (g[i] as number) * (WEIGHTS[i] as number);
  // MOD 11-2: the check character's value is (12 - sum mod 11) mod 11, 10 written X.
  if ((12 - (sum % 11)) % 11 !== g[17]) return { ok: false, error: 'check_digit' };
  let birthDate = BIRTH_DATES.get(ymd);
  if (birthDate === undefined) {
    birthDate = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
    BIRTH_DATES.set(ymd, birthDate);
  }
  return {
    ok: true,
    value: v,
    birthDate,
    sex: (g[16] as number) % 2 === 1 ? 'male' : 'female',
    areaCode: v.slice(0, 6),
  };
}

/**
 * Validates an ID number (18- or 15-character, normalized first) and extracts birth date, sex and area code.
 * Checks, in order: empty, length, characters, province code, birth date (a real date from 1900-01-01 to
 * today in Asia/Shanghai), check character (18-character input only; 15-digit numbers have none).
 */
export function parseIdNumber(raw: string, opts?: { today?: Date }): IdNumberResult {
  if (readPlain18(raw)) return parsePlain18(raw, opts?.today);
  const n = normalizeIdNumber(raw);
  if (n.length === 0) return { ok: false, error: 'empty' };
  if (n.length !== 18 && n.length !== 15) return { ok: false, error: 'length' };
  const is18 = n.length === 18;
  if (!(is18 ? /^\d{17}[\dX]$/ : /^\d{15}$/).test(n)) return { ok: false, error: 'format' };
  if (!PROVINCE_CODES.has(n.slice(0, 2))) return { ok: false, error: 'area' };

  const value = is18 ? n : convert15To18(n);
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birthDay = civilDay(year, month, day);
  if (birthDay === null || birthDay < MIN_BIRTH_DAY || birthDay > chinaToday(opts?.today ?? new Date())) {
    return { ok: false, error: 'birth_date' };
  }
  if (is18 && computeCheckDigit(value.slice(0, 17)) !== value.charAt(17)) return { ok: false, error: 'check_digit' };

  return {
    ok: true,
    value,
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    sex: (value.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
    areaCode: value.slice(0, 6),
  };
}

/**
 * Builds a valid 18-character ID number, for demo data and tests. When `sex` is given and the parity of the
 * sequence's last digit disagrees, the sequence is moved by one (n ^ 1 stays within 0..999).
 * @throws RangeError on an invalid area code, a non-existent or pre-1900 birth date (YYYY-MM-DD),
 *   or a sequence outside 0..999.
 */
export function generateIdNumber(params: { areaCode: string; birthDate: string; sequence: number; sex?: Sex }): string {
  const { areaCode, birthDate, sex } = params;
  if (!isValidDivisionCode(areaCode)) throw new RangeError(`invalid area code: ${areaCode}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const birthDay = m ? civilDay(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  if (m === null || birthDay === null || birthDay < MIN_BIRTH_DAY) {
    throw new RangeError(`invalid birth date: ${birthDate}`);
  }
  let sequence = params.sequence;
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError(`sequence must be an integer in 0..999: ${sequence}`);
  }
  if (sex !== undefined && (sequence % 2 === 1) !== (sex === 'male')) sequence ^= 1;
  const first17 = `${areaCode}${m[1]}${m[2]}${m[3]}${String(sequence).padStart(3, '0')}`;
  return first17 + computeCheckDigit(first17);
}
