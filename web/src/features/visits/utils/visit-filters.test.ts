import { describe, expect, it } from 'vitest';
import {
  type TaskFilters,
  taskFiltersFromParams,
  taskFiltersToParams,
  toTaskListQuery,
  toVisitListQuery,
  type VisitFilters,
  visitFiltersFromParams,
  visitFiltersToParams,
  withFilter,
} from './visit-filters';

describe('task filters', () => {
  it('open on open tasks, and read the coverage page’s overdue link', () => {
    expect(taskFiltersFromParams(new URLSearchParams(''))).toEqual({ status: 'open', page: 1, pageSize: 20 });
    expect(taskFiltersFromParams(new URLSearchParams('status=overdue&nodeId=42'))).toEqual({
      status: 'overdue',
      nodeId: 42,
      page: 1,
      pageSize: 20,
    });
  });

  it('ignore malformed values', () => {
    const f = taskFiltersFromParams(
      new URLSearchParams('status=late&ruleId=x&category=other&assigneeId=-3&nodeId=0&page=0&pageSize=999&mine=1'),
    );
    expect(f).toEqual({ status: 'open', page: 1, pageSize: 20 });
  });

  it('round-trip through the address, defaults left out', () => {
    const f: TaskFilters = {
      status: 'all',
      ruleId: 3,
      category: 'must_visit',
      assigneeId: 9,
      nodeId: 12,
      mine: true,
      page: 2,
      pageSize: 50,
    };
    expect(taskFiltersFromParams(taskFiltersToParams(f))).toEqual(f);
    expect(taskFiltersToParams({ status: 'open', page: 1, pageSize: 20 }).toString()).toBe('');
  });

  it('become the server’s query: all sends no status', () => {
    expect(toTaskListQuery({ status: 'all', category: 'routine', page: 1, pageSize: 20 })).toEqual({
      category: 'routine',
      page: 1,
      pageSize: 20,
    });
    expect(toTaskListQuery({ status: 'overdue', mine: true, page: 3, pageSize: 20 })).toEqual({
      status: 'overdue',
      mine: true,
      page: 3,
      pageSize: 20,
    });
  });

  it('go back to the first page on a change, and to all statuses when the status is cleared', () => {
    const f: TaskFilters = { status: 'done', ruleId: 3, page: 4, pageSize: 20 };
    expect(withFilter(f, 'ruleId', 5)).toEqual({ status: 'done', ruleId: 5, page: 1, pageSize: 20 });
    expect(withFilter(f, 'ruleId', undefined)).toEqual({ status: 'done', page: 1, pageSize: 20 });
    expect(withFilter(f, 'status', null)).toEqual({ status: 'all', ruleId: 3, page: 1, pageSize: 20 });
  });
});

describe('visit filters', () => {
  it('round-trip through the address and become the server’s query with Shanghai days', () => {
    const f: VisitFilters = {
      outcome: 'needs_help',
      nodeId: 7,
      visitorId: 4,
      taskId: 11,
      from: '2026-12-01',
      to: '2026-12-07',
      page: 1,
      pageSize: 20,
    };
    expect(visitFiltersFromParams(visitFiltersToParams(f))).toEqual(f);
    expect(toVisitListQuery(f)).toEqual({
      outcome: 'needs_help',
      nodeId: 7,
      visitorId: 4,
      taskId: 11,
      from: '2026-11-30T16:00:00.000Z',
      to: '2026-12-07T15:59:59.999Z',
      page: 1,
      pageSize: 20,
    });
  });

  it('ignore malformed values', () => {
    expect(visitFiltersFromParams(new URLSearchParams('outcome=fine&from=yesterday&taskId=abc'))).toEqual({
      page: 1,
      pageSize: 20,
    });
  });
});
