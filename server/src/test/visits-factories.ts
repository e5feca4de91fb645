import type { Queryable } from '../platform/db/client.js';

/**
 * Grid-work rows written straight with SQL, for tests of visit tasks, visits, coverage and my tasks without going
 * through rules and generation: visit rules, visit tasks (on a resident or a household, placed at its node) and
 * 一网三联 links.
 */

let ruleSeq = 0;

export type VisitRuleInput = {
  code?: string;
  name?: string;
  kind?: 'periodic' | 'event';
  category?: 'must_go' | 'must_visit' | 'routine';
  /** periodic: the tag (by id) and the frequency; default: the built-in 独居老人 tag, every 1 week. */
  tagId?: number;
  every?: number;
  unit?: 'day' | 'week' | 'month' | 'quarter' | 'year';
  /** event: default resident_deceased within 24 hours. */
  trigger?: 'tag_added' | 'resident_deceased' | 'case_category' | 'alarm_outcome' | 'visit_outcome';
  triggerTagId?: number | null;
  triggerCategoryId?: number | null;
  triggerOutcome?: string | null;
  triggerRuleId?: number | null;
  dueHours?: number;
  assignee?: 'grid_worker' | 'party_member' | 'building_leader';
  target?: 'resident' | 'household';
  enabled?: boolean;
};

export async function buildVisitRule(db: Queryable, o: VisitRuleInput = {}): Promise<{ id: number; code: string }> {
  ruleSeq++;
  const kind = o.kind ?? 'periodic';
  const code = o.code ?? `t_rule_${ruleSeq}_${Math.random().toString(36).slice(2, 8)}`;
  let tagId: number | null = null;
  if (kind === 'periodic') {
    tagId =
      o.tagId ?? (await db.query<{ id: number }>(`SELECT id FROM tags WHERE code = 'elderly_alone'`))[0]?.id ?? null;
    if (tagId === null) throw new Error('buildVisitRule: no tag');
  }
  const rows = await db.query<{ id: number }>(
    `INSERT INTO visit_rules (code, name, kind, category, tag_id, every, unit, trigger, trigger_tag_id,
       trigger_category_id, trigger_outcome, trigger_rule_id, due_hours, assignee, target, enabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
    [
      code,
      o.name ?? `测试规则${ruleSeq}`,
      kind,
      o.category ?? 'routine',
      tagId,
      kind === 'periodic' ? (o.every ?? 1) : null,
      kind === 'periodic' ? (o.unit ?? 'week') : null,
      kind === 'event' ? (o.trigger ?? 'resident_deceased') : null,
      o.triggerTagId ?? null,
      o.triggerCategoryId ?? null,
      o.triggerOutcome ?? null,
      o.triggerRuleId ?? null,
      kind === 'event' ? (o.dueHours ?? 24) : null,
      o.assignee ?? 'grid_worker',
      o.target ?? 'resident',
      o.enabled ?? true,
    ],
  );
  return { id: Number(rows[0]!.id), code };
}

let taskSeq = 0;

export type VisitTaskInput = {
  ruleId: number;
  /** The subject: a resident (placed at the resident's node, with their household) or a household. */
  residentId?: number;
  householdId?: number;
  assigneeId?: number | null;
  assigneeKind?: 'grid_worker' | 'party_member' | 'building_leader';
  /** Default: a unique 'p:…' key. */
  reasonKey?: string;
  periodStart?: string | null;
  /** Default: a week from now. */
  dueAt?: Date;
  status?: 'open' | 'done' | 'withdrawn';
  doneAt?: Date | null;
  withdrawnReason?: string | null;
  attempts?: number;
  createdAt?: Date;
};

export async function buildVisitTask(db: Queryable, o: VisitTaskInput): Promise<{ id: number }> {
  taskSeq++;
  if ((o.residentId === undefined) === (o.householdId === undefined)) {
    throw new Error('buildVisitTask: a resident or a household');
  }
  const subject = o.residentId !== undefined ? `r${o.residentId}` : `h${o.householdId}`;
  const place =
    o.residentId !== undefined
      ? await db.query<{ county_id: number; node_id: number; node_path: string; household_id: number | null }>(
          'SELECT county_id, node_id, node_path, household_id FROM residents WHERE id = $1',
          [o.residentId],
        )
      : await db.query<{ county_id: number; node_id: number; node_path: string; household_id: number | null }>(
          'SELECT county_id, node_id, node_path, id AS household_id FROM households WHERE id = $1',
          [o.householdId],
        );
  const p = place[0];
  if (!p) throw new Error(`buildVisitTask: no subject ${subject}`);
  const status = o.status ?? 'open';
  const rows = await db.query<{ id: number }>(
    `INSERT INTO visit_tasks (county_id, rule_id, subject, reason_key, resident_id, household_id, node_id, node_path,
       assignee_id, assignee_kind, period_start, due_at, status, attempts, done_at, withdrawn_at, withdrawn_reason,
       created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
    [
      p.county_id,
      o.ruleId,
      subject,
      o.reasonKey ?? `p:2026-12-07.${taskSeq}`,
      o.residentId ?? null,
      p.household_id,
      p.node_id,
      p.node_path,
      o.assigneeId ?? null,
      o.assigneeKind ?? 'grid_worker',
      o.periodStart ?? null,
      o.dueAt ?? new Date(Date.now() + 7 * 86_400_000),
      status,
      o.attempts ?? 0,
      status === 'done' ? (o.doneAt ?? new Date()) : null,
      status === 'withdrawn' ? new Date() : null,
      status === 'withdrawn' ? (o.withdrawnReason ?? 'manual') : null,
      o.createdAt ?? new Date(),
    ],
  );
  return { id: Number(rows[0]!.id) };
}

export type GridLinkInput = {
  kind: 'cadre_group' | 'party_household' | 'leader_building';
  userId: number;
  /** The community or village the link lies in (default: the target's community). */
  communityId?: number;
  householdId?: number;
  nodeId?: number;
  validFrom?: string;
  validTo?: string | null;
  endedAt?: Date | null;
};

/** A 一网三联 link, straight into grid_links (the links service validates; this does not). */
export async function buildGridLink(db: Queryable, o: GridLinkInput): Promise<{ id: number }> {
  const target =
    o.householdId !== undefined
      ? await db.query<{ county_id: number; node_path: string }>(
          'SELECT county_id, node_path FROM households WHERE id = $1',
          [o.householdId],
        )
      : await db.query<{ county_id: number; node_path: string }>(
          'SELECT county_id, path AS node_path FROM org_nodes WHERE id = $1',
          [o.nodeId],
        );
  const t = target[0];
  if (!t) throw new Error('buildGridLink: no target');
  const community =
    o.communityId ??
    (
      await db.query<{ id: number }>(
        `SELECT id FROM org_nodes WHERE type IN ('community', 'village')
           AND $1 LIKE path || '%' ORDER BY depth DESC LIMIT 1`,
        [t.node_path],
      )
    )[0]?.id;
  if (!community) throw new Error('buildGridLink: no community above the target');
  const rows = await db.query<{ id: number }>(
    `INSERT INTO grid_links (county_id, community_id, kind, user_id, node_id, household_id, node_path, valid_from,
       valid_to, ended_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      t.county_id,
      community,
      o.kind,
      o.userId,
      o.kind === 'party_household' ? null : (o.nodeId ?? null),
      o.kind === 'party_household' ? (o.householdId ?? null) : null,
      t.node_path,
      o.validFrom ?? '2020-01-01',
      o.validTo ?? null,
      o.endedAt ?? null,
    ],
  );
  return { id: Number(rows[0]!.id) };
}

export type VisitRowInput = {
  visitorId: number;
  /** The subject (placed at its node), or the task's subject when `taskId` is given. */
  residentId?: number;
  householdId?: number;
  taskId?: number;
  outcome?: 'well' | 'needs_help' | 'not_home';
  visitedAt?: Date;
  note?: string | null;
};

/** A visit row straight into `visits` (the task, if any, is left as it is). */
export async function buildVisit(db: Queryable, o: VisitRowInput): Promise<{ id: number }> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO visits (county_id, task_id, resident_id, household_id, node_id, node_path, visitor_id, visited_at,
       outcome, note, client_id)
     SELECT s.county_id, $1, s.resident_id, s.household_id, s.node_id, s.node_path, $4, $5, $6, $7, gen_random_uuid()
       FROM (
         SELECT county_id, resident_id, household_id, node_id, node_path FROM visit_tasks WHERE $1::bigint IS NOT NULL AND id = $1
         UNION ALL
         SELECT county_id, id, household_id, node_id, node_path FROM residents WHERE $1::bigint IS NULL AND id = $2
         UNION ALL
         SELECT county_id, NULL, id, node_id, node_path FROM households WHERE $1::bigint IS NULL AND $2::bigint IS NULL AND id = $3
       ) s
     RETURNING id`,
    [
      o.taskId ?? null,
      o.residentId ?? null,
      o.householdId ?? null,
      o.visitorId,
      o.visitedAt ?? new Date(Date.now() - 3_600_000),
      o.outcome ?? 'well',
      o.note ?? null,
    ],
  );
  if (!rows[0]) throw new Error('buildVisit: no subject');
  return { id: Number(rows[0].id) };
}
