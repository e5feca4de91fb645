/**
 * Installation-wide configuration of cases (cases.config): the category tree with its SLAs, duplicate window and
 * visibility, and the names and order of the stages (their codes and types are fixed). Every write is audited.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { CaseCategory, CaseStageInfo } from './cases.schemas.js';
import * as repo from './cases-config.repo.js';
import type { CreateCategoryBody, UpdateCategoryBody, UpdateStageBody } from './cases-config.schemas.js';

function assertConfig(ctx: Ctx): void {
  assertCan(ctx.principal, 'cases.config', null);
}

export function toCategory(ctx: Ctx, r: repo.CategoryRow): CaseCategory {
  return { ...r, name: ctx.locale === 'en' ? r.nameEn : r.nameZh };
}

function toStage(ctx: Ctx, r: repo.StageRow): CaseStageInfo {
  return {
    code: r.code as CaseStageInfo['code'],
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    name: ctx.locale === 'en' ? r.nameEn : r.nameZh,
    type: r.type as CaseStageInfo['type'],
    sort: r.sort,
  };
}

function auditView(r: repo.CategoryRow): Record<string, unknown> {
  return {
    ...r,
    responseSla: r.responseSla ? JSON.stringify(r.responseSla) : null,
    handleSla: r.handleSla ? JSON.stringify(r.handleSla) : null,
    verifySla: r.verifySla ? JSON.stringify(r.verifySla) : null,
  };
}

/**
 * Adds a category to the tree (a root, or under `parentId`).
 * @throws FORBIDDEN, CASE_CATEGORY_CODE_TAKEN (code), CASE_CATEGORY_PARENT_INVALID (parentId)
 */
export async function createCategory(db: Db, ctx: Ctx, body: CreateCategoryBody): Promise<CaseCategory> {
  assertConfig(ctx);
  return db.transaction(async (tx) => {
    if (await repo.codeTaken(tx, body.code)) {
      throw new AppError('CASE_CATEGORY_CODE_TAKEN', { field: 'code', params: { code: body.code } });
    }
    if (body.parentId != null && !(await repo.findCategory(tx, body.parentId))) {
      throw new AppError('CASE_CATEGORY_PARENT_INVALID', { field: 'parentId' });
    }
    const row = await repo.insertCategory(tx, body);
    await recordAudit(tx, ctx, {
      action: 'cases.category.create',
      targetType: 'case_category',
      targetId: row.id,
      targetLabel: row.nameZh,
      scopePath: null,
      countyId: null,
      before: null,
      after: auditView(row),
    });
    return toCategory(ctx, row);
  });
}

/**
 * Changes a category: names, place in the tree (never under itself), SLAs, duplicate window, public, active, order.
 * Deadlines already set on cases keep their times.
 * @throws FORBIDDEN, CASE_CATEGORY_UNKNOWN (id), CASE_CATEGORY_PARENT_INVALID (parentId)
 */
export async function updateCategory(db: Db, ctx: Ctx, id: number, body: UpdateCategoryBody): Promise<CaseCategory> {
  assertConfig(ctx);
  return db.transaction(async (tx) => {
    const before = await repo.findCategory(tx, id, true);
    if (!before) throw new AppError('CASE_CATEGORY_UNKNOWN', { field: 'id' });
    if (body.parentId != null) {
      const parent = await repo.findCategory(tx, body.parentId);
      if (!parent || (await repo.isSelfOrDescendant(tx, id, body.parentId))) {
        throw new AppError('CASE_CATEGORY_PARENT_INVALID', { field: 'parentId' });
      }
    }
    const after = await repo.updateCategory(tx, id, body);
    await recordAudit(tx, ctx, {
      action: 'cases.category.update',
      targetType: 'case_category',
      targetId: id,
      targetLabel: after.nameZh,
      scopePath: null,
      countyId: null,
      before: auditView(before),
      after: auditView(after),
    });
    return toCategory(ctx, after);
  });
}

/**
 * Renames or reorders a stage (its code and type stay).
 * @throws FORBIDDEN, CASE_STAGE_UNKNOWN (code)
 */
export async function updateStage(db: Db, ctx: Ctx, code: string, body: UpdateStageBody): Promise<CaseStageInfo> {
  assertConfig(ctx);
  return db.transaction(async (tx) => {
    const before = await repo.findStage(tx, code, true);
    if (!before) throw new AppError('CASE_STAGE_UNKNOWN', { field: 'code' });
    const after = await repo.updateStage(tx, code, body);
    await recordAudit(tx, ctx, {
      action: 'cases.stage.update',
      targetType: 'case_stage',
      targetId: code,
      targetLabel: after.nameZh,
      scopePath: null,
      countyId: null,
      before,
      after,
    });
    return toStage(ctx, after);
  });
}
