/**
 * Telemetry storage and read-back rules (pure): which monthly partitions of `telemetry` should exist, which are past
 * the retention period, and how a chart's range is read (raw readings or hourly roll-ups).
 *
 * Partitions cover whole UTC months, named telemetry_yYYYYmMM: a name and its bounds are one function of the month,
 * so every instance computes the same ones.
 */

export const RETENTION_SETTING = 'devices.retention_months';
export const DEFAULT_RETENTION_MONTHS = 13;
/** Months created ahead of the current one, so ingest never falls into the default partition at a month's turn. */
export const MONTHS_AHEAD = 2;
/** Dead letters are kept this long (migration 015). */
export const DEAD_LETTER_DAYS = 30;

/** auto resolution reads raw readings up to this range, hourly roll-ups beyond. */
export const RAW_MAX_MS = 2 * 24 * 3600 * 1000;
/** The longest range a chart may ask for (TELEMETRY_RANGE_INVALID's message says 400 days). */
export const RANGE_MAX_MS = 400 * 24 * 3600 * 1000;
/** Points one answer carries at most; more sets `truncated`. Hourly points of the longest range (400 days, 9,600
 * hours) always fit, so only raw readings asked for over a long range are cut. */
export const MAX_POINTS = 10_000;

export type Month = { year: number; month: number };

export type PartitionSpec = Month & { name: string; from: Date; to: Date };

const PARTITION_RE = /^telemetry_y(\d{4})m(\d{2})$/;

export function monthOf(d: Date): Month {
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

export function addMonths(m: Month, n: number): Month {
  const i = m.year * 12 + (m.month - 1) + n;
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

export function partitionFor(m: Month): PartitionSpec {
  const name = `telemetry_y${m.year}m${String(m.month).padStart(2, '0')}`;
  const next = addMonths(m, 1);
  return {
    ...m,
    name,
    from: new Date(Date.UTC(m.year, m.month - 1, 1)),
    to: new Date(Date.UTC(next.year, next.month - 1, 1)),
  };
}

/** The month a partition's name stands for, or null for a table that is not one of ours. */
export function parsePartitionName(name: string): Month | null {
  const m = PARTITION_RE.exec(name);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return { year: Number(m[1]), month };
}

/** The retention setting as stored (a number of months, or {"months": n}); anything else: the default. */
export function parseRetention(value: unknown): number {
  const raw =
    typeof value === 'object' && value !== null && 'months' in value ? (value as { months: unknown }).months : value;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 120 ? n : DEFAULT_RETENTION_MONTHS;
}

/**
 * The plan for `now`: the months that must exist (from the month of now − retention through now + MONTHS_AHEAD) and
 * the cut-off before which readings are dropped (the start of the oldest kept month).
 */
export function partitionPlan(now: Date, retentionMonths: number): { wanted: PartitionSpec[]; cutoff: Date } {
  const current = monthOf(now);
  const oldest = addMonths(current, -retentionMonths);
  const wanted: PartitionSpec[] = [];
  for (let i = 0; i <= retentionMonths + MONTHS_AHEAD; i++) wanted.push(partitionFor(addMonths(oldest, i)));
  return { wanted, cutoff: wanted[0]!.from };
}

/** Existing partitions whose whole month lies before the cut-off. */
export function expiredPartitions(existing: readonly string[], cutoff: Date): string[] {
  return existing.filter((name) => {
    const m = parsePartitionName(name);
    return m !== null && partitionFor(m).to.getTime() <= cutoff.getTime();
  });
}

export type RangeCheck = { ok: true; from: Date; to: Date } | { ok: false; field: 'from' | 'to' };

export function checkRange(fromText: string, toText: string): RangeCheck {
  const from = new Date(fromText);
  const to = new Date(toText);
  if (Number.isNaN(from.getTime())) return { ok: false, field: 'from' };
  if (Number.isNaN(to.getTime()) || to.getTime() <= from.getTime()) return { ok: false, field: 'to' };
  if (to.getTime() - from.getTime() > RANGE_MAX_MS) return { ok: false, field: 'to' };
  return { ok: true, from, to };
}

export function chooseResolution(asked: 'auto' | 'raw' | 'hour' | undefined, from: Date, to: Date): 'raw' | 'hour' {
  if (asked === 'raw' || asked === 'hour') return asked;
  return to.getTime() - from.getTime() <= RAW_MAX_MS ? 'raw' : 'hour';
}

/** Use within a range of a running total: last − first; null without two readings or when the register went back
 * (a replaced meter), which is no use figure at all. */
export function usedBetween(first: number | null, last: number | null): number | null {
  if (first === null || last === null) return null;
  const used = last - first;
  return used < 0 ? null : Math.round(used * 1000) / 1000;
}
