/** SQL of visit tasks and visits (网格走访). Only this file of the tasks-and-visits part holds SQL. */
import type { Queryable } from '../../platform/db/client.js';
import type {
  AssigneeKind,
  PeriodUnit,
  VisitRuleCategory as RuleCategory,
  TaskStatus,
  VisitOutcome,
  WithdrawReason,
} from './visits.schemas.js';

export type TaskRow = {
  id: number;
  county_id: number;
  rule_id: number;
  subject: string;
  reason_key: string;
  resident_id: number | null;
  household_id: number | null;
  node_id: number;
  node_path: string;
  assignee_id: number | null;
  assignee_kind: AssigneeKind;
  period_start: string | null;
  due_at: Date;
  status: TaskStatus;
  attempts: number;
  source_ref: string | null;
  done_at: Date | null;
  visit_id: number | null;
  withdrawn_at: Date | null;
  withdrawn_reason: WithdrawReason | null;
  withdrawn_note: string | null;
  reminded_at: Date | null;
  created_at: Date;
  /** The household the task is about: its own, or its resident's. */
  subject_household_id: number | null;
};

export type TaskViewRow = TaskRow & {
  rule_name: string;
  rule_code: string;
  category: RuleCategory;
  every: number | null;
  unit: PeriodUnit | null;
  tag_name: string | null;
  trigger_tag_name: string | null;
  case_no: string | null;
  person_id: number | null;
  person_name: string | null;
  place_name: string | null;
  room_no: string | null;
  assignee_name: string | null;
};

const PLACE_NAME = (pathCol: string) => `(SELECT string_agg(o.name, ' / ' ORDER BY o.depth) FROM org_nodes o
     WHERE o.id = ANY(string_to_array(trim(both '/' from ${pathCol}), '/')::bigint[])
       AND o.type NOT IN ('county', 'street', 'town'))`;

const TASK_SELECT = `
  SELECT t.*, COALESCE(t.household_id, res.household_id) AS subject_household_id,
         r.name AS rule_name, r.code AS rule_code, r.category, r.every, r.unit,
         tg.name AS tag_name, ttg.name AS trigger_tag_name,
         (SELECT c.case_no FROM cases c
           WHERE t.reason_key ~ '^case:[0-9]{1,18}$' AND c.id = substr(t.reason_key, 6)::bigint) AS case_no,
         COALESCE(res.id, head.id) AS person_id, COALESCE(res.name, head.name) AS person_name,
         ${PLACE_NAME('t.node_path')} AS place_name,
         ho.room_no, u.display_name AS assignee_name
    FROM visit_tasks t
    JOIN visit_rules r ON r.id = t.rule_id
    LEFT JOIN tags tg ON tg.id = r.tag_id
    LEFT JOIN tags ttg ON ttg.id = r.trigger_tag_id
    LEFT JOIN residents res ON res.id = t.resident_id
    LEFT JOIN households hh ON hh.id = t.household_id
    LEFT JOIN residents head ON t.resident_id IS NULL AND head.id = hh.head_resident_id
    LEFT JOIN houses ho ON ho.id = COALESCE(res.house_id, hh.house_id)
    LEFT JOIN users u ON u.id = t.assignee_id`;

export async function findTask(q: Queryable, id: number, lock = false): Promise<TaskRow | undefined> {
  const rows = await q.query<TaskRow>(
    `SELECT t.*, COALESCE(t.household_id, res.household_id) AS subject_household_id
       FROM visit_tasks t LEFT JOIN residents res ON res.id = t.resident_id
      WHERE t.id = $1 ${lock ? 'FOR UPDATE OF t' : ''}`,
    [id],
  );
  return rows[0];
}

export async function findTaskView(q: Queryable, id: number): Promise<TaskViewRow | undefined> {
  const rows = await q.query<TaskViewRow>(`${TASK_SELECT} WHERE t.id = $1`, [id]);
  return rows[0];
}

export type TaskFilter = {
  /** Who may see which tasks: an SQL condition over `t` and `res` using $1 (the caller) and $2 (today). */
  access: string;
  userId: number;
  today: string;
  now: Date;
  weekEnd: Date;
  nodePath?: string;
  status?: 'open' | 'overdue' | 'done' | 'withdrawn';
  ruleId?: number;
  category?: RuleCategory;
  assigneeId?: number;
  residentId?: number;
  householdId?: number;
  dueFrom?: Date;
  dueTo?: Date;
  limit: number;
  offset: number;
};

function taskWhere(f: TaskFilter, params: unknown[], withStatus: boolean): string {
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const w = [f.access];
  if (f.nodePath) w.push(`t.node_path LIKE ${add(`${f.nodePath}%`)}`);
  if (withStatus && f.status) {
    if (f.status === 'overdue') w.push(`t.status = 'open' AND t.due_at < ${add(f.now)}`);
    else w.push(`t.status = ${add(f.status)}`);
  }
  if (f.ruleId !== undefined) w.push(`t.rule_id = ${add(f.ruleId)}`);
  if (f.category) w.push(`r.category = ${add(f.category)}`);
  if (f.assigneeId !== undefined) w.push(`t.assignee_id = ${add(f.assigneeId)}`);
  if (f.residentId !== undefined) w.push(`t.resident_id = ${add(f.residentId)}`);
  if (f.householdId !== undefined) w.push(`COALESCE(t.household_id, res.household_id) = ${add(f.householdId)}`);
  if (f.dueFrom) w.push(`t.due_at >= ${add(f.dueFrom)}`);
  if (f.dueTo) w.push(`t.due_at <= ${add(f.dueTo)}`);
  return w.join(' AND ');
}

export async function listTaskViews(
  q: Queryable,
  f: TaskFilter,
): Promise<{ rows: TaskViewRow[]; total: number; counts: { open: number; overdue: number; dueThisWeek: number } }> {
  const params: unknown[] = [f.userId, f.today];
  const where = taskWhere(f, params, true);
  params.push(f.limit, f.offset);
  const rows = await q.query<TaskViewRow & { total: number }>(
    `${TASK_SELECT} WHERE ${where}
      ORDER BY (t.status = 'open') DESC, t.due_at, t.id
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const cParams: unknown[] = [f.userId, f.today];
  const cWhere = taskWhere(f, cParams, false);
  cParams.push(f.now, f.weekEnd);
  const n = cParams.length;
  const [c] = await q.query<{ total: number; open: number; overdue: number; due_week: number }>(
    `SELECT count(*) FILTER (WHERE ${statusCondition(f.status, `$${n - 1}`)})::int AS total,
            count(*) FILTER (WHERE t.status = 'open')::int AS open,
            count(*) FILTER (WHERE t.status = 'open' AND t.due_at < $${n - 1})::int AS overdue,
            count(*) FILTER (WHERE t.status = 'open' AND t.due_at < $${n})::int AS due_week
       FROM visit_tasks t
       JOIN visit_rules r ON r.id = t.rule_id
       LEFT JOIN residents res ON res.id = t.resident_id
      WHERE ${cWhere}`,
    cParams,
  );
  return {
    rows,
    total: c?.total ?? 0,
    counts: { open: c?.open ?? 0, overdue: c?.overdue ?? 0, dueThisWeek: c?.due_week ?? 0 },
  };
}

function statusCondition(status: TaskFilter['status'], nowParam: string): string {
  if (!status) return 'TRUE';
  if (status === 'overdue') return `t.status = 'open' AND t.due_at < ${nowParam}`;
  return `t.status = '${status}'`;
}

export type MemberRow = {
  id: number;
  name: string;
  birth_date: string;
  relation: string | null;
  node_path: string;
  tags: { name: string; sensitive: boolean }[] | null;
};

/** The household's living members (or the one resident), with their tags. */
export async function listMembers(q: Queryable, householdId: number | null, residentId: number | null) {
  return q.query<MemberRow>(
    `SELECT r.id, r.name, to_char(r.birth_date, 'YYYY-MM-DD') AS birth_date, r.relation, r.node_path,
            (SELECT json_agg(json_build_object('name', tg.name, 'sensitive', tg.sensitive) ORDER BY tg.sort, tg.id)
               FROM resident_tags rt JOIN tags tg ON tg.id = rt.tag_id WHERE rt.resident_id = r.id) AS tags
       FROM residents r
      WHERE r.status = 'active' AND (($1::bigint IS NOT NULL AND r.household_id = $1) OR r.id = $2)
      ORDER BY (r.relation = 'head') DESC NULLS LAST, r.id
      LIMIT 50`,
    [householdId, residentId],
  );
}

export async function setAssignee(q: Queryable, id: number, assigneeId: number): Promise<void> {
  await q.query('UPDATE visit_tasks SET assignee_id = $2, reminded_at = NULL, updated_at = now() WHERE id = $1', [
    id,
    assigneeId,
  ]);
}

export async function withdrawTask(q: Queryable, id: number, note: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE visit_tasks SET status = 'withdrawn', withdrawn_at = $3, withdrawn_reason = 'manual', withdrawn_note = $2,
            updated_at = now() WHERE id = $1`,
    [id, note, at],
  );
}

export async function closeTask(q: Queryable, id: number, visitId: number, doneAt: Date): Promise<void> {
  await q.query(
    `UPDATE visit_tasks SET status = 'done', visit_id = $2, done_at = $3, updated_at = now() WHERE id = $1`,
    [id, visitId, doneAt],
  );
}

export async function addAttempt(q: Queryable, id: number): Promise<void> {
  await q.query('UPDATE visit_tasks SET attempts = attempts + 1, updated_at = now() WHERE id = $1', [id]);
}

/** Whether the account is active and holds a post of one of `roles` at or above `path` (or everywhere). */
export async function holdsPostOver(q: Queryable, userId: number, roles: readonly string[], path: string) {
  const rows = await q.query<{ one: number }>(
    `SELECT 1 AS one FROM users u JOIN posts p ON p.user_id = u.id LEFT JOIN org_nodes n ON n.id = p.node_id
      WHERE u.id = $1 AND NOT u.disabled AND p.role = ANY($2::text[])
        AND (p.node_id IS NULL OR $3 LIKE n.path || '%')
      LIMIT 1`,
    [userId, roles, path],
  );
  return rows.length > 0;
}

export async function userName(q: Queryable, userId: number): Promise<string | null> {
  const rows = await q.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [userId]);
  return rows[0]?.display_name ?? null;
}

// ---- subjects of visits without a task ------------------------------------------------------------------------

export type SubjectRow = {
  county_id: number;
  resident_id: number | null;
  household_id: number | null;
  node_id: number;
  node_path: string;
  house_id: number | null;
};

export async function residentSubject(q: Queryable, id: number): Promise<SubjectRow | undefined> {
  const rows = await q.query<SubjectRow>(
    `SELECT county_id, id AS resident_id, household_id, node_id, node_path, house_id
       FROM residents WHERE id = $1 AND status = 'active'`,
    [id],
  );
  return rows[0];
}

export async function householdSubject(q: Queryable, id: number): Promise<SubjectRow | undefined> {
  const rows = await q.query<SubjectRow>(
    `SELECT county_id, NULL::bigint AS resident_id, id AS household_id, node_id, node_path, house_id
       FROM households WHERE id = $1 AND dissolved_at IS NULL`,
    [id],
  );
  return rows[0];
}

// ---- visits ---------------------------------------------------------------------------------------------------

export type VisitRow = {
  id: number;
  county_id: number;
  task_id: number | null;
  resident_id: number | null;
  household_id: number | null;
  node_id: number;
  node_path: string;
  visitor_id: number;
  visited_at: Date;
  outcome: VisitOutcome;
  note: string | null;
  health: Record<string, unknown> | null;
  case_id: number | null;
  client_id: string;
  recorded_at: Date;
  /** The household the visit is about: its own, or its resident's. */
  subject_household_id: number | null;
};

export type VisitViewRow = VisitRow & {
  rule_name: string | null;
  person_id: number | null;
  person_name: string | null;
  place_name: string | null;
  room_no: string | null;
  house_id: number | null;
  visitor_name: string;
  case_no: string | null;
  photo_count: number;
};

const VISIT_SELECT = `
  SELECT v.*, COALESCE(v.household_id, res.household_id) AS subject_household_id,
         r.name AS rule_name,
         COALESCE(res.id, head.id) AS person_id, COALESCE(res.name, head.name) AS person_name,
         ${PLACE_NAME('v.node_path')} AS place_name,
         ho.room_no, ho.id AS house_id, u.display_name AS visitor_name, c.case_no,
         (SELECT count(*)::int FROM files f WHERE f.attached_type = 'visit' AND f.attached_id = v.id) AS photo_count
    FROM visits v
    LEFT JOIN visit_tasks t ON t.id = v.task_id
    LEFT JOIN visit_rules r ON r.id = t.rule_id
    LEFT JOIN residents res ON res.id = v.resident_id
    LEFT JOIN households hh ON hh.id = v.household_id
    LEFT JOIN residents head ON v.resident_id IS NULL AND head.id = hh.head_resident_id
    LEFT JOIN houses ho ON ho.id = COALESCE(res.house_id, hh.house_id)
    JOIN users u ON u.id = v.visitor_id
    LEFT JOIN cases c ON c.id = v.case_id`;

export async function findVisit(q: Queryable, id: number, lock = false): Promise<VisitRow | undefined> {
  const rows = await q.query<VisitRow>(
    `SELECT v.*, COALESCE(v.household_id, res.household_id) AS subject_household_id
       FROM visits v LEFT JOIN residents res ON res.id = v.resident_id
      WHERE v.id = $1 ${lock ? 'FOR UPDATE OF v' : ''}`,
    [id],
  );
  return rows[0];
}

export async function findVisitView(q: Queryable, id: number): Promise<VisitViewRow | undefined> {
  const rows = await q.query<VisitViewRow>(`${VISIT_SELECT} WHERE v.id = $1`, [id]);
  return rows[0];
}

export async function findVisitByClient(q: Queryable, visitorId: number, clientId: string) {
  const rows = await q.query<VisitRow>(
    `SELECT v.*, COALESCE(v.household_id, res.household_id) AS subject_household_id
       FROM visits v LEFT JOIN residents res ON res.id = v.resident_id
      WHERE v.visitor_id = $1 AND v.client_id = $2`,
    [visitorId, clientId],
  );
  return rows[0];
}

export type VisitInsert = Omit<VisitRow, 'id' | 'case_id' | 'recorded_at' | 'subject_household_id'>;

/** A new visit, or nothing when this visitor already sent one with this client id (a retry, or a race). */
export async function insertVisit(q: Queryable, v: VisitInsert): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO visits (county_id, task_id, resident_id, household_id, node_id, node_path, visitor_id, visited_at,
       outcome, note, health, client_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (visitor_id, client_id) DO NOTHING
     RETURNING id`,
    [
      v.county_id,
      v.task_id,
      v.resident_id,
      v.household_id,
      v.node_id,
      v.node_path,
      v.visitor_id,
      v.visited_at,
      v.outcome,
      v.note,
      v.health === null ? null : JSON.stringify(v.health),
      v.client_id,
    ],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export type VisitFilter = {
  access: string;
  userId: number;
  today: string;
  nodePath?: string;
  visitorId?: number;
  residentId?: number;
  householdId?: number;
  taskId?: number;
  outcome?: VisitOutcome;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
};

export async function listVisitViews(q: Queryable, f: VisitFilter): Promise<{ rows: VisitViewRow[]; total: number }> {
  const params: unknown[] = [f.userId, f.today];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const w = [f.access];
  if (f.nodePath) w.push(`v.node_path LIKE ${add(`${f.nodePath}%`)}`);
  if (f.visitorId !== undefined) w.push(`v.visitor_id = ${add(f.visitorId)}`);
  if (f.residentId !== undefined) w.push(`v.resident_id = ${add(f.residentId)}`);
  if (f.householdId !== undefined) w.push(`COALESCE(v.household_id, res.household_id) = ${add(f.householdId)}`);
  if (f.taskId !== undefined) w.push(`v.task_id = ${add(f.taskId)}`);
  if (f.outcome) w.push(`v.outcome = ${add(f.outcome)}`);
  if (f.from) w.push(`v.visited_at >= ${add(f.from)}`);
  if (f.to) w.push(`v.visited_at <= ${add(f.to)}`);
  const where = w.join(' AND ');
  const countParams = [...params];
  params.push(f.limit, f.offset);
  const rows = await q.query<VisitViewRow>(
    `${VISIT_SELECT} WHERE ${where} ORDER BY v.visited_at DESC, v.id DESC
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const [c] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM visits v LEFT JOIN residents res ON res.id = v.resident_id WHERE ${where}`,
    countParams,
  );
  return { rows, total: c?.n ?? 0 };
}

/** The visits on a task, or a subject's latest visits (not those of `exceptTask`). */
export async function visitsOf(
  q: Queryable,
  by: { taskId: number } | { residentId: number | null; householdId: number | null; exceptTask: number },
  limit: number,
): Promise<VisitViewRow[]> {
  if ('taskId' in by) {
    return q.query<VisitViewRow>(`${VISIT_SELECT} WHERE v.task_id = $1 ORDER BY v.visited_at DESC LIMIT $2`, [
      by.taskId,
      limit,
    ]);
  }
  return q.query<VisitViewRow>(
    `${VISIT_SELECT}
      WHERE (v.task_id IS NULL OR v.task_id <> $3)
        AND (($1::bigint IS NOT NULL AND v.resident_id = $1) OR ($2::bigint IS NOT NULL AND v.household_id = $2))
      ORDER BY v.visited_at DESC LIMIT $4`,
    [by.residentId, by.householdId, by.exceptTask, limit],
  );
}

/** Links the case to the visit, unless one is linked already. @returns whether it was linked */
export async function linkCase(q: Queryable, id: number, caseId: number): Promise<boolean> {
  const rows = await q.query('UPDATE visits SET case_id = $2 WHERE id = $1 AND case_id IS NULL RETURNING id', [
    id,
    caseId,
  ]);
  return rows.length > 0;
}

// ---- reminders and the workbench ------------------------------------------------------------------------------

/**
 * Assignees with open tasks due by `dayEnd` not yet reminded since `dayStart`, with their counts (due today,
 * overdue); their open tasks due by `dayEnd` are marked reminded in the same statement.
 */
export async function takeReminders(q: Queryable, now: Date, dayStart: Date, dayEnd: Date) {
  return q.query<{ assignee_id: number; due_today: number; overdue: number }>(
    `WITH who AS (
       SELECT DISTINCT assignee_id FROM visit_tasks
        WHERE status = 'open' AND assignee_id IS NOT NULL AND due_at < $3
          AND (reminded_at IS NULL OR reminded_at < $2)),
     marked AS (
       UPDATE visit_tasks t SET reminded_at = $1
         FROM who WHERE t.assignee_id = who.assignee_id AND t.status = 'open' AND t.due_at < $3
       RETURNING t.assignee_id, t.due_at)
     SELECT assignee_id, count(*) FILTER (WHERE due_at >= $1)::int AS due_today,
            count(*) FILTER (WHERE due_at < $1)::int AS overdue
       FROM marked GROUP BY assignee_id ORDER BY assignee_id`,
    [now, dayStart, dayEnd],
  );
}

export async function areaCounts(q: Queryable, scopeWhere: string, now: Date, weekStart: Date) {
  const [c] = await q.query<{ open: number; overdue: number; done_week: number }>(
    `SELECT count(*) FILTER (WHERE t.status = 'open')::int AS open,
            count(*) FILTER (WHERE t.status = 'open' AND t.due_at < $1)::int AS overdue,
            count(*) FILTER (WHERE t.status = 'done' AND t.done_at >= $2)::int AS done_week
       FROM visit_tasks t WHERE ${scopeWhere}`,
    [now, weekStart],
  );
  return { open: c?.open ?? 0, overdue: c?.overdue ?? 0, doneWeek: c?.done_week ?? 0 };
}
