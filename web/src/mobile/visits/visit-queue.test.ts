import { describe, expect, it } from 'vitest';
import { ApiError } from '../../ui/api';
import {
  type Attempt,
  classify,
  discard,
  enqueue,
  type QueuedVisit,
  queuedTaskIds,
  queueKey,
  readQueue,
  replay,
  retry,
  type Settled,
  type StorageLike,
  settle,
  waiting,
  writeQueue,
} from './visit-queue';
import type { VisitInput } from './visit-types';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const body = (n: number, extra: Partial<VisitInput> = {}): VisitInput => ({
  clientId: uuid(n),
  taskId: n,
  visitedAt: `2026-12-07T0${n}:00:00.000Z`,
  outcome: 'well',
  ...extra,
});

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

/** A fake server: answers each body with the next scripted attempt, and records what it was sent. */
function script(...answers: Attempt[]) {
  const sent: VisitInput[] = [];
  const send = async (b: VisitInput): Promise<Attempt> => {
    sent.push(b);
    return answers.shift() ?? { kind: 'sent', duplicate: false };
  };
  return { sent, send };
}

const queueOf = (...ns: number[]) =>
  ns.reduce<QueuedVisit[]>((q, n) => enqueue(q, body(n), `户 ${n}`, new Date(`2026-12-07T0${n}:01:00Z`)), []);

/** Applies results as the store does, to the queue as it stands. */
const applyAll = (queue: QueuedVisit[], results: Settled[]) => results.reduce(settle, queue);

describe('the visit queue', () => {
  it('keeps each user’s queue under its own key, and reads back what was written', () => {
    const storage = memoryStorage();
    const q = queueOf(1, 2);
    writeQueue(storage, 7, q);
    expect([...storage.data.keys()]).toEqual(['linli.visitQueue.7']);
    expect(queueKey(7)).toBe('linli.visitQueue.7');
    expect(readQueue(storage, 7)).toEqual(q);
    expect(readQueue(storage, 8)).toEqual([]);
    // an empty queue leaves nothing behind
    writeQueue(storage, 7, []);
    expect(storage.data.size).toBe(0);
  });

  it('reads a damaged value as what it can', () => {
    const storage = memoryStorage();
    storage.setItem(queueKey(1), '{not json');
    expect(readQueue(storage, 1)).toEqual([]);
    storage.setItem(queueKey(1), JSON.stringify({ not: 'a list' }));
    expect(readQueue(storage, 1)).toEqual([]);
    const good = queueOf(3)[0];
    storage.setItem(queueKey(1), JSON.stringify([{ junk: true }, good, null]));
    expect(readQueue(storage, 1)).toEqual([good]);
  });

  it('enqueues at the end; the same clientId again replaces the queued visit where it stands', () => {
    const q = queueOf(1, 2);
    expect(q.map((v) => v.body.clientId)).toEqual([uuid(1), uuid(2)]);
    expect(q[0]).toMatchObject({ label: '户 1', tries: 0, error: null, photosDropped: false });
    const again = enqueue(q, body(1, { outcome: 'not_home' }), '户 1', new Date('2026-12-08T00:00:00Z'));
    expect(again).toHaveLength(2);
    expect(again[0]?.body.outcome).toBe('not_home');
    // it keeps its place and its first queued time
    expect(again[0]?.queuedAt).toBe(q[0]?.queuedAt);
    expect(queuedTaskIds(again)).toEqual(new Set([1, 2]));
    expect(discard(again, uuid(1)).map((v) => v.body.clientId)).toEqual([uuid(2)]);
  });

  it('replays oldest first, one at a time, and empties the queue when all are sent', async () => {
    const q = queueOf(1, 2, 3);
    const server = script();
    const results = await replay(q, server.send);
    expect(server.sent.map((b) => b.clientId)).toEqual([uuid(1), uuid(2), uuid(3)]);
    expect(results.map((r) => r.kind)).toEqual(['sent', 'sent', 'sent']);
    expect(applyAll(q, results)).toEqual([]);
  });

  it('counts a duplicate (the server had it already) as sent, with the same clientId', async () => {
    const q = queueOf(1);
    const server = script({ kind: 'sent', duplicate: true });
    const results = await replay(q, server.send);
    expect(results).toEqual([{ clientId: uuid(1), kind: 'sent', duplicate: true, photosDropped: false }]);
    expect(server.sent[0]).toEqual(q[0]?.body);
    expect(applyAll(q, results)).toEqual([]);
  });

  it('keeps a refused visit (4xx) with the server’s message for the user, goes on with the next, and does not replay it again', async () => {
    const q = queueOf(1, 2);
    const refusal = { status: 409, code: 'VISIT_TASK_CLOSED', message: '该走访任务已结束' };
    const server = script({ kind: 'refused', error: refusal });
    const results = await replay(q, server.send);
    expect(results.map((r) => r.kind)).toEqual(['refused', 'sent']);
    const after = applyAll(q, results);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ body: { clientId: uuid(1) }, tries: 1, error: refusal });
    expect(waiting(after)).toEqual([]);
    // the next replay leaves it alone
    const later = script();
    expect(await replay(after, later.send)).toEqual([]);
    expect(later.sent).toEqual([]);
    // until the user sends it again (or discards it)
    const retried = retry(after, uuid(1));
    expect(waiting(retried)).toHaveLength(1);
    expect(applyAll(retried, await replay(retried, later.send))).toEqual([]);
    expect(discard(after, uuid(1))).toEqual([]);
  });

  it('stops at the first visit without an answer and keeps it and the rest, in order, for the next replay', async () => {
    const q = queueOf(1, 2, 3);
    const server = script({ kind: 'sent', duplicate: false }, { kind: 'network' });
    const results = await replay(q, server.send);
    expect(server.sent.map((b) => b.clientId)).toEqual([uuid(1), uuid(2)]);
    const after = applyAll(q, results);
    expect(after.map((v) => v.body.clientId)).toEqual([uuid(2), uuid(3)]);
    expect(after.map((v) => [v.tries, v.error])).toEqual([
      [1, null],
      [0, null],
    ]);
    // the signal returns: both go, oldest first
    const next = script();
    expect(applyAll(after, await replay(after, next.send))).toEqual([]);
    expect(next.sent.map((b) => b.clientId)).toEqual([uuid(2), uuid(3)]);
  });

  it('reports each result as it comes, so a visit queued during a replay is kept', async () => {
    let stored = queueOf(1);
    const server = script();
    await replay(stored, server.send, (r) => {
      stored = settle(stored, r);
    });
    stored = enqueue(stored, body(2), '户 2');
    expect(stored.map((v) => v.body.clientId)).toEqual([uuid(2)]);
  });

  it('sends a visit whose photo uploads expired once more without its photos, so the visit is not lost', async () => {
    const q = enqueue([], body(1, { fileIds: ['a'.repeat(22)] }), '户 1');
    const server = script({
      kind: 'refused',
      error: { status: 404, code: 'FILE_NOT_FOUND', message: '文件不存在', field: 'fileIds.0' },
    });
    const results = await replay(q, server.send);
    expect(server.sent.map((b) => b.fileIds)).toEqual([['a'.repeat(22)], undefined]);
    expect(server.sent[1]?.clientId).toBe(uuid(1));
    expect(results).toEqual([{ clientId: uuid(1), kind: 'sent', duplicate: false, photosDropped: true }]);
    // a photo refusal of a visit without photos is an ordinary refusal
    const plain = script({ kind: 'refused', error: { status: 404, code: 'FILE_NOT_FOUND', message: 'x' } });
    expect((await replay(queueOf(2), plain.send))[0]?.kind).toBe('refused');
    expect(plain.sent).toHaveLength(1);
  });

  it('tells a lost connection or a busy server (kept for retry) from a refusal (kept for the user)', () => {
    expect(classify(new TypeError('Failed to fetch'))).toEqual({ kind: 'network' });
    expect(classify(new ApiError(0, 'NETWORK_ERROR', 'offline'))).toEqual({ kind: 'network' });
    expect(classify(new ApiError(502, 'HTTP_502', 'bad gateway'))).toEqual({ kind: 'network' });
    expect(classify(new ApiError(503, 'UNAVAILABLE', 'x'))).toEqual({ kind: 'network' });
    expect(classify(new ApiError(429, 'RATE_LIMITED', 'x'))).toEqual({ kind: 'network' });
    // signed out meanwhile: sent after signing in again, not put to the user as refused
    expect(classify(new ApiError(401, 'AUTH_REQUIRED', 'x'))).toEqual({ kind: 'network' });
    expect(classify(new ApiError(422, 'VISIT_TOO_OLD', '太久了', 'visitedAt'))).toEqual({
      kind: 'refused',
      error: { status: 422, code: 'VISIT_TOO_OLD', message: '太久了', field: 'visitedAt' },
    });
    expect(classify(new ApiError(403, 'VISIT_TASK_NOT_YOURS', 'x'))).toMatchObject({ kind: 'refused' });
  });
});
