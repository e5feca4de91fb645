/**
 * The partner's side (partners.act): its organisations, the open projects of its area, claims, withdrawals and
 * deliveries (photos attach as files 'partner_delivery'); and the community's side of deliveries: the list and the
 * review (volunteers.manage over the project). Confirming a delivery credits the project's reward_points to the
 * organisation's points account from the community's issuer, once (key partner:delivery:<id>), in the same
 * transaction as the confirmation.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { registerAttachmentKind } from '../../platform/files/files.service.js';
import { shanghaiDay } from '../cases/calendar.logic.js';
import { findNodeById } from '../org/org.service.js';
import { communityOfNode, issuerAccount, organisationAccount, postTransfer } from '../points/ledger.repo.js';
import { ORG_NODE_TYPES } from './orgs.service.js';
import { claimCan, claimRefusal } from './partners.logic.js';
import * as repo from './partners.repo.js';
import type {
  Claim,
  ClaimCreate,
  Delivery,
  DeliveryCreate,
  DeliveryListQuery,
  DeliveryReview,
  PartnerMe,
  PartnerProjects,
} from './partners.schemas.js';
import {
  PARTNER_DELIVERY_FILE_KIND,
  type PartnersDeps,
  toClaims,
  toDelivery,
  toOrg,
  toProject,
} from './partners.view.js';

const claimNotFound = () => new AppError('PARTNER_CLAIM_NOT_FOUND');
const deliveryNotFound = () => new AppError('PARTNER_DELIVERY_NOT_FOUND');

async function claimsOfUser(deps: PartnersDeps, q: Queryable, userId: number): Promise<Claim[]> {
  const rows = await repo.claimsWhere(q, 'c.org_id IN (SELECT org_id FROM partner_members WHERE user_id = $1)', [
    userId,
  ]);
  return toClaims(deps.files, q, rows);
}

/** The caller's organisations, their claims, and the places they may apply for. @throws FORBIDDEN */
export async function partnerMe(deps: PartnersDeps, ctx: Ctx): Promise<PartnerMe> {
  const p = ctx.principal;
  assertPermission(p, 'partners.act');
  const orgs = await repo.orgsOfUser(deps.db, p.userId);
  const scope = scopeFor(p, 'partners.act');
  const nodes = await deps.db.query<{ id: number; name: string; type: string }>(
    `SELECT id, name, type FROM org_nodes
      WHERE status = 'active' AND type = ANY($1::text[]) AND ${scopeSql(scope, 'path')}
      ORDER BY depth, name, id LIMIT 200`,
    [ORG_NODE_TYPES],
  );
  return {
    orgs: orgs.map(toOrg),
    claims: await claimsOfUser(deps, deps.db, p.userId),
    nodes: nodes.map((n) => ({ id: Number(n.id), name: n.name, type: n.type })),
  };
}

/** Open projects of the caller's area (its partner posts), with whether its organisation claimed each. */
export async function partnerProjects(deps: PartnersDeps, ctx: Ctx): Promise<PartnerProjects> {
  const p = ctx.principal;
  assertPermission(p, 'partners.act');
  const { rows } = await repo.listProjects(deps.db, {
    scope: scopeSql(scopeFor(p, 'partners.act'), 'p.node_path'),
    status: 'open',
    limit: 200,
    offset: 0,
  });
  const mine = await deps.db.query<{ project_id: number }>(
    `SELECT c.project_id FROM partner_claims c JOIN partner_members m ON m.org_id = c.org_id
      WHERE m.user_id = $1 AND c.status <> 'withdrawn'`,
    [p.userId],
  );
  const claimed = new Set(mine.map((m) => Number(m.project_id)));
  const today = shanghaiDay(new Date());
  return {
    items: rows
      .filter((r) => r.closes_on === null || r.closes_on >= today)
      .map((r) => ({
        ...toProject(r),
        claimedByMe: claimed.has(Number(r.id)),
        full: Number(r.active_claims) >= Number(r.max_claims),
      })),
  };
}

/**
 * Claims a project for one of the caller's approved organisations (the named one, else the first approved).
 * @throws FORBIDDEN, PARTNER_PROJECT_NOT_FOUND, PARTNER_ORG_NOT_FOUND, PARTNER_NOT_APPROVED,
 *   PARTNER_PROJECT_CLAIMED, PARTNER_PROJECT_CLOSED, PARTNER_PROJECT_FULL
 */
export async function claimProject(deps: PartnersDeps, ctx: Ctx, projectId: number, body: ClaimCreate) {
  const p = ctx.principal;
  assertPermission(p, 'partners.act');
  return deps.db.transaction(async (tx) => {
    const project = await repo.findProject(tx, projectId, true);
    if (!project || !can(p, 'partners.act', project.node_path)) throw new AppError('PARTNER_PROJECT_NOT_FOUND');
    const orgs = await repo.orgsOfUser(tx, p.userId);
    let org: repo.OrgRow | undefined;
    if (body.orgId !== undefined) {
      org = orgs.find((o) => Number(o.id) === body.orgId);
      if (!org) throw new AppError('PARTNER_ORG_NOT_FOUND', { field: 'orgId' });
    } else {
      org = orgs.find((o) => o.status === 'approved');
    }
    if (!org || org.status !== 'approved') throw new AppError('PARTNER_NOT_APPROVED');
    if (!project.node_path.startsWith(org.node_path)) throw new AppError('PARTNER_PROJECT_NOT_FOUND');
    const prior = await repo.findClaimOf(tx, projectId, Number(org.id));
    if (prior && prior.status !== 'withdrawn') throw new AppError('PARTNER_PROJECT_CLAIMED');
    const refusal = claimRefusal(
      {
        status: project.status,
        closesOn: project.closes_on,
        maxClaims: Number(project.max_claims),
        activeClaims: Number(project.active_claims),
      },
      shanghaiDay(new Date()),
    );
    if (refusal) throw new AppError(refusal);
    let claimId: number;
    if (prior) {
      claimId = Number(prior.id);
      await tx.query(
        `UPDATE partner_claims SET status = 'claimed', plan = $2, claimed_by = $3, claimed_at = now(),
           updated_at = now() WHERE id = $1`,
        [claimId, body.plan || null, p.userId],
      );
    } else {
      const [r] = await tx.query<{ id: number }>(
        `INSERT INTO partner_claims (project_id, org_id, node_path, plan, claimed_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [projectId, org.id, project.node_path, body.plan || null, p.userId],
      );
      claimId = Number(r!.id);
    }
    await recordAudit(tx, ctx, {
      action: 'partner_claim.create',
      targetType: 'partner_claim',
      targetId: claimId,
      targetLabel: `${org.name} · ${project.title}`,
      scopePath: project.node_path,
      countyId: Number(project.county_id),
      after: { projectId, orgId: Number(org.id), plan: body.plan ?? null },
    });
    return (await toClaims(deps.files, tx, [(await repo.findClaim(tx, claimId))!]))[0]!;
  });
}

/** A claim of one of the caller's organisations (else 404), locked. */
async function ownClaim(tx: Queryable, ctx: Ctx, id: number): Promise<repo.ClaimRow> {
  assertPermission(ctx.principal, 'partners.act');
  const c = await repo.findClaim(tx, id, true);
  if (!c || !(await repo.isMember(tx, Number(c.org_id), ctx.principal.userId))) throw claimNotFound();
  return c;
}

/** Withdraws a claim before any delivery. @throws PARTNER_CLAIM_NOT_FOUND, PARTNER_CLAIM_CLOSED */
export async function withdrawClaim(deps: PartnersDeps, ctx: Ctx, id: number): Promise<Claim> {
  return deps.db.transaction(async (tx) => {
    const c = await ownClaim(tx, ctx, id);
    if (!claimCan(c.status).withdraw) throw new AppError('PARTNER_CLAIM_CLOSED');
    await tx.query(`UPDATE partner_claims SET status = 'withdrawn', updated_at = now() WHERE id = $1`, [id]);
    const [proj] = await tx.query<{ county_id: number }>('SELECT county_id FROM partner_projects WHERE id = $1', [
      c.project_id,
    ]);
    await recordAudit(tx, ctx, {
      action: 'partner_claim.withdraw',
      targetType: 'partner_claim',
      targetId: id,
      targetLabel: `${c.org_name} · ${c.project_title}`,
      scopePath: c.project_path,
      countyId: Number(proj!.county_id),
      before: { status: c.status },
      after: { status: 'withdrawn' },
    });
    return (await toClaims(deps.files, tx, [(await repo.findClaim(tx, id))!]))[0]!;
  });
}

/**
 * Records what the organisation did for a claim, with photos; the claim becomes delivered.
 * @throws PARTNER_CLAIM_NOT_FOUND, PARTNER_CLAIM_CLOSED, PARTNER_NOT_APPROVED, VALIDATION (a day in the future),
 *   FILE_NOT_FOUND, FILE_ALREADY_ATTACHED
 */
export async function addDelivery(deps: PartnersDeps, ctx: Ctx, claimId: number, body: DeliveryCreate) {
  return deps.db.transaction(async (tx) => {
    const c = await ownClaim(tx, ctx, claimId);
    if (!claimCan(c.status).deliver) throw new AppError('PARTNER_CLAIM_CLOSED');
    const org = (await repo.findOrg(tx, Number(c.org_id)))!;
    if (org.status !== 'approved') throw new AppError('PARTNER_NOT_APPROVED');
    if (body.deliveredOn > shanghaiDay(new Date())) {
      throw new AppError('VALIDATION', {
        field: 'deliveredOn',
        params: { field: 'deliveredOn', detail: 'not in the future' },
      });
    }
    const [r] = await tx.query<{ id: number }>(
      `INSERT INTO partner_deliveries (claim_id, delivered_on, summary, people_served, recorded_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [claimId, body.deliveredOn, body.summary, body.peopleServed ?? null, ctx.principal.userId],
    );
    const id = Number(r!.id);
    await tx.query(`UPDATE partner_claims SET status = 'delivered', updated_at = now() WHERE id = $1`, [claimId]);
    if (body.photos?.length) {
      await deps.files.attachFiles(tx, ctx, {
        kind: PARTNER_DELIVERY_FILE_KIND,
        recordId: id,
        fileIds: body.photos,
        field: 'photos',
      });
    }
    await recordAudit(tx, ctx, {
      action: 'partner_delivery.create',
      targetType: 'partner_delivery',
      targetId: id,
      targetLabel: `${c.org_name} · ${c.project_title}`,
      scopePath: c.project_path,
      countyId: Number(org.county_id),
      after: {
        claimId,
        deliveredOn: body.deliveredOn,
        peopleServed: body.peopleServed ?? null,
        photos: body.photos?.length ?? 0,
      },
    });
    return toDelivery(deps.files, tx, (await repo.findDelivery(tx, id))!);
  });
}

/** Deliveries of the projects of the caller's volunteers.read area, newest first. */
export async function listDeliveries(deps: PartnersDeps, ctx: Ctx, query: DeliveryListQuery) {
  assertPermission(ctx.principal, 'volunteers.read');
  const where = [scopeSql(scopeFor(ctx.principal, 'volunteers.read'), 'p.node_path')];
  const params: unknown[] = [];
  if (query.nodeId !== undefined) {
    const node = await findNodeById(deps.db, query.nodeId);
    if (!node || !can(ctx.principal, 'volunteers.read', node.path)) {
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    }
    params.push(node.path);
    where.push(`p.node_path LIKE $${params.length} || '%'`);
  }
  if (query.status !== undefined) {
    params.push(query.status);
    where.push(`d.status = $${params.length}`);
  }
  if (query.projectId !== undefined) {
    params.push(query.projectId);
    where.push(`p.id = $${params.length}`);
  }
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.deliveriesWhere(deps.db, where.join(' AND '), params, {
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return { items: await Promise.all(rows.map((d) => toDelivery(deps.files, deps.db, d))), total };
}

/**
 * Confirms or rejects a delivery. Confirming credits the project's reward_points (when it has them) to the
 * organisation's points account from the project's community's issuer, and confirms the claim; rejecting sends the
 * claim back to claimed (a new delivery may follow).
 * @throws PARTNER_DELIVERY_NOT_FOUND, FORBIDDEN, PARTNER_DELIVERY_REVIEWED, LEDGER_*
 */
export async function reviewDelivery(
  deps: PartnersDeps,
  ctx: Ctx,
  id: number,
  body: DeliveryReview,
): Promise<Delivery> {
  return deps.db.transaction(async (tx) => {
    const d = await repo.findDelivery(tx, id, true);
    if (!d) throw deliveryNotFound();
    assertCan(ctx.principal, 'volunteers.manage', d.project_path, {
      readPermission: 'volunteers.read',
      notFound: deliveryNotFound(),
    });
    if (d.status !== 'submitted') throw new AppError('PARTNER_DELIVERY_REVIEWED');
    await tx.query('SELECT id FROM partner_claims WHERE id = $1 FOR UPDATE', [d.claim_id]);
    const note = body.note || null;
    let transferId: number | null = null;
    const reward = d.reward_points === null ? 0 : Number(d.reward_points);
    if (body.decision === 'confirm') {
      if (reward > 0) {
        const community = await communityOfNode(tx, Number(d.project_node_id));
        if (!community) throw new AppError('LEDGER_NO_COMMUNITY', { params: { target: d.project_title } });
        const issuer = await issuerAccount(tx, community.id, 'points');
        const account = await organisationAccount(tx, Number(d.org_id), community.id, 'points');
        const t = await postTransfer(tx, {
          currency: 'points',
          kind: 'earn',
          amount: reward,
          fromAccountId: issuer.id,
          toAccountId: account.id,
          reason: `合伙人服务：${d.project_title}`.slice(0, 200),
          sourceType: 'partner_delivery',
          sourceId: id,
          idempotencyKey: `partner:delivery:${id}`,
          operatorId: ctx.principal.userId,
        });
        transferId = t.id;
      }
      await tx.query(
        `UPDATE partner_deliveries SET status = 'confirmed', reviewed_by = $2, reviewed_at = now(), review_note = $3,
           transfer_id = $4 WHERE id = $1`,
        [id, ctx.principal.userId, note, transferId],
      );
      await tx.query(`UPDATE partner_claims SET status = 'confirmed', updated_at = now() WHERE id = $1`, [d.claim_id]);
    } else {
      await tx.query(
        `UPDATE partner_deliveries SET status = 'rejected', reviewed_by = $2, reviewed_at = now(), review_note = $3
          WHERE id = $1`,
        [id, ctx.principal.userId, note],
      );
      await tx.query(
        `UPDATE partner_claims SET status = 'claimed', updated_at = now() WHERE id = $1 AND status = 'delivered'
           AND NOT EXISTS (SELECT 1 FROM partner_deliveries WHERE claim_id = $1 AND status = 'submitted')`,
        [d.claim_id],
      );
    }
    const [proj] = await tx.query<{ county_id: number }>('SELECT county_id FROM partner_projects WHERE id = $1', [
      d.project_id,
    ]);
    await recordAudit(tx, ctx, {
      action: `partner_delivery.${body.decision}`,
      targetType: 'partner_delivery',
      targetId: id,
      targetLabel: `${d.org_name} · ${d.project_title}`,
      scopePath: d.project_path,
      countyId: Number(proj!.county_id),
      before: { status: 'submitted' },
      after: {
        status: body.decision === 'confirm' ? 'confirmed' : 'rejected',
        note,
        rewardPoints: transferId ? reward : null,
        transferId,
      },
    });
    return toDelivery(deps.files, tx, (await repo.findDelivery(tx, id))!);
  });
}

/** The attachment kind 'partner_delivery': photos of a delivery, attached by a member as it is recorded. */
export function registerDeliveryAttachments(): void {
  registerAttachmentKind({
    kind: PARTNER_DELIVERY_FILE_KIND,
    maxFiles: 9,
    canRead: async (ctx, id, db) => {
      const d = await repo.findDelivery(db, id);
      if (!d) return false;
      return (
        can(ctx.principal, 'volunteers.read', d.project_path) ||
        (await repo.isMember(db, Number(d.org_id), ctx.principal.userId))
      );
    },
    canAttach: async (ctx, id, db) => {
      const d = await repo.findDelivery(db, id);
      return d !== undefined && (await repo.isMember(db, Number(d.org_id), ctx.principal.userId));
    },
  });
}
