/**
 * Assessment rules without I/O: checking a scheme before it is saved, the scoring formula, the adjustment cap,
 * competition ranking, and period arithmetic. `scores.service.ts` does the same arithmetic in SQL over many subjects;
 * the unit tests here pin the formula both follow.
 */
import { METRICS, type MetricCode, type MetricSubject } from '../metrics/metrics.catalogue.js';

export type SchemeSubject = 'grid' | 'community' | 'worker';
export type PeriodKind = 'week' | 'month' | 'quarter';
export type Honour = 'red_flag_grid' | 'excellent_worker';

/** Which metric_values subject a scheme's subject reads: grids and communities are nodes, workers are users. */
export function metricSubjectOf(subject: SchemeSubject): MetricSubject {
  return subject === 'worker' ? 'user' : 'node';
}
export function subjectKindOf(subject: SchemeSubject): 'node' | 'user' {
  return subject === 'worker' ? 'user' : 'node';
}

/** The subject an honour is for: 红旗网格 a grid, 优秀网格员 a worker. */
export const HONOUR_SUBJECT: Record<Honour, SchemeSubject> = { red_flag_grid: 'grid', excellent_worker: 'worker' };

export type ItemDraft = { metric: string; weight: number; higherBetter?: boolean; fullAt: number; zeroAt: number };
export type SchemeDraft = {
  subject: SchemeSubject;
  totalWeight: number;
  honour: Honour | null;
  items: readonly ItemDraft[];
};

/** A refusal: the error code, the field it names, and the message's parameters. */
export type SchemeProblem = { code: string; field: string; params?: Record<string, string | number> };

/** Weights are compared to the total with this tolerance (they may carry decimals: 33.33 + 33.33 + 33.34). */
const WEIGHT_EPSILON = 1e-6;

/** The item with its direction resolved (default: the catalogue's). */
export function resolveItem(item: ItemDraft): Required<ItemDraft> {
  const def = (METRICS as Record<string, { higherBetter: boolean } | undefined>)[item.metric];
  return { ...item, higherBetter: item.higherBetter ?? def?.higherBetter ?? true };
}

/**
 * The first thing wrong with a scheme, or null. In order: each item (unknown metric, a metric not computed for the
 * subject, duplicate, full_at = zero_at, direction inconsistent with full_at/zero_at), then the weights' sum, then
 * the honour.
 */
export function checkScheme(s: SchemeDraft): SchemeProblem | null {
  const seen = new Set<string>();
  const wanted = metricSubjectOf(s.subject);
  for (const [i, raw] of s.items.entries()) {
    const def = (METRICS as Record<string, { subjects: readonly MetricSubject[] } | undefined>)[raw.metric];
    if (!def) return { code: 'ASSESSMENT_METRIC_UNKNOWN', field: `items.${i}.metric`, params: { metric: raw.metric } };
    if (!def.subjects.includes(wanted)) {
      return {
        code: 'ASSESSMENT_METRIC_SUBJECT',
        field: `items.${i}.metric`,
        params: { metric: raw.metric, subject: s.subject },
      };
    }
    if (seen.has(raw.metric)) {
      return { code: 'ASSESSMENT_METRIC_DUPLICATE', field: `items.${i}.metric`, params: { metric: raw.metric } };
    }
    seen.add(raw.metric);
    const item = resolveItem(raw);
    if (item.fullAt === item.zeroAt) return { code: 'ASSESSMENT_ITEM_RANGE', field: `items.${i}.fullAt` };
    if (item.higherBetter !== item.fullAt > item.zeroAt) {
      return { code: 'ASSESSMENT_ITEM_DIRECTION', field: `items.${i}.fullAt`, params: { metric: raw.metric } };
    }
  }
  const sum = s.items.reduce((a, it) => a + it.weight, 0);
  if (Math.abs(sum - s.totalWeight) > WEIGHT_EPSILON) {
    return {
      code: 'ASSESSMENT_WEIGHTS_SUM',
      field: 'items',
      params: { sum: Math.round(sum * 1e6) / 1e6, total: s.totalWeight },
    };
  }
  if (s.honour && HONOUR_SUBJECT[s.honour] !== s.subject) {
    return { code: 'ASSESSMENT_HONOUR_SUBJECT', field: 'honour', params: { honour: s.honour, subject: s.subject } };
  }
  return null;
}

/** Rounds to two decimals (half away from zero), as the SQL's round(numeric, 2). */
export function round2(x: number): number {
  const r = Math.round(Math.abs(x) * 100 + 1e-9) / 100;
  return x < 0 ? -r : r;
}

/**
 * A metric row's value: a count is `num`; a rate or an average is num/den (a rate as a fraction, 0.95 — an item's
 * full_at and zero_at use the same unit). No row, or a rate without a denominator (nothing to measure: den null or
 * 0), has no value.
 */
export function metricValue(metric: string, row: { num: number; den: number | null } | null): number | null {
  if (!row) return null;
  const def = (METRICS as Record<string, { kind: string } | undefined>)[metric];
  if (def?.kind === 'count') return row.num;
  if (row.den === null || row.den === 0) return null;
  return row.num / row.den;
}

/**
 * An item's marks: weight × clamp((value − zero_at)/(full_at − zero_at), 0, 1), rounded to two decimals. The same
 * formula serves both directions (for "lower is better" full_at < zero_at). A missing value earns 0 marks: a grid
 * with nothing measured gets no credit for it (documented in docs/architecture.md).
 */
export function itemMarks(item: { weight: number; fullAt: number; zeroAt: number }, value: number | null): number {
  if (value === null) return 0;
  const share = (value - item.zeroAt) / (item.fullAt - item.zeroAt);
  return round2(item.weight * Math.min(1, Math.max(0, share)));
}

/** The sum of a subject's adjustments (withdrawn ones left out by the caller), clamped to ±cap. */
export function cappedAdjustments(points: readonly number[], cap: number): number {
  const sum = points.reduce((a, p) => a + p, 0);
  return round2(Math.min(cap, Math.max(-cap, sum)));
}

/**
 * Standard competition ranking ("1224"): by total, highest first; equal totals share a rank and the next rank
 * skips. Ties are broken by nothing. Returns the ranks in the input's order.
 */
export function competitionRanks(totals: readonly number[]): number[] {
  return totals.map((t) => 1 + totals.filter((o) => o > t).length);
}

/** Whether a day (YYYY-MM-DD) is the first day of a period of this kind (Monday, the 1st, a quarter's 1st). */
export function isPeriodStart(kind: PeriodKind, day: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) return false;
  if (kind === 'week') return d.getUTCDay() === 1;
  if (kind === 'month') return d.getUTCDate() === 1;
  return d.getUTCDate() === 1 && d.getUTCMonth() % 3 === 0;
}

/** The first day of the period `n` periods before (or after, n < 0) the one starting on `day`. */
export function shiftPeriod(kind: PeriodKind, day: string, n: number): string {
  const [y, mo, da] = day.split('-').map(Number) as [number, number, number];
  const d = new Date(Date.UTC(y, mo - 1, da));
  if (kind === 'week') d.setUTCDate(d.getUTCDate() - 7 * n);
  else d.setUTCMonth(d.getUTCMonth() - (kind === 'month' ? n : 3 * n));
  return d.toISOString().slice(0, 10);
}

/** The first day of the period of this kind holding `day`. */
export function periodStartOf(kind: PeriodKind, day: string): string {
  const [y, mo, da] = day.split('-').map(Number) as [number, number, number];
  const d = new Date(Date.UTC(y, mo - 1, da));
  if (kind === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  else if (kind === 'month') d.setUTCDate(1);
  else d.setUTCMonth(mo - 1 - ((mo - 1) % 3), 1);
  return d.toISOString().slice(0, 10);
}

/** "2026-Q3" for a quarter's first day. */
export function quarterLabel(day: string): string {
  const [y, mo] = day.split('-').map(Number) as [number, number];
  return `${y}-Q${Math.floor((mo - 1) / 3) + 1}`;
}

/** The catalogue's metric codes of kind 'count' (their value is num, not num/den). */
export const COUNT_METRICS: MetricCode[] = (Object.keys(METRICS) as MetricCode[]).filter(
  (m) => METRICS[m].kind === 'count',
);

/** Today in Asia/Shanghai (YYYY-MM-DD). */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The honours proposal of one group: the first `quota` subjects by rank whose total reaches `minScore`. Ties at the
 * quota's edge are all taken (a rank, not a position, decides: two sharing rank 1 with quota 1 are both proposed).
 */
export function proposalsOf<T extends { rank: number; total: number }>(
  ranked: readonly T[],
  quota: number,
  minScore: number,
): T[] {
  return ranked.filter((r) => r.rank <= quota && r.total >= minScore);
}
