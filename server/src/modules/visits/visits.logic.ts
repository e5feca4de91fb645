/**
 * Pure rules of visits and visit tasks (网格走访): when a visit may be dated, what a visit does to its task, the
 * reason a task exists in the reader's language, and the Asia/Shanghai days the reminders and counts use.
 */
import { AppError } from '../../platform/errors/errors.js';
import { shanghaiDay, shanghaiMidnight } from './rules.logic.js';
import { type PeriodUnit, VISIT_FUTURE_SKEW_MS, VISIT_MAX_AGE_DAYS, type VisitOutcome } from './visits.schemas.js';

const DAY_MS = 86_400_000;

/**
 * A visit's date must lie between VISIT_MAX_AGE_DAYS ago and now (give or take a phone's clock skew).
 * @throws VISIT_IN_FUTURE, VISIT_TOO_OLD (field visitedAt)
 */
export function checkVisitedAt(visitedAt: Date, now: Date): void {
  if (visitedAt.getTime() > now.getTime() + VISIT_FUTURE_SKEW_MS) {
    throw new AppError('VISIT_IN_FUTURE', { field: 'visitedAt' });
  }
  if (visitedAt.getTime() < now.getTime() - VISIT_MAX_AGE_DAYS * DAY_MS) {
    throw new AppError('VISIT_TOO_OLD', { field: 'visitedAt', params: { days: VISIT_MAX_AGE_DAYS } });
  }
}

/**
 * What a visit does to its open task. "Seen and well" and "needs help" close it: done, at the visit's own time
 * (`doneAt` = visited_at, so a task is done on time when it was visited by its due time, whenever the phone sent
 * it); "not at home" is one more attempt, and the task stays open.
 */
export function taskEffect(outcome: VisitOutcome): 'close' | 'attempt' {
  return outcome === 'not_home' ? 'attempt' : 'close';
}

/** The Asia/Shanghai day and week around `now`: [dayStart, dayEnd) and [Monday 00:00, next Monday 00:00). */
export function shanghaiBounds(now: Date): { dayStart: Date; dayEnd: Date; weekStart: Date; weekEnd: Date } {
  const day = shanghaiDay(now);
  const dayStart = shanghaiMidnight(day);
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const weekStart = new Date(dayStart.getTime() - weekday * DAY_MS);
  return {
    dayStart,
    dayEnd: new Date(dayStart.getTime() + DAY_MS),
    weekStart,
    weekEnd: new Date(weekStart.getTime() + 7 * DAY_MS),
  };
}

const UNIT_ZH: Record<PeriodUnit, string> = { day: '天', week: '周', month: '月', quarter: '季度', year: '年' };
const UNIT_EN: Record<PeriodUnit, [string, string]> = {
  day: ['day', 'days'],
  week: ['week', 'weeks'],
  month: ['month', 'months'],
  quarter: ['quarter', 'quarters'],
  year: ['year', 'years'],
};

export type ReasonFacts = {
  ruleName: string;
  reasonKey: string;
  /** periodic rules */
  tagName: string | null;
  every: number | null;
  unit: PeriodUnit | null;
  /** tag_added: the tag added */
  triggerTagName: string | null;
  /** case:<id>: the case's number */
  caseNo: string | null;
};

function monthDay(ms: number, locale: 'zh-CN' | 'en'): string {
  const [, m, day] = shanghaiDay(ms).split('-').map(Number) as [number, number, number];
  if (locale === 'en') {
    const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    return `${names[m - 1]} ${day}`;
  }
  return `${m}月${day}日`;
}

/**
 * Why a task exists, in the reader's language: "独居老人 · 每周", "住院 · 12月5日", "事件 SJ20261207-000012",
 * "预警 #12", "走访 #40", "家有丧事" (the rule's name for the other events).
 */
export function taskReason(f: ReasonFacts, locale: 'zh-CN' | 'en'): string {
  const zh = locale === 'zh-CN';
  const [kind, ...rest] = f.reasonKey.split(':');
  const arg = rest.join(':');
  if (kind === 'p' && f.every !== null && f.unit !== null) {
    const who = f.tagName ?? f.ruleName;
    if (zh) return `${who} · ${f.every === 1 ? '每' : `每${f.every}`}${UNIT_ZH[f.unit]}`;
    const [one, many] = UNIT_EN[f.unit];
    return `${who} · ${f.every === 1 ? `every ${one}` : `every ${f.every} ${many}`}`;
  }
  if (kind === 'tag' && /^\d+$/.test(arg)) {
    return `${f.triggerTagName ?? f.ruleName} · ${monthDay(Number(arg), locale)}`;
  }
  if (kind === 'case') return `${zh ? '事件' : 'Case'} ${f.caseNo ?? `#${arg}`}`;
  if (kind === 'alarm') return `${zh ? '预警' : 'Alarm'} #${arg}`;
  if (kind === 'visit') return `${zh ? '走访' : 'Visit'} #${arg}`;
  return f.ruleName;
}
