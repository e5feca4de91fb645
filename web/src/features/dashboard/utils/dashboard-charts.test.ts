import { describe, expect, it } from 'vitest';
import { childrenOption, percent, pyramidOption, trendOption } from './dashboard-charts';
import { kpisOf, nodeParam } from './dashboard-view-model';
import { sample } from './sample-dashboard.fixture';

const labels = {
  male: '男',
  female: '女',
  created: '上报',
  closed: '结案',
  population: '人口',
  openCases: '待办事件',
  alarmsOpen: '预警',
};

describe('dashboard charts', () => {
  it('draws men to the left and women to the right of the pyramid', () => {
    const o = pyramidOption(sample, labels);
    expect(o.yAxis.data).toEqual(['0-17', '18-59', '60-79', '80+']);
    expect(o.series[0]!.data).toEqual([-10, -20, -30, -4]);
    expect(o.series[1]!.data).toEqual([11, 21, 31, 5]);
  });
  it('puts the children in the order of the answer, so a bar index is a child index', () => {
    const o = childrenOption(sample, labels);
    expect(o.xAxis.data).toEqual(['东关社区', '西关社区']);
    expect(o.series.map((s) => s.data)).toEqual([
      [1000, 234],
      [15, 2],
      [1, 0],
    ]);
  });
  it('labels months by year and month', () => {
    expect(trendOption(sample, labels).xAxis.data).toEqual(['26-12']);
  });
  it('formats rates and reads the node from the address', () => {
    expect(percent(0.5)).toBe('50.0%');
    expect(percent(null)).toBe('—');
    expect(nodeParam(new URLSearchParams('node=12'))).toBe(12);
    expect(nodeParam(new URLSearchParams('node=x'))).toBeUndefined();
    expect(nodeParam(new URLSearchParams(''))).toBeUndefined();
    expect(kpisOf(sample, (v) => `${v} h`).map((k) => k.key)).toContain('volunteerHours');
  });
});
