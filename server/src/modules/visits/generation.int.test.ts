import { expect, it } from 'vitest';
import { buildHouse, buildHousehold, buildResident, ensureTag } from '../../test/people-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { generateVisitTasks } from './generation.service.js';
import { periodContaining, shanghaiDay } from './rules.logic.js';

type TaskRow = {
  id: number;
  rule: string;
  subject: string;
  reason: string;
  status: string;
  withdrawnReason: string | null;
  assigneeId: number | null;
  assigneeKind: string;
  dueAt: Date;
};

async function tasksOf(env: TestEnv, subject: string): Promise<TaskRow[]> {
  return env.db.query<TaskRow>(
    `SELECT t.id::int AS id, r.code AS rule, t.subject, t.reason_key AS reason, t.status,
            t.withdrawn_reason AS "withdrawnReason", t.assignee_id::int AS "assigneeId",
            t.assignee_kind AS "assigneeKind", t.due_at AS "dueAt"
       FROM visit_tasks t JOIN visit_rules r ON r.id = t.rule_id WHERE t.subject = $1 ORDER BY t.id`,
    [subject],
  );
}

async function userId(env: TestEnv, username: string): Promise<number> {
  const [row] = await env.db.query<{ id: number }>('SELECT id::int AS id FROM users WHERE username = $1', [username]);
  return row!.id;
}

async function tagId(env: TestEnv, code: string): Promise<number> {
  return Number(await ensureTag(env.db, code));
}

async function createRule(env: TestEnv, payload: Record<string, unknown>) {
  return env.as('admin', { method: 'POST', url: '/api/visit-rules', payload });
}

describeEachDb('visit task generation', (env) => {
  let weeklyTag = 0;
  let weeklyRuleId = 0;

  /** A resident in the demo unit (under wangge's grid) with its own household, holding `tags`. */
  async function person(tags: string[] = ['gen_weekly']) {
    const house = await buildHouse(env, { nodeId: env.ids.unit! });
    const household = await buildHousehold(env, { nodeId: env.ids.unit!, houseId: house.id });
    const r = await buildResident(env, {
      nodeId: env.ids.unit!,
      houseId: house.id,
      householdId: household.id,
      relation: 'head',
      birthDate: '1940-03-03',
      tags,
    });
    await env.db.query('UPDATE households SET head_resident_id = $2 WHERE id = $1', [household.id, r.id]);
    return { id: r.id, householdId: household.id, houseId: house.id };
  }

  it('creates the current period’s task for each holder of the tag, for the grid worker, once', async () => {
    weeklyTag = await tagId(env, 'gen_weekly');
    const res = await createRule(env, {
      code: 'gen_weekly',
      kind: 'periodic',
      name: '测试每周走访',
      tagId: weeklyTag,
      every: 1,
      unit: 'week',
    });
    expect(res.statusCode).toBe(201);
    weeklyRuleId = res.json().id;
    const p = await person();
    const now = new Date();
    const first = await generateVisitTasks(env.db, { now });
    expect(first.created).toBeGreaterThanOrEqual(1);
    const period = periodContaining(shanghaiDay(now), 1, 'week');
    const tasks = await tasksOf(env, `r${p.id}`);
    expect(tasks).toEqual([
      expect.objectContaining({
        rule: 'gen_weekly',
        reason: `p:${period.start}`,
        status: 'open',
        assigneeId: await userId(env, 'wangge'),
        assigneeKind: 'grid_worker',
      }),
    ]);
    expect(new Date(tasks[0]!.dueAt).toISOString()).toBe(period.due.toISOString());

    const second = await generateVisitTasks(env.db, { now });
    expect(second).toMatchObject({ created: 0, withdrawn: 0, reassigned: 0 });
    expect(await tasksOf(env, `r${p.id}`)).toEqual(tasks);
  });

  it('shows the task in the grid worker’s “my tasks” and in nobody else’s', async () => {
    const p = await person();
    await generateVisitTasks(env.db);
    const [task] = await tasksOf(env, `r${p.id}`);
    const mine = await env.as('wangge', { method: 'GET', url: '/api/tasks/mine?kind=visit' });
    expect(mine.statusCode).toBe(200);
    const item = mine.json().items.find((i: { key: string }) => i.key === `visit:${task!.id}`);
    expect(item).toMatchObject({
      kind: 'visit',
      action: '走访',
      link: `/visits/tasks/${task!.id}`,
      mobileLink: `/m/visits/${task!.id}`,
    });
    expect(item.title).toContain('测试每周走访');
    const other = await env.as('shequ', { method: 'GET', url: '/api/tasks/mine?kind=visit' });
    expect(other.json().items.map((i: { key: string }) => i.key)).not.toContain(`visit:${task!.id}`);
  });

  it('withdraws open periodic tasks when the tag is removed, the resident moves out or dies', async () => {
    const lost = await person();
    const moved = await person();
    const died = await person();
    const kept = await person();
    await generateVisitTasks(env.db);
    await env.db.query('DELETE FROM resident_tags WHERE resident_id = $1 AND tag_id = $2', [lost.id, weeklyTag]);
    await env.db.query(`UPDATE residents SET status = 'moved_out' WHERE id = $1`, [moved.id]);
    await env.db.query(`UPDATE residents SET status = 'deceased', updated_at = now() WHERE id = $1`, [died.id]);
    const r = await generateVisitTasks(env.db);
    expect(r.withdrawn).toBeGreaterThanOrEqual(3);
    const reasonOf = async (id: number) => (await tasksOf(env, `r${id}`)).filter((t) => t.rule === 'gen_weekly');
    expect(await reasonOf(lost.id)).toEqual([
      expect.objectContaining({ status: 'withdrawn', withdrawnReason: 'tag_removed' }),
    ]);
    expect(await reasonOf(moved.id)).toEqual([
      expect.objectContaining({ status: 'withdrawn', withdrawnReason: 'moved_out' }),
    ]);
    expect(await reasonOf(died.id)).toEqual([
      expect.objectContaining({ status: 'withdrawn', withdrawnReason: 'deceased' }),
    ]);
    expect(await reasonOf(kept.id)).toEqual([expect.objectContaining({ status: 'open', withdrawnReason: null })]);
    // a death in the family starts the built-in 家有丧事 visit of the household
    expect(await tasksOf(env, `h${died.householdId}`)).toEqual([
      expect.objectContaining({ rule: 'must_visit_bereaved', reason: 'deceased', status: 'open' }),
    ]);
    // and a second run changes nothing
    expect(await generateVisitTasks(env.db)).toMatchObject({ created: 0, withdrawn: 0 });
  });

  it('starts event visits: a tag added (住院), a case of the category, a visit outcome (follow-up rule)', async () => {
    // tag added
    const ill = await person([]);
    await env.db.query(
      `INSERT INTO resident_tags (resident_id, tag_id, county_id, source) VALUES ($1, $2, $3, 'manual')`,
      [ill.id, await tagId(env, 'hospitalised'), env.ids.county],
    );
    // a dispute reported at a house
    const disputed = await person([]);
    const [cat] = await env.db.query<{ id: number }>(
      `SELECT id::int AS id FROM case_categories WHERE code = 'dispute'`,
    );
    const [c] = await env.db.query<{ id: number }>(
      `INSERT INTO cases (county_id, case_no, category_id, stage, title, source, node_id, node_path, house_id)
       SELECT n.county_id, 'GEN-1', $2, 'reported', '邻里纠纷', 'resident', n.id, n.path, $3
         FROM org_nodes n WHERE n.id = $1 RETURNING id::int AS id`,
      [env.ids.unit, cat!.id, disputed.houseId],
    );
    // a follow-up rule: a 'needs_help' visit on a weekly task → a visit within 24 h
    const follow = await createRule(env, {
      code: 'gen_follow',
      kind: 'event',
      name: '需要帮助回访',
      trigger: 'visit_outcome',
      triggerRuleId: weeklyRuleId,
      triggerOutcome: 'needs_help',
      dueHours: 24,
    });
    expect(follow.statusCode).toBe(201);
    const helped = await person();
    await generateVisitTasks(env.db);
    const [weekly] = await tasksOf(env, `r${helped.id}`);
    const [visit] = await env.db.query<{ id: number }>(
      `INSERT INTO visits (county_id, task_id, resident_id, household_id, node_id, node_path, visitor_id, visited_at,
         outcome, client_id)
       SELECT n.county_id, $2, $3, $4, n.id, n.path, $5, now(), 'needs_help', gen_random_uuid()
         FROM org_nodes n WHERE n.id = $1 RETURNING id::int AS id`,
      [env.ids.unit, weekly!.id, helped.id, helped.householdId, await userId(env, 'wangge')],
    );

    // the full run above made the 住院 and dispute tasks; the events run makes the follow-up of the visit
    const r = await generateVisitTasks(env.db, { only: 'event' });
    expect(r.created).toBe(1);
    const illTasks = await tasksOf(env, `r${ill.id}`);
    expect(illTasks).toEqual([expect.objectContaining({ rule: 'must_visit_hospital', status: 'open' })]);
    expect(illTasks[0]!.reason).toMatch(/^tag:\d+$/);
    expect(await tasksOf(env, `h${disputed.householdId}`)).toEqual([
      expect.objectContaining({ rule: 'must_go_dispute', reason: `case:${c!.id}`, status: 'open' }),
    ]);
    expect((await tasksOf(env, `r${helped.id}`)).map((t) => [t.rule, t.reason])).toEqual([
      ['gen_weekly', weekly!.reason],
      ['gen_follow', `visit:${visit!.id}`],
    ]);
    expect(await generateVisitTasks(env.db, { only: 'event' })).toMatchObject({ created: 0 });
  });

  it('refuses a frequency of zero and a cycle with the field named, changing nothing', async () => {
    const before = await env.db.query('SELECT code, version, trigger_rule_id FROM visit_rules ORDER BY id');
    const zero = await createRule(env, {
      code: 'gen_zero',
      kind: 'periodic',
      name: '零频次',
      tagId: weeklyTag,
      every: 0,
      unit: 'week',
    });
    expect(zero.statusCode).toBe(400);
    expect(zero.json()).toMatchObject({ code: 'VISIT_RULE_FREQUENCY_INVALID', field: 'every' });

    // gen_follow2 follows gen_follow; making gen_follow follow gen_follow2 closes a cycle
    const [follow] = await env.db.query<{ id: number; version: number }>(
      `SELECT id::int AS id, version FROM visit_rules WHERE code = 'gen_follow'`,
    );
    const second = await createRule(env, {
      code: 'gen_follow2',
      kind: 'event',
      name: '二次回访',
      trigger: 'visit_outcome',
      triggerRuleId: follow!.id,
      triggerOutcome: 'not_home',
      dueHours: 24,
    });
    expect(second.statusCode).toBe(201);
    const after2 = await env.db.query('SELECT code, version, trigger_rule_id FROM visit_rules ORDER BY id');
    const cycle = await env.as('admin', {
      method: 'PATCH',
      url: `/api/visit-rules/${follow!.id}`,
      payload: { version: follow!.version, triggerRuleId: second.json().id },
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json()).toMatchObject({ code: 'VISIT_RULE_CYCLE', field: 'triggerRuleId' });
    expect(cycle.json().message).toContain('gen_follow → gen_follow2 → gen_follow');
    expect(await env.db.query('SELECT code, version, trigger_rule_id FROM visit_rules ORDER BY id')).toEqual(after2);
    expect(after2.length).toBe(before.length + 1);
  });

  it('makes one task per household while a member holds the tag; withdraws it when none does or it dissolves', async () => {
    const hhTag = await tagId(env, 'gen_hh');
    const rule = await createRule(env, {
      code: 'gen_household',
      kind: 'periodic',
      name: '测试每户走访',
      tagId: hhTag,
      every: 1,
      unit: 'month',
      target: 'household',
    });
    expect(rule.statusCode).toBe(201);
    // two members of one household hold the tag: one task for the household
    const head = await person(['gen_hh']);
    const member = await buildResident(env, {
      nodeId: env.ids.unit!,
      houseId: head.houseId,
      householdId: head.householdId,
      relation: 'other',
      birthDate: '1945-05-05',
      tags: ['gen_hh'],
    });
    const dissolving = await person(['gen_hh']);
    const first = await generateVisitTasks(env.db);
    expect(first.reassigned).toBe(0);
    const householdTasks = async (householdId: number) =>
      (await tasksOf(env, `h${householdId}`)).filter((t) => t.rule === 'gen_household');
    expect(await householdTasks(head.householdId)).toEqual([
      expect.objectContaining({ status: 'open', assigneeId: await userId(env, 'wangge'), assigneeKind: 'grid_worker' }),
    ]);
    expect(await householdTasks(dissolving.householdId)).toEqual([expect.objectContaining({ status: 'open' })]);

    // one holder left: the task stays; none left: withdrawn (tag_removed); a dissolved household: household_dissolved
    await env.db.query('DELETE FROM resident_tags WHERE resident_id = $1 AND tag_id = $2', [head.id, hhTag]);
    expect(await generateVisitTasks(env.db)).toMatchObject({ created: 0, withdrawn: 0 });
    expect(await householdTasks(head.householdId)).toEqual([expect.objectContaining({ status: 'open' })]);
    await env.db.query(`UPDATE residents SET status = 'moved_out' WHERE id = $1`, [member.id]);
    await env.db.query('UPDATE households SET dissolved_at = now() WHERE id = $1', [dissolving.householdId]);
    expect(await generateVisitTasks(env.db)).toMatchObject({ created: 0, withdrawn: 2 });
    expect(await householdTasks(head.householdId)).toEqual([
      expect.objectContaining({ status: 'withdrawn', withdrawnReason: 'tag_removed' }),
    ]);
    expect(await householdTasks(dissolving.householdId)).toEqual([
      expect.objectContaining({ status: 'withdrawn', withdrawnReason: 'household_dissolved' }),
    ]);
    expect(await generateVisitTasks(env.db)).toMatchObject({ created: 0, withdrawn: 0, reassigned: 0 });
  });

  it('withdraws a disabled rule’s open tasks at once, and reassigns when the grid worker leaves', async () => {
    const p = await person();
    await generateVisitTasks(env.db);
    const wangge = await userId(env, 'wangge');
    expect((await tasksOf(env, `r${p.id}`))[0]).toMatchObject({ status: 'open', assigneeId: wangge });

    // a second grid worker of the same grid; then wangge's post goes: the task moves to the colleague
    const colleague = await env.as('admin', {
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'gen_gw2',
        displayName: '第二网格员',
        password: 'Test@12345',
        phone: null,
        homeNodeId: env.ids.grid,
        posts: [{ nodeId: env.ids.grid, role: 'grid_worker' }],
      },
    });
    expect(colleague.statusCode).toBe(201);
    expect(await generateVisitTasks(env.db)).toMatchObject({ reassigned: 0 });
    await env.db.query(`UPDATE users SET disabled = true WHERE id = $1`, [wangge]);
    const moved = await generateVisitTasks(env.db);
    expect(moved.reassigned).toBeGreaterThanOrEqual(1);
    expect((await tasksOf(env, `r${p.id}`))[0]).toMatchObject({ assigneeId: colleague.json().id });
    await env.db.query(`UPDATE users SET disabled = false WHERE id = $1`, [wangge]);

    const [rule] = await env.db.query<{ version: number }>('SELECT version FROM visit_rules WHERE id = $1', [
      weeklyRuleId,
    ]);
    const off = await env.as('admin', {
      method: 'PATCH',
      url: `/api/visit-rules/${weeklyRuleId}`,
      payload: { version: rule!.version, enabled: false },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ enabled: false, openTasks: 0 });
    expect((await tasksOf(env, `r${p.id}`))[0]).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'rule_disabled',
    });
    const stale = await env.as('admin', {
      method: 'PATCH',
      url: `/api/visit-rules/${weeklyRuleId}`,
      payload: { version: rule!.version, enabled: true },
    });
    expect(stale.json()).toMatchObject({ code: 'VISIT_RULE_VERSION_CONFLICT' });
  });
});
