import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { buildUser, nodeIdByName } from '../../test/factories.js';
import { openSse } from '../../test/sse-client.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import type { CaseDetail, CaseList, Department } from './cases.schemas.js';

type Part = { name: string; filename: string; data: Buffer };

function multipart(parts: Part[]) {
  const boundary = `----linli${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      p.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const photo = () =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } })
    .jpeg()
    .toBuffer();

describeEachDb('cases', (env: TestEnv) => {
  let catEnv: number; // 环境卫生 › 垃圾清运
  let catRepair: number; // 物业报修 (urgent, 15 minutes)
  let grid2: number; // 东关社区 第二网格
  let westGrid: number; // 西关社区 第一网格 (another community)
  let minzheng: Department; // 县民政局 (bumen)
  let chengguan: Department; // 县城管局 (a second department account)
  let bumen2: string;

  const post = async (user: string, url: string, payload: unknown = {}) =>
    env.as(user, { method: 'POST', url, payload: payload as Record<string, unknown> });
  const get = async (user: string, url: string) => env.as(user, { method: 'GET', url });
  const ok = async (user: string, url: string, payload: unknown = {}): Promise<CaseDetail> => {
    const res = await post(user, url, payload);
    if (res.statusCode >= 300) throw new Error(`${user} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as CaseDetail;
  };
  const report = (user: string, body: Record<string, unknown> = {}) =>
    ok(user, '/api/cases', { categoryId: catEnv, description: '楼下垃圾三天没清运', ...body });
  const inboxKinds = async (user: string) => {
    const res = await get(user, '/api/inbox');
    return (res.json() as { items: { kind: string; link: { type: string; id: number } | null }[] }).items;
  };
  const slaSteps = async (caseId: number) =>
    (
      await env.db.query<{ step: string }>(
        `SELECT data->>'step' AS step FROM pgboss.job WHERE name = 'cases.sla' AND (data->>'caseId')::bigint = $1`,
        [caseId],
      )
    ).map((r) => r.step);
  const upload = async (user: string): Promise<string> => {
    const res = await env.as(user, {
      method: 'POST',
      url: '/api/files',
      ...multipart([{ name: 'file', filename: 'p.jpg', data: await photo() }]),
    });
    expect(res.statusCode).toBe(201);
    return (res.json() as { items: { id: string }[] }).items[0]!.id;
  };

  beforeAll(async () => {
    const cats = (await get('jumin', '/api/cases/categories')).json() as { items: { id: number; code: string }[] };
    catEnv = cats.items.find((c) => c.code === 'env.garbage')!.id;
    catRepair = cats.items.find((c) => c.code === 'property.repair')!.id;
    grid2 = await nodeIdByName(env.db, '第二网格', env.ids.community);
    const west = await nodeIdByName(env.db, '西关社区');
    westGrid = await nodeIdByName(env.db, '第一网格', west);
    const u = await buildUser(env, { role: 'department', nodeId: env.ids.county, password: DEMO_PASSWORD });
    bumen2 = u.username;
    const bumenId = Number(
      (await env.db.query<{ id: number }>("SELECT id FROM users WHERE username = 'bumen'"))[0]!.id,
    );
    const mk = async (name: string, memberIds: number[]) => {
      const res = await post('admin', '/api/cases/departments', { nodeId: env.ids.county, name, memberIds });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Department;
    };
    minzheng = await mk('县民政局', [bumenId]);
    chengguan = await mk('县城管局', [u.id]);
  });

  describe('reference data', () => {
    it('offers residents the active public categories, with the seeded tree and SLAs', async () => {
      const res = await get('jumin', '/api/cases/categories');
      expect(res.statusCode).toBe(200);
      const items = (res.json() as { items: { code: string; name: string; urgent: boolean; responseSla: unknown }[] })
        .items;
      const repair = items.find((c) => c.code === 'property.repair')!;
      expect(repair.name).toBe('物业报修');
      expect(repair.urgent).toBe(true);
      expect(repair.responseSla).toEqual({ amount: 15, unit: 'minutes' });
      expect(items.map((c) => c.code)).toEqual(expect.arrayContaining(['env', 'dispute', 'ev.emergency', 'other']));
    });

    it('lists the stages with names in the caller’s language', async () => {
      const res = await env.as('jumin', {
        method: 'GET',
        url: '/api/cases/stages',
        headers: { 'accept-language': 'en' },
      });
      const items = (res.json() as { items: { code: string; name: string; type: string }[] }).items;
      expect(items[0]).toMatchObject({ code: 'reported', name: 'Reported', type: 'open' });
      expect(items.find((s) => s.code === 'closed')).toMatchObject({ type: 'fixed' });
    });

    it('lists the departments a street can whistle to, and a department member its own', async () => {
      const street = (await get('jiedao', '/api/cases/departments')).json() as { items: Department[] };
      expect(street.items.map((d) => d.name)).toEqual(expect.arrayContaining(['县民政局', '县城管局']));
      const dept = (await get('bumen', '/api/cases/departments')).json() as { items: Department[] };
      expect(dept.items.map((d) => d.name)).toEqual(['县民政局']);
      expect((await get('jumin', '/api/cases/departments')).json()).toEqual({ items: [] });
    });
  });

  describe('the resident’s loop: report → accept → handle → verify → close → rate', () => {
    let c: CaseDetail;

    it('files a resident’s report at their home and tells the grid worker', async () => {
      c = await report('jumin');
      expect(c).toMatchObject({
        stage: 'reported',
        source: 'resident',
        title: '垃圾清运',
        reporterName: '陈居民',
        allowedActions: [],
      });
      expect(c.caseNo).toMatch(/^SJ\d{8}-\d{6}$/);
      expect(c.place.nodeId).toBe(env.ids.unit);
      expect(c.place.gridId).toBe(env.ids.grid);
      expect(c.timeline.map((e) => e.action)).toEqual(['report']);
      const kinds = await inboxKinds('wangge');
      expect(kinds.find((m) => m.kind === 'cases.new' && m.link?.id === c.id)).toBeTruthy();
      const asWorker = (await get('wangge', `/api/cases/${c.id}`)).json() as CaseDetail;
      expect(asWorker.allowedActions).toEqual(['accept', 'note']);
      const audit = await env.db.query("SELECT 1 FROM audit_log WHERE action = 'case.report' AND target_id = $1", [
        String(c.id),
      ]);
      expect(audit).toHaveLength(1);
    });

    it('refuses rating before the case is closed', async () => {
      const res = await post('jumin', `/api/cases/${c.id}/rate`, { rating: 5 });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'CASE_TRANSITION_REFUSED' });
      expect(res.json().message).toContain('待受理');
    });

    it('lets the grid worker accept in one tap, starting the clock, and tells the resident', async () => {
      c = await ok('wangge', `/api/cases/${c.id}/accept`);
      expect(c.stage).toBe('handling');
      expect(c.handlerName).toBe('张网格');
      expect(c.assigneeNodeId).toBe(env.ids.grid);
      expect(c.responseDueAt).not.toBeNull();
      expect(c.handleDueAt).not.toBeNull();
      expect((await inboxKinds('jumin')).some((m) => m.kind === 'cases.accepted' && m.link?.id === c.id)).toBe(true);
      // The clock's timers are queued (cases.sla jobs keyed by the case).
      expect(await slaSteps(c.id)).not.toEqual([]);
    });

    it('attaches the handler’s photos to a note and refuses another user’s upload', async () => {
      const mine = await upload('wangge');
      const theirs = await upload('jumin');
      const refused = await post('wangge', `/api/cases/${c.id}/notes`, { note: '已联系环卫', fileIds: [theirs] });
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toMatchObject({ code: 'FILE_NOT_FOUND', field: 'fileIds.0' });
      c = await ok('wangge', `/api/cases/${c.id}/notes`, { note: '已联系环卫', fileIds: [mine] });
      const note = c.timeline.at(-1)!;
      expect(note).toMatchObject({ action: 'note', note: '已联系环卫' });
      expect(note.files.map((f) => f.id)).toEqual([mine]);
      // The reporter sees the public note's photo; a building leader of another place does not.
      expect((await get('jumin', `/api/files/${mine}`)).statusCode).toBe(200);
      expect((await get('louzhang', `/api/cases/${c.id}`)).statusCode).toBe(404);
    });

    it('hides internal notes and their photos from the reporter', async () => {
      const inner = await upload('wangge');
      await ok('wangge', `/api/cases/${c.id}/notes`, { note: '内部：环卫车故障', public: false, fileIds: [inner] });
      const asReporter = (await get('jumin', `/api/cases/${c.id}`)).json() as CaseDetail;
      expect(asReporter.timeline.map((e) => e.note)).not.toContain('内部：环卫车故障');
      const asWorker = (await get('wangge', `/api/cases/${c.id}`)).json() as CaseDetail;
      expect(asWorker.timeline.map((e) => e.note)).toContain('内部：环卫车故障');
      expect((await get('jumin', `/api/files/${inner}`)).statusCode).toBe(404);
      expect((await get('shequ', `/api/files/${inner}`)).statusCode).toBe(200);
    });

    it('refuses verification before the case is handled, and by the grid worker', async () => {
      const early = await post('shequ', `/api/cases/${c.id}/verify`, { passed: true });
      expect(early.statusCode).toBe(409);
      c = await ok('wangge', `/api/cases/${c.id}/handle`, { note: '已清运完毕' });
      expect(c.stage).toBe('handled');
      expect(c.verifyDueAt).not.toBeNull();
      const byWorker = await post('wangge', `/api/cases/${c.id}/verify`, { passed: true });
      expect(byWorker.statusCode).toBe(403);
      expect(byWorker.json()).toMatchObject({ code: 'FORBIDDEN' });
    });

    it('sends a failed verification back to handling as rework, then closes', async () => {
      c = await ok('shequ', `/api/cases/${c.id}/verify`, { passed: false, note: '仍有残留' });
      expect(c).toMatchObject({ stage: 'handling', reworkCount: 1 });
      c = await ok('wangge', `/api/cases/${c.id}/handle`, { note: '残留已清理' });
      c = await ok('shequ', `/api/cases/${c.id}/verify`, { passed: true });
      expect(c.stage).toBe('closed');
      expect(c.closedAt).not.toBeNull();
      expect((await inboxKinds('jumin')).some((m) => m.kind === 'cases.closed' && m.link?.id === c.id)).toBe(true);
      const mine = (await get('jumin', `/api/cases/${c.id}`)).json() as CaseDetail;
      expect(mine.allowedActions).toEqual(['rate', 'reopen']);
    });

    it('takes the reporter’s rating once', async () => {
      const other = await post('wangge', `/api/cases/${c.id}/rate`, { rating: 1 });
      expect(other.statusCode).toBe(403);
      c = await ok('jumin', `/api/cases/${c.id}/rate`, { rating: 5, comment: '很及时' });
      expect(c).toMatchObject({ rating: 5, ratingComment: '很及时', allowedActions: [] });
      const again = await post('jumin', `/api/cases/${c.id}/rate`, { rating: 3 });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'CASE_ALREADY_RATED' });
      const reopen = await post('jumin', `/api/cases/${c.id}/reopen`, { reason: '又堆起来了' });
      expect(reopen.json()).toMatchObject({ code: 'CASE_ALREADY_RATED' });
      const stored = await env.db.query<{ rating: number }>('SELECT rating FROM cases WHERE id = $1', [c.id]);
      expect(stored[0]!.rating).toBe(5);
    });

    it('lists it among the resident’s own reports, and on the board with stage counts', async () => {
      const mine = (await get('jumin', '/api/cases?view=reported')).json() as CaseList;
      expect(mine.items.map((i) => i.id)).toContain(c.id);
      const board = (await get('shequ', '/api/cases?stage=closed&counts=true')).json() as CaseList;
      expect(board.items.map((i) => i.id)).toContain(c.id);
      expect(board.items.every((i) => i.stage === 'closed')).toBe(true);
      expect(board.stageCounts.closed).toBeGreaterThanOrEqual(1);
      const other = (await get('jumin', '/api/cases')).json() as CaseList;
      expect(other.items).toEqual([]);
    });
  });

  describe('dispatch, escalate, department', () => {
    it('dispatches a worker’s report to a grid, which escalates; then to a department, which handles it', async () => {
      let c = await report('shequ', {
        place: { nodeId: grid2 },
        source: 'hotline',
        contactName: '王女士',
        contactPhone: '13800138000',
      });
      expect(c).toMatchObject({ source: 'hotline', contactPhoneMasked: expect.stringContaining('****') });
      const early = await post('wangge', `/api/cases/${c.id}/accept`);
      expect(early.statusCode).toBe(404); // 第二网格 is not wangge's: they cannot even read it
      c = await ok('shequ', `/api/cases/${c.id}/dispatch`, { nodeId: env.ids.grid, note: '就近处理' });
      expect(c).toMatchObject({ stage: 'dispatched', assigneeNodeId: env.ids.grid });
      expect((await inboxKinds('wangge')).some((m) => m.kind === 'cases.dispatched' && m.link?.id === c.id)).toBe(true);
      c = await ok('wangge', `/api/cases/${c.id}/escalate`, { reason: '需要部门协调' });
      expect(c.stage).toBe('escalated');
      expect((await inboxKinds('shequ')).some((m) => m.kind === 'cases.escalated')).toBe(true);
      c = await ok('shequ', `/api/cases/${c.id}/dispatch`, { departmentId: minzheng.id });
      expect(c).toMatchObject({ stage: 'dispatched', assigneeDepartmentName: '县民政局', assigneeNodeId: null });
      const asDept = (await get('bumen', `/api/cases/${c.id}`)).json() as CaseDetail;
      expect(asDept.allowedActions).toEqual(
        ['accept', 'escalate', 'return', 'note'].filter((a) => asDept.allowedActions.includes(a as never)).length
          ? asDept.allowedActions
          : [],
      );
      expect(asDept.allowedActions).toContain('accept');
      expect(asDept.reporterName).not.toBe('李社工');
      c = await ok('bumen', `/api/cases/${c.id}/accept`);
      c = await ok('bumen', `/api/cases/${c.id}/handle`, { note: '已办结' });
      expect(c.stage).toBe('handled');
      const dept = (await get('bumen', '/api/cases?view=department')).json() as CaseList;
      expect(dept.items.map((i) => i.id)).toContain(c.id);
    });

    it('refuses dispatching with no target, or to a grid outside the area', async () => {
      const c = await report('shequ', { place: { nodeId: grid2 } });
      const none = await post('shequ', `/api/cases/${c.id}/dispatch`, {});
      expect(none.json()).toMatchObject({ code: 'CASE_DISPATCH_TARGET_REQUIRED' });
      const far = await post('shequ', `/api/cases/${c.id}/dispatch`, { nodeId: westGrid });
      expect(far.json()).toMatchObject({ code: 'CASE_DISPATCH_TARGET_INVALID', field: 'nodeId' });
      const stored = await env.db.query<{ stage: string }>('SELECT stage FROM cases WHERE id = $1', [c.id]);
      expect(stored[0]!.stage).toBe('reported');
    });

    it('returns a wrongly routed case to the community with a reason', async () => {
      let c = await report('shequ', { place: { nodeId: grid2 } });
      c = await ok('shequ', `/api/cases/${c.id}/dispatch`, { nodeId: env.ids.grid });
      const noReason = await post('wangge', `/api/cases/${c.id}/return`, { reason: '  ' });
      expect(noReason.statusCode).toBe(400);
      const dbg = await post('wangge', `/api/cases/${c.id}/return`, { reason: '不在本网格' });
      expect(
        dbg.statusCode,
        `${dbg.body} ${JSON.stringify(await env.db.query('SELECT stage, assignee_node_id, node_path FROM cases WHERE id = $1', [c.id]))}`,
      ).toBe(200);
      c = dbg.json() as CaseDetail;
      expect(c).toMatchObject({ stage: 'reported', assigneeNodeId: null, handleDueAt: null });
      expect((await inboxKinds('shequ')).some((m) => m.kind === 'cases.returned' && m.link?.id === c.id)).toBe(true);
    });
  });

  describe('whistle (吹哨) to two departments', () => {
    it('is handled once every department has reported back', async () => {
      let c = await report('jiedao', { place: { nodeId: grid2 } });
      const byWorker = await post('wangge', `/api/cases/${c.id}/whistle`, {
        departmentIds: [minzheng.id],
        note: '请协调',
      });
      expect(byWorker.statusCode).toBe(404);
      c = await ok('jiedao', `/api/cases/${c.id}/whistle`, {
        departmentIds: [minzheng.id, chengguan.id],
        note: '街道吹哨，请部门报到',
      });
      expect(c.stage).toBe('whistled');
      expect(c.whistles.map((w) => [w.departmentName, w.status])).toEqual([
        ['县民政局', 'pending'],
        ['县城管局', 'pending'],
      ]);
      expect((await inboxKinds(bumen2)).some((m) => m.kind === 'cases.whistled' && m.link?.id === c.id)).toBe(true);
      const w1 = c.whistles[0]!.id;
      const w2 = c.whistles[1]!.id;
      const asDept = (await get('bumen', `/api/cases/${c.id}`)).json() as CaseDetail;
      expect(asDept.myWhistleIds).toEqual([w1]);
      // A member of the other department cannot answer this one.
      const cross = await post(bumen2, `/api/cases/${c.id}/whistles/${w1}/accept`);
      expect(cross.json()).toMatchObject({ code: 'FORBIDDEN' });
      c = await ok('bumen', `/api/cases/${c.id}/whistles/${w1}/accept`);
      c = await ok('bumen', `/api/cases/${c.id}/whistles/${w1}/report`, { note: '已落实救助' });
      expect(c.stage).toBe('whistled');
      const twice = await post('bumen', `/api/cases/${c.id}/whistles/${w1}/report`, { note: '再次反馈' });
      expect(twice.json()).toMatchObject({ code: 'CASE_WHISTLE_CLOSED' });
      c = await ok(bumen2, `/api/cases/${c.id}/whistles/${w2}/report`, { note: '已整治' });
      expect(c.stage).toBe('handled');
      expect(c.whistles.map((w) => [w.status, w.onTime])).toEqual([
        ['reported', true],
        ['reported', true],
      ]);
      const todo = (await get('bumen', '/api/workbench')).json() as { todos: { id: string }[] };
      expect(todo.todos.map((t) => t.id)).not.toContain('cases.whistles');
    });

    it('goes back to the street when every department returns it', async () => {
      let c = await report('jiedao', { place: { nodeId: grid2 } });
      c = await ok('jiedao', `/api/cases/${c.id}/whistle`, { departmentIds: [minzheng.id], note: '请协调' });
      const todo = (await get('bumen', '/api/workbench')).json() as { todos: { id: string; total: number }[] };
      expect(todo.todos.find((t) => t.id === 'cases.whistles')?.total).toBeGreaterThanOrEqual(1);
      c = await ok('bumen', `/api/cases/${c.id}/whistles/${c.whistles[0]!.id}/return`, { reason: '不属本部门职责' });
      expect(c.stage).toBe('escalated');
    });
  });

  describe('park, merge, cancel, reopen', () => {
    it('parks until a review date and unparks to the stage it came from', async () => {
      let c = await report('shequ', { place: { nodeId: grid2 } });
      c = await ok('shequ', `/api/cases/${c.id}/dispatch`, { nodeId: grid2 });
      const past = await post('shequ', `/api/cases/${c.id}/park`, { reason: '资金未到位', until: '2020-01-01' });
      expect(past.json()).toMatchObject({ code: 'CASE_DATE_PAST', field: 'until' });
      c = await ok('shequ', `/api/cases/${c.id}/park`, { reason: '资金未到位', until: '2099-06-30' });
      expect(c).toMatchObject({ stage: 'parked', parkedUntil: '2099-06-30' });
      expect(await slaSteps(c.id)).toContain('park_review');
      c = await ok('shequ', `/api/cases/${c.id}/unpark`);
      expect(c).toMatchObject({ stage: 'dispatched', parkedUntil: null });
    });

    it('suggests and merges a duplicate into the open case', async () => {
      const first = await report('jumin', { place: { lat: 35.5, lng: 116.9, nodeId: env.ids.grid } });
      const simRes = await get('jumin', `/api/cases/similar?categoryId=${catEnv}&lat=35.5001&lng=116.9001`);
      expect(simRes.statusCode, simRes.body).toBe(200);
      const similar = simRes.json() as {
        items: { id: number }[];
      };
      expect(similar.items.map((s) => s.id)).toContain(first.id);
      const far = (await get('jumin', `/api/cases/similar?categoryId=${catEnv}&lat=35.6&lng=116.9`)).json() as {
        items: { id: number }[];
      };
      expect(far.items.map((s) => s.id)).not.toContain(first.id);
      let dup = await report('jumin', { place: { lat: 35.5001, lng: 116.9001, nodeId: env.ids.grid } });
      const self = await post('shequ', `/api/cases/${dup.id}/merge`, { intoId: dup.id });
      expect(self.json()).toMatchObject({ code: 'CASE_MERGE_TARGET_INVALID', field: 'intoId' });
      dup = await ok('shequ', `/api/cases/${dup.id}/merge`, { intoId: first.id });
      expect(dup).toMatchObject({ stage: 'merged', mergedIntoId: first.id });
      const into = (await get('shequ', `/api/cases/${first.id}`)).json() as CaseDetail;
      expect(into.timeline.some((e) => e.action === 'merged_in')).toBe(true);
      const again = await post('shequ', `/api/cases/${dup.id}/merge`, { intoId: first.id });
      expect(again.statusCode).toBe(409);
    });

    it('cancels a report that is not a case', async () => {
      let c = await report('jumin');
      c = await ok('shequ', `/api/cases/${c.id}/cancel`, { reason: '重复反映，已电话回复' });
      expect(c.stage).toBe('cancelled');
      const again = await post('shequ', `/api/cases/${c.id}/cancel`, { reason: '再次' });
      expect(again.json()).toMatchObject({ code: 'CASE_TRANSITION_REFUSED' });
    });

    it('reopens a closed case as not solved: dispatched again with rework', async () => {
      let c = await report('jumin');
      c = await ok('wangge', `/api/cases/${c.id}/accept`);
      c = await ok('wangge', `/api/cases/${c.id}/handle`, { note: '已处理' });
      c = await ok('shequ', `/api/cases/${c.id}/verify`, { passed: true });
      c = await ok('jumin', `/api/cases/${c.id}/reopen`, { reason: '没有解决' });
      expect(c).toMatchObject({ stage: 'dispatched', reworkCount: 1, closedAt: null, assigneeNodeId: env.ids.grid });
      expect((await inboxKinds('wangge')).some((m) => m.kind === 'cases.reopened' && m.link?.id === c.id)).toBe(true);
      c = await ok('wangge', `/api/cases/${c.id}/accept`);
      expect(c.stage).toBe('handling');
    });
  });

  describe('place and live updates', () => {
    it('places a point in the grid whose boundary holds it, and refuses a point in none', async () => {
      const square = {
        type: 'Polygon',
        coordinates: [
          [
            [116.9, 35.5],
            [116.91, 35.5],
            [116.91, 35.51],
            [116.9, 35.51],
            [116.9, 35.5],
          ],
        ],
      };
      await env.db.query('UPDATE org_nodes SET boundary = $2 WHERE id = $1', [env.ids.grid, JSON.stringify(square)]);
      try {
        const c = await report('jumin', { place: { lat: 35.505, lng: 116.905 } });
        expect(c.place).toMatchObject({ nodeId: env.ids.grid, gridId: env.ids.grid, lat: 35.505, lng: 116.905 });
        const res = await post('jumin', '/api/cases', { categoryId: catEnv, place: { lat: 35.6, lng: 116.905 } });
        expect(res.json()).toMatchObject({ code: 'CASE_PLACE_OUTSIDE', field: 'place' });
      } finally {
        await env.db.query('UPDATE org_nodes SET boundary = NULL WHERE id = $1', [env.ids.grid]);
      }
    });

    it('publishes each change to live readers of the area, and not to the reporter', async () => {
      await env.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(env.app.server.address() as { port: number }).port}`;
      const board = await openSse(`${base}/api/live`, { cookie: await env.cookie('shequ') });
      const reporter = await openSse(`${base}/api/live`, { cookie: await env.cookie('jumin') });
      try {
        await board.next((e) => e.event === 'hello');
        await reporter.next((e) => e.event === 'hello');
        const c = await report('jumin');
        const of = (stage: string) => (e: { event: string; data: unknown }) =>
          e.event === 'topic' &&
          (e.data as { topic: string; data: { id: number; stage: string } }).topic === 'cases' &&
          (e.data as { data: { id: number } }).data.id === c.id &&
          (e.data as { data: { stage: string } }).data.stage === stage;
        expect((await board.next(of('reported'))).data).toEqual({
          topic: 'cases',
          data: { id: c.id, stage: 'reported', supervision: 0 },
        });
        await ok('wangge', `/api/cases/${c.id}/accept`);
        await board.next(of('handling'));
        await new Promise((r) => setTimeout(r, 300));
        expect(reporter.seen.some((e) => e.event === 'topic')).toBe(false);
      } finally {
        board.close();
        reporter.close();
      }
    });
  });

  describe('list views and filters', () => {
    it('gives the grid worker their tasks: new reports in their grid and what they handle, not the next grid’s', async () => {
      const mine = await report('jumin');
      const next = await report('shequ', { place: { nodeId: grid2 } });
      const tasks = async () =>
        ((await get('wangge', '/api/cases?view=tasks')).json() as CaseList).items.map((i) => i.id);
      expect(await tasks()).toContain(mine.id);
      expect(await tasks()).not.toContain(next.id);
      await ok('wangge', `/api/cases/${mine.id}/accept`);
      expect(await tasks()).toContain(mine.id);
      await ok('wangge', `/api/cases/${mine.id}/handle`, { note: '已处置' });
      expect(await tasks()).not.toContain(mine.id);
    });

    it('filters the board by category subtree, stage and text, and pages by cursor', async () => {
      const parent = (
        (await get('shequ', '/api/cases/categories')).json() as { items: { id: number; code: string }[] }
      ).items.find((c) => c.code === 'env')!.id;
      const byParent = (await get('shequ', `/api/cases?categoryId=${parent}&limit=200`)).json() as CaseList;
      expect(byParent.items.length).toBeGreaterThan(0);
      expect(byParent.items.every((i) => i.categoryId === catEnv)).toBe(true);
      const first = (await get('shequ', '/api/cases?limit=2')).json() as CaseList;
      expect(first.items).toHaveLength(2);
      const second = (
        await get('shequ', `/api/cases?limit=2&after=${encodeURIComponent(first.nextAfter!)}`)
      ).json() as CaseList;
      expect(second.items.map((i) => i.id)).not.toContain(first.items[0]!.id);
      expect(second.items[0]!.id).toBeLessThan(first.items[1]!.id);
      const byNo = (
        await get('shequ', `/api/cases?q=${encodeURIComponent(first.items[0]!.caseNo)}`)
      ).json() as CaseList;
      expect(byNo.items.map((i) => i.id)).toEqual([first.items[0]!.id]);
      const far = await get('shequ', `/api/cases?nodeId=${westGrid}`);
      expect(far.json()).toMatchObject({ code: 'ORG_NODE_NOT_FOUND', field: 'nodeId' });
    });
  });

  describe('bad input', () => {
    it('refuses an unknown category', async () => {
      const res = await post('jumin', '/api/cases', { categoryId: 999999 });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'CASE_CATEGORY_NOT_FOUND', field: 'categoryId' });
    });

    it('refuses a place outside the reporter’s community', async () => {
      const before = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
      const res = await post('jumin', '/api/cases', { categoryId: catEnv, place: { nodeId: westGrid } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'CASE_PLACE_OUTSIDE', field: 'place' });
      const after = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
      expect(after[0]!.n).toBe(before[0]!.n);
      // Its own community's other grid is fine.
      const ok2 = await post('jumin', '/api/cases', { categoryId: catRepair, place: { nodeId: grid2 } });
      expect(ok2.statusCode).toBe(201);
    });

    it('refuses photos of another user, leaving no case behind', async () => {
      const theirs = await upload('wangge');
      const before = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
      const res = await post('jumin', '/api/cases', { categoryId: catEnv, fileIds: [theirs] });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'FILE_NOT_FOUND', field: 'fileIds.0' });
      const after = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
      expect(after[0]!.n).toBe(before[0]!.n);
    });

    it('refuses a contact given by a resident', async () => {
      const res = await post('jumin', '/api/cases', { categoryId: catEnv, contactName: '别人' });
      expect(res.json()).toMatchObject({ code: 'CASE_CONTACT_NOT_ALLOWED', field: 'contactName' });
    });
  });
});
