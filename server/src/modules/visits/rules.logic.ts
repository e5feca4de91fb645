/**
 * Visit rules (三到六访), pure: checking a rule before it is stored, the cycle check over follow-up rules, and the
 * period arithmetic of periodic rules in Asia/Shanghai (UTC+8, no summer time).
 *
 * Periods: a day is a calendar day; weeks start on Monday, and n-week periods are aligned to Monday 2024-01-01
 * (so every 2 weeks means the same fortnights for everyone); n-day periods are aligned to the same day. Months,
 * quarters and years are calendar-aligned; n-month periods are counted from January 2024 (for n dividing 12 that
 * is every January). A task's due time is the period's last moment (the next period's start minus 1 ms).
 */
import { AppError } from '../../platform/errors/errors.js';
import { shanghaiDay } from '../cases/calendar.logic.js';
import type { AssigneeKind, PeriodUnit, RuleTarget, VisitRuleKind, VisitTrigger } from './visits.schemas.js';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** Monday 2024-01-01: where n-day and n-week periods start counting. */
export const PERIOD_EPOCH = '2024-01-01';
const EPOCH_DAY = Date.UTC(2024, 0, 1) / DAY_MS;

/** The rule as far as checking it goes (a create body, or a stored rule with a patch applied). */
export type RuleShape = {
  kind: VisitRuleKind;
  tagId: number | null;
  every: number | null;
  unit: PeriodUnit | null;
  trigger: VisitTrigger | null;
  triggerTagId: number | null;
  triggerCategoryId: number | null;
  triggerOutcome: string | null;
  triggerRuleId: number | null;
  dueHours: number | null;
  assignee: AssigneeKind;
  target: RuleTarget;
};

export const ALARM_OUTCOMES = ['false_alarm', 'person_safe', 'help_given', 'emergency_called', 'auto_cleared'];
export const VISIT_TRIGGER_OUTCOMES = ['well', 'needs_help', 'not_home'];

function invalid(field: string, reason: string): AppError {
  return new AppError('VISIT_RULE_INVALID', { field, params: { reason } });
}

/**
 * Checks a rule's fields agree with its kind and trigger (what the table's CHECK would refuse, said with the field
 * to fix). Frequency 0 is VISIT_RULE_FREQUENCY_INVALID on `every`.
 * @throws VISIT_RULE_INVALID (field), VISIT_RULE_FREQUENCY_INVALID (every)
 */
export function validateRule(r: RuleShape): void {
  if (r.kind === 'periodic') {
    if (r.every === 0) throw new AppError('VISIT_RULE_FREQUENCY_INVALID', { field: 'every' });
    if (r.tagId === null) throw invalid('tagId', '定期走访须选择标签');
    if (r.every === null) throw invalid('every', '定期走访须填写频次');
    if (r.every < 1 || r.every > 366 || !Number.isInteger(r.every)) {
      throw new AppError('VISIT_RULE_FREQUENCY_INVALID', { field: 'every' });
    }
    if (r.unit === null) throw invalid('unit', '定期走访须选择周期单位');
    if (r.trigger !== null) throw invalid('trigger', '定期走访不设触发条件');
    return;
  }
  if (r.trigger === null) throw invalid('trigger', '事件走访须选择触发条件');
  if (r.dueHours === null) throw invalid('dueHours', '事件走访须填写时限（小时）');
  if (r.tagId !== null) throw invalid('tagId', '事件走访不按标签定期生成');
  if (r.every !== null) throw invalid('every', '事件走访不设频次');
  switch (r.trigger) {
    case 'tag_added':
      if (r.triggerTagId === null) throw invalid('triggerTagId', '须选择触发的标签');
      break;
    case 'case_category':
      if (r.triggerCategoryId === null) throw invalid('triggerCategoryId', '须选择事件类别');
      break;
    case 'alarm_outcome':
      if (r.triggerOutcome === null || !ALARM_OUTCOMES.includes(r.triggerOutcome)) {
        throw invalid('triggerOutcome', '须选择预警的处置结果');
      }
      break;
    case 'visit_outcome':
      if (r.triggerRuleId === null) throw invalid('triggerRuleId', '须选择前序走访规则');
      if (r.triggerOutcome === null || !VISIT_TRIGGER_OUTCOMES.includes(r.triggerOutcome)) {
        throw invalid('triggerOutcome', '须选择走访结果');
      }
      break;
    case 'resident_deceased':
      break;
  }
}

/**
 * Follow-up rules (visit_outcome) point at the rule whose visits start them. Given every rule's edge (id →
 * trigger rule id) with the one being saved already applied, returns the chain of codes of a cycle through
 * `startId` (["a", "b", "a"]), or null.
 */
export function detectCycle(
  rules: { id: number; code: string; triggerRuleId: number | null }[],
  startId: number,
): string[] | null {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const chain: string[] = [];
  const seen = new Set<number>();
  let cur = byId.get(startId);
  while (cur) {
    if (seen.has(cur.id)) {
      if (cur.id !== startId) return null; // a cycle not through the rule saved: not this save's doing
      chain.push(cur.code);
      return chain;
    }
    seen.add(cur.id);
    chain.push(cur.code);
    cur = cur.triggerRuleId === null ? undefined : byId.get(cur.triggerRuleId);
  }
  return null;
}

/** @throws VISIT_RULE_CYCLE (triggerRuleId) naming the chain "a → b → a". */
export function assertNoCycle(rules: { id: number; code: string; triggerRuleId: number | null }[], id: number): void {
  const chain = detectCycle(rules, id);
  if (chain) throw new AppError('VISIT_RULE_CYCLE', { field: 'triggerRuleId', params: { chain: chain.join(' → ') } });
}

// ---- periods ----------------------------------------------------------------------------------------------------

/** The Shanghai calendar day (YYYY-MM-DD) of an instant: the working calendar's own. */
export { shanghaiDay };

function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The instant a Shanghai day starts. */
export function shanghaiMidnight(day: string): Date {
  return new Date(dayNumber(day) * DAY_MS - SHANGHAI_OFFSET_MS);
}

export type Period = {
  /** First day (YYYY-MM-DD, Shanghai). */
  start: string;
  /** First day of the next period. */
  next: string;
  /** The period's last moment: the next period's start minus 1 ms. */
  due: Date;
};

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** The period of `every` `unit`s that contains the Shanghai day `day`. */
export function periodContaining(day: string, every: number, unit: PeriodUnit): Period {
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`every must be ≥ 1, got ${every}`);
  let start: number;
  let next: number;
  if (unit === 'day' || unit === 'week') {
    const len = unit === 'day' ? every : every * 7;
    const k = floorDiv(dayNumber(day) - EPOCH_DAY, len);
    start = EPOCH_DAY + k * len;
    next = start + len;
  } else {
    const months = unit === 'month' ? every : unit === 'quarter' ? every * 3 : every * 12;
    const [y, m] = day.split('-').map(Number) as [number, number];
    const index = (y - 2024) * 12 + (m - 1);
    const k = floorDiv(index, months) * months;
    const startMonth = (i: number) => Date.UTC(2024 + floorDiv(i, 12), ((i % 12) + 12) % 12, 1) / DAY_MS;
    start = startMonth(k);
    next = startMonth(k + months);
  }
  const nextDay = dayString(next);
  return { start: dayString(start), next: nextDay, due: new Date(shanghaiMidnight(nextDay).getTime() - 1) };
}

/** The reason key of a periodic task: 'p:' + the period's first day. */
export function periodReasonKey(period: Period): string {
  return `p:${period.start}`;
}

/** Reason keys of event tasks (the table's comment is the contract). */
export const reasonKeys = {
  tag: (addedAt: Date) => `tag:${addedAt.getTime()}`,
  deceased: () => 'deceased',
  case: (id: number) => `case:${id}`,
  alarm: (id: number) => `alarm:${id}`,
  visit: (id: number) => `visit:${id}`,
};

/** How far back event rules look: since the rule was made, at most 7 days. */
export const EVENT_WINDOW_MS = 7 * DAY_MS;
export function eventWindowStart(ruleCreatedAt: Date, now: Date): Date {
  return new Date(Math.max(ruleCreatedAt.getTime(), now.getTime() - EVENT_WINDOW_MS));
}
