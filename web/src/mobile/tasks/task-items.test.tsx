import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Me, MyTasks } from '../../api-types';
import { myTasksKeys } from '../../features/my-tasks/hooks/use-my-tasks';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { MyTaskList } from './task-items';

// antd-mobile's CommonJS build does not load under node (it imports its CSS): plain stand-ins render what the
// list passes them (titles, descriptions, data attributes), which is what these tests check.
vi.mock('antd-mobile', () => {
  type P = { children?: ReactNode; [k: string]: unknown };
  const data = (p: P) => Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith('data-')));
  const Item = (p: P & { prefix?: ReactNode; description?: ReactNode; extra?: ReactNode }) => (
    <div {...data(p)}>
      {p.prefix}
      {p.children}
      <div>{p.description}</div>
      {p.extra}
    </div>
  );
  const List = Object.assign((p: P) => <div {...data(p)}>{p.children}</div>, { Item });
  const Tab = (p: P & { title?: ReactNode }) => <span>{p.title}</span>;
  const CapsuleTabs = Object.assign((p: P) => <div>{p.children}</div>, { Tab });
  return {
    List,
    CapsuleTabs,
    Tag: (p: P) => <span>{p.children}</span>,
    ErrorBlock: (p: P & { title?: ReactNode }) => <div>{p.title}</div>,
    SpinLoading: () => <span>…</span>,
  };
});

const me = { permissions: ['cases.handle', 'visits.do'], modules: ['cases', 'visits'], posts: [] } as unknown as Me;
const NOW = new Date('2026-03-01T08:00:00.000Z');

const mine: MyTasks = {
  items: [
    {
      key: 'visit:5',
      kind: 'visit',
      id: 5,
      title: '走访 张*明（独居老人 · 每周）',
      detail: '1号楼 101',
      action: '走访',
      dueAt: '2026-02-27T08:00:00.000Z',
      overdue: true,
      urgent: false,
      link: '/visits/tasks/5',
      mobileLink: '/m/visits/5',
      createdAt: '2026-02-20T00:00:00.000Z',
    },
    {
      key: 'case:7',
      kind: 'case',
      id: 7,
      title: '受理事件：楼道堆物',
      detail: null,
      action: '受理',
      dueAt: null,
      overdue: false,
      urgent: true,
      link: '/cases/7',
      mobileLink: '/m/cases/7',
      createdAt: '2026-02-28T00:00:00.000Z',
    },
  ],
  counts: { total: 4, overdue: 1, byKind: { visit: 3, case: 1 } },
};

failOnRenderWarnings();

describe('MyTaskList (phone)', () => {
  it('lists every kind by deadline with the kind switch’s counts, the overdue one in red, cases marked for their page', () => {
    const html = renderView(me, <MyTaskList now={NOW} />, (c) => c.setQueryData(myTasksKeys.list(null, 100), mine));
    for (const [k, label] of [
      ['all', '全部 4'],
      ['visit', '走访 3'],
      ['case', '事件 1'],
      ['alarm', '预警 0'],
    ]) {
      expect(html).toContain(`data-testid="m-tasks-kind-${k}">${label}<`);
    }
    expect(html).toContain('超期 1');
    expect([...html.matchAll(/data-task-key="([^"]+)"/g)].map((m) => m[1])).toEqual(['visit:5', 'case:7']);
    expect(html).toMatch(/data-task-key="case:7"[^>]*data-case-id="7"|data-case-id="7"[^>]*data-task-key="case:7"/);
    expect(html).toMatch(/class="m-task-late" data-testid="m-task-due" data-overdue="true">超期 2 天</);
    expect(html).toContain('data-overdue="false">无期限<');
    expect(html).toContain('紧急');
  });

  it('says so when nothing waits', () => {
    const empty: MyTasks = { items: [], counts: { total: 0, overdue: 0, byKind: {} } };
    const html = renderView(me, <MyTaskList now={NOW} />, (c) => c.setQueryData(myTasksKeys.list(null, 100), empty));
    expect(html).toContain('暂无待办任务');
    expect(html).not.toContain('data-task-key');
  });
});
