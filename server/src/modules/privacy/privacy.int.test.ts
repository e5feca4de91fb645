import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoPrivacy } from '../../demo/demo-privacy.js';
import { type BuiltUser, buildUser, newSession } from '../../test/factories.js';
import { buildHouse, buildHousehold, buildResident, ensureTag } from '../../test/people-factories.js';
import { describeEachDb, OWN_ORIGIN } from '../../test/test-app.js';
import { addSla, shanghaiDay } from '../cases/calendar.logic.js';
import { loadWorkCalendar } from '../cases/calendar.service.js';
import { DEADLINE } from './privacy.logic.js';
import type { MyData, MyRequest, RequestDetail, RequestPage } from './privacy.schemas.js';

describeEachDb('privacy rights (个人信息权利)', (env) => {
  let resident: BuiltUser;
  let cookie = '';
  let stranger = '';
  let outsider: BuiltUser;
  const family = { head: 0, spouse: 0, headId: '', headPhone: '' };
  let careTag = 0;
  let derivedFree = 0;

  const me = async (c = cookie) => {
    const res = await env.app.inject({ method: 'GET', url: '/api/me/privacy', headers: { cookie: c } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as MyData;
  };
  const ask = (payload: Record<string, unknown>, c = cookie) =>
    env.app.inject({
      method: 'POST',
      url: '/api/me/privacy/requests',
      headers: { cookie: c, origin: OWN_ORIGIN },
      payload,
    });
  const decide = (as: string, id: number, payload: Record<string, unknown>) =>
    env.as(as, { method: 'POST', url: `/api/privacy/requests/${id}/decision`, payload });
  const auditCount = async (action: string, target: number) =>
    (
      await env.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND target_id = $2',
        [action, String(target)],
      )
    )[0]!.n;
  const requestCount = async () =>
    (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM privacy_requests'))[0]!.n;

  beforeAll(async () => {
    const db = { db: env.db, pii: env.pii };
    const house = await buildHouse(db, { nodeId: env.ids.unit!, roomNo: '702', floor: 7, area: 90 });
    const hh = await buildHousehold(db, { nodeId: env.ids.unit!, houseId: house.id, householdNo: 'HH-702' });
    const at = { nodeId: env.ids.unit!, houseId: house.id, householdId: hh.id };
    careTag = await ensureTag(env.db, 'privacy_care_t', { name: '隐私测试关爱', sensitive: true });
    derivedFree = await ensureTag(env.db, 'privacy_plain_t', { name: '隐私测试普通' });
    const head = await buildResident(db, {
      ...at,
      relation: 'head',
      name: '隐私户主',
      phone: '13905377020',
      currentAddress: '旧地址 1 号',
      tags: ['privacy_care_t', 'privacy_plain_t'],
    });
    family.head = head.id;
    family.headId = head.idNumber;
    family.headPhone = head.phone!;
    family.spouse = (await buildResident(db, { ...at, relation: 'spouse', name: '隐私配偶', sex: 'female' })).id;
    resident = await buildUser(env, { role: 'resident' });
    await env.db.query('UPDATE users SET resident_id = $1 WHERE id = $2', [family.head, resident.id]);
    cookie = await newSession(env, resident);
    stranger = await newSession(env, await buildUser(env, { role: 'resident' }));
    // a grid worker of the next grid of the same community: not the resident's grid
    const sibling = (
      await env.db.query<{ id: number }>(
        `SELECT s.id FROM org_nodes s JOIN org_nodes g ON g.parent_id = s.parent_id
          WHERE g.id = $1 AND s.type = 'grid' AND s.id <> g.id ORDER BY s.id LIMIT 1`,
        [env.ids.grid],
      )
    )[0]!.id;
    outsider = await buildUser(env, { role: 'grid_worker', nodeId: sibling });
  });

  describe('my data', () => {
    it('shows the resident their record in full, the household masked, each section with its purpose, audited', async () => {
      const before = await auditCount('privacy.data_read', family.head);
      const data = await me();
      expect(data.linked).toBe(true);
      expect(data.record).toMatchObject({
        id: family.head,
        name: '隐私户主',
        idNumber: family.headId,
        phone: family.headPhone,
        purpose: 'population_registry',
      });
      expect(data.household?.members.map((m) => [m.name, m.isSelf])).toEqual([
        ['隐私户主', true],
        ['隐**偶', false],
      ]);
      expect(JSON.stringify(data.household)).not.toContain('隐私配偶');
      expect(data.house).toMatchObject({ roomNo: '702', purpose: 'population_registry' });
      const tags = data.tags.items.map((t) => [t.name, t.sensitive, t.removable]);
      expect(tags).toEqual(
        expect.arrayContaining([
          ['隐私测试关爱', true, true],
          ['隐私测试普通', false, true],
        ]),
      );
      expect(data.tags.purpose).toBe('special_care');
      // every section names a purpose that has a notice in the caller's language
      const codes = new Set(data.purposes.map((p) => p.code));
      for (const s of [data.tags, data.cases, data.balances, data.visits, data.devices, data.consents])
        expect(codes.has(s.purpose)).toBe(true);
      expect(data.purposes.find((p) => p.code === 'population_registry')).toMatchObject({
        basis: 'statutory',
        objectable: false,
      });
      expect(data.purposes[0]!.notice).toMatch(/[\u4e00-\u9fa5]/);
      expect(await auditCount('privacy.data_read', family.head)).toBe(before + 1);
      const audit = await env.db.query<{ actor_id: number }>(
        `SELECT actor_id::int AS actor_id FROM audit_log WHERE action = 'privacy.data_read' ORDER BY id DESC LIMIT 1`,
      );
      expect(audit[0]!.actor_id).toBe(resident.id);
    });

    it('gives notices in English and nothing else to an account linked to no record', async () => {
      const res = await env.app.inject({
        method: 'GET',
        url: '/api/me/privacy',
        headers: { cookie: stranger, 'accept-language': 'en' },
      });
      const data = res.json() as MyData;
      expect(data.linked).toBe(false);
      expect(data.record).toBeNull();
      expect(data.purposes.length).toBeGreaterThan(3);
      expect(data.purposes.map((p) => p.notice).join(' ')).not.toMatch(/[\u4e00-\u9fa5]/);
    });
  });

  describe('a copy to download', () => {
    it('holds the same data as JSON, audited', async () => {
      const before = await auditCount('privacy.copy', family.head);
      const res = await env.app.inject({ method: 'GET', url: '/api/me/privacy/copy', headers: { cookie } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toContain('.json');
      const copy = JSON.parse(res.body) as MyData & { generatedAt: string };
      expect(copy.record).toMatchObject({ idNumber: family.headId, phone: family.headPhone });
      expect(copy.tags.items.map((t) => t.name)).toContain('隐私测试关爱');
      expect(JSON.stringify(copy)).not.toContain('隐私配偶');
      expect(await auditCount('privacy.copy', family.head)).toBe(before + 1);
    });

    it('is an Excel workbook with one sheet per section', async () => {
      const res = await env.app.inject({ method: 'GET', url: '/api/me/privacy/copy?format=xlsx', headers: { cookie } });
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(
        expect.arrayContaining(['处理目的', '本人信息', '家庭成员', '标签', '走访']),
      );
      const record = wb.getWorksheet('本人信息')!;
      const values = record.getSheetValues().flat().map(String);
      expect(values).toContain(family.headId);
    });

    it('refuses an account linked to no record', async () => {
      const res = await env.app.inject({ method: 'GET', url: '/api/me/privacy/copy', headers: { cookie: stranger } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'PRIVACY_NOT_LINKED' });
    });
  });

  describe('a correction', () => {
    let requestId = 0;

    it('refuses bad input naming the field, and creates nothing', async () => {
      const n = await requestCount();
      const cases: [Record<string, unknown>, string][] = [
        [{ kind: 'correction', explanation: '改' }, 'changes'],
        [{ kind: 'correction', changes: [{ field: 'phone', value: '12' }], explanation: '改' }, 'changes.0.value'],
        [{ kind: 'correction', changes: [{ field: 'name', value: ' ' }], explanation: '改' }, 'changes.0.value'],
        [
          {
            kind: 'correction',
            changes: [
              { field: 'ethnicity', value: '回族' },
              { field: 'ethnicity', value: '汉族' },
            ],
            explanation: '改',
          },
          'changes.1.field',
        ],
        [{ kind: 'deletion', explanation: '删' }, 'purpose'],
        [{ kind: 'deletion', purpose: 'special_care', tagIds: [999999], explanation: '删' }, 'tagIds.0'],
      ];
      for (const [payload, field] of cases) {
        const res = await ask(payload);
        expect(res.statusCode, res.body).toBe(400);
        expect((res.json() as { field: string }).field).toBe(field);
      }
      const bad = await ask({ kind: 'correction', changes: [{ field: 'idNumber', value: 'x' }], explanation: '改' });
      expect(bad.statusCode).toBe(400);
      expect(await requestCount()).toBe(n);
    });

    it('is due in 15 working days and reaches the grid worker’s tasks and inbox', async () => {
      const res = await ask({
        kind: 'correction',
        changes: [
          { field: 'currentAddress', value: '新地址 8 号' },
          { field: 'phone', value: '13905377099' },
        ],
        explanation: '搬家了，换了号码',
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json() as MyRequest;
      requestId = body.id;
      expect(body).toMatchObject({ kind: 'correction', status: 'pending' });
      // the resident sees their own proposed number in full
      expect(body.changes).toEqual([
        { field: 'currentAddress', value: '新地址 8 号' },
        { field: 'phone', value: '13905377099' },
      ]);
      const created = new Date(body.createdAt);
      const due = new Date(body.dueAt);
      expect(due.toISOString()).toBe(addSla(created, DEADLINE, await loadWorkCalendar(env.db)).toISOString());
      // 15 working days: three weeks at least, and it ends on a working day
      expect(due.getTime() - created.getTime()).toBeGreaterThan(18 * 86_400_000);
      expect((await loadWorkCalendar(env.db)).kindOf(shanghaiDay(due))).toBe('workday');
      // the number is sealed at rest
      const raw = await env.db.query<{ changes_masked: unknown; sealed: string }>(
        `SELECT changes_masked, encode(changes_sealed, 'escape') AS sealed FROM privacy_requests WHERE id = $1`,
        [requestId],
      );
      expect(JSON.stringify(raw[0]!.changes_masked)).toContain('139****7099');
      expect(raw[0]!.sealed).not.toContain('13905377099');

      const tasks = await env.as('wangge', { method: 'GET', url: '/api/tasks/mine?kind=privacy' });
      const task = (tasks.json() as { items: { key: string; dueAt: string; mobileLink: string }[] }).items.find(
        (t) => t.key === `privacy:${requestId}`,
      );
      expect(task).toMatchObject({ dueAt: body.dueAt, mobileLink: `/m/privacy/requests/${requestId}` });
      const inbox = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbox_messages m JOIN users u ON u.id = m.user_id
          WHERE u.username = 'wangge' AND m.kind = 'privacy.request' AND m.link_id = $1`,
        [requestId],
      );
      expect(inbox[0]!.n).toBe(1);
      // one open correction at a time
      const again = await ask({
        kind: 'correction',
        changes: [{ field: 'ethnicity', value: '回族' }],
        explanation: '再改',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'PRIVACY_REQUEST_OPEN' });
    });

    it('is refused to a grid worker outside the resident’s grid, and listed for the resident’s own', async () => {
      const other = await newSession(env, outsider);
      for (const opts of [
        { method: 'GET' as const, url: `/api/privacy/requests/${requestId}` },
        {
          method: 'POST' as const,
          url: `/api/privacy/requests/${requestId}/decision`,
          payload: { decision: 'accept' },
        },
      ]) {
        const res = await env.app.inject({ ...opts, headers: { cookie: other, origin: OWN_ORIGIN } });
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json()).toMatchObject({ code: 'PRIVACY_REQUEST_NOT_FOUND' });
      }
      const theirs = await env.app.inject({ method: 'GET', url: '/api/privacy/requests', headers: { cookie: other } });
      expect((theirs.json() as RequestPage).items.map((i) => i.id)).not.toContain(requestId);
      const mine = await env.as('wangge', { method: 'GET', url: '/api/privacy/requests?status=pending' });
      const item = (mine.json() as RequestPage).items.find((i) => i.id === requestId);
      expect(item).toMatchObject({ kind: 'correction', overdue: false });
      // a worker sees the proposed number masked
      expect(JSON.stringify(item)).not.toContain('13905377099');
      // the resident cannot handle requests
      const self = await env.app.inject({
        method: 'GET',
        url: `/api/privacy/requests/${requestId}`,
        headers: { cookie },
      });
      expect(self.statusCode).toBe(403);
      expect(await requestCount()).toBeGreaterThan(0);
      const status = await env.db.query<{ status: string }>('SELECT status FROM privacy_requests WHERE id = $1', [
        requestId,
      ]);
      expect(status[0]!.status).toBe('pending');
    });

    it('is applied through the people service when the grid worker accepts, audited, and the resident is told', async () => {
      const detail = await env.as('wangge', { method: 'GET', url: `/api/privacy/requests/${requestId}` });
      expect((detail.json() as RequestDetail).current).toMatchObject({ currentAddress: '旧地址 1 号' });
      const res = await decide('wangge', requestId, { decision: 'accept', note: '已核实' });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as RequestDetail;
      expect(body).toMatchObject({ status: 'accepted', decidedBy: '张网格' });
      expect(body.before).toMatchObject({ currentAddress: '旧地址 1 号', phone: '139****7020' });
      const row = await env.db.query<{ current_address: string; phone_masked: string }>(
        'SELECT current_address, phone_masked FROM residents WHERE id = $1',
        [family.head],
      );
      expect(row[0]).toEqual({ current_address: '新地址 8 号', phone_masked: '139****7099' });
      const update = await env.db.query<{ actor_name: string; diff: Record<string, unknown> }>(
        `SELECT actor_name, diff FROM audit_log WHERE action = 'resident.update' AND target_id = $1 ORDER BY id DESC LIMIT 1`,
        [String(family.head)],
      );
      expect(update[0]!.actor_name).toBe('张网格');
      expect(update[0]!.diff).toHaveProperty('currentAddress');
      expect(await auditCount('privacy.request_accept', requestId)).toBe(1);
      const told = await env.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbox_messages WHERE user_id = $1 AND kind = 'privacy.decided' AND link_id = $2`,
        [resident.id, requestId],
      );
      expect(told[0]!.n).toBe(1);
      const data = await me();
      expect(data.record).toMatchObject({ currentAddress: '新地址 8 号', phone: '13905377099' });
      expect(data.consents.requests.find((r) => r.id === requestId)).toMatchObject({ status: 'accepted' });
      const twice = await decide('wangge', requestId, { decision: 'reject', legalGround: 'other', note: '重复' });
      expect(twice.statusCode).toBe(409);
      expect(twice.json()).toMatchObject({ code: 'PRIVACY_REQUEST_DECIDED' });
    });
  });

  describe('a deletion or objection', () => {
    it('needs the legal ground to refuse; accepted, it removes the tag and stops the purpose', async () => {
      const res = await ask({
        kind: 'deletion',
        purpose: 'special_care',
        tagIds: [careTag],
        fields: ['ethnicity'],
        explanation: '不需要关爱服务',
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = (res.json() as MyRequest).id;
      const noGround = await decide('shequ', id, { decision: 'reject', note: '不同意' });
      expect(noGround.statusCode).toBe(400);
      expect(noGround.json()).toMatchObject({ field: 'legalGround' });
      const noNote = await decide('shequ', id, { decision: 'reject', legalGround: 'statutory_duty' });
      expect(noNote.statusCode).toBe(400);
      expect(noNote.json()).toMatchObject({ field: 'note' });
      const ok = await decide('shequ', id, { decision: 'accept' });
      expect(ok.statusCode, ok.body).toBe(200);
      const tags = await env.db.query<{ tag_id: number }>(
        'SELECT tag_id::int AS tag_id FROM resident_tags WHERE resident_id = $1',
        [family.head],
      );
      expect(tags.map((t) => t.tag_id)).not.toContain(careTag);
      expect(tags.map((t) => t.tag_id)).toContain(derivedFree);
      const r = await env.db.query<{ ethnicity: string | null }>('SELECT ethnicity FROM residents WHERE id = $1', [
        family.head,
      ]);
      expect(r[0]!.ethnicity).toBeNull();
      const data = await me();
      expect(data.purposes.find((p) => p.code === 'special_care')?.objected).toBe(true);
      expect(data.consents.objections.map((o) => o.purpose)).toEqual(['special_care']);
      expect(await auditCount('resident.tag_remove', family.head)).toBe(1);
    });

    it('cannot stop a purpose required by law: it is refused with the legal ground, which the resident sees', async () => {
      const res = await ask({ kind: 'deletion', purpose: 'population_registry', explanation: '删除我的登记' });
      expect(res.statusCode, res.body).toBe(201);
      const id = (res.json() as MyRequest).id;
      const accept = await decide('wangge', id, { decision: 'accept' });
      expect(accept.statusCode).toBe(409);
      expect(accept.json()).toMatchObject({ code: 'PRIVACY_PURPOSE_REQUIRED_BY_LAW' });
      const reject = await decide('wangge', id, {
        decision: 'reject',
        legalGround: 'registration_required',
        note: '户籍登记依法保存',
      });
      expect(reject.statusCode, reject.body).toBe(200);
      const mine = (await me()).consents.requests.find((r) => r.id === id);
      expect(mine).toMatchObject({ status: 'rejected', legalGround: 'registration_required' });
      expect(mine?.legalGroundText).toContain('户籍');
      const rec = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM residents WHERE id = $1', [
        family.head,
      ]);
      expect(rec[0]!.n).toBe(1);
    });
  });

  describe('deadlines', () => {
    it('marks a pending request past its deadline overdue in the list, the filter and the tasks', async () => {
      const res = await ask({
        kind: 'correction',
        changes: [{ field: 'ethnicity', value: '回族' }],
        explanation: '民族',
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = (res.json() as MyRequest).id;
      await env.db.query(`UPDATE privacy_requests SET due_at = now() - interval '1 day' WHERE id = $1`, [id]);
      const overdue = await env.as('wangge', { method: 'GET', url: '/api/privacy/requests?overdue=true' });
      const items = (overdue.json() as RequestPage).items;
      expect(items.find((i) => i.id === id)).toMatchObject({ overdue: true });
      expect(items.every((i) => i.overdue)).toBe(true);
      const notOverdue = await env.as('wangge', { method: 'GET', url: '/api/privacy/requests?overdue=false' });
      expect((notOverdue.json() as RequestPage).items.map((i) => i.id)).not.toContain(id);
      const tasks = await env.as('wangge', { method: 'GET', url: '/api/tasks/mine?kind=privacy' });
      const t = (tasks.json() as { items: { key: string; overdue: boolean }[] }).items.find(
        (x) => x.key === `privacy:${id}`,
      );
      expect(t?.overdue).toBe(true);
    });
  });

  describe('the demo', () => {
    it('gives the demo resident a decided objection and a pending correction, once', async () => {
      await env.db.query(`UPDATE users SET resident_id = $1 WHERE username = 'jumin'`, [family.spouse]);
      try {
        expect(await loadDemoPrivacy(env.db, env.pii)).toEqual({ requests: 2 });
        expect(await loadDemoPrivacy(env.db, env.pii)).toBeNull();
        const data = await me(await env.cookie('jumin'));
        expect(data.consents.requests.map((r) => [r.kind, r.status])).toEqual([
          ['correction', 'pending'],
          ['deletion', 'accepted'],
        ]);
        expect(data.purposes.find((p) => p.code === 'points_timebank')?.objected).toBe(true);
      } finally {
        await env.db.query(`UPDATE users SET resident_id = NULL WHERE username = 'jumin'`);
      }
    });
  });
});
