/** Test fixtures of the SLA tests: a category and case rows written directly (the SLA reads only the tables). */
import type { Queryable } from '../platform/db/client.js';

let seq = 0;

export async function ensureSlaTestCategory(q: Queryable): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO case_categories (code, name_zh, name_en, response_sla, handle_sla)
     VALUES ('sla-test', 'SLA 测试', 'SLA test', '{"amount": 2, "unit": "working_hours"}', '{"amount": 1, "unit": "working_days"}')
     ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh RETURNING id`,
  );
  return rows[0]!.id;
}

export type SlaCaseInput = {
  nodeId: number;
  stage: string;
  handlerUsername?: string;
  dispatchedAt?: Date | null;
  acceptedAt?: Date | null;
  responseDueAt?: Date | null;
  handleDueAt?: Date | null;
  handledAt?: Date | null;
  verifyDueAt?: Date | null;
  parkedUntil?: string | null;
  departmentId?: number | null;
};

/** A case in the grid `nodeId` (also its assignee), as the core would leave it after dispatch/accept. */
export async function insertSlaCase(q: Queryable, c: SlaCaseInput): Promise<number> {
  const categoryId = await ensureSlaTestCategory(q);
  seq++;
  const rows = await q.query<{ id: number }>(
    `INSERT INTO cases (county_id, case_no, category_id, stage, title, source, node_id, node_path, assignee_node_id,
       assignee_department_id, handler_id, dispatched_at, accepted_at, response_due_at, handle_due_at, parked_until,
       handled_at, verify_due_at)
     SELECT n.county_id, $2, $3, $4, 'SLA 测试事件', 'resident', n.id, n.path,
       CASE WHEN $6::bigint IS NULL THEN n.id END, $6::bigint,
       (SELECT id FROM users WHERE username = $5), $7, $8, $9, $10, $11::date, $12, $13
     FROM org_nodes n WHERE n.id = $1 RETURNING id`,
    [
      c.nodeId,
      `SLA${Date.now()}-${seq}`,
      categoryId,
      c.stage,
      c.handlerUsername ?? null,
      c.departmentId ?? null,
      c.dispatchedAt ?? null,
      c.acceptedAt ?? null,
      c.responseDueAt ?? null,
      c.handleDueAt ?? null,
      c.parkedUntil ?? null,
      c.handledAt ?? null,
      c.verifyDueAt ?? null,
    ],
  );
  return rows[0]!.id;
}

export async function insertSlaDepartment(q: Queryable, nodeId: number, memberUsername: string): Promise<number> {
  seq++;
  const rows = await q.query<{ id: number }>(
    `INSERT INTO departments (county_id, node_id, node_path, name)
     SELECT county_id, id, path, $2 FROM org_nodes WHERE id = $1 RETURNING id`,
    [nodeId, `测试部门${seq}`],
  );
  const id = rows[0]!.id;
  await q.query(
    'INSERT INTO department_members (department_id, user_id) SELECT $1, id FROM users WHERE username = $2',
    [id, memberUsername],
  );
  return id;
}

export async function insertSlaWhistle(
  q: Queryable,
  caseId: number,
  departmentId: number,
  dueAt: Date,
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO case_whistles (county_id, case_id, department_id, due_at)
     SELECT county_id, id, $2, $3 FROM cases WHERE id = $1 RETURNING id`,
    [caseId, departmentId, dueAt],
  );
  return rows[0]!.id;
}

export function slaEvents(q: Queryable, caseId: number) {
  return q.query<{ action: string; note: string; data: Record<string, unknown>; public: boolean }>(
    'SELECT action, note, data, public FROM case_events WHERE case_id = $1 ORDER BY id',
    [caseId],
  );
}

export async function inboxOf(q: Queryable, username: string, kind: string) {
  return q.query<{ payload: Record<string, unknown>; link_id: number | null; link_type: string | null }>(
    `SELECT m.payload, m.link_id, m.link_type FROM inbox_messages m JOIN users u ON u.id = m.user_id
      WHERE u.username = $1 AND m.kind = $2 ORDER BY m.id`,
    [username, kind],
  );
}

export async function caseMarks(q: Queryable, id: number) {
  const rows = await q.query<{ supervision: number; overdue: boolean; version: number }>(
    'SELECT supervision, overdue, version FROM cases WHERE id = $1',
    [id],
  );
  return rows[0]!;
}
