import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUser, nodeIdByName } from '../../test/factories.js';
import { buildHousehold, buildResident, firstNodeUnder } from '../../test/people-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { buildGridLink, buildVisitRule, buildVisitTask } from '../../test/visits-factories.js';
import type { VisitDetail, VisitRecorded, VisitTaskDetail, VisitTaskPage } from './visits.schemas.js';
import { sendReminders } from './visits.service.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function photoForm(data: Buffer) {
  const boundary = `----linli${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachDb('visit tasks and visits', (env: TestEnv) => {
  let ruleId: number;
  let grid2: number;
  let unit2: number; // a unit of 第二网格
  let catId: number;
  let wangge: number;
  let louzhang: number;
  let zhiyuan: number;
  let jumin: number;
  /** A household of 1号楼 (第一网格) with its head, and one of 第二网格. */
  let home: { household: number; resident: number };
  let far: { household: number; resident: number };

  const userId = async (name: string) =>
    (await env.db.query<{ id: number }>('SELECT id FROM users WHERE lower(username) = $1', [name]))[0]!.id;

  async function household(nodeId: number, name: string) {
    const h = await buildHousehold(env, { nodeId });
    const r = await buildResident(env, { nodeId, name, householdId: h.id, relation: 'head', birthDate: '1940-03-02' });
    await env.db.query('UPDATE households SET head_resident_id = $2 WHERE id = $1', [h.id, r.id]);
    return { household: h.id, resident: r.id };
  }

  const task = (o: Partial<Parameters<typeof buildVisitTask>[1]> = {}) =>
    buildVisitTask(env.db, { ruleId, residentId: home.resident, assigneeId: wangge, ...o });

  const post = (user: string, payload: Record<string, unknown>) =>
    env.as(user, { method: 'POST', url: '/api/visits', payload });

  const visit = (o: Record<string, unknown> = {}) => ({
    clientId: randomUUID(),
    visitedAt: new Date(Date.now() - HOUR).toISOString(),
    outcome: 'well',
    ...o,
  });

  async function taskRow(id: number) {
    return (
      await env.db.query<{ status: string; attempts: number; visit_id: number | null; done_at: Date | null }>(
        'SELECT status, attempts, visit_id, done_at FROM visit_tasks WHERE id = $1',
        [id],
      )
    )[0]!;
  }
  const visitCount = async (taskId: number) =>
    (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM visits WHERE task_id = $1', [taskId]))[0]!.n;

  beforeAll(async () => {
    ruleId = (await buildVisitRule(env.db, { name: '独居老人走访', every: 1, unit: 'week' })).id;
    grid2 = await nodeIdByName(env.db, '第二网格', env.ids.community);
    unit2 = await firstNodeUnder(env.db, grid2, 'unit');
    catId = (await env.db.query<{ id: number }>(`SELECT id FROM case_categories WHERE code = 'env.garbage'`))[0]!.id;
    wangge = await userId('wangge');
    louzhang = await userId('louzhang');
    zhiyuan = await userId('zhiyuan');
    jumin = await userId('jumin');
    home = await household(env.ids.unit!, '走访张老人');
    far = await household(unit2, '走访李老人');
  });

  describe('recording', () => {
    it('a retried visit (same clientId) is one visit: 201, then 200 duplicate with the same record', async () => {
      const t = await task();
      const body = visit({ taskId: t.id, note: '身体不错' });
      const first = await post('wangge', body);
      expect(first.statusCode).toBe(201);
      const a = first.json() as VisitRecorded;
      expect(a.duplicate).toBe(false);
      expect(a.visit).toMatchObject({ taskId: t.id, outcome: 'well', note: '身体不错', visitorId: wangge });
      const again = await post('wangge', body);
      expect(again.statusCode).toBe(200);
      const b = again.json() as VisitRecorded;
      expect(b.duplicate).toBe(true);
      expect(b.visit.id).toBe(a.visit.id);
      expect(await visitCount(t.id)).toBe(1);
      // The same clientId with other contents is refused, nothing written.
      const other = await post('wangge', { ...body, outcome: 'not_home' });
      expect(other.statusCode).toBe(409);
      expect(other.json().code).toBe('VISIT_CLIENT_ID_REUSED');
      expect(await visitCount(t.id)).toBe(1);
    });

    it('two identical posts at once record one visit', async () => {
      const t = await task();
      const body = visit({ taskId: t.id });
      const [x, y] = await Promise.all([post('wangge', body), post('wangge', body)]);
      expect([x.statusCode, y.statusCode].sort()).toEqual([200, 201]);
      expect((x.json() as VisitRecorded).visit.id).toBe((y.json() as VisitRecorded).visit.id);
      expect(await visitCount(t.id)).toBe(1);
      expect((await taskRow(t.id)).status).toBe('done');
    });

    it('refuses a visit dated in the future or too long ago, writing nothing', async () => {
      const t = await task();
      const future = await post(
        'wangge',
        visit({ taskId: t.id, visitedAt: new Date(Date.now() + HOUR).toISOString() }),
      );
      expect(future.statusCode).toBe(400);
      expect(future.json()).toMatchObject({ code: 'VISIT_IN_FUTURE', field: 'visitedAt' });
      const old = await post(
        'wangge',
        visit({ taskId: t.id, visitedAt: new Date(Date.now() - 31 * DAY).toISOString() }),
      );
      expect(old.statusCode).toBe(400);
      expect(old.json()).toMatchObject({ code: 'VISIT_TOO_OLD', field: 'visitedAt' });
      expect(await visitCount(t.id)).toBe(0);
      // A phone's clock a minute ahead still passes.
      const skew = await post(
        'wangge',
        visit({ taskId: t.id, visitedAt: new Date(Date.now() + 60_000).toISOString() }),
      );
      expect(skew.statusCode).toBe(201);
    });

    it('another grid’s task is not found for the grid worker; the community worker covers it', async () => {
      const other = await buildUser(env, { role: 'grid_worker', nodeId: grid2 });
      const t = await task({ residentId: far.resident, assigneeId: other.id });
      const refused = await post('wangge', visit({ taskId: t.id }));
      expect(refused.statusCode).toBe(404);
      expect(refused.json().code).toBe('VISIT_TASK_NOT_FOUND');
      expect((await env.as('wangge', { method: 'GET', url: `/api/visit-tasks/${t.id}` })).statusCode).toBe(404);
      expect(await visitCount(t.id)).toBe(0);
      const covered = await post('shequ', visit({ taskId: t.id }));
      expect(covered.statusCode).toBe(201);
      expect((await taskRow(t.id)).status).toBe('done');
    });

    it('a closed task takes no more visits', async () => {
      const done = await task({ status: 'done' });
      const res = await post('wangge', visit({ taskId: done.id }));
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('VISIT_TASK_CLOSED');
      const withdrawn = await task({ status: 'withdrawn' });
      expect((await post('wangge', visit({ taskId: withdrawn.id }))).json().code).toBe('VISIT_TASK_CLOSED');
    });

    it('not at home counts an attempt and leaves the task open; seen and well closes it at the visit’s time', async () => {
      const t = await task({ dueAt: new Date(Date.now() + DAY) });
      expect((await post('wangge', visit({ taskId: t.id, outcome: 'not_home' }))).statusCode).toBe(201);
      expect(await taskRow(t.id)).toMatchObject({ status: 'open', attempts: 1, visit_id: null });
      const at = new Date(Date.now() - 2 * HOUR);
      at.setMilliseconds(0);
      const res = await post('wangge', visit({ taskId: t.id, visitedAt: at.toISOString() }));
      const v = (res.json() as VisitRecorded).visit;
      const row = await taskRow(t.id);
      expect(row).toMatchObject({ status: 'done', attempts: 1, visit_id: v.id });
      expect(row.done_at!.toISOString()).toBe(at.toISOString());
      const detail = (
        await env.as('wangge', { method: 'GET', url: `/api/visit-tasks/${t.id}` })
      ).json() as VisitTaskDetail;
      expect(detail.status).toBe('done');
      expect(detail.visits.map((x) => x.outcome).sort()).toEqual(['not_home', 'well']);
      expect(detail.can).toEqual({ visit: false, assign: false, withdraw: false });
    });

    it('a visit without a task needs a resident or a household in the caller’s area', async () => {
      const none = await post('wangge', visit());
      expect(none.statusCode).toBe(400);
      expect(none.json().code).toBe('VISIT_SUBJECT_REQUIRED');
      const ok = await post('wangge', visit({ householdId: home.household }));
      expect(ok.statusCode).toBe(201);
      expect((ok.json() as VisitRecorded).visit).toMatchObject({ taskId: null, householdId: home.household });
      const outside = await post('wangge', visit({ householdId: far.household }));
      expect(outside.statusCode).toBe(404);
      expect(outside.json().code).toBe('HOUSEHOLD_NOT_FOUND');
    });

    it('needs help → a case (source visit) once; a visit that found everyone well opens none', async () => {
      const t = await task();
      const v = (
        (await post('wangge', visit({ taskId: t.id, outcome: 'needs_help', note: '行动不便' }))).json() as VisitRecorded
      ).visit;
      const opened = await env.as('wangge', {
        method: 'POST',
        url: `/api/visits/${v.id}/case`,
        payload: { categoryId: catId },
      });
      expect(opened.statusCode).toBe(201);
      const { caseId } = opened.json() as { caseId: number };
      const c = (
        await env.db.query<{ source: string; node_path: string }>('SELECT source, node_path FROM cases WHERE id = $1', [
          caseId,
        ])
      )[0]!;
      expect(c.source).toBe('visit');
      const read = (await env.as('wangge', { method: 'GET', url: `/api/visits/${v.id}` })).json() as VisitDetail;
      expect(read).toMatchObject({ caseId, outcome: 'needs_help' });
      expect(read.caseNo).toMatch(/^SJ/);
      const twice = await env.as('wangge', {
        method: 'POST',
        url: `/api/visits/${v.id}/case`,
        payload: { categoryId: catId },
      });
      expect(twice.statusCode).toBe(409);
      expect(twice.json().code).toBe('VISIT_CASE_EXISTS');
      const well = ((await post('wangge', visit({ householdId: home.household }))).json() as VisitRecorded).visit;
      const refused = await env.as('wangge', {
        method: 'POST',
        url: `/api/visits/${well.id}/case`,
        payload: { categoryId: catId },
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('VISIT_CASE_NEEDS_HELP');
      const audit = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'visit' AND target_id = $1 ORDER BY id`,
        [String(v.id)],
      );
      expect(audit.map((a) => a.action)).toEqual(['visit.record', 'visit.case']);
    });

    it('a linked party member visits their household and not another', async () => {
      await buildGridLink(env.db, { kind: 'party_household', userId: zhiyuan, householdId: home.household });
      const mineTask = await task({ assigneeId: wangge });
      const farTask = await task({ residentId: far.resident, assigneeId: null });
      const list = (
        await env.as('zhiyuan', { method: 'GET', url: '/api/visit-tasks?pageSize=200' })
      ).json() as VisitTaskPage;
      const ids = list.items.map((i) => i.id);
      expect(ids).toContain(mineTask.id);
      expect(ids).not.toContain(farTask.id);
      const ok = await post('zhiyuan', visit({ taskId: mineTask.id }));
      expect(ok.statusCode).toBe(201);
      const adHoc = await post('zhiyuan', visit({ householdId: home.household, outcome: 'not_home' }));
      expect(adHoc.statusCode).toBe(201);
      const refused = await post('zhiyuan', visit({ taskId: farTask.id }));
      expect(refused.statusCode).toBe(404);
      expect(refused.json().code).toBe('VISIT_TASK_NOT_FOUND');
      const refusedHousehold = await post('zhiyuan', visit({ householdId: far.household }));
      expect(refusedHousehold.statusCode).toBe(404);
      expect(refusedHousehold.json().code).toBe('HOUSEHOLD_NOT_FOUND');
      expect(await visitCount(farTask.id)).toBe(0);
      // Their own visits are theirs to read; names come masked (no people.sensitive).
      const own = (await env.as('zhiyuan', { method: 'GET', url: `/api/visits?householdId=${home.household}` })).json();
      expect(own.items.length).toBeGreaterThanOrEqual(2);
      expect(own.items[0].residentName).not.toBe('走访张老人');
    });

    it('photos go through the files platform (kind visit), readable as the visit is', async () => {
      const up = await env.as('wangge', {
        method: 'POST',
        url: '/api/files',
        ...photoForm(
          await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } })
            .jpeg()
            .toBuffer(),
        ),
      });
      expect(up.statusCode).toBe(201);
      const fileId = (up.json() as { items: { id: string }[] }).items[0]!.id;
      const res = await post('wangge', visit({ householdId: home.household, fileIds: [fileId] }));
      expect(res.statusCode).toBe(201);
      const v = (res.json() as VisitRecorded).visit;
      expect(v.files.map((f) => f.id)).toEqual([fileId]);
      expect(v.photoCount).toBe(1);
      expect((await env.as('shequ', { method: 'GET', url: `/api/files/${fileId}` })).statusCode).toBe(200);
      expect((await env.as('jumin', { method: 'GET', url: `/api/files/${fileId}` })).statusCode).toBe(404);
    });
  });

  describe('tasks', () => {
    it('lists the area’s tasks with counts; mine narrows to the caller’s', async () => {
      const overdue = await task({ dueAt: new Date(Date.now() - DAY) });
      const farTask = await task({ residentId: far.resident, assigneeId: null });
      const page = (
        await env.as('wangge', { method: 'GET', url: '/api/visit-tasks?status=overdue&pageSize=200' })
      ).json() as VisitTaskPage;
      const item = page.items.find((i) => i.id === overdue.id)!;
      expect(item).toMatchObject({ overdue: true, status: 'open', ruleName: '独居老人走访', assigneeId: wangge });
      expect(item.reason).toBe('独居老人 · 每周');
      expect(item.placeLabel).toContain('东关社区');
      expect(page.items.map((i) => i.id)).not.toContain(farTask.id);
      expect(page.counts.overdue).toBeGreaterThanOrEqual(1);
      expect(page.total).toBe(page.items.length);
      const all = (
        await env.as('shequ', { method: 'GET', url: '/api/visit-tasks?pageSize=200' })
      ).json() as VisitTaskPage;
      expect(all.items.map((i) => i.id)).toEqual(expect.arrayContaining([overdue.id, farTask.id]));
      const mine = (
        await env.as('shequ', { method: 'GET', url: '/api/visit-tasks?mine=true' })
      ).json() as VisitTaskPage;
      expect(mine.items.every((i) => i.assigneeId !== wangge)).toBe(true);
      const en = (
        await env.as('wangge', {
          method: 'GET',
          url: `/api/visit-tasks/${overdue.id}`,
          headers: { 'accept-language': 'en' },
        })
      ).json() as VisitTaskDetail;
      expect(en.reason).toBe('独居老人 · every week'); // the tag's own name, the frequency in English
      expect(en.members[0]).toMatchObject({ name: '走访张老人', relation: 'head' });
      expect(en.can).toEqual({ visit: true, assign: false, withdraw: false });
    });

    it('reassigns to an account that can visit there, tells them, and audits it', async () => {
      const t = await task({ residentId: home.resident });
      const bad = await env.as('shequ', {
        method: 'POST',
        url: `/api/visit-tasks/${t.id}/assign`,
        payload: { assigneeId: jumin },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'VISIT_ASSIGNEE_INVALID', field: 'assigneeId' });
      const worker = await env.as('wangge', {
        method: 'POST',
        url: `/api/visit-tasks/${t.id}/assign`,
        payload: { assigneeId: louzhang },
      });
      expect(worker.statusCode).toBe(403);
      expect(worker.json().code).toBe('FORBIDDEN');
      const ok = await env.as('shequ', {
        method: 'POST',
        url: `/api/visit-tasks/${t.id}/assign`,
        payload: { assigneeId: louzhang },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ id: t.id, assigneeId: louzhang, assigneeName: '赵楼长' });
      const msgs = await env.db.query<{ link_type: string; link_id: number }>(
        `SELECT link_type, link_id FROM inbox_messages WHERE user_id = $1 AND kind = 'visits.assigned'`,
        [louzhang],
      );
      expect(msgs).toEqual([expect.objectContaining({ link_type: 'visit_task', link_id: t.id })]);
      const audit = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'visit_task' AND target_id = $1`,
        [String(t.id)],
      );
      expect(audit.map((a) => a.action)).toEqual(['visit_task.assign']);
      // The building leader now sees it among their own and may record it.
      const theirs = (
        await env.as('louzhang', { method: 'GET', url: '/api/visit-tasks?mine=true' })
      ).json() as VisitTaskPage;
      expect(theirs.items.map((i) => i.id)).toContain(t.id);
    });

    it('withdraws by hand with a note, audited; then nothing more can happen to it', async () => {
      const t = await task();
      const res = await env.as('shequ', {
        method: 'POST',
        url: `/api/visit-tasks/${t.id}/withdraw`,
        payload: { note: '已搬去子女家' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'withdrawn',
        withdrawnReason: 'manual',
        withdrawnNote: '已搬去子女家',
      });
      const again = await env.as('shequ', {
        method: 'POST',
        url: `/api/visit-tasks/${t.id}/withdraw`,
        payload: { note: '再次撤回' },
      });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('VISIT_TASK_CLOSED');
      const audit = await env.db.query<{ action: string; reason: string }>(
        `SELECT action, reason FROM audit_log WHERE target_type = 'visit_task' AND target_id = $1`,
        [String(t.id)],
      );
      expect(audit).toEqual([{ action: 'visit_task.withdraw', reason: '已搬去子女家' }]);
    });

    it('the morning reminder sends one message per assignee, and nothing on a second run that day', async () => {
      const u = await buildUser(env, { role: 'grid_worker', nodeId: env.ids.grid });
      const now = new Date();
      await task({ assigneeId: u.id, dueAt: new Date(now.getTime() - DAY) });
      await task({ assigneeId: u.id, dueAt: new Date(now.getTime() - 2 * DAY) });
      await task({ assigneeId: u.id, dueAt: new Date(now.getTime() + 30 * DAY) });
      expect(await sendReminders(env.db, now)).toBeGreaterThanOrEqual(1);
      const msgs = await env.db.query<{ payload: { overdue: number; dueToday: number } }>(
        `SELECT payload FROM inbox_messages WHERE user_id = $1 AND kind = 'visits.remind'`,
        [u.id],
      );
      expect(msgs).toHaveLength(1);
      expect(msgs[0]!.payload).toMatchObject({ overdue: 2 });
      expect(await sendReminders(env.db, new Date(now.getTime() + 60_000))).toBe(0);
    });

    it('puts the caller’s own tasks on the workbench, and the area’s figures', async () => {
      await task({ dueAt: new Date(Date.now() + HOUR) });
      const wb = (await env.as('wangge', { method: 'GET', url: '/api/workbench' })).json() as {
        cards: { id: string }[];
        todos: { id: string; total: number }[];
      };
      expect(wb.cards.map((c) => c.id)).toContain('visits.work');
      expect(wb.todos.find((t) => t.id === 'visits.to_visit')!.total).toBeGreaterThanOrEqual(1);
      const lz = (await env.as('louzhang', { method: 'GET', url: '/api/workbench' })).json() as {
        cards: { id: string }[];
      };
      expect(lz.cards.map((c) => c.id)).not.toContain('visits.work');
    });
  });
});
