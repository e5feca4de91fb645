/**
 * The connections of this instance's live readers (server-sent events) and what reaches them. Every instance
 * LISTENs on `linli_live`; a signal names users or a topic, and the instance holding a reader's connection
 * reads what it needs (the message in the reader's language, the unread count) and writes the event. Topic
 * events reach only readers whose scope holds the event's permission over its node (`can`, platform/access).
 */
import type { Writable } from 'node:stream';
import type { Ctx } from '../access/context.js';
import { can, type Principal } from '../access/scope.js';
import type { Db } from '../db/client.js';
import type { Locale } from '../errors/errors.js';
import * as notifyRepo from '../notify/notify.repo.js';
import { toMessageView } from '../notify/notify.service.js';
import * as repo from './live.repo.js';
import { LIVE_CHANNEL, type LiveSignal, type TopicEvent } from './live.signal.js';

export type LiveLog = { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };

type Connection = {
  principal: Principal;
  locale: Locale;
  out: Writable;
  /** Inbox messages up to this id are known to the reader (its Last-Event-ID). */
  floor: number;
  /** Ids written since: the catch-up and live signals may overlap. */
  sent: Set<number>;
};

export type LiveHub = {
  /** LISTENs on the database; call once before serving. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Serves one reader: catches up on inbox messages after `lastEventId` (or announces the newest id), then
   * keeps writing events until `out` closes.
   */
  attach(ctx: Ctx, out: Writable, lastEventId: number | null): Promise<void>;
  /** Inbox messages after `lastEventId` and the unread count, for a client polling instead of streaming. */
  snapshot(ctx: Ctx, lastEventId: number | null): Promise<Snapshot>;
  connectionCount(): number;
};

export type Snapshot = { unread: number; lastEventId: number; messages: Awaited<ReturnType<typeof toMessageView>>[] };

const CATCH_UP_LIMIT = 200;

function frame(event: string, data: unknown, id?: number): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * A stream is ended after this long; the browser reconnects at once with its Last-Event-ID, authenticated
 * afresh, so a changed post (scope) or an ended session takes effect.
 */
const MAX_CONNECTION_MS = 15 * 60_000;

export function createLiveHub(deps: { db: Db; log?: LiveLog; heartbeatMs?: number }): LiveHub {
  const { db } = deps;
  const byUser = new Map<number, Set<Connection>>();
  let unlisten: (() => Promise<void>) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let sweep: NodeJS.Timeout | null = null;

  const all = () => [...byUser.values()].flatMap((s) => [...s]);
  const ctxOf = (c: Connection): Ctx => ({ principal: c.principal, requestId: null, ip: null, locale: c.locale });
  const write = (c: Connection, text: string) => {
    if (!c.out.writableEnded) c.out.write(text);
  };

  async function pushMessages(pairs: [number, number][]): Promise<void> {
    const wanted = pairs.filter(([u]) => byUser.has(u));
    if (wanted.length === 0) return;
    const rows = await notifyRepo.messagesByIds(
      db,
      wanted.map(([, m]) => m),
    );
    const users = new Set(rows.map((r) => r.user_id));
    const unread = new Map<number, number>();
    for (const u of users) unread.set(u, await notifyRepo.countUnread(db, u));
    for (const row of rows) {
      for (const c of byUser.get(row.user_id) ?? []) {
        if (row.id <= c.floor || c.sent.has(row.id)) continue;
        c.sent.add(row.id);
        const message = await toMessageView(db, ctxOf(c), row, c.locale);
        write(c, frame('inbox', { message, unread: unread.get(row.user_id) ?? 0 }, row.id));
      }
    }
  }

  async function pushCount(userId: number): Promise<void> {
    const conns = byUser.get(userId);
    if (!conns) return;
    const unread = await notifyRepo.countUnread(db, userId);
    for (const c of conns) write(c, frame('count', { unread }));
  }

  function pushTopic(topic: string, e: TopicEvent): void {
    for (const c of all()) {
      if (can(c.principal, e.permission, e.nodePath)) write(c, frame('topic', { topic, data: e.data }));
    }
  }

  async function onSignal(text: string): Promise<void> {
    let s: LiveSignal;
    try {
      s = JSON.parse(text) as LiveSignal;
    } catch {
      return;
    }
    if (s.t === 'inbox') await pushMessages(s.r);
    else if (s.t === 'read') await pushCount(s.u);
    else if (s.t === 'topic') pushTopic(s.topic, s.e);
    else if (s.t === 'topic_ref' && byUser.size > 0) {
      const body = (await repo.findLivePayload(db, s.id)) as { topic: string; e: TopicEvent } | null;
      if (body) pushTopic(body.topic, body.e);
    }
  }

  return {
    async start() {
      unlisten = await db.listen(LIVE_CHANNEL, (payload) => {
        onSignal(payload).catch((err) => deps.log?.error({ err }, 'live update failed'));
      });
      // Comments keep proxies from closing an idle stream.
      heartbeat = setInterval(() => {
        for (const c of all()) write(c, ': ping\n\n');
      }, deps.heartbeatMs ?? 25_000);
      heartbeat.unref();
      sweep = setInterval(() => void repo.deleteOldLivePayloads(db).catch(() => undefined), 600_000);
      sweep.unref();
    },
    async stop() {
      if (heartbeat) clearInterval(heartbeat);
      if (sweep) clearInterval(sweep);
      for (const c of all()) c.out.end();
      byUser.clear();
      await unlisten?.();
      unlisten = null;
    },
    async attach(ctx, out, lastEventId) {
      const userId = ctx.principal.userId;
      const c: Connection = {
        principal: ctx.principal,
        locale: ctx.locale,
        out,
        floor: lastEventId ?? 0,
        sent: new Set(),
      };
      // Registered before the catch-up is read, so nothing committed in between is missed (duplicates are skipped).
      let set = byUser.get(userId);
      if (!set) {
        set = new Set();
        byUser.set(userId, set);
      }
      set.add(c);
      const detach = () => {
        const s = byUser.get(userId);
        s?.delete(c);
        if (s?.size === 0) byUser.delete(userId);
      };
      const life = setTimeout(() => out.end(), MAX_CONNECTION_MS);
      life.unref();
      out.once('close', detach);
      out.once('finish', detach);
      out.once('finish', () => clearTimeout(life));
      write(c, 'retry: 3000\n\n');
      const snap = await this.snapshot(ctx, lastEventId);
      for (const m of snap.messages) {
        if (c.sent.has(m.id)) continue;
        c.sent.add(m.id);
        write(c, frame('inbox', { message: m, unread: snap.unread }, m.id));
      }
      // From here on the reader knows everything up to the newest message; later ones come as signals.
      const newest = Math.max(snap.lastEventId, ...c.sent);
      c.floor = newest;
      c.sent.clear();
      write(c, frame('hello', { unread: snap.unread }, newest));
    },
    async snapshot(ctx, lastEventId) {
      const userId = ctx.principal.userId;
      const rows = lastEventId === null ? [] : await notifyRepo.messagesAfter(db, userId, lastEventId, CATCH_UP_LIMIT);
      const messages = await Promise.all(rows.map((r) => toMessageView(db, ctx, r)));
      const newest = await notifyRepo.lastMessageId(db, userId);
      return {
        unread: await notifyRepo.countUnread(db, userId),
        lastEventId: Math.max(newest, lastEventId ?? 0),
        messages,
      };
    },
    connectionCount: () => all().length,
  };
}
