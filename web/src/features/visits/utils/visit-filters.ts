import type { VisitListQuery, VisitOutcome, VisitRuleCategory, VisitTaskListQuery } from '../../../api-types';
import { shanghaiDayBound } from '../../../ui/time';
import { RULE_CATEGORIES, VISIT_OUTCOMES } from './visit-labels';

/** The task list's status filter: the server's four, or everything ('all'). */
export type TaskStatusFilter = NonNullable<VisitTaskListQuery['status']> | 'all';
export const TASK_STATUS_FILTERS: readonly TaskStatusFilter[] = ['open', 'overdue', 'done', 'withdrawn', 'all'];

export const DEFAULT_PAGE_SIZE = 20;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function positive(value: string | null, max = 1e15): number | undefined {
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && n <= max ? n : undefined;
}

function paging(params: URLSearchParams): { page: number; pageSize: number } {
  return {
    page: positive(params.get('page'), 100000) ?? 1,
    pageSize: positive(params.get('pageSize'), 200) ?? DEFAULT_PAGE_SIZE,
  };
}

function setPaging(params: URLSearchParams, f: { page: number; pageSize: number }) {
  if (f.page > 1) params.set('page', String(f.page));
  if (f.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(f.pageSize));
}

// ---- tasks ----------------------------------------------------------------------------------------------------

/** 走访任务's filters, kept in the page's address (the coverage page links `?status=overdue&nodeId=…`). */
export type TaskFilters = {
  status: TaskStatusFilter;
  ruleId?: number;
  category?: VisitRuleCategory;
  assigneeId?: number;
  nodeId?: number;
  /** Only the reader's own tasks. */
  mine?: boolean;
  page: number;
  pageSize: number;
};

export function toTaskListQuery(f: TaskFilters): VisitTaskListQuery {
  const query: VisitTaskListQuery = { page: f.page, pageSize: f.pageSize };
  if (f.status !== 'all') query.status = f.status;
  if (f.ruleId) query.ruleId = f.ruleId;
  if (f.category) query.category = f.category;
  if (f.assigneeId) query.assigneeId = f.assigneeId;
  if (f.nodeId) query.nodeId = f.nodeId;
  if (f.mine) query.mine = true;
  return query;
}

/** Reads filters from the address, ignoring anything malformed; the list opens on open tasks. */
export function taskFiltersFromParams(params: URLSearchParams): TaskFilters {
  const filters: TaskFilters = {
    status: TASK_STATUS_FILTERS.find((s) => s === params.get('status')) ?? 'open',
    ...paging(params),
  };
  const ruleId = positive(params.get('ruleId'));
  if (ruleId) filters.ruleId = ruleId;
  const category = RULE_CATEGORIES.find((c) => c === params.get('category'));
  if (category) filters.category = category;
  const assigneeId = positive(params.get('assigneeId'));
  if (assigneeId) filters.assigneeId = assigneeId;
  const nodeId = positive(params.get('nodeId'));
  if (nodeId) filters.nodeId = nodeId;
  if (params.get('mine') === 'true') filters.mine = true;
  return filters;
}

/** The address form: defaults left out, so the plain list stays a plain `/visits/tasks`. */
export function taskFiltersToParams(f: TaskFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.status !== 'open') params.set('status', f.status);
  if (f.ruleId) params.set('ruleId', String(f.ruleId));
  if (f.category) params.set('category', f.category);
  if (f.assigneeId) params.set('assigneeId', String(f.assigneeId));
  if (f.nodeId) params.set('nodeId', String(f.nodeId));
  if (f.mine) params.set('mine', 'true');
  setPaging(params, f);
  return params;
}

// ---- visits ---------------------------------------------------------------------------------------------------

/** 走访记录's filters, kept in the address. */
export type VisitFilters = {
  outcome?: VisitOutcome;
  nodeId?: number;
  visitorId?: number;
  taskId?: number;
  /** Visited from / to, calendar days (Asia/Shanghai). */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
};

export function toVisitListQuery(f: VisitFilters): VisitListQuery {
  const query: VisitListQuery = { page: f.page, pageSize: f.pageSize };
  if (f.outcome) query.outcome = f.outcome;
  if (f.nodeId) query.nodeId = f.nodeId;
  if (f.visitorId) query.visitorId = f.visitorId;
  if (f.taskId) query.taskId = f.taskId;
  if (f.from) query.from = shanghaiDayBound(f.from, 'start');
  if (f.to) query.to = shanghaiDayBound(f.to, 'end');
  return query;
}

export function visitFiltersFromParams(params: URLSearchParams): VisitFilters {
  const filters: VisitFilters = paging(params);
  const outcome = VISIT_OUTCOMES.find((o) => o === params.get('outcome'));
  if (outcome) filters.outcome = outcome;
  for (const key of ['nodeId', 'visitorId', 'taskId'] as const) {
    const id = positive(params.get(key));
    if (id) filters[key] = id;
  }
  const from = params.get('from');
  const to = params.get('to');
  if (from && DAY.test(from)) filters.from = from;
  if (to && DAY.test(to)) filters.to = to;
  return filters;
}

export function visitFiltersToParams(f: VisitFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.outcome) params.set('outcome', f.outcome);
  if (f.nodeId) params.set('nodeId', String(f.nodeId));
  if (f.visitorId) params.set('visitorId', String(f.visitorId));
  if (f.taskId) params.set('taskId', String(f.taskId));
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  setPaging(params, f);
  return params;
}

/** A change of any filter but the page goes back to the first page; an emptied task status means all. */
export function withFilter<
  F extends { page: number; pageSize: number },
  K extends Exclude<keyof F, 'page' | 'pageSize'>,
>(f: F, key: K, value: F[K] | null | undefined): F {
  const { [key]: _dropped, ...rest } = f;
  const next = { ...rest, page: 1 } as unknown as F;
  if (value === undefined || value === null || value === '' || value === false)
    return key === 'status' ? ({ ...next, status: 'all' } as F) : next;
  return { ...next, [key]: value };
}
