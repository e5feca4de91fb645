import { expect, it } from 'vitest';
import {
  caseMarks,
  inboxOf,
  insertSlaCase,
  insertSlaDepartment,
  insertSlaWhistle,
  slaEvents,
} from '../../test/cases-sla-fixtures.js';
import { describeEachDb } from '../../test/test-app.js';
import { until } from '../../test/until.js';
import { DUE_SOON, OVERDUE, PARK_REVIEW, runSlaStep, sweepSla } from './cases.sla.js';

const H = 3600_000;
const T = new Date('2026-03-09T02:00:00Z'); // Monday 10:00 in Shanghai
const after = (d: Date, ms: number) => new Date(d.getTime() + ms);

describeEachDb('cases SLA steps', (env) => {
  it('marks a response deadline passed unanswered yellow, once, and tells the grid', async () => {
    const id = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'dispatched',
      dispatchedAt: after(T, -2 * H),
      responseDueAt: T,
      handleDueAt: after(T, 24 * H),
    });
    const p = { caseId: id, step: 'response' as const, due: T.toISOString() };
    expect(await runSlaStep(env.db, p, after(T, -60_000))).toBe('skipped');
    expect((await caseMarks(env.db, id)).supervision).toBe(0);
    const before = (await inboxOf(env.db, 'wangge', OVERDUE)).length;
    expect(await runSlaStep(env.db, p, after(T, 60_000))).toBe('marked');
    expect(await runSlaStep(env.db, p, after(T, 120_000))).toBe('skipped');
    expect(await caseMarks(env.db, id)).toMatchObject({ supervision: 1, overdue: false });
    const events = await slaEvents(env.db, id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'supervise', note: '响应超时，黄色督办', public: false });
    expect(events[0]!.data).toMatchObject({ step: 'response', level: 1, due: T.toISOString() });
    const inbox = await inboxOf(env.db, 'wangge', OVERDUE);
    expect(inbox).toHaveLength(before + 1);
    expect(inbox.at(-1)).toMatchObject({ link_type: 'case', link_id: id });
    expect(inbox.at(-1)!.payload).toMatchObject({ caseId: id, level: '黄色', what: '响应' });
  });

  it('does nothing for a response deadline once the case is accepted', async () => {
    const id = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'handling',
      handlerUsername: 'wangge',
      dispatchedAt: after(T, -2 * H),
      acceptedAt: after(T, -H),
      responseDueAt: T,
      handleDueAt: after(T, 24 * H),
    });
    expect(await runSlaStep(env.db, { caseId: id, step: 'response', due: T.toISOString() }, after(T, H))).toBe(
      'skipped',
    );
    expect(await slaEvents(env.db, id)).toHaveLength(0);
  });

  it('reminds the handler before the handling deadline, once, and not after it', async () => {
    const due = after(T, 10 * H);
    const id = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'handling',
      handlerUsername: 'wangge',
      dispatchedAt: T,
      acceptedAt: T,
      handleDueAt: due,
    });
    const p = { caseId: id, step: 'remind' as const, due: due.toISOString() };
    // A tenth of the span before: the lead is a fifth (two hours), so not yet.
    expect(await runSlaStep(env.db, p, after(due, -3 * H))).toBe('skipped');
    const before = (await inboxOf(env.db, 'wangge', DUE_SOON)).length;
    expect(await runSlaStep(env.db, p, after(due, -H))).toBe('marked');
    expect(await runSlaStep(env.db, p, after(due, -H / 2))).toBe('skipped');
    const events = await slaEvents(env.db, id);
    expect(events.map((e) => e.action)).toEqual(['remind']);
    expect((await caseMarks(env.db, id)).supervision).toBe(1);
    const inbox = await inboxOf(env.db, 'wangge', DUE_SOON);
    expect(inbox).toHaveLength(before + 1);
    expect(inbox.at(-1)!.payload).toMatchObject({ caseId: id, dueText: '03-09 20:00' });

    const late = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'handling',
      handlerUsername: 'wangge',
      dispatchedAt: T,
      handleDueAt: due,
    });
    expect(await runSlaStep(env.db, { ...p, caseId: late }, after(due, 60_000))).toBe('skipped');
  });

  it('marks a passed handling deadline red and overdue, tells the handler and the community, once', async () => {
    const due = after(T, 4 * H);
    const id = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'handling',
      handlerUsername: 'wangge',
      dispatchedAt: T,
      acceptedAt: T,
      handleDueAt: due,
    });
    const p = { caseId: id, step: 'handle' as const, due: due.toISOString() };
    expect(await runSlaStep(env.db, p, after(due, -60_000))).toBe('skipped');
    const shequBefore = (await inboxOf(env.db, 'shequ', OVERDUE)).length;
    const wanggeBefore = (await inboxOf(env.db, 'wangge', OVERDUE)).length;
    const version = (await caseMarks(env.db, id)).version;
    expect(await runSlaStep(env.db, p, after(due, 60_000))).toBe('marked');
    expect(await runSlaStep(env.db, p, after(due, 120_000))).toBe('skipped');
    expect(await caseMarks(env.db, id)).toEqual({ supervision: 2, overdue: true, version: version + 1 });
    const events = await slaEvents(env.db, id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'supervise', note: '处置超时，红色督办' });
    expect(await inboxOf(env.db, 'shequ', OVERDUE)).toHaveLength(shequBefore + 1);
    expect(await inboxOf(env.db, 'wangge', OVERDUE)).toHaveLength(wanggeBefore + 1);
    expect((await inboxOf(env.db, 'shequ', OVERDUE)).at(-1)!.payload).toMatchObject({ level: '红色', what: '处置' });
  });

  it('ignores a job armed for a deadline the case no longer has, and a handled case', async () => {
    const oldDue = after(T, H);
    const id = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'handling',
      handlerUsername: 'wangge',
      dispatchedAt: T,
      handleDueAt: after(T, 30 * H),
    });
    expect(await runSlaStep(env.db, { caseId: id, step: 'handle', due: oldDue.toISOString() }, after(T, 2 * H))).toBe(
      'skipped',
    );
    await env.db.query(`UPDATE cases SET stage = 'handled', handled_at = $2 WHERE id = $1`, [id, after(T, 2 * H)]);
    const due = after(T, 30 * H).toISOString();
    expect(await runSlaStep(env.db, { caseId: id, step: 'handle', due }, after(T, 31 * H))).toBe('skipped');
    expect(await runSlaStep(env.db, { caseId: 999_999, step: 'handle', due }, after(T, 31 * H))).toBe('skipped');
    expect(await slaEvents(env.db, id)).toHaveLength(0);
    expect((await caseMarks(env.db, id)).supervision).toBe(0);
  });

  it('tells the community when a parked case reaches its review date, at the start of work, once', async () => {
    const id = await insertSlaCase(env.db, { nodeId: env.ids.grid!, stage: 'parked', parkedUntil: '2026-03-10' });
    const p = { caseId: id, step: 'park_review' as const, due: '2026-03-10' };
    expect(await runSlaStep(env.db, p, new Date('2026-03-10T00:30:00Z'))).toBe('skipped'); // 08:30
    const before = (await inboxOf(env.db, 'shequ', PARK_REVIEW)).length;
    expect(await runSlaStep(env.db, p, new Date('2026-03-10T01:30:00Z'))).toBe('marked'); // 09:30
    expect(await runSlaStep(env.db, p, new Date('2026-03-10T02:30:00Z'))).toBe('skipped');
    const events = await slaEvents(env.db, id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'remind', note: '挂账到期复核（2026-03-10）' });
    const inbox = await inboxOf(env.db, 'shequ', PARK_REVIEW);
    expect(inbox).toHaveLength(before + 1);
    expect(inbox.at(-1)!.payload).toMatchObject({ caseId: id, parkedUntil: '2026-03-10' });
    expect((await caseMarks(env.db, id)).supervision).toBe(0);
  });

  it('marks a department late on its whistle and tells its members, once', async () => {
    const dept = await insertSlaDepartment(env.db, env.ids.street!, 'bumen');
    const id = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'whistled',
      dispatchedAt: T,
      handleDueAt: after(T, 48 * H),
    });
    const due = after(T, 5 * H);
    const whistleId = await insertSlaWhistle(env.db, id, dept, due);
    const p = { caseId: id, step: 'whistle' as const, due: due.toISOString(), whistleId };
    expect(await runSlaStep(env.db, p, after(due, -60_000))).toBe('skipped');
    const before = (await inboxOf(env.db, 'bumen', OVERDUE)).length;
    expect(await runSlaStep(env.db, p, after(due, 60_000))).toBe('marked');
    expect(await runSlaStep(env.db, p, after(due, 120_000))).toBe('skipped');
    const events = await slaEvents(env.db, id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ step: 'whistle', whistleId, departmentId: dept });
    expect(await inboxOf(env.db, 'bumen', OVERDUE)).toHaveLength(before + 1);
    expect((await caseMarks(env.db, id)).supervision).toBe(1);
    // A department that has reported is not chased.
    const reported = await insertSlaWhistle(
      env.db,
      id,
      await insertSlaDepartment(env.db, env.ids.street!, 'bumen'),
      due,
    );
    await env.db.query(`UPDATE case_whistles SET status = 'reported' WHERE id = $1`, [reported]);
    expect(await runSlaStep(env.db, { ...p, whistleId: reported }, after(due, 60_000))).toBe('skipped');
  });

  it('marks a handled case not verified by its deadline yellow and tells its managers, once', async () => {
    const due = after(T, 8 * H);
    const id = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'handled',
      handlerUsername: 'wangge',
      dispatchedAt: after(T, -H),
      acceptedAt: T,
      handleDueAt: after(T, 24 * H),
      handledAt: T,
      verifyDueAt: due,
    });
    const p = { caseId: id, step: 'verify' as const, due: due.toISOString() };
    expect(await runSlaStep(env.db, p, after(due, -60_000))).toBe('skipped');
    expect((await caseMarks(env.db, id)).supervision).toBe(0);
    const shequBefore = (await inboxOf(env.db, 'shequ', OVERDUE)).length;
    const wanggeBefore = (await inboxOf(env.db, 'wangge', OVERDUE)).length;
    expect(await runSlaStep(env.db, p, after(due, 60_000))).toBe('marked');
    expect(await runSlaStep(env.db, p, after(due, 120_000))).toBe('skipped');
    expect(await caseMarks(env.db, id)).toMatchObject({ supervision: 1, overdue: false });
    const events = await slaEvents(env.db, id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'supervise', note: '核查超时，黄色督办', public: false });
    expect(events[0]!.data).toMatchObject({ step: 'verify', level: 1, due: due.toISOString() });
    const inbox = await inboxOf(env.db, 'shequ', OVERDUE);
    expect(inbox).toHaveLength(shequBefore + 1);
    expect(inbox.at(-1)).toMatchObject({ link_type: 'case', link_id: id });
    expect(inbox.at(-1)!.payload).toMatchObject({ caseId: id, level: '黄色', what: '核查' });
    // The managers are told, not the grid worker who handled it.
    expect(await inboxOf(env.db, 'wangge', OVERDUE)).toHaveLength(wanggeBefore);

    // A case verified (closed) in time, or sent back for rework with the deadline cleared, is not chased.
    const closed = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'closed',
      handledAt: T,
      verifyDueAt: due,
    });
    expect(await runSlaStep(env.db, { ...p, caseId: closed }, after(due, 60_000))).toBe('skipped');
    const rework = await insertSlaCase(env.db, { nodeId: env.ids.grid!, stage: 'handling', handledAt: null });
    expect(await runSlaStep(env.db, { ...p, caseId: rework }, after(due, 60_000))).toBe('skipped');
    expect(await slaEvents(env.db, closed)).toHaveLength(0);
    expect(await slaEvents(env.db, rework)).toHaveLength(0);
  });

  it('sweeps up every due mark no job made, and finds nothing the second time', async () => {
    const now = new Date('2027-06-01T08:00:00Z');
    const red = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'dispatched',
      dispatchedAt: after(now, -30 * H),
      responseDueAt: after(now, -20 * H),
      handleDueAt: after(now, -H),
    });
    const soon = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'handling',
      handlerUsername: 'wangge',
      dispatchedAt: after(now, -10 * H),
      acceptedAt: after(now, -9 * H),
      handleDueAt: after(now, H),
    });
    const parked = await insertSlaCase(env.db, { nodeId: env.ids.grid!, stage: 'parked', parkedUntil: '2027-06-01' });
    const unverified = await insertSlaCase(env.db, {
      nodeId: env.ids.grid!,
      stage: 'handled',
      handledAt: after(now, -30 * H),
      verifyDueAt: after(now, -2 * H),
    });
    expect(await sweepSla(env.db, now)).toBeGreaterThanOrEqual(5);
    expect(await caseMarks(env.db, red)).toMatchObject({ supervision: 2, overdue: true });
    expect((await slaEvents(env.db, red)).map((e) => e.data.step)).toEqual(['response', 'handle']);
    expect((await slaEvents(env.db, soon)).map((e) => e.data.step)).toEqual(['remind']);
    expect((await slaEvents(env.db, parked)).map((e) => e.data.step)).toEqual(['park_review']);
    expect((await slaEvents(env.db, unverified)).map((e) => e.data.step)).toEqual(['verify']);
    expect((await caseMarks(env.db, unverified)).supervision).toBe(1);
    expect(await sweepSla(env.db, after(now, 60_000))).toBe(0);
  });
});

describeEachDb('cases SLA through the core’s flows', (env) => {
  it('reminds, then marks red and tells the community when a case accepted in one tap runs out of time', async () => {
    // A category with a three-second handling deadline (wall-clock), made through the settings API.
    const made = await env.as('admin', {
      method: 'POST',
      url: '/api/cases/categories',
      payload: {
        code: 'sla-flow',
        nameZh: '时限测试',
        nameEn: 'Deadline test',
        responseSla: { amount: 1, unit: 'working_days' },
        handleSla: { amount: 0.05, unit: 'minutes' },
      },
    });
    expect(made.statusCode).toBe(201);
    const reported = await env.as('jumin', {
      method: 'POST',
      url: '/api/cases',
      payload: { categoryId: made.json().id, description: '楼道灯不亮' },
    });
    expect(reported.statusCode).toBe(201);
    const id = reported.json().id as number;
    const accepted = await env.as('wangge', { method: 'POST', url: `/api/cases/${id}/accept`, payload: {} });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ stage: 'handling', supervision: 0, overdue: false });
    const due = new Date(accepted.json().handleDueAt as string);
    expect(due.getTime() - new Date(accepted.json().dispatchedAt as string).getTime()).toBe(3000);

    const shequBefore = (await inboxOf(env.db, 'shequ', OVERDUE)).filter((m) => m.link_id === id).length;
    expect(shequBefore).toBe(0);
    await until(async () => (await caseMarks(env.db, id)).supervision === 2, 'the red mark', 30_000);
    expect(Date.now()).toBeGreaterThanOrEqual(due.getTime());
    const marks = (await slaEvents(env.db, id)).filter((e) => e.action === 'remind' || e.action === 'supervise');
    expect(marks.map((e) => [e.action, e.data.step])).toEqual([
      ['remind', 'remind'],
      ['supervise', 'handle'],
    ]);
    expect((await inboxOf(env.db, 'wangge', DUE_SOON)).filter((m) => m.link_id === id)).toHaveLength(1);
    expect((await inboxOf(env.db, 'shequ', OVERDUE)).filter((m) => m.link_id === id)).toHaveLength(1);

    // The board shows it red and overdue, and the timeline (not the reporter's) holds the marks.
    const detail = await env.as('shequ', { method: 'GET', url: `/api/cases/${id}` });
    expect(detail.json()).toMatchObject({ supervision: 2, overdue: true });
    expect((detail.json().timeline as { action: string }[]).map((e) => e.action)).toEqual(
      expect.arrayContaining(['remind', 'supervise']),
    );
    const mine = await env.as('jumin', { method: 'GET', url: `/api/cases/${id}` });
    expect((mine.json().timeline as { action: string }[]).some((e) => e.action === 'supervise')).toBe(false);
  });
});
