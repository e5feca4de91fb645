import { afterEach, describe, expect, it, vi } from 'vitest';
import { isApiError } from '../../../ui/api';
import { fieldPath } from '../../../ui/form-errors';
import { RULE_FIELDS } from '../utils/rule-form';
import { visitsApi } from './visits-api';

type Call = { url: string; method: string; body: unknown };

/** fetch answering `status` with `body`, recording what was asked. */
function mockFetch(status: number, body: unknown): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      body: typeof init.body === 'string' ? JSON.parse(init.body) : null,
    });
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('visitsApi', () => {
  it('asks for tasks with the filters as query parameters', async () => {
    const calls = mockFetch(200, { items: [], total: 0, counts: { open: 0, overdue: 0, dueThisWeek: 0 } });
    await visitsApi.tasks({ status: 'overdue', nodeId: 42, mine: true, page: 2, pageSize: 20 });
    expect(calls).toEqual([
      { url: '/api/visit-tasks?status=overdue&nodeId=42&mine=true&page=2&pageSize=20', method: 'GET', body: null },
    ]);
  });

  it('posts the reassign, withdraw, case and generation bodies the schemas pin', async () => {
    const calls = mockFetch(200, {});
    await visitsApi.assign(5, { assigneeId: 9 });
    await visitsApi.withdraw(5, { note: '已统一走访' });
    await visitsApi.openCase(7, { categoryId: 3 });
    await visitsApi.generate();
    await visitsApi.updateRule(1, { version: 2, enabled: false });
    expect(calls).toEqual([
      { url: '/api/visit-tasks/5/assign', method: 'POST', body: { assigneeId: 9 } },
      { url: '/api/visit-tasks/5/withdraw', method: 'POST', body: { note: '已统一走访' } },
      { url: '/api/visits/7/case', method: 'POST', body: { categoryId: 3 } },
      { url: '/api/visit-rules/generate', method: 'POST', body: {} },
      { url: '/api/visit-rules/1', method: 'PATCH', body: { version: 2, enabled: false } },
    ]);
  });

  it('hands a refusal over with the field it names, which the rule drawer knows', async () => {
    mockFetch(400, {
      code: 'VISIT_RULE_CYCLE',
      message: '规则之间形成了循环：a → b → a',
      field: 'triggerRuleId',
    });
    const error = await visitsApi.updateRule(1, { version: 2, triggerRuleId: 2 }).catch((e: unknown) => e);
    expect(isApiError(error)).toBe(true);
    if (!isApiError(error)) return;
    expect(error.status).toBe(400);
    expect(error.message).toBe('规则之间形成了循环：a → b → a');
    const [head] = fieldPath(error.field ?? '');
    expect(RULE_FIELDS).toContain(head);
  });
});
