import { describe, expect, it } from 'vitest';
import type { Me, MetricCatalogueItem, MetricsResult } from '../../../api-types';
import { failOnRenderWarnings, renderView } from '../../../test/render-view';
import { metricsKeys } from '../hooks/use-metrics';
import { MetricsView } from './metrics-view';

const reader = {
  permissions: ['assessment.read', 'org.read'],
  modules: ['assessment', 'org'],
  posts: [{ nodeId: 3 }],
} as unknown as Me;
const admin = {
  permissions: ['assessment.read', 'assessment.config', 'org.read'],
  modules: ['assessment', 'org'],
  posts: [{ nodeId: null }],
} as unknown as Me;

const catalogue: MetricCatalogueItem[] = [
  {
    code: 'cases_received',
    kind: 'count',
    higherBetter: true,
    subjects: ['node'],
    label: '受理事件数',
    doc: '期内派遣到该网格的事件数',
  },
  {
    code: 'cases_on_time_rate',
    kind: 'rate',
    higherBetter: true,
    subjects: ['node'],
    label: '按时办结率',
    doc: '期内办结的事件中按时办结的比例',
  },
];

const fig = (metric: string, num: number | null, den: number | null, value: number | null, link: string | null) => ({
  metric,
  num,
  den,
  value,
  link,
});

const result: MetricsResult = {
  periodKind: 'month',
  periodStart: '2026-03-01',
  periodEnd: '2026-03-31',
  metrics: ['cases_received', 'cases_on_time_rate'],
  node: { id: 3, name: '东关社区', type: 'community' },
  breadcrumb: [
    { id: 1, name: '泗源县', type: 'county' },
    { id: 3, name: '东关社区', type: 'community' },
  ],
  self: {
    subjectKind: 'node',
    subjectId: 3,
    name: '东关社区',
    type: 'community',
    figures: [
      fig('cases_received', 3, null, 3, '/cases?nodeId=3&from=2026-03-01&to=2026-03-31'),
      fig('cases_on_time_rate', 2, 4, 0.5, null),
    ],
  },
  children: [
    {
      subjectKind: 'node',
      subjectId: 11,
      name: '第一网格',
      type: 'grid',
      figures: [
        fig('cases_received', 2, null, 2, '/cases?nodeId=11&from=2026-03-01&to=2026-03-31'),
        fig('cases_on_time_rate', 1, 3, 1 / 3, null),
      ],
    },
    {
      subjectKind: 'node',
      subjectId: 12,
      name: '第二网格',
      type: 'grid',
      figures: [fig('cases_received', 0, null, 0, null), fig('cases_on_time_rate', null, null, null, null)],
    },
  ],
  refreshedAt: '2026-04-01T19:00:00.000Z',
};

failOnRenderWarnings();

describe('metrics page', () => {
  const initial = { periodKind: 'month' as const, periodStart: '2026-03-01' };
  const fill = (client: Parameters<NonNullable<Parameters<typeof renderView>[2]>>[0]) => {
    client.setQueryData(metricsKeys.catalogue, { items: catalogue });
    client.setQueryData(metricsKeys.table({ periodKind: 'month', periodStart: '2026-03-01' }), result);
  };

  it('shows the children × metrics with rates as percentages, totals, links, docs and the refresh time', () => {
    const html = renderView(reader, <MetricsView initial={initial} />, fill);
    expect(html).toContain('data-testid="metrics-rows"');
    expect(html).toContain('第一网格');
    expect(html).toContain('33.3%');
    expect(html).toContain('50.0%');
    expect(html).toContain('东关社区（合计）');
    // a figure links to the list behind it; a rate with nothing measured is a dash
    expect(html).toContain('href="/cases?nodeId=11&amp;from=2026-03-01&amp;to=2026-03-31"');
    expect(html).toContain('—');
    expect(html).toContain('按时办结率');
    expect(html).toContain('泗源县');
    expect(html).toContain('计算时间');
    // a reader has no refresh button
    expect(html).not.toContain('刷新');
  });

  it('offers the refresh to an administrator', () => {
    const html = renderView(admin, <MetricsView initial={initial} />, fill);
    expect(html).toContain('刷新');
  });
});
