import type { Dashboard } from '../../../api-types';
import { percent } from './dashboard-charts';

/** One KPI card: its key (for i18n and tests), the value shown, and the list behind it. */
export type KpiKey =
  | 'residents'
  | 'households'
  | 'openCases'
  | 'overdue'
  | 'onTimeRate'
  | 'coverage'
  | 'alarmsOpen'
  | 'points'
  | 'volunteerHours';
export type Kpi = { key: KpiKey; value: string; link: string | null; hint?: 'metric' | 'computed' | 'none' };

const count = (v: number | null) => (v === null ? '—' : v.toLocaleString('zh-CN'));

/** The KPI cards, in the order the page shows them. */
export function kpisOf(d: Dashboard, hours: (value: string) => string): Kpi[] {
  return [
    { key: 'residents', value: count(d.population.residents.value), link: d.population.residents.link },
    { key: 'households', value: count(d.population.households.value), link: d.population.households.link },
    { key: 'openCases', value: count(d.cases.open.value), link: d.cases.open.link },
    { key: 'overdue', value: count(d.cases.overdue.value), link: d.cases.overdue.link },
    {
      key: 'onTimeRate',
      value: percent(d.cases.onTimeRate.value),
      link: d.cases.onTimeRate.link,
      hint: d.cases.onTimeRate.source,
    },
    {
      key: 'coverage',
      value: percent(d.visits.coverage.value),
      link: d.visits.coverage.link,
      hint: d.visits.coverage.source,
    },
    { key: 'alarmsOpen', value: count(d.alarms.open.value), link: d.alarms.open.link },
    { key: 'points', value: count(d.points.issued.value), link: d.points.issued.link, hint: d.points.issued.source },
    {
      key: 'volunteerHours',
      value: d.volunteerHours.value === null ? '—' : hours(String(d.volunteerHours.value)),
      link: d.volunteerHours.link,
      hint: d.volunteerHours.source,
    },
  ];
}

/** The dashboard address of a node. */
export const dashboardPath = (id: number) => `/dashboard?node=${id}`;
export const bigScreenPath = (id: number) => `/big-screen?node=${id}`;

/** `?node=` of an address, when it is a plausible id. */
export function nodeParam(params: URLSearchParams): number | undefined {
  const raw = params.get('node');
  if (!raw || !/^\d{1,15}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n > 0 ? n : undefined;
}
