import type { MetricDef, TelemetrySeries } from '../../../api-types';
import { formatTime } from '../../../ui/time';

export type RangePreset = '24h' | '7d' | '30d' | 'custom';
export const RANGE_PRESETS: readonly RangePreset[] = ['24h', '7d', '30d', 'custom'];

const HOUR = 3_600_000;
const PRESET_MS: Record<Exclude<RangePreset, 'custom'>, number> = {
  '24h': 24 * HOUR,
  '7d': 7 * 24 * HOUR,
  '30d': 30 * 24 * HOUR,
};

/** The instants a preset covers, ending now (ISO strings for the telemetry query). */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, now: Date): { from: string; to: string } {
  return { from: new Date(now.getTime() - PRESET_MS[preset]).toISOString(), to: now.toISOString() };
}

/**
 * The range an alarm's readings are shown over: a day before it was first raised to two hours after its last
 * trigger, or now if that is sooner.
 */
export function alarmRange(firstAt: string, lastAt: string, now: Date): { from: string; to: string } {
  const from = new Date(new Date(firstAt).getTime() - 24 * HOUR);
  const to = new Date(Math.min(new Date(lastAt).getTime() + 2 * HOUR, now.getTime()));
  return { from: from.toISOString(), to: to.toISOString() };
}

/** An instant marked on the chart with a vertical line (an alarm raised). */
export type ChartMark = { at: string; label: string };

/** The chart's words, in the reader's language. */
export type TelemetryLabels = { value: string; avg: string; last: string; min: string; max: string; range: string };

type Point = TelemetrySeries['points'][number];

/** The line drawn for a point: the reading; for an hour, the average (a running total's last reading instead). */
export function lineValue(point: Point, resolution: TelemetrySeries['resolution'], cumulative: boolean): number {
  if (resolution === 'raw' || cumulative) return point.value;
  return point.avg ?? point.value;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

type TooltipParam = { dataIndex: number };

/**
 * The ECharts option of a device's telemetry chart on a time axis. Raw readings draw one line; hourly roll-ups draw
 * the hour's average (or, for a running total such as a water meter's register, its last reading) over a shaded
 * min–max band, built from two stacked series: the minimum (invisible) and the width of the band.
 */
export function telemetryChartOption(
  series: TelemetrySeries,
  metric: Pick<MetricDef, 'unit' | 'cumulative'> | undefined,
  labels: TelemetryLabels,
  marks: readonly ChartMark[] = [],
) {
  const cumulative = metric?.cumulative === true;
  const unit = series.unit || metric?.unit || '';
  const hourly = series.resolution === 'hour';
  const points = series.points;
  const lineName = hourly ? (cumulative ? labels.last : labels.avg) : labels.value;
  const line = {
    name: lineName,
    type: 'line' as const,
    showSymbol: points.length <= 60,
    z: 3,
    data: points.map((p) => [p.t, lineValue(p, series.resolution, cumulative)] as [string, number]),
    ...(marks.length > 0
      ? {
          markLine: {
            symbol: 'none',
            lineStyle: { color: '#cf1322', type: 'dashed' as const },
            label: { formatter: '{b}', color: '#cf1322' },
            data: marks.map((m) => ({ name: m.label, xAxis: m.at })),
          },
        }
      : {}),
  };
  const band = hourly
    ? [
        {
          name: labels.min,
          type: 'line' as const,
          stack: 'band',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          tooltip: { show: false },
          data: points.map((p) => [p.t, p.min ?? p.value] as [string, number]),
        },
        {
          name: labels.range,
          type: 'line' as const,
          stack: 'band',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          areaStyle: { color: 'rgba(22, 119, 255, 0.15)' },
          data: points.map((p) => [p.t, round((p.max ?? p.value) - (p.min ?? p.value))] as [string, number]),
        },
      ]
    : [];
  const withUnit = (v: number) => `${round(v)}${unit ? ` ${unit}` : ''}`;
  return {
    animation: false,
    tooltip: {
      trigger: 'axis' as const,
      formatter: (params: TooltipParam | TooltipParam[]) => {
        const first = Array.isArray(params) ? params[0] : params;
        const p = first ? points[first.dataIndex] : undefined;
        if (!p) return '';
        const rows = [formatTime(p.t), `${lineName}: ${withUnit(lineValue(p, series.resolution, cumulative))}`];
        if (hourly && p.min !== undefined && p.max !== undefined) {
          rows.push(`${labels.min}–${labels.max}: ${withUnit(p.min)} – ${withUnit(p.max)}`);
        }
        return rows.join('<br/>');
      },
    },
    legend: { top: 0, data: hourly ? [lineName, labels.range] : [lineName] },
    grid: { left: 56, right: 24, top: 36, bottom: 64 },
    xAxis: { type: 'time' as const },
    yAxis: { type: 'value' as const, name: unit, scale: true },
    dataZoom: [{ type: 'inside' as const }, { type: 'slider' as const, height: 20, bottom: 8 }],
    series: [...band, line],
  };
}
