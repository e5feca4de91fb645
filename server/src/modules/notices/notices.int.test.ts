import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoNotices } from '../../demo/demo-notices.js';
import { buildUser, newSession, nodeIdByName } from '../../test/factories.js';
import { buildResident, ensureTag, firstNodeUnder } from '../../test/people-factories.js';
import { describeEachDb, OWN_ORIGIN, type TestEnv } from '../../test/test-app.js';
import type {
  MyNoticeDetail,
  MyNoticePage,
  NoticeView,
  PublicNoticeDetail,
  PublicNoticePage,
  ReceiptPage,
} from './notices.schemas.js';
import { publishDue } from './notices.service.js';

type Err = { code?: string; field?: string };

describeEachDb('notices: targeting, four-eyes review, scheduling, receipts, the public page', (env: TestEnv) => {
  const post = (user: string, url: string, payload: Record<string, unknown> = {}) =>
    env.as(user, { method: 'POST', url, payload });
  const get = (user: string, url: string) => env.as(user, { method: 'GET', url });
  /** Requests as a resident account (its own session cookie). */
  const asResident = async (cookie: string, method: 'GET' | 'POST', url: string) =>
    env.app.inject({
      method,
      url,
      headers: { cookie, origin: OWN_ORIGIN },
      ...(method === 'POST' ? { payload: {} } : {}),
    });

  let grid2 = 0;
  let unit2 = 0;
  const r: Record<string, { id: number; cookie: string | null }> = {};
  let oldTag = 0;
  let sensitiveTag = 0;

  /** A resident at a node, with tags, and (when `account`) an account linked to them. */
  const resident = async (key: string, nodeId: number, tags: string[], account = true) => {
    const res = await buildResident(env, { nodeId, name: `${key}居民`, tags });
    let cookie: string | null = null;
    if (account) {
      const u = await buildUser(env, { role: 'resident', nodeId });
      await env.db.query('UPDATE users SET resident_id = $2 WHERE id = $1', [u.id, res.id]);
      cookie = await newSession(env, u);
    }
    r[key] = { id: res.id, cookie };
  };

  const draft = async (user: string, o: Record<string, unknown> = {}) => {
    const res = await post(user, '/api/notices', {
      title: '高龄老人体检通知',
      category: 'announcement',
      body: '<p>请 80 岁以上老人于周五到社区卫生站体检。</p>',
      nodeId: env.ids.community,
      ...o,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as NoticeView;
  };
  /** A notice by shequ, submitted and approved by jiedao (published at once unless `publishAt`). */
  const published = async (o: Record<string, unknown> = {}, publishAt?: string) => {
    const n = await draft('shequ', o);
    expect((await post('shequ', `/api/notices/${n.id}/submit`)).statusCode).toBe(200);
    const a = await post('jiedao', `/api/notices/${n.id}/approve`, publishAt ? { publishAt } : {});
    expect(a.statusCode, a.body).toBe(200);
    return a.json() as NoticeView;
  };
  const mine = async (key: string) => {
    const res = await asResident(r[key]!.cookie!, 'GET', '/api/me/notices');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as MyNoticePage;
  };

  beforeAll(async () => {
    grid2 = await nodeIdByName(env.db, '第二网格', env.ids.community);
    unit2 = await firstNodeUnder(env.db, grid2, 'unit');
    oldTag = await ensureTag(env.db, 'notice_test_old', { name: '高龄（测试）' });
    sensitiveTag = await ensureTag(env.db, 'notice_test_secret', { name: '敏感（测试）', sensitive: true });
    await resident('oldIn', env.ids.unit!, ['notice_test_old']); // in 第一网格, 高龄
    await resident('youngIn', env.ids.unit!, []); // in 第一网格, no tag
    await resident('oldGrid2', unit2, ['notice_test_old']); // in 第二网格, 高龄
    await resident('noAccount', env.ids.unit!, ['notice_test_old'], false);
  });

  describe('drafts', () => {
    it('stores a sanitized body: scripts, handlers, javascript: links and foreign images are removed', async () => {
      const n = await draft('wangge', {
        nodeId: env.ids.grid,
        body:
          '<p onclick="steal()">通知<script>alert(1)</script><a href="javascript:alert(1)">点</a>' +
          '<img src="https://evil.example/x.png"><a href="https://www.gov.cn/">政府网</a></p><iframe src="/x"></iframe>',
      });
      expect(n.body).not.toMatch(/script|onclick|javascript|evil|iframe/);
      expect(n.body).toContain('<a href="https://www.gov.cn/" rel="noopener noreferrer" target="_blank">政府网</a>');
      expect(n).toMatchObject({ status: 'draft', authorName: '张网格', nodeId: env.ids.grid, stats: null });
    });

    it('refuses bad input naming the field, and changes nothing', async () => {
      const before = await env.db.query('SELECT count(*)::int AS n FROM notices');
      const empty = await post('wangge', '/api/notices', {
        title: '空',
        category: 'announcement',
        body: '<script>x</script>',
        nodeId: env.ids.grid,
      });
      expect([empty.statusCode, (empty.json() as Err).code, (empty.json() as Err).field]).toEqual([
        400,
        'NOTICE_BODY_EMPTY',
        'body',
      ]);
      const cat = await post('wangge', '/api/notices', { title: 'x', category: 'gossip', body: '<p>x</p>', nodeId: 1 });
      expect([cat.statusCode, (cat.json() as Err).field]).toEqual([400, 'category']);
      const tag = await post('wangge', '/api/notices', {
        title: 'x',
        category: 'reminder',
        body: '<p>x</p>',
        nodeId: env.ids.grid,
        tagIds: [oldTag, sensitiveTag],
      });
      expect([tag.statusCode, (tag.json() as Err).code, (tag.json() as Err).field]).toEqual([
        400,
        'NOTICE_TAG_INVALID',
        'tagIds.1',
      ]);
      const after = await env.db.query('SELECT count(*)::int AS n FROM notices');
      expect(after).toEqual(before);
    });

    it('lets a grid worker target only within their scope', async () => {
      const out = await post('wangge', '/api/notices', {
        title: '第二网格的通知',
        category: 'reminder',
        body: '<p>x</p>',
        nodeId: grid2,
      });
      expect([out.statusCode, (out.json() as Err).code, (out.json() as Err).field]).toEqual([
        404,
        'ORG_NODE_NOT_FOUND',
        'nodeId',
      ]);
      const above = await post('wangge', '/api/notices', {
        title: '社区的通知',
        category: 'reminder',
        body: '<p>x</p>',
        nodeId: env.ids.community,
      });
      expect((above.json() as Err).code).toBe('ORG_NODE_NOT_FOUND');
      const own = await draft('wangge', { nodeId: env.ids.unit });
      expect(own.nodeId).toBe(env.ids.unit);
    });
  });

  describe('review (审核)', () => {
    it('is four-eyes: the author cannot approve or reject their own notice; another reviewer can', async () => {
      const n = await draft('shequ');
      const early = await post('jiedao', `/api/notices/${n.id}/approve`);
      expect([early.statusCode, (early.json() as Err).code]).toEqual([409, 'NOTICE_BAD_STATUS']);
      await post('shequ', `/api/notices/${n.id}/submit`);
      const own = await post('shequ', `/api/notices/${n.id}/approve`);
      expect([own.statusCode, (own.json() as Err).code]).toEqual([403, 'NOTICE_OWN_REVIEW']);
      const ownReject = await post('shequ', `/api/notices/${n.id}/reject`, { reason: '自己驳回' });
      expect((ownReject.json() as Err).code).toBe('NOTICE_OWN_REVIEW');
      const writer = await post('wangge', `/api/notices/${n.id}/approve`);
      expect([writer.statusCode, (writer.json() as Err).code]).toEqual([403, 'FORBIDDEN']); // a writer, no reviewer
      const ok = await post('jiedao', `/api/notices/${n.id}/approve`);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ status: 'published', reviewerName: '王街道' });
      const audit = await env.db.query<{ action: string; actor_name: string }>(
        `SELECT action, actor_name FROM audit_log WHERE target_type = 'notice' AND target_id = $1 ORDER BY id`,
        [String(n.id)],
      );
      expect(audit.map((a) => a.action)).toEqual(['notice.create', 'notice.submit', 'notice.approve']);
    });

    it('rejects back to draft with the reason; the author edits and resubmits', async () => {
      const n = await draft('wangge', { nodeId: env.ids.grid });
      await post('wangge', `/api/notices/${n.id}/submit`);
      const noReason = await post('shequ', `/api/notices/${n.id}/reject`, { reason: '' });
      expect([noReason.statusCode, (noReason.json() as Err).field]).toEqual([400, 'reason']);
      const rej = await post('shequ', `/api/notices/${n.id}/reject`, { reason: '请补充体检地点' });
      expect(rej.json()).toMatchObject({ status: 'draft', rejectReason: '请补充体检地点' });
      const edit = await env.as('wangge', {
        method: 'PUT',
        url: `/api/notices/${n.id}`,
        payload: {
          title: '体检通知（补充地点）',
          category: 'announcement',
          body: '<p>地点：社区卫生站</p>',
          nodeId: env.ids.grid,
        },
      });
      expect(edit.statusCode, edit.body).toBe(200);
      const again = await post('wangge', `/api/notices/${n.id}/submit`);
      expect(again.json()).toMatchObject({ status: 'submitted', rejectReason: null, title: '体检通知（补充地点）' });
      const queue = (await get('shequ', '/api/notices?toReview=1')).json() as { items: { id: number }[] };
      expect(queue.items.map((i) => i.id)).toContain(n.id);
      const authorQueue = (await get('wangge', '/api/notices?toReview=1')).json() as { items: { id: number }[] };
      expect(authorQueue.items.map((i) => i.id)).not.toContain(n.id);
      const published = await post('shequ', `/api/notices/${n.id}/approve`);
      expect(published.json()).toMatchObject({ status: 'published' });
      const editPublished = await env.as('wangge', {
        method: 'PUT',
        url: `/api/notices/${n.id}`,
        payload: { title: 'x', category: 'announcement', body: '<p>x</p>', nodeId: env.ids.grid },
      });
      expect([editPublished.statusCode, (editPublished.json() as Err).code]).toEqual([409, 'NOTICE_BAD_STATUS']);
    });
  });

  describe('targeting (area × tag)', () => {
    it('shows a notice to residents under the area holding the tag, and to nobody else', async () => {
      const n = await published({ title: '高龄补贴发放', category: 'policy', nodeId: env.ids.grid, tagIds: [oldTag] });
      expect(n.stats).toEqual({ targeted: 2, read: 0, confirmed: 0 }); // oldIn and noAccount (no account: still targeted)
      expect((await mine('oldIn')).items.map((i) => i.id)).toContain(n.id);
      expect((await mine('youngIn')).items.map((i) => i.id)).not.toContain(n.id); // no tag
      expect((await mine('oldGrid2')).items.map((i) => i.id)).not.toContain(n.id); // outside the area
      const peek = await asResident(r.oldGrid2!.cookie!, 'GET', `/api/me/notices/${n.id}`);
      expect([peek.statusCode, (peek.json() as Err).code]).toEqual([404, 'NOTICE_NOT_FOUND']);
    });

    it('shows an untagged community notice to everyone in the community, and tells their accounts', async () => {
      const n = await published({ title: '停水通知', category: 'reminder' });
      for (const k of ['oldIn', 'youngIn', 'oldGrid2']) expect((await mine(k)).items.map((i) => i.id)).toContain(n.id);
      const msgs = await env.db.query<{ user_id: number }>(
        `SELECT m.user_id FROM inbox_messages m WHERE m.kind = 'notices.published' AND (m.payload->>'noticeId')::int = $1`,
        [n.id],
      );
      expect(msgs.length).toBe(3);
    });

    it('stops showing a withdrawn notice', async () => {
      const n = await published({ title: '将撤回的通知' });
      expect((await mine('youngIn')).items.map((i) => i.id)).toContain(n.id);
      const w = await post('jiedao', `/api/notices/${n.id}/withdraw`, { reason: '内容有误' });
      expect(w.json()).toMatchObject({ status: 'withdrawn' });
      expect((await mine('youngIn')).items.map((i) => i.id)).not.toContain(n.id);
    });

    it('refuses an account without a resident record', async () => {
      const u = await buildUser(env, { role: 'resident' });
      const bare = await asResident(await newSession(env, u), 'GET', '/api/me/notices');
      expect([bare.statusCode, (bare.json() as Err).code]).toEqual([409, 'NOTICE_NO_RESIDENT']);
    });
  });

  describe('scheduled publishing', () => {
    it('keeps an approved notice until its time, then the job publishes it and notifies', async () => {
      const at = new Date(Date.now() + 60 * 60 * 1000);
      const n = await published({ title: '定时发布的通知', nodeId: env.ids.grid }, at.toISOString());
      expect(n).toMatchObject({ status: 'approved', publishAt: at.toISOString(), publishedAt: null });
      expect((await mine('youngIn')).items.map((i) => i.id)).not.toContain(n.id);
      expect(await publishDue(env.db, new Date(at.getTime() - 1000))).toBe(0);
      expect(await publishDue(env.db, new Date(at.getTime() + 1000))).toBeGreaterThanOrEqual(1);
      const after = (await get('shequ', `/api/notices/${n.id}`)).json() as NoticeView;
      expect(after.status).toBe('published');
      expect((await mine('youngIn')).items.map((i) => i.id)).toContain(n.id);
      const audit = await env.db.query<{ actor_name: string }>(
        `SELECT actor_name FROM audit_log WHERE action = 'notice.publish' AND target_id = $1`,
        [String(n.id)],
      );
      expect(audit.length).toBe(1);
      expect(await publishDue(env.db, new Date(at.getTime() + 2000))).toBe(0); // once only
    });
  });

  describe('receipts', () => {
    it('records opening as read and 我已阅读并知晓 for an important notice; the console sees who has not confirmed', async () => {
      const n = await published({ title: '防汛紧急通知', isImportant: true, nodeId: env.ids.grid });
      const unimportant = await published({ title: '普通通知', nodeId: env.ids.grid });
      const notImportant = await asResident(r.youngIn!.cookie!, 'POST', `/api/me/notices/${unimportant.id}/confirm`);
      expect([notImportant.statusCode, (notImportant.json() as Err).code]).toEqual([409, 'NOTICE_NOT_IMPORTANT']);

      const opened = await asResident(r.oldIn!.cookie!, 'GET', `/api/me/notices/${n.id}`);
      expect(opened.statusCode, opened.body).toBe(200);
      const o = opened.json() as MyNoticeDetail;
      expect(o.readAt).not.toBeNull();
      expect(o.confirmedAt).toBeNull();
      const c = await asResident(r.oldIn!.cookie!, 'POST', `/api/me/notices/${n.id}/confirm`);
      expect((c.json() as MyNoticeDetail).confirmedAt).not.toBeNull();
      await asResident(r.youngIn!.cookie!, 'GET', `/api/me/notices/${n.id}`); // read, not confirmed

      const rec = (await get('wangge', `/api/notices/${n.id}/receipts`)).json() as ReceiptPage;
      expect(rec.stats).toEqual({ targeted: 3, read: 2, confirmed: 1 });
      // not confirmed: youngIn (read) and noAccount (never); names masked
      expect(rec.items.map((i) => i.residentId).sort()).toEqual([r.youngIn!.id, r.noAccount!.id].sort());
      for (const i of rec.items) expect(i.name).toMatch(/\*/);
      const outside = await get('wangge', `/api/notices/${(await published({ nodeId: grid2 })).id}/receipts`);
      expect([outside.statusCode, (outside.json() as Err).code]).toEqual([404, 'NOTICE_NOT_FOUND']);

      const x = await get('wangge', `/api/notices/${n.id}/receipts.xlsx`);
      expect(x.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(ws.getRow(2).getCell(1).value).toBe('姓名');
      expect(ws.rowCount).toBe(4);
      expect(String(ws.getRow(3).getCell(1).value)).toMatch(/\*/);
    });
  });

  describe('the public page', () => {
    it('lists public published notices without login, and nothing else', async () => {
      const pub = await published({ title: '公开的活动通知', category: 'activity', isPublic: true });
      const internal = await published({ title: '内部通知' });
      const list = await env.app.inject({ method: 'GET', url: `/api/public/notices?nodeId=${env.ids.unit}` });
      expect(list.statusCode, list.body).toBe(200);
      const ids = (list.json() as PublicNoticePage).items.map((i) => i.id);
      expect(ids).toContain(pub.id);
      expect(ids).not.toContain(internal.id);
      const one = await env.app.inject({ method: 'GET', url: `/api/public/notices/${pub.id}` });
      expect(one.json() as PublicNoticeDetail).toMatchObject({ title: '公开的活动通知', categoryLabel: '活动' });
      const hidden = await env.app.inject({ method: 'GET', url: `/api/public/notices/${internal.id}` });
      expect([hidden.statusCode, (hidden.json() as Err).code]).toEqual([404, 'NOTICE_NOT_FOUND']);
    });
  });

  describe('the demo', () => {
    it('loads five notices once, three published through the scheduler with the street as reviewer', async () => {
      const r = await loadDemoNotices(env.db);
      expect(r).toMatchObject({ notices: 5 });
      expect((r as { published: number }).published).toBeGreaterThanOrEqual(3);
      expect(await loadDemoNotices(env.db)).toBe(false);
      const rows = await env.db.query<{ status: string; reviewer: string | null }>(
        `SELECT n.status, u.username AS reviewer FROM notices n LEFT JOIN users u ON u.id = n.reviewer_id
          WHERE n.title IN ('关于高龄津贴年度资格认证的通知', '冬季用电用气安全提示') ORDER BY n.title`,
      );
      expect(rows).toEqual([
        { status: 'published', reviewer: 'jiedao' },
        { status: 'submitted', reviewer: null },
      ]);
    });
  });
});
