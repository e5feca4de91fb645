import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { api } from '../../ui/api';
import {
  type Attempt,
  classify,
  discard,
  enqueue,
  type QueuedVisit,
  queueKey,
  readQueue,
  replay,
  retry,
  type Settled,
  settle,
  waiting,
  writeQueue,
} from './visit-queue';
import type {
  MyLinks,
  VisitCaseCreate,
  VisitDetail,
  VisitInput,
  VisitRecorded,
  VisitTaskDetail,
  VisitTaskListItem,
  VisitTaskPage,
} from './visit-types';

export const phoneVisitKeys = {
  all: ['phone-visits'] as const,
  mine: () => ['phone-visits', 'mine'] as const,
  counts: () => ['phone-visits', 'counts'] as const,
  task: (id: number) => ['phone-visits', 'task', id] as const,
  links: () => ['phone-visits', 'links'] as const,
};

/** The caller's open visit tasks (one page of the soonest 200): GET /api/visit-tasks?mine=true&status=open. */
export function useMyVisitTasks(enabled = true) {
  return useQuery({
    queryKey: phoneVisitKeys.mine(),
    queryFn: ({ signal }) =>
      api.get<VisitTaskPage>('/api/visit-tasks', { mine: true, status: 'open', pageSize: 200 }, signal),
    enabled,
  });
}

/** The caller's open tasks' counts alone (one row asked for), for the home page's entry. */
export function useMyVisitCounts(enabled = true) {
  return useQuery({
    queryKey: phoneVisitKeys.counts(),
    queryFn: ({ signal }) =>
      api.get<VisitTaskPage>('/api/visit-tasks', { mine: true, status: 'open', pageSize: 1 }, signal),
    enabled,
  });
}

/**
 * One task. Until its detail has come (or without signal, when it never comes) the page works from the task's row
 * in the list already loaded, so a visit can be recorded offline for any task the list showed.
 */
export function useVisitTask(id: number) {
  const listed = listedTask(useQueryClient(), id);
  return useQuery({
    queryKey: phoneVisitKeys.task(id),
    queryFn: ({ signal }) => api.get<VisitTaskDetail>(`/api/visit-tasks/${id}`, undefined, signal),
    placeholderData: listed,
  });
}

/** A listed task as a detail without its members and visits (what the list knows of it). */
function listedTask(queryClient: QueryClient, id: number): VisitTaskDetail | undefined {
  const row = queryClient.getQueryData<VisitTaskPage>(phoneVisitKeys.mine())?.items.find((t) => t.id === id);
  return row ? fromListItem(row) : undefined;
}

export const fromListItem = (row: VisitTaskListItem): VisitTaskDetail => ({
  ...row,
  ruleCode: '',
  sourceRef: null,
  withdrawnAt: null,
  withdrawnNote: null,
  members: [],
  visits: [],
  lastVisits: [],
  can: { visit: row.status === 'open', assign: false, withdraw: false },
});

/** The caller's 一网三联 links and their households: GET /api/grid-links/mine. */
export function useMyLinks(enabled = true) {
  return useQuery({
    queryKey: phoneVisitKeys.links(),
    queryFn: ({ signal }) => api.get<MyLinks>('/api/grid-links/mine', undefined, signal),
    enabled,
    staleTime: 60_000,
  });
}

/** "需要帮助" → a case: POST /api/visits/:id/case (the person and place are the visit's). */
export function useVisitCase(visitId: number) {
  return useMutation({
    mutationFn: (body: VisitCaseCreate) => api.post<VisitDetail>(`/api/visits/${visitId}/case`, body),
  });
}

// ---- recording, and the offline queue ---------------------------------------------------------------------------

const post = (body: VisitInput) => api.post<VisitRecorded>('/api/visits', body);

async function sendOnce(body: VisitInput): Promise<Attempt> {
  try {
    const answer = await post(body);
    return { kind: 'sent', duplicate: answer.duplicate };
  } catch (error) {
    return classify(error);
  }
}

export type Recorded = { kind: 'sent'; recorded: VisitRecorded } | { kind: 'queued' };

/**
 * Records a visit: sent now when the phone has signal; kept in the queue when it has none or the send gets no
 * answer (it is replayed later with the same clientId). A refusal (4xx) is thrown for the form to show.
 */
export async function recordVisit(
  queryClient: QueryClient,
  userId: number,
  body: VisitInput,
  label: string,
): Promise<Recorded> {
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  if (!offline) {
    try {
      const recorded = await post(body);
      void queryClient.invalidateQueries({ queryKey: phoneVisitKeys.all });
      return { kind: 'sent', recorded };
    } catch (error) {
      if (classify(error).kind === 'refused') throw error;
    }
  }
  updateQueue(userId, (q) => enqueue(q, body, label));
  return { kind: 'queued' };
}

// The queue's store: localStorage under the user's key, with listeners for the pages (and other tabs' changes).
const listeners = new Set<() => void>();
const snapshots = new Map<number, { raw: string | null; queue: QueuedVisit[] }>();
const storage = () => (typeof localStorage === 'undefined' ? null : localStorage);

function snapshot(userId: number): QueuedVisit[] {
  const store = storage();
  if (!store) return EMPTY;
  const raw = store.getItem(queueKey(userId));
  const known = snapshots.get(userId);
  if (known && known.raw === raw) return known.queue;
  const queue = readQueue(store, userId);
  snapshots.set(userId, { raw, queue });
  return queue;
}
const EMPTY: QueuedVisit[] = [];

function notify() {
  for (const listener of listeners) listener();
}

export function updateQueue(userId: number, change: (queue: QueuedVisit[]) => QueuedVisit[]): void {
  const store = storage();
  if (!store) return;
  writeQueue(store, userId, change(readQueue(store, userId)));
  notify();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key?.startsWith('linli.visitQueue.')) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The signed-in user's queued visits (empty for none, and on the server when pages are rendered to text). */
export function useVisitQueue(userId: number | null): QueuedVisit[] {
  return useSyncExternalStore(
    subscribe,
    () => (userId === null ? EMPTY : snapshot(userId)),
    () => EMPTY,
  );
}

export const discardQueued = (userId: number, clientId: string) => updateQueue(userId, (q) => discard(q, clientId));

let running: Promise<Settled[]> | null = null;

/** Sends the queued visits now (one replay at a time in this tab; the server's clientId check covers the rest). */
export function replayQueue(queryClient: QueryClient, userId: number): Promise<Settled[]> {
  running ??= (async () => {
    try {
      const store = storage();
      if (!store) return [];
      const results = await replay(readQueue(store, userId), sendOnce, (result) =>
        updateQueue(userId, (q) => settle(q, result)),
      );
      if (results.some((r) => r.kind === 'sent')) {
        void queryClient.invalidateQueries({ queryKey: phoneVisitKeys.all });
      }
      return results;
    } finally {
      running = null;
    }
  })();
  return running;
}

/** The user sends a refused visit again. */
export function retryQueued(queryClient: QueryClient, userId: number, clientId: string) {
  updateQueue(userId, (q) => retry(q, clientId));
  return replayQueue(queryClient, userId);
}

/** 立即发送: every queued visit, the refused ones too (the user asked). */
export function retryAllQueued(queryClient: QueryClient, userId: number) {
  updateQueue(userId, (q) => q.reduce((acc, v) => retry(acc, v.body.clientId), q));
  return replayQueue(queryClient, userId);
}

/** How often a non-empty queue is tried again while the phone believes it is online (a weak signal sends no event). */
const RETRY_MS = 30_000;

/**
 * Replays the queue when the phone app starts (the user known), whenever the signal returns (`online`), and every
 * 30 s while visits are waiting and the phone says it is online.
 */
export function useVisitQueueReplay(userId: number | null) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (userId === null) return;
    const run = () => void replayQueue(queryClient, userId);
    const store = storage();
    const tick = () => {
      if (navigator.onLine !== false && store && waiting(readQueue(store, userId)).length > 0) run();
    };
    if (navigator.onLine !== false) run();
    window.addEventListener('online', run);
    const timer = setInterval(tick, RETRY_MS);
    return () => {
      window.removeEventListener('online', run);
      clearInterval(timer);
    };
  }, [queryClient, userId]);
}

function subscribeOnline(listener: () => void) {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

/** Whether the phone says it has a network (true when rendered without a browser). */
export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine !== false,
    () => true,
  );
}
