import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { InboxMessage, PreferencesBody } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { dispatchTopic } from '../../../ui/live-topics';
import { inboxApi } from '../api/inbox-api';

const COUNT_KEY = ['inbox', 'count'] as const;

/** The unread count; kept current by `useLiveInbox`, so it is not polled. */
export function useInboxCount(enabled = true) {
  return useQuery({
    queryKey: COUNT_KEY,
    queryFn: ({ signal }) => inboxApi.count(signal),
    staleTime: Infinity,
    enabled,
  });
}

/** A page of messages; titles come in the reader's language, so the language is part of the key. */
export function useInbox(query: { unread?: boolean; page?: number; pageSize?: number }) {
  return useQuery({
    queryKey: ['inbox', 'list', currentLanguage(), query],
    queryFn: ({ signal }) => inboxApi.list(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => inboxApi.read(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['inbox'] }),
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => inboxApi.readAll(),
    onSuccess: (r) => {
      qc.setQueryData(COUNT_KEY, { unread: r.unread });
      void qc.invalidateQueries({ queryKey: ['inbox', 'list'] });
    },
  });
}

export function usePreferences() {
  return useQuery({
    queryKey: ['inbox', 'preferences', currentLanguage()],
    queryFn: ({ signal }) => inboxApi.preferences(signal),
  });
}

export function useSavePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PreferencesBody) => inboxApi.savePreferences(body),
    onSuccess: (p) => qc.setQueryData(['inbox', 'preferences', currentLanguage()], p),
  });
}

/**
 * Keeps the unread count and the message lists current from the server's live stream (GET /api/live). The
 * browser's EventSource reconnects by itself after a dropped connection, sending the last event id so the
 * server catches up; when the server refuses it (a restart, an expired session) a new one is opened after a
 * pause that grows up to a minute.
 */
export function useLiveInbox(onMessage?: (m: InboxMessage) => void, enabled = true) {
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let delay = 2000;
    let stopped = false;
    const setCount = (unread: number) => qc.setQueryData(COUNT_KEY, { unread });
    const connect = () => {
      source = new EventSource('/api/live');
      source.addEventListener('hello', (e) => {
        delay = 2000;
        setCount((JSON.parse((e as MessageEvent<string>).data) as { unread: number }).unread);
        void qc.invalidateQueries({ queryKey: ['inbox', 'list'] });
      });
      source.addEventListener('inbox', (e) => {
        const data = JSON.parse((e as MessageEvent<string>).data) as { message: InboxMessage; unread: number };
        setCount(data.unread);
        void qc.invalidateQueries({ queryKey: ['inbox', 'list'] });
        onMessage?.(data.message);
      });
      source.addEventListener('count', (e) => {
        setCount((JSON.parse((e as MessageEvent<string>).data) as { unread: number }).unread);
        void qc.invalidateQueries({ queryKey: ['inbox', 'list'] });
      });
      // module topics (the case board's `cases`) go to their subscribers (ui/live-topics.ts)
      source.addEventListener('topic', (e) => {
        try {
          dispatchTopic(JSON.parse((e as MessageEvent<string>).data));
        } catch {
          // a malformed frame is not worth breaking the stream for
        }
      });
      source.onerror = () => {
        if (stopped || !source || source.readyState !== EventSource.CLOSED) return;
        source = null;
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 60_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [qc, onMessage, enabled]);
}
