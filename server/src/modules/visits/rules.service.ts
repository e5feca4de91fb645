/**
 * Visit rules (三到六访), installation-wide: read by whoever reads grid work anywhere (visits.read) or configures it
 * (visits.config); changed by visits.config only (system administrators). Every change is audited; disabling a rule
 * withdraws its open tasks at once (reason rule_disabled).
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, hasPermission } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import * as generationRepo from './generation.repo.js';
import { generateVisitTasks } from './generation.service.js';
import { assertNoCycle, type RuleShape, validateRule } from './rules.logic.js';
import * as repo from './rules.repo.js';
import type { GenerationResult, VisitRule, VisitRuleCreate, VisitRulePatch } from './visits.schemas.js';

function assertConfig(ctx: Ctx): void {
  assertCan(ctx.principal, 'visits.config', null);
}

export function toRule(ctx: Ctx, r: repo.RuleRow): VisitRule {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    kind: r.kind,
    category: r.category,
    tagId: r.tagId,
    tagName: r.tagName,
    every: r.every,
    unit: r.unit,
    trigger: r.trigger,
    triggerTagId: r.triggerTagId,
    triggerTagName: r.triggerTagName,
    triggerCategoryId: r.triggerCategoryId,
    triggerCategoryName: ctx.locale === 'en' ? r.triggerCategoryNameEn : r.triggerCategoryName,
    triggerOutcome: r.triggerOutcome,
    triggerRuleId: r.triggerRuleId,
    dueHours: r.dueHours,
    assignee: r.assignee,
    target: r.target,
    enabled: r.enabled,
    builtin: r.builtin,
    sort: r.sort,
    version: r.version,
    openTasks: r.openTasks,
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

function auditView(v: repo.RuleValues): Record<string, unknown> {
  const { builtin: _builtin, ...rest } = v;
  return rest;
}

/** The rules, grouped by category then order. @throws FORBIDDEN */
export async function listRules(db: Db, ctx: Ctx): Promise<VisitRule[]> {
  if (!hasPermission(ctx.principal, 'visits.read') && !hasPermission(ctx.principal, 'visits.config')) {
    throw new AppError('FORBIDDEN');
  }
  return (await repo.listRules(db)).map((r) => toRule(ctx, r));
}

/** Fields a kind does not use are cleared, so a switch of trigger leaves nothing stale behind. */
function normalise(v: repo.RuleValues): repo.RuleValues {
  if (v.kind === 'periodic') {
    return {
      ...v,
      trigger: null,
      triggerTagId: null,
      triggerCategoryId: null,
      triggerOutcome: null,
      triggerRuleId: null,
      dueHours: null,
    };
  }
  return {
    ...v,
    tagId: null,
    every: null,
    unit: null,
    triggerTagId: v.trigger === 'tag_added' ? v.triggerTagId : null,
    triggerCategoryId: v.trigger === 'case_category' ? v.triggerCategoryId : null,
    triggerOutcome: v.trigger === 'alarm_outcome' || v.trigger === 'visit_outcome' ? v.triggerOutcome : null,
    triggerRuleId: v.trigger === 'visit_outcome' ? v.triggerRuleId : null,
  };
}

/** Checks a rule as it would be stored: its fields, what it refers to, and (for follow-ups) no cycle. */
async function check(q: Queryable, v: repo.RuleValues, id: number | null): Promise<void> {
  // Checked on what was sent: a periodic rule's `every: 0` or a missing tag are the sender's to fix.
  validateRule(v as RuleShape);
  const bad = (field: string, reason: string) => new AppError('VISIT_RULE_INVALID', { field, params: { reason } });
  if (v.tagId !== null && !(await repo.tagExists(q, v.tagId))) throw bad('tagId', '标签不存在');
  if (v.triggerTagId !== null && !(await repo.tagExists(q, v.triggerTagId))) throw bad('triggerTagId', '标签不存在');
  if (v.triggerCategoryId !== null && !(await repo.categoryExists(q, v.triggerCategoryId))) {
    throw bad('triggerCategoryId', '事件类别不存在');
  }
  if (v.triggerRuleId !== null) {
    if (!(await repo.ruleExists(q, v.triggerRuleId))) throw bad('triggerRuleId', '前序规则不存在');
    const edges = await repo.ruleEdges(q);
    if (id === null) return; // nothing points at a rule not yet made
    const applied = edges.map((e) => (e.id === id ? { ...e, triggerRuleId: v.triggerRuleId } : e));
    assertNoCycle(applied, id);
  }
}

/** @throws FORBIDDEN, VISIT_RULE_INVALID (field), VISIT_RULE_FREQUENCY_INVALID (every), VISIT_RULE_CODE_TAKEN (code) */
export async function createRule(db: Db, ctx: Ctx, body: VisitRuleCreate): Promise<VisitRule> {
  assertConfig(ctx);
  const sent: repo.RuleValues = {
    code: body.code,
    name: body.name,
    description: body.description ?? null,
    kind: body.kind,
    category: body.category ?? 'routine',
    tagId: body.tagId ?? null,
    every: body.every ?? null,
    unit: body.unit ?? null,
    trigger: body.trigger ?? null,
    triggerTagId: body.triggerTagId ?? null,
    triggerCategoryId: body.triggerCategoryId ?? null,
    triggerOutcome: body.triggerOutcome ?? null,
    triggerRuleId: body.triggerRuleId ?? null,
    dueHours: body.dueHours ?? null,
    assignee: body.assignee ?? 'grid_worker',
    target: body.target ?? 'resident',
    enabled: body.enabled ?? true,
    builtin: false,
    sort: body.sort ?? 0,
  };
  validateRule(sent as RuleShape);
  const v = normalise(sent);
  return db.transaction(async (tx) => {
    await check(tx, v, null);
    const id = await repo.insertRule(tx, v);
    if (id === null) throw new AppError('VISIT_RULE_CODE_TAKEN', { field: 'code', params: { code: v.code } });
    await recordAudit(tx, ctx, {
      action: 'visit_rule.create',
      targetType: 'visit_rule',
      targetId: id,
      targetLabel: v.name,
      scopePath: null,
      countyId: null,
      before: null,
      after: auditView(v),
    });
    return toRule(ctx, (await repo.findRule(tx, id))!);
  });
}

/**
 * Changes a rule (the version read must be the stored one). Disabling withdraws its open tasks now.
 * @throws FORBIDDEN, VISIT_RULE_NOT_FOUND, VISIT_RULE_VERSION_CONFLICT, VISIT_RULE_INVALID (field),
 *   VISIT_RULE_FREQUENCY_INVALID (every), VISIT_RULE_CYCLE (triggerRuleId)
 */
export async function updateRule(db: Db, ctx: Ctx, id: number, body: VisitRulePatch): Promise<VisitRule> {
  assertConfig(ctx);
  return db.transaction(async (tx) => {
    const before = await repo.findRule(tx, id, true);
    if (!before) throw new AppError('VISIT_RULE_NOT_FOUND');
    if (before.version !== body.version) throw new AppError('VISIT_RULE_VERSION_CONFLICT', { field: 'version' });
    const old: repo.RuleValues = {
      code: before.code,
      name: before.name,
      description: before.description,
      kind: before.kind,
      category: before.category,
      tagId: before.tagId,
      every: before.every,
      unit: before.unit,
      trigger: before.trigger,
      triggerTagId: before.triggerTagId,
      triggerCategoryId: before.triggerCategoryId,
      triggerOutcome: before.triggerOutcome,
      triggerRuleId: before.triggerRuleId,
      dueHours: before.dueHours,
      assignee: before.assignee,
      target: before.target,
      enabled: before.enabled,
      builtin: before.builtin,
      sort: before.sort,
    };
    const { version: _version, ...changes } = body;
    const sent = { ...old } as repo.RuleValues;
    for (const [k, value] of Object.entries(changes)) {
      if (value !== undefined) (sent as Record<string, unknown>)[k] = value;
    }
    if (body.triggerRuleId === id) {
      throw new AppError('VISIT_RULE_CYCLE', {
        field: 'triggerRuleId',
        params: { chain: `${before.code} → ${before.code}` },
      });
    }
    validateRule(sent as RuleShape);
    const v = normalise(sent);
    await check(tx, v, id);
    await repo.updateRule(tx, id, v);
    if (old.enabled && !v.enabled) await generationRepo.withdrawStale(tx, new Date(), id);
    await recordAudit(tx, ctx, {
      action: 'visit_rule.update',
      targetType: 'visit_rule',
      targetId: id,
      targetLabel: v.name,
      scopePath: null,
      countyId: null,
      before: auditView(old),
      after: auditView(v),
    });
    return toRule(ctx, (await repo.findRule(tx, id))!);
  });
}

/** "Generate now" (visits.config): one generation run, audited. @throws FORBIDDEN */
export async function generateNow(db: Db, ctx: Ctx): Promise<GenerationResult> {
  assertConfig(ctx);
  const result = await generateVisitTasks(db);
  await recordAudit(db, ctx, {
    action: 'visit_rule.generate',
    targetType: 'visit_rule',
    targetId: null,
    targetLabel: null,
    scopePath: null,
    countyId: null,
    diff: {
      created: [null, result.created],
      withdrawn: [null, result.withdrawn],
      reassigned: [null, result.reassigned],
    },
  });
  return result;
}

/** A tag a visit rule refers to cannot be deleted (the people module asks through its tag-delete guard). */
export async function visitRuleTagGuard(q: Queryable, tagId: number): Promise<AppError | null> {
  const rule = await repo.ruleUsingTag(q, tagId);
  return rule ? new AppError('VISIT_RULE_USES_TAG', { params: { rule } }) : null;
}
