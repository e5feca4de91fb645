/** SQL of the SLA jobs: the case and whistle rows they check, their marks, and the sweep's candidates. */
import type { Queryable } from '../../platform/db/client.js';
import type { SlaCase, SlaWhistle } from './sla.logic.js';

export type SlaCaseRow = SlaCase & {
  countyId: number;
  caseNo: string;
  title: string;
  nodePath: string;
  handlerId: number | null;
  assigneeDepartmentId: number | null;
  assigneePath: string | null;
  departmentPath: string | null;
};

const CASE_COLUMNS = `c.id, c.county_id AS "countyId", c.case_no AS "caseNo", c.title, c.stage, c.node_path AS "nodePath",
  c.handler_id AS "handlerId", c.assignee_department_id AS "assigneeDepartmentId", an.path AS "assigneePath",
  d.node_path AS "departmentPath", c.dispatched_at AS "dispatchedAt", c.accepted_at AS "acceptedAt",
  c.response_due_at AS "responseDueAt", c.handle_due_at AS "handleDueAt", c.handled_at AS "handledAt",
  c.verify_due_at AS "verifyDueAt", to_char(c.parked_until, 'YYYY-MM-DD') AS "parkedUntil", c.supervision, c.overdue`;

const CASE_FROM = `FROM cases c LEFT JOIN org_nodes an ON an.id = c.assignee_node_id
  LEFT JOIN departments d ON d.id = c.assignee_department_id`;

/** The case as its SLA sees it; `lock` takes the row lock that makes two instances act one after the other. */
export async function findSlaCase(q: Queryable, id: number, lock = false): Promise<SlaCaseRow | null> {
  const rows = await q.query<SlaCaseRow>(
    `SELECT ${CASE_COLUMNS} ${CASE_FROM} WHERE c.id = $1 ${lock ? 'FOR UPDATE OF c' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export function openWhistles(q: Queryable, caseId: number): Promise<SlaWhistle[]> {
  return q.query<SlaWhistle>(
    `SELECT id, status, due_at AS "dueAt" FROM case_whistles WHERE case_id = $1 AND status IN ('pending', 'accepted')`,
    [caseId],
  );
}

export type SlaWhistleRow = SlaWhistle & { departmentId: number; departmentName: string };

export async function findWhistle(q: Queryable, id: number): Promise<SlaWhistleRow | null> {
  const rows = await q.query<SlaWhistleRow>(
    `SELECT w.id, w.status, w.due_at AS "dueAt", w.department_id AS "departmentId", d.name AS "departmentName"
       FROM case_whistles w JOIN departments d ON d.id = w.department_id WHERE w.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Whether the timeline already holds the mark of this step for this deadline. */
export async function hasMark(q: Queryable, caseId: number, key: string): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM case_events WHERE case_id = $1 AND action IN ('remind', 'supervise') AND data->>'key' = $2 LIMIT 1`,
    [caseId, key],
  );
  return rows.length > 0;
}

/** Raises the supervision mark (never lowers it); `overdue` once set stays. Returns the new level. */
export async function raiseSupervision(
  q: Queryable,
  id: number,
  level: number,
  overdue: boolean,
): Promise<number | null> {
  const rows = await q.query<{ supervision: number }>(
    `UPDATE cases SET supervision = GREATEST(supervision, $2::smallint), overdue = overdue OR $3::boolean,
       version = version + 1, updated_at = now()
     WHERE id = $1 AND (supervision < $2::smallint OR ($3::boolean AND NOT overdue))
     RETURNING supervision`,
    [id, level, overdue],
  );
  return rows[0]?.supervision ?? null;
}

export async function insertSlaEvent(
  q: Queryable,
  e: { countyId: number; caseId: number; action: 'remind' | 'supervise'; stage: string; note: string; data: object },
): Promise<void> {
  await q.query(
    `INSERT INTO case_events (county_id, case_id, actor_id, actor_name, action, from_stage, to_stage, note, data, public)
     VALUES ($1, $2, NULL, '系统', $3, $4, $4, $5, $6, false)`,
    [e.countyId, e.caseId, e.action, e.stage, e.note, JSON.stringify(e.data)],
  );
}

export async function departmentMembers(q: Queryable, departmentId: number): Promise<number[]> {
  const rows = await q.query<{ userId: number }>(
    'SELECT user_id AS "userId" FROM department_members WHERE department_id = $1',
    [departmentId],
  );
  return rows.map((r) => r.userId);
}

export type SweepCandidate = { caseId: number; step: string; due: Date | string; whistleId: number | null };

/**
 * Cases whose marks are due and not yet made (the sweep's safety net for jobs lost or never armed).
 * `remindHorizon`: the longest reminder lead, so every case that might need a reminder is looked at.
 */
export async function sweepCandidates(q: Queryable, now: Date, limit: number): Promise<SweepCandidate[]> {
  const params = [now, limit];
  const response = await q.query<SweepCandidate>(
    `SELECT id AS "caseId", 'response' AS step, response_due_at AS due, NULL::bigint AS "whistleId" FROM cases
      WHERE stage = 'dispatched' AND accepted_at IS NULL AND response_due_at <= $1 AND supervision < 1
      ORDER BY response_due_at LIMIT $2`,
    params,
  );
  const handle = await q.query<SweepCandidate>(
    `SELECT id AS "caseId", 'handle' AS step, handle_due_at AS due, NULL::bigint AS "whistleId" FROM cases
      WHERE stage IN ('dispatched', 'handling', 'whistled') AND handled_at IS NULL AND handle_due_at <= $1
        AND NOT (supervision >= 2 AND overdue)
      ORDER BY handle_due_at LIMIT $2`,
    params,
  );
  const remind = await q.query<SweepCandidate>(
    `SELECT c.id AS "caseId", 'remind' AS step, c.handle_due_at AS due, NULL::bigint AS "whistleId" FROM cases c
      WHERE c.stage IN ('dispatched', 'handling', 'whistled') AND c.handled_at IS NULL
        AND c.handle_due_at > $1 AND c.handle_due_at <= $1::timestamptz + interval '4 hours'
        AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'remind'
          AND e.data->>'due' = to_char(c.handle_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      ORDER BY c.handle_due_at LIMIT $2`,
    params,
  );
  const park = await q.query<SweepCandidate>(
    `SELECT c.id AS "caseId", 'park_review' AS step, to_char(c.parked_until, 'YYYY-MM-DD') AS due,
        NULL::bigint AS "whistleId" FROM cases c
      WHERE c.stage = 'parked' AND c.parked_until <= ($1::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
        AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'remind'
          AND e.data->>'step' = 'park_review' AND e.data->>'parkedUntil' = to_char(c.parked_until, 'YYYY-MM-DD'))
      ORDER BY c.parked_until LIMIT $2`,
    params,
  );
  const whistle = await q.query<SweepCandidate>(
    `SELECT w.case_id AS "caseId", 'whistle' AS step, w.due_at AS due, w.id AS "whistleId" FROM case_whistles w
      JOIN cases c ON c.id = w.case_id
      WHERE c.stage = 'whistled' AND w.status IN ('pending', 'accepted') AND w.due_at <= $1
        AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = w.case_id AND e.action = 'supervise'
          AND e.data->>'whistleId' = w.id::text AND e.data->>'due' =
            to_char(w.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      ORDER BY w.due_at LIMIT $2`,
    params,
  );
  const verify = await q.query<SweepCandidate>(
    `SELECT c.id AS "caseId", 'verify' AS step, c.verify_due_at AS due, NULL::bigint AS "whistleId" FROM cases c
      WHERE c.stage = 'handled' AND c.verify_due_at <= $1
        AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'supervise'
          AND e.data->>'step' = 'verify' AND e.data->>'due' =
            to_char(c.verify_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      ORDER BY c.verify_due_at LIMIT $2`,
    params,
  );
  return [...response, ...handle, ...remind, ...park, ...whistle, ...verify];
}
