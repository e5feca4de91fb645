import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AwayPut, DeviceCreate, DevicePatch, RuleOverridePut } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { devicesRegistryApi } from '../api/devices-registry-api';

/**
 * Query keys under ['devices', …] so that any change here refreshes the device list and page (helper D's
 * queries live under the same prefix).
 */
export const registryKeys = {
  all: ['devices'] as const,
  /** Names come in the caller's language. */
  types: (lang: string) => ['devices', 'types', 'registry', lang] as const,
  byResident: (residentId: number) => ['devices', 'by-resident', residentId] as const,
  detail: (id: number) => ['devices', 'detail', id] as const,
  away: (residentId: number) => ['devices', 'away', residentId] as const,
  overrides: (residentId: number) => ['devices', 'overrides', residentId] as const,
};

export function useDeviceTypes(enabled = true) {
  const lang = currentLanguage();
  return useQuery({
    queryKey: registryKeys.types(lang),
    queryFn: ({ signal }) => devicesRegistryApi.types(signal),
    select: (r) => r.items,
    enabled,
  });
}

export function useResidentDevices(residentId: number) {
  return useQuery({
    queryKey: registryKeys.byResident(residentId),
    queryFn: ({ signal }) => devicesRegistryApi.listByResident(residentId, signal),
  });
}

export function useDeviceDetails(ids: readonly number[]) {
  return useQuery({
    queryKey: ['devices', 'details', ...ids],
    queryFn: ({ signal }) => Promise.all(ids.map((id) => devicesRegistryApi.get(id, signal))),
    enabled: ids.length > 0,
  });
}

export function useAway(residentId: number, enabled: boolean) {
  return useQuery({
    queryKey: registryKeys.away(residentId),
    queryFn: ({ signal }) => devicesRegistryApi.away(residentId, signal),
    enabled,
  });
}

export function useRuleOverrides(residentId: number, enabled: boolean) {
  return useQuery({
    queryKey: registryKeys.overrides(residentId),
    queryFn: ({ signal }) => devicesRegistryApi.overrides(residentId, signal),
    select: (r) => r.items,
    enabled,
  });
}

/** A mutation that refreshes every device query (list, page, a resident's section) when it settles. */
function useDevicesMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: registryKeys.all }),
  });
}

export const useRegisterDevice = () => useDevicesMutation((body: DeviceCreate) => devicesRegistryApi.create(body));
export const useUpdateDevice = () =>
  useDevicesMutation((v: { id: number; body: DevicePatch }) => devicesRegistryApi.update(v.id, v.body));
export const useRotateCredentials = () => useDevicesMutation((id: number) => devicesRegistryApi.rotate(id));
export const useImportDevices = () => useDevicesMutation((file: File) => devicesRegistryApi.import(file));
export const useSetAway = () =>
  useDevicesMutation((v: { residentId: number; body: AwayPut }) => devicesRegistryApi.setAway(v.residentId, v.body));
export const useClearAway = () => useDevicesMutation((residentId: number) => devicesRegistryApi.clearAway(residentId));
export const usePutOverride = () =>
  useDevicesMutation((v: { residentId: number; ruleId: number; body: RuleOverridePut }) =>
    devicesRegistryApi.putOverride(v.residentId, v.ruleId, v.body),
  );
export const useRemoveOverride = () =>
  useDevicesMutation((v: { residentId: number; ruleId: number }) =>
    devicesRegistryApi.removeOverride(v.residentId, v.ruleId),
  );
