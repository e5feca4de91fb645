import type { VisitInput } from './visit-types';

/**
 * The phone's queue of visits recorded without signal (pure: no window, no fetch; the store in
 * use-visit-queue.ts keeps it in localStorage and sends it).
 *
 * - Every visit carries the `clientId` made when it was recorded, so sending one twice (an answer lost on the way,
 *   two tabs replaying at once) stores it once: the server answers 200 `duplicate: true`, which counts as sent.
 * - Replay goes oldest first and stops at the first visit that gets no answer (no network, 5xx, 408, 429; 401,
 *   signed out): the rest stay queued, in order, for the next `online` event, app start or 30 s retry.
 * - A visit the server refuses (another 4xx: the task closed meanwhile, a visit too old …) stays in the queue with
 *   the server's message, is not replayed on its own, and is for the user to send again or discard.
 * - Photos: the form uploads a photo as soon as it is picked (POST /api/files), so a photo taken without signal is
 *   not uploaded and is not queued — the visit is queued without it and the form says so. Image bytes are never
 *   kept in localStorage (a few photos would fill its ~5 MB). A queued visit keeps the ids of photos uploaded
 *   before the signal dropped; uploads left unattached are swept after 24 hours, so when a replay is refused for
 *   its photos (FILE_NOT_FOUND, FILE_ALREADY_ATTACHED, FILE_ATTACH_LIMIT) it is sent once more without them (its
 *   result says `photosDropped`), and the visit itself is not lost.
 */

/** Where a user's queue lives in localStorage (per account: a shared phone keeps each worker's own). */
export const queueKey = (userId: number) => `linli.visitQueue.${userId}`;

export type QueueError = { status: number; code: string; message: string; field?: string };

export type QueuedVisit = {
  /** The body to POST /api/visits, its clientId included. */
  body: VisitInput;
  /** What to show for it in the queue: the person and place. */
  label: string;
  queuedAt: string;
  /** Times it was sent without success. */
  tries: number;
  /** The server's refusal (a 4xx): kept for the user, not replayed until they ask. */
  error: QueueError | null;
  /** Its photos were dropped on replay (their uploads had expired). */
  photosDropped: boolean;
};

/** One send's result. */
export type Attempt =
  | { kind: 'sent'; duplicate: boolean }
  /** No answer (offline, a dropped connection), or a server not able to answer now (5xx, 408, 429). */
  | { kind: 'network' }
  | { kind: 'refused'; error: QueueError };

/** Refusals that are about the photos only: sent again without them. */
export const PHOTO_ERRORS: readonly string[] = ['FILE_NOT_FOUND', 'FILE_ALREADY_ATTACHED', 'FILE_ATTACH_LIMIT'];

export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const isQueued = (x: unknown): x is QueuedVisit => {
  if (typeof x !== 'object' || x === null) return false;
  const v = x as Partial<QueuedVisit>;
  return (
    typeof v.body === 'object' &&
    v.body !== null &&
    typeof v.body.clientId === 'string' &&
    typeof v.label === 'string' &&
    typeof v.queuedAt === 'string'
  );
};

/** The stored queue; anything unreadable (another version's, a damaged value) reads as what it can. */
export function readQueue(storage: StorageLike, userId: number): QueuedVisit[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(queueKey(userId)) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(isQueued).map((v) => ({
    ...v,
    tries: typeof v.tries === 'number' ? v.tries : 0,
    error: v.error ?? null,
    photosDropped: v.photosDropped === true,
  }));
}

export function writeQueue(storage: StorageLike, userId: number, queue: readonly QueuedVisit[]): void {
  if (queue.length === 0) storage.removeItem(queueKey(userId));
  else storage.setItem(queueKey(userId), JSON.stringify(queue));
}

/** A new visit at the end; the same clientId again replaces the queued one where it stands. */
export function enqueue(
  queue: readonly QueuedVisit[],
  body: VisitInput,
  label: string,
  now: Date = new Date(),
): QueuedVisit[] {
  const item: QueuedVisit = { body, label, queuedAt: now.toISOString(), tries: 0, error: null, photosDropped: false };
  const at = queue.findIndex((q) => q.body.clientId === body.clientId);
  if (at < 0) return [...queue, item];
  return queue.map((q, i) => (i === at ? { ...item, queuedAt: q.queuedAt } : q));
}

export function discard(queue: readonly QueuedVisit[], clientId: string): QueuedVisit[] {
  return queue.filter((q) => q.body.clientId !== clientId);
}

/** The user asks to send a refused visit again: it rejoins the replay. */
export function retry(queue: readonly QueuedVisit[], clientId: string): QueuedVisit[] {
  return queue.map((q) => (q.body.clientId === clientId ? { ...q, error: null } : q));
}

/** Visits waiting to be sent (refused ones are the user's to decide). */
export const waiting = (queue: readonly QueuedVisit[]) => queue.filter((q) => q.error === null);

/** The tasks with a visit in the queue (their list cards say 待发送 instead of offering a second visit). */
export const queuedTaskIds = (queue: readonly QueuedVisit[]): Set<number> =>
  new Set(queue.flatMap((q) => (q.body.taskId === undefined ? [] : [q.body.taskId])));

/** What an error thrown by a send means: an ApiError-like `{ status, code, message }`, or a fetch's TypeError. */
export function classify(error: unknown): Attempt {
  if (typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number') {
    const e = error as { status: number; code?: unknown; message?: unknown; field?: unknown };
    // 401: the session ended (the phone goes to sign in); the visit is sent after, like one without signal
    if (e.status === 0 || e.status >= 500 || [401, 408, 429].includes(e.status)) return { kind: 'network' };
    return {
      kind: 'refused',
      error: {
        status: e.status,
        code: typeof e.code === 'string' ? e.code : `HTTP_${e.status}`,
        message: typeof e.message === 'string' ? e.message : '',
        ...(typeof e.field === 'string' ? { field: e.field } : {}),
      },
    };
  }
  // a TypeError from fetch ("Failed to fetch"), or anything else unknown: try again later
  return { kind: 'network' };
}

/** One visit's replay result, to apply to the queue as it stands then (the user may have queued more meanwhile). */
export type Settled =
  | { clientId: string; kind: 'sent'; duplicate: boolean; photosDropped: boolean }
  | { clientId: string; kind: 'network' }
  | { clientId: string; kind: 'refused'; error: QueueError };

export function settle(queue: readonly QueuedVisit[], result: Settled): QueuedVisit[] {
  if (result.kind === 'sent') return discard(queue, result.clientId);
  return queue.map((q) => {
    if (q.body.clientId !== result.clientId) return q;
    return result.kind === 'refused' ? { ...q, tries: q.tries + 1, error: result.error } : { ...q, tries: q.tries + 1 };
  });
}

const withoutPhotos = (body: VisitInput): VisitInput => {
  const { fileIds: _dropped, ...rest } = body;
  return rest;
};

/**
 * Sends the waiting visits oldest first, one at a time, reporting each result through `onSettled` as it comes;
 * stops at the first that gets no answer. Answers every result, in order.
 */
export async function replay(
  queue: readonly QueuedVisit[],
  send: (body: VisitInput) => Promise<Attempt>,
  onSettled: (result: Settled) => void = () => undefined,
): Promise<Settled[]> {
  const results: Settled[] = [];
  for (const item of waiting(queue)) {
    const clientId = item.body.clientId;
    let attempt = await send(item.body);
    let photosDropped = false;
    if (
      attempt.kind === 'refused' &&
      PHOTO_ERRORS.includes(attempt.error.code) &&
      (item.body.fileIds?.length ?? 0) > 0
    ) {
      photosDropped = true;
      attempt = await send(withoutPhotos(item.body));
    }
    const result: Settled =
      attempt.kind === 'sent'
        ? { clientId, kind: 'sent', duplicate: attempt.duplicate, photosDropped }
        : attempt.kind === 'refused'
          ? { clientId, kind: 'refused', error: attempt.error }
          : { clientId, kind: 'network' };
    results.push(result);
    onSettled(result);
    if (result.kind === 'network') break;
  }
  return results;
}
