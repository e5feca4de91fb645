import { describe, expect, it } from 'vitest';
import type { CaseStatsItem } from '../../../api-types';
import { MAX_BARS, statsChartOption } from './chart-option';

const item = (key: string, received: number, onTimeRate: number | null = null): CaseStatsItem => ({
  key,
  label: `组${key}`,
  received,
  opened: 0,
  due: 0,
  closed: 1,
  closedOnTime: 0,
  onTimeRate,
  rework: 0,
  overdue: 2,
  supervised: 0,
  ratingCount: 0,
  satisfaction: null,
});
const labels = { received: '受理', closed: '结案', overdue: '超期', onTimeRate: '按期结案率' };

describe('statsChartOption', () => {
  it('draws the busiest groups first, and the on-time rate in percent on the second axis', () => {
    const o = statsChartOption({ groupBy: 'grid', items: [item('a', 1, 0.6667), item('b', 5, null)] }, labels);
    expect(o.xAxis.data).toEqual(['组b', '组a']);
    expect(o.series.map((s) => s.name)).toEqual(['受理', '结案', '超期', '按期结案率']);
    expect(o.series[0]!.data).toEqual([5, 1]);
    expect(o.series[3]).toMatchObject({ yAxisIndex: 1, data: [null, 66.7] });
  });

  it('keeps months in order and caps other groupings', () => {
    const months = statsChartOption({ groupBy: 'month', items: [item('2025-01', 1), item('2025-02', 9)] }, labels);
    expect(months.xAxis.data).toEqual(['组2025-01', '组2025-02']);
    const many = Array.from({ length: MAX_BARS + 5 }, (_, i) => item(String(i), i));
    expect(statsChartOption({ groupBy: 'grid', items: many }, labels).xAxis.data).toHaveLength(MAX_BARS);
  });
});
