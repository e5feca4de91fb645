import {
  METRICS,
  type MetricCode,
  type MetricKind,
  type MetricSubject,
  type PeriodKind,
} from '../../../../../server/src/modules/metrics/metrics.catalogue';

export type SchemeSubject = 'grid' | 'community' | 'worker';

/** Which metric subject a scheme's subject reads (grid and community → node rows, worker → user rows). */
export function metricSubjectOf(subject: SchemeSubject): MetricSubject {
  return subject === 'worker' ? 'user' : 'node';
}

/** The catalogue's metrics a scheme of this subject may use. */
export function metricsFor(subject: SchemeSubject): MetricCode[] {
  const wanted = metricSubjectOf(subject);
  return (Object.keys(METRICS) as MetricCode[]).filter((code) =>
    (METRICS[code].subjects as readonly MetricSubject[]).includes(wanted),
  );
}

export function isMetricCode(code: string): code is MetricCode {
  return Object.hasOwn(METRICS, code);
}

/** A metric's label in the language in use; an unknown code shows as itself. */
export function metricLabel(code: string, language: string): string {
  if (!isMetricCode(code)) return code;
  return language.startsWith('zh') ? METRICS[code].zh : METRICS[code].en;
}

function round(value: number, digits: number): string {
  const f = 10 ** digits;
  // Number.EPSILON-scaled nudge: 0.8765 × 100 is 87.64999…, and should show as 87.7
  const rounded = Math.round(value * f * (1 + Number.EPSILON * 4)) / f;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/**
 * A metric value as its kind says: a rate (0…1) as a percentage with one decimal, an average with two decimals,
 * a count as a whole number (one decimal when it is not whole: volunteer hours). A missing value is '—'.
 */
export function formatMetricValue(kind: MetricKind, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (kind === 'rate') return `${round(value * 100, 1)}%`;
  if (kind === 'average') return round(value, 2);
  return Number.isInteger(value) ? String(value) : round(value, 1);
}

/** A metric value by its code (an unknown code is shown as a plain number). */
export function formatValueOf(code: string, value: number | null | undefined): string {
  return formatMetricValue(isMetricCode(code) ? METRICS[code].kind : 'average', value);
}

/** Marks and scores: at most two decimals, no trailing zeros. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return round(value, 2);
}

/** A signed adjustment: +3, −2.5, 0. */
export function formatSigned(value: number): string {
  if (value === 0) return '0';
  return value > 0 ? `+${formatScore(value)}` : `−${formatScore(-value)}`;
}

/** The sum of the items' weights (missing weights count 0), rounded to avoid float noise (33.3 + 66.7). */
export function weightSum(items: readonly { weight?: number | null }[]): number {
  const sum = items.reduce((acc, item) => acc + (typeof item.weight === 'number' ? item.weight : 0), 0);
  return Math.round(sum * 1e6) / 1e6;
}

/** Whether the weights sum to the scheme's total: 'ok', 'under' or 'over'. */
export function weightStatus(items: readonly { weight?: number | null }[], total: number): 'ok' | 'under' | 'over' {
  const sum = weightSum(items);
  if (Math.abs(sum - total) < 1e-6) return 'ok';
  return sum < total ? 'under' : 'over';
}

export type Trend = { arrow: '↑' | '↓' | '–' | null; colour: 'green' | 'red' | 'default'; text: string };

/**
 * The change of rank against the previous period: a smaller rank is better, so rank 5 → 2 is '↑3' (green);
 * rank 2 → 5 '↓3' (red); the same rank '–'; no previous period: nothing.
 */
export function rankTrend(rank: number, previousRank: number | null | undefined): Trend {
  if (previousRank === null || previousRank === undefined) return { arrow: null, colour: 'default', text: '' };
  const up = previousRank - rank;
  if (up > 0) return { arrow: '↑', colour: 'green', text: `↑${up}` };
  if (up < 0) return { arrow: '↓', colour: 'red', text: `↓${-up}` };
  return { arrow: '–', colour: 'default', text: '–' };
}

/** The change of total against the previous period: '↑4.5' (green), '↓2' (red), '–', or nothing. */
export function totalTrend(total: number, previousTotal: number | null | undefined): Trend {
  if (previousTotal === null || previousTotal === undefined) return { arrow: null, colour: 'default', text: '' };
  const diff = Math.round((total - previousTotal) * 100) / 100;
  if (diff > 0) return { arrow: '↑', colour: 'green', text: `↑${formatScore(diff)}` };
  if (diff < 0) return { arrow: '↓', colour: 'red', text: `↓${formatScore(-diff)}` };
  return { arrow: '–', colour: 'default', text: '–' };
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** The first day (YYYY-MM-DD) of the period of this kind that holds the day `day` (YYYY-MM-DD). */
export function periodStartOf(kind: PeriodKind, day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  if (kind === 'month') return `${y}-${pad(m)}-01`;
  if (kind === 'quarter') return `${y}-${pad(Math.floor((m - 1) / 3) * 3 + 1)}-01`;
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0
  date.setUTCDate(date.getUTCDate() - weekday);
  return iso(date);
}

/** The start of the period before the one starting on `start`. */
export function previousPeriod(kind: PeriodKind, start: string): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (kind === 'week') date.setUTCDate(date.getUTCDate() - 7);
  else date.setUTCMonth(date.getUTCMonth() - (kind === 'month' ? 1 : 3));
  return iso(date);
}

/** The last `count` periods of this kind up to the one holding `today`, newest first. */
export function recentPeriods(kind: PeriodKind, today: string, count: number): string[] {
  const out = [periodStartOf(kind, today)];
  while (out.length < count) out.push(previousPeriod(kind, out[out.length - 1]!));
  return out;
}

/** ISO week number of the week starting on the Monday `start`. */
function isoWeek(start: string): { year: number; week: number } {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const thursday = new Date(Date.UTC(y, m - 1, d + 3));
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  return { year, week: Math.floor((thursday.getTime() - jan1) / 86_400_000 / 7) + 1 };
}

/** A period for people: 2026年11月 / 2026-11, 2026年第4季度 / 2026 Q4, 2026年第49周 / 2026 W49. */
export function periodLabel(kind: PeriodKind, start: string, language: string): string {
  const zh = language.startsWith('zh');
  const [y, m] = start.split('-').map(Number) as [number, number];
  if (kind === 'month') return zh ? `${y}年${m}月` : `${y}-${pad(m)}`;
  if (kind === 'quarter') {
    const q = Math.floor((m - 1) / 3) + 1;
    return zh ? `${y}年第${q}季度` : `${y} Q${q}`;
  }
  const w = isoWeek(start);
  return zh ? `${w.year}年第${w.week}周` : `${w.year} W${pad(w.week)}`;
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return iso(new Date(now.getTime() + 8 * 3_600_000));
}

/** `?scheme=&period=` of an address: a scheme id and a period's first day, each null when absent or malformed. */
export function schemePeriodParams(params: URLSearchParams): { schemeId: number | null; periodStart: string | null } {
  const scheme = params.get('scheme');
  const period = params.get('period');
  return {
    schemeId: scheme && /^\d{1,15}$/.test(scheme) ? Number(scheme) : null,
    periodStart: period && /^\d{4}-\d{2}-\d{2}$/.test(period) ? period : null,
  };
}
