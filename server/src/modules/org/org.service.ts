import type { Ctx } from '../../platform/access/context.js';
import type { Permission } from '../../platform/access/roles.js';
import { assertCan, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import {
  assertChildType,
  assertCode,
  childPath,
  idsOfPath,
  isCycle,
  normalizeBoundary,
  parentPathOf,
} from './org.logic.js';
import * as repo from './org.repo.js';
import type {
  CreateNodeBody,
  MoveNodeBody,
  OrgNode,
  OrgNodeDetail,
  OrgSearchHit,
  UpdateNodeBody,
} from './org.schemas.js';

/**
 * A check another module adds to refuse retiring a node that still holds its data or open work
 * (people, houses, cases …). It returns an error to throw, or null.
 */
export type RetireGuard = (q: Queryable, node: { id: number; path: string }) => Promise<AppError | null>;
const retireGuards: RetireGuard[] = [];

export function addRetireGuard(guard: RetireGuard): void {
  retireGuards.push(guard);
}

/**
 * Modules that copy a node's path onto their rows (for fast scoped queries) rewrite those copies when a
 * subtree moves, in the same transaction.
 */
export type SubtreeMoveHook = (
  q: Queryable,
  move: { oldPath: string; newPath: string; countyId: number },
) => Promise<void>;
const moveHooks: SubtreeMoveHook[] = [];

export function addSubtreeMoveHook(hook: SubtreeMoveHook): void {
  moveHooks.push(hook);
}

function toNode(r: repo.NodeRow): OrgNode {
  return {
    id: r.id,
    parentId: r.parent_id,
    type: r.type,
    name: r.name,
    code: r.code,
    status: r.status,
    childCount: r.child_count,
    depth: r.depth,
    countyId: r.county_id,
    hasBoundary: r.boundary !== null,
  };
}

async function toDetail(q: Queryable, r: repo.NodeRow): Promise<OrgNodeDetail> {
  const ancestorIds = idsOfPath(r.path).slice(0, -1);
  const ancestors = await repo.findNodesByIds(q, ancestorIds);
  return {
    ...toNode(r),
    boundary: r.boundary,
    ancestors: ancestors.map((a) => ({ id: a.id, name: a.name, type: a.type })),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

function auditShape(r: Pick<repo.NodeRow, 'name' | 'code' | 'type' | 'parent_id' | 'status' | 'boundary'>) {
  return { name: r.name, code: r.code, type: r.type, parentId: r.parent_id, status: r.status, boundary: r.boundary };
}

/** Reads a node the caller may see; anything else is "not found", so existence does not leak. */
async function readableNode(q: Queryable, ctx: Ctx, id: number): Promise<repo.NodeRow> {
  const node = await repo.findNode(q, id);
  if (!node || !can(ctx.principal, 'org.read', node.path)) throw new AppError('ORG_NODE_NOT_FOUND');
  return node;
}

/**
 * Nodes may be changed by whoever holds org.write over the node's parent: a post's own node (a
 * community worker's community) is managed from above, its descendants from the post.
 */
function assertWritable(ctx: Ctx, node: repo.NodeRow): void {
  // Callers have already answered "not found" for a node the caller cannot read; this one is visible, so 403.
  assertCan(ctx.principal, 'org.write', parentPathOf(node.path));
}

/** The top of the caller's visible tree: counties for a system admin, the post nodes otherwise. */
export async function listRoots(db: Db, ctx: Ctx): Promise<OrgNode[]> {
  const scope = scopeFor(ctx.principal, 'org.read');
  if (scope.all) return (await repo.listTopNodes(db)).map(toNode);
  const ids = scope.paths.map((p) => idsOfPath(p).at(-1)!);
  return (await repo.findNodesByIds(db, ids)).filter((n) => n.status === 'active').map(toNode);
}

/** @throws ORG_NODE_NOT_FOUND when the parent is unknown or outside the caller's scope */
export async function listChildren(db: Db, ctx: Ctx, parentId: number, includeRetired: boolean): Promise<OrgNode[]> {
  await readableNode(db, ctx, parentId);
  return (await repo.listChildren(db, parentId, includeRetired)).map(toNode);
}

/** @throws ORG_NODE_NOT_FOUND */
export async function getNode(db: Db, ctx: Ctx, id: number): Promise<OrgNodeDetail> {
  return toDetail(db, await readableNode(db, ctx, id));
}

export async function searchNodes(db: Db, ctx: Ctx, text: string, type?: OrgNode['type']): Promise<OrgSearchHit[]> {
  const cond = scopeSql(scopeFor(ctx.principal, 'org.read'), 'n.path');
  return (await repo.searchNodes(db, cond, text.trim(), type, 50)).map((r) => ({
    ...toNode(r),
    parentNames: r.parent_names,
  }));
}

/** Looks a node up for another module's service (scope is that module's business). */
export async function findNodeById(q: Queryable, id: number): Promise<repo.NodeRow | undefined> {
  return repo.findNode(q, id);
}

/**
 * The path of a node the caller holds `permission` over, to narrow another module's list to it; a node outside
 * that scope (or none) is not found.
 * @throws ORG_NODE_NOT_FOUND (field `nodeId`)
 */
export async function nodePathInScope(q: Queryable, ctx: Ctx, permission: Permission, id: number): Promise<string> {
  const node = await repo.findNode(q, id);
  if (!node || !can(ctx.principal, permission, node.path))
    throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  return node.path;
}

function translateUniqueViolation(err: unknown, input: { code?: string | null; name?: string }, field?: string): never {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505') {
    const which = e.constraint ?? e.message ?? '';
    if (which.includes('code'))
      throw new AppError('ORG_CODE_DUPLICATE', { field: field ?? 'code', params: { code: input.code ?? '' } });
    if (which.includes('sibling_name'))
      throw new AppError('ORG_NAME_DUPLICATE', { field: field ?? 'name', params: { name: input.name ?? '' } });
  }
  throw err;
}

/**
 * Creates a node under a parent the caller manages (or a county, for a system administrator).
 * @throws ORG_PARENT_NOT_FOUND, ORG_CHILD_TYPE_INVALID, ORG_ROOT_TYPE_INVALID, ORG_CODE_INVALID,
 *   ORG_CODE_DUPLICATE, ORG_NAME_DUPLICATE, ORG_BOUNDARY_INVALID, ORG_NODE_RETIRED, FORBIDDEN, OUT_OF_SCOPE
 */
export async function createNode(db: Db, ctx: Ctx, body: CreateNodeBody): Promise<OrgNodeDetail> {
  try {
    const { id } = await db.transaction((tx) => createNodeIn(tx, ctx, body));
    return getNode(db, ctx, id);
  } catch (err) {
    translateUniqueViolation(err, { code: body.code ?? null, name: body.name.trim() });
  }
}

/** createNode inside the caller's transaction (bulk loads such as the demo region use it). */
export async function createNodeIn(
  tx: Queryable,
  ctx: Ctx,
  body: CreateNodeBody,
): Promise<{ id: number; path: string }> {
  const name = body.name.trim();
  const code = body.code?.trim() || null;
  const boundary = normalizeBoundary(body.boundary);
  let parent: repo.NodeRow | undefined;
  if (body.parentId !== null) {
    parent = await repo.findNodeForUpdate(tx, body.parentId);
    if (!parent || !can(ctx.principal, 'org.read', parent.path))
      throw new AppError('ORG_PARENT_NOT_FOUND', { field: 'parentId' });
    if (parent.status === 'retired') throw new AppError('ORG_NODE_RETIRED', { field: 'parentId' });
  }
  assertCan(ctx.principal, 'org.write', parent?.path ?? null);
  assertChildType(parent?.type ?? null, body.type);
  assertCode(body.type, code);
  const id = await repo.nextNodeId(tx);
  const path = childPath(parent?.path ?? null, id);
  const countyId = parent?.county_id ?? id;
  await repo.insertNode(tx, {
    id,
    parentId: parent?.id ?? null,
    countyId,
    type: body.type,
    name,
    code,
    path,
    depth: (parent?.depth ?? -1) + 1,
    boundary,
  });
  await recordAudit(tx, ctx, {
    action: 'org.create',
    targetType: 'org_node',
    targetId: id,
    targetLabel: name,
    scopePath: path,
    countyId,
    before: null,
    after: auditShape({ name, code, type: body.type, parent_id: parent?.id ?? null, status: 'active', boundary }),
  });
  return { id, path };
}

/** @throws ORG_NODE_NOT_FOUND, ORG_CODE_INVALID, ORG_CODE_DUPLICATE, ORG_NAME_DUPLICATE, ORG_BOUNDARY_INVALID */
export async function updateNode(db: Db, ctx: Ctx, id: number, body: UpdateNodeBody): Promise<OrgNodeDetail> {
  const name = body.name?.trim();
  const code = body.code === undefined ? undefined : body.code?.trim() || null;
  try {
    await db.transaction(async (tx) => {
      const node = await repo.findNodeForUpdate(tx, id);
      if (!node || !can(ctx.principal, 'org.read', node.path)) throw new AppError('ORG_NODE_NOT_FOUND');
      assertWritable(ctx, node);
      if (node.status === 'retired') throw new AppError('ORG_NODE_RETIRED');
      const next = {
        name: name ?? node.name,
        code: code === undefined ? node.code : code,
        boundary: body.boundary === undefined ? node.boundary : normalizeBoundary(body.boundary),
      };
      assertCode(node.type, next.code);
      await repo.updateNode(tx, id, next);
      await recordAudit(tx, ctx, {
        action: 'org.update',
        targetType: 'org_node',
        targetId: id,
        targetLabel: next.name,
        scopePath: node.path,
        countyId: node.county_id,
        before: auditShape(node),
        after: auditShape({ ...node, ...next }),
      });
    });
  } catch (err) {
    translateUniqueViolation(err, { code: code ?? null, name: name ?? '' });
  }
  return getNode(db, ctx, id);
}

/**
 * Moves a node with its whole subtree under a new parent the caller also manages.
 * @throws ORG_NODE_NOT_FOUND, ORG_PARENT_NOT_FOUND, ORG_MOVE_CYCLE, ORG_CHILD_TYPE_INVALID, ORG_NAME_DUPLICATE
 */
export async function moveNode(db: Db, ctx: Ctx, id: number, body: MoveNodeBody): Promise<OrgNodeDetail> {
  const moving: { code: string | null; name: string } = { code: null, name: '' };
  try {
    await db.transaction(async (tx) => {
      const node = await repo.findNodeForUpdate(tx, id);
      if (!node || !can(ctx.principal, 'org.read', node.path)) throw new AppError('ORG_NODE_NOT_FOUND');
      assertWritable(ctx, node);
      if (node.status === 'retired') throw new AppError('ORG_NODE_RETIRED');
      moving.code = node.code;
      moving.name = node.name;
      const parent = await repo.findNodeForUpdate(tx, body.parentId);
      if (!parent || !can(ctx.principal, 'org.read', parent.path))
        throw new AppError('ORG_PARENT_NOT_FOUND', { field: 'parentId' });
      if (isCycle(node.path, parent.path)) throw new AppError('ORG_MOVE_CYCLE', { field: 'parentId' });
      assertCan(ctx.principal, 'org.write', parent.path);
      if (parent.status === 'retired') throw new AppError('ORG_NODE_RETIRED', { field: 'parentId' });
      assertChildType(parent.type, node.type);
      if (parent.id === node.parent_id) return;
      const newPath = childPath(parent.path, node.id);
      const moved = await repo.moveSubtree(tx, {
        id: node.id,
        oldPath: node.path,
        newPath,
        newParentId: parent.id,
        depthDelta: parent.depth + 1 - node.depth,
        countyId: parent.county_id,
      });
      for (const hook of moveHooks) await hook(tx, { oldPath: node.path, newPath, countyId: parent.county_id });
      await recordAudit(tx, ctx, {
        action: 'org.move',
        targetType: 'org_node',
        targetId: node.id,
        targetLabel: node.name,
        scopePath: newPath,
        countyId: parent.county_id,
        diff: { parentId: [node.parent_id, parent.id], subtreeSize: [moved, moved] },
      });
    });
  } catch (err) {
    translateUniqueViolation(err, moving, 'parentId');
  }
  return getNode(db, ctx, id);
}

/**
 * Retires a node that no longer holds anything: no active children, no posts or accounts under it,
 * and nothing another module guards (its people, houses, open cases …).
 * @throws ORG_NODE_NOT_FOUND, ORG_NODE_HAS_CHILDREN, ORG_NODE_HAS_PEOPLE, ORG_NODE_RETIRED
 */
export async function retireNode(db: Db, ctx: Ctx, id: number): Promise<OrgNodeDetail> {
  await db.transaction(async (tx) => {
    const node = await repo.findNodeForUpdate(tx, id);
    if (!node || !can(ctx.principal, 'org.read', node.path)) throw new AppError('ORG_NODE_NOT_FOUND');
    assertWritable(ctx, node);
    if (node.status === 'retired') throw new AppError('ORG_NODE_RETIRED');
    const children = await repo.countActiveChildren(tx, id);
    if (children > 0) throw new AppError('ORG_NODE_HAS_CHILDREN', { params: { count: children } });
    const people = await repo.countPeopleUnder(tx, node.path);
    if (people > 0) throw new AppError('ORG_NODE_HAS_PEOPLE', { params: { count: people } });
    for (const guard of retireGuards) {
      const err = await guard(tx, node);
      if (err) throw err;
    }
    await repo.retireNode(tx, id);
    await recordAudit(tx, ctx, {
      action: 'org.retire',
      targetType: 'org_node',
      targetId: id,
      targetLabel: node.name,
      scopePath: node.path,
      countyId: node.county_id,
      diff: { status: ['active', 'retired'] },
    });
  });
  return getNode(db, ctx, id);
}

/**
 * Every active node of some counties (all counties for null) in one read, for another module that resolves
 * many places by name at once (the people import). Scope is the caller's business.
 */
export async function listActiveNodes(q: Queryable, countyIds: number[] | null): Promise<repo.NodeBrief[]> {
  return repo.listActiveNodesOfCounties(q, countyIds);
}
