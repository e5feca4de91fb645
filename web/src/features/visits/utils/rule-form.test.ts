import { describe, expect, it } from 'vitest';
import type { VisitRule } from '../../../api-types';
import {
  findCycle,
  newRuleValues,
  type RuleFormValues,
  ruleProblems,
  ruleToValues,
  valuesToCreate,
  valuesToPatch,
} from './rule-form';

const base: VisitRule = {
  id: 1,
  code: 'lonely_elderly',
  name: '独居老人',
  description: null,
  kind: 'periodic',
  category: 'routine',
  tagId: 8,
  tagName: '独居老人',
  every: 1,
  unit: 'week',
  trigger: null,
  triggerTagId: null,
  triggerTagName: null,
  triggerCategoryId: null,
  triggerCategoryName: null,
  triggerOutcome: null,
  triggerRuleId: null,
  dueHours: null,
  assignee: 'grid_worker',
  target: 'resident',
  enabled: true,
  builtin: true,
  sort: 0,
  version: 3,
  openTasks: 12,
  updatedAt: '2026-12-01T00:00:00.000Z',
};

/** a follows b's visits, b follows c's: a → b → c */
const followUp = (id: number, code: string, triggerRuleId: number | null): VisitRule => ({
  ...base,
  id,
  code,
  kind: 'event',
  tagId: null,
  every: null,
  unit: null,
  trigger: triggerRuleId ? 'visit_outcome' : 'tag_added',
  triggerRuleId,
  triggerOutcome: triggerRuleId ? 'needs_help' : null,
  dueHours: 24,
});
const chainRules = [followUp(1, 'a', 2), followUp(2, 'b', 3), followUp(3, 'c', null)];

describe('findCycle', () => {
  it('finds the way back to the edited rule through the follow-ups', () => {
    // c made to follow a's visits: c → a → b → c
    expect(findCycle(chainRules, { id: 3, code: 'c' }, 1)).toEqual(['c', 'a', 'b', 'c']);
    // a rule following its own visits
    expect(findCycle(chainRules, { id: 2, code: 'b' }, 2)).toEqual(['b', 'b']);
  });

  it('finds none for a chain that ends, a new rule, or no trigger rule', () => {
    expect(findCycle(chainRules, { id: 1, code: 'a' }, 3)).toBeNull();
    expect(findCycle(chainRules, null, 1)).toBeNull();
    expect(findCycle(chainRules, { id: 3, code: 'c' }, null)).toBeNull();
    // a rule that is gone ends the chain
    expect(findCycle(chainRules, { id: 3, code: 'c' }, 99)).toBeNull();
  });

  it('stops at a loop among other rules instead of running forever', () => {
    const loop = [followUp(1, 'a', 2), followUp(2, 'b', 1), followUp(3, 'c', null)];
    expect(findCycle(loop, { id: 3, code: 'c' }, 1)).toBeNull();
  });
});

describe('ruleProblems', () => {
  it('refuses a frequency of zero on the every field, as the server does', () => {
    const v: RuleFormValues = { ...newRuleValues('periodic'), tagId: 8, every: 0 };
    expect(ruleProblems(v, [], null)).toEqual([{ field: 'every', key: 'frequencyInvalid' }]);
    expect(ruleProblems({ ...v, every: 2 }, [], null)).toEqual([]);
  });

  it('asks for what the kind and the trigger need', () => {
    expect(ruleProblems({ ...newRuleValues('periodic'), unit: null }, [], null)).toEqual([
      { field: 'tagId', key: 'required' },
      { field: 'unit', key: 'required' },
    ]);
    const event = newRuleValues('event');
    expect(ruleProblems({ ...event, trigger: 'case_category' }, [], null)).toEqual([
      { field: 'triggerCategoryId', key: 'required' },
    ]);
    expect(ruleProblems({ ...event, trigger: 'resident_deceased' }, [], null)).toEqual([]);
    expect(ruleProblems({ ...event, trigger: 'visit_outcome', dueHours: null }, [], null)).toEqual([
      { field: 'dueHours', key: 'required' },
      { field: 'triggerRuleId', key: 'required' },
      { field: 'triggerOutcome', key: 'required' },
    ]);
  });

  it('names the cycle on the trigger rule field', () => {
    const c = {
      ...ruleToValues(chainRules[2]!),
      trigger: 'visit_outcome' as const,
      triggerRuleId: 1,
      triggerOutcome: 'well',
    };
    expect(ruleProblems(c, chainRules, { id: 3, code: 'c' })).toEqual([
      { field: 'triggerRuleId', key: 'cycle', chain: 'c → a → b → c' },
    ]);
  });
});

describe('rule bodies', () => {
  it('send the periodic fields of a periodic rule, trimmed', () => {
    const v: RuleFormValues = {
      ...newRuleValues('periodic'),
      code: ' empty_nest ',
      name: ' 空巢老人 ',
      description: '  ',
      tagId: 9,
      every: 2,
      unit: 'week',
    };
    expect(valuesToCreate(v)).toEqual({
      code: 'empty_nest',
      kind: 'periodic',
      name: '空巢老人',
      description: null,
      category: 'routine',
      tagId: 9,
      every: 2,
      unit: 'week',
      assignee: 'grid_worker',
      target: 'resident',
      enabled: true,
      sort: 0,
    });
  });

  it('clear the parameters a changed trigger no longer uses, and carry the version read', () => {
    const rule = followUp(4, 'follow', 2);
    const v: RuleFormValues = { ...ruleToValues(rule), trigger: 'case_category', triggerCategoryId: 5 };
    expect(valuesToPatch(rule, v)).toEqual({
      version: 3,
      name: '独居老人',
      description: null,
      category: 'routine',
      assignee: 'grid_worker',
      target: 'resident',
      enabled: true,
      sort: 0,
      trigger: 'case_category',
      triggerTagId: null,
      triggerCategoryId: 5,
      triggerOutcome: null,
      triggerRuleId: null,
      dueHours: 24,
    });
  });

  it('read a rule back into the form unchanged', () => {
    expect(valuesToPatch(base, ruleToValues(base))).toMatchObject({ tagId: 8, every: 1, unit: 'week', version: 3 });
  });
});
