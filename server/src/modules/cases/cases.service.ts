/**
 * Cases (事件诉求闭环): report, the board, one case, and every step of the loop — accept, dispatch, whistle, notes,
 * handle, escalate, return, verify, park, cancel, merge, rate, reopen — and the departments' side of a whistle.
 * The rules of who may take which step in which stage are in cases.workflow.ts; this file gathers the facts, runs
 * the step in one transaction with its timeline event, audit entry, notifications, live event and SLA timers.
 */
import type { Ctx } from '../../platform/access/context.js';
import {
  assertCan,
  can,
  hasPermission,
  isSystemAdmin,
  type Principal,
  pathInScope,
  type Scope,
  scopeFor,
} from '../../platform/access/scope.js';
import { recordAudit, requireReason } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { type FilesService, registerAttachmentKind } from '../../platform/files/files.service.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { publish } from '../../platform/live/live.signal.js';
import * as notify from '../../platform/notify/notify.service.js';
import { maskName, maskPhone, type PiiCipher, parsePhone } from '../../platform/pii/index.js';
import { dueAt } from './calendar.service.js';
import { pointInBoundary, reportArea } from './cases.logic.js';
import { CASE_NOTIFY } from './cases.notify.js';
import * as repo from './cases.repo.js';
import type {
  CaseAction,
  CaseCategory,
  CaseDetail,
  CaseEvent,
  CaseList,
  CaseListQuery,
  CaseStage,
  CaseStageInfo,
  CaseSummary,
  CaseWhistle,
  Department,
  ReportCaseBody,
} from './cases.schemas.js';
import { CASE_STAGES } from './cases.schemas.js';
import { armParkReview, armSla } from './cases.sla.js';
import { allowedActions, type CaseActor, type CaseFacts, decide, REOPEN_DAYS } from './cases.workflow.js';

export type CasesDeps = { db: Db; pii: PiiCipher; jobs: Jobs; files?: FilesService };

export const CASE_EVENT_FILE_KIND = 'case_event';
export const CASE_EVENT_MAX_FILES = 9;

/** A whistle's deadline when neither the manager nor the category gives one. */
const DEFAULT_WHISTLE_DAYS = 3;

const say = (ctx: Ctx, zh: string, en: string) => (ctx.locale === 'en' ? en : zh);
const notFound = () => new AppError('CASE_NOT_FOUND');
const iso = (d: Date | null) => (d ? d.toISOString() : null);

// ---------------------------------------------------------------------------------------------------------------
// Reference data

function toCategory(ctx: Ctx, r: repo.CategoryRow): CaseCategory {
  return {
    id: Number(r.id),
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    name: say(ctx, r.name_zh, r.name_en),
    description: r.description,
    class: r.class,
    urgent: r.urgent,
    responseSla: r.response_sla,
    handleSla: r.handle_sla,
    verifySla: r.verify_sla,
    mergeRadiusM: r.merge_radius_m,
    mergeWindowHours: r.merge_window_hours,
    public: r.public,
    active: r.active,
    sort: r.sort,
  };
}

const isWorker = (p: Principal) =>
  hasPermission(p, 'cases.read') || hasPermission(p, 'cases.handle') || hasPermission(p, 'cases.respond');

/** The category tree: all of it for those who configure it, the active ones for workers, active public ones else. */
export async function listCategories(deps: Pick<CasesDeps, 'db'>, ctx: Ctx): Promise<{ items: CaseCategory[] }> {
  const rows = await repo.listCategories(deps.db);
  const p = ctx.principal;
  const all = isSystemAdmin(p) || can(p, 'cases.config', null);
  const worker = isWorker(p);
  return {
    items: rows.filter((r) => all || (r.active && (worker || r.public))).map((r) => toCategory(ctx, r)),
  };
}

export async function listStages(deps: Pick<CasesDeps, 'db'>, ctx: Ctx): Promise<{ items: CaseStageInfo[] }> {
  const rows = await repo.listStages(deps.db);
  return {
    items: rows.map((r) => ({
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      name: say(ctx, r.name_zh, r.name_en),
      type: r.type,
      sort: r.sort,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Departments

function toDepartment(r: repo.DepartmentRow): Department {
  return {
    id: Number(r.id),
    nodeId: Number(r.node_id),
    nodeName: r.node_name,
    name: r.name,
    code: r.code,
    phone: r.phone,
    active: r.active,
    members: r.members.map((m) => ({ id: Number(m.id), displayName: m.displayName })),
  };
}

/** Paths of the nodes where the principal holds cases.read (departments at or above them are theirs to call). */
function readPaths(p: Principal): string[] | null {
  const s = scopeFor(p, 'cases.read');
  return s.all ? null : s.paths;
}

/** Whether a department is one the caller sees: at or above their area, under the area they manage, or their own. */
function seesDepartment(p: Principal, d: repo.DepartmentRow): boolean {
  const paths = readPaths(p);
  if (paths === null) return true;
  if (paths.some((x) => x.startsWith(d.node_path))) return true;
  if (can(p, 'cases.manage', d.node_path)) return true;
  return d.members.some((m) => Number(m.id) === p.userId);
}

/**
 * Departments the caller may dispatch or whistle to (at or above their area, or at or above `nodeId`), those of the
 * area they manage, and those they belong to.
 * @throws ORG_NODE_NOT_FOUND (a node outside the caller's area)
 */
export async function listDepartments(
  deps: Pick<CasesDeps, 'db'>,
  ctx: Ctx,
  nodeId?: number,
): Promise<{ items: Department[] }> {
  const p = ctx.principal;
  let abovePaths = readPaths(p);
  if (nodeId !== undefined) {
    const node = await repo.findNode(deps.db, nodeId);
    if (!node || !can(p, 'cases.read', node.path)) throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    abovePaths = [node.path];
  }
  const manage = scopeFor(p, 'cases.manage');
  const rows = await repo.listDepartments(deps.db, {
    abovePaths: abovePaths ?? [],
    // With a node: those a case there may go to; without: also those of the area the caller manages.
    under: nodeId !== undefined ? null : abovePaths === null ? { all: true } : manage,
    memberId: p.userId,
  });
  return { items: rows.map(toDepartment) };
}

async function checkMembers(q: Queryable, ids: number[] | undefined, nodePath: string): Promise<number[] | undefined> {
  if (ids === undefined) return undefined;
  const unique = [...new Set(ids)];
  const county = `/${nodePath.split('/')[1]}/`;
  const ok = new Set(await repo.departmentPostHolders(q, unique, county));
  const bad = unique.findIndex((id) => !ok.has(id));
  if (bad >= 0)
    throw new AppError('CASE_DEPARTMENT_MEMBER_INVALID', { field: `memberIds.${ids.indexOf(unique[bad]!)}` });
  return unique;
}

const DEPARTMENT_NODE_TYPES = ['county', 'street', 'town', 'community', 'village'];

/**
 * Creates a department at a node the caller manages cases of; members are accounts with a department post in the
 * same county.
 * @throws ORG_NODE_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE, CASE_DEPARTMENT_NAME_TAKEN, CASE_DEPARTMENT_MEMBER_INVALID
 */
export async function createDepartment(
  deps: Pick<CasesDeps, 'db'>,
  ctx: Ctx,
  body: { nodeId: number; name: string; code?: string; phone?: string; memberIds?: number[] },
): Promise<Department> {
  return deps.db.transaction(async (tx) => {
    const node = await repo.findNode(tx, body.nodeId);
    if (!node || node.status !== 'active' || !DEPARTMENT_NODE_TYPES.includes(node.type)) {
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    }
    assertCan(ctx.principal, 'cases.manage', node.path, {
      readPermission: 'cases.read',
      notFound: new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' }),
    });
    const members = await checkMembers(tx, body.memberIds, node.path);
    const countyId = Number(node.path.split('/')[1]);
    const id = await repo.insertDepartment(tx, {
      countyId,
      nodeId: node.id,
      nodePath: node.path,
      name: body.name,
      code: body.code ?? null,
      phone: body.phone ?? null,
    });
    if (id === null) throw new AppError('CASE_DEPARTMENT_NAME_TAKEN', { field: 'name' });
    if (members) await repo.setDepartmentMembers(tx, id, members);
    const d = (await repo.findDepartment(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'case.department_create',
      targetType: 'department',
      targetId: id,
      targetLabel: d.name,
      scopePath: d.node_path,
      countyId,
      after: { name: d.name, nodeId: node.id, code: d.code, phone: d.phone, memberIds: members ?? [] },
    });
    return toDepartment(d);
  });
}

/**
 * Changes a department (name, code, phone, active, members).
 * @throws CASE_DEPARTMENT_NOT_FOUND, FORBIDDEN, CASE_DEPARTMENT_NAME_TAKEN, CASE_DEPARTMENT_MEMBER_INVALID
 */
export async function updateDepartment(
  deps: Pick<CasesDeps, 'db'>,
  ctx: Ctx,
  id: number,
  body: {
    name?: string;
    code?: string | null;
    phone?: string | null;
    active?: boolean;
    memberIds?: number[];
  },
): Promise<Department> {
  return deps.db.transaction(async (tx) => {
    const d = await repo.findDepartment(tx, id, true);
    if (!d || !seesDepartment(ctx.principal, d)) throw new AppError('CASE_DEPARTMENT_NOT_FOUND');
    if (!can(ctx.principal, 'cases.manage', d.node_path)) throw new AppError('FORBIDDEN');
    const members = await checkMembers(tx, body.memberIds, d.node_path);
    const next = {
      name: body.name ?? d.name,
      code: body.code === undefined ? d.code : body.code,
      phone: body.phone === undefined ? d.phone : body.phone,
      active: body.active ?? d.active,
    };
    if (!(await repo.updateDepartment(tx, id, next)))
      throw new AppError('CASE_DEPARTMENT_NAME_TAKEN', { field: 'name' });
    if (members) await repo.setDepartmentMembers(tx, id, members);
    const after = (await repo.findDepartment(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'case.department_update',
      targetType: 'department',
      targetId: id,
      targetLabel: after.name,
      scopePath: d.node_path,
      countyId: Number(d.county_id),
      before: { ...pick(d), memberIds: d.members.map((m) => Number(m.id)) },
      after: { ...pick(after), memberIds: after.members.map((m) => Number(m.id)) },
    });
    return toDepartment(after);
  });
}

const pick = (d: repo.DepartmentRow) => ({ name: d.name, code: d.code, phone: d.phone, active: d.active });

// ---------------------------------------------------------------------------------------------------------------
// Who the caller is to a case

type Relation = CaseActor & {
  /** May open the case at all. */
  canRead: boolean;
  /** Sees everything (not only the public timeline). */
  seesAll: boolean;
  /** Reads it as a department (the reporter's name masked). */
  asDepartment: boolean;
  myDepartmentIds: number[];
};

async function relationOf(q: Queryable, ctx: Ctx, c: repo.CaseRow, whistles: repo.WhistleRow[]): Promise<Relation> {
  const p = ctx.principal;
  const me = p.userId;
  const responds = hasPermission(p, 'cases.respond');
  const myDepartmentIds = responds && me > 0 ? await repo.departmentIdsOf(q, me) : [];
  const mine = (id: number | null) => id !== null && myDepartmentIds.includes(Number(id));
  const isReporter = me > 0 && c.reporter_id !== null && Number(c.reporter_id) === me;
  const canHandle = can(p, 'cases.handle', c.node_path);
  const canManage = can(p, 'cases.manage', c.node_path);
  const isHandler = me > 0 && c.handler_id !== null && Number(c.handler_id) === me;
  const assigneeGrid = c.assignee_node_path !== null && can(p, 'cases.handle', c.assignee_node_path);
  const assigneeDept = mine(c.assignee_department_id);
  const isAssignee = assigneeGrid || assigneeDept;
  const openWhistle = (w: repo.WhistleRow) => w.status === 'pending' || w.status === 'accepted';
  const isWhistleMember = whistles.some((w) => openWhistle(w) && mine(w.department_id));
  const anyWhistle = whistles.some((w) => mine(w.department_id));
  const readsByScope =
    can(p, 'cases.read', c.node_path) || (c.assignee_node_path !== null && can(p, 'cases.read', c.assignee_node_path));
  const seesAll = readsByScope || isHandler || isAssignee || anyWhistle || canHandle;
  return {
    isReporter,
    canHandle,
    canManage,
    isHandler,
    isAssignee,
    isWhistleMember,
    canRead: seesAll || isReporter,
    seesAll,
    asDepartment: !readsByScope && !isHandler && !assigneeGrid && !canHandle && (assigneeDept || anyWhistle),
    myDepartmentIds,
  };
}

const factsOf = (c: repo.CaseRow): CaseFacts => ({
  stage: c.stage,
  parkedFromStage: c.parked_from_stage,
  rated: c.rating !== null,
  closedAt: c.closed_at,
  now: new Date(),
});

// ---------------------------------------------------------------------------------------------------------------
// Shapes

function toSummary(ctx: Ctx, c: repo.CaseRow): CaseSummary {
  return {
    id: Number(c.id),
    caseNo: c.case_no,
    title: c.title,
    categoryId: Number(c.category_id),
    categoryName: say(ctx, c.category_zh, c.category_en),
    stage: c.stage,
    stageName: say(ctx, c.stage_zh, c.stage_en),
    stageType: c.stage_type,
    source: c.source,
    urgent: c.urgent,
    place: {
      nodeId: Number(c.node_id),
      nodeLabel: c.node_label ?? '',
      gridId: c.grid_id === null ? null : Number(c.grid_id),
      communityId: c.community_id === null ? null : Number(c.community_id),
      houseId: c.house_id === null ? null : Number(c.house_id),
      houseLabel: c.house_label,
      lat: c.lat,
      lng: c.lng,
      address: c.address,
    },
    assigneeNodeId: c.assignee_node_id === null ? null : Number(c.assignee_node_id),
    assigneeNodeName: c.assignee_node_name,
    assigneeDepartmentId: c.assignee_department_id === null ? null : Number(c.assignee_department_id),
    assigneeDepartmentName: c.department_name,
    handlerId: c.handler_id === null ? null : Number(c.handler_id),
    handlerName: c.handler_name,
    supervision: c.supervision,
    overdue: c.overdue,
    reworkCount: c.rework_count,
    responseDueAt: iso(c.response_due_at),
    handleDueAt: iso(c.handle_due_at),
    verifyDueAt: iso(c.verify_due_at),
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
    closedAt: iso(c.closed_at),
    rating: c.rating,
    thumbUrl: c.thumb_id ? `/api/files/${c.thumb_id}/thumb` : null,
  };
}

function toWhistle(w: repo.WhistleRow): CaseWhistle {
  return {
    id: Number(w.id),
    departmentId: Number(w.department_id),
    departmentName: w.department_name,
    status: w.status,
    dueAt: w.due_at.toISOString(),
    whistledAt: w.whistled_at.toISOString(),
    acceptedAt: iso(w.accepted_at),
    reportedAt: iso(w.reported_at),
    note: w.note,
    onTime: w.on_time,
  };
}

async function detailOf(q: Queryable, ctx: Ctx, c: repo.CaseRow): Promise<CaseDetail> {
  const whistles = await repo.listWhistles(q, c.id);
  const rel = await relationOf(q, ctx, c, whistles);
  if (!rel.canRead) throw notFound();
  return buildDetail(q, ctx, c, whistles, rel);
}

async function buildDetail(
  q: Queryable,
  ctx: Ctx,
  c: repo.CaseRow,
  whistles: repo.WhistleRow[],
  rel: Relation,
): Promise<CaseDetail> {
  const events = await repo.listEvents(q, c.id, !rel.seesAll);
  const files = await repo.listEventFiles(
    q,
    events.map((e) => Number(e.id)),
  );
  const timeline: CaseEvent[] = events.map((e) => ({
    id: Number(e.id),
    at: e.at.toISOString(),
    actorName: e.actor_name,
    action: e.action,
    fromStage: e.from_stage,
    toStage: e.to_stage,
    note: e.note,
    data: e.data,
    public: e.public,
    files: files
      .filter((f) => Number(f.event_id) === Number(e.id))
      .map((f) => ({
        id: f.public_id,
        url: `/api/files/${f.public_id}`,
        thumbUrl: f.has_thumb ? `/api/files/${f.public_id}/thumb` : null,
        mime: f.mime,
        name: f.original_name,
      })),
  }));
  const reporterName = c.reporter_name ?? c.contact_name;
  return {
    ...toSummary(ctx, c),
    description: c.description,
    reporterId: rel.asDepartment || c.reporter_id === null ? null : Number(c.reporter_id),
    reporterName: reporterName && rel.asDepartment ? maskName(reporterName) : reporterName,
    contactPhoneMasked: c.contact_phone_masked,
    dispatchedAt: iso(c.dispatched_at),
    acceptedAt: iso(c.accepted_at),
    handledAt: iso(c.handled_at),
    parkedUntil: c.parked_until,
    mergedIntoId: c.merged_into_id === null ? null : Number(c.merged_into_id),
    ratingComment: c.rating_comment,
    ratedAt: iso(c.rated_at),
    timeline,
    whistles: whistles.map(toWhistle),
    allowedActions: allowedActions(factsOf(c), rel),
    myWhistleIds:
      c.stage === 'whistled'
        ? whistles
            .filter(
              (w) =>
                (w.status === 'pending' || w.status === 'accepted') &&
                rel.myDepartmentIds.includes(Number(w.department_id)),
            )
            .map((w) => Number(w.id))
        : [],
    version: c.version,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

type Via = {
  /** open311: a GeoReport request; device: opened from an alarm (devices module); visit: from a visit (visits). */
  source: 'open311' | 'device' | 'visit';
  contactName?: string;
  contactPhone?: string;
  externalId?: string;
  open311Token?: string;
};

const PLACE_TYPES = ['grid', 'micro_grid', 'building', 'unit'];
const outside = () => new AppError('CASE_PLACE_OUTSIDE', { field: 'place' });

type Place = {
  nodeId: number;
  nodePath: string;
  houseId: number | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
};

async function placeNode(q: Queryable, nodeId: number): Promise<repo.NodeRow> {
  const node = await repo.findNode(q, nodeId);
  if (!node || node.status !== 'active' || !PLACE_TYPES.includes(node.type)) throw outside();
  return node;
}

async function resolvePlace(q: Queryable, ctx: Ctx, body: ReportCaseBody, area: Scope): Promise<Place> {
  const place = body.place;
  let out: Place;
  if (!place) {
    const mine = await repo.findUserPlace(q, ctx.principal.userId);
    if (mine?.house_id) {
      const h = (await repo.findHouse(q, mine.house_id))!;
      out = { nodeId: h.node_id, nodePath: h.node_path, houseId: h.id, lat: null, lng: null, address: h.address };
    } else if (mine?.home_node_id) {
      const node = await repo.findNode(q, mine.home_node_id);
      if (!node || !PLACE_TYPES.includes(node.type)) throw new AppError('CASE_PLACE_REQUIRED', { field: 'place' });
      out = { nodeId: node.id, nodePath: node.path, houseId: null, lat: null, lng: null, address: null };
    } else {
      throw new AppError('CASE_PLACE_REQUIRED', { field: 'place' });
    }
  } else if ('houseId' in place) {
    const h = await repo.findHouse(q, place.houseId);
    if (!h) throw outside();
    out = {
      nodeId: h.node_id,
      nodePath: h.node_path,
      houseId: h.id,
      lat: null,
      lng: null,
      address: place.address ?? h.address,
    };
  } else if ('lat' in place) {
    let node: { id: number; path: string } | undefined;
    if (place.nodeId !== undefined) node = await placeNode(q, place.nodeId);
    else {
      const grids = await repo.gridsWithBoundary(q, area.all ? null : area.paths);
      node = grids.find((g) => pointInBoundary(place.lat, place.lng, g.boundary));
      if (!node) throw outside();
    }
    out = {
      nodeId: Number(node.id),
      nodePath: node.path,
      houseId: null,
      lat: place.lat,
      lng: place.lng,
      address: place.address ?? null,
    };
  } else {
    const node = await placeNode(q, place.nodeId);
    out = { nodeId: node.id, nodePath: node.path, houseId: null, lat: null, lng: null, address: place.address ?? null };
  }
  if (!pathInScope(area, out.nodePath)) throw outside();
  return out;
}

/**
 * Files a case: a resident's one-tap report (their house by default), a grid worker's patrol finding, a worker's
 * hotline entry, or (with `via`) an Open311 request. Any signed-in account with a post may report within its own
 * community; a street or county post anywhere in its area. The grid's handlers hear of it.
 * @throws CASE_CATEGORY_NOT_FOUND, CASE_PLACE_OUTSIDE, CASE_PLACE_REQUIRED, CASE_CONTACT_NOT_ALLOWED, PHONE_INVALID,
 *   FILE_NOT_FOUND, FILE_ALREADY_ATTACHED, FILE_ATTACH_LIMIT
 */
export async function reportCase(deps: CasesDeps, ctx: Ctx, body: ReportCaseBody, via?: Via): Promise<CaseDetail> {
  const p = ctx.principal;
  const worker = hasPermission(p, 'cases.handle');
  return deps.db.transaction(async (tx) => {
    const cat = await repo.findCategory(tx, body.categoryId);
    if (!cat || !cat.active || (!worker && !cat.public)) {
      throw new AppError('CASE_CATEGORY_NOT_FOUND', { field: 'categoryId' });
    }
    if (!worker && !via && (body.contactName !== undefined || body.contactPhone !== undefined)) {
      throw new AppError('CASE_CONTACT_NOT_ALLOWED', {
        field: body.contactName !== undefined ? 'contactName' : 'contactPhone',
      });
    }
    const place = await resolvePlace(tx, ctx, body, reportArea(p.grants));
    const rawPhone = via?.contactPhone ?? body.contactPhone;
    let phone: { sealed: Buffer; masked: string } | null = null;
    if (rawPhone !== undefined) {
      const parsed = parsePhone(rawPhone);
      if (!parsed.ok) throw new AppError('PHONE_INVALID', { field: 'contactPhone' });
      phone = { sealed: deps.pii.seal(parsed.value), masked: maskPhone(parsed.value) };
    }
    const source = via ? via.source : worker ? (body.source ?? 'worker') : 'resident';
    const countyId = Number(place.nodePath.split('/')[1]);
    const id = await repo.insertCase(tx, {
      countyId,
      categoryId: cat.id,
      title: body.title ?? cat.name_zh,
      description: body.description ?? '',
      source,
      reporterId: p.userId > 0 ? p.userId : null,
      contactName: via?.contactName ?? body.contactName ?? null,
      contactPhoneSealed: phone?.sealed ?? null,
      contactPhoneMasked: phone?.masked ?? null,
      nodeId: place.nodeId,
      nodePath: place.nodePath,
      houseId: place.houseId,
      lat: place.lat,
      lng: place.lng,
      address: place.address,
      externalId: via?.externalId ?? null,
      open311Token: via?.open311Token ?? null,
    });
    const eventId = await repo.insertEvent(tx, {
      countyId,
      caseId: id,
      actorId: p.userId > 0 ? p.userId : null,
      actorName: p.displayName,
      action: 'report',
      fromStage: null,
      toStage: 'reported',
      note: body.description ?? null,
      data: { source },
      isPublic: true,
    });
    if (body.fileIds?.length) await attach(deps, tx, ctx, eventId, body.fileIds);
    const c = (await repo.findCase(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'case.report',
      targetType: 'case',
      targetId: id,
      targetLabel: c.case_no,
      scopePath: c.node_path,
      countyId,
      after: { categoryId: cat.id, stage: 'reported', source, nodeId: place.nodeId, houseId: place.houseId },
    });
    const handlers = await notify.nearestHolders(tx, c.node_path, 'cases.handle');
    await notify.send(
      tx,
      handlers.filter((u) => u !== p.userId),
      CASE_NOTIFY.new,
      payloadOf(c),
    );
    await publishCase(tx, c);
    return detailOf(tx, ctx, c);
  });
}

async function attach(deps: CasesDeps, tx: Queryable, ctx: Ctx, eventId: number, fileIds: readonly string[]) {
  if (!deps.files) throw new Error('cases: photos need the files service');
  await deps.files.attachFiles(tx, ctx, { kind: CASE_EVENT_FILE_KIND, recordId: eventId, fileIds });
}

const payloadOf = (c: repo.CaseRow) => ({
  caseId: Number(c.id),
  caseNo: c.case_no,
  title: c.title,
  nodePath: c.node_path,
});

async function publishCase(q: Queryable, c: { id: number; node_path: string; stage: string; supervision: number }) {
  await publish(q, 'cases', {
    nodePath: c.node_path,
    permission: 'cases.read',
    data: { id: Number(c.id), stage: c.stage, supervision: c.supervision },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/**
 * One case as the caller may see it (a reporter sees the public timeline only), with what they may do now.
 * @throws CASE_NOT_FOUND
 */
export async function getCase(deps: Pick<CasesDeps, 'db'>, ctx: Ctx, id: number): Promise<CaseDetail> {
  const c = await repo.findCase(deps.db, id);
  if (!c) throw notFound();
  return detailOf(deps.db, ctx, c);
}

/** Whether the caller may open the case (link resolver, file reads). */
export async function canReadCase(q: Queryable, ctx: Ctx, id: number): Promise<{ read: boolean; all: boolean }> {
  const c = await repo.findCase(q, id);
  if (!c) return { read: false, all: false };
  const rel = await relationOf(q, ctx, c, await repo.listWhistles(q, id));
  return { read: rel.canRead, all: rel.seesAll };
}

function parseStages(s: string | undefined): CaseStage[] | undefined {
  if (!s) return undefined;
  const parts = s.split(',');
  for (const x of parts) {
    if (!(CASE_STAGES as readonly string[]).includes(x)) {
      throw new AppError('VALIDATION', { field: 'stage', params: { field: 'stage', detail: x } });
    }
  }
  return parts as CaseStage[];
}

/**
 * The board (cases in the caller's cases.read area), a handler's tasks, the caller's own reports, or the cases of
 * the caller's departments; newest first, paged by cursor, with counts per stage.
 * @throws ORG_NODE_NOT_FOUND (nodeId outside the area), CASE_CATEGORY_NOT_FOUND, VALIDATION
 */
export async function listCases(deps: Pick<CasesDeps, 'db'>, ctx: Ctx, query: CaseListQuery): Promise<CaseList> {
  const p = ctx.principal;
  const view = query.view ?? 'board';
  const readScope = scopeFor(p, 'cases.read');
  let nodePath: string | undefined;
  if (query.nodeId !== undefined) {
    const node = await repo.findNode(deps.db, query.nodeId);
    if (!node || (view === 'board' && !pathInScope(readScope, node.path))) {
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    }
    nodePath = node.path;
  }
  let categoryIds: number[] | undefined;
  if (query.categoryId !== undefined) {
    categoryIds = await repo.categorySubtree(deps.db, query.categoryId);
    if (categoryIds.length === 0) throw new AppError('CASE_CATEGORY_NOT_FOUND', { field: 'categoryId' });
  }
  let after: { at: string; id: number } | undefined;
  if (query.after) {
    const i = query.after.lastIndexOf('_');
    const at = query.after.slice(0, i);
    if (Number.isNaN(Date.parse(at))) {
      throw new AppError('VALIDATION', { field: 'after', params: { field: 'after', detail: query.after } });
    }
    after = { at, id: Number(query.after.slice(i + 1)) };
  }
  const departmentIds =
    view === 'department' && hasPermission(p, 'cases.respond') && p.userId > 0
      ? await repo.departmentIdsOf(deps.db, p.userId)
      : [];
  const limit = query.limit ?? 50;
  const filter: repo.CasePageFilter = {
    view,
    readScope,
    handleScope: scopeFor(p, 'cases.handle'),
    userId: p.userId,
    departmentIds,
    stages: parseStages(query.stage),
    categoryIds,
    nodePath,
    departmentId: query.departmentId,
    source: query.source,
    supervision: query.supervision,
    overdue: query.overdue,
    from: query.from,
    to: query.to,
    q: query.q,
    limit: limit + 1,
    after,
  };
  const rows = await repo.listCasesPage(deps.db, filter);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((c) => toSummary(ctx, c)),
    nextAfter: rows.length > limit && last ? `${last.created_at.toISOString()}_${last.id}` : null,
    // Counting reads the whole filtered area: only when asked (the kanban's first page).
    stageCounts: query.counts ? await repo.countCasesByStage(deps.db, filter) : {},
  };
}

/**
 * Open cases like the one being reported (same category, within the category's distance and time, at the same
 * house or node), in the caller's area (a resident: their own community).
 * @throws CASE_CATEGORY_NOT_FOUND
 */
export async function findSimilarCases(
  deps: Pick<CasesDeps, 'db'>,
  ctx: Ctx,
  query: { categoryId: number; houseId?: number; nodeId?: number; lat?: number; lng?: number; exceptId?: number },
): Promise<{ items: CaseSummary[] }> {
  const cat = await repo.findCategory(deps.db, query.categoryId);
  if (!cat) throw new AppError('CASE_CATEGORY_NOT_FOUND', { field: 'categoryId' });
  const p = ctx.principal;
  const scope = hasPermission(p, 'cases.read') ? scopeFor(p, 'cases.read') : reportArea(p.grants);
  const rows = await repo.findSimilar(deps.db, {
    categoryId: cat.id,
    windowHours: cat.merge_window_hours,
    radiusM: cat.merge_radius_m,
    houseId: query.houseId ?? null,
    nodeId: query.nodeId ?? null,
    lat: query.lat !== undefined && query.lng !== undefined ? query.lat : null,
    lng: query.lat !== undefined && query.lng !== undefined ? query.lng : null,
    exceptId: query.exceptId ?? null,
    scope,
  });
  return { items: rows.map((c) => toSummary(ctx, c)) };
}

// ---------------------------------------------------------------------------------------------------------------
// The steps

type Step = {
  tx: Queryable;
  c: repo.CaseRow;
  rel: Relation;
  to: CaseStage;
  whistles: repo.WhistleRow[];
};

type StepResult = {
  patch: repo.CasePatch;
  /** The timeline entry (action defaults to the step's). */
  event?: { action?: string; note?: string | null; data?: Record<string, unknown> | null; isPublic?: boolean };
  fileIds?: readonly string[];
  auditDiff?: Record<string, [unknown, unknown]>;
  reason?: string | null;
  /** Who hears of it, after the change. */
  tell?: { users: number[]; kind: string }[];
  sla?: 'arm' | 'park' | 'none';
};

const OPEN_WHISTLE = (w: repo.WhistleRow) => w.status === 'pending' || w.status === 'accepted';

function refusal(c: repo.CaseRow, ctx: Ctx, action: CaseAction, refusalKind: 'transition' | 'forbidden'): AppError {
  if (refusalKind === 'forbidden') return new AppError('FORBIDDEN');
  if (action === 'rate' && c.stage === 'closed' && c.rating !== null) return new AppError('CASE_ALREADY_RATED');
  if (action === 'reopen' && c.stage === 'closed') {
    if (c.rating !== null) return new AppError('CASE_ALREADY_RATED');
    return new AppError('CASE_REOPEN_EXPIRED', { params: { days: REOPEN_DAYS } });
  }
  return new AppError('CASE_TRANSITION_REFUSED', {
    params: { stage: say(ctx, c.stage_zh, c.stage_en), action: actionName(ctx, action) },
  });
}

const ACTION_NAMES: Record<CaseAction, [string, string]> = {
  accept: ['受理', 'accept'],
  dispatch: ['派遣', 'dispatch'],
  whistle: ['吹哨', 'whistle'],
  note: ['记录进展', 'note'],
  handle: ['处置完成', 'mark handled'],
  escalate: ['上报', 'escalate'],
  return: ['退回', 'return'],
  verify: ['核查', 'verify'],
  park: ['挂账', 'park'],
  unpark: ['恢复办理', 'unpark'],
  cancel: ['不予立案', 'cancel'],
  merge: ['合并', 'merge'],
  rate: ['评价', 'rate'],
  reopen: ['重新办理', 'reopen'],
};
const actionName = (ctx: Ctx, a: CaseAction) => say(ctx, ...ACTION_NAMES[a]);

/** Runs one step of the loop on a case in one transaction. */
async function step(
  deps: CasesDeps,
  ctx: Ctx,
  id: number,
  action: CaseAction,
  run: (s: Step) => Promise<StepResult>,
  passed = true,
): Promise<CaseDetail> {
  return deps.db.transaction(async (tx) => {
    const c = await repo.findCase(tx, id, true);
    if (!c) throw notFound();
    const whistles = await repo.listWhistles(tx, id);
    const rel = await relationOf(tx, ctx, c, whistles);
    if (!rel.canRead) throw notFound();
    const d = decide(factsOf(c), rel, action, passed);
    if (!d.ok) throw refusal(c, ctx, action, d.refusal);
    const r = await run({ tx, c, rel, to: d.to, whistles });
    return finish(deps, tx, ctx, c, action, d.to, r, rel);
  });
}

async function finish(
  deps: CasesDeps,
  tx: Queryable,
  ctx: Ctx,
  c: repo.CaseRow,
  action: string,
  to: CaseStage,
  r: StepResult,
  before: Relation,
): Promise<CaseDetail> {
  const p = ctx.principal;
  const patch: repo.CasePatch = { ...r.patch };
  if (to !== c.stage) patch.stage = to;
  await repo.updateCase(tx, c.id, patch);
  const eventAction = r.event?.action ?? action;
  const eventId = await repo.insertEvent(tx, {
    countyId: Number(c.county_id),
    caseId: c.id,
    actorId: p.userId > 0 ? p.userId : null,
    actorName: p.displayName,
    action: eventAction,
    fromStage: c.stage,
    toStage: to,
    note: r.event?.note ?? null,
    data: r.event?.data ?? null,
    isPublic: r.event?.isPublic ?? true,
  });
  if (r.fileIds?.length) await attach(deps, tx, ctx, eventId, r.fileIds);
  await recordAudit(tx, ctx, {
    action: `case.${eventAction}`,
    targetType: 'case',
    targetId: c.id,
    targetLabel: c.case_no,
    scopePath: c.node_path,
    countyId: Number(c.county_id),
    diff: { ...(to !== c.stage ? { stage: [c.stage, to] } : {}), ...(r.auditDiff ?? {}) },
    reason: r.reason ?? null,
  });
  const after = (await repo.findCase(tx, c.id))!;
  for (const t of r.tell ?? []) {
    await notify.send(
      tx,
      t.users.filter((u) => u !== p.userId),
      t.kind,
      payloadOf(after),
    );
  }
  await publishCase(tx, after);
  if (r.sla === 'arm') await armSla(tx, deps.jobs, c.id);
  if (r.sla === 'park') await armParkReview(tx, deps.jobs, c.id);
  const whistles = await repo.listWhistles(tx, c.id);
  const rel = await relationOf(tx, ctx, after, whistles);
  if (rel.canRead) return buildDetail(tx, ctx, after, whistles, rel);
  // A step can take the case out of the caller's hands (a grid returns it): they see it as it left them, with
  // nothing more to do.
  const none = { isReporter: false, canHandle: false, canManage: false, isHandler: false, isAssignee: false };
  return buildDetail(tx, ctx, after, whistles, { ...before, ...none, isWhistleMember: false });
}

const reporterOf = (c: repo.CaseRow) => (c.reporter_id === null ? [] : [Number(c.reporter_id)]);
const managersOf = (q: Queryable, c: repo.CaseRow) => notify.nearestHolders(q, c.node_path, 'cases.manage');

/** The SLA clock from now for the case's category: response and handling deadlines. */
async function clock(q: Queryable, c: repo.CaseRow, now: Date) {
  const cat = (await repo.findCategory(q, c.category_id))!;
  return {
    dispatched_at: now,
    response_due_at: await dueAt(q, now, cat.response_sla),
    handle_due_at: await dueAt(q, now, cat.handle_sla),
    supervision: 0,
    overdue: false,
  };
}

/**
 * Accept (受理/接单): from reported, a handler of the case's grid takes it (the case is dispatched to that grid,
 * starting the clock); from dispatched, whoever it was dispatched to.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN
 */
export function acceptCase(deps: CasesDeps, ctx: Ctx, id: number, body: { note?: string }): Promise<CaseDetail> {
  return step(deps, ctx, id, 'accept', async ({ tx, c }) => {
    const now = new Date();
    const patch: repo.CasePatch =
      c.stage === 'reported'
        ? {
            ...(await clock(tx, c, now)),
            assignee_node_id: c.grid_id ?? c.node_id,
            assignee_department_id: null,
          }
        : {};
    return {
      patch: { ...patch, accepted_at: now, handler_id: ctx.principal.userId > 0 ? ctx.principal.userId : null },
      event: { note: body.note || null },
      tell: [{ users: reporterOf(c), kind: CASE_NOTIFY.accepted }],
      sla: 'arm',
    };
  });
}

async function gridTarget(q: Queryable, ctx: Ctx, nodeId: number): Promise<repo.NodeRow> {
  const node = await repo.findNode(q, nodeId);
  if (
    !node ||
    node.status !== 'active' ||
    !['grid', 'micro_grid'].includes(node.type) ||
    !can(ctx.principal, 'cases.manage', node.path)
  ) {
    throw new AppError('CASE_DISPATCH_TARGET_INVALID', { field: 'nodeId' });
  }
  return node;
}

/** A department the case may go to: active, at or above the case's place. */
async function departmentFor(q: Queryable, c: repo.CaseRow, id: number, field: string): Promise<repo.DepartmentRow> {
  const d = await repo.findDepartment(q, id);
  if (!d || !d.active || !c.node_path.startsWith(d.node_path)) {
    throw new AppError('CASE_DEPARTMENT_NOT_FOUND', { field });
  }
  return d;
}

async function handlersOfAssignee(q: Queryable, nodePath: string | null, departmentId: number | null) {
  const users: number[] = [];
  if (nodePath) users.push(...(await notify.nearestHolders(q, nodePath, 'cases.handle')));
  if (departmentId !== null) users.push(...(await repo.departmentMemberIds(q, [departmentId])));
  return users;
}

/**
 * Dispatch (派遣) to a grid of the caller's area and/or a department at or above the case; starts the SLA clock.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN, CASE_DISPATCH_TARGET_REQUIRED,
 *   CASE_DISPATCH_TARGET_INVALID, CASE_DEPARTMENT_NOT_FOUND
 */
export function dispatchCase(
  deps: CasesDeps,
  ctx: Ctx,
  id: number,
  body: { nodeId?: number; departmentId?: number; note?: string },
): Promise<CaseDetail> {
  return step(deps, ctx, id, 'dispatch', async ({ tx, c }) => {
    if (body.nodeId === undefined && body.departmentId === undefined) {
      throw new AppError('CASE_DISPATCH_TARGET_REQUIRED', { field: 'nodeId' });
    }
    const node = body.nodeId !== undefined ? await gridTarget(tx, ctx, body.nodeId) : null;
    const dept = body.departmentId !== undefined ? await departmentFor(tx, c, body.departmentId, 'departmentId') : null;
    return {
      patch: {
        ...(await clock(tx, c, new Date())),
        assignee_node_id: node?.id ?? null,
        assignee_department_id: dept?.id ?? null,
        handler_id: null,
        accepted_at: null,
      },
      event: {
        note: body.note || null,
        data: {
          nodeId: node?.id ?? null,
          nodeName: node?.name ?? null,
          departmentId: dept?.id ?? null,
          departmentName: dept?.name ?? null,
        },
        isPublic: true,
      },
      auditDiff: {
        assigneeNodeId: [c.assignee_node_id, node?.id ?? null],
        assigneeDepartmentId: [c.assignee_department_id, dept?.id ?? null],
      },
      tell: [
        { users: await handlersOfAssignee(tx, node?.path ?? null, dept?.id ?? null), kind: CASE_NOTIFY.dispatched },
      ],
      sla: 'arm',
    };
  });
}

/**
 * Return (退回) a wrongly routed case to where it came from, with a reason; the clock stops until it is dispatched.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN, REASON_REQUIRED
 */
export function returnCase(deps: CasesDeps, ctx: Ctx, id: number, body: { reason: string }): Promise<CaseDetail> {
  return step(deps, ctx, id, 'return', async ({ tx, c }) => {
    const reason = requireReason(body.reason);
    return {
      patch: {
        assignee_node_id: null,
        assignee_department_id: null,
        handler_id: null,
        dispatched_at: null,
        response_due_at: null,
        handle_due_at: null,
        accepted_at: null,
      },
      event: { note: reason, isPublic: false },
      reason,
      tell: [{ users: await managersOf(tx, c), kind: CASE_NOTIFY.returned }],
      sla: 'arm',
    };
  });
}

/**
 * Whistle (吹哨) the case to one or more departments at or above it, each with a deadline (default: the category's
 * handling time from now); more may be added while it is whistled.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN, CASE_DEPARTMENT_NOT_FOUND, CASE_DATE_PAST
 */
export function whistleCase(
  deps: CasesDeps,
  ctx: Ctx,
  id: number,
  body: { departmentIds: number[]; dueAt?: string; note: string },
): Promise<CaseDetail> {
  return step(deps, ctx, id, 'whistle', async ({ tx, c }) => {
    const now = new Date();
    let due: Date;
    if (body.dueAt !== undefined) {
      due = new Date(body.dueAt);
      if (due.getTime() <= now.getTime()) throw new AppError('CASE_DATE_PAST', { field: 'dueAt' });
    } else {
      const cat = (await repo.findCategory(tx, c.category_id))!;
      due = (await dueAt(tx, now, cat.handle_sla)) ?? new Date(now.getTime() + DEFAULT_WHISTLE_DAYS * 86400_000);
    }
    const depts: repo.DepartmentRow[] = [];
    for (const [i, did] of body.departmentIds.entries())
      depts.push(await departmentFor(tx, c, did, `departmentIds.${i}`));
    const added: repo.DepartmentRow[] = [];
    for (const d of depts) {
      const ok = await repo.insertWhistle(tx, {
        countyId: Number(c.county_id),
        caseId: c.id,
        departmentId: d.id,
        dueAt: due,
        whistledBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
      });
      if (ok) added.push(d);
    }
    const patch: repo.CasePatch = c.dispatched_at === null ? await clock(tx, c, now) : {};
    return {
      patch,
      event: {
        note: body.note,
        data: { departments: added.map((d) => ({ id: Number(d.id), name: d.name })), dueAt: due.toISOString() },
      },
      auditDiff: { departments: [null, added.map((d) => d.name)] },
      tell: [
        {
          users: await repo.departmentMemberIds(
            tx,
            added.map((d) => Number(d.id)),
          ),
          kind: CASE_NOTIFY.whistled,
        },
      ],
      sla: 'arm',
    };
  });
}

/**
 * A progress note (with photos), public to the reporter unless `public: false`.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN, FILE_NOT_FOUND, FILE_ATTACH_LIMIT
 */
export function addNote(
  deps: CasesDeps,
  ctx: Ctx,
  id: number,
  body: { note: string; fileIds?: string[]; public?: boolean },
): Promise<CaseDetail> {
  return step(deps, ctx, id, 'note', async () => ({
    patch: {},
    event: { note: body.note, isPublic: body.public ?? true },
    fileIds: body.fileIds,
    sla: 'none',
  }));
}

/**
 * Handled (处置完成): the handler (or a manager) reports it done, with photos; the verify clock starts.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN, FILE_NOT_FOUND
 */
export function handleCase(
  deps: CasesDeps,
  ctx: Ctx,
  id: number,
  body: { note: string; fileIds?: string[] },
): Promise<CaseDetail> {
  return step(deps, ctx, id, 'handle', async ({ tx, c }) => {
    const now = new Date();
    const cat = (await repo.findCategory(tx, c.category_id))!;
    return {
      patch: { handled_at: now, verify_due_at: await dueAt(tx, now, cat.verify_sla) },
      event: { note: body.note },
      fileIds: body.fileIds,
      tell: [{ users: reporterOf(c), kind: CASE_NOTIFY.handled }],
      sla: 'arm',
    };
  });
}

/**
 * Escalate (上报): what the grid cannot solve goes up to the community or street, with a reason.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN, REASON_REQUIRED
 */
export function escalateCase(deps: CasesDeps, ctx: Ctx, id: number, body: { reason: string }): Promise<CaseDetail> {
  return step(deps, ctx, id, 'escalate', async ({ tx, c }) => {
    const reason = requireReason(body.reason);
    return {
      patch: {},
      event: { note: reason, isPublic: false },
      reason,
      tell: [{ users: await managersOf(tx, c), kind: CASE_NOTIFY.escalated }],
      sla: 'arm',
    };
  });
}

/**
 * Verify (核查): passed closes the case (the reporter may then rate it); failed sends it back to handling (rework).
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN
 */
export function verifyCase(
  deps: CasesDeps,
  ctx: Ctx,
  id: number,
  body: { passed: boolean; note?: string; fileIds?: string[] },
): Promise<CaseDetail> {
  return step(
    deps,
    ctx,
    id,
    'verify',
    async ({ c }) => ({
      patch: body.passed
        ? { closed_at: new Date(), verify_due_at: null }
        : { handled_at: null, verify_due_at: null, rework_count: c.rework_count + 1 },
      event: { action: body.passed ? 'verify_pass' : 'verify_fail', note: body.note || null },
      fileIds: body.fileIds,
      tell: body.passed
        ? [{ users: reporterOf(c), kind: CASE_NOTIFY.closed }]
        : [{ users: c.handler_id === null ? [] : [Number(c.handler_id)], kind: CASE_NOTIFY.returned }],
      sla: 'arm',
    }),
    body.passed,
  );
}

/** Today in Asia/Shanghai, YYYY-MM-DD. */
const todayShanghai = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

/**
 * Park (挂账) a case that cannot be solved now, until a review date.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN, REASON_REQUIRED, CASE_DATE_PAST
 */
export function parkCase(
  deps: CasesDeps,
  ctx: Ctx,
  id: number,
  body: { reason: string; until: string },
): Promise<CaseDetail> {
  return step(deps, ctx, id, 'park', async ({ c }) => {
    const reason = requireReason(body.reason);
    if (body.until <= todayShanghai()) throw new AppError('CASE_DATE_PAST', { field: 'until' });
    return {
      patch: { parked_until: body.until, parked_from_stage: c.stage },
      event: { note: reason, data: { until: body.until } },
      reason,
      auditDiff: { parkedUntil: [null, body.until] },
      sla: 'park',
    };
  });
}

/**
 * Unpark: back to the stage it was parked from.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN
 */
export function unparkCase(deps: CasesDeps, ctx: Ctx, id: number): Promise<CaseDetail> {
  return step(deps, ctx, id, 'unpark', async ({ c }) => ({
    patch: { parked_until: null, parked_from_stage: null },
    auditDiff: { parkedUntil: [c.parked_until, null] },
    sla: 'arm',
  }));
}

/**
 * Cancel (不予立案) a report that is not a case, with a reason.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN, REASON_REQUIRED
 */
export function cancelCase(deps: CasesDeps, ctx: Ctx, id: number, body: { reason: string }): Promise<CaseDetail> {
  return step(deps, ctx, id, 'cancel', async () => {
    const reason = requireReason(body.reason);
    return { patch: {}, event: { note: reason }, reason, sla: 'arm' };
  });
}

/**
 * Merge a duplicate into another open case the caller manages; the other case's timeline notes it.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, FORBIDDEN, CASE_MERGE_TARGET_INVALID
 */
export function mergeCase(
  deps: CasesDeps,
  ctx: Ctx,
  id: number,
  body: { intoId: number; note?: string },
): Promise<CaseDetail> {
  return step(deps, ctx, id, 'merge', async ({ tx, c }) => {
    const invalid = () => new AppError('CASE_MERGE_TARGET_INVALID', { field: 'intoId' });
    if (body.intoId === c.id) throw invalid();
    const into = await repo.findCase(tx, body.intoId, true);
    if (!into || !can(ctx.principal, 'cases.manage', into.node_path)) throw invalid();
    if (['closed', 'merged', 'cancelled'].includes(into.stage)) throw invalid();
    await repo.insertEvent(tx, {
      countyId: Number(into.county_id),
      caseId: into.id,
      actorId: ctx.principal.userId > 0 ? ctx.principal.userId : null,
      actorName: ctx.principal.displayName,
      action: 'merged_in',
      fromStage: into.stage,
      toStage: into.stage,
      note: body.note || null,
      data: { caseId: Number(c.id), caseNo: c.case_no },
      isPublic: false,
    });
    await repo.updateCase(tx, into.id, {});
    await publishCase(tx, into);
    return {
      patch: { merged_into_id: into.id },
      event: { note: body.note || null, data: { intoId: Number(into.id), intoNo: into.case_no } },
      auditDiff: { mergedIntoId: [null, Number(into.id)] },
      sla: 'arm',
    };
  });
}

/**
 * Rate (评价) a closed case, once, by its reporter.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, CASE_ALREADY_RATED, FORBIDDEN
 */
export function rateCase(
  deps: CasesDeps,
  ctx: Ctx,
  id: number,
  body: { rating: number; comment?: string },
): Promise<CaseDetail> {
  return step(deps, ctx, id, 'rate', async () => ({
    patch: { rating: body.rating, rating_comment: body.comment || null, rated_at: new Date() },
    event: { note: body.comment || null, data: { rating: body.rating } },
    auditDiff: { rating: [null, body.rating] },
    sla: 'none',
  }));
}

/**
 * Reopen (没解决): the reporter says a closed case is not solved, before rating and within 30 days; it goes back to
 * whoever had it, with the clock restarted.
 * @throws CASE_NOT_FOUND, CASE_TRANSITION_REFUSED, CASE_ALREADY_RATED, CASE_REOPEN_EXPIRED, FORBIDDEN, REASON_REQUIRED
 */
export function reopenCase(deps: CasesDeps, ctx: Ctx, id: number, body: { reason: string }): Promise<CaseDetail> {
  return step(deps, ctx, id, 'reopen', async ({ tx, c }) => {
    const reason = requireReason(body.reason);
    const assigneeNode = c.assignee_node_id ?? c.grid_id ?? c.node_id;
    const node = await repo.findNode(tx, assigneeNode);
    return {
      patch: {
        ...(await clock(tx, c, new Date())),
        assignee_node_id: c.assignee_department_id !== null && c.assignee_node_id === null ? null : assigneeNode,
        handler_id: null,
        accepted_at: null,
        handled_at: null,
        verify_due_at: null,
        closed_at: null,
        rework_count: c.rework_count + 1,
      },
      event: { note: reason },
      reason,
      tell: [
        {
          users: [
            ...(await handlersOfAssignee(tx, node?.path ?? null, c.assignee_department_id)),
            ...(await managersOf(tx, c)),
          ],
          kind: CASE_NOTIFY.reopened,
        },
      ],
      sla: 'arm',
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// A department's side of a whistle

/**
 * A department member accepts, reports back on, or returns a whistle of their department. When no whistle is open
 * any more, the case is handled (some department reported) or goes back to the managers (all returned).
 * @throws CASE_NOT_FOUND, CASE_WHISTLE_NOT_FOUND, CASE_WHISTLE_CLOSED, CASE_TRANSITION_REFUSED, FORBIDDEN,
 *   REASON_REQUIRED, FILE_NOT_FOUND
 */
export async function answerWhistle(
  deps: CasesDeps,
  ctx: Ctx,
  id: number,
  whistleId: number,
  answer: 'accept' | 'report' | 'return',
  body: { note?: string; reason?: string; fileIds?: string[] },
): Promise<CaseDetail> {
  return deps.db.transaction(async (tx) => {
    const c = await repo.findCase(tx, id, true);
    if (!c) throw notFound();
    const whistles = await repo.listWhistles(tx, id);
    const rel = await relationOf(tx, ctx, c, whistles);
    if (!rel.canRead) throw notFound();
    const w = whistles.find((x) => Number(x.id) === whistleId);
    if (!w) throw new AppError('CASE_WHISTLE_NOT_FOUND');
    if (c.stage !== 'whistled') {
      throw new AppError('CASE_TRANSITION_REFUSED', {
        params: { stage: say(ctx, c.stage_zh, c.stage_en), action: say(ctx, '部门答复', 'answer a whistle') },
      });
    }
    if (!rel.myDepartmentIds.includes(Number(w.department_id))) throw new AppError('FORBIDDEN');
    if (!OPEN_WHISTLE(w) || (answer === 'accept' && w.status !== 'pending')) {
      throw new AppError('CASE_WHISTLE_CLOSED', { params: { status: w.status } });
    }
    const me = ctx.principal.userId > 0 ? ctx.principal.userId : null;
    let note: string | null = body.note || null;
    if (answer === 'return') note = requireReason(body.reason);
    await repo.updateWhistle(
      tx,
      w.id,
      answer === 'accept' ? 'accepted' : answer === 'report' ? 'reported' : 'returned',
      me,
      note,
    );
    const counts = await repo.countOpenWhistles(tx, id);
    let to: CaseStage = c.stage;
    const patch: repo.CasePatch = {};
    const tell: { users: number[]; kind: string }[] = [];
    if (answer !== 'accept' && counts.open === 0) {
      if (counts.reported > 0) {
        to = 'handled';
        const now = new Date();
        const cat = (await repo.findCategory(tx, c.category_id))!;
        patch.handled_at = now;
        patch.verify_due_at = await dueAt(tx, now, cat.verify_sla);
        tell.push({ users: reporterOf(c), kind: CASE_NOTIFY.handled });
      } else {
        to = 'escalated';
        tell.push({ users: await managersOf(tx, c), kind: CASE_NOTIFY.returned });
      }
    } else if (answer === 'return') {
      tell.push({ users: await managersOf(tx, c), kind: CASE_NOTIFY.returned });
    }
    return finish(
      deps,
      tx,
      ctx,
      c,
      `whistle_${answer}`,
      to,
      {
        patch,
        event: {
          note,
          data: { whistleId: Number(w.id), departmentId: Number(w.department_id), departmentName: w.department_name },
          isPublic: answer === 'report',
        },
        fileIds: answer === 'report' ? body.fileIds : undefined,
        reason: answer === 'return' ? note : null,
        auditDiff: {
          [`whistle.${w.id}`]: [
            w.status,
            answer === 'accept' ? 'accepted' : answer === 'report' ? 'reported' : 'returned',
          ],
        },
        tell,
        sla: 'arm',
      },
      rel,
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Files on timeline events

/** Whether the caller may read an event's photos: whoever reads the case (a reporter: public events only). */
export async function canReadEventFiles(q: Queryable, ctx: Ctx, eventId: number): Promise<boolean> {
  const e = await repo.findEvent(q, eventId);
  if (!e) return false;
  const r = await canReadCase(q, ctx, Number(e.case_id));
  return r.all || (r.read && e.public);
}

/** Photos are attached by the event's author as the event is written. */
export async function canAttachEventFiles(q: Queryable, ctx: Ctx, eventId: number): Promise<boolean> {
  const e = await repo.findEvent(q, eventId);
  return e !== undefined && e.actor_id !== null && Number(e.actor_id) === ctx.principal.userId;
}

/** The attachment kind 'case_event': photos on a timeline event, at most 9 an event. */
export function registerCaseAttachments(): void {
  registerAttachmentKind({
    kind: CASE_EVENT_FILE_KIND,
    maxFiles: CASE_EVENT_MAX_FILES,
    canRead: (ctx, id, db) => canReadEventFiles(db, ctx, id),
    canAttach: (ctx, id, db) => canAttachEventFiles(db, ctx, id),
  });
}
