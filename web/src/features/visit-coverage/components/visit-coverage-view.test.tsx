import { describe, expect, it } from 'vitest';
import type { Coverage, Me, UnvisitedPage } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { visitCoverageKeys } from '../hooks/use-visit-coverage';
import { VisitCoverageView } from './visit-coverage-view';

const me = {
  permissions: ['visits.read', 'visits.do', 'visits.manage', 'org.read'],
  modules: ['visits', 'org'],
  posts: [{ nodeId: 3 }],
} as unknown as Me;

const figures = (required: number, doneOnTime: number, doneLate: number, overdue: number, visits: number) => ({
  required,
  doneOnTime,
  doneLate,
  overdue,
  onTimeRate: required ? doneOnTime / required : null,
  visits,
});

const coverage: Coverage = {
  nodeId: 3,
  nodeName: '东关社区',
  period: 'week',
  from: '2026-12-07',
  to: '2026-12-13',
  totals: { ...figures(6, 3, 1, 2, 3), households: 5, householdsUnvisited: 3 },
  rows: [
    {
      nodeId: 11,
      nodeName: '第一网格',
      nodeType: 'grid',
      ...figures(4, 2, 1, 1, 2),
      households: 4,
      householdsUnvisited: 2,
    },
    {
      nodeId: 12,
      nodeName: '第二网格',
      nodeType: 'grid',
      ...figures(0, 0, 0, 0, 0),
      households: 0,
      householdsUnvisited: 0,
    },
  ],
  workers: [
    { userId: 21, name: '张网格', ...figures(4, 2, 1, 1, 2) },
    { userId: null, name: '（未分配）', ...figures(1, 0, 0, 1, 0) },
  ],
};

const unvisited: UnvisitedPage = {
  items: [
    {
      householdId: 301,
      headName: '王*',
      placeLabel: '东关社区 / 第一网格 / 1号楼 / 1单元 0301',
      members: 3,
      lastVisitedAt: null,
    },
  ],
  total: 1,
};

failOnRenderWarnings();

describe('visit coverage page', () => {
  it('shows figures per grid with the rate, overdue links, totals, workers and the unvisited households', () => {
    const html = renderView(me, <VisitCoverageView />, (client) => {
      client.setQueryData(visitCoverageKeys.coverage({ period: 'week' }), coverage);
      client.setQueryData(visitCoverageKeys.unvisited({ months: 6, page: 1, pageSize: 20 }), unvisited);
    });
    expect(html).toContain('data-testid="coverage-rows"');
    expect(html).toContain('第一网格');
    expect(html).toContain('50.0%');
    // a grid with nothing required shows a dash, not 0 %
    expect(html).toContain('—');
    // overdue counts link to the task list of the area and period
    expect(html).toContain('/visits/tasks?status=overdue&amp;nodeId=11');
    expect(html).toContain('合计');
    expect(html).toContain('统计期间：2026-12-07 至 2026-12-13');
    expect(html).toContain('张网格');
    expect(html).toContain('（未分配）');
    expect(html).toContain('6个月未走访的户（户户到）');
    expect(html).toContain('王*');
    expect(html).toContain('从未走访');
  });

  it('shows a grid’s totals as a line when it has no rows below it', () => {
    const grid: Coverage = { ...coverage, nodeId: 11, nodeName: '第一网格', rows: [] };
    const html = renderView(me, <VisitCoverageView />, (client) => {
      client.setQueryData(visitCoverageKeys.coverage({ period: 'week' }), grid);
      client.setQueryData(visitCoverageKeys.unvisited({ months: 6, page: 1, pageSize: 20 }), unvisited);
    });
    expect(html).not.toContain('data-testid="coverage-rows"');
    expect(html).toContain('应访 6，按期完成 3，超期未访 2，按期率 50.0%；5 户中 3 户未走访');
  });
});
