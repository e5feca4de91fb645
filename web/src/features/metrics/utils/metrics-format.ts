import type { MetricKind, MetricPeriodKind } from '../../../api-types';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function fmt(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The first day (Monday, the 1st, the quarter's 1st) of the period of `kind` containing the calendar day. */
export function periodStartOf(kind: MetricPeriodKind, day: string): string {
  const m = DAY.exec(day);
  if (!m) throw new Error(`invalid day ${day}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (kind === 'week') return fmt(new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000));
  const month = kind === 'month' ? d.getUTCMonth() : d.getUTCMonth() - (d.getUTCMonth() % 3);
  return fmt(new Date(Date.UTC(d.getUTCFullYear(), month, 1)));
}

/** Today in Asia/Shanghai. */
export function shanghaiToday(now = new Date()): string {
  return fmt(new Date(now.getTime() + 8 * 3_600_000));
}

/** A figure as shown: a rate as a percentage (one decimal), an average with two decimals, a count as is. */
export function formatFigure(kind: MetricKind, value: number | null): string {
  if (value === null) return '—';
  if (kind === 'rate') return `${(value * 100).toFixed(1)}%`;
  if (kind === 'average') return value.toFixed(2);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
