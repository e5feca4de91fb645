import { describe, expect, it } from 'vitest';
import type { TelemetrySeries } from '../../../api-types';
import { alarmRange, lineValue, presetRange, telemetryChartOption } from './telemetry-chart';

const labels = { value: '读数', avg: '小时平均', last: '小时末读数', min: '最低', max: '最高', range: '最低–最高' };

const raw: TelemetrySeries = {
  deviceId: 7,
  metric: 'heart_rate',
  unit: 'bpm',
  resolution: 'raw',
  points: [
    { t: '2026-12-07T01:00:00.000Z', value: 72 },
    { t: '2026-12-07T01:01:00.000Z', value: 130 },
  ],
  used: null,
  truncated: false,
};

const hourly: TelemetrySeries = {
  ...raw,
  resolution: 'hour',
  points: [
    { t: '2026-12-07T01:00:00.000Z', value: 70, min: 60, max: 90, avg: 74.5 },
    { t: '2026-12-07T02:00:00.000Z', value: 80, min: 65.1, max: 130.2, avg: 88 },
  ],
};

describe('presetRange', () => {
  it('ends now and reaches back the preset', () => {
    const now = new Date('2026-12-07T05:00:00.000Z');
    expect(presetRange('24h', now)).toEqual({ from: '2026-12-06T05:00:00.000Z', to: '2026-12-07T05:00:00.000Z' });
    expect(presetRange('7d', now).from).toBe('2026-11-30T05:00:00.000Z');
    expect(presetRange('30d', now).from).toBe('2026-11-07T05:00:00.000Z');
  });
});

describe('telemetryChartOption', () => {
  it('draws raw readings as one line on a time axis, with the unit on the value axis', () => {
    const o = telemetryChartOption(raw, { unit: 'bpm' }, labels);
    expect(o.xAxis.type).toBe('time');
    expect(o.yAxis.name).toBe('bpm');
    expect(o.series).toHaveLength(1);
    expect(o.series[0]).toMatchObject({
      name: '读数',
      type: 'line',
      data: [
        ['2026-12-07T01:00:00.000Z', 72],
        ['2026-12-07T01:01:00.000Z', 130],
      ],
    });
    expect(o.legend.data).toEqual(['读数']);
  });

  it('draws hourly roll-ups as the average over a stacked min–max band', () => {
    const o = telemetryChartOption(hourly, { unit: 'bpm' }, labels);
    expect(o.series.map((s) => s.name)).toEqual(['最低', '最低–最高', '小时平均']);
    const [low, width, line] = o.series;
    expect(low).toMatchObject({
      stack: 'band',
      data: [
        ['2026-12-07T01:00:00.000Z', 60],
        ['2026-12-07T02:00:00.000Z', 65.1],
      ],
    });
    // the band's width is max − min, stacked on the minimum, so its top edge is the maximum
    expect(width).toMatchObject({
      stack: 'band',
      data: [
        ['2026-12-07T01:00:00.000Z', 30],
        ['2026-12-07T02:00:00.000Z', 65.1],
      ],
    });
    expect(width).toHaveProperty('areaStyle');
    expect(line?.data).toEqual([
      ['2026-12-07T01:00:00.000Z', 74.5],
      ['2026-12-07T02:00:00.000Z', 88],
    ]);
    expect(o.legend.data).toEqual(['小时平均', '最低–最高']);
  });

  it('follows a running total by its last reading of the hour', () => {
    const meter: TelemetrySeries = { ...hourly, metric: 'total_l', unit: 'L', used: 20 };
    const o = telemetryChartOption(meter, { unit: 'L', cumulative: true }, labels);
    expect(o.series.at(-1)).toMatchObject({
      name: '小时末读数',
      data: [
        ['2026-12-07T01:00:00.000Z', 70],
        ['2026-12-07T02:00:00.000Z', 80],
      ],
    });
  });

  it('explains a point in the tooltip with the hour’s range', () => {
    const o = telemetryChartOption(hourly, { unit: 'bpm' }, labels);
    const text = o.tooltip.formatter([{ dataIndex: 1 }]);
    expect(text).toBe('2026-12-07 10:00:00<br/>小时平均: 88 bpm<br/>最低–最高: 65.1 bpm – 130.2 bpm');
    expect(o.tooltip.formatter([{ dataIndex: 9 }])).toBe('');
  });
});

describe('lineValue', () => {
  it('takes the reading, the hour’s average, or a running total’s last reading', () => {
    const p = { t: '2026-12-07T01:00:00.000Z', value: 5, avg: 3 };
    expect(lineValue(p, 'raw', false)).toBe(5);
    expect(lineValue(p, 'hour', false)).toBe(3);
    expect(lineValue(p, 'hour', true)).toBe(5);
    expect(lineValue({ t: p.t, value: 5 }, 'hour', false)).toBe(5);
  });
});

describe('alarmRange', () => {
  it('opens a day before the alarm and two hours after its last trigger', () => {
    const now = new Date('2026-12-08T00:00:00.000Z');
    expect(alarmRange('2026-12-07T01:00:00.000Z', '2026-12-07T03:00:00.000Z', now)).toEqual({
      from: '2026-12-06T01:00:00.000Z',
      to: '2026-12-07T05:00:00.000Z',
    });
  });

  it('never reaches past now', () => {
    const now = new Date('2026-12-07T03:30:00.000Z');
    expect(alarmRange('2026-12-07T01:00:00.000Z', '2026-12-07T03:00:00.000Z', now).to).toBe(now.toISOString());
  });
});

describe('telemetryChartOption marks', () => {
  it('draws an alarm as a dashed vertical line on the reading line, and nothing without marks', () => {
    const marked = telemetryChartOption(raw, { unit: 'bpm' }, labels, [
      { at: '2026-12-07T01:01:00.000Z', label: '触发预警' },
    ]);
    expect(marked.series.at(-1)).toMatchObject({
      markLine: { symbol: 'none', data: [{ name: '触发预警', xAxis: '2026-12-07T01:01:00.000Z' }] },
    });
    expect(telemetryChartOption(raw, { unit: 'bpm' }, labels).series.at(-1)).not.toHaveProperty('markLine');
  });
});
