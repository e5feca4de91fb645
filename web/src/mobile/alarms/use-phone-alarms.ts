import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type {
  AlarmDetail,
  AlarmListItem,
  AlarmPage,
  AlarmResolve,
  Away,
  AwayPut,
  ItemList,
  WatchedPerson,
} from '../../api-types';
import { currentLanguage } from '../../i18n';
import { api, apiRequest } from '../../ui/api';
import { subscribeTopic } from '../../ui/live-topics';

/** Summaries and type names come in the reader's language, so the language is part of the keys. */
export const phoneAlarmKeys = {
  all: ['phone-alarms'] as const,
  open: () => ['phone-alarms', 'open', currentLanguage()] as const,
  counts: () => ['phone-alarms', 'counts'] as const,
  detail: (id: number) => ['phone-alarms', 'detail', id, currentLanguage()] as const,
  family: (status: 'open' | 'all') => ['phone-alarms', 'family', status, currentLanguage()] as const,
  watched: () => ['phone-alarms', 'watched', currentLanguage()] as const,
};

/** The open alarms (active or acknowledged) of the worker's area: GET /api/alarms?status=open. */
export function useOpenAlarms(enabled = true) {
  return useQuery({
    queryKey: phoneAlarmKeys.open(),
    queryFn: ({ signal }) => api.get<AlarmPage>('/api/alarms', { status: 'open', pageSize: 200 }, signal),
    enabled,
  });
}

/** The open alarms' counts alone (one row asked for), for the home page's badge. */
export function useAlarmCounts(enabled = true) {
  return useQuery({
    queryKey: phoneAlarmKeys.counts(),
    queryFn: ({ signal }) => api.get<AlarmPage>('/api/alarms', { status: 'open', pageSize: 1 }, signal),
    enabled,
  });
}

export function useAlarm(id: number) {
  return useQuery({
    queryKey: phoneAlarmKeys.detail(id),
    queryFn: ({ signal }) => api.get<AlarmDetail>(`/api/alarms/${id}`, undefined, signal),
  });
}

/**
 * Keeps the phone's alarm lists and pages current from the live topic `alarms` (raised, acknowledged, resolved
 * anywhere in the reader's area); a burst of events refreshes once.
 */
export function useLiveAlarms(enabled = true) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = subscribeTopic('alarms', () => {
      timer ??= setTimeout(() => {
        timer = null;
        void queryClient.invalidateQueries({ queryKey: phoneAlarmKeys.all });
      }, 300);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient, enabled]);
}

export type AlarmAction = { action: 'acknowledge'; version?: number } | ({ action: 'resolve' } & AlarmResolve);

/** Acknowledge (one tap) or resolve with an outcome: POST /api/alarms/:id/acknowledge | resolve. */
export function useAlarmAction(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, ...body }: AlarmAction) => api.post<AlarmDetail>(`/api/alarms/${id}/${action}`, body),
    onSuccess: (data) => {
      queryClient.setQueryData(phoneAlarmKeys.detail(id), data);
      void queryClient.invalidateQueries({ queryKey: ['phone-alarms', 'open'] });
      void queryClient.invalidateQueries({ queryKey: phoneAlarmKeys.counts() });
    },
  });
}

// ---- the family's side ----

/** The alarms of the people the caller is family of: GET /api/me/alarms. */
export function useFamilyAlarms(status: 'open' | 'all', enabled = true) {
  return useQuery({
    queryKey: phoneAlarmKeys.family(status),
    queryFn: ({ signal }) => api.get<ItemList<AlarmListItem>>('/api/me/alarms', { status }, signal),
    enabled,
  });
}

/** 我知道了: POST /api/me/alarms/:id/acknowledge. */
export function useFamilyAcknowledge() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<AlarmListItem>(`/api/me/alarms/${id}/acknowledge`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['phone-alarms', 'family'] }),
  });
}

/** The people the caller is a family contact of, with their devices and away switch: GET /api/me/watched. */
export function useWatched(enabled = true) {
  return useQuery({
    queryKey: phoneAlarmKeys.watched(),
    queryFn: ({ signal }) => api.get<ItemList<WatchedPerson>>('/api/me/watched', undefined, signal),
    enabled,
    staleTime: 60_000,
  });
}

export type AwayInput = { residentId: number; away: AwayPut | null };

/** 外出/在子女家: PUT /api/me/watched/:residentId/away switches it on (until a date, for a reason); DELETE off. */
export function useSetAway() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ residentId, away }: AwayInput) =>
      away
        ? apiRequest<Away>(`/api/me/watched/${residentId}/away`, { method: 'PUT', body: away })
        : apiRequest<unknown>(`/api/me/watched/${residentId}/away`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['phone-alarms', 'watched'] }),
  });
}
