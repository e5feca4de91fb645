import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { describeEachDb } from '../../test/test-app.js';
import { defineKind } from './notify.kinds.js';
import { deliverAfter, verifySignature } from './notify.logic.js';
import type { Delivery } from './notify.schemas.js';
import { send } from './notify.service.js';

defineKind({
  kind: 'test.delivery',
  title: { 'zh-CN': '工单 {no} 已超时', en: 'Case {no} is overdue' },
  urgency: 'normal',
  link: (p) => ({ type: 'resident', id: Number(p.residentId) }),
});
defineKind({ kind: 'test.urgent', title: { 'zh-CN': '紧急：{what}', en: 'Urgent: {what}' }, urgency: 'urgent' });

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A local endpoint answering the given statuses in turn (the last one from then on). */
async function endpoint(statuses: number[]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      res.end(res.statusCode < 300 ? '{"ok":true}' : 'upstream busy');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Waits for a condition the job queue brings about (a real queue polls; no fixed sleeps). */
async function until<T>(probe: () => Promise<T | undefined | null | false>, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describeEachDb('notifications: deliveries through external channels', (env) => {
  const servers: { close: () => Promise<void> }[] = [];
  const userId = async (username: string) =>
    (await env.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]))[0]!.id;
  const channel = async (payload: Record<string, unknown>) => {
    const res = await env.as('admin', { method: 'POST', url: '/api/notify/channels', payload });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().id as number;
  };
  const subscribe = async (
    username: string,
    subscriptions: { channelId: number; kind: string }[],
    quiet = null as null | { start: string; end: string },
  ) => {
    const res = await env.as(username, {
      method: 'PUT',
      url: '/api/inbox/preferences',
      payload: { subscriptions, quietHours: quiet },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const deliveriesOf = async (channelId: number) => {
    const res = await env.as('admin', { method: 'GET', url: `/api/notify/channels/${channelId}/deliveries` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Delivery[];
  };

  // The link a webhook carries need not resolve: receivers get the record's type and id.
  const residentId = 7;
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('retries a webhook that fails twice, then logs it sent; the body is signed and complete', async () => {
    const hook = await endpoint([500, 503, 200]);
    servers.push(hook);
    const secret = 'whsec-delivery-test-1';
    const channelId = await channel({ type: 'webhook', name: '值班平台', url: hook.url, secret, timeoutMs: 2000 });
    await subscribe('shequ', [{ channelId, kind: 'test.delivery' }]);
    const [messageId] = await send(env.db, [await userId('shequ')], 'test.delivery', { no: 'GD-42', residentId });

    const delivery = await until(async () => {
      const d = (await deliveriesOf(channelId)).find((x) => x.messageId === messageId);
      return d?.status === 'sent' ? d : null;
    }, 'the webhook delivery to be sent');
    expect(delivery).toMatchObject({ attempts: 3, lastError: null, kind: 'test.delivery', username: 'shequ' });
    expect(delivery.log.map((l) => [l.status, l.attempt, l.error])).toEqual([
      ['queued', 0, null],
      ['retrying', 1, 'HTTP 500: upstream busy'],
      ['retrying', 2, 'HTTP 503: upstream busy'],
      ['sent', 3, null],
    ]);

    expect(hook.received).toHaveLength(3);
    const last = hook.received[2]!;
    expect(verifySignature(secret, last.body, last.headers['x-linli-signature'] as string)).toBe(true);
    expect(verifySignature('another-secret', last.body, last.headers['x-linli-signature'] as string)).toBe(false);
    expect(last.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(last.body)).toMatchObject({
      id: messageId,
      kind: 'test.delivery',
      title: '工单 GD-42 已超时',
      urgency: 'normal',
      recipient: { username: 'shequ', displayName: '李社工' },
      payload: { no: 'GD-42', residentId },
      link: { type: 'resident', id: residentId },
    });
    // Every attempt carried the same body.
    expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
  });

  it('sends an SMS through the generic gateway with its key, and fails at once for an account without a phone', async () => {
    const gateway = await endpoint([200]);
    servers.push(gateway);
    const channelId = await channel({
      type: 'sms',
      name: '短信网关',
      url: gateway.url,
      secret: 'sms-key-0000-1111',
      template: '【邻里】{title}，请登录处理',
    });
    await subscribe('jiedao', [{ channelId, kind: 'test.urgent' }]);
    await subscribe('admin', [{ channelId, kind: 'test.urgent' }]);
    const [toJiedao, toAdmin] = await send(env.db, [await userId('jiedao'), await userId('admin')], 'test.urgent', {
      what: '水管爆裂',
    });
    const done = await until(async () => {
      const items = await deliveriesOf(channelId);
      const settled = items.filter((d) => d.status === 'sent' || d.status === 'failed');
      return settled.length === 2 ? items : null;
    }, 'both SMS deliveries to settle');
    const byMessage = new Map(done.map((d) => [d.messageId, d]));
    expect(byMessage.get(toJiedao!)).toMatchObject({ status: 'sent', attempts: 1 });
    // The system administrator's account has no phone number: no retry can help.
    expect(byMessage.get(toAdmin!)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'the account has no phone number',
    });
    expect(gateway.received).toHaveLength(1);
    expect(gateway.received[0]!.headers.authorization).toBe('Bearer sms-key-0000-1111');
    const phone = await env.db.query<{ phone_sealed: Buffer }>(
      `SELECT phone_sealed FROM users WHERE username = 'jiedao'`,
    );
    expect(JSON.parse(gateway.received[0]!.body)).toEqual({
      phone: env.pii.open(phone[0]!.phone_sealed),
      text: '【邻里】紧急：水管爆裂，请登录处理',
    });
  });

  it('holds a normal message until the end of quiet hours, but not an urgent one', async () => {
    const hook = await endpoint([200]);
    servers.push(hook);
    const channelId = await channel({ type: 'webhook', name: '夜间', url: hook.url, secret: 'whsec-quiet-00' });
    // Quiet all day but the minute before now: "now" is always inside.
    const now = new Date();
    const minute = (d: Date) =>
      d.toLocaleTimeString('en-GB', {
        timeZone: 'Asia/Shanghai',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    const start = minute(new Date(now.getTime() - 60 * 60_000));
    const end = minute(new Date(now.getTime() + 60 * 60_000));
    await subscribe(
      'wangge',
      [
        { channelId, kind: 'test.delivery' },
        { channelId, kind: 'test.urgent' },
      ],
      { start, end },
    );
    const uid = await userId('wangge');
    const sentAt = new Date();
    const [normal] = await send(env.db, [uid], 'test.delivery', { no: 'Q-1', residentId });
    const [urgent] = await send(env.db, [uid], 'test.urgent', { what: '火警' });
    const rows = await env.db.query<{ message_id: number; not_before: Date }>(
      'SELECT message_id, not_before FROM notify_deliveries WHERE channel_id = $1',
      [channelId],
    );
    const held = rows.find((r) => r.message_id === normal)!;
    expect(held.not_before.getTime()).toBe(deliverAfter(sentAt, { start, end }).getTime());
    expect(held.not_before.getTime()).toBeGreaterThan(sentAt.getTime());
    await until(
      async () => (await deliveriesOf(channelId)).find((d) => d.messageId === urgent && d.status === 'sent'),
      'the urgent message to go out',
    );
    expect((await deliveriesOf(channelId)).find((d) => d.messageId === normal)!.status).toBe('queued');
    expect(hook.received.map((r) => JSON.parse(r.body).id)).toEqual([urgent]);
  });
});
