import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateCategoryBody,
  OverrideBody,
  UpdateCategoryBody,
  UpdateStageBody,
  WorkPeriod,
} from '../../../api-types';
import { casesSettingsApi } from '../api/cases-settings-api';

const calendarKey = (year: number) => ['cases', 'calendar', year] as const;

export function useWorkCalendar(year: number) {
  return useQuery({
    queryKey: calendarKey(year),
    queryFn: ({ signal }) => casesSettingsApi.calendar(year, signal),
  });
}

/** Every edit of the calendar refreshes every year shown (a warning for next year may change). */
function useCalendarMutation<V>(fn: (v: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['cases', 'calendar'] }),
  });
}

export const useSetOverride = () =>
  useCalendarMutation((v: { date: string; body: OverrideBody }) => casesSettingsApi.setOverride(v.date, v.body));
export const useRemoveOverride = () => useCalendarMutation((date: string) => casesSettingsApi.removeOverride(date));
export const useSetPeriods = () => useCalendarMutation((periods: WorkPeriod[]) => casesSettingsApi.setPeriods(periods));

/** Categories and stages are read through the board's queries (['cases', 'categories' | 'stages', lang]). */
function useConfigMutation<V>(prefix: 'categories' | 'stages', fn: (v: V) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['cases', prefix] }),
  });
}

export const useCreateCategory = () =>
  useConfigMutation('categories', (body: CreateCategoryBody) => casesSettingsApi.createCategory(body));
export const useUpdateCategory = () =>
  useConfigMutation('categories', (v: { id: number; body: UpdateCategoryBody }) =>
    casesSettingsApi.updateCategory(v.id, v.body),
  );
export const useUpdateStage = () =>
  useConfigMutation('stages', (v: { code: string; body: UpdateStageBody }) =>
    casesSettingsApi.updateStage(v.code, v.body),
  );
