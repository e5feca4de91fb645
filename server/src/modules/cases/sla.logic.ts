/**
 * When the SLA jobs of a case fire and whether a firing still applies (pure). A case's deadlines change with every
 * transition (dispatch, accept, verify fail, reopen…), so each job carries the deadline it was armed for and does
 * nothing once the case has moved on: the job of an old deadline finds a different one.
 */
import { shanghaiDay, shanghaiTime } from './calendar.logic.js';

/**
 * response: the response deadline passed without an acceptance (yellow);
 * remind: the handling deadline is near (reminder to the handler, yellow);
 * handle: the handling deadline passed (red, overdue, the next level up told);
 * park_review: a parked case's review date came;
 * whistle: a department's whistle deadline passed without its report;
 * verify: a handled case was not verified (核查) by its verification deadline (yellow, its managers told).
 */
export const SLA_STEPS = ['response', 'remind', 'handle', 'park_review', 'whistle', 'verify'] as const;
export type SlaStep = (typeof SLA_STEPS)[number];

/** Stages in which the handling clock runs (the partial index cases_open_due_idx covers them). */
export const CLOCK_STAGES = ['dispatched', 'handling', 'whistled'] as const;

export type SlaCase = {
  id: number;
  stage: string;
  dispatchedAt: Date | null;
  acceptedAt: Date | null;
  responseDueAt: Date | null;
  handleDueAt: Date | null;
  handledAt: Date | null;
  verifyDueAt: Date | null;
  parkedUntil: string | null;
  supervision: number;
  overdue: boolean;
};

export type SlaWhistle = { id: number; status: string; dueAt: Date };

export type PlannedJob = { step: SlaStep; due: Date; runAt: Date; whistleId?: number };

const MINUTE = 60_000;

/** How long before the handling deadline the handler is reminded: a fifth of the span, 5 minutes to 4 hours. */
export function reminderLeadMs(start: Date | null, due: Date): number {
  const span = start ? due.getTime() - start.getTime() : 5 * 60 * MINUTE;
  return Math.min(4 * 60 * MINUTE, Math.max(5 * MINUTE, Math.round(span / 5)));
}

export function isClockStage(stage: string): boolean {
  return (CLOCK_STAGES as readonly string[]).includes(stage);
}

/** A parked case is reviewed at the start of its review day's first working period (Asia/Shanghai). */
export function parkReviewAt(parkedUntil: string, firstPeriodStart = '09:00'): Date {
  return shanghaiTime(parkedUntil, firstPeriodStart);
}

/** The key that makes a step act once: the case, the step, the deadline (and the whistle). */
export function stepKey(caseId: number, step: SlaStep, due: Date | string, whistleId?: number): string {
  const iso = typeof due === 'string' ? due : due.toISOString();
  return `${caseId}:${step}:${iso}${whistleId ? `:${whistleId}` : ''}`;
}

/** The jobs a case needs for its deadlines now (a parked case's review is armed apart, at park). */
export function slaPlan(c: SlaCase, whistles: readonly SlaWhistle[]): PlannedJob[] {
  const plan: PlannedJob[] = [];
  if (c.stage === 'dispatched' && !c.acceptedAt && c.responseDueAt) {
    plan.push({ step: 'response', due: c.responseDueAt, runAt: c.responseDueAt });
  }
  if (isClockStage(c.stage) && c.handleDueAt && !c.handledAt) {
    const lead = reminderLeadMs(c.dispatchedAt, c.handleDueAt);
    plan.push({ step: 'remind', due: c.handleDueAt, runAt: new Date(c.handleDueAt.getTime() - lead) });
    plan.push({ step: 'handle', due: c.handleDueAt, runAt: c.handleDueAt });
  }
  if (c.stage === 'handled' && c.verifyDueAt) {
    plan.push({ step: 'verify', due: c.verifyDueAt, runAt: c.verifyDueAt });
  }
  if (c.stage === 'whistled') {
    for (const w of whistles) {
      if (w.status === 'pending' || w.status === 'accepted') {
        plan.push({ step: 'whistle', due: w.dueAt, runAt: w.dueAt, whistleId: w.id });
      }
    }
  }
  return plan;
}

const same = (a: Date | null, b: Date) => a !== null && a.getTime() === b.getTime();

/**
 * Whether a step armed for `due` still applies to the case as it is now. `done`: this step's mark for this
 * deadline is already on the timeline. The red mark is also refused when the case is already red and overdue.
 */
export function stepApplies(
  c: SlaCase,
  step: SlaStep,
  due: Date,
  now: Date,
  opts: { done: boolean; whistle?: SlaWhistle | null; reviewAt?: Date },
): boolean {
  if (opts.done) return false;
  const t = now.getTime();
  switch (step) {
    case 'response':
      return c.stage === 'dispatched' && !c.acceptedAt && same(c.responseDueAt, due) && t >= due.getTime();
    case 'remind': {
      if (!isClockStage(c.stage) || c.handledAt || !same(c.handleDueAt, due)) return false;
      const lead = reminderLeadMs(c.dispatchedAt, due);
      // Past the deadline the red mark speaks instead.
      return t >= due.getTime() - lead && t < due.getTime();
    }
    case 'handle':
      return (
        isClockStage(c.stage) &&
        !c.handledAt &&
        same(c.handleDueAt, due) &&
        t >= due.getTime() &&
        !(c.supervision >= 2 && c.overdue)
      );
    case 'park_review':
      return (
        c.stage === 'parked' &&
        c.parkedUntil !== null &&
        c.parkedUntil === shanghaiDay(due) &&
        t >= (opts.reviewAt ?? due).getTime()
      );
    case 'whistle': {
      const w = opts.whistle;
      return (
        c.stage === 'whistled' &&
        !!w &&
        (w.status === 'pending' || w.status === 'accepted') &&
        w.dueAt.getTime() === due.getTime() &&
        t >= due.getTime()
      );
    }
    case 'verify':
      return c.stage === 'handled' && same(c.verifyDueAt, due) && t >= due.getTime();
  }
}

/** The supervision level a step leaves the case at (0: no change). */
export function levelOf(step: SlaStep): 0 | 1 | 2 {
  if (step === 'handle') return 2;
  if (step === 'response' || step === 'remind' || step === 'whistle' || step === 'verify') return 1;
  return 0;
}
