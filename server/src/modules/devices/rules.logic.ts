/**
 * Alarm rules as pure functions (no I/O): which rules apply to a device's watched person, and what a message
 * triggers. The timed rules (no use, high use, silence) and the ladder's timing live beside these.
 */
import type {
  DeviceMessage,
  EffectiveRule,
  RuleKind,
  RuleParams,
  Severity,
  ThresholdParams,
} from './devices.schemas.js';

/** A rule row as stored, before the watched person's override is merged in. */
export type StoredRule = {
  id: number;
  code: string;
  kind: RuleKind;
  params: Record<string, unknown>;
  severity: Severity;
  autoResolve: boolean;
  enabled: boolean;
};

export type StoredOverride = { params: Record<string, unknown>; enabled: boolean };

/**
 * The rule as it applies to one person: the override's params laid over the rule's (shallow; a param set to null in
 * the override falls back to the rule's), or null when the rule or the override switches it off.
 */
export function mergeOverride(rule: StoredRule, override?: StoredOverride | null): EffectiveRule | null {
  if (!rule.enabled || (override && !override.enabled)) return null;
  const params: Record<string, unknown> = { ...rule.params };
  for (const [k, v] of Object.entries(override?.params ?? {})) if (v !== null && v !== undefined) params[k] = v;
  return {
    id: rule.id,
    code: rule.code,
    kind: rule.kind,
    params: params as RuleParams,
    severity: rule.severity,
    autoResolve: rule.autoResolve,
  };
}

/** A message that passed validation: its time resolved, its values known metrics within range. */
export type Reading = Pick<DeviceMessage, 'values' | 'event' | 'data'> & { ts: Date };

export type MessageTrigger = { ruleId: number; at: Date; detail: Record<string, unknown> };

/**
 * What one message triggers at once: threshold rules on its values and event rules on its event. Timed rules
 * (no_use, high_use, silent) are the evaluator's, never a message's.
 */
export function evaluateMessage(rules: readonly EffectiveRule[], reading: Reading): MessageTrigger[] {
  const out: MessageTrigger[] = [];
  for (const rule of rules) {
    if (rule.kind === 'threshold') {
      const p = rule.params as ThresholdParams;
      const value = reading.values?.[p.metric];
      if (value === undefined) continue;
      if (p.below !== undefined && value < p.below) {
        out.push({ ruleId: rule.id, at: reading.ts, detail: { metric: p.metric, value, below: p.below } });
      } else if (p.above !== undefined && value > p.above) {
        out.push({ ruleId: rule.id, at: reading.ts, detail: { metric: p.metric, value, above: p.above } });
      }
    } else if (rule.kind === 'event') {
      const events = (rule.params as { events: string[] }).events;
      if (reading.event && events.includes(reading.event)) {
        out.push({
          ruleId: rule.id,
          at: reading.ts,
          detail: { event: reading.event, ...(reading.data ? { data: reading.data } : {}) },
        });
      }
    }
  }
  return out;
}

// ---- time in Asia/Shanghai (UTC+8 all year: no daylight saving) -------------------------------------------------

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** Asia/Shanghai is UTC+8 all year. */
const SHANGHAI_OFFSET = 480 * MINUTE;

/** Minutes since midnight of "HH:MM"; null for anything else. */
export function parseHhmm(s: string | null | undefined): number | null {
  const m = s ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s) : null;
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Minutes since midnight, Shanghai time, of an instant (fractions kept). */
export function shanghaiMinuteOfDay(at: Date): number {
  const ms = (((at.getTime() + SHANGHAI_OFFSET) % DAY) + DAY) % DAY;
  return ms / MINUTE;
}

/** Midnight (Shanghai) of the day an instant falls on. */
export function shanghaiMidnight(at: Date): Date {
  const t = at.getTime() + SHANGHAI_OFFSET;
  return new Date(Math.floor(t / DAY) * DAY - SHANGHAI_OFFSET);
}

/** Quiet hours as minutes of the day, or null when unset or empty (start = end). */
export type Quiet = { start: number; end: number };

export function quietOf(quietStart?: string | null, quietEnd?: string | null): Quiet | null {
  const start = parseHhmm(quietStart);
  const end = parseHhmm(quietEnd);
  if (start === null || end === null || start === end) return null;
  return { start, end };
}

/**
 * Whether `now` falls in the quiet hours [start, end) Shanghai time; a window across midnight (22:00–06:00) holds
 * from 22:00 to midnight and from midnight to 06:00. Unset or empty quiet hours are never quiet.
 */
export function isQuiet(now: Date, quietStart?: string | null, quietEnd?: string | null): boolean {
  const q = quietOf(quietStart, quietEnd);
  return q !== null && inQuiet(shanghaiMinuteOfDay(now), q);
}

function inQuiet(minute: number, q: Quiet): boolean {
  return q.start < q.end ? minute >= q.start && minute < q.end : minute >= q.start || minute < q.end;
}

/** The latest instant at or before `t` whose Shanghai time of day is `minute`. */
function latestAtOrBefore(t: number, minute: number): number {
  let at = shanghaiMidnight(new Date(t)).getTime() + minute * MINUTE;
  if (at > t) at -= DAY;
  return at;
}

/**
 * Where a no-use window of `windowHours` ends looking back from `now`: the window holds `windowHours` of time
 * outside the quiet hours, so it stretches back over them (8 h at 08:00 with quiet 22:00–06:00 starts at 16:00 the
 * day before: 6 h from 16:00 to 22:00, nothing counted overnight, 2 h from 06:00 to 08:00). Without quiet hours it
 * is simply `windowHours` before `now`. Called inside quiet hours, the quiet part up to now is not counted either.
 */
export function noUseWindowStart(now: Date, windowHours: number, quiet?: Quiet | null): Date {
  let remaining = windowHours * 60 * MINUTE;
  const t0 = now.getTime();
  if (!quiet) return new Date(t0 - remaining);
  const duration = ((quiet.end - quiet.start + 1440) % 1440) * MINUTE;
  let t = t0;
  // Each pass consumes one non-quiet stretch or one quiet stretch; 72 h at most crosses a few days.
  for (let guard = 0; guard < 64; guard++) {
    if (inQuiet(shanghaiMinuteOfDay(new Date(t - 1)), quiet)) {
      // Skip back over the quiet stretch the instant before t lies in.
      t = latestAtOrBefore(t - 1, quiet.start);
      continue;
    }
    const quietEnd = latestAtOrBefore(t, quiet.end);
    const stretch = t - quietEnd;
    if (stretch >= remaining) return new Date(t - remaining);
    remaining -= stretch;
    t = quietEnd - duration;
  }
  return new Date(t - remaining);
}

// ---- timed rules: what one device's numbers decide ---------------------------------------------------------------

/** fire: raise (or count on) the alarm; clear: the condition does not hold; skip: decide nothing now. */
export type TimedDecision =
  | { decision: 'fire'; detail: Record<string, unknown> }
  | { decision: 'clear' }
  | { decision: 'skip'; reason: 'away' | 'quiet' | 'no_baseline' | 'not_installed' };

/**
 * no_use: `used` is the latest cumulative reading minus the reading at or before the window start (null: no
 * reading that old, e.g. a new meter — nothing can be said yet). Away or in quiet hours the rule says nothing.
 */
export function decideNoUse(
  p: { metric: string; windowHours: number; minUse: number },
  x: { used: number | null; away: boolean; quiet: boolean; windowStart?: Date },
): TimedDecision {
  if (x.away) return { decision: 'skip', reason: 'away' };
  if (x.quiet) return { decision: 'skip', reason: 'quiet' };
  if (x.used === null || !Number.isFinite(x.used)) return { decision: 'skip', reason: 'no_baseline' };
  // A meter replaced or reset reads lower than before: that is no evidence of no use.
  const used = Math.max(0, x.used);
  if (used < p.minUse) {
    return {
      decision: 'fire',
      detail: {
        metric: p.metric,
        used: round3(used),
        minUse: p.minUse,
        windowHours: p.windowHours,
        ...(x.windowStart ? { since: x.windowStart.toISOString() } : {}),
      },
    };
  }
  return { decision: 'clear' };
}

/** high_use: more than `maxUse` used within the last `windowMinutes` (null: no reading before the window). */
export function decideHighUse(
  p: { metric: string; windowMinutes: number; maxUse: number },
  x: { used: number | null },
): TimedDecision {
  if (x.used === null || !Number.isFinite(x.used)) return { decision: 'skip', reason: 'no_baseline' };
  if (x.used > p.maxUse) {
    return {
      decision: 'fire',
      detail: { metric: p.metric, used: round3(x.used), maxUse: p.maxUse, windowMinutes: p.windowMinutes },
    };
  }
  return { decision: 'clear' };
}

/**
 * silent: nothing heard for `minutes`. A device never heard from counts from its installation (or registration)
 * time; one installed later than now says nothing yet.
 */
export function decideSilent(
  p: { minutes: number },
  x: { now: Date; lastSeenAt: Date | null; since: Date },
): TimedDecision {
  const from = x.lastSeenAt ?? x.since;
  if (from.getTime() > x.now.getTime()) return { decision: 'skip', reason: 'not_installed' };
  const silentMin = Math.floor((x.now.getTime() - from.getTime()) / MINUTE);
  if (silentMin >= p.minutes) {
    return {
      decision: 'fire',
      detail: { minutes: p.minutes, silentMinutes: silentMin, lastSeenAt: x.lastSeenAt?.toISOString() ?? null },
    };
  }
  return { decision: 'clear' };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

// ---- the escalation ladder ----------------------------------------------------------------------------------------

export type LadderRung = { level: 'family' | 'grid' | 'community' | 'street'; afterMin: number };

/** The ladder in the order its steps fall due (stable for equal times). */
export function sortLadder<T extends LadderRung>(ladder: readonly T[]): T[] {
  return ladder
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.afterMin - b.s.afterMin || a.i - b.i)
    .map((x) => x.s);
}

/** When step `step` of the (sorted) ladder falls due for an alarm first raised at `firstAt`; null past the end. */
export function ladderDue(firstAt: Date, ladder: readonly LadderRung[], step: number): Date | null {
  const s = ladder[step];
  if (!s || step < 0) return null;
  return new Date(firstAt.getTime() + s.afterMin * MINUTE);
}

/**
 * The step after `notified` (-1: none notified yet) and when it is due, or null when the ladder is done. An
 * acknowledged or resolved alarm climbs no further.
 */
export function nextStep(
  firstAt: Date,
  ladder: readonly LadderRung[],
  notified: number,
  status: 'active' | 'acknowledged' | 'resolved' = 'active',
): { step: number; at: Date } | null {
  if (status !== 'active') return null;
  const step = notified + 1;
  const at = ladderDue(firstAt, ladder, step);
  return at ? { step, at } : null;
}

/** The steps due at raise time (afterMin 0 at the start of the ladder): notified in the raising transaction. */
export function stepsDueAt(firstAt: Date, ladder: readonly LadderRung[], now: Date, from = 0): number[] {
  const out: number[] = [];
  for (let i = from; i < ladder.length; i++) {
    const at = ladderDue(firstAt, ladder, i)!;
    if (at.getTime() > now.getTime()) break;
    out.push(i);
  }
  return out;
}

// ---- the one-line summary ---------------------------------------------------------------------------------------

export type SummaryLocale = 'zh-CN' | 'en';
/** Names from the device type: its metrics (name, unit) and events. */
export type SummaryNames = {
  metrics?: readonly { key: string; nameZh: string; nameEn: string; unit: string }[];
  events?: readonly { key: string; nameZh: string; nameEn: string }[];
};

const ZH_UNITS: Record<string, string> = { L: '升', l: '升', bpm: '次/分', 'm³': '立方米', m3: '立方米' };

function fmt(n: unknown): string {
  return typeof n === 'number' && Number.isFinite(n) ? String(Math.round(n * 100) / 100) : '?';
}

/**
 * The alarm in one line in the reader's language: "8 小时用水 0.4 升（低于 10 升）", "心率 150 次/分（高于 120）",
 * "SOS 呼救", "设备已 95 分钟无数据（超过 60 分钟）".
 */
export function alarmSummary(
  kind: RuleKind,
  detail: Record<string, unknown>,
  locale: SummaryLocale,
  names: SummaryNames = {},
): string {
  const zh = locale === 'zh-CN';
  const metricKey = typeof detail.metric === 'string' ? detail.metric : '';
  const metric = names.metrics?.find((m) => m.key === metricKey);
  const mName = metric ? (zh ? metric.nameZh : metric.nameEn) : metricKey;
  const rawUnit = metric?.unit ?? '';
  const unit = zh ? (ZH_UNITS[rawUnit] ?? rawUnit) : rawUnit;
  const u = unit ? ` ${unit}` : '';
  switch (kind) {
    case 'threshold': {
      if (typeof detail.below === 'number') {
        return zh
          ? `${mName} ${fmt(detail.value)}${u}（低于 ${fmt(detail.below)}）`
          : `${mName} ${fmt(detail.value)}${u} (below ${fmt(detail.below)})`;
      }
      return zh
        ? `${mName} ${fmt(detail.value)}${u}（高于 ${fmt(detail.above)}）`
        : `${mName} ${fmt(detail.value)}${u} (above ${fmt(detail.above)})`;
    }
    case 'event': {
      const key = typeof detail.event === 'string' ? detail.event : '';
      const ev = names.events?.find((e) => e.key === key);
      return ev ? (zh ? ev.nameZh : ev.nameEn) : key;
    }
    case 'no_use':
      return zh
        ? `${fmt(detail.windowHours)} 小时用量 ${fmt(detail.used)}${u}（低于 ${fmt(detail.minUse)}${u}）`
        : `${fmt(detail.used)}${u} used in ${fmt(detail.windowHours)} h (below ${fmt(detail.minUse)}${u})`;
    case 'high_use':
      return zh
        ? `${fmt(detail.windowMinutes)} 分钟用量 ${fmt(detail.used)}${u}（高于 ${fmt(detail.maxUse)}${u}）`
        : `${fmt(detail.used)}${u} used in ${fmt(detail.windowMinutes)} min (above ${fmt(detail.maxUse)}${u})`;
    case 'silent':
      return zh
        ? `设备已 ${fmt(detail.silentMinutes)} 分钟无数据（超过 ${fmt(detail.minutes)} 分钟）`
        : `No data for ${fmt(detail.silentMinutes)} min (limit ${fmt(detail.minutes)} min)`;
    default:
      return String(kind);
  }
}
