import { beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { ClashGate } from '../../modules/people/move-in.service.js';
import { describeEachDb } from '../../test/test-app.js';
import { systemCtx } from '../access/context.js';
import { generateIdNumber } from '../pii/index.js';
import { defineKind } from './notify.kinds.js';
import type { InboxMessage, InboxPage, Preferences } from './notify.schemas.js';
import { send } from './notify.service.js';

type Channel = { id: number; secretHint: string | null; url: string };

defineKind({
  kind: 'test.resident_note',
  title: { 'zh-CN': '关于居民 {name} 的提醒', en: 'A note about resident {name}' },
  urgency: 'normal',
  link: (p) => ({ type: 'resident', id: Number(p.residentId) }),
});

let seq = 900;
/** Even sequences: a woman's ID number (an odd one would be turned into the even one before it). */
const newId = () => {
  seq += 2;
  return generateIdNumber({ areaCode: '370811', birthDate: '1923-02-03', sequence: seq, sex: 'female' });
};

describeEachDb('notifications: the inbox', (env) => {
  const userId = async (username: string) =>
    (await env.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [username]))[0]!.id;
  const inbox = async (username: string, query = '', lang?: string) => {
    const res = await env.as(username, {
      method: 'GET',
      url: `/api/inbox${query}`,
      headers: lang ? { 'accept-language': lang } : {},
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as InboxPage;
  };
  const count = async (username: string) =>
    ((await env.as(username, { method: 'GET', url: '/api/inbox/count' })).json() as { unread: number }).unread;

  let sibling: { residentId: number };

  beforeAll(async () => {
    // A resident of 第二网格 (东关社区): the community worker reads them, the grid worker of 第一网格 does not.
    const grid2 = await env.db.query<{ id: number }>(
      `SELECT n.id FROM org_nodes n JOIN org_nodes p ON p.id = n.parent_id WHERE n.name = '第二网格' AND p.name = '东关社区'`,
    );
    const res = await env.as('admin', {
      method: 'POST',
      url: '/api/people/residents',
      payload: { name: '邻格居民', idNumber: newId(), nodeId: grid2[0]!.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    sibling = { residentId: res.json().id };
  });

  it('lists a message in the reader’s language, counts it unread, and marks it read', async () => {
    const before = await count('louzhang');
    const [id] = await send(env.db, [await userId('louzhang')], 'test.resident_note', {
      name: '王某',
      residentId: sibling.residentId,
    });
    expect(await count('louzhang')).toBe(before + 1);
    const zh = await inbox('louzhang');
    expect(zh.items[0]).toMatchObject({ id, kind: 'test.resident_note', title: '关于居民 王某 的提醒', readAt: null });
    expect(zh.unread).toBe(before + 1);
    const en = await inbox('louzhang', '?unread=true', 'en');
    expect(en.items.map((m) => m.id)).toContain(id);
    expect(en.items.find((m) => m.id === id)!.title).toBe('A note about resident 王某');

    const read = await env.as('louzhang', { method: 'POST', url: `/api/inbox/${id}/read` });
    expect(read.statusCode, read.body).toBe(200);
    expect((read.json() as InboxMessage).readAt).not.toBeNull();
    expect(await count('louzhang')).toBe(before);
    expect((await inbox('louzhang', '?unread=true')).items.map((m) => m.id)).not.toContain(id);
  });

  it('refuses another user’s message as not found and leaves it unread', async () => {
    const [id] = await send(env.db, [await userId('shequ')], 'test.resident_note', { name: '甲', residentId: 1 });
    const res = await env.as('wangge', { method: 'POST', url: `/api/inbox/${id}/read` });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('INBOX_MESSAGE_NOT_FOUND');
    expect((await inbox('shequ')).items.find((m) => m.id === id)!.readAt).toBeNull();
  });

  it('opens the record only for a reader who may read it', async () => {
    const payload = { name: '邻格居民', residentId: sibling.residentId };
    await send(env.db, [await userId('shequ'), await userId('wangge')], 'test.resident_note', payload);
    const forWorker = (await inbox('shequ')).items[0]!;
    expect(forWorker.link).toEqual({ type: 'resident', id: sibling.residentId });
    const forGrid = (await inbox('wangge')).items[0]!;
    expect(forGrid.title).toBe('关于居民 邻格居民 的提醒');
    expect(forGrid.link).toBeNull();
  });

  it('marks all read', async () => {
    await send(env.db, [await userId('jiedao')], 'test.resident_note', { name: '乙', residentId: 1 });
    await send(env.db, [await userId('jiedao')], 'test.resident_note', { name: '丙', residentId: 1 });
    expect(await count('jiedao')).toBeGreaterThanOrEqual(2);
    const res = await env.as('jiedao', { method: 'POST', url: '/api/inbox/read-all' });
    expect(res.json()).toMatchObject({ unread: 0 });
    expect(res.json().updated).toBeGreaterThanOrEqual(2);
    expect(await count('jiedao')).toBe(0);
    // Nobody else's messages were touched.
    expect(await count('shequ')).toBeGreaterThan(0);
  });

  it('sends nothing inside a transaction that rolls back', async () => {
    const before = await count('bumen');
    const uid = await userId('bumen');
    await expect(
      env.db.transaction(async (tx) => {
        await send(tx, [uid], 'test.resident_note', { name: '丁', residentId: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await count('bumen')).toBe(before);
  });

  it('alerts the system administrators once a day when a user goes over the ID-clash limit', async () => {
    const wangge = await userId('wangge');
    const ctx = {
      ...systemCtx(),
      principal: { ...systemCtx().principal, userId: wangge, displayName: '张网格', username: 'wangge' },
    };
    const adminBefore = await count('admin');
    for (let i = 0; i < 2; i++) {
      await env.db.transaction(async (tx) => {
        const gate = new ClashGate(ctx, { dailyLimit: 0 });
        expect(await gate.admit(tx)).toBe(false);
        await gate.reportRefusals(tx, 'registration');
      });
    }
    expect(await count('admin')).toBe(adminBefore + 1);
    const alert = (await inbox('admin')).items.find((m) => m.kind === 'people.id_clash_limit')!;
    expect(alert).toMatchObject({
      urgency: 'urgent',
      title: '张网格 今日提交审核的人员超出每日上限（0），已拒绝 1 条',
    });
    // Nobody else hears of it.
    const shequ = await inbox('shequ');
    expect(shequ.items.some((m) => m.kind === 'people.id_clash_limit')).toBe(false);
  });

  it('tells the holding community’s workers of a move-in request, which the requester is not told about', async () => {
    const xiguan = await env.db.query<{ id: number; grid: number }>(
      `SELECT c.id, g.id AS grid FROM org_nodes c JOIN org_nodes g ON g.parent_id = c.id
        WHERE c.name = '西关社区' AND g.name = '第一网格'`,
    );
    const res = await env.as('admin', {
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'xiguan_nt',
        displayName: '西关社工',
        password: DEMO_PASSWORD,
        homeNodeId: xiguan[0]!.id,
        posts: [{ nodeId: xiguan[0]!.id, role: 'community_worker' }],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    await env.db.query(`UPDATE users SET must_change_password = false WHERE username = 'xiguan_nt'`);
    const idNumber = newId();
    const held = await env.as('admin', {
      method: 'POST',
      url: '/api/people/residents',
      payload: { name: '西关乙', idNumber, nodeId: xiguan[0]!.grid },
    });
    expect(held.statusCode, held.body).toBe(201);
    const wanggeBefore = await count('wangge');
    const jiedaoBefore = await count('jiedao');
    const req = await env.as('wangge', {
      method: 'POST',
      url: '/api/people/residents',
      payload: { name: '迁入乙', idNumber, nodeId: env.ids.grid },
    });
    expect(req.statusCode, req.body).toBe(202);
    const requestId = req.json().moveInRequestId as number;

    const msg = (await inbox('xiguan_nt')).items[0]!;
    expect(msg).toMatchObject({
      kind: 'people.move_in_request',
      title: '新的迁入申请：迁入乙（张网格 提交）',
      link: { type: 'move_in_request', id: requestId },
    });
    expect(await count('wangge')).toBe(wanggeBefore);
    // The street above has a worker at the community itself, so it is not told.
    expect(await count('jiedao')).toBe(jiedaoBefore);
  });

  it('offers only configured channels in the preferences, and refuses one that is not', async () => {
    const empty = (await env.as('shequ', { method: 'GET', url: '/api/inbox/preferences' })).json() as Preferences;
    expect(empty.channels).toEqual([]);
    expect(empty.kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['people.move_in_request']));
    const refused = await env.as('shequ', {
      method: 'PUT',
      url: '/api/inbox/preferences',
      payload: { subscriptions: [{ channelId: 999999, kind: 'people.move_in_request' }], quietHours: null },
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().code).toBe('NOTIFY_CHANNEL_NOT_FOUND');

    const made = await env.as('admin', {
      method: 'POST',
      url: '/api/notify/channels',
      payload: { type: 'webhook', name: '值班系统', url: 'http://127.0.0.1:9/hook', secret: 'whsec-abcdef-1234' },
    });
    expect(made.statusCode, made.body).toBe(200);
    const channel = made.json() as Channel;
    expect(channel.secretHint).toBe('****1234');
    expect(made.body).not.toContain('whsec-abcdef');
    const audit = await env.db.query<{ diff: string }>(
      `SELECT diff::text AS diff FROM audit_log WHERE action = 'notify.channel.create' AND target_id = $1`,
      [String(channel.id)],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.diff).not.toContain('whsec-abcdef');

    const saved = await env.as('shequ', {
      method: 'PUT',
      url: '/api/inbox/preferences',
      payload: {
        subscriptions: [{ channelId: channel.id, kind: 'test.resident_note' }],
        quietHours: { start: '00:00', end: '00:00' },
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((saved.json() as Preferences).channels.map((c) => c.id)).toEqual([channel.id]);
    expect((saved.json() as Preferences).subscriptions).toEqual([
      { channelId: channel.id, kind: 'test.resident_note' },
    ]);

    const [messageId] = await send(env.db, [await userId('shequ')], 'test.resident_note', {
      name: '戊',
      residentId: 1,
    });
    const deliveries = await env.db.query<{ status: string; channel_id: number }>(
      'SELECT status, channel_id FROM notify_deliveries WHERE message_id = $1',
      [messageId],
    );
    expect(deliveries).toEqual([{ status: 'queued', channel_id: channel.id }]);

    // Other roles may not see or configure channels.
    for (const u of ['jiedao', 'shequ']) {
      const list = await env.as(u, { method: 'GET', url: '/api/notify/channels' });
      expect(list.statusCode).toBe(403);
    }
    const off = await env.as('admin', {
      method: 'PATCH',
      url: `/api/notify/channels/${channel.id}`,
      payload: { enabled: false },
    });
    expect(off.json()).toMatchObject({ enabled: false, secretHint: '****1234' });
    const after = (await env.as('shequ', { method: 'GET', url: '/api/inbox/preferences' })).json() as Preferences;
    expect(after.channels).toEqual([]);
    expect(after.subscriptions).toEqual([]);
  });
});
