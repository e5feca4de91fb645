/**
 * Partner organisations (红色合伙人): a partner account applies for its organisation (it becomes a member); a worker
 * holding volunteers.manage over the organisation's node approves or rejects it, suspends it, or registers one
 * directly. Read: volunteers.read over the organisation's node, or a member; a record one may not read is 404.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { findNodeById } from '../org/org.service.js';
import { sealPhone } from '../people/people.service.js';
import { normaliseCreditCode } from './partners.logic.js';
import * as repo from './partners.repo.js';
import type { Org, OrgApply, OrgCreate, OrgListQuery, OrgPage, OrgReview, OrgSuspend } from './partners.schemas.js';
import { type PartnersDeps, toOrg } from './partners.view.js';

const notFound = () => new AppError('PARTNER_ORG_NOT_FOUND');
/** The node types an organisation may serve. */
export const ORG_NODE_TYPES = ['street', 'town', 'community', 'village'];

function orgInput(deps: PartnersDeps, body: OrgApply) {
  const creditCode = normaliseCreditCode(body.creditCode);
  if (creditCode === null) throw new AppError('PARTNER_CREDIT_CODE_INVALID', { field: 'creditCode' });
  const phone = sealPhone(deps.pii, body.phone, 'phone');
  if (!phone?.sealed) throw new AppError('PHONE_INVALID', { field: 'phone' });
  return { creditCode, phone };
}

/**
 * A partner account applies for its organisation: status applied, the account a member.
 * @throws FORBIDDEN, PARTNER_CREDIT_CODE_INVALID, PHONE_INVALID, PARTNER_NODE_INVALID, PARTNER_ALREADY_APPLIED
 */
export async function applyOrg(deps: PartnersDeps, ctx: Ctx, body: OrgApply): Promise<Org> {
  const p = ctx.principal;
  assertPermission(p, 'partners.act');
  const { creditCode, phone } = orgInput(deps, body);
  return deps.db.transaction(async (tx) => {
    const node = await findNodeById(tx, body.nodeId);
    if (
      !node ||
      node.status !== 'active' ||
      !ORG_NODE_TYPES.includes(node.type) ||
      !can(p, 'partners.act', node.path)
    ) {
      throw new AppError('PARTNER_NODE_INVALID', { field: 'nodeId' });
    }
    // one organisation under way per account (a rejected one may be followed by a new application)
    await tx.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [p.userId]);
    const mine = await repo.orgsOfUser(tx, p.userId);
    if (mine.some((o) => o.status === 'applied' || o.status === 'approved')) {
      throw new AppError('PARTNER_ALREADY_APPLIED');
    }
    const id = await repo.insertOrg(tx, {
      countyId: Number(node.county_id),
      nodeId: Number(node.id),
      nodePath: node.path,
      name: body.name,
      kind: body.kind,
      creditCode,
      contactName: body.contact,
      phoneMasked: phone.masked,
      phoneSealed: phone.sealed,
      description: body.description || null,
      status: 'applied',
      userId: p.userId,
    });
    await repo.addMember(tx, id, p.userId);
    await recordAudit(tx, ctx, {
      action: 'partner.apply',
      targetType: 'partner_org',
      targetId: id,
      targetLabel: body.name,
      scopePath: node.path,
      countyId: Number(node.county_id),
      after: { name: body.name, kind: body.kind, creditCode, nodeId: Number(node.id), phone: phone.masked },
    });
    return toOrg((await repo.findOrg(tx, id))!);
  });
}

/**
 * A worker registers an organisation directly (approved at once); `memberUserIds` must be partner accounts.
 * @throws FORBIDDEN, ORG_NODE_NOT_FOUND, PARTNER_NODE_INVALID, PARTNER_CREDIT_CODE_INVALID, PHONE_INVALID
 */
export async function createOrg(deps: PartnersDeps, ctx: Ctx, body: OrgCreate): Promise<Org> {
  const p = ctx.principal;
  assertPermission(p, 'volunteers.manage');
  const { creditCode, phone } = orgInput(deps, body);
  return deps.db.transaction(async (tx) => {
    const node = await findNodeById(tx, body.nodeId);
    if (!node || node.status !== 'active' || !can(p, 'volunteers.read', node.path)) {
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    }
    assertCan(p, 'volunteers.manage', node.path);
    if (!ORG_NODE_TYPES.includes(node.type)) throw new AppError('PARTNER_NODE_INVALID', { field: 'nodeId' });
    const members = [...new Set(body.memberUserIds ?? [])];
    if (members.length > 0) {
      const ok = await tx.query<{ user_id: number }>(
        `SELECT DISTINCT user_id FROM posts WHERE role = 'partner' AND user_id = ANY($1::bigint[])`,
        [members],
      );
      if (ok.length !== members.length) {
        throw new AppError('VALIDATION', {
          field: 'memberUserIds',
          params: { field: 'memberUserIds', detail: 'partner accounts only' },
        });
      }
    }
    const id = await repo.insertOrg(tx, {
      countyId: Number(node.county_id),
      nodeId: Number(node.id),
      nodePath: node.path,
      name: body.name,
      kind: body.kind,
      creditCode,
      contactName: body.contact,
      phoneMasked: phone.masked,
      phoneSealed: phone.sealed,
      description: body.description || null,
      status: 'approved',
      userId: p.userId,
    });
    for (const u of members) await repo.addMember(tx, id, u);
    await recordAudit(tx, ctx, {
      action: 'partner.register',
      targetType: 'partner_org',
      targetId: id,
      targetLabel: body.name,
      scopePath: node.path,
      countyId: Number(node.county_id),
      after: { name: body.name, kind: body.kind, creditCode, nodeId: Number(node.id), members },
    });
    return toOrg((await repo.findOrg(tx, id))!);
  });
}

/** Whether the caller may read an organisation: volunteers.read over its node, or a member. */
export async function mayReadOrg(q: Queryable, ctx: Ctx, o: { id: number; node_path: string }): Promise<boolean> {
  return can(ctx.principal, 'volunteers.read', o.node_path) || (await repo.isMember(q, o.id, ctx.principal.userId));
}

/** Organisations of the caller's volunteers.read area. @throws FORBIDDEN, ORG_NODE_NOT_FOUND */
export async function listOrgs(deps: PartnersDeps, ctx: Ctx, query: OrgListQuery): Promise<OrgPage> {
  assertPermission(ctx.principal, 'volunteers.read');
  let nodePath: string | undefined;
  if (query.nodeId !== undefined) {
    const node = await findNodeById(deps.db, query.nodeId);
    if (!node || !can(ctx.principal, 'volunteers.read', node.path)) {
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    }
    nodePath = node.path;
  }
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listOrgs(deps.db, {
    scope: scopeSql(scopeFor(ctx.principal, 'volunteers.read'), 'o.node_path'),
    ...(nodePath !== undefined ? { nodePath } : {}),
    ...(query.status !== undefined ? { status: query.status } : {}),
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return { items: rows.map(toOrg), total };
}

/** One organisation. @throws PARTNER_ORG_NOT_FOUND */
export async function getOrg(deps: PartnersDeps, ctx: Ctx, id: number): Promise<Org> {
  const row = await repo.findOrg(deps.db, id);
  if (!row || !(await mayReadOrg(deps.db, ctx, row))) throw notFound();
  return toOrg(row);
}

/** An organisation to change: readable by volunteers.read (else 404), volunteers.manage over it (else 403). */
async function managed(tx: Queryable, ctx: Ctx, id: number): Promise<repo.OrgRow> {
  const row = await repo.findOrg(tx, id, true);
  if (!row) throw notFound();
  assertCan(ctx.principal, 'volunteers.manage', row.node_path, {
    readPermission: 'volunteers.read',
    notFound: notFound(),
  });
  return row;
}

/**
 * Approves or rejects an application (approve also reinstates a suspended organisation).
 * @throws PARTNER_ORG_NOT_FOUND, FORBIDDEN, PARTNER_ORG_REVIEWED
 */
export async function reviewOrg(deps: PartnersDeps, ctx: Ctx, id: number, body: OrgReview): Promise<Org> {
  return deps.db.transaction(async (tx) => {
    const row = await managed(tx, ctx, id);
    const allowed = row.status === 'applied' || (row.status === 'suspended' && body.decision === 'approve');
    if (!allowed) throw new AppError('PARTNER_ORG_REVIEWED');
    const status = body.decision === 'approve' ? 'approved' : 'rejected';
    await repo.setOrgStatus(tx, id, { status, note: body.note || null, userId: ctx.principal.userId });
    await recordAudit(tx, ctx, {
      action: `partner.${body.decision}`,
      targetType: 'partner_org',
      targetId: id,
      targetLabel: row.name,
      scopePath: row.node_path,
      countyId: Number(row.county_id),
      before: { status: row.status },
      after: { status, note: body.note ?? null },
    });
    return toOrg((await repo.findOrg(tx, id))!);
  });
}

/** Suspends an approved organisation (it can claim and deliver no more). @throws …, PARTNER_ORG_NOT_APPROVED */
export async function suspendOrg(deps: PartnersDeps, ctx: Ctx, id: number, body: OrgSuspend): Promise<Org> {
  return deps.db.transaction(async (tx) => {
    const row = await managed(tx, ctx, id);
    if (row.status !== 'approved') throw new AppError('PARTNER_ORG_NOT_APPROVED');
    await repo.setOrgStatus(tx, id, { status: 'suspended', note: body.note || null, userId: ctx.principal.userId });
    await recordAudit(tx, ctx, {
      action: 'partner.suspend',
      targetType: 'partner_org',
      targetId: id,
      targetLabel: row.name,
      scopePath: row.node_path,
      countyId: Number(row.county_id),
      before: { status: row.status },
      after: { status: 'suspended', note: body.note ?? null },
    });
    return toOrg((await repo.findOrg(tx, id))!);
  });
}
