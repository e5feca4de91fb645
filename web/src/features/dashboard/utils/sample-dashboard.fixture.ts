import type { Dashboard } from '../../../api-types';

/** A dashboard answer for the view and chart tests (a street with two communities). */
const fig = (value: number | null, link: string | null = null) => ({ value, link });

export const sample: Dashboard = {
  node: {
    id: 2,
    name: '泗源街道',
    type: 'street',
    crumbs: [
      { id: 1, name: '泗源县', type: 'county', clickable: false },
      { id: 2, name: '泗源街道', type: 'street', clickable: true },
    ],
  },
  today: '2026-12-07',
  lastMonth: '2026-11',
  population: {
    residents: fig(1234, '/people?nodeId=2'),
    households: fig(456, '/people/buildings?nodeId=2'),
    houses: fig(500, '/people/buildings?nodeId=2'),
    ageBands: [
      { band: '0-17', min: 0, max: 17, male: fig(10), female: fig(11) },
      { band: '18-59', min: 18, max: 59, male: fig(20), female: fig(21) },
      { band: '60-79', min: 60, max: 79, male: fig(30), female: fig(31) },
      { band: '80+', min: 80, max: null, male: fig(4), female: fig(5) },
    ],
    groups: [{ code: 'aged_80', name: '高龄老人', sensitive: false, value: 9, link: '/people?nodeId=2&tag=aged_80' }],
  },
  cases: {
    open: fig(17, '/cases?nodeId=2&stage=reported%2Chandling'),
    overdue: fig(3, '/cases?nodeId=2&alert=overdue'),
    byStage: [{ stage: 'reported', name: '待受理', value: 12, link: '/cases?nodeId=2&stage=reported' }],
    byCategory: [{ id: 7, name: '环境卫生', value: 17, link: '/cases?nodeId=2&categoryId=7' }],
    months: [{ month: '2026-12', created: 5, closed: 2 }],
    onTimeRate: { value: 0.875, source: 'metric', link: null },
  },
  visits: {
    coverage: { value: null, source: 'none', link: null },
    tasksOverdue: fig(2, '/visits/tasks?status=overdue&nodeId=2'),
  },
  alarms: {
    open: fig(1, '/alarms?nodeId=2'),
    byKind: [],
    raised30d: fig(4),
    ackRate: { value: 0.5, source: 'computed', link: null },
  },
  points: { issued: { value: 800, source: 'computed', link: '/points' } },
  volunteerHours: { value: 12.5, source: 'computed', link: null },
  rankings: {
    scheme: { id: 1, name: '网格月考核', subject: 'grid', periodStart: '2026-11-01' },
    top: [{ name: '第一网格', total: 95, rank: 1, groupSize: 3 }],
    bottom: [{ name: '第三网格', total: 60, rank: 3, groupSize: 3 }],
  },
  children: [
    {
      id: 3,
      name: '东关社区',
      type: 'community',
      population: 1000,
      openCases: 15,
      overdue: 2,
      coverage: 0.5,
      alarmsOpen: 1,
    },
    {
      id: 4,
      name: '西关社区',
      type: 'community',
      population: 234,
      openCases: 2,
      overdue: 1,
      coverage: null,
      alarmsOpen: 0,
    },
  ],
};
