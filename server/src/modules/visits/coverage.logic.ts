/**
 * Coverage (走访覆盖) pure rules: the period a day falls in (weeks from Monday, calendar months, Asia/Shanghai days)
 * and the on-time rate. Definitions of every figure: docs/architecture.md, "Grid work: coverage".
 */

export type CoveragePeriodKind = 'week' | 'month';

export type CoveragePeriod = {
  period: CoveragePeriodKind;
  /** First and last Shanghai day of the period, YYYY-MM-DD. */
  from: string;
  to: string;
  /** [start, end): from 00:00 to the day after `to` 00:00, Asia/Shanghai (UTC+8, no summer time). */
  start: Date;
  end: Date;
};

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** YYYY-MM-DD of a UTC-midnight date. */
function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A real calendar day as UTC midnight, or null (2025-02-30, 2025-13-01 …). */
export function parseDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return iso(d) === day ? d : null;
}

/** The week (Monday to Sunday) or calendar month holding `day` (YYYY-MM-DD); null when the day is not real. */
export function coveragePeriod(period: CoveragePeriodKind, day: string): CoveragePeriod | null {
  const d = parseDay(day);
  if (!d) return null;
  let first: Date;
  let afterLast: Date;
  if (period === 'week') {
    const sinceMonday = (d.getUTCDay() + 6) % 7;
    first = new Date(d.getTime() - sinceMonday * DAY_MS);
    afterLast = new Date(first.getTime() + 7 * DAY_MS);
  } else {
    first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    afterLast = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  }
  return {
    period,
    from: iso(first),
    to: iso(new Date(afterLast.getTime() - DAY_MS)),
    start: new Date(first.getTime() - SHANGHAI_OFFSET_MS),
    end: new Date(afterLast.getTime() - SHANGHAI_OFFSET_MS),
  };
}

/** doneOnTime / required, four decimals; null when nothing was required. */
export function onTimeRate(doneOnTime: number, required: number): number | null {
  if (required <= 0) return null;
  return Math.round((doneOnTime / required) * 10_000) / 10_000;
}

/** The 1-based `split_part(path, '/', k)` index of the id one level below a node at `path` ('/1/7/' → 4). */
export function childPart(path: string): number {
  return path.split('/').filter(Boolean).length + 2;
}

/** The node types a coverage table lists as rows (drilling down stops at grids). */
export const ROW_TYPES = ['street', 'town', 'community', 'village', 'grid'] as const;

/** The on-time rate in percent with one decimal, for the sheet (null stays empty). */
export function ratePercent(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 1000) / 10;
}
