import { describe, expect, it } from 'vitest';
import type { Dashboard, Me } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { dashboardKeys } from '../hooks/use-dashboard';
import { sample } from '../utils/sample-dashboard.fixture';
import { DashboardView } from './dashboard-view';

const me = {
  permissions: ['dashboard.read', 'people.read', 'cases.read'],
  modules: ['dashboard', 'people', 'cases'],
  posts: [{ nodeId: 2 }],
} as unknown as Me;

failOnRenderWarnings();

describe('dashboard page', () => {
  it('shows the KPI cards with their list links, the breadcrumb, the children table with drill links and rankings', () => {
    const html = renderView(me, <DashboardView nodeId={2} />, (client) =>
      client.setQueryData(dashboardKeys.node({ nodeId: 2 }), sample),
    );
    // KPI cards link to the lists behind them
    expect(html).toContain('data-testid="kpi-residents"');
    expect(html).toContain('href="/people?nodeId=2"');
    expect(html).toContain('href="/cases?nodeId=2&amp;alert=overdue"');
    expect(html).toContain('87.5%');
    // a rate without data shows a dash and says so
    expect(html).toContain('暂无数据');
    expect(html).toContain('12.5 小时');
    // the breadcrumb: the county is not the caller's (no link), the node itself is the current crumb
    expect(html).toContain('泗源县');
    expect(html).not.toContain('href="/dashboard?node=1"');
    // children: each row opens the child's dashboard
    expect(html).toContain('data-testid="dashboard-children"');
    expect(html).toContain('href="/dashboard?node=3"');
    expect(html).toContain('href="/dashboard?node=4"');
    expect(html).toContain('50.0%');
    // special groups link to the people list by tag
    expect(html).toContain('href="/people?nodeId=2&amp;tag=aged_80"');
    // rankings
    expect(html).toContain('网格月考核');
    expect(html).toContain('第一网格');
    expect(html).toContain('95 分');
  });

  it('without children shows no drill-down table and without scores says so', () => {
    const d: Dashboard = { ...sample, children: [], rankings: null };
    const html = renderView(me, <DashboardView nodeId={2} />, (client) =>
      client.setQueryData(dashboardKeys.node({ nodeId: 2 }), d),
    );
    expect(html).not.toContain('data-testid="dashboard-children"');
    expect(html).toContain('暂无考核得分');
  });
});
