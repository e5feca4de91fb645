/**
 * Assessment (考核排名): schemes (installation-wide, assessment.config), rankings and score histories
 * (assessment.read over the subject's node path), adjustments (assessment.manage), selections (manage to propose and
 * nominate, assessment.approve at the selection's level to decide and publish), the public honours notice, archives.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, can, hasPermission, type Scope, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit, requireReason } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { findFilesByPublicIds } from '../../platform/files/files.repo.js';
import { type FilesService, registerAttachmentKind } from '../../platform/files/files.service.js';
import { defineKind } from '../../platform/notify/notify.kinds.js';
import { send } from '../../platform/notify/notify.service.js';
import { findNodeById, nodePathInScope } from '../org/org.service.js';
import {
  checkScheme,
  HONOUR_SUBJECT,
  isPeriodStart,
  quarterLabel,
  resolveItem,
  type SchemeSubject,
  shiftPeriod,
  subjectKindOf,
} from './assessment.logic.js';
import * as repo from './assessment.repo.js';
import type {
  Adjustment,
  AdjustmentCreate,
  AdjustmentListQuery,
  AdjustmentPage,
  AdjustmentWithdraw,
  Archive,
  ComputeRequest,
  ComputeResult,
  ProposeRequest,
  ProposeResult,
  PublicHonours,
  PublishRequest,
  PublishResult,
  Rankings,
  Scheme,
  SchemeCreate,
  SchemeList,
  SchemeListQuery,
  SchemePatch,
  ScoreHistory,
  Selection,
  SelectionCreate,
  SelectionDecline,
  SelectionListQuery,
  SelectionNominate,
  SelectionPage,
} from './assessment.schemas.js';
import { computeScoresIn } from './scores.service.js';

export type AssessmentDeps = { db: Db; files: FilesService };

export const ADJUSTMENT_FILE_KIND = 'assessment_adjustment';
export const HONOUR_NOTIFY = 'assessment.honour_published';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

// ---- registration ---------------------------------------------------------------------------------------------

/** The attachment kind of adjustments' evidence and the notification kind of published honours (idempotent). */
export function registerAssessmentKinds(): void {
  registerAttachmentKind({
    kind: ADJUSTMENT_FILE_KIND,
    maxFiles: 9,
    canRead: async (ctx, id, db) => {
      const a = await repo.findAdjustment(db, id);
      return a !== undefined && can(ctx.principal, 'assessment.read', a.node_path);
    },
    canAttach: async (ctx, id, db) => {
      const a = await repo.findAdjustment(db, id);
      return a !== undefined && can(ctx.principal, 'assessment.manage', a.node_path);
    },
  });
  defineKind({
    kind: HONOUR_NOTIFY,
    title: {
      'zh-CN': '{quarter}「{honourZh}」评选结果已公示：{name}',
      en: '{quarter} “{honourEn}” published: {name}',
    },
    label: { 'zh-CN': '评选结果公示', en: 'Honours published' },
    urgency: 'normal',
  });
}

const HONOUR_NAMES = {
  red_flag_grid: { zh: '红旗网格', en: 'Red-flag grid' },
  excellent_worker: { zh: '优秀网格员', en: 'Excellent grid worker' },
} as const;

// ---- schemes ----------------------------------------------------------------------------------------------------

function toScheme(r: repo.SchemeRow, items: repo.ItemRow[]): Scheme {
  return {
    id: r.id,
    name: r.name,
    subject: r.subject,
    periodKind: r.period_kind,
    totalWeight: r.total_weight,
    adjustmentCap: r.adjustment_cap,
    honour: r.honour,
    honourQuota: r.honour_quota,
    honourMinScore: r.honour_min_score,
    active: r.active,
    items: items
      .filter((i) => i.scheme_id === r.id)
      .map((i) => ({
        metric: i.metric,
        weight: i.weight,
        higherBetter: i.higher_better,
        fullAt: i.full_at,
        zeroAt: i.zero_at,
        sort: i.sort,
      })),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

/** Readers (assessment.read anywhere) and configurers see every scheme: they are installation-wide. */
function assertSchemeReader(ctx: Ctx): void {
  if (!hasPermission(ctx.principal, 'assessment.read') && !hasPermission(ctx.principal, 'assessment.config')) {
    throw new AppError('FORBIDDEN');
  }
}
function assertConfig(ctx: Ctx): void {
  assertCan(ctx.principal, 'assessment.config', null);
}

async function loadScheme(q: Queryable, id: number): Promise<Scheme | undefined> {
  const r = await repo.findSchemeRow(q, id);
  return r ? toScheme(r, await repo.itemsOf(q, [id])) : undefined;
}

export async function listSchemes(db: Db, ctx: Ctx, query: SchemeListQuery): Promise<SchemeList> {
  assertSchemeReader(ctx);
  const rows = await repo.listSchemeRows(db, query);
  const items = await repo.itemsOf(
    db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toScheme(r, items)) };
}

export async function getScheme(db: Db, ctx: Ctx, id: number): Promise<Scheme> {
  assertSchemeReader(ctx);
  const s = await loadScheme(db, id);
  if (!s) throw new AppError('ASSESSMENT_SCHEME_NOT_FOUND');
  return s;
}

function checked(draft: {
  subject: SchemeSubject;
  totalWeight: number;
  honour: Scheme['honour'];
  items: SchemeCreate['items'];
}) {
  const problem = checkScheme(draft);
  if (problem)
    throw new AppError(problem.code as 'ASSESSMENT_WEIGHTS_SUM', { field: problem.field, params: problem.params });
  return draft.items.map(resolveItem);
}

const auditScheme = (s: Scheme) => ({
  name: s.name,
  subject: s.subject,
  periodKind: s.periodKind,
  totalWeight: s.totalWeight,
  adjustmentCap: s.adjustmentCap,
  honour: s.honour,
  honourQuota: s.honourQuota,
  honourMinScore: s.honourMinScore,
  active: s.active,
  items: s.items.map((i) => `${i.metric}:${i.weight}:${i.higherBetter ? '+' : '-'}:${i.fullAt}→${i.zeroAt}`).join(', '),
});

/** @throws FORBIDDEN, ASSESSMENT_METRIC_*, ASSESSMENT_ITEM_*, ASSESSMENT_WEIGHTS_SUM, ASSESSMENT_HONOUR_SUBJECT */
export async function createScheme(db: Db, ctx: Ctx, body: SchemeCreate): Promise<Scheme> {
  assertConfig(ctx);
  const totalWeight = body.totalWeight ?? 100;
  const honour = body.honour ?? null;
  const items = checked({ subject: body.subject, totalWeight, honour, items: body.items });
  return db.transaction(async (tx) => {
    const id = await repo.insertScheme(tx, {
      name: body.name,
      subject: body.subject,
      periodKind: body.periodKind,
      totalWeight,
      adjustmentCap: body.adjustmentCap ?? 10,
      honour,
      honourQuota: body.honourQuota ?? 1,
      honourMinScore: body.honourMinScore ?? 80,
      active: body.active ?? true,
    });
    await repo.replaceItems(tx, id, items);
    const s = (await loadScheme(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'assessment_scheme.create',
      targetType: 'assessment_scheme',
      targetId: id,
      targetLabel: s.name,
      scopePath: null,
      countyId: null,
      after: auditScheme(s),
    });
    return s;
  });
}

export async function patchScheme(db: Db, ctx: Ctx, id: number, body: SchemePatch): Promise<Scheme> {
  assertConfig(ctx);
  return db.transaction(async (tx) => {
    const row = await repo.findSchemeRow(tx, id, true);
    if (!row) throw new AppError('ASSESSMENT_SCHEME_NOT_FOUND');
    const before = toScheme(row, await repo.itemsOf(tx, [id]));
    const totalWeight = body.totalWeight ?? before.totalWeight;
    const honour = body.honour === undefined ? before.honour : body.honour;
    const items = checked({ subject: before.subject, totalWeight, honour, items: body.items ?? before.items });
    await repo.updateScheme(tx, id, {
      name: body.name ?? before.name,
      subject: before.subject,
      periodKind: before.periodKind,
      totalWeight,
      adjustmentCap: body.adjustmentCap ?? before.adjustmentCap,
      honour,
      honourQuota: body.honourQuota ?? before.honourQuota,
      honourMinScore: body.honourMinScore ?? before.honourMinScore,
      active: body.active ?? before.active,
    });
    if (body.items) await repo.replaceItems(tx, id, items);
    const after = (await loadScheme(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'assessment_scheme.update',
      targetType: 'assessment_scheme',
      targetId: id,
      targetLabel: after.name,
      scopePath: null,
      countyId: null,
      before: auditScheme(before),
      after: auditScheme(after),
    });
    return after;
  });
}

/** Removes a scheme no adjustment or selection refers to (its scores go with it); else deactivate it. */
export async function deleteScheme(db: Db, ctx: Ctx, id: number): Promise<void> {
  assertConfig(ctx);
  await db.transaction(async (tx) => {
    const row = await repo.findSchemeRow(tx, id, true);
    if (!row) throw new AppError('ASSESSMENT_SCHEME_NOT_FOUND');
    if (await repo.schemeInUse(tx, id)) throw new AppError('ASSESSMENT_SCHEME_IN_USE');
    const before = toScheme(row, await repo.itemsOf(tx, [id]));
    await repo.deleteScheme(tx, id);
    await recordAudit(tx, ctx, {
      action: 'assessment_scheme.delete',
      targetType: 'assessment_scheme',
      targetId: id,
      targetLabel: before.name,
      scopePath: null,
      countyId: null,
      before: auditScheme(before),
    });
  });
}

async function schemeOr404(q: Queryable, id: number, field = 'schemeId'): Promise<repo.SchemeRow> {
  const s = await repo.findSchemeRow(q, id);
  if (!s) throw new AppError('ASSESSMENT_SCHEME_NOT_FOUND', { field });
  return s;
}

function assertPeriod(s: repo.SchemeRow, periodStart: string): void {
  if (!isPeriodStart(s.period_kind, periodStart)) {
    throw new AppError('ASSESSMENT_PERIOD_KIND', { field: 'periodStart', params: { periodKind: s.period_kind } });
  }
}

// ---- subjects ---------------------------------------------------------------------------------------------------

const NODE_TYPES: Record<SchemeSubject, readonly string[]> = {
  grid: ['grid'],
  community: ['community', 'village'],
  worker: [],
};

/** A subject of the scheme's kind, or 404 (also when the caller may not read it). */
async function subjectFor(
  q: Queryable,
  ctx: Ctx,
  scheme: repo.SchemeRow,
  kind: 'node' | 'user',
  id: number,
): Promise<repo.SubjectRow> {
  if (kind !== subjectKindOf(scheme.subject)) throw new AppError('ASSESSMENT_SUBJECT_KIND', { field: 'subjectKind' });
  const s = kind === 'node' ? await repo.findNodeSubject(q, id) : await repo.findWorkerSubject(q, id);
  if (!s || (kind === 'node' && !NODE_TYPES[scheme.subject].includes(s.type))) {
    throw new AppError('ASSESSMENT_SUBJECT_NOT_FOUND', { field: 'subjectId' });
  }
  if (!can(ctx.principal, 'assessment.read', s.path)) {
    throw new AppError('ASSESSMENT_SUBJECT_NOT_FOUND', { field: 'subjectId' });
  }
  return s;
}

async function anySubject(q: Queryable, ctx: Ctx, kind: 'node' | 'user', id: number): Promise<repo.SubjectRow> {
  const s = kind === 'node' ? await repo.findNodeSubject(q, id) : await repo.findWorkerSubject(q, id);
  if (!s || !can(ctx.principal, 'assessment.read', s.path)) throw new AppError('ASSESSMENT_SUBJECT_NOT_FOUND');
  return s;
}

// ---- rankings and histories -------------------------------------------------------------------------------------

function readScope(ctx: Ctx): Scope {
  const scope = scopeFor(ctx.principal, 'assessment.read');
  if (!scope.all && scope.paths.length === 0) throw new AppError('FORBIDDEN');
  return scope;
}

export async function rankings(
  db: Db,
  ctx: Ctx,
  query: { schemeId: number; periodStart: string; nodeId?: number },
): Promise<Rankings> {
  const scope = readScope(ctx);
  const nodePath = query.nodeId ? await nodePathInScope(db, ctx, 'assessment.read', query.nodeId) : null;
  const row = await schemeOr404(db, query.schemeId);
  assertPeriod(row, query.periodStart);
  const scheme = toScheme(row, await repo.itemsOf(db, [row.id]));
  const previousPeriodStart = shiftPeriod(row.period_kind, query.periodStart, 1);
  const rows = await repo.rankingRows(db, {
    schemeId: row.id,
    periodStart: query.periodStart,
    previousStart: previousPeriodStart,
    nodePath,
    scopeCond: scopeSql(scope, 's.node_path'),
  });
  const groups: Rankings['groups'] = [];
  let computedAt: Date | null = null;
  for (const r of rows) {
    let g = groups.at(-1);
    if (!g || g.groupNodeId !== r.group_node_id) {
      g = { groupNodeId: r.group_node_id, groupName: r.group_name, subjects: [] };
      groups.push(g);
    }
    if (!computedAt || new Date(r.computed_at) > computedAt) computedAt = new Date(r.computed_at);
    g.subjects.push({
      subjectKind: r.subject_kind,
      subjectId: r.subject_id,
      name: r.name ?? '',
      gridName: r.grid_name,
      total: r.total,
      base: r.base,
      adjustments: r.adjustments,
      rank: r.rank,
      groupSize: r.group_size,
      items: r.items,
      previousRank: r.previous_rank,
      previousTotal: r.previous_total,
      rankChange: r.previous_rank === null ? null : r.previous_rank - r.rank,
      totalChange: r.previous_total === null ? null : Math.round((r.total - r.previous_total) * 100) / 100,
    });
  }
  return { scheme, periodStart: query.periodStart, previousPeriodStart, computedAt: iso(computedAt), groups };
}

export async function scoreHistory(
  db: Db,
  ctx: Ctx,
  kind: 'node' | 'user',
  id: number,
  query: { schemeId: number; limit?: number },
): Promise<ScoreHistory> {
  readScope(ctx);
  const subject = await anySubject(db, ctx, kind, id);
  await schemeOr404(db, query.schemeId);
  const rows = await repo.historyRows(db, { kind, id, schemeId: query.schemeId, limit: query.limit ?? 12 });
  return {
    schemeId: query.schemeId,
    subjectKind: kind,
    subjectId: id,
    name: subject.name,
    points: rows.reverse().map((r) => ({
      periodStart: r.period_start,
      total: r.total,
      base: r.base,
      adjustments: r.adjustments,
      rank: r.rank,
      groupSize: r.group_size,
      items: r.items,
    })),
  };
}

/** Recomputes a scheme's scores for a period under a node the caller manages (everywhere: a system administrator). */
export async function compute(db: Db, ctx: Ctx, body: ComputeRequest): Promise<ComputeResult> {
  let nodePath: string | null = null;
  if (body.nodeId) nodePath = await nodePathInScope(db, ctx, 'assessment.read', body.nodeId);
  assertCan(ctx.principal, 'assessment.manage', nodePath, { readPermission: 'assessment.read' });
  return db.transaction(async (tx) => {
    const scheme = await schemeOr404(tx, body.schemeId);
    assertPeriod(scheme, body.periodStart);
    const r = await computeScoresIn(tx, {
      schemeId: body.schemeId,
      periodStart: body.periodStart,
      ...(nodePath ? { nodePath } : {}),
    });
    await recordAudit(tx, ctx, {
      action: 'assessment_scores.compute',
      targetType: 'assessment_scheme',
      targetId: scheme.id,
      targetLabel: scheme.name,
      scopePath: nodePath,
      countyId: null,
      after: { periodStart: body.periodStart, subjects: r.subjects },
    });
    return r;
  });
}

// ---- adjustments ------------------------------------------------------------------------------------------------

async function toAdjustment(deps: AssessmentDeps, q: Queryable, r: repo.AdjustmentRow): Promise<Adjustment> {
  const files = await deps.files.listAttached(q, ADJUSTMENT_FILE_KIND, r.id);
  return {
    id: r.id,
    schemeId: r.scheme_id,
    schemeName: r.scheme_name,
    periodStart: r.period_start,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    points: r.points,
    reason: r.reason,
    evidence: files.map((f) => ({ id: f.id, name: f.name, mime: f.mime, url: f.url, thumbUrl: f.thumbUrl })),
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: iso(r.created_at)!,
    withdrawnAt: iso(r.withdrawn_at),
    withdrawnByName: r.withdrawn_by_name,
  };
}

/**
 * A bonus or penalty for one subject and period, with evidence; the subject's group is recomputed in the same
 * transaction.
 * @throws ASSESSMENT_SCHEME_NOT_FOUND, ASSESSMENT_PERIOD_KIND, ASSESSMENT_SUBJECT_KIND, ASSESSMENT_SUBJECT_NOT_FOUND
 *   (also outside the caller's area), FORBIDDEN/OUT_OF_SCOPE (readable, not manageable), ASSESSMENT_ADJUSTMENT_CAP,
 *   REASON_REQUIRED, FILE_*
 */
export async function createAdjustment(deps: AssessmentDeps, ctx: Ctx, body: AdjustmentCreate): Promise<Adjustment> {
  const reason = requireReason(body.reason);
  return deps.db.transaction(async (tx) => {
    const scheme = await schemeOr404(tx, body.schemeId);
    assertPeriod(scheme, body.periodStart);
    const subject = await subjectFor(tx, ctx, scheme, body.subjectKind, body.subjectId);
    assertCan(ctx.principal, 'assessment.manage', subject.path, { readPermission: 'assessment.read' });
    if (body.points === 0 || Math.abs(body.points) > scheme.adjustment_cap) {
      throw new AppError('ASSESSMENT_ADJUSTMENT_CAP', { field: 'points', params: { cap: scheme.adjustment_cap } });
    }
    const id = await repo.insertAdjustment(tx, {
      schemeId: scheme.id,
      periodStart: body.periodStart,
      subjectKind: body.subjectKind,
      subjectId: body.subjectId,
      countyId: subject.county_id,
      nodePath: subject.path,
      points: body.points,
      reason,
      createdBy: ctx.principal.userId,
    });
    if (body.evidenceFileIds?.length) {
      await deps.files.attachFiles(tx, ctx, {
        kind: ADJUSTMENT_FILE_KIND,
        recordId: id,
        fileIds: body.evidenceFileIds,
        field: 'evidenceFileIds',
      });
      const files = await findFilesByPublicIds(tx, body.evidenceFileIds);
      await repo.setEvidence(
        tx,
        id,
        files.map((f) => f.id),
      );
    }
    await recordAudit(tx, ctx, {
      action: 'assessment_adjustment.create',
      targetType: 'assessment_adjustment',
      targetId: id,
      targetLabel: `${scheme.name} · ${subject.name} · ${body.periodStart}`,
      scopePath: subject.path,
      countyId: subject.county_id,
      after: {
        schemeId: scheme.id,
        periodStart: body.periodStart,
        subjectKind: body.subjectKind,
        subjectId: body.subjectId,
        points: body.points,
        evidence: body.evidenceFileIds?.length ?? 0,
      },
      reason,
    });
    await computeScoresIn(tx, { schemeId: scheme.id, periodStart: body.periodStart, nodePath: subject.path });
    return toAdjustment(deps, tx, (await repo.findAdjustment(tx, id))!);
  });
}

export async function listAdjustments(
  deps: AssessmentDeps,
  ctx: Ctx,
  query: AdjustmentListQuery,
): Promise<AdjustmentPage> {
  const scope = readScope(ctx);
  const nodePath = query.nodeId ? await nodePathInScope(deps.db, ctx, 'assessment.read', query.nodeId) : null;
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listAdjustments(deps.db, {
    scopeCond: scopeSql(scope, 's.node_path'),
    nodePath,
    ...(query.schemeId ? { schemeId: query.schemeId } : {}),
    ...(query.periodStart ? { periodStart: query.periodStart } : {}),
    ...(query.subjectKind ? { subjectKind: query.subjectKind } : {}),
    ...(query.subjectId ? { subjectId: query.subjectId } : {}),
    includeWithdrawn: query.includeWithdrawn ?? false,
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  const items: Adjustment[] = [];
  for (const r of rows) items.push(await toAdjustment(deps, deps.db, r));
  return { items, total };
}

/** @throws ASSESSMENT_ADJUSTMENT_NOT_FOUND, FORBIDDEN/OUT_OF_SCOPE, ASSESSMENT_ADJUSTMENT_WITHDRAWN, REASON_REQUIRED */
export async function withdrawAdjustment(
  deps: AssessmentDeps,
  ctx: Ctx,
  id: number,
  body: AdjustmentWithdraw,
): Promise<Adjustment> {
  const reason = requireReason(body.reason);
  return deps.db.transaction(async (tx) => {
    const a = await repo.findAdjustment(tx, id, true);
    if (!a || !can(ctx.principal, 'assessment.read', a.node_path))
      throw new AppError('ASSESSMENT_ADJUSTMENT_NOT_FOUND');
    assertCan(ctx.principal, 'assessment.manage', a.node_path);
    if (a.withdrawn_at) throw new AppError('ASSESSMENT_ADJUSTMENT_WITHDRAWN');
    await repo.withdrawAdjustment(tx, id, ctx.principal.userId);
    await recordAudit(tx, ctx, {
      action: 'assessment_adjustment.withdraw',
      targetType: 'assessment_adjustment',
      targetId: id,
      targetLabel: `${a.scheme_name} · ${a.subject_name} · ${a.period_start}`,
      scopePath: a.node_path,
      countyId: a.county_id,
      before: { withdrawn: false, points: a.points },
      after: { withdrawn: true, points: a.points },
      reason,
    });
    await computeScoresIn(tx, { schemeId: a.scheme_id, periodStart: a.period_start, nodePath: a.node_path });
    return toAdjustment(deps, tx, (await repo.findAdjustment(tx, id))!);
  });
}

// ---- selections -------------------------------------------------------------------------------------------------

function toSelection(ctx: Ctx, r: repo.SelectionRow): Selection {
  const manage = can(ctx.principal, 'assessment.manage', r.node_path);
  const decide = can(ctx.principal, 'assessment.approve', r.level_node_path);
  return {
    id: r.id,
    schemeId: r.scheme_id,
    schemeName: r.scheme_name,
    honour: r.honour,
    periodStart: r.period_start,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    gridName: r.grid_name,
    levelNodeId: r.level_node_id,
    levelNodeName: r.level_node_name,
    score: r.score,
    status: r.status,
    citation: r.citation,
    nominatedByName: r.nominated_by_name,
    nominatedAt: iso(r.nominated_at),
    decidedByName: r.decided_by_name,
    decidedAt: iso(r.decided_at),
    decisionReason: r.decision_reason,
    publishedAt: iso(r.published_at),
    version: r.version,
    createdAt: iso(r.created_at)!,
    can: {
      nominate: manage && (r.status === 'proposed' || r.status === 'nominated'),
      approve: decide && r.status === 'nominated',
      decline: decide && r.status === 'nominated',
    },
  };
}

function assertHonourScheme(s: repo.SchemeRow, periodStart: string): NonNullable<repo.SchemeRow['honour']> {
  if (!s.honour) throw new AppError('ASSESSMENT_NO_HONOUR', { field: 'schemeId' });
  if (!isPeriodStart('quarter', periodStart) || s.period_kind !== 'quarter') {
    throw new AppError('ASSESSMENT_PERIOD_KIND', { field: 'periodStart', params: { periodKind: 'quarter' } });
  }
  return s.honour;
}

const selectionLabel = (r: { scheme_name: string; subject_name: string; period_start: string }) =>
  `${r.scheme_name} · ${r.subject_name} · ${quarterLabel(r.period_start)}`;

/**
 * Per ranking group under the caller's area, the top `honour_quota` subjects (by rank) whose total reaches
 * `honour_min_score` become proposals; subjects already selected for the quarter are left alone.
 */
export async function propose(db: Db, ctx: Ctx, body: ProposeRequest): Promise<ProposeResult> {
  const scope = scopeFor(ctx.principal, 'assessment.manage');
  if (!scope.all && scope.paths.length === 0) throw new AppError('FORBIDDEN');
  return db.transaction(async (tx) => {
    const scheme = await schemeOr404(tx, body.schemeId);
    const honour = assertHonourScheme(scheme, body.periodStart);
    const ids: number[] = [];
    for (const nodePath of scope.all ? [null] : scope.paths) {
      ids.push(
        ...(await repo.insertProposals(tx, {
          schemeId: scheme.id,
          honour,
          periodStart: body.periodStart,
          quota: scheme.honour_quota,
          minScore: scheme.honour_min_score,
          nodePath,
        })),
      );
    }
    for (const id of ids) {
      const r = (await repo.findSelection(tx, id))!;
      await recordAudit(tx, ctx, {
        action: 'assessment_selection.propose',
        targetType: 'assessment_selection',
        targetId: id,
        targetLabel: selectionLabel(r),
        scopePath: r.node_path,
        countyId: r.county_id,
        after: { status: 'proposed', score: r.score },
      });
    }
    return { proposed: ids.length, items: ids };
  });
}

/** Nominates a subject by hand, with a citation (it need not be among the proposals). */
export async function createSelection(db: Db, ctx: Ctx, body: SelectionCreate): Promise<Selection> {
  return db.transaction(async (tx) => {
    const scheme = await schemeOr404(tx, body.schemeId);
    const honour = assertHonourScheme(scheme, body.periodStart);
    const subject = await subjectFor(
      tx,
      ctx,
      { ...scheme, subject: HONOUR_SUBJECT[honour] },
      body.subjectKind,
      body.subjectId,
    );
    assertCan(ctx.principal, 'assessment.manage', subject.path, { readPermission: 'assessment.read' });
    const level = await repo.streetAbove(tx, subject.path);
    if (!level) throw new AppError('ASSESSMENT_SUBJECT_NOT_FOUND', { field: 'subjectId' });
    const score = await repo.scoreOf(tx, {
      schemeId: scheme.id,
      periodStart: body.periodStart,
      kind: body.subjectKind,
      id: body.subjectId,
    });
    const id = await repo.insertSelection(tx, {
      schemeId: scheme.id,
      honour,
      periodStart: body.periodStart,
      subjectKind: body.subjectKind,
      subjectId: body.subjectId,
      countyId: subject.county_id,
      nodePath: subject.path,
      levelNodeId: level.id,
      score,
      citation: body.citation,
      by: ctx.principal.userId,
    });
    if (id === null) throw new AppError('ASSESSMENT_SELECTION_EXISTS', { field: 'subjectId' });
    const r = (await repo.findSelection(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'assessment_selection.create',
      targetType: 'assessment_selection',
      targetId: id,
      targetLabel: selectionLabel(r),
      scopePath: r.node_path,
      countyId: r.county_id,
      after: { status: 'nominated', citation: body.citation, score },
    });
    return toSelection(ctx, r);
  });
}

async function selectionFor(q: Queryable, ctx: Ctx, id: number): Promise<repo.SelectionRow> {
  const r = await repo.findSelection(q, id, true);
  if (!r || !can(ctx.principal, 'assessment.read', r.node_path)) throw new AppError('ASSESSMENT_SELECTION_NOT_FOUND');
  return r;
}

function assertState(r: repo.SelectionRow, allowed: readonly string[], version?: number): void {
  if (version !== undefined && version !== r.version) throw new AppError('ASSESSMENT_SELECTION_VERSION_CONFLICT');
  if (!allowed.includes(r.status)) throw new AppError('ASSESSMENT_SELECTION_STATE', { params: { status: r.status } });
}

export async function nominate(db: Db, ctx: Ctx, id: number, body: SelectionNominate): Promise<Selection> {
  return db.transaction(async (tx) => {
    const r = await selectionFor(tx, ctx, id);
    assertCan(ctx.principal, 'assessment.manage', r.node_path);
    assertState(r, ['proposed', 'nominated'], body.version);
    await repo.nominateSelection(tx, id, body.citation, ctx.principal.userId);
    await recordAudit(tx, ctx, {
      action: 'assessment_selection.nominate',
      targetType: 'assessment_selection',
      targetId: id,
      targetLabel: selectionLabel(r),
      scopePath: r.node_path,
      countyId: r.county_id,
      before: { status: r.status, citation: r.citation },
      after: { status: 'nominated', citation: body.citation },
    });
    return toSelection(ctx, (await repo.findSelection(tx, id))!);
  });
}

/** Approve or decline: assessment.approve held at the selection's level node (the street or town) or above. */
export async function decide(
  db: Db,
  ctx: Ctx,
  id: number,
  decision: 'approved' | 'declined',
  body: { version?: number } & Partial<SelectionDecline>,
): Promise<Selection> {
  const reason = decision === 'declined' ? requireReason(body.reason) : null;
  return db.transaction(async (tx) => {
    const r = await selectionFor(tx, ctx, id);
    if (!can(ctx.principal, 'assessment.approve', r.level_node_path)) {
      throw new AppError('ASSESSMENT_SELECTION_LEVEL', { params: { level: r.level_node_name } });
    }
    assertState(r, ['nominated'], body.version);
    await repo.decideSelection(tx, id, decision, ctx.principal.userId, reason);
    await recordAudit(tx, ctx, {
      action: decision === 'approved' ? 'assessment_selection.approve' : 'assessment_selection.decline',
      targetType: 'assessment_selection',
      targetId: id,
      targetLabel: selectionLabel(r),
      scopePath: r.node_path,
      countyId: r.county_id,
      before: { status: r.status },
      after: { status: decision },
      reason,
    });
    return toSelection(ctx, (await repo.findSelection(tx, id))!);
  });
}

/**
 * Publishes the approved selections of a scheme and quarter under a level node (a street or town the caller
 * approves for), and tells the honoured workers and the workers of the honoured grids.
 */
export async function publish(db: Db, ctx: Ctx, body: PublishRequest): Promise<PublishResult> {
  const level = await findNodeById(db, body.levelNodeId);
  if (
    !level ||
    (!can(ctx.principal, 'assessment.read', level.path) && !can(ctx.principal, 'assessment.approve', level.path))
  ) {
    throw new AppError('ORG_NODE_NOT_FOUND', { field: 'levelNodeId' });
  }
  if (!can(ctx.principal, 'assessment.approve', level.path)) {
    throw new AppError('ASSESSMENT_SELECTION_LEVEL', { field: 'levelNodeId', params: { level: level.name } });
  }
  return db.transaction(async (tx) => {
    const scheme = await schemeOr404(tx, body.schemeId);
    const honour = assertHonourScheme(scheme, body.periodStart);
    const done = await repo.publishSelections(tx, {
      schemeId: scheme.id,
      periodStart: body.periodStart,
      levelPath: level.path,
    });
    const quarter = quarterLabel(body.periodStart);
    for (const d of done) {
      const r = (await repo.findSelection(tx, d.id))!;
      await recordAudit(tx, ctx, {
        action: 'assessment_selection.publish',
        targetType: 'assessment_selection',
        targetId: d.id,
        targetLabel: selectionLabel(r),
        scopePath: r.node_path,
        countyId: r.county_id,
        before: { status: 'approved' },
        after: { status: 'published' },
      });
      const recipients = [
        ...(d.subject_kind === 'user' ? [d.subject_id] : []),
        ...(await repo.gridWorkersAt(tx, [d.node_path])),
      ];
      await send(tx, recipients, HONOUR_NOTIFY, {
        quarter,
        honour,
        honourZh: HONOUR_NAMES[honour].zh,
        honourEn: HONOUR_NAMES[honour].en,
        name: r.subject_name,
        selectionId: d.id,
      });
    }
    return { published: done.length };
  });
}

export async function listSelections(db: Db, ctx: Ctx, query: SelectionListQuery): Promise<SelectionPage> {
  const scope = readScope(ctx);
  const nodePath = query.nodeId ? await nodePathInScope(db, ctx, 'assessment.read', query.nodeId) : null;
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listSelections(db, {
    scopeCond: scopeSql(scope, 's.node_path'),
    nodePath,
    ...(query.schemeId ? { schemeId: query.schemeId } : {}),
    ...(query.periodStart ? { periodStart: query.periodStart } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.honour ? { honour: query.honour } : {}),
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return { items: rows.map((r) => toSelection(ctx, r)), total };
}

// ---- the public notice and archives -----------------------------------------------------------------------------

/** Published honours under a node: names, the quarter, the citation; nothing else personal. @throws ORG_NODE_NOT_FOUND */
export async function publicHonours(db: Db, nodeId: number): Promise<PublicHonours> {
  const node = await findNodeById(db, nodeId);
  if (!node || node.status !== 'active') throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  const rows = await repo.publicHonours(db, node.path);
  return {
    node: { id: node.id, name: node.name },
    honours: rows.map((r) => ({
      honour: r.honour,
      periodStart: r.period_start,
      quarter: quarterLabel(r.period_start),
      name: r.name,
      gridName: r.grid_name,
      communityName: r.community_name,
      citation: r.citation,
      publishedAt: iso(r.published_at)!,
    })),
  };
}

/** 一人一档: a worker's or a node's scores per period and scheme, adjustments and honours. */
export async function archive(deps: AssessmentDeps, ctx: Ctx, kind: 'node' | 'user', id: number): Promise<Archive> {
  readScope(ctx);
  const s = await anySubject(deps.db, ctx, kind, id);
  const scores = await repo.historyRows(deps.db, { kind, id, schemeId: null, limit: 200 });
  const adjustments: Adjustment[] = [];
  for (const a of await repo.adjustmentsOf(deps.db, kind, id)) adjustments.push(await toAdjustment(deps, deps.db, a));
  const honours = await repo.honoursOf(deps.db, kind, id);
  return {
    subjectKind: kind,
    subjectId: id,
    name: s.name,
    type: s.type,
    parentName: s.parent_name,
    scores: scores.map((r) => ({
      schemeId: r.scheme_id,
      schemeName: r.scheme_name,
      periodKind: r.period_kind,
      periodStart: r.period_start,
      total: r.total,
      base: r.base,
      adjustments: r.adjustments,
      rank: r.rank,
      groupSize: r.group_size,
      items: r.items,
    })),
    adjustments,
    honours: honours.map((h) => ({
      id: h.id,
      honour: h.honour,
      schemeName: h.scheme_name,
      periodStart: h.period_start,
      status: h.status,
      citation: h.citation,
      publishedAt: iso(h.published_at),
    })),
  };
}
