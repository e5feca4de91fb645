import type {
  GenerationResult,
  ItemList,
  VisitCaseCreate,
  VisitDetail,
  VisitListQuery,
  VisitPage,
  VisitRule,
  VisitRuleCreate,
  VisitRulePatch,
  VisitTaskAssign,
  VisitTaskDetail,
  VisitTaskListQuery,
  VisitTaskPage,
  VisitTaskWithdraw,
} from '../../../api-types';
import { api, type QueryValue } from '../../../ui/api';

/** What POST /api/visits/:id/case answers: at least the case opened (the visit as it now is, or the case's id). */
export type VisitCaseOpened = { caseId: number | null };

/** The grid-work API of the console's visit pages: rules (A's routes), tasks and visits (B's). */
export const visitsApi = {
  rules: (signal?: AbortSignal) => api.get<ItemList<VisitRule>>('/api/visit-rules', undefined, signal),
  createRule: (body: VisitRuleCreate) => api.post<VisitRule>('/api/visit-rules', body),
  updateRule: (id: number, body: VisitRulePatch) => api.patch<VisitRule>(`/api/visit-rules/${id}`, body),
  generate: () => api.post<GenerationResult>('/api/visit-rules/generate', {}),

  tasks: (query: VisitTaskListQuery, signal?: AbortSignal) =>
    api.get<VisitTaskPage>('/api/visit-tasks', query as Record<string, QueryValue>, signal),
  task: (id: number, signal?: AbortSignal) => api.get<VisitTaskDetail>(`/api/visit-tasks/${id}`, undefined, signal),
  assign: (id: number, body: VisitTaskAssign) => api.post<unknown>(`/api/visit-tasks/${id}/assign`, body),
  withdraw: (id: number, body: VisitTaskWithdraw) => api.post<unknown>(`/api/visit-tasks/${id}/withdraw`, body),

  visits: (query: VisitListQuery, signal?: AbortSignal) =>
    api.get<VisitPage>('/api/visits', query as Record<string, QueryValue>, signal),
  visit: (id: number, signal?: AbortSignal) => api.get<VisitDetail>(`/api/visits/${id}`, undefined, signal),
  openCase: (id: number, body: VisitCaseCreate) => api.post<VisitCaseOpened>(`/api/visits/${id}/case`, body),
};
