/**
 * Pure period arithmetic and metric helpers (no I/O). Periods are calendar periods of Asia/Shanghai days: weeks
 * start on Monday, months on the 1st, quarters on Jan/Apr/Jul/Oct 1. A period runs from its first day's midnight
 * (Shanghai, UTC+8, no daylight saving) up to, not including, the next period's first midnight.
 */
import { METRICS, type MetricCode, type PeriodKind } from './metrics.catalogue.js';

export const PERIOD_KINDS: readonly PeriodKind[] = ['week', 'month', 'quarter'];

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' of a UTC-midnight date. */
function fmt(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Parses a calendar day, refusing impossible ones (2026-02-30). */
export function parseDay(day: string): Date | null {
  const m = DAY_RE.exec(day);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return fmt(d) === day ? d : null;
}

/** The Shanghai calendar day of an instant. */
export function shanghaiDay(at: Date): string {
  return fmt(new Date(at.getTime() + SHANGHAI_OFFSET_MS));
}

/** The first day of the period of `kind` containing the calendar day `day`. */
export function periodStartOf(kind: PeriodKind, day: string): string {
  const d = parseDay(day);
  if (!d) throw new Error(`invalid day ${day}`);
  if (kind === 'week') {
    const dow = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    return fmt(new Date(d.getTime() - dow * DAY_MS));
  }
  const month = kind === 'month' ? d.getUTCMonth() : d.getUTCMonth() - (d.getUTCMonth() % 3);
  return fmt(new Date(Date.UTC(d.getUTCFullYear(), month, 1)));
}

/** Whether `day` is the first day of a period of `kind`. */
export function isPeriodStart(kind: PeriodKind, day: string): boolean {
  return parseDay(day) !== null && periodStartOf(kind, day) === day;
}

/** The first day of the period `n` periods after the one starting on `start` (n may be negative). */
export function shiftPeriod(kind: PeriodKind, start: string, n: number): string {
  const d = parseDay(start);
  if (!d) throw new Error(`invalid day ${start}`);
  if (kind === 'week') return fmt(new Date(d.getTime() + n * 7 * DAY_MS));
  const months = kind === 'month' ? n : 3 * n;
  return fmt(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)));
}

/** The period's instants: [from, to) in UTC, and its last calendar day. */
export function periodBounds(kind: PeriodKind, start: string): { from: Date; to: Date; lastDay: string } {
  const d = parseDay(start);
  if (!d) throw new Error(`invalid day ${start}`);
  const next = parseDay(shiftPeriod(kind, start, 1)) as Date;
  return {
    from: new Date(d.getTime() - SHANGHAI_OFFSET_MS),
    to: new Date(next.getTime() - SHANGHAI_OFFSET_MS),
    lastDay: fmt(new Date(next.getTime() - DAY_MS)),
  };
}

/** The `count` periods ending with the one starting on `last`, oldest first. */
export function periodSeries(kind: PeriodKind, last: string, count: number): string[] {
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(shiftPeriod(kind, last, -i));
  return out;
}

/** What the nightly job refreshes on `day`: the current and the previous week, month and quarter. */
export function nightlyPeriods(day: string): { periodKind: PeriodKind; periodStart: string }[] {
  const out: { periodKind: PeriodKind; periodStart: string }[] = [];
  for (const kind of PERIOD_KINDS) {
    const cur = periodStartOf(kind, day);
    out.push({ periodKind: kind, periodStart: shiftPeriod(kind, cur, -1) });
    out.push({ periodKind: kind, periodStart: cur });
  }
  return out;
}

/** A figure's value: a count is its num; a rate or an average num/den (null when den is 0 or missing). */
export function metricValue(code: MetricCode, num: number, den: number | null): number | null {
  if (METRICS[code].kind === 'count') return num;
  if (den === null || den === 0) return null;
  return num / den;
}

/** Parses `metrics=a,b` into known codes, in catalogue order; an unknown code is returned as `bad`. */
export function parseMetricList(raw: string | undefined): { codes: MetricCode[]; bad: string | null } {
  if (raw === undefined || raw.trim() === '') return { codes: Object.keys(METRICS) as MetricCode[], bad: null };
  const asked = new Set(
    raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
  for (const a of asked) if (!(a in METRICS)) return { codes: [], bad: a };
  return { codes: (Object.keys(METRICS) as MetricCode[]).filter((c) => asked.has(c)), bad: null };
}
