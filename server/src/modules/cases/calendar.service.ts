/**
 * The working calendar as the cases module uses it: the official schedule (chinese-days) with local overrides and
 * the working periods from system_settings, cached per instance and reloaded when any instance edits it.
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../platform/access/context.js';
import { assertCan } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import {
  addSla,
  type CalendarDay,
  calendarFrom,
  type DayKind,
  DEFAULT_PERIODS,
  isCalendarDate,
  isYearEmpty,
  periodsProblem,
  shanghaiDay,
  type WorkCalendar,
  type WorkPeriod,
  yearDays,
} from './calendar.logic.js';
import * as repo from './calendar.repo.js';
import type { SlaSpec } from './cases.schemas.js';

let cached: { rev: string; cal: WorkCalendar } | null = null;

/** The working calendar now in force. One small read per call (the revision) unless the calendar was edited. */
export async function loadWorkCalendar(q: Queryable): Promise<WorkCalendar> {
  const rev = (await repo.readSetting<{ rev: string }>(q, repo.CALENDAR_REV_KEY))?.rev ?? 'initial';
  if (cached?.rev === rev) return cached.cal;
  const [overrides, setting] = await Promise.all([repo.listOverrides(q), repo.readPeriods(q)]);
  const periods = setting && periodsProblem(setting.periods) === null ? setting.periods : DEFAULT_PERIODS;
  const cal = calendarFrom(overrides, periods);
  cached = { rev, cal };
  return cal;
}

/** `start` plus `sla` on the working calendar; null without an SLA. Wall-clock minutes need no calendar. */
export async function dueAt(q: Queryable, start: Date, sla: SlaSpec | null): Promise<Date | null> {
  if (!sla) return null;
  if (sla.unit === 'minutes') return new Date(start.getTime() + Math.round(sla.amount * 60_000));
  return addSla(start, sla, await loadWorkCalendar(q));
}

async function bumpRevision(q: Queryable): Promise<void> {
  await repo.writeSetting(q, repo.CALENDAR_REV_KEY, { rev: randomUUID() });
  cached = null;
}

/** Installation-wide settings: a system administrator (or whoever holds cases.config everywhere). */
function assertConfig(ctx: Ctx): void {
  assertCan(ctx.principal, 'cases.config', null);
}

export type CalendarView = {
  year: number;
  periods: WorkPeriod[];
  days: CalendarDay[];
  warning: null | 'NEXT_YEAR_EMPTY';
};

/**
 * A year's holidays and make-up working days (official and local), the working periods, and a warning when next
 * year (from today) has no holidays yet: the State Council publishes it late in the year, and chinese-days follows.
 * @throws FORBIDDEN
 */
export async function getCalendar(db: Db, ctx: Ctx, year: number, now = new Date()): Promise<CalendarView> {
  assertConfig(ctx);
  const nextYear = Number(shanghaiDay(now).slice(0, 4)) + 1;
  const [overrides, nextOverrides, setting] = await Promise.all([
    repo.listOverrides(db, year),
    repo.listOverrides(db, nextYear),
    repo.readPeriods(db),
  ]);
  return {
    year,
    periods: setting?.periods ?? DEFAULT_PERIODS,
    days: yearDays(year, overrides),
    warning: isYearEmpty(nextYear, nextOverrides) ? 'NEXT_YEAR_EMPTY' : null,
  };
}

/**
 * Makes a day a working day or a holiday here, whatever the official schedule says. Audited.
 * @throws FORBIDDEN, DATE_INVALID (field date)
 */
export async function setOverride(
  db: Db,
  ctx: Ctx,
  day: string,
  body: { kind: DayKind; name?: string | null },
): Promise<CalendarDay> {
  assertConfig(ctx);
  if (!isCalendarDate(day)) throw new AppError('DATE_INVALID', { field: 'date' });
  return db.transaction(async (tx) => {
    const before = await repo.findOverride(tx, day);
    const after = { day, kind: body.kind, name: body.name ?? null };
    await repo.upsertOverride(tx, { ...after, updatedBy: ctx.principal.userId > 0 ? ctx.principal.userId : null });
    await bumpRevision(tx);
    await recordAudit(tx, ctx, {
      action: 'cases.calendar.override',
      targetType: 'work_calendar_day',
      targetId: day,
      targetLabel: day,
      scopePath: null,
      countyId: null,
      before,
      after,
    });
    return { date: day, kind: body.kind, name: body.name ?? '', source: 'local' as const };
  });
}

/**
 * Removes a day's local override: the official schedule applies again. Audited.
 * @throws FORBIDDEN, DATE_INVALID, CASE_CALENDAR_OVERRIDE_NOT_FOUND (field date)
 */
export async function removeOverride(db: Db, ctx: Ctx, day: string): Promise<void> {
  assertConfig(ctx);
  if (!isCalendarDate(day)) throw new AppError('DATE_INVALID', { field: 'date' });
  await db.transaction(async (tx) => {
    const before = await repo.findOverride(tx, day);
    if (!before || !(await repo.deleteOverride(tx, day))) {
      throw new AppError('CASE_CALENDAR_OVERRIDE_NOT_FOUND', { field: 'date' });
    }
    await bumpRevision(tx);
    await recordAudit(tx, ctx, {
      action: 'cases.calendar.override_delete',
      targetType: 'work_calendar_day',
      targetId: day,
      targetLabel: day,
      scopePath: null,
      countyId: null,
      before,
      after: null,
    });
  });
}

/**
 * Sets the working periods of a working day (Asia/Shanghai). Audited. Deadlines already set keep their times;
 * new ones follow the new periods.
 * @throws FORBIDDEN, CASE_CALENDAR_PERIODS_INVALID (field periods)
 */
export async function setPeriods(db: Db, ctx: Ctx, periods: WorkPeriod[]): Promise<{ periods: WorkPeriod[] }> {
  assertConfig(ctx);
  const problem = periodsProblem(periods);
  if (problem) throw new AppError('CASE_CALENDAR_PERIODS_INVALID', { field: 'periods', params: { detail: problem } });
  return db.transaction(async (tx) => {
    const before = (await repo.readPeriods(tx)) ?? { periods: DEFAULT_PERIODS };
    const after = { periods: periods.map((p) => ({ start: p.start, end: p.end })) };
    await repo.writeSetting(tx, repo.WORKING_HOURS_KEY, after);
    await bumpRevision(tx);
    await recordAudit(tx, ctx, {
      action: 'cases.calendar.periods',
      targetType: 'system_setting',
      targetId: repo.WORKING_HOURS_KEY,
      targetLabel: '工作时段',
      scopePath: null,
      countyId: null,
      before: { periods: JSON.stringify(before.periods) },
      after: { periods: JSON.stringify(after.periods) },
    });
    return after;
  });
}
