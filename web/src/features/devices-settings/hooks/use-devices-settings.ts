import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DeviceRuleCreate, DeviceRulePatch, DeviceTypeCreate, DeviceTypePatch } from '../../../api-types';
import { useDeviceTypes } from '../../devices-registry/hooks/use-devices-registry';
import { devicesSettingsApi } from '../api/devices-settings-api';

/** The types are the registry's query (['devices', 'types', 'registry', lang]): one list for the form and the settings. */
export { useDeviceTypes };

export const rulesKey = (typeCode: string) => ['devices', 'rules', typeCode] as const;

export function useDeviceRules(typeCode: string | null) {
  return useQuery({
    queryKey: rulesKey(typeCode ?? ''),
    queryFn: ({ signal }) => devicesSettingsApi.rules(typeCode ?? '', signal),
    select: (r) => r.items,
    enabled: typeCode !== null,
  });
}

/** Types and rules shape every device page (rules in effect), so every device query is refreshed. */
function useSettingsMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['devices'] }),
  });
}

export const useCreateDeviceType = () =>
  useSettingsMutation((body: DeviceTypeCreate) => devicesSettingsApi.createType(body));
export const useUpdateDeviceType = () =>
  useSettingsMutation((v: { code: string; body: DeviceTypePatch }) => devicesSettingsApi.updateType(v.code, v.body));
export const useCreateDeviceRule = () =>
  useSettingsMutation((body: DeviceRuleCreate) => devicesSettingsApi.createRule(body));
export const useUpdateDeviceRule = () =>
  useSettingsMutation((v: { id: number; body: DeviceRulePatch }) => devicesSettingsApi.updateRule(v.id, v.body));
