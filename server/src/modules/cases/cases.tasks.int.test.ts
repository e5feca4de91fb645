import { beforeAll, expect, it } from 'vitest';
import type { MyTasks } from '../../platform/tasks/tasks.schemas.js';
import { insertSlaCase } from '../../test/cases-sla-fixtures.js';
import { type BuiltUser, buildUser, newSession } from '../../test/factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';

const HOUR = 3_600_000;

describeEachDb('my tasks: cases', (env: TestEnv) => {
  let grid: number;
  let sibling: number;
  let worker: BuiltUser;
  let colleague: BuiltUser;
  let cookie: string;
  const ids: Record<string, number> = {};

  async function mine(query = '', lang = 'zh-CN'): Promise<MyTasks> {
    const res = await env.as(null, {
      method: 'GET',
      url: `/api/tasks/mine?kind=case${query}`,
      headers: { cookie: `${cookie}; linli_lang=${lang}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as MyTasks;
  }

  beforeAll(async () => {
    const node = async (name: string) =>
      (
        (
          await env.as('admin', {
            method: 'POST',
            url: '/api/org/nodes',
            payload: { parentId: env.ids.community, type: 'grid', name },
          })
        ).json() as { id: number }
      ).id;
    grid = await node(`任务网格${Date.now()}`);
    sibling = await node(`任务邻格${Date.now()}`);
    worker = await buildUser(env, { role: 'grid_worker', nodeId: grid, displayName: '任务网格员' });
    colleague = await buildUser(env, { role: 'grid_worker', nodeId: grid });
    cookie = await newSession(env, worker);
    const now = Date.now();
    // waits to be accepted: reported in the grid (no deadline yet), dispatched to it (response due in 2 h / 1 h ago)
    ids.reported = await insertSlaCase(env.db, { nodeId: grid, stage: 'reported' });
    ids.dispatched = await insertSlaCase(env.db, {
      nodeId: grid,
      stage: 'dispatched',
      dispatchedAt: new Date(now - 3 * HOUR),
      responseDueAt: new Date(now + 2 * HOUR),
    });
    ids.late = await insertSlaCase(env.db, {
      nodeId: grid,
      stage: 'dispatched',
      dispatchedAt: new Date(now - 3 * HOUR),
      responseDueAt: new Date(now - HOUR),
    });
    // in the worker's hands (handle due tomorrow; supervised: urgent), and in a colleague's (not theirs)
    ids.handling = await insertSlaCase(env.db, {
      nodeId: grid,
      stage: 'handling',
      handlerUsername: worker.username,
      acceptedAt: new Date(now - HOUR),
      handleDueAt: new Date(now + 24 * HOUR),
    });
    await env.db.query('UPDATE cases SET supervision = 1 WHERE id = $1', [ids.handling]);
    ids.colleagues = await insertSlaCase(env.db, {
      nodeId: grid,
      stage: 'handling',
      handlerUsername: colleague.username,
      handleDueAt: new Date(now + HOUR),
    });
    // done with, or elsewhere: none of these
    ids.handled = await insertSlaCase(env.db, { nodeId: grid, stage: 'handled', handlerUsername: worker.username });
    ids.closed = await insertSlaCase(env.db, { nodeId: grid, stage: 'closed' });
    ids.elsewhere = await insertSlaCase(env.db, { nodeId: sibling, stage: 'reported' });
    ids.elsewhereDispatched = await insertSlaCase(env.db, {
      nodeId: sibling,
      stage: 'dispatched',
      responseDueAt: new Date(now - HOUR),
    });
  });

  it('lists the cases to accept and those the caller handles, by deadline, overdue first, none due last', async () => {
    const r = await mine();
    expect(r.items.map((t) => t.id)).toEqual([ids.late, ids.dispatched, ids.handling, ids.reported]);
    expect(r.counts).toEqual({ total: 4, overdue: 1, byKind: { case: 4 } });
    const [late, dispatched, handling, reported] = r.items;
    expect(late).toMatchObject({
      key: `case:${ids.late}`,
      kind: 'case',
      action: '受理',
      title: '受理事件：SLA 测试事件',
      overdue: true,
      urgent: false,
      link: `/cases/${ids.late}`,
      mobileLink: `/m/cases/${ids.late}`,
    });
    expect(late!.detail).toMatch(/^SLA\d+-\d+ · .*任务网格/);
    expect(dispatched).toMatchObject({ overdue: false, action: '受理' });
    expect(Date.parse(dispatched!.dueAt!)).toBeGreaterThan(Date.now());
    expect(handling).toMatchObject({ action: '处理', title: '处理事件：SLA 测试事件', urgent: true, overdue: false });
    expect(reported).toMatchObject({ dueAt: null, overdue: false, action: '受理' });
  });

  it('counts beyond the limit, and speaks the caller’s language', async () => {
    const r = await mine('&limit=2', 'en');
    expect(r.items.map((t) => t.id)).toEqual([ids.late, ids.dispatched]);
    expect(r.counts).toEqual({ total: 4, overdue: 1, byKind: { case: 4 } });
    expect(r.items[0]).toMatchObject({ action: 'Accept', title: 'Accept case: SLA 测试事件' });
  });

  it('is nothing for an account without cases.handle (a resident), and the merged list holds the cases too', async () => {
    const resident = await env.as('jumin', { method: 'GET', url: '/api/tasks/mine?kind=case' });
    expect(resident.json()).toEqual({ items: [], counts: { total: 0, overdue: 0, byKind: {} } });
    const all = await env.as(null, { method: 'GET', url: '/api/tasks/mine', headers: { cookie } });
    const keys = (all.json() as MyTasks).items.map((t) => t.key);
    for (const id of [ids.late, ids.dispatched, ids.handling, ids.reported]) expect(keys).toContain(`case:${id}`);
    for (const id of [ids.colleagues, ids.handled, ids.closed, ids.elsewhere, ids.elsewhereDispatched]) {
      expect(keys).not.toContain(`case:${id}`);
    }
  });
});
