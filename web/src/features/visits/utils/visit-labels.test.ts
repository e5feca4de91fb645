import { describe, expect, it } from 'vitest';
import * as server from '../../../../../server/src/modules/visits/visits.schemas';
import type { VisitRule } from '../../../api-types';
import {
  ASSIGNEE_KINDS,
  fileUrls,
  groupRules,
  PERIOD_UNITS,
  RULE_CATEGORIES,
  RULE_KINDS,
  RULE_TARGETS,
  TASK_STATUSES,
  TRIGGERS,
  taskState,
  VISIT_OUTCOMES,
  WITHDRAW_REASONS,
} from './visit-labels';

const rule = (id: number, category: VisitRule['category'], sort: number): VisitRule =>
  ({ id, code: `r${id}`, category, sort }) as VisitRule;

describe('visit vocabularies', () => {
  it('are the server’s own lists', () => {
    expect([...RULE_KINDS]).toEqual([...server.RULE_KINDS]);
    expect([...RULE_CATEGORIES]).toEqual([...server.RULE_CATEGORIES]);
    expect([...PERIOD_UNITS]).toEqual([...server.PERIOD_UNITS]);
    expect([...TRIGGERS]).toEqual([...server.TRIGGERS]);
    expect([...ASSIGNEE_KINDS]).toEqual([...server.ASSIGNEE_KINDS]);
    expect([...RULE_TARGETS]).toEqual([...server.RULE_TARGETS]);
    expect([...TASK_STATUSES]).toEqual([...server.TASK_STATUSES]);
    expect([...WITHDRAW_REASONS]).toEqual([...server.WITHDRAW_REASONS]);
    expect([...VISIT_OUTCOMES]).toEqual([...server.VISIT_OUTCOMES]);
  });
});

describe('taskState', () => {
  it('calls an open task past due overdue, and anything closed by its status', () => {
    expect(taskState({ status: 'open', overdue: false })).toBe('open');
    expect(taskState({ status: 'open', overdue: true })).toBe('overdue');
    expect(taskState({ status: 'done', overdue: false })).toBe('done');
    // a closed task is never overdue, whatever the flag says
    expect(taskState({ status: 'withdrawn', overdue: true })).toBe('withdrawn');
  });
});

describe('groupRules', () => {
  it('groups 必到, 必访, 例行 in that order, each by sort then id, leaving out empty groups', () => {
    const groups = groupRules([
      rule(5, 'routine', 2),
      rule(3, 'must_go', 0),
      rule(4, 'routine', 1),
      rule(1, 'routine', 1),
    ]);
    expect(groups.map((g) => g.category)).toEqual(['must_go', 'routine']);
    expect(groups[1]?.rules.map((r) => r.id)).toEqual([1, 4, 5]);
  });
});

describe('fileUrls', () => {
  it('gives images a thumbnail and other files none', () => {
    expect(fileUrls({ id: 'abc', mime: 'image/jpeg' })).toEqual({
      url: '/api/files/abc',
      thumbUrl: '/api/files/abc/thumb',
    });
    expect(fileUrls({ id: 'abc', mime: 'application/pdf' })).toEqual({ url: '/api/files/abc', thumbUrl: null });
  });
});
