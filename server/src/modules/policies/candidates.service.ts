/**
 * Candidates (the human in the loop): a newly eligible person waits as 'pending' for their grid worker, who confirms
 * (checked with the person, helps apply) or rejects with a reason; 'receiving' once the benefit is granted (what a
 * rule's "not receiving X" reads), 'ended' when it stops. Each decision carries the candidate's version (409 when
 * stale) and is audited.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit, requireReason } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { maskName } from '../../platform/pii/index.js';
import { nodePathInScope } from '../org/org.service.js';
import { ageOn } from '../people/people.logic.js';
import { todayShanghai } from '../people/people.service.js';
import { type CandidateAction, candidateMove, toExplanation } from './policies.logic.js';
import * as repo from './policies.repo.js';
import type {
  CandidateDetail,
  CandidateListQuery,
  CandidatePage,
  CandidateReasonBody,
  CandidateView,
  ConfirmBody,
  ReceivingBody,
} from './policies.schemas.js';
import { explainResult, residentText } from './rules.explain.js';

export type CandidatesDeps = { db: Db };

export function toCandidateView(ctx: Ctx, r: repo.CandidateRow): CandidateView {
  return {
    id: r.id,
    policyId: r.policy_id,
    policyCode: r.policy_code,
    policyName: r.policy_name,
    residentId: r.resident_id,
    name: can(ctx.principal, 'people.sensitive', r.node_path) ? r.name : maskName(r.name),
    idMasked: r.id_masked,
    sex: r.sex,
    age: ageOn(r.birth_date, todayShanghai()),
    nodeId: r.node_id,
    place: r.place ?? '',
    status: r.status,
    runId: r.run_id,
    versionId: r.policy_version_id,
    foundAt: r.found_at.toISOString(),
    dueAt: r.due_at ? r.due_at.toISOString() : null,
    decidedByName: r.decided_by_name,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    reason: r.reason,
    receivingSince: r.receiving_since,
    receivingUntil: r.receiving_until,
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function listCandidates(
  deps: CandidatesDeps,
  ctx: Ctx,
  query: CandidateListQuery,
): Promise<CandidatePage> {
  assertPermission(ctx.principal, 'policies.confirm');
  const pageSize = query.pageSize ?? 20;
  const nodePath =
    query.nodeId === undefined ? undefined : await nodePathInScope(deps.db, ctx, 'policies.confirm', query.nodeId);
  const { rows, total } = await repo.listCandidates(
    deps.db,
    scopeSql(scopeFor(ctx.principal, 'policies.confirm'), 'c.node_path'),
    {
      status: query.status,
      policyId: query.policyId,
      nodePath,
      residentId: query.residentId,
      limit: pageSize,
      offset: ((query.page ?? 1) - 1) * pageSize,
    },
  );
  return { items: rows.map((r) => toCandidateView(ctx, r)), total };
}

/** A resident's candidacies as the caller may read them (the person page); empty without policies.confirm there. */
export async function residentCandidates(deps: CandidatesDeps, ctx: Ctx, residentId: number): Promise<CandidateView[]> {
  const scope = scopeFor(ctx.principal, 'policies.read');
  const { rows } = await repo.listCandidates(deps.db, scopeSql(scope, 'c.node_path'), {
    residentId,
    limit: 100,
    offset: 0,
  });
  return rows.map((r) => toCandidateView(ctx, r));
}

async function readable(db: Db, ctx: Ctx, id: number, forUpdate = false): Promise<repo.CandidateRow> {
  assertPermission(ctx.principal, 'policies.confirm');
  const r = await repo.findCandidate(db, id, forUpdate);
  if (!r || !can(ctx.principal, 'policies.confirm', r.node_path)) throw new AppError('POLICY_CANDIDATE_NOT_FOUND');
  return r;
}

/** @throws POLICY_CANDIDATE_NOT_FOUND */
export async function getCandidate(deps: CandidatesDeps, ctx: Ctx, id: number): Promise<CandidateDetail> {
  const r = await readable(deps.db, ctx, id);
  const [version, result, history] = await Promise.all([
    repo.findVersion(deps.db, r.policy_version_id),
    r.run_id ? repo.findResult(deps.db, r.run_id, r.policy_version_id, r.resident_id) : Promise.resolve(undefined),
    repo.candidateHistory(deps.db, id),
  ]);
  const raw =
    version && result ? explainResult(version.leaves, result.met_mask, result.outcome, result.facts, ctx.locale) : null;
  const explanation = raw ? toExplanation(raw, ctx.locale) : null;
  const policy = { name: r.policy_name, legalRef: r.legal_ref, residentText: r.resident_text, handledBy: r.handled_by };
  return {
    ...toCandidateView(ctx, r),
    legalRef: r.legal_ref,
    handledBy: r.handled_by,
    description: r.description,
    explanation,
    residentText: residentText(policy, raw ?? { met: [], failed: [] }, ctx.locale),
    history: history.map((h) => ({
      at: h.at.toISOString(),
      actorName: h.actor_name,
      action: h.action,
      reason: h.reason,
    })),
  };
}

const ACTIONS: Record<CandidateAction, string> = {
  confirm: 'policy.candidate.confirm',
  reject: 'policy.candidate.reject',
  receiving: 'policy.candidate.receiving',
  end: 'policy.candidate.end',
};

async function decide(
  deps: CandidatesDeps,
  ctx: Ctx,
  id: number,
  action: CandidateAction,
  version: number,
  extra: { reason?: string | null; receivingSince?: string; receivingUntil?: string },
): Promise<CandidateDetail> {
  assertPermission(ctx.principal, 'policies.confirm');
  await deps.db.transaction(async (tx) => {
    const r = await repo.findCandidate(tx, id, true);
    if (!r || !can(ctx.principal, 'policies.read', r.node_path)) throw new AppError('POLICY_CANDIDATE_NOT_FOUND');
    assertCan(ctx.principal, 'policies.confirm', r.node_path, {
      readPermission: 'policies.read',
      notFound: new AppError('POLICY_CANDIDATE_NOT_FOUND'),
    });
    if (r.version !== version)
      throw new AppError('POLICY_CANDIDATE_VERSION_CONFLICT', { field: 'version', params: { version: r.version } });
    const to = candidateMove(r.status, action);
    if (!to) throw new AppError('POLICY_CANDIDATE_STATE', { params: { status: r.status } });
    await repo.decideCandidate(tx, id, {
      status: to,
      decidedBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
      ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
      receivingSince: extra.receivingSince ?? null,
      receivingUntil: extra.receivingUntil ?? null,
    });
    await recordAudit(tx, ctx, {
      action: ACTIONS[action],
      targetType: 'policy_candidate',
      targetId: id,
      targetLabel: `${r.policy_name} · ${maskName(r.name)}`,
      scopePath: r.node_path,
      countyId: r.county_id,
      before: { status: r.status },
      after: {
        status: to,
        ...(extra.receivingSince ? { receivingSince: extra.receivingSince } : {}),
        ...(extra.receivingUntil ? { receivingUntil: extra.receivingUntil } : {}),
      },
      reason: extra.reason ?? null,
    });
  });
  return getCandidate(deps, ctx, id);
}

/** pending → confirmed. @throws POLICY_CANDIDATE_NOT_FOUND, POLICY_CANDIDATE_STATE, POLICY_CANDIDATE_VERSION_CONFLICT */
export function confirmCandidate(deps: CandidatesDeps, ctx: Ctx, id: number, body: ConfirmBody) {
  return decide(deps, ctx, id, 'confirm', body.version, { reason: body.note?.trim() || null });
}

/** pending | confirmed → rejected, with a reason. @throws REASON_REQUIRED and the above */
export function rejectCandidate(deps: CandidatesDeps, ctx: Ctx, id: number, body: CandidateReasonBody) {
  const reason = requireReason(body.reason);
  return decide(deps, ctx, id, 'reject', body.version, { reason });
}

/** confirmed → receiving (the benefit was granted on `since`). @throws POLICY_DATE_INVALID and the above */
export function markReceiving(deps: CandidatesDeps, ctx: Ctx, id: number, body: ReceivingBody) {
  if (Number.isNaN(Date.parse(body.since)) || body.since > todayShanghai())
    throw new AppError('POLICY_DATE_INVALID', { field: 'since' });
  return decide(deps, ctx, id, 'receiving', body.version, { receivingSince: body.since });
}

/** receiving → ended, with a reason. */
export function endCandidate(deps: CandidatesDeps, ctx: Ctx, id: number, body: CandidateReasonBody) {
  const reason = requireReason(body.reason);
  return decide(deps, ctx, id, 'end', body.version, { reason, receivingUntil: todayShanghai() });
}
