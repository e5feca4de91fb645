import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS, CASE_STAGES, type CaseAction, type CaseStage } from './cases.schemas.js';
import { allowedActions, type CaseActor, type CaseFacts, decide, REOPEN_DAYS } from './cases.workflow.js';

const NOBODY: CaseActor = {
  isReporter: false,
  canHandle: false,
  canManage: false,
  isHandler: false,
  isAssignee: false,
  isWhistleMember: false,
};

/** The kinds of caller a case meets. */
const ROLES = {
  reporter: { ...NOBODY, isReporter: true },
  gridHandler: { ...NOBODY, canHandle: true },
  manager: { ...NOBODY, canHandle: true, canManage: true },
  handler: { ...NOBODY, isHandler: true },
  assignee: { ...NOBODY, isAssignee: true },
  department: { ...NOBODY, isWhistleMember: true },
  stranger: NOBODY,
} satisfies Record<string, CaseActor>;
type Role = keyof typeof ROLES;
const ROLE_NAMES = Object.keys(ROLES) as Role[];

const OPEN: CaseStage[] = ['reported', 'dispatched', 'handling', 'whistled', 'escalated', 'handled', 'parked'];

/**
 * The workflow as the brief states it, written out independently of the implementation's table: every allowed
 * (action, stage, role) and where it leads. Everything not listed is refused.
 */
const ALLOWED: [CaseAction, CaseStage[], Role[], CaseStage | 'same' | 'parkedFrom'][] = [
  ['accept', ['reported'], ['gridHandler', 'manager'], 'handling'],
  ['accept', ['dispatched'], ['assignee'], 'handling'],
  ['dispatch', ['reported', 'escalated'], ['manager'], 'dispatched'],
  ['return', ['dispatched'], ['assignee'], 'reported'],
  ['whistle', ['reported', 'dispatched', 'handling', 'escalated', 'whistled'], ['manager'], 'whistled'],
  ['handle', ['handling'], ['handler', 'manager'], 'handled'],
  ['escalate', ['handling'], ['handler'], 'escalated'],
  ['escalate', ['dispatched'], ['assignee'], 'escalated'],
  ['verify', ['handled'], ['manager'], 'closed'],
  ['park', ['reported', 'dispatched', 'handling', 'whistled', 'escalated'], ['manager'], 'parked'],
  ['unpark', ['parked'], ['manager'], 'parkedFrom'],
  ['cancel', ['reported', 'escalated'], ['manager'], 'cancelled'],
  ['merge', OPEN, ['manager'], 'merged'],
  ['rate', ['closed'], ['reporter'], 'closed'],
  ['reopen', ['closed'], ['reporter'], 'dispatched'],
  ['note', OPEN, ['gridHandler', 'manager', 'handler', 'assignee', 'department'], 'same'],
];

const now = new Date('2026-12-07T02:00:00Z');
const facts = (stage: CaseStage, o: Partial<CaseFacts> = {}): CaseFacts => ({
  stage,
  parkedFromStage: stage === 'parked' ? 'handling' : null,
  rated: false,
  closedAt: stage === 'closed' ? new Date(now.getTime() - 86400_000) : null,
  now,
  ...o,
});

describe('decide', () => {
  for (const action of CASE_ACTIONS) {
    for (const stage of CASE_STAGES) {
      const rows = ALLOWED.filter(([a, stages]) => a === action && stages.includes(stage));
      for (const role of ROLE_NAMES) {
        const row = rows.find(([, , roles]) => roles.includes(role));
        if (row) {
          const to = row[3] === 'same' ? stage : row[3] === 'parkedFrom' ? 'handling' : row[3];
          it(`${action} from ${stage} by ${role} → ${to}`, () => {
            expect(decide(facts(stage), ROLES[role], action)).toEqual({ ok: true, to });
          });
        } else if (rows.length > 0) {
          it(`refuses ${action} from ${stage} by ${role} (403)`, () => {
            expect(decide(facts(stage), ROLES[role], action)).toEqual({ ok: false, refusal: 'forbidden' });
          });
        } else {
          it(`refuses ${action} from ${stage} by ${role} (409)`, () => {
            expect(decide(facts(stage), ROLES[role], action)).toEqual({ ok: false, refusal: 'transition' });
          });
        }
      }
    }
  }

  it('sends a failed verification back to handling', () => {
    expect(decide(facts('handled'), ROLES.manager, 'verify', false)).toEqual({ ok: true, to: 'handling' });
    expect(decide(facts('handled'), ROLES.handler, 'verify', false)).toEqual({ ok: false, refusal: 'forbidden' });
  });

  it('unparks to the stage the case was parked from', () => {
    for (const from of ['reported', 'dispatched', 'whistled', 'escalated'] as CaseStage[]) {
      expect(decide(facts('parked', { parkedFromStage: from }), ROLES.manager, 'unpark')).toEqual({ ok: true, to: from });
    }
  });

  it('refuses rating twice, and reopening once rated', () => {
    expect(decide(facts('closed', { rated: true }), ROLES.reporter, 'rate')).toEqual({
      ok: false,
      refusal: 'transition',
    });
    expect(decide(facts('closed', { rated: true }), ROLES.reporter, 'reopen')).toEqual({
      ok: false,
      refusal: 'transition',
    });
  });

  it(`refuses reopening more than ${REOPEN_DAYS} days after closing`, () => {
    const day = 86400_000;
    const at = (days: number) => facts('closed', { closedAt: new Date(now.getTime() - days * day) });
    expect(decide(at(REOPEN_DAYS), ROLES.reporter, 'reopen')).toEqual({ ok: true, to: 'dispatched' });
    expect(decide(at(REOPEN_DAYS + 1), ROLES.reporter, 'reopen')).toEqual({ ok: false, refusal: 'transition' });
  });
});

describe('allowedActions', () => {
  it('offers a grid handler accept and note on a new report', () => {
    expect(allowedActions(facts('reported'), ROLES.gridHandler)).toEqual(['accept', 'note']);
  });

  it('offers a manager the whole loop on a new report', () => {
    expect(allowedActions(facts('reported'), ROLES.manager)).toEqual([
      'accept',
      'dispatch',
      'whistle',
      'note',
      'park',
      'cancel',
      'merge',
    ]);
  });

  it('offers the reporter rating or reopening a closed case, and nothing on an open one', () => {
    expect(allowedActions(facts('closed'), ROLES.reporter)).toEqual(['rate', 'reopen']);
    expect(allowedActions(facts('handling'), ROLES.reporter)).toEqual([]);
  });

  it('offers nothing on a finished case but to its reporter', () => {
    for (const stage of ['merged', 'cancelled'] as CaseStage[]) {
      for (const role of ROLE_NAMES) expect(allowedActions(facts(stage), ROLES[role])).toEqual([]);
    }
  });
});
