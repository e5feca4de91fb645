import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { DeviceListQuery, TelemetryQuery } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { subscribeTopic } from '../../../ui/live-topics';
import { fileNameFromDisposition, saveBlob } from '../../reports/utils/download';
import { type DeadLetterQuery, devicesApi } from '../api/devices-api';

/**
 * Online means heard from lately: without a live `devices` frame the lists still move on once a minute, so a device
 * that went quiet shows offline without a reload.
 */
const ONLINE_REFRESH_MS = 60_000;

/** Type, rule and place names come in the reader's language, so the language is part of the keys. */
export const deviceKeys = {
  all: ['devices'] as const,
  types: () => ['devices', 'types', currentLanguage()] as const,
  buildings: (nodeId?: number) => ['devices', 'buildings', nodeId ?? null, currentLanguage()] as const,
  lists: ['devices', 'list'] as const,
  list: (query: DeviceListQuery) => ['devices', 'list', currentLanguage(), query] as const,
  details: (id: number) => ['devices', 'detail', id] as const,
  detail: (id: number) => ['devices', 'detail', id, currentLanguage()] as const,
  telemetry: (id: number, query: TelemetryQuery) => ['devices', 'telemetry', id, query] as const,
  deadLetters: (query: DeadLetterQuery) => ['devices', 'dead-letters', query] as const,
};

export function useDeviceTypes() {
  return useQuery({
    queryKey: deviceKeys.types(),
    queryFn: ({ signal }) => devicesApi.types(signal).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

export function useDeviceBuildings(nodeId?: number) {
  return useQuery({
    queryKey: deviceKeys.buildings(nodeId),
    queryFn: ({ signal }) => devicesApi.buildings(nodeId, signal).then((r) => r.items),
    refetchInterval: ONLINE_REFRESH_MS,
  });
}

export function useDeviceList(query: DeviceListQuery, enabled = true) {
  return useQuery({
    queryKey: deviceKeys.list(query),
    queryFn: ({ signal }) => devicesApi.list(query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: ONLINE_REFRESH_MS,
    enabled,
  });
}

export function useDevice(id: number | null) {
  return useQuery({
    queryKey: deviceKeys.detail(id ?? 0),
    queryFn: ({ signal }) => devicesApi.get(id ?? 0, signal),
    enabled: id !== null,
    refetchInterval: ONLINE_REFRESH_MS,
  });
}

export function useTelemetry(id: number, query: TelemetryQuery | null) {
  return useQuery({
    queryKey: deviceKeys.telemetry(id, query ?? { metric: '', from: '', to: '' }),
    queryFn: ({ signal }) => devicesApi.telemetry(id, query as TelemetryQuery, signal),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
}

/** Downloads the device list as filtered (every page). */
export function useDeviceExport() {
  return useMutation({
    mutationFn: async (query: DeviceListQuery) => {
      const { page: _page, pageSize: _pageSize, ...filters } = query;
      const response = await devicesApi.exportList(filters);
      const name = fileNameFromDisposition(response.headers.get('content-disposition'), 'devices.xlsx');
      saveBlob(await response.blob(), name);
    },
  });
}

export function useDeadLetters(query: DeadLetterQuery) {
  return useQuery({
    queryKey: deviceKeys.deadLetters(query),
    queryFn: ({ signal }) => devicesApi.deadLetters(query, signal),
    placeholderData: keepPreviousData,
  });
}

/**
 * Refreshes the device lists, the by-building counts and an open device when the live `devices` topic reports a
 * device going online or offline (bursts refresh once). The payload is not relied on: any frame refreshes.
 */
export function useLiveDevices() {
  const queryClient = useQueryClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      void queryClient.invalidateQueries({ queryKey: deviceKeys.lists });
      void queryClient.invalidateQueries({ queryKey: ['devices', 'buildings'] });
      void queryClient.invalidateQueries({ queryKey: ['devices', 'detail'] });
    };
    const unsubscribe = subscribeTopic('devices', () => {
      timer ??= setTimeout(flush, 1000);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient]);
}
