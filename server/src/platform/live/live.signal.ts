/**
 * What is sent between instances on the `linli_live` channel (PostgreSQL LISTEN/NOTIFY, delivered when the
 * sending transaction commits): small signals carrying ids; the instance holding the reader's connection reads
 * the rest. Modules publish topic events here; the notification service signals new and read messages.
 */
import type { Permission } from '../access/roles.js';
import { isValidPath } from '../access/scope.js';
import type { Queryable } from '../db/client.js';
import * as repo from './live.repo.js';

export const LIVE_CHANNEL = 'linli_live';

/** A topic event: readers connected whose scope holds `permission` over `nodePath` receive `data`. */
export type TopicEvent = { nodePath: string | null; permission: Permission; data: unknown };

export type LiveSignal =
  /** New inbox messages: [userId, messageId] pairs. */
  | { t: 'inbox'; r: [number, number][] }
  /** A user's unread count changed (messages read). */
  | { t: 'read'; u: number }
  | { t: 'topic'; topic: string; e: TopicEvent }
  /** A topic event stored in live_payloads (too large for a notification). */
  | { t: 'topic_ref'; id: number };

/** PostgreSQL refuses payloads of 8000 bytes or more; stay well below. */
const MAX_PAYLOAD = 7000;
const PAIRS_PER_SIGNAL = 300;

export async function signalInbox(q: Queryable, pairs: [number, number][]): Promise<void> {
  for (let i = 0; i < pairs.length; i += PAIRS_PER_SIGNAL) {
    const signal: LiveSignal = { t: 'inbox', r: pairs.slice(i, i + PAIRS_PER_SIGNAL) };
    await repo.pgNotify(q, LIVE_CHANNEL, JSON.stringify(signal));
  }
}

export async function signalRead(q: Queryable, userId: number): Promise<void> {
  await repo.pgNotify(q, LIVE_CHANNEL, JSON.stringify({ t: 'read', u: userId } satisfies LiveSignal));
}

/**
 * Publishes a topic event to every connected reader (on any instance) holding `permission` over `nodePath`
 * (null: only readers holding it everywhere). Inside a transaction it goes out when that commits.
 */
export async function publish(q: Queryable, topic: string, event: TopicEvent): Promise<void> {
  if (!/^[a-z][a-z0-9_.-]{0,62}$/.test(topic)) throw new Error(`invalid topic ${topic}`);
  if (event.nodePath !== null && !isValidPath(event.nodePath)) throw new Error(`invalid path ${event.nodePath}`);
  const text = JSON.stringify({ t: 'topic', topic, e: event } satisfies LiveSignal);
  if (Buffer.byteLength(text) < MAX_PAYLOAD) {
    await repo.pgNotify(q, LIVE_CHANNEL, text);
    return;
  }
  const id = await repo.insertLivePayload(q, { topic, e: event });
  await repo.pgNotify(q, LIVE_CHANNEL, JSON.stringify({ t: 'topic_ref', id } satisfies LiveSignal));
}
