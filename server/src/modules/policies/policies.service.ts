/**
 * Policies (政策找人) and their rule versions: installation-wide, written under policies.config, read by anyone
 * holding policies.read. A rule is checked by parseRule (rules.logic.ts); a changed rule (canonical JSON) is a new
 * version, other fields change in place.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, hasPermission } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { canMovePolicy, canonicalJson, fieldCatalogue, leafView } from './policies.logic.js';
import * as repo from './policies.repo.js';
import type {
  PolicyCreate,
  PolicyFieldsView,
  PolicyListQuery,
  PolicyPatch,
  PolicyStatusBody,
  PolicyVersionView,
  PolicyView,
  ValidateBody,
  ValidateResult,
} from './policies.schemas.js';
import { OPS_BY_TYPE, parseRule, type RuleContext, ruleLeaves } from './rules.logic.js';

export type PoliciesDeps = { db: Db };

const say = (ctx: Ctx, zh: string, en: string) => (ctx.locale === 'zh-CN' ? zh : en);

/** Readers: policies.read anywhere, or the writers (policies.config). */
export function assertReader(ctx: Ctx): void {
  if (hasPermission(ctx.principal, 'policies.read') || hasPermission(ctx.principal, 'policies.config')) return;
  assertPermission(ctx.principal, 'policies.read');
}

export async function ruleContext(q: Queryable): Promise<RuleContext> {
  const [tags, policies] = await Promise.all([repo.tagNames(q), repo.policyRules(q)]);
  return {
    tags: new Map(tags.map((t) => [t.code, t.name])),
    policies: new Map(policies.map((p) => [p.code, { name: p.name, rule: p.rule }])),
  };
}

export function toPolicyView(ctx: Ctx, r: repo.PolicyRow): PolicyView {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    legalRef: r.legal_ref,
    legalUrl: r.legal_url,
    description: r.description,
    residentText: r.resident_text,
    handledBy: r.handled_by,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    status: r.status,
    version: r.version,
    versionId: r.current_version_id,
    rule: r.rule,
    leaves: r.leaves.map((l) => leafView(l, ctx.locale)),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function listPolicies(
  deps: PoliciesDeps,
  ctx: Ctx,
  query: PolicyListQuery,
): Promise<{ items: PolicyView[] }> {
  assertReader(ctx);
  const rows = await repo.listPolicies(deps.db, { status: query.status, q: query.q });
  return { items: rows.map((r) => toPolicyView(ctx, r)) };
}

/** @throws POLICY_NOT_FOUND */
export async function getPolicy(deps: PoliciesDeps, ctx: Ctx, id: number): Promise<PolicyView> {
  assertReader(ctx);
  const r = await repo.findPolicy(deps.db, id);
  if (!r) throw new AppError('POLICY_NOT_FOUND');
  return toPolicyView(ctx, r);
}

export async function listVersions(deps: PoliciesDeps, ctx: Ctx, id: number): Promise<{ items: PolicyVersionView[] }> {
  assertReader(ctx);
  const p = await repo.findPolicy(deps.db, id);
  if (!p) throw new AppError('POLICY_NOT_FOUND');
  const rows = await repo.listVersions(deps.db, id);
  return {
    items: rows.map((v) => ({
      id: v.id,
      version: v.version,
      rule: v.rule,
      leaves: v.leaves.map((l) => leafView(l, ctx.locale)),
      note: v.note,
      createdByName: v.created_by_name,
      createdAt: v.created_at.toISOString(),
      current: v.id === p.current_version_id,
    })),
  };
}

/** The rule editor's catalogue: fields, operators by type, tags and policies, in the caller's language. */
export async function fields(deps: PoliciesDeps, ctx: Ctx): Promise<PolicyFieldsView> {
  assertReader(ctx);
  const [tags, policies] = await Promise.all([repo.tagNames(deps.db), repo.policyRules(deps.db)]);
  return {
    fields: fieldCatalogue(ctx.locale, OPS_BY_TYPE),
    opsByType: Object.fromEntries(Object.entries(OPS_BY_TYPE).map(([k, v]) => [k, [...v]])),
    tags: tags.map((t) => ({ code: t.code, name: t.name })),
    policies: policies.map((p) => ({ code: p.code, name: p.name })),
  };
}

/** The editor's live check: the normalised rule and its leaves, or the 400 naming `rule.…`. */
export async function validate(deps: PoliciesDeps, ctx: Ctx, body: ValidateBody): Promise<ValidateResult> {
  assertReader(ctx);
  const rc = await ruleContext(deps.db);
  const rule = parseRule(body.rule, rc, body.code);
  return { ok: true, rule, leaves: ruleLeaves(rule, rc).map((l) => leafView(l, ctx.locale)) };
}

function checkDates(from: string, to: string | null): void {
  if (Number.isNaN(Date.parse(from))) throw new AppError('POLICY_DATES_INVALID', { field: 'validFrom' });
  if (to !== null && (Number.isNaN(Date.parse(to)) || to < from))
    throw new AppError('POLICY_DATES_INVALID', { field: 'validTo' });
}

function auditShape(r: repo.PolicyFields & { status?: string; version?: number }) {
  return {
    name: r.name,
    legalRef: r.legalRef,
    legalUrl: r.legalUrl,
    handledBy: r.handledBy,
    validFrom: r.validFrom,
    validTo: r.validTo,
    ...(r.status ? { status: r.status } : {}),
    ...(r.version ? { version: r.version } : {}),
  };
}

/** @throws POLICY_CODE_DUPLICATE, POLICY_DATES_INVALID, POLICY_RULE_INVALID, POLICY_RULE_CYCLE */
export async function createPolicy(deps: PoliciesDeps, ctx: Ctx, body: PolicyCreate): Promise<PolicyView> {
  assertCan(ctx.principal, 'policies.config', null);
  const f: repo.PolicyFields = {
    name: body.name,
    legalRef: body.legalRef,
    legalUrl: body.legalUrl ?? null,
    description: body.description ?? '',
    residentText: body.residentText ?? '',
    handledBy: body.handledBy ?? null,
    validFrom: body.validFrom,
    validTo: body.validTo ?? null,
  };
  checkDates(f.validFrom, f.validTo);
  const id = await deps.db.transaction(async (tx) => {
    if (await repo.policyIdByCode(tx, body.code))
      throw new AppError('POLICY_CODE_DUPLICATE', { field: 'code', params: { code: body.code } });
    const rc = await ruleContext(tx);
    const rule = parseRule(body.rule, rc, body.code);
    const leaves = ruleLeaves(rule, rc);
    const by = ctx.principal.userId > 0 ? ctx.principal.userId : null;
    const id = await repo.insertPolicy(tx, { ...f, code: body.code, createdBy: by });
    await repo.addVersion(tx, { policyId: id, rule, leaves, note: body.note ?? null, createdBy: by });
    await recordAudit(tx, ctx, {
      action: 'policy.create',
      targetType: 'policy',
      targetId: id,
      targetLabel: f.name,
      scopePath: null,
      countyId: null,
      after: { code: body.code, ...auditShape({ ...f, status: 'draft', version: 1 }), rule: canonicalJson(rule) },
    });
    return id;
  });
  return getPolicy(deps, ctx, id);
}

/** @throws POLICY_NOT_FOUND, POLICY_DATES_INVALID, POLICY_RULE_INVALID, POLICY_RULE_CYCLE */
export async function updatePolicy(deps: PoliciesDeps, ctx: Ctx, id: number, body: PolicyPatch): Promise<PolicyView> {
  assertCan(ctx.principal, 'policies.config', null);
  await deps.db.transaction(async (tx) => {
    const r = await repo.findPolicy(tx, id, true);
    if (!r) throw new AppError('POLICY_NOT_FOUND');
    const before: repo.PolicyFields = {
      name: r.name,
      legalRef: r.legal_ref,
      legalUrl: r.legal_url,
      description: r.description,
      residentText: r.resident_text,
      handledBy: r.handled_by,
      validFrom: r.valid_from,
      validTo: r.valid_to,
    };
    const next: repo.PolicyFields = {
      name: body.name ?? before.name,
      legalRef: body.legalRef ?? before.legalRef,
      legalUrl: body.legalUrl === undefined ? before.legalUrl : body.legalUrl,
      description: body.description ?? before.description,
      residentText: body.residentText ?? before.residentText,
      handledBy: body.handledBy === undefined ? before.handledBy : body.handledBy,
      validFrom: body.validFrom ?? before.validFrom,
      validTo: body.validTo === undefined ? before.validTo : body.validTo,
    };
    checkDates(next.validFrom, next.validTo);
    let version = r.version;
    let ruleChange: { from: string; to: string } | null = null;
    if (body.rule !== undefined) {
      const rc = await ruleContext(tx);
      const rule = parseRule(body.rule, rc, r.code);
      const [from, to] = [canonicalJson(r.rule), canonicalJson(rule)];
      if (from !== to) {
        const by = ctx.principal.userId > 0 ? ctx.principal.userId : null;
        const v = await repo.addVersion(tx, {
          policyId: id,
          rule,
          leaves: ruleLeaves(rule, rc),
          note: body.note ?? null,
          createdBy: by,
        });
        version = v.version;
        ruleChange = { from, to };
      }
    }
    await repo.updatePolicy(tx, id, next);
    await recordAudit(tx, ctx, {
      action: 'policy.update',
      targetType: 'policy',
      targetId: id,
      targetLabel: next.name,
      scopePath: null,
      countyId: null,
      before: { ...auditShape({ ...before, version: r.version }), ...(ruleChange ? { rule: ruleChange.from } : {}) },
      after: { ...auditShape({ ...next, version }), ...(ruleChange ? { rule: ruleChange.to } : {}) },
    });
  });
  return getPolicy(deps, ctx, id);
}

/** draft → active → retired. @throws POLICY_NOT_FOUND, POLICY_STATUS_INVALID */
export async function setStatus(deps: PoliciesDeps, ctx: Ctx, id: number, body: PolicyStatusBody): Promise<PolicyView> {
  assertCan(ctx.principal, 'policies.config', null);
  await deps.db.transaction(async (tx) => {
    const r = await repo.findPolicy(tx, id, true);
    if (!r) throw new AppError('POLICY_NOT_FOUND');
    if (r.status === body.status) return;
    if (!canMovePolicy(r.status, body.status))
      throw new AppError('POLICY_STATUS_INVALID', { field: 'status', params: { from: r.status, to: body.status } });
    await repo.setPolicyStatus(tx, id, body.status);
    await recordAudit(tx, ctx, {
      action: 'policy.status',
      targetType: 'policy',
      targetId: id,
      targetLabel: r.name,
      scopePath: null,
      countyId: null,
      before: { status: r.status },
      after: { status: body.status },
    });
  });
  return getPolicy(deps, ctx, id);
}

export const policyLabel = (ctx: Ctx, name: string) => say(ctx, `政策：${name}`, `Policy: ${name}`);
