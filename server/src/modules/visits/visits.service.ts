/**
 * Visit tasks and visits (网格走访): the tasks a rule made, read and reassigned or withdrawn by the area's managers;
 * visits recorded from the phone (idempotent by the phone's client id, so an offline queue replayed twice records
 * once), which close or count an attempt on their task; a case opened from a visit that found someone needing help
 * (through the cases service, source 'visit'); photos as files of kind 'visit'; the assignee's notifications.
 *
 * Who may do what with a task: read it — visits.read or visits.do over its place, its assignee, or a person linked
 * to its household (一网三联, `linkedAccess`); record a visit on it — visits.do over its place (a colleague
 * covering), its assignee, or a linked person; reassign and withdraw it — visits.manage over its place. A task the
 * caller may not read is VISIT_TASK_NOT_FOUND (existence does not leak); one they read but may not visit is
 * VISIT_TASK_NOT_YOURS. A visit is read by visits.read over its place, its visitor and the household's linked people.
 */
import { Type } from 'typebox';
import type { Ctx } from '../../platform/access/context.js';
import { ROLE_PERMISSIONS, type Role } from '../../platform/access/roles.js';
import { can, type Scope, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { FilesService } from '../../platform/files/files.service.js';
import { registerAttachmentKind } from '../../platform/files/files.service.js';
import type { Jobs } from '../../platform/jobs/index.js';
import * as notify from '../../platform/notify/notify.service.js';
import { maskName, type PiiCipher } from '../../platform/pii/index.js';
import { reportCase } from '../cases/cases.service.js';
import { linkedAccess, linkedHouseholdsSql } from './links.access.js';
import { shanghaiDay } from './rules.logic.js';
import { checkVisitedAt, shanghaiBounds, taskEffect, taskReason } from './visits.logic.js';
import * as repo from './visits.repo.js';
import type {
  HealthObservation,
  VisitCaseCreate,
  VisitDetail,
  VisitInput,
  VisitListItem,
  VisitListQuery,
  VisitPage,
  VisitRecorded,
  VisitTaskAssign,
  VisitTaskDetail,
  VisitTaskListItem,
  VisitTaskListQuery,
  VisitTaskPage,
  VisitTaskWithdraw,
} from './visits.schemas.js';

export type VisitsDeps = { db: Db; pii: PiiCipher; jobs: Jobs; files?: FilesService };

export const VISIT_FILE_KIND = 'visit';
export const VISIT_MAX_FILES = 9;
export const VISITS_NOTIFY = { assigned: 'visits.assigned', remind: 'visits.remind' } as const;
export const REMIND_JOB = 'visits.remind';

const taskNotFound = () => new AppError('VISIT_TASK_NOT_FOUND');
const visitNotFound = () => new AppError('VISIT_NOT_FOUND');
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const today = () => shanghaiDay(new Date());

/** Roles whose posts carry visits.do: the accounts a task may be given to (besides linked people). */
const VISITORS: Role[] = (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) =>
  ROLE_PERMISSIONS[r].includes('visits.do'),
);

// ---------------------------------------------------------------------------------------------------------------
// Access

type TaskAccess = { read: boolean; visit: boolean; manage: boolean };

async function taskAccess(q: Queryable, ctx: Ctx, t: repo.TaskRow): Promise<TaskAccess> {
  const p = ctx.principal;
  const readArea = can(p, 'visits.read', t.node_path);
  const doArea = can(p, 'visits.do', t.node_path);
  const mine = p.userId > 0 && Number(t.assignee_id) === p.userId;
  const linked =
    !doArea && !mine && p.userId > 0
      ? await linkedAccess(q, p.userId, { householdId: t.subject_household_id, nodePath: t.node_path }, today())
      : false;
  return {
    read: readArea || doArea || mine || linked,
    visit: doArea || mine || linked,
    manage: can(p, 'visits.manage', t.node_path),
  };
}

async function canReadVisitRow(q: Queryable, ctx: Ctx, v: repo.VisitRow): Promise<boolean> {
  const p = ctx.principal;
  if (can(p, 'visits.read', v.node_path)) return true;
  if (p.userId > 0 && Number(v.visitor_id) === p.userId) return true;
  if (p.userId <= 0) return false;
  return linkedAccess(q, p.userId, { householdId: v.subject_household_id, nodePath: v.node_path }, today());
}

/** Whether the caller may read the visit (and its photos). */
export async function canReadVisit(q: Queryable, ctx: Ctx, id: number): Promise<boolean> {
  const v = await repo.findVisit(q, id);
  return v ? canReadVisitRow(q, ctx, v) : false;
}

/** Whether the caller may read the task (the notifications' link resolver). */
export async function canReadTask(q: Queryable, ctx: Ctx, id: number): Promise<boolean> {
  const t = await repo.findTask(q, id);
  return t ? (await taskAccess(q, ctx, t)).read : false;
}

/** The list condition for tasks (over `t` and `res`, with $1 the caller and $2 today). */
function taskAccessSql(ctx: Ctx): string {
  const read = scopeSql(scopeFor(ctx.principal, 'visits.read'), 't.node_path');
  const work = scopeSql(scopeFor(ctx.principal, 'visits.do'), 't.node_path');
  return `(${read} OR ${work} OR t.assignee_id = $1
    OR COALESCE(t.household_id, res.household_id) IN (${linkedHouseholdsSql('$1', '$2')}))`;
}

function visitAccessSql(ctx: Ctx): string {
  const read = scopeSql(scopeFor(ctx.principal, 'visits.read'), 'v.node_path');
  return `(${read} OR v.visitor_id = $1
    OR COALESCE(v.household_id, res.household_id) IN (${linkedHouseholdsSql('$1', '$2')}))`;
}

/** The node a nodeId filter names, when it overlaps the caller's area. @throws ORG_NODE_NOT_FOUND */
async function filterPath(q: Queryable, scopes: Scope[], nodeId: number | undefined): Promise<string | undefined> {
  if (nodeId === undefined) return undefined;
  const rows = await q.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [nodeId]);
  const path = rows[0]?.path;
  const overlaps = (s: Scope) => s.all || s.paths.some((p) => path!.startsWith(p) || p.startsWith(path!));
  if (!path || !scopes.some(overlaps)) throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  return path;
}

// ---------------------------------------------------------------------------------------------------------------
// Shapes

function personName(ctx: Ctx, name: string | null, nodePath: string): string | null {
  if (name === null) return null;
  return can(ctx.principal, 'people.sensitive', nodePath) ? name : maskName(name);
}

function placeLabel(place: string | null, room: string | null): string {
  return [place, room].filter((s) => s).join(' / ');
}

function toTaskItem(ctx: Ctx, t: repo.TaskViewRow, now: Date): VisitTaskListItem {
  return {
    id: Number(t.id),
    ruleId: Number(t.rule_id),
    ruleName: t.rule_name,
    category: t.category,
    status: t.status,
    overdue: t.status === 'open' && t.due_at.getTime() < now.getTime(),
    residentId: t.person_id === null ? null : Number(t.person_id),
    residentName: personName(ctx, t.person_name, t.node_path),
    householdId: t.subject_household_id === null ? null : Number(t.subject_household_id),
    placeLabel: placeLabel(t.place_name, t.room_no),
    nodeId: Number(t.node_id),
    assigneeId: t.assignee_id === null ? null : Number(t.assignee_id),
    assigneeName: t.assignee_name,
    assigneeKind: t.assignee_kind,
    reason: taskReason(
      {
        ruleName: t.rule_name,
        reasonKey: t.reason_key,
        tagName: t.tag_name,
        every: t.every,
        unit: t.unit,
        triggerTagName: t.trigger_tag_name,
        caseNo: t.case_no,
      },
      ctx.locale,
    ),
    periodStart: t.period_start === null ? null : dateText(t.period_start),
    dueAt: t.due_at.toISOString(),
    attempts: t.attempts,
    doneAt: iso(t.done_at),
    withdrawnReason: t.withdrawn_reason,
    createdAt: t.created_at.toISOString(),
  };
}

/** A date column as YYYY-MM-DD (node-postgres hands out a Date at local midnight, PGlite a string). */
function dateText(d: string | Date): string {
  if (typeof d === 'string') return d.slice(0, 10);
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

function toVisitItem(ctx: Ctx, v: repo.VisitViewRow): VisitListItem {
  return {
    id: Number(v.id),
    taskId: v.task_id === null ? null : Number(v.task_id),
    ruleName: v.rule_name,
    residentId: v.person_id === null ? null : Number(v.person_id),
    residentName: personName(ctx, v.person_name, v.node_path),
    householdId: v.subject_household_id === null ? null : Number(v.subject_household_id),
    placeLabel: placeLabel(v.place_name, v.room_no),
    visitorId: Number(v.visitor_id),
    visitorName: v.visitor_name,
    visitedAt: v.visited_at.toISOString(),
    outcome: v.outcome,
    note: v.note,
    caseId: v.case_id === null ? null : Number(v.case_id),
    photoCount: v.photo_count,
  };
}

async function visitDetail(deps: VisitsDeps, q: Queryable, ctx: Ctx, id: number): Promise<VisitDetail> {
  const v = (await repo.findVisitView(q, id))!;
  const files = deps.files ? await deps.files.listAttached(q, VISIT_FILE_KIND, id) : [];
  return {
    ...toVisitItem(ctx, v),
    health: (v.health as HealthObservation | null) ?? null,
    caseNo: v.case_no,
    files: files.map((f) => ({ id: f.id, name: f.name, mime: f.mime })),
    recordedAt: v.recorded_at.toISOString(),
  };
}

function ageOn(birth: string, day: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Tasks

/** Tasks the caller may see (see the file's head), filtered, open ones first by due time. */
export async function listTasks(
  deps: Pick<VisitsDeps, 'db'>,
  ctx: Ctx,
  query: VisitTaskListQuery,
): Promise<VisitTaskPage> {
  const p = ctx.principal;
  const now = new Date();
  const nodePath = await filterPath(deps.db, [scopeFor(p, 'visits.read'), scopeFor(p, 'visits.do')], query.nodeId);
  const pageSize = query.pageSize ?? 20;
  const { rows, total, counts } = await repo.listTaskViews(deps.db, {
    access: taskAccessSql(ctx),
    userId: p.userId,
    today: today(),
    now,
    weekEnd: shanghaiBounds(now).weekEnd,
    nodePath,
    status: query.status,
    ruleId: query.ruleId,
    category: query.category,
    assigneeId: query.mine ? p.userId : query.assigneeId,
    residentId: query.residentId,
    householdId: query.householdId,
    dueFrom: query.dueFrom ? new Date(query.dueFrom) : undefined,
    dueTo: query.dueTo ? new Date(query.dueTo) : undefined,
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return { items: rows.map((r) => toTaskItem(ctx, r, now)), total, counts };
}

async function taskDetail(q: Queryable, ctx: Ctx, id: number, access: TaskAccess): Promise<VisitTaskDetail> {
  const now = new Date();
  const t = (await repo.findTaskView(q, id))!;
  const day = shanghaiDay(now);
  const sensitive = can(ctx.principal, 'people.sensitive', t.node_path);
  // One after the other: inside a transaction the queries share one connection.
  const members = await repo.listMembers(q, t.subject_household_id, t.resident_id);
  const visits = await repo.visitsOf(q, { taskId: id }, 20);
  const lastVisits = await repo.visitsOf(
    q,
    { residentId: t.resident_id, householdId: t.subject_household_id, exceptTask: id },
    5,
  );
  const open = t.status === 'open';
  return {
    ...toTaskItem(ctx, t, now),
    ruleCode: t.rule_code,
    sourceRef: t.source_ref,
    withdrawnAt: iso(t.withdrawn_at),
    withdrawnNote: t.withdrawn_note,
    members: members.map((m) => ({
      id: Number(m.id),
      name: sensitive ? m.name : maskName(m.name),
      age: ageOn(m.birth_date, day),
      relation: m.relation,
      tags: (m.tags ?? []).filter((tg) => sensitive || !tg.sensitive).map((tg) => tg.name),
    })),
    visits: visits.map((v) => toVisitItem(ctx, v)),
    lastVisits: lastVisits.map((v) => toVisitItem(ctx, v)),
    can: { visit: open && access.visit, assign: open && access.manage, withdraw: open && access.manage },
  };
}

/** One task with its household, its visits and what the caller may do. @throws VISIT_TASK_NOT_FOUND */
export async function getTask(deps: VisitsDeps, ctx: Ctx, id: number): Promise<VisitTaskDetail> {
  const t = await repo.findTask(deps.db, id);
  const access = t ? await taskAccess(deps.db, ctx, t) : null;
  if (!t || !access?.read) throw taskNotFound();
  return taskDetail(deps.db, ctx, id, access);
}

/** Locks an open task for a manager's change. @throws VISIT_TASK_NOT_FOUND, FORBIDDEN/OUT_OF_SCOPE, VISIT_TASK_CLOSED */
async function lockForManage(tx: Queryable, ctx: Ctx, id: number): Promise<{ t: repo.TaskRow; access: TaskAccess }> {
  const t = await repo.findTask(tx, id, true);
  const access = t ? await taskAccess(tx, ctx, t) : null;
  if (!t || !access?.read) throw taskNotFound();
  if (!access.manage) {
    throw new AppError(hasAnyPath(scopeFor(ctx.principal, 'visits.manage')) ? 'OUT_OF_SCOPE' : 'FORBIDDEN');
  }
  if (t.status !== 'open') throw closed(ctx, t.status);
  return { t, access };
}

function closed(ctx: Ctx, status: string): AppError {
  const zh: Record<string, string> = { done: '完成', withdrawn: '撤回' };
  const en: Record<string, string> = { done: 'done', withdrawn: 'withdrawn' };
  return new AppError('VISIT_TASK_CLOSED', {
    params: { status: (ctx.locale === 'en' ? en : zh)[status] ?? status },
  });
}

async function auditTask(
  tx: Queryable,
  ctx: Ctx,
  action: string,
  t: repo.TaskRow,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  reason?: string,
) {
  await recordAudit(tx, ctx, {
    action,
    targetType: 'visit_task',
    targetId: t.id,
    targetLabel: `#${t.id}`,
    scopePath: t.node_path,
    countyId: Number(t.county_id),
    before,
    after,
    ...(reason ? { reason } : {}),
  });
}

/** Tells the new assignee of tasks (the reassignment here; generation may call it too). */
export async function notifyAssigned(tx: Queryable, taskIds: readonly number[], by: string): Promise<void> {
  for (const id of taskIds) {
    const t = await repo.findTaskView(tx, id);
    if (!t || t.assignee_id === null) continue;
    await notify.send(tx, [Number(t.assignee_id)], VISITS_NOTIFY.assigned, {
      taskId: Number(t.id),
      nodePath: t.node_path,
      ruleName: t.rule_name,
      placeName: placeLabel(t.place_name, t.room_no),
      dueAt: t.due_at.toISOString(),
      due: shanghaiDay(t.due_at),
      by,
    });
  }
}

/**
 * Gives an open task to another account, one that can do visits at its place (a visits.do post over it, or a
 * link to its household). visits.manage over the task's place.
 * @throws VISIT_TASK_NOT_FOUND, OUT_OF_SCOPE, FORBIDDEN, VISIT_TASK_CLOSED, VISIT_ASSIGNEE_INVALID
 */
export async function assignTask(
  deps: VisitsDeps,
  ctx: Ctx,
  id: number,
  body: VisitTaskAssign,
): Promise<VisitTaskDetail> {
  return deps.db.transaction(async (tx) => {
    const { t, access } = await lockForManage(tx, ctx, id);
    const fit =
      (await repo.holdsPostOver(tx, body.assigneeId, VISITORS, t.node_path)) ||
      (await linkedAccess(
        tx,
        body.assigneeId,
        { householdId: t.subject_household_id, nodePath: t.node_path },
        today(),
      ));
    if (!fit) throw new AppError('VISIT_ASSIGNEE_INVALID', { field: 'assigneeId' });
    if (Number(t.assignee_id) !== body.assigneeId) {
      await repo.setAssignee(tx, id, body.assigneeId);
      await auditTask(
        tx,
        ctx,
        'visit_task.assign',
        t,
        { assigneeId: t.assignee_id === null ? null : Number(t.assignee_id) },
        { assigneeId: body.assigneeId },
      );
      if (body.assigneeId !== ctx.principal.userId) await notifyAssigned(tx, [id], ctx.principal.displayName);
    }
    return taskDetail(tx, ctx, id, access);
  });
}

/** Withdraws an open task by hand, with a note (reason 'manual'). @throws as assignTask but VISIT_ASSIGNEE_INVALID */
export async function withdrawTask(
  deps: VisitsDeps,
  ctx: Ctx,
  id: number,
  body: VisitTaskWithdraw,
): Promise<VisitTaskDetail> {
  return deps.db.transaction(async (tx) => {
    const { t, access } = await lockForManage(tx, ctx, id);
    await repo.withdrawTask(tx, id, body.note, new Date());
    await auditTask(
      tx,
      ctx,
      'visit_task.withdraw',
      t,
      { status: 'open' },
      { status: 'withdrawn', withdrawnReason: 'manual' },
      body.note,
    );
    return taskDetail(tx, ctx, id, access);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Visits

type Subject = repo.SubjectRow & { taskId: number | null };

/** Where the visit is and what it is about, and whether the caller may record it. */
async function subjectFor(tx: Queryable, ctx: Ctx, body: VisitInput, lock: boolean): Promise<Subject> {
  const p = ctx.principal;
  if (body.taskId !== undefined) {
    const t = await repo.findTask(tx, body.taskId, lock);
    const access = t ? await taskAccess(tx, ctx, t) : null;
    if (!t || !access?.read) throw new AppError('VISIT_TASK_NOT_FOUND', { field: 'taskId' });
    if (!access.visit) {
      const name = t.assignee_id === null ? null : await repo.userName(tx, Number(t.assignee_id));
      throw new AppError('VISIT_TASK_NOT_YOURS', {
        field: 'taskId',
        params: { assignee: name ?? (ctx.locale === 'en' ? 'someone else' : '他人') },
      });
    }
    const mismatch =
      (body.residentId !== undefined && body.residentId !== Number(t.resident_id)) ||
      (body.householdId !== undefined && body.householdId !== Number(t.subject_household_id));
    if (mismatch) {
      const field = body.residentId !== undefined ? 'residentId' : 'householdId';
      throw new AppError('VALIDATION', {
        field,
        params: { field, detail: ctx.locale === 'en' ? 'not the task’s' : '与任务不符' },
      });
    }
    if (t.status !== 'open') throw closed(ctx, t.status);
    return {
      taskId: Number(t.id),
      county_id: Number(t.county_id),
      resident_id: t.resident_id === null ? null : Number(t.resident_id),
      household_id: t.subject_household_id === null ? null : Number(t.subject_household_id),
      node_id: Number(t.node_id),
      node_path: t.node_path,
      house_id: null,
    };
  }
  let s: repo.SubjectRow | undefined;
  if (body.residentId !== undefined) {
    s = await repo.residentSubject(tx, body.residentId);
    const known = s && (can(p, 'people.read', s.node_path) || can(p, 'visits.do', s.node_path));
    if (!s || (!known && !(await linkedTo(tx, ctx, s)))) {
      throw new AppError('RESIDENT_NOT_FOUND', { field: 'residentId' });
    }
    if (body.householdId !== undefined && body.householdId !== Number(s.household_id)) {
      throw new AppError('VALIDATION', {
        field: 'householdId',
        params: { field: 'householdId', detail: ctx.locale === 'en' ? 'not the resident’s' : '与居民不符' },
      });
    }
  } else if (body.householdId !== undefined) {
    s = await repo.householdSubject(tx, body.householdId);
    const known = s && (can(p, 'people.read', s.node_path) || can(p, 'visits.do', s.node_path));
    if (!s || (!known && !(await linkedTo(tx, ctx, s)))) {
      throw new AppError('HOUSEHOLD_NOT_FOUND', { field: 'householdId' });
    }
  } else {
    throw new AppError('VISIT_SUBJECT_REQUIRED', { field: 'taskId' });
  }
  if (!can(p, 'visits.do', s.node_path) && !(await linkedTo(tx, ctx, s))) {
    throw new AppError(
      scopeFor(p, 'visits.do').all || hasAnyPath(scopeFor(p, 'visits.do')) ? 'OUT_OF_SCOPE' : 'FORBIDDEN',
    );
  }
  return {
    ...s,
    taskId: null,
    county_id: Number(s.county_id),
    resident_id: s.resident_id === null ? null : Number(s.resident_id),
    household_id: s.household_id === null ? null : Number(s.household_id),
  };
}

const hasAnyPath = (s: Scope) => s.all || s.paths.length > 0;

async function linkedTo(q: Queryable, ctx: Ctx, s: repo.SubjectRow): Promise<boolean> {
  if (ctx.principal.userId <= 0) return false;
  return linkedAccess(q, ctx.principal.userId, { householdId: s.household_id, nodePath: s.node_path }, today());
}

/** The stored visit answering a retry: the same task and subject and outcome, or VISIT_CLIENT_ID_REUSED. */
function sameVisit(v: repo.VisitRow, body: VisitInput): boolean {
  const num = (x: number | null) => (x === null ? null : Number(x));
  if (body.taskId !== undefined) {
    if (num(v.task_id) !== body.taskId) return false;
  } else {
    if (v.task_id !== null) return false;
    if (body.residentId !== undefined && num(v.resident_id) !== body.residentId) return false;
    if (body.residentId === undefined && (v.resident_id !== null || num(v.household_id) !== body.householdId)) {
      return false;
    }
  }
  return v.outcome === body.outcome;
}

async function duplicateOf(
  deps: VisitsDeps,
  q: Queryable,
  ctx: Ctx,
  v: repo.VisitRow,
  body: VisitInput,
): Promise<VisitRecorded> {
  if (!sameVisit(v, body)) throw new AppError('VISIT_CLIENT_ID_REUSED', { field: 'clientId' });
  return { visit: await visitDetail(deps, q, ctx, Number(v.id)), duplicate: true };
}

/**
 * Records a visit (on a task, or on a resident or household without one). The same visitor and client id again
 * is the same visit: its stored record comes back with `duplicate: true` (VISIT_CLIENT_ID_REUSED when the task,
 * subject or outcome differ) — also when two identical posts race (the unique index decides, the loser reads the
 * winner's row). Well / needs help closes the task (done at the visit's time); not at home counts an attempt.
 * @throws VISIT_TASK_NOT_FOUND, VISIT_TASK_NOT_YOURS, VISIT_TASK_CLOSED, VISIT_IN_FUTURE, VISIT_TOO_OLD,
 *   VISIT_SUBJECT_REQUIRED, VISIT_CLIENT_ID_REUSED, RESIDENT_NOT_FOUND, HOUSEHOLD_NOT_FOUND, FILE_*
 */
export async function recordVisit(deps: VisitsDeps, ctx: Ctx, body: VisitInput): Promise<VisitRecorded> {
  const me = ctx.principal.userId;
  if (me <= 0) throw new AppError('FORBIDDEN');
  const earlier = await repo.findVisitByClient(deps.db, me, body.clientId);
  if (earlier) return duplicateOf(deps, deps.db, ctx, earlier, body);
  const now = new Date();
  const visitedAt = new Date(body.visitedAt);
  checkVisitedAt(visitedAt, now);
  return deps.db.transaction(async (tx) => {
    // The task is locked before anything is decided; a racing twin waits here and then finds the first one's row.
    if (body.taskId !== undefined) await repo.findTask(tx, body.taskId, true);
    const raced = await repo.findVisitByClient(tx, me, body.clientId);
    if (raced) return duplicateOf(deps, tx, ctx, raced, body);
    const s = await subjectFor(tx, ctx, body, false);
    const id = await repo.insertVisit(tx, {
      county_id: s.county_id,
      task_id: s.taskId,
      resident_id: s.resident_id,
      household_id: s.household_id,
      node_id: s.node_id,
      node_path: s.node_path,
      visitor_id: me,
      visited_at: visitedAt,
      outcome: body.outcome,
      note: body.note ?? null,
      health: body.health ?? null,
      client_id: body.clientId,
    });
    if (id === null) {
      const twin = await repo.findVisitByClient(tx, me, body.clientId);
      if (!twin) throw new Error('visit insert conflicted without a row');
      return duplicateOf(deps, tx, ctx, twin, body);
    }
    if (s.taskId !== null) {
      if (taskEffect(body.outcome) === 'close') await repo.closeTask(tx, s.taskId, id, visitedAt);
      else await repo.addAttempt(tx, s.taskId);
    }
    if (body.fileIds?.length) {
      if (!deps.files) throw new Error('files service missing');
      await deps.files.attachFiles(tx, ctx, { kind: VISIT_FILE_KIND, recordId: id, fileIds: body.fileIds });
    }
    await recordAudit(tx, ctx, {
      action: 'visit.record',
      targetType: 'visit',
      targetId: id,
      targetLabel: `#${id}`,
      scopePath: s.node_path,
      countyId: s.county_id,
      before: null,
      after: {
        taskId: s.taskId,
        residentId: s.resident_id,
        householdId: s.household_id,
        outcome: body.outcome,
        visitedAt: visitedAt.toISOString(),
        photos: body.fileIds?.length ?? 0,
      },
    });
    return { visit: await visitDetail(deps, tx, ctx, id), duplicate: false };
  });
}

/** Visits the caller may read, newest first. */
export async function listVisits(deps: VisitsDeps, ctx: Ctx, query: VisitListQuery): Promise<VisitPage> {
  const p = ctx.principal;
  const nodePath = await filterPath(deps.db, [scopeFor(p, 'visits.read')], query.nodeId);
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listVisitViews(deps.db, {
    access: visitAccessSql(ctx),
    userId: p.userId,
    today: today(),
    nodePath,
    visitorId: query.visitorId,
    residentId: query.residentId,
    householdId: query.householdId,
    taskId: query.taskId,
    outcome: query.outcome,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return { items: rows.map((r) => toVisitItem(ctx, r)), total };
}

/** One visit with its photos. @throws VISIT_NOT_FOUND */
export async function getVisit(deps: VisitsDeps, ctx: Ctx, id: number): Promise<VisitDetail> {
  const v = await repo.findVisit(deps.db, id);
  if (!v || !(await canReadVisitRow(deps.db, ctx, v))) throw visitNotFound();
  return visitDetail(deps, deps.db, ctx, id);
}

/** Who may open a case from a visit: its visitor, or visits.do over its place. */
async function lockVisitForCase(tx: Queryable, ctx: Ctx, id: number): Promise<repo.VisitRow> {
  const v = await repo.findVisit(tx, id, true);
  if (!v || !(await canReadVisitRow(tx, ctx, v))) throw visitNotFound();
  const mine = Number(v.visitor_id) === ctx.principal.userId;
  if (!mine && !can(ctx.principal, 'visits.do', v.node_path)) {
    throw new AppError(hasAnyPath(scopeFor(ctx.principal, 'visits.do')) ? 'OUT_OF_SCOPE' : 'FORBIDDEN');
  }
  if (v.outcome !== 'needs_help') throw new AppError('VISIT_CASE_NEEDS_HELP');
  if (v.case_id !== null) throw new AppError('VISIT_CASE_EXISTS');
  return v;
}

/**
 * "Needs help" → a case: reported through the cases service (source 'visit') at the visit's house (else its
 * node), naming the person; then linked to the visit (a second, racing request gets VISIT_CASE_EXISTS).
 * @throws VISIT_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE, VISIT_CASE_NEEDS_HELP, VISIT_CASE_EXISTS, reportCase's errors
 */
export async function openVisitCase(
  deps: VisitsDeps,
  ctx: Ctx,
  id: number,
  body: VisitCaseCreate,
): Promise<{ caseId: number; caseNo: string }> {
  await deps.db.transaction((tx) => lockVisitForCase(tx, ctx, id));
  const v = (await repo.findVisitView(deps.db, id))!;
  const who = v.person_name ? maskName(v.person_name) : '';
  const where = placeLabel(v.place_name, v.room_no);
  const c = await reportCase(
    { db: deps.db, pii: deps.pii, jobs: deps.jobs, files: deps.files },
    ctx,
    {
      categoryId: body.categoryId,
      title: body.title ?? `走访发现需要帮助：${who || where}`.slice(0, 100),
      description:
        body.description ??
        `${where}${who ? `，${who}` : ''}：走访（#${id}，${shanghaiDay(v.visited_at)}）发现需要帮助。${v.note ?? ''}`.slice(
          0,
          2000,
        ),
      place: v.house_id !== null ? { houseId: Number(v.house_id) } : { nodeId: Number(v.node_id) },
    },
    { source: 'visit' },
  );
  await deps.db.transaction(async (tx) => {
    const locked = await repo.findVisit(tx, id, true);
    if (!locked || locked.case_id !== null || !(await repo.linkCase(tx, id, c.id))) {
      throw new AppError('VISIT_CASE_EXISTS');
    }
    await recordAudit(tx, ctx, {
      action: 'visit.case',
      targetType: 'visit',
      targetId: id,
      targetLabel: `#${id}`,
      scopePath: locked.node_path,
      countyId: Number(locked.county_id),
      before: { caseId: null },
      after: { caseId: c.id },
    });
  });
  return { caseId: c.id, caseNo: c.caseNo };
}

// ---------------------------------------------------------------------------------------------------------------
// Photos, reminders

export function registerVisitAttachments(): void {
  registerAttachmentKind({
    kind: VISIT_FILE_KIND,
    maxFiles: VISIT_MAX_FILES,
    canRead: (ctx, id, db) => canReadVisit(db, ctx, id),
    // Photos are the visitor's, added while recording.
    canAttach: async (ctx, id, db) => {
      const v = await repo.findVisit(db, id);
      return !!v && Number(v.visitor_id) === ctx.principal.userId;
    },
  });
}

/**
 * The morning reminder: one message per assignee with open tasks due today or overdue, counting them. Tasks are
 * marked reminded, so a second run the same day sends nothing. @returns the messages sent
 */
export async function sendReminders(db: Db, now: Date = new Date()): Promise<number> {
  const { dayStart, dayEnd } = shanghaiBounds(now);
  return db.transaction(async (tx) => {
    const due = await repo.takeReminders(tx, now, dayStart, dayEnd);
    let sent = 0;
    for (const d of due) {
      const ids = await notify.send(
        tx,
        [Number(d.assignee_id)],
        VISITS_NOTIFY.remind,
        { dueToday: d.due_today, overdue: d.overdue },
        { once: { key: `visits.remind:${Number(d.assignee_id)}:${shanghaiDay(now)}`, since: dayStart } },
      );
      sent += ids.length;
    }
    return sent;
  });
}

export async function registerVisitJobs(jobs: Jobs, deps: VisitsDeps): Promise<void> {
  jobs.register({
    name: REMIND_JOB,
    schema: Type.Object({}),
    retryLimit: 1,
    handler: async () => {
      await sendReminders(deps.db);
    },
  });
  await jobs.schedule(REMIND_JOB, '0 8 * * *');
}
