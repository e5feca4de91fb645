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

/**
 * The caller's first `limit` open tasks by due time: the ids and keys come first from the (assignee_id, due_at)
 * index (MATERIALIZED: read once, before any join), then each of those rows looks up its names by primary key —
 * never a scan of org_nodes or residents, however large the region.
 */
export async function myOpenTasks(q: Queryable, userId: number, limit: number): Promise<MyVisitTaskRow[]> {
  return q.query<MyVisitTaskRow>(
    `WITH t AS MATERIALIZED (
       SELECT id, due_at, created_at, rule_id, node_id, resident_id, household_id
         FROM visit_tasks WHERE assignee_id = $1 AND status = 'open' ORDER BY due_at, id LIMIT $2)
     SELECT t.id::int AS id, t.due_at AS "dueAt", t.created_at AS "createdAt", vr.name AS "ruleName", vr.category,
            COALESCE(r.name, hr.name) AS person, (SELECT n.name FROM org_nodes n WHERE n.id = t.node_id) AS "nodeName",
            (SELECT hs.room_no FROM houses hs WHERE hs.id = COALESCE(r.house_id, h.house_id)) AS "roomNo"
       FROM t
       JOIN visit_rules vr ON vr.id = t.rule_id
       LEFT JOIN LATERAL (SELECT r.name, r.house_id FROM residents r WHERE r.id = t.resident_id OFFSET 0) r ON true
       LEFT JOIN LATERAL (SELECT h.house_id, h.head_resident_id FROM households h
                           WHERE h.id = t.household_id OFFSET 0) h ON true
       LEFT JOIN LATERAL (SELECT hr.name FROM residents hr WHERE hr.id = h.head_resident_id OFFSET 0) hr ON true
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
