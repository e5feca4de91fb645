/** The working calendar's SQL: local overrides (work_calendar_overrides) and settings (system_settings). */
import type { Queryable } from '../../platform/db/client.js';
import type { CalendarOverride, DayKind, WorkPeriod } from './calendar.logic.js';

export const WORKING_HOURS_KEY = 'cases.working_hours';
/** Changes on every edit of the calendar, so that each instance knows when its cached calendar is stale. */
export const CALENDAR_REV_KEY = 'cases.calendar_rev';

export type OverrideRow = { day: string; kind: DayKind; name: string | null };

export async function listOverrides(q: Queryable, year?: number): Promise<OverrideRow[]> {
  const rows = await q.query<OverrideRow>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, name FROM work_calendar_overrides
      WHERE $1::int IS NULL OR extract(year FROM day) = $1::int ORDER BY day`,
    [year ?? null],
  );
  return rows;
}

export async function findOverride(q: Queryable, day: string): Promise<OverrideRow | null> {
  const rows = await q.query<OverrideRow>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind, name FROM work_calendar_overrides WHERE day = $1::date`,
    [day],
  );
  return rows[0] ?? null;
}

export async function upsertOverride(q: Queryable, o: CalendarOverride & { updatedBy: number | null }): Promise<void> {
  await q.query(
    `INSERT INTO work_calendar_overrides (day, kind, name, updated_by) VALUES ($1::date, $2, $3, $4)
     ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, updated_by = EXCLUDED.updated_by,
       updated_at = now()`,
    [o.day, o.kind, o.name ?? null, o.updatedBy],
  );
}

export async function deleteOverride(q: Queryable, day: string): Promise<boolean> {
  const rows = await q.query('DELETE FROM work_calendar_overrides WHERE day = $1::date RETURNING day', [day]);
  return rows.length > 0;
}

export async function readSetting<T>(q: Queryable, key: string): Promise<T | null> {
  const rows = await q.query<{ value: T }>('SELECT value FROM system_settings WHERE key = $1', [key]);
  return rows[0]?.value ?? null;
}

export async function writeSetting(q: Queryable, key: string, value: unknown): Promise<void> {
  await q.query(
    `INSERT INTO system_settings (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}

export function readPeriods(q: Queryable): Promise<{ periods: WorkPeriod[] } | null> {
  return readSetting<{ periods: WorkPeriod[] }>(q, WORKING_HOURS_KEY);
}
