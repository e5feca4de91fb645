/**
 * Pure shaping of the dashboard (驾驶舱): age bands, month series with gaps filled, ranking slices, the child a
 * path lies under, the last full month. No I/O; the repo counts, these functions lay the counts out.
 */

export const AGE_BANDS = [
  { key: '0-17', min: 0, max: 17 },
  { key: '18-59', min: 18, max: 59 },
  { key: '60-79', min: 60, max: 79 },
  { key: '80+', min: 80, max: null },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]['key'];
export type Sex = 'male' | 'female';

/** The band of an age in whole years (negative ages, from a birth date after today, count as 0). */
export function ageBandOf(age: number): AgeBand {
  for (const b of AGE_BANDS) if (b.max === null || age <= b.max) return b.key;
  return '80+';
}

export type AgeSexCount = { band: AgeBand; sex: Sex; n: number };
export type AgeBandRow = { band: AgeBand; min: number; max: number | null; male: number; female: number };

/** Every band in order with both sexes, zeros where the counts have none (counts of one band and sex are summed). */
export function fillAgeBands(counts: AgeSexCount[]): AgeBandRow[] {
  return AGE_BANDS.map((b) => {
    const of = (sex: Sex) => counts.filter((c) => c.band === b.key && c.sex === sex).reduce((s, c) => s + c.n, 0);
    return { band: b.key, min: b.min, max: b.max, male: of('male'), female: of('female') };
  });
}

/** 'YYYY-MM' of a 'YYYY-MM-DD' day shifted by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + delta;
  const year = Math.floor(total / 12);
  const mon = (total % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(mon).padStart(2, '0')}`;
}

/** The `count` months ending with the month of `today` (a Shanghai day 'YYYY-MM-DD'), oldest first. */
export function monthsEnding(today: string, count: number): string[] {
  const current = today.slice(0, 7);
  return Array.from({ length: count }, (_, i) => addMonths(current, i - (count - 1)));
}

/** The last full month before `today`: its 'YYYY-MM' and first day. */
export function lastFullMonth(today: string): { month: string; start: string; end: string } {
  const month = addMonths(today.slice(0, 7), -1);
  return { month, start: `${month}-01`, end: `${addMonths(month, 1)}-01` };
}

export type MonthCount = { month: string; created: number; closed: number };

/** A series over `months` with zeros where a month had no row; rows outside the months are dropped. */
export function fillMonths(
  months: string[],
  rows: { month: string; created?: number; closed?: number }[],
): MonthCount[] {
  return months.map((month) => {
    const mine = rows.filter((r) => r.month === month);
    return {
      month,
      created: mine.reduce((s, r) => s + (r.created ?? 0), 0),
      closed: mine.reduce((s, r) => s + (r.closed ?? 0), 0),
    };
  });
}

/** The top and bottom `n` of a ranking (by rank, ties by name); the bottom lists the last first, and a subject in
 * the top is not repeated in the bottom when there are fewer than 2n. */
export function rankingSlices<T extends { rank: number; name: string }>(
  rows: T[],
  n: number,
): { top: T[]; bottom: T[] } {
  const sorted = [...rows].sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name, 'zh-CN'));
  const top = sorted.slice(0, n);
  const rest = sorted.slice(top.length);
  const bottom = rest.slice(Math.max(0, rest.length - n)).reverse();
  return { top, bottom };
}

/** The id of the child of `parentPath` that `path` lies under (null: the parent itself or outside it). */
export function childIdOf(parentPath: string, path: string): number | null {
  if (!path.startsWith(parentPath) || path.length === parentPath.length) return null;
  const seg = path.slice(parentPath.length).split('/')[0];
  return seg && /^\d+$/.test(seg) ? Number(seg) : null;
}

/** A ratio num/den rounded to 4 places, null when there is nothing to divide by. */
export function ratio(num: number, den: number | null): number | null {
  if (den === null || den <= 0) return null;
  return Math.round((num / den) * 10000) / 10000;
}

/** The node ids on a path, root first: '/1/5/9/' → [1, 5, 9]. */
export function idsOnPath(path: string): number[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(Number);
}

/** The console path of a list with a query (keys with undefined values left out). */
export function listLink(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}
