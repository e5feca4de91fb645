/**
 * The patrol log (巡查): a worker starts a patrol of their grid (one at a time), records what they find on the way
 * (a finding may become a case, source patrol, through the cases service), and ends it with a note and the track
 * the phone sampled. Starts and findings are idempotent by the phone's clientId, so a retry never doubles them.
 * Read: the worker always, and whoever holds visits.read over the patrolled grid; a record one may not read is 404.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertPermission, can, hasPermission, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable, Tx } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { type FilesService, registerAttachmentKind } from '../../platform/files/files.service.js';
import { type CasesDeps, reportCase } from '../cases/cases.service.js';
import { findNodeById } from '../org/org.service.js';
import {
  normaliseTrack,
  PATROL_FUTURE_SKEW_MS,
  patrolMinutes,
  type TrackPoint,
  trackDistanceM,
} from './patrols.logic.js';
import * as repo from './patrols.repo.js';
import type {
  CurrentPatrol,
  Finding,
  FindingCaseCreate,
  FindingInput,
  PatrolDetail,
  PatrolEnd,
  PatrolListItem,
  PatrolListQuery,
  PatrolPage,
  PatrolStart,
} from './patrols.schemas.js';

export type PatrolsDeps = CasesDeps & { files: FilesService };

/** The attachment kind of a finding's photos (at most 9, like a case event's). */
export const PATROL_FINDING_FILE_KIND = 'patrol_finding';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const notFound = () => new AppError('PATROL_NOT_FOUND');

/** Who may read a patrol: its worker, and visits.read over its grid. */
function mayRead(ctx: Ctx, p: { worker_id: number; node_path: string }): boolean {
  return Number(p.worker_id) === ctx.principal.userId || can(ctx.principal, 'visits.read', p.node_path);
}

/** A time the phone sent: not in the future (beyond the skew), else now. */
function when(value: string | undefined, field: string, now: Date): Date {
  if (value === undefined) return now;
  const d = new Date(value);
  if (d.getTime() > now.getTime() + PATROL_FUTURE_SKEW_MS) throw new AppError('PATROL_IN_FUTURE', { field });
  return d;
}

function toListItem(r: repo.PatrolRow): PatrolListItem {
  return {
    id: Number(r.id),
    nodeId: Number(r.node_id),
    placeLabel: r.place_label,
    workerId: Number(r.worker_id),
    workerName: r.worker_name,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    endedAt: iso(r.ended_at),
    minutes: patrolMinutes(r.started_at, r.ended_at),
    distanceM: r.distance_m === null ? null : Number(r.distance_m),
    findings: Number(r.findings),
    cases: Number(r.cases),
  };
}

async function toFinding(deps: Pick<PatrolsDeps, 'files'>, q: Queryable, f: repo.FindingRow): Promise<Finding> {
  const files = await deps.files.listAttached(q, PATROL_FINDING_FILE_KIND, Number(f.id));
  return {
    id: Number(f.id),
    patrolId: Number(f.patrol_id),
    description: f.description,
    nodeId: Number(f.node_id),
    placeLabel: f.place_label,
    houseId: f.house_id === null ? null : Number(f.house_id),
    lat: f.lat,
    lng: f.lng,
    foundAt: f.found_at.toISOString(),
    caseId: f.case_id === null ? null : Number(f.case_id),
    caseNo: f.case_no,
    files: files.map((x) => ({ id: x.id, name: x.name, mime: x.mime })),
  };
}

async function toDetail(deps: Pick<PatrolsDeps, 'files'>, q: Queryable, ctx: Ctx, r: repo.PatrolRow) {
  const findings = await repo.listFindings(q, Number(r.id));
  const mine = Number(r.worker_id) === ctx.principal.userId && r.status === 'active';
  const detail: PatrolDetail = {
    ...toListItem(r),
    note: r.note,
    track: r.track,
    items: await Promise.all(findings.map((f) => toFinding(deps, q, f))),
    can: { end: mine, addFinding: mine },
  };
  return detail;
}

// ---------------------------------------------------------------------------------------------------------------
// Start, current, end

/** The grid a patrol is of: the one asked for (visits.do there), else the caller's own grid or other post. */
async function patrolNode(q: Queryable, ctx: Ctx, nodeId: number | undefined) {
  const p = ctx.principal;
  if (nodeId !== undefined) {
    const node = await findNodeById(q, nodeId);
    if (!node || node.status !== 'active' || !(can(p, 'visits.read', node.path) || can(p, 'visits.do', node.path))) {
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    }
    if (!can(p, 'visits.do', node.path)) throw new AppError('OUT_OF_SCOPE', { field: 'nodeId' });
    return node;
  }
  const posts = p.grants.filter((g) => g.nodeId !== null && can(p, 'visits.do', g.path));
  for (const g of posts) {
    const node = await findNodeById(q, g.nodeId!);
    if (node && node.status === 'active') return node;
  }
  throw new AppError('VALIDATION', { field: 'nodeId', params: { field: 'nodeId', detail: 'required' } });
}

/**
 * Starts a patrol (201), or gives back the one this clientId started (200, `duplicate`).
 * @throws PATROL_ALREADY_ACTIVE, ORG_NODE_NOT_FOUND, OUT_OF_SCOPE, PATROL_IN_FUTURE, FORBIDDEN
 */
export async function startPatrol(
  deps: PatrolsDeps,
  ctx: Ctx,
  body: PatrolStart,
): Promise<{ patrol: PatrolDetail; duplicate: boolean }> {
  const p = ctx.principal;
  assertPermission(p, 'visits.do');
  const now = new Date();
  return deps.db.transaction(async (tx) => {
    const again = await repo.findPatrolByClient(tx, p.userId, body.clientId);
    if (again !== null) {
      return { patrol: await toDetail(deps, tx, ctx, (await repo.findPatrol(tx, again))!), duplicate: true };
    }
    const node = await patrolNode(tx, ctx, body.nodeId);
    const startedAt = when(body.startedAt, 'startedAt', now);
    const id = await repo.insertPatrol(tx, {
      countyId: Number(node.county_id),
      nodeId: Number(node.id),
      nodePath: node.path,
      workerId: p.userId,
      startedAt,
      clientId: body.clientId,
    });
    if (id === null) {
      // a concurrent start with the same clientId, or a patrol already under way
      const raced = await repo.findPatrolByClient(tx, p.userId, body.clientId);
      if (raced !== null) {
        return { patrol: await toDetail(deps, tx, ctx, (await repo.findPatrol(tx, raced))!), duplicate: true };
      }
      throw new AppError('PATROL_ALREADY_ACTIVE');
    }
    const row = (await repo.findPatrol(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'patrol.start',
      targetType: 'patrol',
      targetId: id,
      targetLabel: row.place_label,
      scopePath: row.node_path,
      countyId: Number(row.county_id),
      after: { nodeId: Number(row.node_id), startedAt: row.started_at.toISOString() },
    });
    return { patrol: await toDetail(deps, tx, ctx, row), duplicate: false };
  });
}

/** The caller's patrol under way, or null (visits.do). @throws FORBIDDEN */
export async function currentPatrol(deps: PatrolsDeps, ctx: Ctx): Promise<CurrentPatrol> {
  assertPermission(ctx.principal, 'visits.do');
  const row = await repo.findActivePatrol(deps.db, ctx.principal.userId);
  return { patrol: row ? await toDetail(deps, deps.db, ctx, row) : null };
}

/** A patrol to change: readable (else 404), the caller's own (else 403), under way (else 409). */
async function ownActive(tx: Queryable, ctx: Ctx, id: number): Promise<repo.PatrolRow> {
  const row = await repo.findPatrol(tx, id, true);
  if (!row || !mayRead(ctx, row)) throw notFound();
  if (Number(row.worker_id) !== ctx.principal.userId) throw new AppError('PATROL_NOT_YOURS');
  if (row.status !== 'active') throw new AppError('PATROL_ENDED');
  return row;
}

/**
 * Ends the caller's patrol with a note and the track (its length measured from the points).
 * @throws PATROL_NOT_FOUND, PATROL_NOT_YOURS, PATROL_ENDED, PATROL_IN_FUTURE, VALIDATION (endedAt before the start)
 */
export async function endPatrol(deps: PatrolsDeps, ctx: Ctx, id: number, body: PatrolEnd): Promise<PatrolDetail> {
  const now = new Date();
  return deps.db.transaction(async (tx) => {
    const row = await ownActive(tx, ctx, id);
    const endedAt = when(body.endedAt, 'endedAt', now);
    if (endedAt.getTime() < row.started_at.getTime()) {
      throw new AppError('PATROL_TIMES_INVALID', { field: 'endedAt' });
    }
    const track = body.track?.length ? normaliseTrack(body.track as TrackPoint[]) : null;
    const note = body.note ? body.note : null;
    const distanceM = track ? trackDistanceM(track) : null;
    await repo.endPatrol(tx, id, { endedAt, note, track, distanceM });
    const after = (await repo.findPatrol(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'patrol.end',
      targetType: 'patrol',
      targetId: id,
      targetLabel: row.place_label,
      scopePath: row.node_path,
      countyId: Number(row.county_id),
      before: { status: 'active' },
      after: { status: 'ended', endedAt: endedAt.toISOString(), distanceM, points: track?.length ?? 0 },
    });
    return toDetail(deps, tx, ctx, after);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Findings

/** The cases service, inside the caller's transaction: the finding and its case are written together or not at all. */
function casesIn(deps: PatrolsDeps, tx: Tx): CasesDeps {
  const db: Db = Object.create(deps.db);
  Object.assign(db, {
    query: tx.query.bind(tx),
    exec: tx.exec.bind(tx),
    transaction: <T>(fn: (t: Tx) => Promise<T>) => fn(tx),
  });
  return { db, pii: deps.pii, jobs: deps.jobs, files: deps.files };
}

/** Opens the finding's case (source patrol) at its place; the finding keeps the case's id. */
async function openCase(
  deps: PatrolsDeps,
  tx: Tx,
  ctx: Ctx,
  f: repo.FindingRow,
  input: { categoryId: number; title?: string },
  categoryField: string,
): Promise<void> {
  const place =
    f.house_id !== null
      ? { houseId: Number(f.house_id) }
      : f.lat !== null && f.lng !== null
        ? { lat: f.lat, lng: f.lng, nodeId: Number(f.node_id) }
        : { nodeId: Number(f.node_id) };
  try {
    const c = await reportCase(casesIn(deps, tx), ctx, {
      categoryId: input.categoryId,
      ...(input.title !== undefined ? { title: input.title } : {}),
      description: f.description,
      place,
      source: 'patrol',
    });
    await repo.setFindingCase(tx, Number(f.id), c.id);
  } catch (e) {
    if (e instanceof AppError && e.field === 'categoryId' && categoryField !== 'categoryId') {
      throw new AppError(e.code, { field: categoryField, params: e.params });
    }
    throw e;
  }
}

/**
 * Records a finding on the caller's patrol (201), or gives back the one this clientId recorded (200, `duplicate`),
 * with its photos and, when `caseCategoryId` is given, its case opened at once.
 * @throws PATROL_NOT_FOUND, PATROL_NOT_YOURS, PATROL_ENDED, ORG_NODE_NOT_FOUND, HOUSE_NOT_FOUND, PATROL_IN_FUTURE,
 *   FILE_NOT_FOUND, FILE_ALREADY_ATTACHED, CASE_CATEGORY_NOT_FOUND, CASE_PLACE_OUTSIDE
 */
export async function addFinding(
  deps: PatrolsDeps,
  ctx: Ctx,
  patrolId: number,
  body: FindingInput,
): Promise<{ finding: Finding; duplicate: boolean }> {
  const now = new Date();
  return deps.db.transaction(async (tx) => {
    const patrol = await repo.findPatrol(tx, patrolId, true);
    if (!patrol || !mayRead(ctx, patrol)) throw notFound();
    if (Number(patrol.worker_id) !== ctx.principal.userId) throw new AppError('PATROL_NOT_YOURS');
    const again = await repo.findFindingByClient(tx, patrolId, body.clientId);
    if (again !== null)
      return { finding: await toFinding(deps, tx, (await repo.findFinding(tx, again))!), duplicate: true };
    if (patrol.status !== 'active') throw new AppError('PATROL_ENDED');

    let node: { id: number; path: string } = { id: Number(patrol.node_id), path: patrol.node_path };
    if (body.nodeId !== undefined) {
      const n = await findNodeById(tx, body.nodeId);
      if (!n || n.status !== 'active' || !n.path.startsWith(patrol.node_path)) {
        throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
      }
      node = { id: Number(n.id), path: n.path };
    }
    let houseId: number | null = null;
    if (body.houseId !== undefined) {
      const h = await repo.findHouse(tx, body.houseId);
      if (!h || !h.node_path.startsWith(node.path)) throw new AppError('HOUSE_NOT_FOUND', { field: 'houseId' });
      houseId = Number(h.id);
      node = { id: Number(h.node_id), path: h.node_path };
    }
    if ((body.lat === undefined) !== (body.lng === undefined)) {
      const field = body.lat === undefined ? 'lat' : 'lng';
      throw new AppError('VALIDATION', { field, params: { field, detail: 'lat and lng go together' } });
    }
    const foundAt = when(body.foundAt, 'foundAt', now);
    const id = await repo.insertFinding(tx, {
      countyId: Number(patrol.county_id),
      patrolId,
      nodeId: node.id,
      nodePath: node.path,
      houseId,
      description: body.description,
      lat: body.lat ?? null,
      lng: body.lng ?? null,
      foundAt,
      clientId: body.clientId,
    });
    if (id === null) {
      // the same clientId committed meanwhile (the patrol row lock makes this rare)
      const raced = (await repo.findFindingByClient(tx, patrolId, body.clientId))!;
      return { finding: await toFinding(deps, tx, (await repo.findFinding(tx, raced))!), duplicate: true };
    }
    if (body.fileIds?.length) {
      await deps.files.attachFiles(tx, ctx, { kind: PATROL_FINDING_FILE_KIND, recordId: id, fileIds: body.fileIds });
    }
    await recordAudit(tx, ctx, {
      action: 'patrol.finding',
      targetType: 'patrol_finding',
      targetId: id,
      targetLabel: body.description.slice(0, 50),
      scopePath: node.path,
      countyId: Number(patrol.county_id),
      after: { patrolId, nodeId: node.id, houseId, photos: body.fileIds?.length ?? 0 },
    });
    if (body.caseCategoryId !== undefined) {
      await openCase(
        deps,
        tx,
        ctx,
        (await repo.findFinding(tx, id))!,
        { categoryId: body.caseCategoryId },
        'caseCategoryId',
      );
    }
    return { finding: await toFinding(deps, tx, (await repo.findFinding(tx, id))!), duplicate: false };
  });
}

/**
 * Opens a case from a finding, once: by the patrol's worker, or whoever holds visits.do over the finding's place.
 * @throws PATROL_FINDING_NOT_FOUND, PATROL_NOT_YOURS, PATROL_FINDING_CASE_EXISTS, CASE_CATEGORY_NOT_FOUND,
 *   CASE_PLACE_OUTSIDE
 */
export async function findingCase(deps: PatrolsDeps, ctx: Ctx, id: number, body: FindingCaseCreate): Promise<Finding> {
  return deps.db.transaction(async (tx) => {
    const f = await repo.findFinding(tx, id, true);
    if (!f || !mayRead(ctx, { worker_id: f.worker_id, node_path: f.node_path })) {
      throw new AppError('PATROL_FINDING_NOT_FOUND');
    }
    const own = Number(f.worker_id) === ctx.principal.userId;
    if (!own && !can(ctx.principal, 'visits.do', f.node_path)) throw new AppError('PATROL_NOT_YOURS');
    if (f.case_id !== null) throw new AppError('PATROL_FINDING_CASE_EXISTS');
    await openCase(deps, tx, ctx, f, body, 'categoryId');
    const after = (await repo.findFinding(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'patrol.finding_case',
      targetType: 'patrol_finding',
      targetId: id,
      targetLabel: f.description.slice(0, 50),
      scopePath: f.node_path,
      countyId: Number(f.county_id),
      after: { caseId: Number(after.case_id), caseNo: after.case_no },
    });
    return toFinding(deps, tx, after);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/**
 * Patrols of the caller's visits.read area and their own (visits.read or visits.do), newest first.
 * @throws FORBIDDEN, ORG_NODE_NOT_FOUND (nodeId outside the area)
 */
export async function listPatrols(deps: PatrolsDeps, ctx: Ctx, query: PatrolListQuery): Promise<PatrolPage> {
  if (!hasPermission(ctx.principal, 'visits.do')) assertPermission(ctx.principal, 'visits.read');
  const scope = scopeFor(ctx.principal, 'visits.read');
  let nodePath: string | undefined;
  if (query.nodeId !== undefined) {
    const node = await findNodeById(deps.db, query.nodeId);
    if (!node || !can(ctx.principal, 'visits.read', node.path)) {
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    }
    nodePath = node.path;
  }
  const pageSize = query.pageSize ?? 20;
  const page = query.page ?? 1;
  const { rows, total } = await repo.listPatrols(deps.db, {
    scope: scopeSql(scope, 'p.node_path'),
    workerId: ctx.principal.userId,
    ...(nodePath !== undefined ? { nodePath } : {}),
    ...(query.workerId !== undefined ? { filterWorkerId: query.workerId } : {}),
    ...(query.status !== undefined ? { status: query.status } : {}),
    ...(query.from !== undefined ? { from: new Date(query.from) } : {}),
    ...(query.to !== undefined ? { to: new Date(query.to) } : {}),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items: rows.map(toListItem), total };
}

/** One patrol with its findings, photos, case links and track. @throws PATROL_NOT_FOUND */
export async function getPatrol(deps: PatrolsDeps, ctx: Ctx, id: number): Promise<PatrolDetail> {
  const row = await repo.findPatrol(deps.db, id);
  if (!row || !mayRead(ctx, row)) throw notFound();
  return toDetail(deps, deps.db, ctx, row);
}

// ---------------------------------------------------------------------------------------------------------------
// Photos

async function canReadFinding(q: Queryable, ctx: Ctx, id: number): Promise<boolean> {
  const f = await repo.findFinding(q, id);
  return f !== undefined && mayRead(ctx, { worker_id: f.worker_id, node_path: f.node_path });
}

/** The attachment kind 'patrol_finding': photos of a finding, attached by the patrol's worker as it is recorded. */
export function registerPatrolAttachments(): void {
  registerAttachmentKind({
    kind: PATROL_FINDING_FILE_KIND,
    maxFiles: 9,
    canRead: (ctx, id, db) => canReadFinding(db, ctx, id),
    canAttach: async (ctx, id, db) => {
      const f = await repo.findFinding(db, id);
      return f !== undefined && Number(f.worker_id) === ctx.principal.userId;
    },
  });
}
