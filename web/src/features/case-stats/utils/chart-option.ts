import type { CaseStats } from '../../../api-types';

/** The chart's words, in the user's language. */
export type ChartLabels = { received: string; closed: string; overdue: string; onTimeRate: string };

/** At most this many groups are drawn (the busiest first); the table lists them all. */
export const MAX_BARS = 30;

/**
 * The ECharts option of the statistics chart: bars of received, closed and overdue per group, and the on-time rate
 * as a line on a percent axis. Months stay in order; other groupings draw the busiest groups (by received).
 */
export function statsChartOption(stats: Pick<CaseStats, 'groupBy' | 'items'>, labels: ChartLabels) {
  const items =
    stats.groupBy === 'month'
      ? stats.items
      : [...stats.items].sort((a, b) => b.received - a.received || b.due - a.due).slice(0, MAX_BARS);
  const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);
  return {
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid: { left: 48, right: 56, top: 40, bottom: 72 },
    xAxis: {
      type: 'category' as const,
      data: items.map((i) => i.label),
      axisLabel: { rotate: items.length > 8 ? 30 : 0, interval: 0 },
    },
    yAxis: [
      { type: 'value' as const, minInterval: 1 },
      { type: 'value' as const, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      { name: labels.received, type: 'bar' as const, data: items.map((i) => i.received) },
      { name: labels.closed, type: 'bar' as const, data: items.map((i) => i.closed) },
      { name: labels.overdue, type: 'bar' as const, data: items.map((i) => i.overdue) },
      {
        name: labels.onTimeRate,
        type: 'line' as const,
        yAxisIndex: 1,
        connectNulls: true,
        data: items.map((i) => percent(i.onTimeRate)),
      },
    ],
  };
}
