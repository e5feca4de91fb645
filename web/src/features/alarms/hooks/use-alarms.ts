import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { AlarmCaseCreate, AlarmDetail, AlarmListQuery, AlarmLiveEvent, AlarmResolve } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { subscribeTopic } from '../../../ui/live-topics';
import { alarmsApi } from '../api/alarms-api';
import { isAlarmLiveEvent } from '../utils/alarm-labels';

/** Summaries and names come in the reader's language, so the language is part of the keys. */
export const alarmKeys = {
  all: ['alarms'] as const,
  lists: ['alarms', 'list'] as const,
  list: (query: AlarmListQuery) => ['alarms', 'list', currentLanguage(), query] as const,
  details: (id: number) => ['alarms', 'detail', id] as const,
  detail: (id: number) => ['alarms', 'detail', id, currentLanguage()] as const,
};

export function useAlarmList(query: AlarmListQuery, enabled = true) {
  return useQuery({
    queryKey: alarmKeys.list(query),
    queryFn: ({ signal }) => alarmsApi.list(query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useAlarm(id: number | null) {
  return useQuery({
    queryKey: alarmKeys.detail(id ?? 0),
    queryFn: ({ signal }) => alarmsApi.get(id ?? 0, signal),
    enabled: id !== null,
  });
}

/**
 * Every change answers the alarm as it now is: put it in the cache and refresh the lists. A refusal (someone else
 * changed it first) refreshes them too, so that what the page shows is what may be done now.
 */
function useAlarmChange<Args extends { id: number }>(change: (args: Args) => Promise<AlarmDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (detail) => {
      queryClient.setQueryData(alarmKeys.detail(detail.id), detail);
      void queryClient.invalidateQueries({ queryKey: alarmKeys.lists });
    },
    onError: (_error, args) => {
      void queryClient.invalidateQueries({ queryKey: alarmKeys.details(args.id) });
      void queryClient.invalidateQueries({ queryKey: alarmKeys.lists });
    },
  });
}

export function useAcknowledgeAlarm() {
  return useAlarmChange((args: { id: number; version?: number }) => alarmsApi.acknowledge(args.id, args.version));
}

export function useResolveAlarm() {
  return useAlarmChange((args: { id: number; body: AlarmResolve }) => alarmsApi.resolve(args.id, args.body));
}

export function useAlarmNote() {
  return useAlarmChange((args: { id: number; text: string }) => alarmsApi.note(args.id, args.text));
}

export function useOpenAlarmCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: { id: number; body: AlarmCaseCreate }) => alarmsApi.openCase(args.id, args.body),
    onSuccess: (_result, args) => {
      void queryClient.invalidateQueries({ queryKey: alarmKeys.details(args.id) });
      void queryClient.invalidateQueries({ queryKey: alarmKeys.lists });
    },
  });
}

/**
 * A retriggered alarm sends a frame each time (a device repeating its reading): frames within a second refresh once,
 * so a busy area costs one list request a second at most.
 */
const LIVE_BATCH_MS = 1000;

/**
 * Keeps the centre and an open alarm current from the live stream's `alarms` topic (`AlarmLiveEvent`, sent for
 * every alarm raised or changed in the reader's area). Bursts (a sweep raising many alarms) refresh once.
 */
export function useLiveAlarms(onEvent?: (event: AlarmLiveEvent) => void) {
  const queryClient = useQueryClient();
  const callback = useRef(onEvent);
  callback.current = onEvent;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const changed = new Set<number>();
    const flush = () => {
      timer = null;
      void queryClient.invalidateQueries({ queryKey: alarmKeys.lists });
      for (const id of changed) void queryClient.invalidateQueries({ queryKey: alarmKeys.details(id) });
      changed.clear();
    };
    const unsubscribe = subscribeTopic('alarms', (data) => {
      if (!isAlarmLiveEvent(data)) return;
      changed.add(data.alarmId);
      callback.current?.(data);
      timer ??= setTimeout(flush, LIVE_BATCH_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient]);
}
