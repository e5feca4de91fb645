/** SQL of the visit-task source of "my tasks": the caller's own open tasks, by the (assignee_id, due_at) index. */
import type { Queryable } from '../../platform/db/client.js';

export type MyVisitTaskRow = {
  id: number;
  dueAt: Date;
  createdAt: Date;
  ruleName: string;
  category: string;
  person: string | null;
  nodeName: string;
  roomNo: string | null;
};

export async function myOpenTasks(q: Queryable, userId: number, limit: number): Promise<MyVisitTaskRow[]> {
  return q.query<MyVisitTaskRow>(
    `SELECT t.id::int AS id, t.due_at AS "dueAt", t.created_at AS "createdAt", vr.name AS "ruleName", vr.category,
            COALESCE(r.name, hr.name) AS person, n.name AS "nodeName", hs.room_no AS "roomNo"
       FROM (SELECT * FROM visit_tasks WHERE assignee_id = $1 AND status = 'open' ORDER BY due_at, id LIMIT $2) t
       JOIN visit_rules vr ON vr.id = t.rule_id
       JOIN org_nodes n ON n.id = t.node_id
       LEFT JOIN residents r ON r.id = t.resident_id
       LEFT JOIN households h ON h.id = t.household_id
       LEFT JOIN residents hr ON hr.id = h.head_resident_id
       LEFT JOIN houses hs ON hs.id = COALESCE(r.house_id, h.house_id)
      ORDER BY t.due_at, t.id`,
    [userId, limit],
  );
}

export async function myOpenCounts(
  q: Queryable,
  userId: number,
  now: Date,
): Promise<{ total: number; overdue: number }> {
  const rows = await q.query<{ total: number; overdue: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE due_at < $2)::int AS overdue
       FROM visit_tasks WHERE assignee_id = $1 AND status = 'open'`,
    [userId, now],
  );
  return rows[0] ?? { total: 0, overdue: 0 };
}
