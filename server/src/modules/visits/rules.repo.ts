/** SQL of visit rules (visit_rules). */
import type { Queryable } from '../../platform/db/client.js';
import type {
  AssigneeKind,
  PeriodUnit,
  RuleTarget,
  VisitRuleCategory,
  VisitRuleKind,
  VisitTrigger,
} from './visits.schemas.js';

export type RuleRow = {
  id: number;
  code: string;
  name: string;
  description: string | null;
  kind: VisitRuleKind;
  category: VisitRuleCategory;
  tagId: number | null;
  tagName: string | null;
  every: number | null;
  unit: PeriodUnit | null;
  trigger: VisitTrigger | null;
  triggerTagId: number | null;
  triggerTagName: string | null;
  triggerCategoryId: number | null;
  triggerCategoryName: string | null;
  triggerCategoryNameEn: string | null;
  triggerOutcome: string | null;
  triggerRuleId: number | null;
  dueHours: number | null;
  assignee: AssigneeKind;
  target: RuleTarget;
  enabled: boolean;
  builtin: boolean;
  sort: number;
  version: number;
  openTasks: number;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS = `r.id::int AS id, r.code, r.name, r.description, r.kind, r.category, r.tag_id::int AS "tagId",
  t.name AS "tagName", r.every, r.unit, r.trigger, r.trigger_tag_id::int AS "triggerTagId",
  tt.name AS "triggerTagName", r.trigger_category_id::int AS "triggerCategoryId",
  c.name_zh AS "triggerCategoryName", c.name_en AS "triggerCategoryNameEn", r.trigger_outcome AS "triggerOutcome",
  r.trigger_rule_id::int AS "triggerRuleId", r.due_hours AS "dueHours", r.assignee, r.target, r.enabled, r.builtin,
  r.sort, r.version, r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;
const JOINS = `LEFT JOIN tags t ON t.id = r.tag_id LEFT JOIN tags tt ON tt.id = r.trigger_tag_id
  LEFT JOIN case_categories c ON c.id = r.trigger_category_id`;

/** Every rule, with its open tasks (one grouped read of the open-task index). */
export async function listRules(q: Queryable): Promise<RuleRow[]> {
  return q.query<RuleRow>(
    `SELECT ${COLUMNS}, COALESCE(o.n, 0)::int AS "openTasks"
       FROM visit_rules r ${JOINS}
       LEFT JOIN (SELECT rule_id, count(*) AS n FROM visit_tasks WHERE status = 'open' GROUP BY rule_id) o
         ON o.rule_id = r.id
      ORDER BY r.category, r.sort, r.id`,
  );
}

export async function findRule(q: Queryable, id: number, lock = false): Promise<RuleRow | null> {
  if (lock) await q.query('SELECT 1 FROM visit_rules WHERE id = $1 FOR UPDATE', [id]);
  const rows = await q.query<RuleRow>(
    `SELECT ${COLUMNS},
       (SELECT count(*) FROM visit_tasks vt WHERE vt.rule_id = r.id AND vt.status = 'open')::int AS "openTasks"
       FROM visit_rules r ${JOINS} WHERE r.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function findRuleIdByCode(q: Queryable, code: string): Promise<number | null> {
  const rows = await q.query<{ id: number }>('SELECT id::int AS id FROM visit_rules WHERE code = $1', [code]);
  return rows[0]?.id ?? null;
}

/** Every rule's follow-up edge, for the cycle check (taken under a lock so two saves cannot make one together). */
export async function ruleEdges(q: Queryable): Promise<{ id: number; code: string; triggerRuleId: number | null }[]> {
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['visit_rules.edges']);
  return q.query('SELECT id::int AS id, code, trigger_rule_id::int AS "triggerRuleId" FROM visit_rules');
}

export async function tagExists(q: Queryable, id: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM tags WHERE id = $1', [id])).length > 0;
}
export async function categoryExists(q: Queryable, id: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM case_categories WHERE id = $1', [id])).length > 0;
}
export async function ruleExists(q: Queryable, id: number): Promise<boolean> {
  return (await q.query('SELECT 1 FROM visit_rules WHERE id = $1', [id])).length > 0;
}

export type RuleValues = {
  code: string;
  name: string;
  description: string | null;
  kind: VisitRuleKind;
  category: VisitRuleCategory;
  tagId: number | null;
  every: number | null;
  unit: PeriodUnit | null;
  trigger: VisitTrigger | null;
  triggerTagId: number | null;
  triggerCategoryId: number | null;
  triggerOutcome: string | null;
  triggerRuleId: number | null;
  dueHours: number | null;
  assignee: AssigneeKind;
  target: RuleTarget;
  enabled: boolean;
  builtin: boolean;
  sort: number;
};

const VALUE_COLUMNS = `code, name, description, kind, category, tag_id, every, unit, trigger, trigger_tag_id,
  trigger_category_id, trigger_outcome, trigger_rule_id, due_hours, assignee, target, enabled, builtin, sort`;

function values(v: RuleValues): unknown[] {
  return [
    v.code,
    v.name,
    v.description,
    v.kind,
    v.category,
    v.tagId,
    v.every,
    v.unit,
    v.trigger,
    v.triggerTagId,
    v.triggerCategoryId,
    v.triggerOutcome,
    v.triggerRuleId,
    v.dueHours,
    v.assignee,
    v.target,
    v.enabled,
    v.builtin,
    v.sort,
  ];
}

/** Inserts a rule; null when the code is taken (ON CONFLICT, so two concurrent creates cannot both pass). */
export async function insertRule(q: Queryable, v: RuleValues): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO visit_rules (${VALUE_COLUMNS})
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (code) DO NOTHING RETURNING id::int AS id`,
    values(v),
  );
  return rows[0]?.id ?? null;
}

/** Writes every field (code, kind and builtin stay) and bumps the version. */
export async function updateRule(q: Queryable, id: number, v: RuleValues): Promise<void> {
  await q.query(
    `UPDATE visit_rules SET name = $2, description = $3, category = $4, tag_id = $5, every = $6, unit = $7,
       trigger = $8, trigger_tag_id = $9, trigger_category_id = $10, trigger_outcome = $11, trigger_rule_id = $12,
       due_hours = $13, assignee = $14, target = $15, enabled = $16, sort = $17, version = version + 1,
       updated_at = now()
     WHERE id = $1`,
    [
      id,
      v.name,
      v.description,
      v.category,
      v.tagId,
      v.every,
      v.unit,
      v.trigger,
      v.triggerTagId,
      v.triggerCategoryId,
      v.triggerOutcome,
      v.triggerRuleId,
      v.dueHours,
      v.assignee,
      v.target,
      v.enabled,
      v.sort,
    ],
  );
}

/** The first rule (by name) that refers to a tag, as its holders' tag or its trigger. */
export async function ruleUsingTag(q: Queryable, tagId: number): Promise<string | null> {
  const rows = await q.query<{ name: string }>(
    'SELECT name FROM visit_rules WHERE tag_id = $1 OR trigger_tag_id = $1 ORDER BY name LIMIT 1',
    [tagId],
  );
  return rows[0]?.name ?? null;
}
