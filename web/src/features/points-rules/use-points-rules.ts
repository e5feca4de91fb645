import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type {
  GarbageCheckinCreate as GarbageCheckinCreateSchema,
  GarbageCheckin as GarbageCheckinSchema,
} from '../../../../server/src/modules/points/garbage.schemas';
import type {
  EarningRuleCreate as EarningRuleCreateSchema,
  EarningRulePatch as EarningRulePatchSchema,
  EarningRuleView as EarningRuleViewSchema,
  PointsSettingsPut as PointsSettingsPutSchema,
  PointsSettingsView as PointsSettingsViewSchema,
} from '../../../../server/src/modules/points/rules.schemas';
import { api, apiRequest } from '../../ui/api';

export type EarningRule = Static<typeof EarningRuleViewSchema>;
export type EarningRuleCreate = Static<typeof EarningRuleCreateSchema>;
export type EarningRulePatch = Static<typeof EarningRulePatchSchema>;
export type PointsSettings = Static<typeof PointsSettingsViewSchema>;
export type PointsSettingsPut = Static<typeof PointsSettingsPutSchema>;
export type GarbageCheckin = Static<typeof GarbageCheckinSchema>;
export type GarbageCheckinCreate = Static<typeof GarbageCheckinCreateSchema>;

export const EARN_TRIGGERS = [
  'case_confirmed',
  'visit_done',
  'garbage_checkin',
  'volunteer_hour',
  'activity',
  'manual',
] as const;

export const pointsKeys = {
  rules: ['points', 'rules'] as const,
  settings: ['points', 'settings'] as const,
  checkins: ['points', 'garbage-checkins'] as const,
};

export function useEarningRules() {
  return useQuery({
    queryKey: pointsKeys.rules,
    queryFn: ({ signal }) =>
      api.get<{ items: EarningRule[] }>('/api/points/rules', undefined, signal).then((r) => r.items),
  });
}

export function usePointsSettings(enabled = true) {
  return useQuery({
    queryKey: pointsKeys.settings,
    queryFn: ({ signal }) => api.get<PointsSettings>('/api/points/settings', undefined, signal),
    enabled,
  });
}

function useRefresh(key: readonly string[]) {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: key });
}

export function useSaveEarningRule() {
  const refresh = useRefresh(pointsKeys.rules);
  return useMutation({
    mutationFn: (v: { id: number; body: EarningRulePatch } | { id: null; body: EarningRuleCreate }) =>
      v.id === null
        ? api.post<EarningRule>('/api/points/rules', v.body)
        : api.patch<EarningRule>(`/api/points/rules/${v.id}`, v.body),
    onSuccess: refresh,
    onError: refresh,
  });
}

export function useToggleEarningRule() {
  const refresh = useRefresh(pointsKeys.rules);
  return useMutation({
    mutationFn: ({ rule, enabled }: { rule: EarningRule; enabled: boolean }) =>
      api.post<EarningRule>(`/api/points/rules/${rule.id}/${enabled ? 'enable' : 'disable'}`, {
        version: rule.version,
      }),
    onSuccess: refresh,
    onError: refresh,
  });
}

export function useSavePointsSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PointsSettingsPut) =>
      apiRequest<PointsSettings>('/api/points/settings', { method: 'PUT', body }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: pointsKeys.settings });
      void client.invalidateQueries({ queryKey: pointsKeys.rules });
    },
  });
}

export function useGarbageCheckins(query: { from?: string } = {}, enabled = true) {
  return useQuery({
    queryKey: [...pointsKeys.checkins, query],
    queryFn: ({ signal }) =>
      api.get<{ items: GarbageCheckin[] }>('/api/points/garbage-checkins', query, signal).then((r) => r.items),
    enabled,
  });
}

export function useRecordCheckin() {
  const refresh = useRefresh(pointsKeys.checkins);
  return useMutation({
    mutationFn: (body: GarbageCheckinCreate) => api.post<GarbageCheckin>('/api/points/garbage-checkins', body),
    onSuccess: refresh,
  });
}
