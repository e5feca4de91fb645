import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { openSse, type SseClient } from '../../test/sse-client.js';
import { describeEachDb } from '../../test/test-app.js';
import { type Db, openPostgres } from '../db/client.js';
import { createJobs, type Jobs } from '../jobs/index.js';
import { defineKind } from '../notify/notify.kinds.js';
import type { InboxMessage } from '../notify/notify.schemas.js';
import { send } from '../notify/notify.service.js';
import { publish } from './live.signal.js';

defineKind({
  kind: 'test.live',
  title: { 'zh-CN': '实时消息 {n}', en: 'Live message {n}' },
  urgency: 'normal',
});

type InboxEvent = { message: InboxMessage; unread: number };

/**
 * Two app instances on one database: instance A (`env.app`, and `env.db` to send through) and instance B,
 * listening on a port with a database connection of its own (on PostgreSQL a second pool and LISTEN
 * connection; PGlite, being one process's database, is shared). Readers connect to B.
 */
describeEachDb('live updates across instances', (env) => {
  let b: FastifyInstance;
  let dbB: Db;
  let jobsB: Jobs;
  let base: string;
  const open: SseClient[] = [];

  const userId = async (username: string) =>
    (await env.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]))[0]!.id;
  const connect = async (username: string, headers: Record<string, string> = {}) => {
    const c = await openSse(`${base}/api/live`, { cookie: await env.cookie(username), ...headers });
    open.push(c);
    return c;
  };
  const isInbox = (n: string) => (e: { event: string; data: unknown }) =>
    e.event === 'inbox' && (e.data as InboxEvent).message.payload.n === n;

  beforeAll(async () => {
    if (env.kind === 'postgres') {
      const name = (await env.db.query<{ n: string }>('SELECT current_database() AS n'))[0]!.n;
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${name}`;
      dbB = await openPostgres(url.toString(), { max: 3 });
    } else {
      dbB = env.db;
    }
    jobsB = createJobs(dbB, { pollingIntervalSeconds: 0.5, stopTimeoutMs: 2000 });
    b = await buildApp({ db: dbB, pii: env.pii, broker: null, jobs: jobsB, liveHeartbeatMs: 200 });
    await b.listen({ port: 0, host: '127.0.0.1' });
    await jobsB.start();
    base = `http://127.0.0.1:${(b.server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    for (const c of open) c.close();
    await b?.close();
    await jobsB?.stop();
    if (env.kind === 'postgres') await dbB?.close();
  });

  it('delivers a message sent through instance A to a reader connected to instance B, in their language', async () => {
    const reader = await connect('shequ', { 'accept-language': 'en' });
    expect(reader.status).toBe(200);
    const hello = await reader.next((e) => e.event === 'hello');
    expect(hello.id).toMatch(/^\d+$/);
    const [id] = await send(env.db, [await userId('shequ')], 'test.live', { n: 'a1' });
    const got = await reader.next(isInbox('a1'));
    expect(got.id).toBe(String(id));
    expect((got.data as InboxEvent).message).toMatchObject({ id, title: 'Live message a1', readAt: null });
    expect((got.data as InboxEvent).unread).toBeGreaterThan(0);

    // Marking everything read on instance A updates the count on B.
    const res = await env.as('shequ', { method: 'POST', url: '/api/inbox/read-all' });
    expect(res.statusCode).toBe(200);
    const count = await reader.next((e) => e.event === 'count');
    expect(count.data).toEqual({ unread: 0 });
  });

  it('gives a reader only their own messages', async () => {
    const other = await connect('jiedao');
    await other.next((e) => e.event === 'hello');
    await send(env.db, [await userId('shequ')], 'test.live', { n: 'not-yours' });
    await send(env.db, [await userId('jiedao')], 'test.live', { n: 'yours' });
    await other.next(isInbox('yours'));
    expect(other.seen.some(isInbox('not-yours'))).toBe(false);
  });

  it('sends topic events only to readers whose scope covers the node for the permission', async () => {
    const gridPath = (
      await env.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [env.ids.grid])
    )[0]!.path;
    const worker = await connect('wangge'); // grid worker of 第一网格
    const leader = await connect('louzhang'); // building leader of 1号楼, below the grid
    const resident = await connect('jumin'); // no people.read
    for (const c of [worker, leader, resident]) await c.next((e) => e.event === 'hello');
    await publish(env.db, 'test.alarm', { nodePath: gridPath, permission: 'people.read', data: { alarm: 1 } });
    await publish(env.db, 'test.alarm', { nodePath: gridPath, permission: 'people.write', data: { alarm: 2 } });
    const topic = (n: number) => (e: { event: string; data: unknown }) =>
      e.event === 'topic' && (e.data as { data: { alarm: number } }).data.alarm === n;
    expect((await worker.next(topic(1))).data).toEqual({ topic: 'test.alarm', data: { alarm: 1 } });
    await worker.next(topic(2));
    // The building leader reads 1号楼 only, not the grid: an event at 1号楼 published after both marks the end
    // of what they could have received. The resident holds no people.read at all.
    const leaderBuilding = (
      await env.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [env.ids.building])
    )[0]!.path;
    await publish(env.db, 'test.alarm', { nodePath: leaderBuilding, permission: 'people.read', data: { alarm: 4 } });
    await leader.next(topic(4));
    expect(leader.seen.some(topic(1))).toBe(false);
    expect(leader.seen.some(topic(2))).toBe(false);
    // A message to the resident marks the end of what they could have received.
    await send(env.db, [await userId('jumin')], 'test.live', { n: 'end-jumin' });
    await resident.next(isInbox('end-jumin'));
    expect(resident.seen.some((e) => e.event === 'topic')).toBe(false);
  });

  it('carries a topic event too large for a notification through the database', async () => {
    const worker = await connect('shequ');
    await worker.next((e) => e.event === 'hello');
    const big = 'x'.repeat(10_000);
    await publish(env.db, 'test.big', { nodePath: null, permission: 'org.read', data: { big } });
    // shequ holds org.read over 东关社区 only: the node-less event (system-wide) is not theirs, the next is.
    const communityPath = (
      await env.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [env.ids.community])
    )[0]!.path;
    await publish(env.db, 'test.big', { nodePath: communityPath, permission: 'org.read', data: { big, n: 2 } });
    const got = await worker.next((e) => e.event === 'topic');
    expect(got.data).toEqual({ topic: 'test.big', data: { big, n: 2 } });
  });

  it('catches up after a reconnect with Last-Event-ID', async () => {
    const first = await connect('bumen');
    const hello = await first.next((e) => e.event === 'hello');
    first.close();
    const uid = await userId('bumen');
    const [m1] = await send(env.db, [uid], 'test.live', { n: 'missed-1' });
    const [m2] = await send(env.db, [uid], 'test.live', { n: 'missed-2' });
    const again = await connect('bumen', { 'last-event-id': hello.id! });
    const a = await again.next((e) => e.event === 'inbox');
    const b2 = await again.next((e) => e.event === 'inbox');
    expect([a.id, b2.id]).toEqual([String(m1), String(m2)]);
    const h2 = await again.next((e) => e.event === 'hello');
    expect(h2.id).toBe(String(m2));

    // The same catch-up as one JSON answer for a client that does not stream.
    const snap = await env.as('bumen', {
      method: 'GET',
      url: '/api/live',
      headers: { 'last-event-id': hello.id! },
    });
    expect(snap.statusCode).toBe(200);
    expect(snap.json()).toMatchObject({ lastEventId: m2 });
    expect((snap.json() as { messages: InboxMessage[] }).messages.map((m) => m.id)).toEqual([m1, m2]);
  });

  it('keeps the stream open with heartbeat comments, and refuses a reader without a session', async () => {
    const c = await connect('zhiyuan');
    await c.next((e) => e.event === 'hello');
    const ping = await c.next((e) => e.event === 'comment');
    expect(ping.comment).toBe('ping');
    const anonymous = await fetch(`${base}/api/live`, { headers: { accept: 'text/event-stream' } });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('AUTH_REQUIRED');
  });
});
