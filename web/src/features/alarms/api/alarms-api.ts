import type { AlarmCaseCreate, AlarmDetail, AlarmListQuery, AlarmPage, AlarmResolve } from '../../../api-types';
import { api, type QueryValue } from '../../../ui/api';

export const alarmsApi = {
  list: (query: AlarmListQuery, signal?: AbortSignal) =>
    api.get<AlarmPage>('/api/alarms', query as Record<string, QueryValue>, signal),
  get: (id: number, signal?: AbortSignal) => api.get<AlarmDetail>(`/api/alarms/${id}`, undefined, signal),
  acknowledge: (id: number, version?: number) =>
    api.post<AlarmDetail>(`/api/alarms/${id}/acknowledge`, version ? { version } : {}),
  resolve: (id: number, body: AlarmResolve) => api.post<AlarmDetail>(`/api/alarms/${id}/resolve`, body),
  note: (id: number, text: string) => api.post<AlarmDetail>(`/api/alarms/${id}/notes`, { text }),
  openCase: (id: number, body: AlarmCaseCreate) => api.post<{ caseId: number }>(`/api/alarms/${id}/case`, body),
};
