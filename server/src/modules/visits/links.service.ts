import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit, requireReason } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { maskName } from '../../platform/pii/index.js';
import { findNodeById } from '../org/org.service.js';
import {
  checkDates,
  checkNodeType,
  checkTargetShape,
  communityIdOf,
  communityPathOf,
  linkerCommunities,
  shanghaiToday,
} from './links.logic.js';
import * as repo from './links.repo.js';
import type {
  GridLink,
  GridLinkCreate,
  GridLinkCreated,
  GridLinkEnd,
  GridLinkGapPage,
  GridLinkGapsQuery,
  GridLinkListQuery,
  GridLinkPage,
  GridLinkPatch,
  GridLinkTree,
  GridLinkTreeQuery,
  MyLinks,
} from './links.schemas.js';

/**
 * 一网三联: who is linked to what. Managers (visits.manage over the target) keep the links; readers (visits.read)
 * list them, see them as a tree and find the households nobody is linked to; a linked person (any role) lists
 * their own households through `GET /api/grid-links/mine`. A link's target lies in the linker's community.
 */

export type LinksDeps = { db: Db };

const linkNotFound = () => new AppError('GRID_LINK_NOT_FOUND');

/** The head's name as this reader may see it at this place: whole with people.sensitive there, else masked. */
function headFor(ctx: Ctx, name: string | null, path: string): string | null {
  if (name === null) return null;
  return can(ctx.principal, 'people.sensitive', path) ? name : maskName(name);
}

function toLink(ctx: Ctx, r: repo.LinkRow): GridLink {
  let targetLabel = r.node_name ?? '';
  if (r.kind === 'party_household') {
    const head = headFor(ctx, r.head_name, r.node_path);
    targetLabel = [r.place_label, head ? `${head}户` : null].filter((s) => s).join(' ');
  }
  return {
    id: r.id,
    kind: r.kind,
    communityId: r.community_id,
    communityName: r.community_name,
    userId: r.user_id,
    userName: r.user_name,
    residentId: r.resident_id,
    nodeId: r.node_id,
    householdId: r.household_id,
    targetLabel,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    active: r.active,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    endedAt: r.ended_at ? r.ended_at.toISOString() : null,
  };
}

/** A node the caller reads visits under (else ORG_NODE_NOT_FOUND naming the field). */
async function readableNode(q: Queryable, ctx: Ctx, nodeId: number, field = 'nodeId') {
  const node = await findNodeById(q, nodeId);
  if (!node || !can(ctx.principal, 'visits.read', node.path)) throw new AppError('ORG_NODE_NOT_FOUND', { field });
  return node;
}

/** The links in the caller's visits.read area, filtered; in force today unless `activeOnly` is false. */
export async function listLinks(deps: LinksDeps, ctx: Ctx, query: GridLinkListQuery): Promise<GridLinkPage> {
  assertPermission(ctx.principal, 'visits.read');
  const scope = scopeSql(scopeFor(ctx.principal, 'visits.read'), 'l.node_path');
  const under = query.nodeId !== undefined ? (await readableNode(deps.db, ctx, query.nodeId)).path : undefined;
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listLinks(
    deps.db,
    {
      scope,
      day: shanghaiToday(),
      underPath: under,
      kind: query.kind,
      userId: query.userId,
      householdId: query.householdId,
      activeOnly: query.activeOnly ?? true,
    },
    pageSize,
    (page - 1) * pageSize,
  );
  return { items: rows.map((r) => toLink(ctx, r)), total };
}

type Target = { nodeId: number | null; householdId: number | null; path: string; countyId: number; label: string };

/**
 * Links a person to a group, a building or a batch of households (one link each), all or nothing.
 * @throws GRID_LINK_TARGET_INVALID, ORG_NODE_NOT_FOUND, HOUSEHOLD_NOT_FOUND, USER_NOT_FOUND, RESIDENT_NOT_FOUND,
 *   GRID_LINK_OUTSIDE_COMMUNITY, GRID_LINK_DATES_INVALID, GRID_LINK_EXISTS, FORBIDDEN, OUT_OF_SCOPE
 */
export async function createLinks(deps: LinksDeps, ctx: Ctx, body: GridLinkCreate): Promise<GridLinkCreated> {
  assertPermission(ctx.principal, 'visits.manage');
  // A null validTo or note may arrive as '' (validation coerces null to text): both mean none.
  body = { ...body, validTo: body.validTo || null, note: body.note || undefined };
  checkTargetShape(body.kind, body, ctx.locale);
  const ids = await deps.db.transaction(async (tx) => {
    const targets = await resolveTargets(tx, ctx, body);
    // The linker: an account the manager can see in their area (a post or their resident record there).
    const linker = await repo.findLinker(tx, body.userId);
    const extraResident = body.residentId !== undefined ? await repo.findResidentPath(tx, body.residentId) : null;
    if (body.residentId !== undefined && extraResident === null)
      throw new AppError('RESIDENT_NOT_FOUND', { field: 'residentId' });
    const linkerPaths = linker ? [...linker.post_paths, linker.resident_path, extraResident] : [];
    const visible = linkerPaths.some((p) => p !== null && can(ctx.principal, 'visits.read', p));
    if (!linker || linker.disabled || !visible) throw new AppError('USER_NOT_FOUND', { field: 'userId' });
    if (body.residentId !== undefined && !can(ctx.principal, 'visits.read', extraResident))
      throw new AppError('RESIDENT_NOT_FOUND', { field: 'residentId' });
    const communities = linkerCommunities(linker.post_paths, [linker.resident_path, extraResident]);
    const field = body.kind === 'party_household' ? 'householdIds' : 'nodeId';
    for (const t of targets) {
      const c = communityPathOf(t.path);
      if (c === null || !communities.includes(c))
        throw new AppError('GRID_LINK_OUTSIDE_COMMUNITY', { field, params: { target: t.label } });
    }
    checkDates(body.validFrom, body.validTo);
    const existing = await repo.existingLinks(
      tx,
      body.kind,
      body.userId,
      targets[0]!.nodeId,
      targets.flatMap((t) => (t.householdId === null ? [] : [t.householdId])),
    );
    if (existing.length > 0) throw new AppError('GRID_LINK_EXISTS', { field });

    const created: number[] = [];
    for (const t of targets) {
      const id = await repo
        .insertLink(tx, {
          countyId: t.countyId,
          communityId: communityIdOf(t.path)!,
          kind: body.kind,
          userId: body.userId,
          residentId: body.residentId ?? linker.resident_id,
          nodeId: t.nodeId,
          householdId: t.householdId,
          nodePath: t.path,
          validFrom: body.validFrom,
          validTo: body.validTo ?? null,
          note: body.note ?? null,
          createdBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
        })
        .catch((err: { code?: string }) => {
          // Two managers adding the same link at once: the partial unique index decides.
          if (err.code === '23505') throw new AppError('GRID_LINK_EXISTS', { field });
          throw err;
        });
      created.push(id);
      await recordAudit(tx, ctx, {
        action: 'grid_link.create',
        targetType: 'grid_link',
        targetId: id,
        targetLabel: `${linker.display_name} → ${t.label}`,
        scopePath: t.path,
        countyId: t.countyId,
        after: {
          kind: body.kind,
          userId: body.userId,
          nodeId: t.nodeId,
          householdId: t.householdId,
          validFrom: body.validFrom,
          validTo: body.validTo ?? null,
          note: body.note ?? null,
        },
      });
    }
    return created;
  });
  const rows = await repo.findLinksByIds(deps.db, ids, shanghaiToday());
  return { items: rows.map((r) => toLink(ctx, r)) };
}

/** The link's targets, each in the caller's visits.manage area (unreadable: not found; readable only: 403). */
async function resolveTargets(q: Queryable, ctx: Ctx, body: GridLinkCreate): Promise<Target[]> {
  if (body.kind === 'party_household') {
    const ids = body.householdIds!;
    const rows = await repo.findHouseholds(q, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const targets: Target[] = [];
    for (const id of ids) {
      const h = byId.get(id);
      const notFound = new AppError('HOUSEHOLD_NOT_FOUND', { field: 'householdIds' });
      if (!h) throw notFound;
      assertCan(ctx.principal, 'visits.manage', h.node_path, { readPermission: 'visits.read', notFound });
      const head = headFor(ctx, h.head_name, h.node_path);
      targets.push({
        nodeId: null,
        householdId: h.id,
        path: h.node_path,
        countyId: h.county_id,
        label: [h.place_label, head ? `${head}户` : null].filter((s) => s).join(' '),
      });
    }
    return targets;
  }
  const node = await findNodeById(q, body.nodeId!);
  const notFound = new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  if (!node || node.status !== 'active') throw notFound;
  assertCan(ctx.principal, 'visits.manage', node.path, { readPermission: 'visits.read', notFound });
  checkNodeType(body.kind, node.type, ctx.locale);
  return [{ nodeId: node.id, householdId: null, path: node.path, countyId: node.county_id, label: node.name }];
}

/** A link the caller may change: unreadable is GRID_LINK_NOT_FOUND, readable only is 403, ended is GRID_LINK_ENDED. */
async function changeableLink(q: Queryable, ctx: Ctx, id: number, day: string): Promise<repo.LinkRow> {
  const link = await repo.findLink(q, id, day, true);
  if (!link || !can(ctx.principal, 'visits.read', link.node_path)) throw linkNotFound();
  assertCan(ctx.principal, 'visits.manage', link.node_path, {
    readPermission: 'visits.read',
    notFound: linkNotFound(),
  });
  if (link.ended_at !== null) throw new AppError('GRID_LINK_ENDED');
  return link;
}

/**
 * Changes a link's end of validity or note.
 * @throws GRID_LINK_NOT_FOUND, GRID_LINK_ENDED, GRID_LINK_DATES_INVALID, FORBIDDEN, OUT_OF_SCOPE
 */
export async function updateLink(deps: LinksDeps, ctx: Ctx, id: number, body: GridLinkPatch): Promise<GridLink> {
  const day = shanghaiToday();
  // A cleared field may arrive as '' (the body's null coerced to text by validation): both mean none.
  body = {
    ...(body.validTo !== undefined ? { validTo: body.validTo || null } : {}),
    ...(body.note !== undefined ? { note: body.note || null } : {}),
  };
  await deps.db.transaction(async (tx) => {
    const link = await changeableLink(tx, ctx, id, day);
    if (body.validTo !== undefined) checkDates(link.valid_from, body.validTo);
    const before = { validTo: link.valid_to, note: link.note };
    const after = {
      validTo: body.validTo !== undefined ? body.validTo : link.valid_to,
      note: body.note !== undefined ? body.note : link.note,
    };
    await repo.updateLink(tx, id, { validTo: body.validTo, note: body.note });
    await recordAudit(tx, ctx, {
      action: 'grid_link.update',
      targetType: 'grid_link',
      targetId: id,
      targetLabel: `${link.user_name} → ${toLink(ctx, link).targetLabel}`,
      scopePath: link.node_path,
      countyId: link.county_id,
      before,
      after,
    });
  });
  return toLink(ctx, (await repo.findLink(deps.db, id, day))!);
}

/**
 * Ends a link (kept for the history) with a reason.
 * @throws GRID_LINK_NOT_FOUND, GRID_LINK_ENDED, REASON_REQUIRED, FORBIDDEN, OUT_OF_SCOPE
 */
export async function endLink(deps: LinksDeps, ctx: Ctx, id: number, body: GridLinkEnd): Promise<GridLink> {
  const day = shanghaiToday();
  await deps.db.transaction(async (tx) => {
    const link = await changeableLink(tx, ctx, id, day);
    const reason = requireReason(body.reason);
    await repo.endLink(tx, id, ctx.principal.userId > 0 ? ctx.principal.userId : null);
    await recordAudit(tx, ctx, {
      action: 'grid_link.end',
      targetType: 'grid_link',
      targetId: id,
      targetLabel: `${link.user_name} → ${toLink(ctx, link).targetLabel}`,
      scopePath: link.node_path,
      countyId: link.county_id,
      diff: null,
      reason,
    });
  });
  return toLink(ctx, (await repo.findLink(deps.db, id, day))!);
}

/** The node a view is about: the one asked for, else the caller's first visits.read post, else the first county. */
async function viewNode(q: Queryable, ctx: Ctx, nodeId: number | undefined) {
  if (nodeId !== undefined) return readableNode(q, ctx, nodeId);
  for (const g of ctx.principal.grants) {
    if (g.nodeId === null || !can(ctx.principal, 'visits.read', g.path)) continue;
    const node = await findNodeById(q, g.nodeId);
    if (node) return node;
  }
  if (can(ctx.principal, 'visits.read', null)) {
    const rows = await q.query<{ id: number }>(
      "SELECT id::int AS id FROM org_nodes WHERE type = 'county' AND status = 'active' ORDER BY id LIMIT 1",
    );
    const node = rows[0] ? await findNodeById(q, rows[0].id) : undefined;
    if (node) return node;
  }
  throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
}

/** Who is linked to what under a node (links in force today), linkers with their links and households reached. */
export async function linkTree(deps: LinksDeps, ctx: Ctx, query: GridLinkTreeQuery): Promise<GridLinkTree> {
  assertPermission(ctx.principal, 'visits.read');
  const node = await viewNode(deps.db, ctx, query.nodeId);
  const scope = scopeSql(scopeFor(ctx.principal, 'visits.read'), 'l.node_path');
  const day = shanghaiToday();
  const rows = await repo.activeLinksUnder(deps.db, scope, node.path, day);
  const counts = await repo.householdsPerLinker(deps.db, scope, node.path, day);
  const linkers = new Map<number, GridLinkTree['linkers'][number]>();
  for (const r of rows) {
    let l = linkers.get(r.user_id);
    if (!l) {
      l = { userId: r.user_id, userName: r.user_name, kinds: [], links: [], households: counts.get(r.user_id) ?? 0 };
      linkers.set(r.user_id, l);
    }
    if (!l.kinds.includes(r.kind)) l.kinds.push(r.kind);
    l.links.push(toLink(ctx, r));
  }
  return { nodeId: node.id, linkers: [...linkers.values()] };
}

/** Households of the caller's area (under a node) that nobody is linked to. */
export async function listGaps(deps: LinksDeps, ctx: Ctx, query: GridLinkGapsQuery): Promise<GridLinkGapPage> {
  assertPermission(ctx.principal, 'visits.read');
  const scope = scopeSql(scopeFor(ctx.principal, 'visits.read'), 'h.node_path');
  const under = query.nodeId !== undefined ? (await readableNode(deps.db, ctx, query.nodeId)).path : null;
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listGaps(
    deps.db,
    scope,
    under,
    shanghaiToday(),
    pageSize,
    (page - 1) * pageSize,
    query.withoutParty ?? false,
  );
  return {
    items: rows.map((h) => ({
      householdId: h.id,
      headName: headFor(ctx, h.head_name, h.node_path),
      placeLabel: h.place_label,
      members: h.members,
    })),
    total,
  };
}

/** At most this many households are listed for one building or group link. */
const MINE_PER_LINK = 500;

/**
 * The caller's own links in force today, each with the households it reaches: the head's name masked (whole only
 * with people.sensitive there), the place, members, the last visit. No ID numbers. Any signed-in account.
 */
export async function myLinks(deps: LinksDeps, ctx: Ctx): Promise<MyLinks> {
  const day = shanghaiToday();
  const { rows } = await repo.listLinks(
    deps.db,
    { scope: 'TRUE', day, userId: ctx.principal.userId, activeOnly: true },
    200,
    0,
  );
  const items: MyLinks['items'] = [];
  for (const r of rows) {
    const households = await repo.householdsOfLink(deps.db, r, MINE_PER_LINK);
    items.push({
      link: toLink(ctx, r),
      households: households.map((h) => ({
        householdId: h.id,
        headName: headFor(ctx, h.head_name, h.node_path),
        placeLabel: h.place_label,
        members: h.members,
        lastVisitedAt: h.last_visited_at ? new Date(h.last_visited_at).toISOString() : null,
      })),
    });
  }
  return { items };
}
