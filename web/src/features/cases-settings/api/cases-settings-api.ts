import type {
  CalendarDayView,
  CalendarViewBody,
  CaseCategory,
  CaseStageInfo,
  CreateCategoryBody,
  OverrideBody,
  UpdateCategoryBody,
  UpdateStageBody,
  WorkPeriod,
} from '../../../api-types';
import { api, apiRequest } from '../../../ui/api';

/** 事件设置: the working calendar, categories and stage names (system administrators). */
export const casesSettingsApi = {
  calendar: (year: number, signal?: AbortSignal) => api.get<CalendarViewBody>('/api/cases/calendar', { year }, signal),
  setOverride: (date: string, body: OverrideBody) =>
    apiRequest<CalendarDayView>(`/api/cases/calendar/overrides/${date}`, { method: 'PUT', body }),
  removeOverride: (date: string) => api.delete<{ ok: boolean }>(`/api/cases/calendar/overrides/${date}`),
  setPeriods: (periods: WorkPeriod[]) =>
    apiRequest<{ periods: WorkPeriod[] }>('/api/cases/calendar/periods', { method: 'PUT', body: { periods } }),
  createCategory: (body: CreateCategoryBody) => api.post<CaseCategory>('/api/cases/categories', body),
  updateCategory: (id: number, body: UpdateCategoryBody) =>
    api.patch<CaseCategory>(`/api/cases/categories/${id}`, body),
  updateStage: (code: string, body: UpdateStageBody) => api.patch<CaseStageInfo>(`/api/cases/stages/${code}`, body),
};
