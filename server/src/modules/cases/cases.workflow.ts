/**
 * The cases workflow (事件流转), pure: which action a caller may take on a case in which stage, and where it leads.
 * The service gathers the facts (the case's stage, who the caller is to the case) and asks `decide`; a stage the
 * action does not start from is a refused transition (409), a stage it does start from but a caller who may not
 * take it is forbidden (403). `allowedActions` is what the console and phone show as buttons.
 */
import { CASE_ACTIONS, type CaseAction, type CaseStage } from './cases.schemas.js';

/** What the caller is to this case (worked out by the service from scope, posts and departments). */
export type CaseActor = {
  /** Filed the case. */
  isReporter: boolean;
  /** Holds cases.handle over the case's place (a handler of its grid, or above). */
  canHandle: boolean;
  /** Holds cases.manage over the case's place (community, street). */
  canManage: boolean;
  /** The person handling it now (cases.handler_id). */
  isHandler: boolean;
  /** It is dispatched to them: cases.handle over the assignee grid, or a member of the assignee department. */
  isAssignee: boolean;
  /** A member of a department the case is whistled to (an open whistle). */
  isWhistleMember: boolean;
};

/** What the rules need to know about the case. */
export type CaseFacts = {
  stage: CaseStage;
  /** The stage a parked case came from. */
  parkedFromStage: CaseStage | null;
  rated: boolean;
  closedAt: Date | null;
  now: Date;
};

/** Days after closing during which the reporter may say "not solved" and reopen. */
export const REOPEN_DAYS = 30;

export const OPEN_STAGES: readonly CaseStage[] = [
  'reported',
  'dispatched',
  'handling',
  'whistled',
  'escalated',
  'handled',
  'parked',
];
const FINAL_STAGES: readonly CaseStage[] = ['closed', 'merged', 'cancelled'];

type Rule = {
  from: readonly CaseStage[];
  /** Whether this caller may take it (given the stage is right). */
  who: (a: CaseActor, f: CaseFacts) => boolean;
  /** Where it leads; `passed` is the verify outcome. */
  to: (f: CaseFacts, passed: boolean) => CaseStage;
  /** Facts beyond the stage that must hold (else the transition is refused, 409). */
  when?: (f: CaseFacts) => boolean;
};

const same = (f: CaseFacts) => f.stage;

export const RULES: Record<CaseAction, Rule> = {
  accept: {
    from: ['reported', 'dispatched'],
    // From reported: a handler of the case's grid takes it at once (it is dispatched to their grid). From dispatched:
    // whoever it was dispatched to.
    who: (a, f) => (f.stage === 'reported' ? a.canHandle : a.isAssignee),
    to: () => 'handling',
  },
  dispatch: { from: ['reported', 'escalated'], who: (a) => a.canManage, to: () => 'dispatched' },
  return: { from: ['dispatched'], who: (a) => a.isAssignee, to: () => 'reported' },
  whistle: {
    from: ['reported', 'dispatched', 'handling', 'escalated', 'whistled'],
    who: (a) => a.canManage,
    to: () => 'whistled',
  },
  handle: { from: ['handling'], who: (a) => a.isHandler || a.canManage, to: () => 'handled' },
  escalate: {
    from: ['handling', 'dispatched'],
    who: (a, f) => (f.stage === 'handling' ? a.isHandler : a.isAssignee),
    to: () => 'escalated',
  },
  verify: { from: ['handled'], who: (a) => a.canManage, to: (_f, passed) => (passed ? 'closed' : 'handling') },
  park: {
    from: ['reported', 'dispatched', 'handling', 'whistled', 'escalated'],
    who: (a) => a.canManage,
    to: () => 'parked',
  },
  unpark: { from: ['parked'], who: (a) => a.canManage, to: (f) => f.parkedFromStage ?? 'reported' },
  cancel: { from: ['reported', 'escalated'], who: (a) => a.canManage, to: () => 'cancelled' },
  merge: { from: OPEN_STAGES, who: (a) => a.canManage, to: () => 'merged' },
  rate: { from: ['closed'], who: (a) => a.isReporter, to: same, when: (f) => !f.rated },
  reopen: {
    from: ['closed'],
    who: (a) => a.isReporter,
    to: () => 'dispatched',
    when: (f) =>
      !f.rated && f.closedAt !== null && f.now.getTime() - f.closedAt.getTime() <= REOPEN_DAYS * 24 * 3600 * 1000,
  },
  note: {
    from: OPEN_STAGES,
    who: (a) => a.canHandle || a.canManage || a.isHandler || a.isAssignee || a.isWhistleMember,
    to: same,
  },
};

export type Decision =
  | { ok: true; to: CaseStage }
  | { ok: false; refusal: 'transition' }
  | { ok: false; refusal: 'forbidden' };

/** Whether `action` may happen now, and to which stage. */
export function decide(facts: CaseFacts, actor: CaseActor, action: CaseAction, passed = true): Decision {
  const rule = RULES[action];
  if (!rule.from.includes(facts.stage) || (rule.when && !rule.when(facts))) return { ok: false, refusal: 'transition' };
  if (!rule.who(actor, facts)) return { ok: false, refusal: 'forbidden' };
  return { ok: true, to: rule.to(facts, passed) };
}

/** The actions this caller may take now, in the order of CASE_ACTIONS. */
export function allowedActions(facts: CaseFacts, actor: CaseActor): CaseAction[] {
  return CASE_ACTIONS.filter((a) => decide(facts, actor, a).ok);
}

export function isFinal(stage: CaseStage): boolean {
  return FINAL_STAGES.includes(stage);
}
