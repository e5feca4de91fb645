import { randomUUID } from 'node:crypto';
import type { Queryable } from '../platform/db/client.js';

/**
 * Grid-work rows written straight with SQL for the coverage tests (visit rules, tasks and visits with chosen
 * times), independent of the generation and recording services.
 */

async function pathOf(db: Queryable, nodeId: number): Promise<{ path: string; countyId: number }> {
  const rows = await db.query<{ path: string; county_id: number }>(
    'SELECT path, county_id FROM org_nodes WHERE id = $1',
    [nodeId],
  );
  if (!rows[0]) throw new Error(`no org node ${nodeId}`);
  return { path: rows[0].path, countyId: Number(rows[0].county_id) };
}

let ruleSeq = 0;

/** A periodic rule over a tag (weekly unless told), for tasks to point at. */
export async function buildVisitRule(
  db: Queryable,
  o: { tagId: number; name?: string; every?: number; unit?: string; enabled?: boolean },
): Promise<number> {
  ruleSeq++;
  const rows = await db.query<{ id: number }>(
    `INSERT INTO visit_rules (code, name, kind, category, tag_id, every, unit, enabled)
     VALUES ($1, $2, 'periodic', 'routine', $3, $4, $5, $6) RETURNING id`,
    [
      `cov_rule_${ruleSeq}_${Math.random().toString(36).slice(2, 8)}`,
      o.name ?? `覆盖测试规则${ruleSeq}`,
      o.tagId,
      o.every ?? 1,
      o.unit ?? 'week',
      o.enabled ?? true,
    ],
  );
  return Number(rows[0]!.id);
}

let taskSeq = 0;

export type TaskInput = {
  ruleId: number;
  nodeId: number;
  dueAt: string;
  status?: 'open' | 'done' | 'withdrawn';
  doneAt?: string | null;
  assigneeId?: number | null;
  residentId?: number | null;
  householdId?: number | null;
  withdrawnReason?: string | null;
};

/** A visit task due at `dueAt`; done ones need `doneAt`. Its subject and reason key are unique per call. */
export async function buildVisitTask(db: Queryable, o: TaskInput): Promise<number> {
  const { path, countyId } = await pathOf(db, o.nodeId);
  taskSeq++;
  const status = o.status ?? 'open';
  const subject = o.householdId ? `h${o.householdId}` : `r${o.residentId ?? 900000 + taskSeq}`;
  const rows = await db.query<{ id: number }>(
    `INSERT INTO visit_tasks (county_id, rule_id, subject, reason_key, resident_id, household_id, node_id, node_path,
       assignee_id, assignee_kind, due_at, status, done_at, withdrawn_at, withdrawn_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'grid_worker', $10, $11, $12, $13, $14) RETURNING id`,
    [
      countyId,
      o.ruleId,
      subject,
      `test:${taskSeq}`,
      o.residentId ?? null,
      o.householdId ?? null,
      o.nodeId,
      path,
      o.assigneeId ?? null,
      o.dueAt,
      status,
      status === 'done' ? (o.doneAt ?? o.dueAt) : null,
      status === 'withdrawn' ? o.dueAt : null,
      status === 'withdrawn' ? (o.withdrawnReason ?? 'tag_removed') : null,
    ],
  );
  return Number(rows[0]!.id);
}

export type VisitRowInput = {
  nodeId: number;
  visitorId: number;
  visitedAt: string | Date;
  outcome?: 'well' | 'needs_help' | 'not_home';
  taskId?: number | null;
  residentId?: number | null;
  householdId?: number | null;
};

/** A visit at a chosen time (and, on a task, the task's visit_id when it is done). */
export async function buildVisit(db: Queryable, o: VisitRowInput): Promise<number> {
  const { path, countyId } = await pathOf(db, o.nodeId);
  const rows = await db.query<{ id: number }>(
    `INSERT INTO visits (county_id, task_id, resident_id, household_id, node_id, node_path, visitor_id, visited_at,
       outcome, client_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      countyId,
      o.taskId ?? null,
      o.residentId ?? null,
      o.householdId ?? null,
      o.nodeId,
      path,
      o.visitorId,
      o.visitedAt instanceof Date ? o.visitedAt.toISOString() : o.visitedAt,
      o.outcome ?? 'well',
      randomUUID(),
    ],
  );
  const id = Number(rows[0]!.id);
  if (o.taskId)
    await db.query(`UPDATE visit_tasks SET visit_id = $2 WHERE id = $1 AND status = 'done'`, [o.taskId, id]);
  return id;
}
