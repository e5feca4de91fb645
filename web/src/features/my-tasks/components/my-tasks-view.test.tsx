import { describe, expect, it } from 'vitest';
import type { Me, MyTask, MyTasks } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { myTasksKeys } from '../hooks/use-my-tasks';
import { MyTasksView } from './my-tasks-view';

const me = { permissions: ['cases.handle', 'alarms.handle', 'visits.do'], modules: [], posts: [] } as unknown as Me;
const NOW = new Date('2026-03-01T08:00:00.000Z');

const task = (t: Partial<MyTask> & Pick<MyTask, 'kind' | 'id' | 'title'>): MyTask => ({
  key: `${t.kind}:${t.id}`,
  detail: null,
  action: '处理',
  dueAt: null,
  overdue: false,
  urgent: false,
  link: `/${t.kind}s/${t.id}`,
  mobileLink: `/m/${t.kind}s/${t.id}`,
  createdAt: '2026-02-01T00:00:00.000Z',
  ...t,
});

const mine: MyTasks = {
  items: [
    task({
      kind: 'visit',
      id: 5,
      title: '走访 张*明（独居老人 · 每周）',
      action: '走访',
      dueAt: '2026-03-01T05:00:00.000Z',
      overdue: true,
      link: '/visits/tasks/5',
      mobileLink: '/m/visits/5',
    }),
    task({
      kind: 'alarm',
      id: 9,
      title: '确认预警：心率 150 次/分（高于 120）',
      action: '确认',
      detail: '东关社区 / 第一网格 / 1号楼 · 赵*伯',
      dueAt: '2026-03-01T10:30:00.000Z',
      urgent: true,
    }),
    task({ kind: 'case', id: 7, title: '受理事件：楼道堆物', action: '受理', detail: 'SJ20260301-000007' }),
  ],
  counts: { total: 12, overdue: 1, byKind: { visit: 9, case: 2, alarm: 1 } },
};

failOnRenderWarnings();

describe('MyTasksView', () => {
  it('lists the tasks with kind chips and their counts, the overdue one in red, due times relative to now', () => {
    const html = renderView(me, <MyTasksView now={NOW} />, (c) => c.setQueryData(myTasksKeys.list(null, 200), mine));
    expect(html).toContain('data-testid="my-tasks-chips"');
    for (const [chip, label] of [
      ['all', '全部 12'],
      ['visit', '走访 9'],
      ['case', '事件 2'],
      ['alarm', '预警 1'],
    ]) {
      expect(html).toMatch(new RegExp(`data-testid="my-tasks-chip-${chip}"[^>]*>(<span>)?${label}<`));
    }
    expect(html).toContain('超期 1');
    const keys = [...html.matchAll(/data-task-key="([^"]+)"/g)].map((m) => m[1]);
    expect(keys).toEqual(['visit:5', 'alarm:9', 'case:7']);
    const dues = [...html.matchAll(/data-testid="my-task-due" data-overdue="(\w+)"[^>]*>(?:<strong>)?([^<]+)</g)].map(
      (m) => [m[1], m[2]],
    );
    expect(dues).toEqual([
      ['true', '超期 3 小时'],
      ['false', '2 小时后到期'],
      ['false', '无期限'],
    ]);
    expect(html).toMatch(/data-overdue="true" class="ant-typography ant-typography-danger/);
    expect(html).toContain('href="/visits/tasks/5"');
    expect(html).toContain('紧急');
    expect(html).toContain('东关社区 / 第一网格 / 1号楼 · 赵*伯');
    expect(html).toContain('另有 9 项未列出');
  });

  it('says so when nothing waits', () => {
    const empty: MyTasks = { items: [], counts: { total: 0, overdue: 0, byKind: {} } };
    const html = renderView(me, <MyTasksView now={NOW} />, (c) => c.setQueryData(myTasksKeys.list(null, 200), empty));
    expect(html).toContain('暂无待办任务');
    expect(html).not.toContain('data-task-key');
    expect(html).not.toContain('my-tasks-overdue');
  });
});
