/**
 * Case statistics (事件统计), pure: the period, the months in it, folding raw counts into groups, and the rates.
 * The definitions of every figure are in docs/architecture.md (“Case statistics”); the SQL that counts them is
 * `cases.stats.repo.ts`. A figure belongs to a cohort chosen by one timestamp falling in the period:
 * received/opened/supervised by `created_at`, due/closedOnTime/overdue by `handle_due_at`, closed/rework by
 * `closed_at`, ratingCount/satisfaction by `rated_at` — so a month's row counts what happened in that month.
 */

export const STATS_GROUP_BYS = ['grid', 'community', 'department', 'category', 'month'] as const;
export type StatsGroupBy = (typeof STATS_GROUP_BYS)[number];

/** The counted figures of one group (rates are derived from them). */
export type StatsCounts = {
  received: number;
  opened: number;
  due: number;
  closed: number;
  closedOnTime: number;
  rework: number;
  overdue: number;
  supervised: number;
  ratingCount: number;
  ratingSum: number;
};

/** One row from the database: counts for a raw dimension value (a node path, a category or department id) and month. */
export type StatsRaw = StatsCounts & { dim: string | null; month: string | null };

export type StatsFigures = Omit<StatsCounts, 'ratingSum'> & {
  /** 按期结案率: closedOnTime / due, 0–1 with four decimals; null when nothing was due. */
  onTimeRate: number | null;
  /** Mean rating (1–5, two decimals); null when nobody rated. */
  satisfaction: number | null;
};
export type StatsItem = StatsFigures & { key: string; label: string };

export const COUNT_FIELDS = [
  'received',
  'opened',
  'due',
  'closed',
  'closedOnTime',
  'rework',
  'overdue',
  'supervised',
  'ratingCount',
  'ratingSum',
] as const satisfies readonly (keyof StatsCounts)[];

export function zeroCounts(): StatsCounts {
  return {
    received: 0,
    opened: 0,
    due: 0,
    closed: 0,
    closedOnTime: 0,
    rework: 0,
    overdue: 0,
    supervised: 0,
    ratingCount: 0,
    ratingSum: 0,
  };
}

export function addCounts(into: StatsCounts, more: StatsCounts): StatsCounts {
  for (const f of COUNT_FIELDS) into[f] += more[f];
  return into;
}

function round(x: number, digits: number): number {
  const m = 10 ** digits;
  return Math.round(x * m) / m;
}

/** The figures of a group: its counts and the rates derived from them. */
export function figuresOf(c: StatsCounts): StatsFigures {
  const { ratingSum, ...counts } = c;
  return {
    ...counts,
    onTimeRate: c.due > 0 ? round(c.closedOnTime / c.due, 4) : null,
    satisfaction: c.ratingCount > 0 ? round(ratingSum / c.ratingCount, 2) : null,
  };
}

// ---- the period ------------------------------------------------------------------------------------------

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `day` is a real calendar day written YYYY-MM-DD. */
export function isDay(day: string): boolean {
  const m = DAY_RE.exec(day);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === day;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Midnight of a Shanghai day (UTC+8 all year: China keeps no summer time). */
export function shanghaiMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** The longest period one request may count (ten years of months is still a readable chart). */
export const MAX_PERIOD_DAYS = 3660;

export type StatsPeriod = {
  /** First day counted, YYYY-MM-DD (Shanghai). */
  from: string;
  /** Last day counted, inclusive. */
  to: string;
  /** [start, end) in UTC: from 00:00 of `from` to 00:00 of the day after `to`, Shanghai time. */
  start: Date;
  end: Date;
};

/**
 * The period asked for. Defaults: `to` today, `from` the first day of the month eleven months before `to`'s
 * (twelve calendar months). Returns the name of the bad field instead when the period is not one.
 */
export function periodOf(
  q: { from?: string; to?: string },
  today: string,
): StatsPeriod | { invalid: 'from' | 'to'; reason: 'day' | 'order' | 'length' } {
  if (q.to !== undefined && !isDay(q.to)) return { invalid: 'to', reason: 'day' };
  if (q.from !== undefined && !isDay(q.from)) return { invalid: 'from', reason: 'day' };
  const to = q.to ?? today;
  let from = q.from;
  if (from === undefined) {
    const [y, m] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
    const back = y * 12 + (m - 1) - 11;
    from = `${Math.floor(back / 12)}-${String((back % 12) + 1).padStart(2, '0')}-01`;
  }
  if (from > to) return { invalid: 'to', reason: 'order' };
  const start = shanghaiMidnight(from);
  const end = shanghaiMidnight(addDays(to, 1));
  if ((end.getTime() - start.getTime()) / 86_400_000 > MAX_PERIOD_DAYS) return { invalid: 'from', reason: 'length' };
  return { from, to, start, end };
}

/** Every month the period touches, as YYYY-MM, in order. */
export function monthsOf(period: { from: string; to: string }): string[] {
  const out: string[] = [];
  let y = Number(period.from.slice(0, 4));
  let m = Number(period.from.slice(5, 7));
  const last = period.to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) return out;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}

// ---- groups ----------------------------------------------------------------------------------------------

/** A group a raw row falls into; null when it falls into none (counted under `other`). */
export type GroupRef = { key: string; label: string; order: number };

/**
 * Folds raw rows into groups: `groupOf` names the group of each row (by its dimension or month), `groups` are
 * the groups listed even with nothing in them (in their order), and rows that fall into no group are gathered
 * under `other`. Totals are the sum of every row, so a row outside every group still counts in them.
 */
export function foldStats(
  raws: readonly StatsRaw[],
  groupOf: (r: StatsRaw) => GroupRef | null,
  groups: readonly GroupRef[],
  other: { key: string; label: string },
): { items: StatsItem[]; totals: StatsFigures } {
  const byKey = new Map<string, { ref: GroupRef; counts: StatsCounts }>();
  for (const g of groups) byKey.set(g.key, { ref: g, counts: zeroCounts() });
  const totals = zeroCounts();
  for (const r of raws) {
    addCounts(totals, r);
    const ref = groupOf(r) ?? { ...other, order: Number.MAX_SAFE_INTEGER };
    let slot = byKey.get(ref.key);
    if (!slot) {
      slot = { ref, counts: zeroCounts() };
      byKey.set(ref.key, slot);
    }
    addCounts(slot.counts, r);
  }
  const items = [...byKey.values()]
    .sort((a, b) => a.ref.order - b.ref.order || a.ref.label.localeCompare(b.ref.label, 'zh-CN'))
    .map((s) => ({ key: s.ref.key, label: s.ref.label, ...figuresOf(s.counts) }));
  return { items, totals: figuresOf(totals) };
}

/** Node ids on a materialized path ('/1/5/9/' → [1, 5, 9]). */
export function idsOnPath(path: string): number[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(Number);
}

/** The first node on `path` (from the top) that is in `groups`: the grid or community a case lies in. */
export function groupOnPath<T>(path: string, groups: ReadonlyMap<number, T>): T | null {
  for (const id of idsOnPath(path)) {
    const g = groups.get(id);
    if (g !== undefined) return g;
  }
  return null;
}

/** The root of a category in the tree (its 大类); the id itself when its parent is unknown. */
export function rootCategory(id: number, parents: ReadonlyMap<number, number | null>): number {
  let at = id;
  const seen = new Set<number>();
  for (;;) {
    const parent = parents.get(at);
    if (parent === undefined || parent === null || seen.has(parent)) return at;
    seen.add(at);
    at = parent;
  }
}

/** Compares materialized paths segment by segment as numbers (parents before children, then by id). */
export function comparePaths(a: string, b: string): number {
  const x = idsOnPath(a);
  const y = idsOnPath(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
