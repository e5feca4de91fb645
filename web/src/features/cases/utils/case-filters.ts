import type { CaseListQuery, CaseSource, CaseStage } from '../../../api-types';
import { shanghaiDayBound } from '../../../ui/time';

export const STAGES: readonly CaseStage[] = [
  'reported',
  'dispatched',
  'handling',
  'whistled',
  'escalated',
  'handled',
  'parked',
  'closed',
  'merged',
  'cancelled',
];
export const SOURCES: readonly CaseSource[] = ['resident', 'patrol', 'worker', 'open311', 'hotline', 'device', 'visit'];

/** The board's filters; kept in the page's address so that Back returns to the same board. */
export type CaseFilters = {
  stages?: CaseStage[];
  categoryId?: number;
  nodeId?: number;
  source?: CaseSource;
  /** 1 yellow or worse, 2 red; 'overdue' past a deadline. */
  alert?: 'yellow' | 'red' | 'overdue';
  /** Created from / to, calendar days (Asia/Shanghai). */
  from?: string;
  to?: string;
  q?: string;
};

export type BoardView = 'table' | 'kanban';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ALERTS = ['yellow', 'red', 'overdue'] as const;

function id(value: string | null): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

/** The query of GET /api/cases for filters (days become the Shanghai day's first and last instant). */
export function toCaseListQuery(f: CaseFilters, view: CaseListQuery['view'] = 'board'): CaseListQuery {
  const query: CaseListQuery = { view, limit: 50 };
  if (f.stages && f.stages.length > 0) query.stage = f.stages.join(',');
  if (f.categoryId) query.categoryId = f.categoryId;
  if (f.nodeId) query.nodeId = f.nodeId;
  if (f.source) query.source = f.source;
  if (f.alert === 'yellow') query.supervision = 1;
  if (f.alert === 'red') query.supervision = 2;
  if (f.alert === 'overdue') query.overdue = true;
  if (f.from) query.from = shanghaiDayBound(f.from, 'start');
  if (f.to) query.to = shanghaiDayBound(f.to, 'end');
  const q = f.q?.trim();
  if (q) query.q = q.slice(0, 50);
  return query;
}

/** Reads filters and the view from the page's address, ignoring anything malformed. */
export function filtersFromParams(params: URLSearchParams): { filters: CaseFilters; view: BoardView } {
  const stages = (params.get('stage') ?? '')
    .split(',')
    .filter((s): s is CaseStage => (STAGES as readonly string[]).includes(s));
  const source = params.get('source');
  const alert = params.get('alert');
  const from = params.get('from');
  const to = params.get('to');
  const filters: CaseFilters = {};
  if (stages.length > 0) filters.stages = [...new Set(stages)];
  const categoryId = id(params.get('categoryId'));
  if (categoryId) filters.categoryId = categoryId;
  const nodeId = id(params.get('nodeId'));
  if (nodeId) filters.nodeId = nodeId;
  const knownSource = SOURCES.find((s) => s === source);
  if (knownSource) filters.source = knownSource;
  const knownAlert = ALERTS.find((a) => a === alert);
  if (knownAlert) filters.alert = knownAlert;
  // the workbench's links say `overdue=true` (and `supervision=1|2`), as the API does
  else if (params.get('overdue') === 'true') filters.alert = 'overdue';
  else if (params.get('supervision') === '2') filters.alert = 'red';
  else if (params.get('supervision') === '1') filters.alert = 'yellow';
  if (from && DAY.test(from)) filters.from = from;
  if (to && DAY.test(to)) filters.to = to;
  const q = params.get('q')?.trim();
  if (q) filters.q = q;
  return { filters, view: params.get('view') === 'kanban' ? 'kanban' : 'table' };
}

/** The address form of filters: empty ones left out, so a plain board stays a plain `/cases`. */
export function filtersToParams(f: CaseFilters, view: BoardView): URLSearchParams {
  const params = new URLSearchParams();
  if (view === 'kanban') params.set('view', 'kanban');
  if (f.stages && f.stages.length > 0) params.set('stage', f.stages.join(','));
  if (f.categoryId) params.set('categoryId', String(f.categoryId));
  if (f.nodeId) params.set('nodeId', String(f.nodeId));
  if (f.source) params.set('source', f.source);
  if (f.alert) params.set('alert', f.alert);
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  if (f.q?.trim()) params.set('q', f.q.trim());
  return params;
}
