import type { QueryClient } from '@tanstack/react-query';
import { Form } from 'antd';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import type { Me, VisitDetail, VisitListItem, VisitRule, VisitTaskDetail, VisitTaskPage } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { meQueryKey } from '../../auth/hooks/use-auth';
import { caseKeys } from '../../cases/hooks/use-cases';
import { peopleKeys } from '../../people/hooks/use-people';
import { visitKeys } from '../hooks/use-visits';
import { newRuleValues, ruleToValues } from '../utils/rule-form';
import { toTaskListQuery, toVisitListQuery } from '../utils/visit-filters';
import { RuleFormFields } from './rule-drawer';
import { VisitDetailView } from './visit-detail-view';
import { VisitRulesSettings } from './visit-rules-settings';
import { VisitTaskDetailView } from './visit-task-detail';
import { VisitTasksList } from './visit-tasks-list';
import { VisitsList } from './visits-list';

const admin = {
  permissions: [
    'visits.read',
    'visits.do',
    'visits.manage',
    'visits.config',
    'people.read',
    'users.read',
    'cases.read',
  ],
  modules: ['visits', 'people', 'users', 'cases'],
  posts: [{ nodeId: null }],
} as unknown as Me;

const lonely: VisitRule = {
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
  version: 2,
  openTasks: 12,
  updatedAt: '2026-12-01T00:00:00.000Z',
};

const hospital: VisitRule = {
  ...lonely,
  id: 2,
  code: 'hospitalised',
  name: '重病住院',
  kind: 'event',
  category: 'must_visit',
  tagId: null,
  tagName: null,
  every: null,
  unit: null,
  trigger: 'tag_added',
  triggerTagId: 9,
  triggerTagName: '住院',
  dueHours: 48,
  openTasks: 0,
};

const followUp: VisitRule = {
  ...hospital,
  id: 3,
  code: 'help_follow_up',
  name: '困难跟进',
  category: 'must_go',
  builtin: false,
  enabled: false,
  trigger: 'visit_outcome',
  triggerTagId: null,
  triggerTagName: null,
  triggerRuleId: 1,
  triggerOutcome: 'needs_help',
  dueHours: 24,
};

const task: VisitTaskDetail = {
  id: 501,
  ruleId: 1,
  ruleName: '独居老人',
  category: 'routine',
  status: 'open',
  overdue: true,
  residentId: 77,
  residentName: '张*英',
  householdId: 31,
  placeLabel: '东关社区 / 第一网格 / 1号楼 / 1单元 0301',
  nodeId: 40,
  assigneeId: 6,
  assigneeName: '王网格',
  assigneeKind: 'grid_worker',
  reason: '独居老人 · 每周',
  periodStart: '2026-11-30',
  dueAt: '2026-12-06T15:59:59.999Z',
  attempts: 1,
  doneAt: null,
  withdrawnReason: null,
  createdAt: '2026-11-30T00:20:00.000Z',
  ruleCode: 'lonely_elderly',
  sourceRef: null,
  withdrawnAt: null,
  withdrawnNote: null,
  members: [{ id: 77, name: '张*英', age: 82, relation: '户主', tags: ['独居老人', '高龄老人'] }],
  visits: [
    {
      id: 900,
      taskId: 501,
      ruleName: '独居老人',
      residentId: 77,
      residentName: '张*英',
      householdId: 31,
      placeLabel: '东关社区 / 第一网格 / 1号楼 / 1单元 0301',
      visitorId: 6,
      visitorName: '王网格',
      visitedAt: '2026-12-03T02:00:00.000Z',
      outcome: 'not_home',
      note: '敲门无人应答',
      caseId: null,
      photoCount: 0,
    },
  ],
  lastVisits: [],
  can: { visit: true, assign: true, withdraw: true },
};

const visit: VisitDetail = {
  id: 901,
  taskId: 501,
  ruleName: '独居老人',
  residentId: 77,
  residentName: '张*英',
  householdId: 31,
  placeLabel: '东关社区 / 第一网格 / 1号楼 / 1单元 0301',
  visitorId: 6,
  visitorName: '王网格',
  visitedAt: '2026-12-05T02:00:00.000Z',
  outcome: 'needs_help',
  note: '家中暖气不热',
  caseId: null,
  photoCount: 1,
  health: { systolic: 150, diastolic: 95, heartRate: 88, mood: 'low' },
  caseNo: null,
  files: [{ id: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'photo.jpg', mime: 'image/jpeg' }],
  recordedAt: '2026-12-05T02:00:05.000Z',
};

const render = (node: ReactNode, fill: (client: QueryClient) => void = () => undefined) =>
  renderView(admin, node, fill);
const asGridWorker = (c: QueryClient) =>
  c.setQueryData(meQueryKey, { ...admin, permissions: ['visits.read', 'visits.do'], posts: [{ nodeId: 40 }] });

failOnRenderWarnings();

describe('VisitTasksList', () => {
  const filters = { status: 'open' as const, page: 1, pageSize: 20 };
  const page: VisitTaskPage = { items: [task], total: 1, counts: { open: 7, overdue: 2, dueThisWeek: 5 } };
  const fill = (c: QueryClient) => {
    c.setQueryData(visitKeys.taskList(toTaskListQuery(filters)), page);
    c.setQueryData(visitKeys.rules(), [lonely, hospital]);
  };

  it('shows the counts, the tasks with why and when, and reassign and withdraw for a manager', () => {
    const html = render(<VisitTasksList filters={filters} onChange={() => undefined} />, fill);
    expect(html).toContain('data-testid="visit-count-overdue"');
    expect(html).toMatch(/>7</);
    expect(html).toContain('data-row-key="501"');
    expect(html).toContain('href="/visits/tasks/501"');
    expect(html).toContain('独居老人 · 每周');
    expect(html).toContain('data-state="overdue"');
    // due at the end of Sunday, Shanghai time
    expect(html).toContain('2026-12-06 23:59:59');
    expect(html).toContain('未遇 1 次');
    expect(html).toContain('data-testid="visit-task-assign"');
    expect(html).toContain('data-testid="visit-task-withdraw"');
    // who may list accounts filters by visitor
    expect(html).toContain('data-testid="visit-task-filter-assignee"');
  });

  it('leaves the row actions out for a grid worker, who may not manage tasks', () => {
    const html = render(<VisitTasksList filters={filters} onChange={() => undefined} />, (c) => {
      fill(c);
      asGridWorker(c);
    });
    expect(html).toContain('data-row-key="501"');
    expect(html).not.toContain('data-testid="visit-task-assign"');
    expect(html).not.toContain('data-testid="visit-task-withdraw"');
    expect(html).not.toContain('data-testid="visit-task-filter-assignee"');
  });
});

describe('VisitTaskDetailView', () => {
  it('shows who and why, the due time, the household, the visits, and the actions the server allows', () => {
    const html = render(<VisitTaskDetailView id={501} />, (c) => c.setQueryData(visitKeys.task(501), task));
    expect(html).toContain('张*英 · 独居老人');
    expect(html).toContain('王网格');
    expect(html).toContain('网格员');
    expect(html).toContain('高龄老人');
    expect(html).toContain('敲门无人应答');
    expect(html).toContain('data-outcome="not_home"');
    expect(html).toContain('href="/visits/records/900"');
    expect(html).toContain('href="/people/residents/77"');
    expect(html).toContain('href="/m/visits/501"');
    expect(html).toContain('data-testid="visit-task-detail-assign"');
    expect(html).toContain('data-testid="visit-task-detail-withdraw"');
  });

  it('offers nothing on a withdrawn task, and says why it was withdrawn', () => {
    const withdrawn: VisitTaskDetail = {
      ...task,
      status: 'withdrawn',
      overdue: false,
      withdrawnReason: 'moved_out',
      withdrawnAt: '2026-12-04T01:00:00.000Z',
      can: { visit: false, assign: false, withdraw: false },
    };
    const html = render(<VisitTaskDetailView id={501} />, (c) => c.setQueryData(visitKeys.task(501), withdrawn));
    expect(html).toContain('已迁出');
    expect(html).toContain('data-state="withdrawn"');
    for (const id of ['visit-task-detail-assign', 'visit-task-detail-withdraw', 'visit-task-phone-link']) {
      expect(html).not.toContain(`data-testid="${id}"`);
    }
  });
});

describe('VisitsList', () => {
  it('lists the visits with their outcome, task and case', () => {
    const filters = { page: 1, pageSize: 20 };
    const item: VisitListItem = { ...visit, caseId: 31 };
    const html = render(<VisitsList filters={filters} onChange={() => undefined} />, (c) =>
      c.setQueryData(visitKeys.visitList(toVisitListQuery(filters)), { items: [item], total: 1 }),
    );
    expect(html).toContain('data-row-key="901"');
    expect(html).toContain('需要帮助');
    expect(html).toContain('href="/visits/tasks/501"');
    expect(html).toContain('href="/cases/31"');
    expect(html).toContain('1 张');
  });
});

describe('VisitDetailView', () => {
  it('shows the photos and health, and offers a case for a visit that found need', () => {
    const html = render(<VisitDetailView id={901} />, (c) => c.setQueryData(visitKeys.visit(901), visit));
    expect(html).toContain('家中暖气不热');
    expect(html).toContain('150/95 mmHg');
    expect(html).toContain('88 次/分');
    expect(html).toContain('低落');
    expect(html).toContain('/api/files/AAAAAAAAAAAAAAAAAAAAAA/thumb');
    expect(html).toContain('data-testid="visit-open-case"');
  });

  it('links the case once opened, and offers none for a visit that found all well or a reader who does not visit', () => {
    const withCase = render(<VisitDetailView id={901} />, (c) =>
      c.setQueryData(visitKeys.visit(901), { ...visit, caseId: 31, caseNo: 'SJ20261205-000031' }),
    );
    expect(withCase).toContain('SJ20261205-000031');
    expect(withCase).toContain('href="/cases/31"');
    expect(withCase).not.toContain('data-testid="visit-open-case"');
    const well = render(<VisitDetailView id={901} />, (c) =>
      c.setQueryData(visitKeys.visit(901), { ...visit, outcome: 'well', health: null, files: [] }),
    );
    expect(well).not.toContain('data-testid="visit-open-case"');
    expect(well).toContain('未记录健康情况');
    const reader = render(<VisitDetailView id={901} />, (c) => {
      c.setQueryData(visitKeys.visit(901), visit);
      c.setQueryData(meQueryKey, { ...admin, permissions: ['visits.read'] });
    });
    expect(reader).not.toContain('data-testid="visit-open-case"');
  });
});

describe('VisitRulesSettings', () => {
  it('groups the rules 必到, 必访, 例行 with what each asks for, and offers generate now', () => {
    const html = render(<VisitRulesSettings />, (c) => c.setQueryData(visitKeys.rules(), [lonely, hospital, followUp]));
    const mustGo = html.indexOf('data-testid="visit-rules-must_go"');
    const mustVisit = html.indexOf('data-testid="visit-rules-must_visit"');
    const routine = html.indexOf('data-testid="visit-rules-routine"');
    expect(mustGo).toBeGreaterThan(-1);
    expect(mustGo).toBeLessThan(mustVisit);
    expect(mustVisit).toBeLessThan(routine);
    expect(html).toContain('独居老人 · 每 1 周一次');
    expect(html).toContain('居民新增标签 · 住院 · 48 小时内');
    // a follow-up names the rule it follows
    expect(html).toContain('“独居老人”走访结果为需要帮助');
    expect(html).toContain('href="/visits/tasks?ruleId=1"');
    expect(html).toContain('内置');
    expect(html).toContain('data-testid="visit-generate"');
    expect(html).toContain('data-testid="visit-rule-create"');
  });
});

describe('RuleFormFields', () => {
  const fill = (c: QueryClient) => {
    c.setQueryData(peopleKeys.tags(), { items: [] });
    c.setQueryData(caseKeys.categories(), []);
  };
  const fields = (values: ReturnType<typeof newRuleValues>, editing: VisitRule | null) =>
    render(
      <Form initialValues={values}>
        <RuleFormFields
          editing={editing}
          kind={values.kind}
          trigger={values.trigger ?? null}
          rules={[lonely, hospital, followUp]}
          onKindChange={() => undefined}
        />
      </Form>,
      fill,
    );

  it('asks a periodic rule for a tag and how often', () => {
    const html = fields(ruleToValues(lonely), lonely);
    expect(html).toContain('data-testid="rule-periodic-fields"');
    expect(html).toContain('data-testid="rule-every"');
    expect(html).not.toContain('data-testid="rule-event-fields"');
    // a built-in rule keeps its code and kind
    expect(html).toContain('内置规则可以修改参数或停用');
    expect(html).toMatch(/data-testid="rule-code"[^>]*disabled|disabled[^>]*data-testid="rule-code"/);
  });

  it('asks an event rule for its trigger, the trigger’s parameter and the hours', () => {
    const tag = fields({ ...newRuleValues('event'), trigger: 'tag_added' }, null);
    expect(tag).toContain('data-testid="rule-event-fields"');
    expect(tag).toContain('data-testid="rule-due-hours"');
    expect(tag).toContain('data-testid="rule-trigger-tag"');
    expect(tag).not.toContain('data-testid="rule-periodic-fields"');
    expect(tag).not.toContain('data-testid="rule-trigger-rule"');
    const follow = fields(ruleToValues(followUp), followUp);
    expect(follow).toContain('data-testid="rule-trigger-rule"');
    expect(follow).toContain('data-testid="rule-trigger-outcome"');
    expect(follow).not.toContain('data-testid="rule-trigger-tag"');
    const deceased = fields({ ...newRuleValues('event'), trigger: 'resident_deceased' }, null);
    expect(deceased).not.toContain('data-testid="rule-trigger-');
  });
});
