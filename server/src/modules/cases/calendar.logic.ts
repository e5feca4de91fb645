/**
 * The working calendar (工作日历) and SLA deadline arithmetic. Pure: the State Council's holidays and make-up working
 * days come from chinese-days (data bundled in the package), local overrides and working periods are passed in.
 *
 * Days are Asia/Shanghai calendar days (UTC+8 all year, no daylight saving), written 'YYYY-MM-DD'.
 * - `minutes`: wall-clock minutes (urgent classes such as 物业报修).
 * - `working_hours`: minutes inside the working periods of working days.
 * - `working_days`: amount × the working minutes of one day, so "2 working days" from Friday 10:00 ends Tuesday 10:00,
 *   and a fraction (0.5) is half a working day. A start outside working time counts from the next period's start.
 * A deadline that falls exactly at a period's end stays there (17:30, not the next morning).
 */
import * as chineseDays from 'chinese-days';
import type { SlaSpec } from './cases.schemas.js';

/**
 * chinese-days ships a UMD bundle as its CommonJS entry, whose names Node's ES-module loader cannot see: under
 * Node (the server) they sit on the default export, under Vite/Vitest (its ES entry) on the namespace itself.
 */
const getDayDetail: typeof chineseDays.getDayDetail =
  chineseDays.getDayDetail ?? (chineseDays as unknown as { default: typeof chineseDays }).default.getDayDetail;

export type DayKind = 'workday' | 'holiday';
/** 'HH:MM' in Asia/Shanghai. */
export type WorkPeriod = { start: string; end: string };
export type WorkCalendar = { kindOf(day: string): DayKind; periods: WorkPeriod[] };
export type CalendarOverride = { day: string; kind: DayKind; name?: string | null };
export type CalendarDay = { date: string; kind: DayKind; name: string; source: 'official' | 'local' };

export const DEFAULT_PERIODS: WorkPeriod[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SHANGHAI_OFFSET = 8 * 60 * MINUTE;
/** Looking further than this for working time means the calendar has none (every day a holiday). */
const MAX_DAYS = 3 * 366;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Why a list of working periods is unusable, or null: 'HH:MM', start before end, in order, not overlapping. */
export function periodsProblem(periods: readonly WorkPeriod[]): string | null {
  if (periods.length === 0) return 'at least one working period is needed';
  if (periods.length > 6) return 'at most six working periods';
  let last = -1;
  for (const p of periods) {
    if (!HHMM.test(p.start) || !HHMM.test(p.end)) return `a period is not HH:MM–HH:MM: ${p.start}–${p.end}`;
    const s = minuteOf(p.start);
    const e = minuteOf(p.end);
    if (s >= e) return `a period ends before it starts: ${p.start}–${p.end}`;
    if (s < last) return `periods overlap or are out of order at ${p.start}`;
    last = e;
  }
  return null;
}

/** Whether 'YYYY-MM-DD' names a real day. */
export function isCalendarDate(day: string): boolean {
  if (!DATE.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** The Asia/Shanghai day of an instant. */
export function shanghaiDay(at: Date | number): string {
  const t = typeof at === 'number' ? at : at.getTime();
  return new Date(t + SHANGHAI_OFFSET).toISOString().slice(0, 10);
}

/** The instant a Shanghai day starts (00:00 +08:00). */
export function shanghaiMidnight(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET;
}

/** The instant of 'HH:MM' on a Shanghai day. */
export function shanghaiTime(day: string, hhmm: string): Date {
  return new Date(shanghaiMidnight(day) + minuteOf(hhmm) * MINUTE);
}

/** chinese-days names an ordinary day by its weekday ('Saturday'); a holiday or make-up day as 'Spring Festival,春节,4'. */
function officialDetail(day: string): { work: boolean; name: string | null } {
  const d = getDayDetail(day);
  const parts = d.name.split(',');
  return { work: d.work, name: parts.length >= 2 ? (parts[1] ?? null) : null };
}

/** The official kind of a day: the State Council's schedule where chinese-days has it, else weekends off. */
export function officialKind(day: string): DayKind {
  return officialDetail(day).work ? 'workday' : 'holiday';
}

/** A calendar from the local overrides (which win over the official schedule) and the working periods. */
export function calendarFrom(
  overrides: readonly CalendarOverride[],
  periods: readonly WorkPeriod[] = DEFAULT_PERIODS,
): WorkCalendar {
  const problem = periodsProblem(periods);
  if (problem) throw new Error(`invalid working periods: ${problem}`);
  const local = new Map(overrides.map((o) => [o.day, o.kind]));
  const memo = new Map<string, DayKind>();
  return {
    periods: periods.map((p) => ({ start: p.start, end: p.end })),
    kindOf(day) {
      let kind = memo.get(day);
      if (!kind) {
        kind = local.get(day) ?? officialKind(day);
        memo.set(day, kind);
      }
      return kind;
    },
  };
}

/** Working minutes in one working day. */
export function minutesPerDay(periods: readonly WorkPeriod[]): number {
  return periods.reduce((sum, p) => sum + minuteOf(p.end) - minuteOf(p.start), 0);
}

/** The working intervals [start, end) in epoch ms of a Shanghai day (none on a holiday). */
function intervalsOf(day: string, cal: WorkCalendar): [number, number][] {
  if (cal.kindOf(day) !== 'workday') return [];
  const midnight = shanghaiMidnight(day);
  return cal.periods.map((p) => [midnight + minuteOf(p.start) * MINUTE, midnight + minuteOf(p.end) * MINUTE]);
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
}

/** `start` plus `ms` of working time. */
function addWorkingMs(start: Date, ms: number, cal: WorkCalendar): Date {
  let remaining = ms;
  let t = start.getTime();
  let day = shanghaiDay(t);
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [ps, pe] of intervalsOf(day, cal)) {
      if (t >= pe) continue;
      const from = Math.max(t, ps);
      const available = pe - from;
      if (remaining <= available) return new Date(from + remaining);
      remaining -= available;
      t = pe;
    }
    day = nextDay(day);
    t = Math.max(t, shanghaiMidnight(day));
  }
  throw new Error('the working calendar has no working time in the next three years');
}

/** The deadline `sla` after `start` on the working calendar. */
export function addSla(start: Date, sla: SlaSpec, cal: WorkCalendar): Date {
  switch (sla.unit) {
    case 'minutes':
      return new Date(start.getTime() + Math.round(sla.amount * MINUTE));
    case 'working_hours':
      return addWorkingMs(start, Math.round(sla.amount * 60 * MINUTE), cal);
    case 'working_days':
      return addWorkingMs(start, Math.round(sla.amount * minutesPerDay(cal.periods) * MINUTE), cal);
  }
}

/** Working minutes from `a` to `b` (negative when `b` is before `a`); fractions of a minute kept. */
export function workingMinutesBetween(a: Date, b: Date, cal: WorkCalendar): number {
  if (b.getTime() < a.getTime()) return -workingMinutesBetween(b, a, cal);
  const end = b.getTime();
  let ms = 0;
  let day = shanghaiDay(a);
  const lastDay = shanghaiDay(b);
  for (;;) {
    for (const [ps, pe] of intervalsOf(day, cal)) {
      const from = Math.max(ps, a.getTime());
      const to = Math.min(pe, end);
      if (to > from) ms += to - from;
    }
    if (day >= lastDay) break;
    day = nextDay(day);
  }
  return ms / MINUTE;
}

/**
 * The days of a year that differ from an ordinary week, as the settings page shows them: the official holidays and
 * make-up working days, replaced or joined by the local overrides.
 */
export function yearDays(year: number, overrides: readonly CalendarOverride[]): CalendarDay[] {
  const byDate = new Map<string, CalendarDay>();
  for (let day = `${year}-01-01`; day.startsWith(`${year}-`); day = nextDay(day)) {
    const d = officialDetail(day);
    if (d.name) byDate.set(day, { date: day, kind: d.work ? 'workday' : 'holiday', name: d.name, source: 'official' });
  }
  for (const o of overrides) {
    if (!o.day.startsWith(`${year}-`)) continue;
    byDate.set(o.day, { date: o.day, kind: o.kind, name: o.name ?? '', source: 'local' });
  }
  return [...byDate.values()].sort((x, y) => (x.date < y.date ? -1 : 1));
}

/** Whether a year has no holidays at all, official or local: its schedule has not been published or entered yet. */
export function isYearEmpty(year: number, overrides: readonly CalendarOverride[]): boolean {
  return !yearDays(year, overrides).some((d) => d.kind === 'holiday');
}
