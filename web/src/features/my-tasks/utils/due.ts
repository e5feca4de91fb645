import type { TFunction } from 'i18next';

/** When a task is due, said relative to now: "3 小时后到期" / "超期 2 天" / "无期限". Pure (no antd: the phone uses it). */

export type DueText = {
  key: 'noDue' | 'dueIn' | 'overdueBy';
  time?: { unit: 'minutes' | 'hours' | 'days'; count: number };
};

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** The distance in its largest whole unit (at least one minute). */
function span(ms: number): NonNullable<DueText['time']> {
  if (ms >= DAY) return { unit: 'days', count: Math.floor(ms / DAY) };
  if (ms >= HOUR) return { unit: 'hours', count: Math.floor(ms / HOUR) };
  return { unit: 'minutes', count: Math.max(1, Math.floor(ms / MIN)) };
}

export function dueText(dueAt: string | null, overdue: boolean, now: Date): DueText {
  if (!dueAt) return { key: overdue ? 'overdueBy' : 'noDue' };
  const left = Date.parse(dueAt) - now.getTime();
  if (left < 0 || overdue) return { key: 'overdueBy', time: span(Math.max(0, -left)) };
  return { key: 'dueIn', time: span(left) };
}

/** The words of a DueText through the page's `t` (keys in the `tasksMine` block). */
export function sayDue(d: DueText, t: TFunction): string {
  if (d.key === 'noDue') return t('tasksMine.noDue');
  if (!d.time) return t('tasksMine.overdue');
  const time = t(`tasksMine.${d.time.unit}`, { count: d.time.count });
  return t(`tasksMine.${d.key}`, { time });
}
