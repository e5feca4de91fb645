import type { QueryClient } from '@tanstack/react-query';
import { List } from 'antd-mobile';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import type { CaseCategory } from '../cases/case-types';
import { phoneCaseKeys } from '../cases/use-phone-cases';
import { MobileLinksPage } from './mobile-links-page';
import { HelpCase, VisitTaskView } from './mobile-visit-page';
import { MobileVisitsPage, VisitQueueView } from './mobile-visits-page';
import { fromListItem, phoneVisitKeys } from './use-phone-visits';
import { enqueue, settle } from './visit-queue';
import type { MyLinks, VisitDetail, VisitTaskDetail, VisitTaskListItem, VisitTaskPage } from './visit-types';
import { VisitsEntries } from './visits-entry';

const worker = {
  user: {
    id: 5,
    username: 'wangge',
    displayName: '张网格',
    locale: 'zh-CN',
    mustChangePassword: false,
    residentId: null,
  },
  permissions: ['visits.read', 'visits.do', 'people.read', 'cases.handle'],
  modules: ['visits', 'people', 'cases'],
  posts: [{ nodeId: 3, nodeType: 'grid', nodeName: '第一网格', role: 'grid_worker' }],
  notice: null,
} as unknown as Me;

const HOUR = 3_600_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();

const task = (id: number, over: Partial<VisitTaskListItem> = {}): VisitTaskListItem => ({
  id,
  ruleId: 1,
  ruleName: '独居老人',
  category: 'routine',
  status: 'open',
  overdue: false,
  residentId: 100 + id,
  residentName: `王*${id}`,
  householdId: 200 + id,
  placeLabel: `东关社区 / 第一网格 / 1号楼 / 1单元 030${id}`,
  nodeId: 9,
  assigneeId: 5,
  assigneeName: '张网格',
  assigneeKind: 'grid_worker',
  reason: '独居老人 · 每周',
  periodStart: '2026-12-07',
  dueAt: at(30 * 24 * HOUR),
  attempts: 0,
  doneAt: null,
  withdrawnReason: null,
  createdAt: at(-HOUR),
  ...over,
});

const page = (items: VisitTaskListItem[]): VisitTaskPage => ({
  items,
  total: items.length,
  counts: { open: items.length, overdue: items.filter((t) => t.overdue).length, dueThisWeek: 0 },
});

const render = (node: ReactNode, fill: (client: QueryClient) => void = () => undefined) =>
  renderView(worker, node, fill);

failOnRenderWarnings();

describe('the phone’s visit task list', () => {
  it('lists the worker’s open tasks, overdue first, each card opening its task', () => {
    const html = render(<MobileVisitsPage />, (c) =>
      c.setQueryData(
        phoneVisitKeys.mine(),
        page([
          task(1),
          task(2, { overdue: true, dueAt: at(-24 * HOUR), category: 'must_visit', reason: '住院 · 12月5日' }),
        ]),
      ),
    );
    expect(html).toContain('data-testid="m-visits"');
    expect(html).toContain('data-testid="m-visit-group-overdue"');
    expect(html).toContain('已逾期 · 1');
    expect(html).toContain('data-testid="m-visit-group-later"');
    // the overdue one comes first, marked
    expect(html.indexOf('data-task-id="2"')).toBeLessThan(html.indexOf('data-task-id="1"'));
    expect(html).toMatch(/data-task-id="2" data-overdue="true"/);
    expect(html).toContain('王*2');
    expect(html).toContain('住院 · 12月5日');
    expect(html).toContain('必访');
    // nothing queued on this phone: no 待发送 bar
    expect(html).not.toContain('m-visit-queue');
  });

  it('says so when there is nothing to visit', () => {
    const html = render(<MobileVisitsPage />, (c) => c.setQueryData(phoneVisitKeys.mine(), page([])));
    expect(html).toContain('暂无走访任务');
    expect(html).not.toContain('m-visit-card');
  });
});

describe('the queue of visits waiting to be sent', () => {
  it('shows the count, a waiting visit, and a refused one with the server’s message, to send again or delete', () => {
    let queue = enqueue([], { clientId: 'a', taskId: 1, visitedAt: at(-HOUR), outcome: 'well' }, '王*1 · 1号楼');
    queue = enqueue(queue, { clientId: 'b', taskId: 2, visitedAt: at(-HOUR), outcome: 'not_home' }, '王*2 · 2号楼');
    queue = settle(queue, {
      clientId: 'b',
      kind: 'refused',
      error: { status: 409, code: 'VISIT_TASK_CLOSED', message: '该走访任务已结束' },
    });
    const html = render(<VisitQueueView queue={queue} />);
    expect(html).toContain('2 条待发送');
    expect(html).toMatch(/data-client-id="a" data-refused="false"/);
    expect(html).toMatch(/data-client-id="b" data-refused="true"/);
    expect(html).toContain('见面安好 · 王*1 · 1号楼');
    expect(html).toContain('未能发送：该走访任务已结束');
    // only the refused one offers 重新发送 and 删除
    expect(html.match(/m-visit-queued-retry/g)).toHaveLength(1);
    expect(html.match(/m-visit-queued-discard/g)).toHaveLength(1);
  });

  it('shows nothing when the queue is empty', () => {
    expect(render(<VisitQueueView queue={[]} />)).not.toContain('m-visit-queue');
  });
});

const detail = (over: Partial<VisitTaskDetail> = {}): VisitTaskDetail => ({
  ...fromListItem(task(1)),
  ruleCode: 'lonely_weekly',
  members: [{ id: 101, name: '王*1', age: 82, relation: '户主', tags: ['独居老人'] }],
  can: { visit: true, assign: false, withdraw: false },
  ...over,
});

describe('the visit form', () => {
  it('offers the three outcomes as big buttons, none chosen, and 提交 waits for one', () => {
    const html = render(<VisitTaskView task={detail()} onDone={() => undefined} />);
    expect(html).toMatch(/data-testid="m-visit" data-task-id="1" data-status="open"/);
    for (const [o, label] of [
      ['well', '见面安好'],
      ['needs_help', '需要帮助'],
      ['not_home', '未遇'],
    ]) {
      expect(html).toContain(`data-testid="m-visit-outcome-${o}" data-selected="false"`);
      expect(html).toContain(label);
    }
    const submit = html.slice(html.lastIndexOf('<button', html.indexOf('m-visit-submit')));
    expect(submit).toMatch(/^<button[^>]*disabled/);
    expect(html).toContain('请先选择走访结果');
    expect(html).toContain('data-testid="m-visit-photos"');
    expect(html).toContain('健康观察（可选）');
    // the household's members, for the visitor
    expect(html).toContain('data-testid="m-visit-members"');
    expect(html).toContain('82 岁');
    expect(html).toContain('独居老人');
  });

  it('works from the list’s row alone (offline, the detail never came)', () => {
    const html = render(<VisitTaskView task={fromListItem(task(3))} onDone={() => undefined} />);
    expect(html).toContain('data-testid="m-visit-form"');
    expect(html).toContain('王*3');
    expect(html).not.toContain('m-visit-members');
  });

  it('shows a closed task as done, without a form', () => {
    const html = render(
      <VisitTaskView
        task={detail({ status: 'done', doneAt: at(-HOUR), can: { visit: false, assign: false, withdraw: false } })}
        onDone={() => undefined}
      />,
    );
    expect(html).toContain('data-status="done"');
    expect(html).toContain('已完成');
    expect(html).not.toContain('m-visit-form');
  });
});

const category = (id: number, code: string, name: string, over: Partial<CaseCategory> = {}): CaseCategory =>
  ({
    id,
    parentId: null,
    code,
    nameZh: name,
    nameEn: code,
    name,
    description: null,
    class: 'community',
    urgent: false,
    active: true,
    sort: id,
    ...over,
  }) as CaseCategory;

describe('需要帮助 → 生成事件', () => {
  it('offers the case in one tap with 养老助残 chosen already', () => {
    const visit = { id: 77, caseId: null } as unknown as VisitDetail;
    const html = render(<HelpCase visit={visit} onDone={() => undefined} />, (c) =>
      c.setQueryData(phoneCaseKeys.categories(), [
        category(1, 'env', '环境卫生'),
        category(2, 'env.garbage', '垃圾清运', { parentId: 1 }),
        category(3, 'dispute', '邻里纠纷'),
        category(4, 'care', '养老助残'),
        category(5, 'ev.fire', '火情', { class: 'event' }),
      ]),
    );
    expect(html).toContain('data-visit-id="77"');
    expect(html).toContain('已记录：需要帮助');
    // leaves of the community categories only; 养老助残 is the active choice
    expect(html).toContain('垃圾清运');
    expect(html).not.toContain('环境卫生');
    expect(html).not.toContain('火情');
    expect(html).toMatch(/adm-selector-item-active[^"]*"[^>]*>(<[^>]+>)*养老助残/);
    expect(html.match(/adm-selector-item-active/g)).toHaveLength(1);
    expect(html).toContain('data-testid="m-visit-case-submit"');
    expect(html).toContain('生成事件');
  });
});

describe('我的联户 and the home entry', () => {
  const links: MyLinks = {
    items: [
      {
        link: {
          id: 8,
          kind: 'party_household',
          communityId: 2,
          communityName: '东关社区',
          userId: 5,
          userName: '刘志愿',
          residentId: null,
          nodeId: null,
          householdId: 301,
          targetLabel: '1号楼 1单元 0301 张*明户',
          validFrom: '2026-01-01',
          validTo: null,
          active: true,
          note: null,
          createdAt: at(-HOUR),
          endedAt: null,
        },
        households: [
          { householdId: 301, headName: '张*明', placeLabel: '1号楼 1单元 0301', members: 3, lastVisitedAt: null },
        ],
      },
    ],
  };

  it('lists the linked households, each with 走访', () => {
    const html = render(<MobileLinksPage />, (c) => c.setQueryData(phoneVisitKeys.links(), links));
    expect(html).toContain('党员联户 · 1号楼 1单元 0301 张*明户');
    expect(html).toContain('data-household-id="301"');
    expect(html).toContain('张*明');
    expect(html).toContain('3 人 · 从未走访');
    expect(html).toContain('data-testid="m-link-visit"');
  });

  it('says so when the caller is linked to nobody', () => {
    const html = render(<MobileLinksPage />, (c) => c.setQueryData(phoneVisitKeys.links(), { items: [] }));
    expect(html).toContain('暂无联系的住户');
  });

  it('shows 走访 with the open and overdue counts, and 我的联户 for a linked worker', () => {
    const html = render(
      <List>
        <VisitsEntries />
      </List>,
      (c) => {
        c.setQueryData(phoneVisitKeys.links(), links);
        c.setQueryData(phoneVisitKeys.counts(), {
          items: [],
          total: 3,
          counts: { open: 3, overdue: 1, dueThisWeek: 2 },
        });
      },
    );
    expect(html).toContain('data-testid="m-entry-visits"');
    expect(html).toContain('3 项待走访，1 项已逾期');
    expect(html).toContain('data-testid="m-entry-links"');
  });

  it('shows nothing to someone who neither visits nor is linked', () => {
    const resident = { ...worker, permissions: [], modules: ['cases'] } as unknown as Me;
    const html = renderView(
      resident,
      <List>
        <VisitsEntries />
      </List>,
      (c) => c.setQueryData(phoneVisitKeys.links(), { items: [] }),
    );
    expect(html).not.toContain('m-entry-visits');
    expect(html).not.toContain('m-entry-links');
  });
});
