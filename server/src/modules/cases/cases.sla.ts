/**
 * SLA clocks of cases as platform jobs (pg-boss): a reminder before the handling deadline, a yellow supervision
 * mark (督办) when the response deadline passes unanswered or the handling deadline is near, a red one when it
 * passes (overdue; the handler and the next level up are told), the review date of a parked case, a
 * department's whistle deadline, and a handled case's verification deadline (yellow; its managers are told). A sweep every five minutes catches whatever a lost job missed.
 *
 * Each job names its case, step and the deadline it was armed for (singleton key case+step+deadline). Its handler
 * locks the case row, checks the case still has that deadline and not yet that mark, then marks it, writes the
 * timeline event, notifies and publishes in one transaction — so two instances (or a job and the sweep) act once.
 */
import { Type } from 'typebox';
import type { Db, Queryable } from '../../platform/db/client.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { publish } from '../../platform/live/live.signal.js';
import { defineKind } from '../../platform/notify/notify.kinds.js';
import { nearestHolders, send } from '../../platform/notify/notify.service.js';
import { loadWorkCalendar } from './calendar.service.js';
import { levelOf, parkReviewAt, SLA_STEPS, type SlaStep, slaPlan, stepApplies, stepKey } from './sla.logic.js';
import * as repo from './sla.repo.js';

export const SLA_JOB = 'cases.sla';
export const SLA_SWEEP_JOB = 'cases.sla_sweep';
export const DUE_SOON = 'cases.due_soon';
export const OVERDUE = 'cases.overdue';
export const PARK_REVIEW = 'cases.park_review';

const SlaPayload = Type.Object({
  caseId: Type.Integer({ minimum: 1 }),
  step: Type.Enum([...SLA_STEPS]),
  /** The deadline this job was armed for (ISO), or the review day of a parked case (YYYY-MM-DD). */
  due: Type.String({ maxLength: 40 }),
  whistleId: Type.Optional(Type.Integer({ minimum: 1 })),
});
type SlaPayload = { caseId: number; step: SlaStep; due: string; whistleId?: number };

/** The three kinds of message the SLA sends (the case's link resolver is the core's). */
export function registerSlaNotifications(): void {
  const link = (p: Record<string, unknown>) =>
    typeof p.caseId === 'number'
      ? { type: 'case', id: p.caseId, nodePath: typeof p.nodePath === 'string' ? p.nodePath : null }
      : null;
  defineKind({
    kind: DUE_SOON,
    title: {
      'zh-CN': '事件即将到期：{caseNo} {title}，请于 {dueText} 前处置',
      en: 'Case due soon: {caseNo} {title}, to be handled by {dueText}',
    },
    label: { 'zh-CN': '事件即将到期提醒', en: 'Cases due soon' },
    urgency: 'normal',
    link,
  });
  defineKind({
    kind: OVERDUE,
    title: {
      'zh-CN': '事件{what}已超时，{level}督办：{caseNo} {title}',
      en: 'Case {whatEn} overdue, {levelEn} supervision: {caseNo} {title}',
    },
    label: { 'zh-CN': '事件超时督办', en: 'Overdue cases' },
    urgency: 'urgent',
    link,
  });
  defineKind({
    kind: PARK_REVIEW,
    title: {
      'zh-CN': '挂账事件到复核日期：{caseNo} {title}（{parkedUntil}）',
      en: 'Parked case due for review: {caseNo} {title} ({parkedUntil})',
    },
    label: { 'zh-CN': '挂账事件到期复核', en: 'Parked cases to review' },
    urgency: 'normal',
    link,
  });
}

/** 'MM-DD HH:mm' in Asia/Shanghai, for message titles. */
function shanghaiText(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ');
}

function parentPath(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.length <= 1 ? path : `/${parts.slice(0, -1).join('/')}/`;
}

/** Whoever has the case now: its handler, else its department's members, else the handlers of its grid. */
async function holdersOf(q: Queryable, c: repo.SlaCaseRow): Promise<number[]> {
  if (c.handlerId) return [c.handlerId];
  if (c.assigneeDepartmentId) return repo.departmentMembers(q, c.assigneeDepartmentId);
  return nearestHolders(q, c.assigneePath ?? c.nodePath, 'cases.handle');
}

/** The managers one level above whoever has the case (a grid's community, a community's street). */
function nextLevelUp(q: Queryable, c: repo.SlaCaseRow): Promise<number[]> {
  if (c.departmentPath) return nearestHolders(q, c.departmentPath, 'cases.manage');
  return nearestHolders(q, parentPath(c.assigneePath ?? c.nodePath), 'cases.manage');
}

export type StepResult = 'marked' | 'skipped';

/**
 * Runs one SLA step for a case if it still applies (see `stepApplies`), in one transaction holding the case's
 * row lock. Idempotent: run twice, or by two instances at once, it marks once.
 */
export async function runSlaStep(db: Db, p: SlaPayload, now = new Date()): Promise<StepResult> {
  return db.transaction(async (tx) => {
    const c = await repo.findSlaCase(tx, p.caseId, true);
    if (!c) return 'skipped';
    const whistle = p.whistleId ? await repo.findWhistle(tx, p.whistleId) : null;
    let due: Date;
    let reviewAt: Date | undefined;
    if (p.step === 'park_review') {
      const cal = await loadWorkCalendar(tx);
      reviewAt = parkReviewAt(p.due.slice(0, 10), cal.periods[0]?.start);
      due = reviewAt;
    } else {
      due = new Date(p.due);
      if (Number.isNaN(due.getTime())) return 'skipped';
    }
    const key =
      p.step === 'park_review' ? stepKey(c.id, p.step, p.due.slice(0, 10)) : stepKey(c.id, p.step, due, p.whistleId);
    const done = await repo.hasMark(tx, c.id, key);
    if (!stepApplies(c, p.step, due, now, { done, whistle, reviewAt })) return 'skipped';

    const level = levelOf(p.step);
    let supervision = c.supervision;
    if (level > 0) supervision = (await repo.raiseSupervision(tx, c.id, level, p.step === 'handle')) ?? supervision;
    const base = { caseId: c.id, caseNo: c.caseNo, title: c.title, nodePath: c.nodePath };
    const dueIso = due.toISOString();
    switch (p.step) {
      case 'response': {
        await repo.insertSlaEvent(tx, {
          countyId: c.countyId,
          caseId: c.id,
          action: 'supervise',
          stage: c.stage,
          note: '响应超时，黄色督办',
          data: { key, step: p.step, due: dueIso, level: 1 },
        });
        await send(tx, await holdersOf(tx, c), OVERDUE, {
          ...base,
          what: '响应',
          whatEn: 'response',
          level: '黄色',
          levelEn: 'yellow',
        });
        break;
      }
      case 'remind': {
        await repo.insertSlaEvent(tx, {
          countyId: c.countyId,
          caseId: c.id,
          action: 'remind',
          stage: c.stage,
          note: `即将到期（${shanghaiText(due)}），黄色督办`,
          data: { key, step: p.step, due: dueIso, level: 1 },
        });
        await send(tx, await holdersOf(tx, c), DUE_SOON, { ...base, due: dueIso, dueText: shanghaiText(due) });
        break;
      }
      case 'handle': {
        await repo.insertSlaEvent(tx, {
          countyId: c.countyId,
          caseId: c.id,
          action: 'supervise',
          stage: c.stage,
          note: '处置超时，红色督办',
          data: { key, step: p.step, due: dueIso, level: 2 },
        });
        const recipients = [...(await holdersOf(tx, c)), ...(await nextLevelUp(tx, c))];
        await send(tx, recipients, OVERDUE, {
          ...base,
          what: '处置',
          whatEn: 'handling',
          level: '红色',
          levelEn: 'red',
        });
        break;
      }
      case 'park_review': {
        const day = p.due.slice(0, 10);
        await repo.insertSlaEvent(tx, {
          countyId: c.countyId,
          caseId: c.id,
          action: 'remind',
          stage: c.stage,
          note: `挂账到期复核（${day}）`,
          data: { key, step: p.step, parkedUntil: day },
        });
        await send(tx, await nearestHolders(tx, c.nodePath, 'cases.manage'), PARK_REVIEW, {
          ...base,
          parkedUntil: day,
        });
        break;
      }
      case 'whistle': {
        if (!whistle) return 'skipped';
        await repo.insertSlaEvent(tx, {
          countyId: c.countyId,
          caseId: c.id,
          action: 'supervise',
          stage: c.stage,
          note: `${whistle.departmentName}报到超时，黄色督办`,
          data: { key, step: p.step, due: dueIso, level: 1, whistleId: whistle.id, departmentId: whistle.departmentId },
        });
        await send(tx, await repo.departmentMembers(tx, whistle.departmentId), OVERDUE, {
          ...base,
          what: '吹哨报到',
          whatEn: 'whistle report',
          level: '黄色',
          levelEn: 'yellow',
        });
        break;
      }
      case 'verify': {
        await repo.insertSlaEvent(tx, {
          countyId: c.countyId,
          caseId: c.id,
          action: 'supervise',
          stage: c.stage,
          note: '核查超时，黄色督办',
          data: { key, step: p.step, due: dueIso, level: 1 },
        });
        await send(tx, await nearestHolders(tx, c.nodePath, 'cases.manage'), OVERDUE, {
          ...base,
          what: '核查',
          whatEn: 'verification',
          level: '黄色',
          levelEn: 'yellow',
        });
        break;
      }
    }
    await publish(tx, 'cases', {
      nodePath: c.nodePath,
      permission: 'cases.read',
      data: { id: c.id, stage: c.stage, supervision },
    });
    return 'marked';
  });
}

async function sendStep(q: Queryable, jobs: Jobs, p: SlaPayload, runAt: Date, now = new Date()): Promise<void> {
  await jobs.send(SLA_JOB, p, {
    tx: q,
    singletonKey:
      p.step === 'park_review' ? stepKey(p.caseId, p.step, p.due) : stepKey(p.caseId, p.step, p.due, p.whistleId),
    ...(runAt.getTime() > now.getTime() ? { startAfter: runAt } : {}),
  });
}

/**
 * Queues the jobs for a case's current deadlines (response, reminder, handling, whistles, verification). Call it in the
 * transaction of every change that sets or clears a deadline; jobs of older deadlines find nothing to do.
 */
export async function armSla(tx: Queryable, jobs: Jobs, caseId: number): Promise<void> {
  const c = await repo.findSlaCase(tx, caseId);
  if (!c) return;
  const whistles = c.stage === 'whistled' ? await repo.openWhistles(tx, caseId) : [];
  for (const j of slaPlan(c, whistles)) {
    await sendStep(
      tx,
      jobs,
      { caseId, step: j.step, due: j.due.toISOString(), ...(j.whistleId ? { whistleId: j.whistleId } : {}) },
      j.runAt,
    );
  }
}

/** Queues the review of a parked case for the start of work on its review date. Call it in the park transaction. */
export async function armParkReview(tx: Queryable, jobs: Jobs, caseId: number): Promise<void> {
  const c = await repo.findSlaCase(tx, caseId);
  if (!c || c.stage !== 'parked' || !c.parkedUntil) return;
  const cal = await loadWorkCalendar(tx);
  await sendStep(
    tx,
    jobs,
    { caseId, step: 'park_review', due: c.parkedUntil },
    parkReviewAt(c.parkedUntil, cal.periods[0]?.start),
  );
}

/** Marks whatever is due and unmarked (lost jobs, cases changed outside the service). Returns the marks made. */
export async function sweepSla(db: Db, now = new Date(), limit = 500): Promise<number> {
  const candidates = await repo.sweepCandidates(db, now, limit);
  let marked = 0;
  for (const cand of candidates) {
    const due = cand.due instanceof Date ? cand.due.toISOString() : String(cand.due);
    const p: SlaPayload = {
      caseId: Number(cand.caseId),
      step: cand.step as SlaStep,
      due,
      ...(cand.whistleId ? { whistleId: Number(cand.whistleId) } : {}),
    };
    if ((await runSlaStep(db, p, now)) === 'marked') marked++;
  }
  return marked;
}

/** Declares the SLA job and the five-minute sweep on the platform's jobs (before `jobs.start()`). */
export async function registerSlaJobs(jobs: Jobs, deps: { db: Db }): Promise<void> {
  jobs.register({
    name: SLA_JOB,
    schema: SlaPayload,
    handler: async (p) => {
      await runSlaStep(deps.db, p as SlaPayload);
    },
  });
  jobs.register({
    name: SLA_SWEEP_JOB,
    schema: Type.Object({}),
    handler: async () => {
      await sweepSla(deps.db);
    },
  });
  await jobs.schedule(SLA_SWEEP_JOB, '*/5 * * * *');
}
