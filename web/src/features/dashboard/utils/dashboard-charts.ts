import type { Dashboard } from '../../../api-types';

/**
 * ECharts options of the dashboard, built from the answer (pure: tested without a canvas). `dark` is the big
 * screen's palette. Labels come in already translated.
 */

type Labels = {
  male: string;
  female: string;
  created: string;
  closed: string;
  population: string;
  openCases: string;
  alarmsOpen: string;
};

const text = (dark: boolean) => (dark ? '#cfe3ff' : '#333');
const axis = (dark: boolean) => ({
  axisLabel: { color: text(dark) },
  axisLine: { lineStyle: { color: dark ? '#4a6a9a' : '#ccc' } },
  splitLine: { lineStyle: { color: dark ? '#1f3557' : '#eee' } },
});

/** '75.0%' of a 0–1 rate, '—' when there is none. */
export function percent(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}

/** Population pyramid: men to the left (negative bars, shown as positive), women to the right, per age band. */
export function pyramidOption(d: Dashboard, l: Labels, dark = false) {
  const bands = d.population.ageBands;
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: [l.male, l.female], textStyle: { color: text(dark) } },
    grid: { left: 60, right: 30, top: 36, bottom: 24 },
    xAxis: {
      type: 'value',
      ...axis(dark),
      axisLabel: { color: text(dark), formatter: (v: number) => String(Math.abs(v)) },
    },
    yAxis: { type: 'category', data: bands.map((b) => b.band), ...axis(dark) },
    series: [
      {
        name: l.male,
        type: 'bar',
        stack: 'pop',
        data: bands.map((b) => -(b.male.value ?? 0)),
        label: { show: true, position: 'left', formatter: (p: { value: number }) => String(Math.abs(p.value)) },
        itemStyle: { color: '#4e8cff' },
      },
      {
        name: l.female,
        type: 'bar',
        stack: 'pop',
        data: bands.map((b) => b.female.value ?? 0),
        label: { show: true, position: 'right' },
        itemStyle: { color: '#ff7a9a' },
      },
    ],
  };
}

/** A horizontal bar of named counts (special groups, categories, alarm kinds). */
export function barOption(items: { name: string; value: number | null }[], dark = false, color = '#36cfc9') {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 110, right: 40, top: 10, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1, ...axis(dark) },
    yAxis: { type: 'category', inverse: true, data: items.map((i) => i.name), ...axis(dark) },
    series: [
      {
        type: 'bar',
        data: items.map((i) => i.value ?? 0),
        label: { show: true, position: 'right' },
        itemStyle: { color },
      },
    ],
  };
}

/** Open cases by stage as a ring. */
export function stagePieOption(d: Dashboard, dark = false) {
  return {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, textStyle: { color: text(dark) } },
    series: [
      {
        type: 'pie',
        radius: ['40%', '68%'],
        center: ['50%', '44%'],
        label: { color: text(dark), formatter: '{b}: {c}' },
        data: d.cases.byStage.map((s) => ({ name: s.name, value: s.value ?? 0 })),
      },
    ],
  };
}

/** Cases reported and closed per month (12 months). */
export function trendOption(d: Dashboard, l: Labels, dark = false) {
  const months = d.cases.months;
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: [l.created, l.closed], textStyle: { color: text(dark) } },
    grid: { left: 40, right: 20, top: 36, bottom: 24 },
    xAxis: { type: 'category', data: months.map((m) => m.month.slice(2)), ...axis(dark) },
    yAxis: { type: 'value', minInterval: 1, ...axis(dark) },
    series: [
      {
        name: l.created,
        type: 'line',
        smooth: true,
        data: months.map((m) => m.created),
        itemStyle: { color: '#faad14' },
      },
      {
        name: l.closed,
        type: 'line',
        smooth: true,
        data: months.map((m) => m.closed),
        itemStyle: { color: '#52c41a' },
      },
    ],
  };
}

/** The children's population, open cases and open alarms; a click on a bar drills down (by its index). */
export function childrenOption(d: Dashboard, l: Labels, dark = false) {
  const c = d.children;
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: [l.population, l.openCases, l.alarmsOpen], textStyle: { color: text(dark) } },
    grid: { left: 50, right: 50, top: 36, bottom: 40 },
    xAxis: {
      type: 'category',
      data: c.map((x) => x.name),
      ...axis(dark),
      axisLabel: { color: text(dark), interval: 0, rotate: c.length > 6 ? 30 : 0 },
    },
    yAxis: [
      { type: 'value', minInterval: 1, ...axis(dark) },
      { type: 'value', minInterval: 1, ...axis(dark), splitLine: { show: false } },
    ],
    series: [
      {
        name: l.population,
        type: 'bar',
        data: c.map((x) => x.population),
        itemStyle: { color: '#4e8cff' },
        cursor: 'pointer',
      },
      {
        name: l.openCases,
        type: 'bar',
        yAxisIndex: 1,
        data: c.map((x) => x.openCases),
        itemStyle: { color: '#faad14' },
        cursor: 'pointer',
      },
      {
        name: l.alarmsOpen,
        type: 'bar',
        yAxisIndex: 1,
        data: c.map((x) => x.alarmsOpen),
        itemStyle: { color: '#ff4d4f' },
        cursor: 'pointer',
      },
    ],
  };
}
