/**
 * The community's project catalogue (需求清单): workers holding volunteers.manage over a node within a community
 * publish projects, edit and close them; the area's projects with their claims and deliveries are read with
 * volunteers.read. A project one may not read is 404.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { findNodeById } from '../org/org.service.js';
import { communityOfNode } from '../points/ledger.repo.js';
import * as repo from './partners.repo.js';
import type {
  ProjectCreate,
  ProjectDetail,
  ProjectListQuery,
  ProjectPatch,
  Project as ProjectView,
} from './partners.schemas.js';
import { type PartnersDeps, toClaims, toProject } from './partners.view.js';

const notFound = () => new AppError('PARTNER_PROJECT_NOT_FOUND');

/**
 * Publishes a project at a node within a community.
 * @throws FORBIDDEN, ORG_NODE_NOT_FOUND, OUT_OF_SCOPE, PARTNER_PROJECT_NODE_INVALID
 */
export async function createProject(deps: PartnersDeps, ctx: Ctx, body: ProjectCreate): Promise<ProjectView> {
  const p = ctx.principal;
  assertPermission(p, 'volunteers.manage');
  return deps.db.transaction(async (tx) => {
    const node = await findNodeById(tx, body.nodeId);
    if (!node || node.status !== 'active' || !can(p, 'volunteers.read', node.path)) {
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    }
    assertCan(p, 'volunteers.manage', node.path);
    if (!(await communityOfNode(tx, Number(node.id)))) {
      throw new AppError('PARTNER_PROJECT_NODE_INVALID', { field: 'nodeId' });
    }
    const [r] = await tx.query<{ id: number }>(
      `INSERT INTO partner_projects (county_id, node_id, node_path, title, description, category, max_claims,
         reward_points, closes_on, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        node.county_id,
        node.id,
        node.path,
        body.title,
        body.description || null,
        body.category,
        body.maxClaims ?? 1,
        body.rewardPoints ?? null,
        body.closesOn ?? null,
        p.userId,
      ],
    );
    const id = Number(r!.id);
    const row = (await repo.findProject(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'partner_project.create',
      targetType: 'partner_project',
      targetId: id,
      targetLabel: body.title,
      scopePath: node.path,
      countyId: Number(node.county_id),
      after: {
        title: body.title,
        category: body.category,
        nodeId: Number(node.id),
        maxClaims: row.max_claims,
        rewardPoints: row.reward_points,
      },
    });
    return toProject(row);
  });
}

/** Projects of the caller's volunteers.read area, open first. @throws FORBIDDEN, ORG_NODE_NOT_FOUND */
export async function listProjects(deps: PartnersDeps, ctx: Ctx, query: ProjectListQuery) {
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
  const { rows, total } = await repo.listProjects(deps.db, {
    scope: scopeSql(scopeFor(ctx.principal, 'volunteers.read'), 'p.node_path'),
    ...(nodePath !== undefined ? { nodePath } : {}),
    ...(query.status !== undefined ? { status: query.status } : {}),
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return { items: rows.map(toProject), total };
}

async function detail(deps: PartnersDeps, q: Queryable, row: repo.ProjectRow): Promise<ProjectDetail> {
  const claims = await repo.claimsWhere(q, 'c.project_id = $1', [row.id]);
  return { ...toProject(row), claims: await toClaims(deps.files, q, claims) };
}

/** One project with its claims and their deliveries. @throws PARTNER_PROJECT_NOT_FOUND */
export async function getProject(deps: PartnersDeps, ctx: Ctx, id: number): Promise<ProjectDetail> {
  const row = await repo.findProject(deps.db, id);
  if (!row || !can(ctx.principal, 'volunteers.read', row.node_path)) throw notFound();
  return detail(deps, deps.db, row);
}

async function managed(tx: Queryable, ctx: Ctx, id: number): Promise<repo.ProjectRow> {
  const row = await repo.findProject(tx, id, true);
  if (!row) throw notFound();
  assertCan(ctx.principal, 'volunteers.manage', row.node_path, {
    readPermission: 'volunteers.read',
    notFound: notFound(),
  });
  return row;
}

/** Edits a project. @throws PARTNER_PROJECT_NOT_FOUND, FORBIDDEN */
export async function patchProject(deps: PartnersDeps, ctx: Ctx, id: number, body: ProjectPatch) {
  return deps.db.transaction(async (tx) => {
    const before = await managed(tx, ctx, id);
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (col: string, v: unknown) => {
      params.push(v);
      sets.push(`${col} = $${params.length}`);
    };
    if (body.title !== undefined) set('title', body.title);
    if (body.description !== undefined) set('description', body.description || null);
    if (body.category !== undefined) set('category', body.category);
    if (body.maxClaims !== undefined) set('max_claims', body.maxClaims);
    if (body.rewardPoints !== undefined) set('reward_points', body.rewardPoints);
    if (body.closesOn !== undefined) set('closes_on', body.closesOn);
    if (sets.length > 0) {
      await tx.query(`UPDATE partner_projects SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
    }
    const after = (await repo.findProject(tx, id))!;
    const view = (r: repo.ProjectRow) => ({
      title: r.title,
      description: r.description,
      category: r.category,
      maxClaims: Number(r.max_claims),
      rewardPoints: r.reward_points === null ? null : Number(r.reward_points),
      closesOn: r.closes_on,
    });
    await recordAudit(tx, ctx, {
      action: 'partner_project.update',
      targetType: 'partner_project',
      targetId: id,
      targetLabel: after.title,
      scopePath: after.node_path,
      countyId: Number(after.county_id),
      before: view(before),
      after: view(after),
    });
    return detail(deps, tx, after);
  });
}

/** Closes a project to new claims (claims under way carry on). @throws PARTNER_PROJECT_NOT_FOUND, FORBIDDEN */
export async function closeProject(deps: PartnersDeps, ctx: Ctx, id: number) {
  return deps.db.transaction(async (tx) => {
    const before = await managed(tx, ctx, id);
    if (before.status !== 'closed') {
      await tx.query(`UPDATE partner_projects SET status = 'closed', updated_at = now() WHERE id = $1`, [id]);
      await recordAudit(tx, ctx, {
        action: 'partner_project.close',
        targetType: 'partner_project',
        targetId: id,
        targetLabel: before.title,
        scopePath: before.node_path,
        countyId: Number(before.county_id),
        before: { status: 'open' },
        after: { status: 'closed' },
      });
    }
    return detail(deps, tx, (await repo.findProject(tx, id))!);
  });
}
