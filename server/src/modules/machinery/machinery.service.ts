/**
 * Farm machinery sharing (农机共享). Owners (cooperatives, alliances, households) list machines kept in villages;
 * farmers (or a worker for them) post demand for a field; a worker books a machine for a demand, or dispatches every
 * open demand of their area at once; the owner marks the job done with the area done; monthly figures per machine,
 * owner and village.
 *
 * Scope: owners, machines and demands lie at their node (the owner's place, the machine's village, the field's
 * village): services.read over it to read, services.manage to change. A booking belongs to both places, the
 * field's and the machine's: either one's readers see it and either one's managers complete or cancel it. Sharing
 * is within a town: a demand is matched with machines of its village first, then of the other villages of its town,
 * whoever manages those (a machine's name, owner and price are not personal data).
 *
 * Double booking: every booking takes the machine's row lock before it reads the machine's calendar, and the
 * database's exclusion constraint refuses an overlapping period whatever happens; both answer
 * MACHINERY_BOOKING_OVERLAP.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError, type ErrorCode } from '../../platform/errors/errors.js';
import { maskName, type PiiCipher } from '../../platform/pii/index.js';
import { findNodeById } from '../org/org.service.js';
import { sealPhone } from '../people/people.service.js';
import { dayInShanghai } from '../reports/reports.logic.js';
import { linkedResidentOf } from '../users/users.service.js';
import {
  addDays,
  checkBooking,
  costFen,
  type DayRange,
  type DemandFacts,
  dayNumber,
  MAX_WINDOW_DAYS,
  type MachineFacts,
  matchDemand,
  monthBounds,
  revenueFen,
  scheduleDemands,
  tenths,
} from './machinery.logic.js';
import * as repo from './machinery.repo.js';
import type {
  Booking,
  BookingCreate,
  BookingListQuery,
  CompleteBody,
  Demand,
  DemandCreate,
  DemandListQuery,
  DispatchBody,
  DispatchResult,
  Machine,
  MachineCreate,
  MachineListQuery,
  MachinePatch,
  MatchView,
  MyDemandCreate,
  Owner,
  OwnerCreate,
  Stats,
  StatsRow,
} from './machinery.schemas.js';

export type MachineryDeps = { db: Db; pii: PiiCipher };

const yuan = (fen: number) => fen / 100;
const fen = (yuanAmount: number) => Math.round(yuanAmount * 100);

// ---- views -----------------------------------------------------------------------------------------------------

function toOwner(r: repo.OwnerRow): Owner {
  return {
    id: r.id,
    nodeId: r.node_id,
    nodeName: r.node_name,
    name: r.name,
    kind: r.kind,
    contactName: r.contact_name,
    phone: r.phone_masked,
    partnerOrgId: r.partner_org_id,
    machines: r.machines,
    createdAt: r.created_at.toISOString(),
  };
}

function toMachine(r: repo.MachineRow): Machine {
  return {
    id: r.id,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    nodeId: r.node_id,
    nodeName: r.node_name,
    type: r.type,
    name: r.name,
    capacityMu: Number(r.capacity_mu),
    pricePerMu: yuan(r.price_fen),
    lat: r.lat === null ? null : Number(r.lat),
    lng: r.lng === null ? null : Number(r.lng),
    status: r.status,
  };
}

function machineFacts(r: repo.MachineRow): MachineFacts {
  return {
    id: r.id,
    type: r.type,
    capacityMu: Number(r.capacity_mu),
    priceFen: r.price_fen,
    status: r.status,
    path: r.node_path,
  };
}

function demandFacts(d: repo.DemandRow): DemandFacts {
  return {
    id: d.id,
    machineType: d.machine_type,
    areaMu: Number(d.area_mu),
    window: { start: d.window_start, end: d.window_end },
    villagePath: d.node_path,
    townPath: d.town_path,
  };
}

function toBooking(r: repo.BookingRow, ownName = false): Booking {
  return {
    id: r.id,
    machineId: r.machine_id,
    machineName: r.machine_name,
    machineType: r.machine_type,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    demandId: r.demand_id,
    villageName: r.village_name,
    farmerName: ownName ? r.farmer_name : maskName(r.farmer_name),
    place: r.place,
    crop: r.crop,
    start: r.start,
    end: r.end,
    areaMu: Number(r.area_mu),
    pricePerMu: yuan(r.price_fen),
    status: r.status,
    areaDoneMu: r.area_done_mu === null ? null : Number(r.area_done_mu),
    revenueYuan: r.revenue_fen === null ? null : yuan(r.revenue_fen),
    completedAt: r.completed_at?.toISOString() ?? null,
  };
}

async function toDemands(q: Queryable, rows: repo.DemandRow[], ownName: boolean): Promise<Demand[]> {
  const ids = rows.map((r) => r.id);
  const bookings =
    ids.length === 0
      ? []
      : await repo.listBookings(q, `b.demand_id = ANY($1::bigint[]) AND b.status <> 'cancelled'`, [ids]);
  const byDemand = new Map(bookings.map((b) => [b.demand_id, b]));
  return rows.map((d) => {
    const b = byDemand.get(d.id);
    return {
      id: d.id,
      nodeId: d.node_id,
      nodeName: d.node_name,
      residentId: d.resident_id,
      farmerName: ownName ? d.farmer_name : maskName(d.farmer_name),
      place: d.place,
      crop: d.crop,
      machineType: d.machine_type,
      areaMu: Number(d.area_mu),
      windowStart: d.window_start,
      windowEnd: d.window_end,
      note: d.note,
      status: d.status,
      booking: b
        ? {
            id: b.id,
            machineId: b.machine_id,
            machineName: b.machine_name,
            ownerName: b.owner_name,
            start: b.start,
            end: b.end,
            status: b.status,
            areaDoneMu: b.area_done_mu === null ? null : Number(b.area_done_mu),
            costYuan: yuan(costFen(Number(b.area_mu), b.price_fen)),
          }
        : null,
      createdAt: d.created_at.toISOString(),
    };
  });
}

// ---- helpers ---------------------------------------------------------------------------------------------------

/** A village the caller manages. @throws ORG_NODE_NOT_FOUND, MACHINERY_NODE_NOT_VILLAGE, FORBIDDEN, OUT_OF_SCOPE */
async function managedVillage(q: Queryable, ctx: Ctx, nodeId: number) {
  const node = await findNodeById(q, nodeId);
  if (!node || node.status !== 'active') throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  assertCan(ctx.principal, 'services.manage', node.path, {
    readPermission: 'services.read',
    notFound: new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' }),
  });
  if (node.type !== 'village') throw new AppError('MACHINERY_NODE_NOT_VILLAGE', { field: 'nodeId' });
  return node;
}

/** @throws MACHINERY_WINDOW_INVALID (field windowEnd or windowStart) */
function checkWindow(start: string, end: string): void {
  if (Number.isNaN(dayNumber(start))) throw new AppError('MACHINERY_WINDOW_INVALID', { field: 'windowStart' });
  if (Number.isNaN(dayNumber(end)) || end < start)
    throw new AppError('MACHINERY_WINDOW_INVALID', { field: 'windowEnd' });
  if (dayNumber(end) - dayNumber(start) + 1 > MAX_WINDOW_DAYS)
    throw new AppError('MACHINERY_WINDOW_INVALID', { field: 'windowEnd' });
  if (end < dayInShanghai(new Date())) throw new AppError('MACHINERY_WINDOW_INVALID', { field: 'windowEnd' });
}

const bookingScope = (ctx: Ctx, permission: 'services.read' | 'services.manage') => {
  const s = scopeFor(ctx.principal, permission);
  return `(${scopeSql(s, 'b.node_path')} OR ${scopeSql(s, 'm.node_path')})`;
};

const canOnBooking = (ctx: Ctx, permission: 'services.read' | 'services.manage', b: repo.BookingRow) =>
  can(ctx.principal, permission, b.node_path) || can(ctx.principal, permission, b.machine_path);

/** A booking the caller may change; one they may not even read is not found. */
async function managedBooking(tx: Queryable, ctx: Ctx, id: number): Promise<repo.BookingRow> {
  assertPermission(ctx.principal, 'services.read');
  const b = await repo.findBooking(tx, id, true);
  if (!b || !canOnBooking(ctx, 'services.read', b)) throw new AppError('MACHINERY_BOOKING_NOT_FOUND');
  if (!canOnBooking(ctx, 'services.manage', b)) throw new AppError('OUT_OF_SCOPE');
  return b;
}

/** Turns the database's refusals of a booking into their codes (another booking won the race). */
function bookingConflict(err: unknown): never {
  const code = (err as { code?: string } | null)?.code;
  if (code === '23P01') throw new AppError('MACHINERY_BOOKING_OVERLAP', { field: 'start', cause: err });
  if (code === '23505') throw new AppError('MACHINERY_DEMAND_NOT_OPEN', { cause: err });
  throw err;
}

// ---- owners ----------------------------------------------------------------------------------------------------

export async function listOwners(deps: MachineryDeps, ctx: Ctx): Promise<{ items: Owner[] }> {
  assertPermission(ctx.principal, 'services.read');
  const rows = await repo.listOwners(deps.db, scopeSql(scopeFor(ctx.principal, 'services.read'), 'o.node_path'));
  return { items: rows.map(toOwner) };
}

/** @throws ORG_NODE_NOT_FOUND, PHONE_INVALID, PARTNER_ORG_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE */
export async function createOwner(deps: MachineryDeps, ctx: Ctx, body: OwnerCreate): Promise<Owner> {
  assertPermission(ctx.principal, 'services.manage');
  const phone = sealPhone(deps.pii, body.phone ?? null, 'phone');
  const id = await deps.db.transaction(async (tx) => {
    const node = await findNodeById(tx, body.nodeId);
    const notFound = new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    if (!node || node.status !== 'active') throw notFound;
    assertCan(ctx.principal, 'services.manage', node.path, { readPermission: 'services.read', notFound });
    if (!['town', 'street', 'community', 'village'].includes(node.type))
      throw new AppError('MACHINERY_NODE_NOT_VILLAGE', { field: 'nodeId' });
    if (body.partnerOrgId) {
      if ((await repo.partnerOrgCounty(tx, body.partnerOrgId)) !== node.county_id)
        throw new AppError('PARTNER_ORG_NOT_FOUND', { field: 'partnerOrgId' });
    }
    const ownerId = await repo.insertOwner(tx, {
      countyId: node.county_id,
      nodeId: node.id,
      nodePath: node.path,
      name: body.name,
      kind: body.kind,
      contactName: body.contactName ?? null,
      phoneMasked: phone?.masked ?? null,
      phoneSealed: phone?.sealed ?? null,
      partnerOrgId: body.partnerOrgId ?? null,
      createdBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
    });
    await recordAudit(tx, ctx, {
      action: 'machinery.owner_create',
      targetType: 'machinery_owner',
      targetId: ownerId,
      targetLabel: body.name,
      scopePath: node.path,
      countyId: node.county_id,
      after: { name: body.name, kind: body.kind, nodeId: node.id, phone: phone?.masked ?? null },
    });
    return ownerId;
  });
  return toOwner((await repo.findOwner(deps.db, id))!);
}

// ---- machines --------------------------------------------------------------------------------------------------

export async function listMachines(
  deps: MachineryDeps,
  ctx: Ctx,
  query: MachineListQuery,
): Promise<{ items: Machine[] }> {
  assertPermission(ctx.principal, 'services.read');
  const scope = scopeSql(scopeFor(ctx.principal, 'services.read'), 'm.node_path');
  return { items: (await repo.listMachines(deps.db, scope, query)).map(toMachine) };
}

/** @throws MACHINERY_OWNER_NOT_FOUND, ORG_NODE_NOT_FOUND, MACHINERY_NODE_NOT_VILLAGE, FORBIDDEN, OUT_OF_SCOPE */
export async function createMachine(deps: MachineryDeps, ctx: Ctx, body: MachineCreate): Promise<Machine> {
  assertPermission(ctx.principal, 'services.manage');
  const id = await deps.db.transaction(async (tx) => {
    const owner = await repo.findOwner(tx, body.ownerId);
    if (!owner || !can(ctx.principal, 'services.read', owner.node_path))
      throw new AppError('MACHINERY_OWNER_NOT_FOUND', { field: 'ownerId' });
    const village = await managedVillage(tx, ctx, body.nodeId);
    if (village.county_id !== owner.county_id) throw new AppError('MACHINERY_TOO_FAR', { field: 'nodeId' });
    const machineId = await repo.insertMachine(tx, {
      countyId: village.county_id,
      ownerId: owner.id,
      nodeId: village.id,
      nodePath: village.path,
      type: body.type,
      name: body.name,
      capacityMu: body.capacityMu,
      priceFen: fen(body.pricePerMu),
      lat: body.lat ?? null,
      lng: body.lng ?? null,
    });
    await recordAudit(tx, ctx, {
      action: 'machinery.machine_create',
      targetType: 'machinery_machine',
      targetId: machineId,
      targetLabel: body.name,
      scopePath: village.path,
      countyId: village.county_id,
      after: { ...body },
    });
    return machineId;
  });
  return toMachine((await repo.findMachine(deps.db, id))!);
}

/** @throws MACHINERY_MACHINE_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE */
export async function updateMachine(deps: MachineryDeps, ctx: Ctx, id: number, body: MachinePatch): Promise<Machine> {
  assertPermission(ctx.principal, 'services.manage');
  await deps.db.transaction(async (tx) => {
    const m = await repo.findMachine(tx, id, true);
    const notFound = new AppError('MACHINERY_MACHINE_NOT_FOUND');
    if (!m) throw notFound;
    assertCan(ctx.principal, 'services.manage', m.node_path, { readPermission: 'services.read', notFound });
    const next = {
      name: body.name ?? m.name,
      capacityMu: body.capacityMu ?? Number(m.capacity_mu),
      priceFen: body.pricePerMu === undefined ? m.price_fen : fen(body.pricePerMu),
      status: body.status ?? m.status,
    };
    await repo.updateMachine(tx, id, next);
    await recordAudit(tx, ctx, {
      action: 'machinery.machine_update',
      targetType: 'machinery_machine',
      targetId: id,
      targetLabel: m.name,
      scopePath: m.node_path,
      countyId: m.county_id,
      before: { name: m.name, capacityMu: Number(m.capacity_mu), priceFen: m.price_fen, status: m.status },
      after: next,
    });
  });
  return toMachine((await repo.findMachine(deps.db, id))!);
}

// ---- demands ---------------------------------------------------------------------------------------------------

export async function listDemands(
  deps: MachineryDeps,
  ctx: Ctx,
  query: DemandListQuery,
): Promise<{ items: Demand[]; total: number }> {
  assertPermission(ctx.principal, 'services.read');
  const where = [scopeSql(scopeFor(ctx.principal, 'services.read'), 'd.node_path')];
  const params: unknown[] = [];
  if (query.status) {
    params.push(query.status);
    where.push(`d.status = $${params.length}`);
  }
  if (query.from) {
    params.push(query.from);
    where.push(`d.window_end >= $${params.length}::date`);
  }
  if (query.to) {
    params.push(query.to);
    where.push(`d.window_start <= $${params.length}::date`);
  }
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listDemands(deps.db, where.join(' AND '), params, {
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return { items: await toDemands(deps.db, rows, false), total };
}

/**
 * A worker posts demand for a farmer of a village they manage: a resident of the village, or a name.
 * @throws ORG_NODE_NOT_FOUND, MACHINERY_NODE_NOT_VILLAGE, MACHINERY_RESIDENT_NOT_FOUND, MACHINERY_FARMER_REQUIRED,
 * MACHINERY_WINDOW_INVALID, FORBIDDEN, OUT_OF_SCOPE
 */
export async function createDemand(deps: MachineryDeps, ctx: Ctx, body: DemandCreate): Promise<Demand> {
  assertPermission(ctx.principal, 'services.manage');
  checkWindow(body.windowStart, body.windowEnd);
  const id = await deps.db.transaction(async (tx) => {
    const village = await managedVillage(tx, ctx, body.nodeId);
    let farmerName = body.farmerName;
    if (body.residentId) {
      const r = await repo.residentFacts(tx, body.residentId);
      if (!r || !r.node_path.startsWith(village.path))
        throw new AppError('MACHINERY_RESIDENT_NOT_FOUND', { field: 'residentId' });
      farmerName = r.name;
    }
    if (!farmerName) throw new AppError('MACHINERY_FARMER_REQUIRED', { field: 'farmerName' });
    return insertDemandAudited(
      tx,
      ctx,
      { id: village.id, path: village.path, county_id: village.county_id },
      {
        ...body,
        residentId: body.residentId ?? null,
        farmerName,
      },
    );
  });
  return (await toDemands(deps.db, [(await repo.findDemand(deps.db, id))!], false))[0]!;
}

async function insertDemandAudited(
  tx: Queryable,
  ctx: Ctx,
  village: { id: number; path: string; county_id: number },
  d: MyDemandCreate & { residentId: number | null; farmerName: string },
): Promise<number> {
  const id = await repo.insertDemand(tx, {
    countyId: village.county_id,
    nodeId: village.id,
    nodePath: village.path,
    residentId: d.residentId,
    farmerName: d.farmerName,
    place: d.place,
    crop: d.crop,
    machineType: d.machineType,
    areaMu: d.areaMu,
    windowStart: d.windowStart,
    windowEnd: d.windowEnd,
    note: d.note ?? null,
    createdBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
  });
  await recordAudit(tx, ctx, {
    action: 'machinery.demand_create',
    targetType: 'machinery_demand',
    targetId: id,
    targetLabel: `${d.place} ${d.crop} ${d.areaMu}`,
    scopePath: village.path,
    countyId: village.county_id,
    after: {
      residentId: d.residentId,
      place: d.place,
      crop: d.crop,
      machineType: d.machineType,
      areaMu: d.areaMu,
      windowStart: d.windowStart,
      windowEnd: d.windowEnd,
    },
  });
  return id;
}

/** Machines that can do a demand, nearest and earliest first. @throws MACHINERY_DEMAND_NOT_FOUND */
export async function matchesFor(deps: MachineryDeps, ctx: Ctx, demandId: number): Promise<{ items: MatchView[] }> {
  assertPermission(ctx.principal, 'services.read');
  const d = await repo.findDemand(deps.db, demandId);
  if (!d || !can(ctx.principal, 'services.read', d.node_path)) throw new AppError('MACHINERY_DEMAND_NOT_FOUND');
  if (d.status !== 'open') return { items: [] };
  const machines = await repo.machinesNear(deps.db, d.town_path ?? d.node_path, d.machine_type);
  const busy = await repo.busyOf(
    deps.db,
    machines.map((m) => m.id),
  );
  const byId = new Map(machines.map((m) => [m.id, m]));
  const today = dayInShanghai(new Date());
  const matches = matchDemand(demandFacts(d), machines.map(machineFacts), (id) => busy.get(id) ?? [], today);
  return {
    items: matches.map((x) => {
      const m = byId.get(x.machineId)!;
      return {
        machineId: m.id,
        machineName: m.name,
        ownerName: m.owner_name,
        nodeName: m.node_name,
        place: x.rank === 0 ? ('village' as const) : ('town' as const),
        start: x.slot.start,
        end: x.slot.end,
        days: x.days,
        capacityMu: Number(m.capacity_mu),
        pricePerMu: yuan(m.price_fen),
        costYuan: yuan(x.costFen),
      };
    }),
  };
}

// ---- bookings --------------------------------------------------------------------------------------------------

export async function listBookings(
  deps: MachineryDeps,
  ctx: Ctx,
  query: BookingListQuery,
): Promise<{ items: Booking[] }> {
  assertPermission(ctx.principal, 'services.read');
  const where = [bookingScope(ctx, 'services.read')];
  const params: unknown[] = [];
  if (query.machineId) {
    params.push(query.machineId);
    where.push(`b.machine_id = $${params.length}`);
  }
  if (query.status) {
    params.push(query.status);
    where.push(`b.status = $${params.length}`);
  } else where.push(`b.status <> 'cancelled'`);
  if (query.from) {
    params.push(query.from);
    where.push(`upper(b.period) > $${params.length}::date`);
  }
  if (query.to) {
    params.push(query.to);
    where.push(`lower(b.period) <= $${params.length}::date`);
  }
  return { items: (await repo.listBookings(deps.db, where.join(' AND '), params)).map((b) => toBooking(b)) };
}

async function bookIn(
  tx: Queryable,
  ctx: Ctx,
  d: repo.DemandRow,
  m: repo.MachineRow,
  slot: DayRange,
  busy: readonly DayRange[],
  via: 'booking' | 'dispatch',
): Promise<number> {
  const refusal = checkBooking(demandFacts(d), machineFacts(m), slot, busy);
  if (refusal) throw new AppError(refusal as ErrorCode, { field: refusalField[refusal] });
  const id = await repo.insertBooking(tx, {
    countyId: d.county_id,
    machineId: m.id,
    demandId: d.id,
    nodePath: d.node_path,
    start: slot.start,
    end: slot.end,
    areaMu: Number(d.area_mu),
    priceFen: m.price_fen,
    bookedBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
  });
  await repo.setDemandStatus(tx, d.id, 'booked');
  await recordAudit(tx, ctx, {
    action: 'machinery.booking_create',
    targetType: 'machinery_booking',
    targetId: id,
    targetLabel: `${m.name} ${slot.start}~${slot.end}`,
    scopePath: d.node_path,
    countyId: d.county_id,
    after: { demandId: d.id, machineId: m.id, start: slot.start, end: slot.end, via },
  });
  return id;
}

const refusalField: Record<string, string> = {
  MACHINERY_MACHINE_UNAVAILABLE: 'machineId',
  MACHINERY_TYPE_MISMATCH: 'machineId',
  MACHINERY_TOO_FAR: 'machineId',
  MACHINERY_OUTSIDE_WINDOW: 'start',
  MACHINERY_CAPACITY_SHORT: 'end',
  MACHINERY_BOOKING_OVERLAP: 'start',
};

/**
 * Books a machine for an open demand over whole days.
 * @throws MACHINERY_DEMAND_NOT_FOUND, MACHINERY_MACHINE_NOT_FOUND, MACHINERY_DEMAND_NOT_OPEN, MACHINERY_WINDOW_INVALID,
 * MACHINERY_MACHINE_UNAVAILABLE, MACHINERY_TYPE_MISMATCH, MACHINERY_TOO_FAR, MACHINERY_OUTSIDE_WINDOW,
 * MACHINERY_CAPACITY_SHORT, MACHINERY_BOOKING_OVERLAP, FORBIDDEN, OUT_OF_SCOPE
 */
export async function createBooking(deps: MachineryDeps, ctx: Ctx, body: BookingCreate): Promise<Booking> {
  assertPermission(ctx.principal, 'services.manage');
  if (body.end < body.start) throw new AppError('MACHINERY_WINDOW_INVALID', { field: 'end' });
  let id: number;
  try {
    id = await deps.db.transaction(async (tx) => {
      const d = await repo.findDemand(tx, body.demandId, true);
      const notFound = new AppError('MACHINERY_DEMAND_NOT_FOUND', { field: 'demandId' });
      if (!d) throw notFound;
      assertCan(ctx.principal, 'services.manage', d.node_path, { readPermission: 'services.read', notFound });
      if (d.status !== 'open') throw new AppError('MACHINERY_DEMAND_NOT_OPEN', { field: 'demandId' });
      // the machine's row lock: a second booking of the machine waits here until this one commits
      const m = await repo.findMachine(tx, body.machineId, true);
      if (!m) throw new AppError('MACHINERY_MACHINE_NOT_FOUND', { field: 'machineId' });
      const busy = (await repo.busyOf(tx, [m.id])).get(m.id) ?? [];
      return bookIn(tx, ctx, d, m, { start: body.start, end: body.end }, busy, 'booking');
    });
  } catch (err) {
    bookingConflict(err);
  }
  return toBooking((await repo.findBooking(deps.db, id))!);
}

/**
 * Dispatch (调度): every open demand of the caller's area (or of `nodeId`) whose window has not passed gets the
 * best free machine of its village or town, earliest deadline first (scheduleDemands); the rest are reported.
 * @throws ORG_NODE_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE
 */
export async function dispatch(deps: MachineryDeps, ctx: Ctx, body: DispatchBody): Promise<DispatchResult> {
  assertPermission(ctx.principal, 'services.manage');
  const today = dayInShanghai(new Date());
  let ids: number[];
  let unassigned: DispatchResult['unassigned'];
  try {
    ({ ids, unassigned } = await deps.db.transaction(async (tx) => {
      const where = [
        scopeSql(scopeFor(ctx.principal, 'services.manage'), 'd.node_path'),
        `d.status = 'open'`,
        'd.window_end >= $1::date',
      ];
      const params: unknown[] = [today];
      if (body.nodeId) {
        const node = await findNodeById(tx, body.nodeId);
        const notFound = new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
        if (!node) throw notFound;
        assertCan(ctx.principal, 'services.manage', node.path, { readPermission: 'services.read', notFound });
        params.push(node.path);
        where.push(`d.node_path LIKE $${params.length} || '%'`);
      }
      const { rows: demands } = await repo.listDemands(tx, where.join(' AND '), params, undefined, true);
      const towns = [...new Set(demands.map((d) => d.town_path ?? d.node_path))].sort();
      const types = [...new Set(demands.map((d) => d.machine_type))].sort();
      const machines = new Map<number, repo.MachineRow>();
      // machines locked in id order within each town and type, always in the same order: no deadlock between runs
      for (const town of towns)
        for (const type of types) for (const m of await repo.machinesNear(tx, town, type, true)) machines.set(m.id, m);
      const busy = await repo.busyOf(tx, [...machines.keys()]);
      const plan = scheduleDemands({
        machines: [...machines.values()].map(machineFacts),
        demands: demands.map(demandFacts),
        busy,
        notBefore: today,
      });
      const byDemand = new Map(demands.map((d) => [d.id, d]));
      const booked: number[] = [];
      for (const a of plan.assignments) {
        const m = machines.get(a.machineId)!;
        const mine = busy.get(m.id) ?? [];
        booked.push(await bookIn(tx, ctx, byDemand.get(a.demandId)!, m, a.slot, mine, 'dispatch'));
        busy.set(m.id, [...mine, a.slot]);
      }
      return { ids: booked, unassigned: plan.unassigned };
    }));
  } catch (err) {
    bookingConflict(err);
  }
  const booked = ids.length === 0 ? [] : await repo.listBookings(deps.db, 'b.id = ANY($1::bigint[])', [ids]);
  return { booked: booked.map((b) => toBooking(b)), unassigned };
}

/**
 * The job is done: the area done (at most the area booked) at the booked price is the revenue; the demand is done.
 * @throws MACHINERY_BOOKING_NOT_FOUND, MACHINERY_BOOKING_NOT_OPEN, MACHINERY_AREA_DONE_TOO_LARGE, OUT_OF_SCOPE
 */
export async function completeBooking(deps: MachineryDeps, ctx: Ctx, id: number, body: CompleteBody): Promise<Booking> {
  assertPermission(ctx.principal, 'services.manage');
  await deps.db.transaction(async (tx) => {
    const b = await managedBooking(tx, ctx, id);
    if (b.status !== 'booked') throw new AppError('MACHINERY_BOOKING_NOT_OPEN');
    if (tenths(body.areaDoneMu) > tenths(Number(b.area_mu)))
      throw new AppError('MACHINERY_AREA_DONE_TOO_LARGE', { field: 'areaDoneMu', params: { area: Number(b.area_mu) } });
    const revenue = revenueFen(body.areaDoneMu, b.price_fen);
    await repo.completeBooking(tx, id, body.areaDoneMu, revenue);
    await repo.setDemandStatus(tx, b.demand_id, 'done');
    await recordAudit(tx, ctx, {
      action: 'machinery.booking_complete',
      targetType: 'machinery_booking',
      targetId: id,
      targetLabel: `${b.machine_name} ${b.start}~${b.end}`,
      scopePath: b.node_path,
      countyId: b.county_id,
      after: { areaDoneMu: body.areaDoneMu, revenueFen: revenue },
    });
  });
  return toBooking((await repo.findBooking(deps.db, id))!);
}

/** Frees the machine's days; the demand is open again. @throws MACHINERY_BOOKING_NOT_FOUND, MACHINERY_BOOKING_NOT_OPEN */
export async function cancelBooking(deps: MachineryDeps, ctx: Ctx, id: number): Promise<Booking> {
  assertPermission(ctx.principal, 'services.manage');
  await deps.db.transaction(async (tx) => {
    const b = await managedBooking(tx, ctx, id);
    if (b.status !== 'booked') throw new AppError('MACHINERY_BOOKING_NOT_OPEN');
    await repo.cancelBooking(tx, id);
    await repo.setDemandStatus(tx, b.demand_id, 'open');
    await recordAudit(tx, ctx, {
      action: 'machinery.booking_cancel',
      targetType: 'machinery_booking',
      targetId: id,
      targetLabel: `${b.machine_name} ${b.start}~${b.end}`,
      scopePath: b.node_path,
      countyId: b.county_id,
      before: { status: 'booked' },
      after: { status: 'cancelled' },
    });
  });
  return toBooking((await repo.findBooking(deps.db, id))!);
}

// ---- statistics ------------------------------------------------------------------------------------------------

/** Finished jobs of a month (by completion day, Asia/Shanghai) per machine, owner and village, in the caller's area. */
export async function monthlyStats(deps: MachineryDeps, ctx: Ctx, month: string): Promise<Stats> {
  assertPermission(ctx.principal, 'services.read');
  const { from, to } = monthBounds(month);
  const scope = bookingScope(ctx, 'services.read');
  const view = (r: repo.StatsRowDb): StatsRow => ({
    id: r.id,
    name: r.name,
    bookings: r.bookings,
    areaDoneMu: Number(r.area_done),
    revenueYuan: yuan(Number(r.revenue_fen)),
  });
  const [byMachine, byOwner, byVillage] = await Promise.all(
    (['machine', 'owner', 'village'] as const).map(async (by) =>
      (await repo.monthlyStats(deps.db, scope, by, from, to)).map(view),
    ),
  );
  const total = (byMachine ?? []).reduce(
    (t, r) => ({
      bookings: t.bookings + r.bookings,
      areaDoneMu: (tenths(t.areaDoneMu) + tenths(r.areaDoneMu)) / 10,
      revenueYuan: (fen(t.revenueYuan) + fen(r.revenueYuan)) / 100,
    }),
    { bookings: 0, areaDoneMu: 0, revenueYuan: 0 },
  );
  return { month, total, byMachine: byMachine ?? [], byOwner: byOwner ?? [], byVillage: byVillage ?? [] };
}

// ---- the farmer and the owner on their phones --------------------------------------------------------------------

/** The caller's village through their resident record. @throws MACHINERY_NOT_VILLAGER */
async function myVillage(q: Queryable, ctx: Ctx) {
  const residentId = await linkedResidentOf(q, ctx.principal.userId);
  const r = residentId === null ? undefined : await repo.residentFacts(q, residentId);
  const village = r ? await repo.villageAbove(q, r.node_id) : undefined;
  if (!r || !village) throw new AppError('MACHINERY_NOT_VILLAGER');
  return { resident: r, village };
}

/** The caller's own demands (posted by them or for their resident record), with their bookings. */
export async function myDemands(deps: MachineryDeps, ctx: Ctx): Promise<{ items: Demand[] }> {
  const residentId = await linkedResidentOf(deps.db, ctx.principal.userId);
  const { rows } = await repo.listDemands(deps.db, '(d.created_by = $1 OR d.resident_id = $2)', [
    ctx.principal.userId,
    residentId ?? 0,
  ]);
  return { items: await toDemands(deps.db, rows, true) };
}

/** A farmer posts demand for a field in their own village. @throws MACHINERY_NOT_VILLAGER, MACHINERY_WINDOW_INVALID */
export async function createMyDemand(deps: MachineryDeps, ctx: Ctx, body: MyDemandCreate): Promise<Demand> {
  checkWindow(body.windowStart, body.windowEnd);
  const id = await deps.db.transaction(async (tx) => {
    const { resident, village } = await myVillage(tx, ctx);
    return insertDemandAudited(tx, ctx, village, { ...body, residentId: resident.id, farmerName: resident.name });
  });
  return (await toDemands(deps.db, [(await repo.findDemand(deps.db, id))!], true))[0]!;
}

/**
 * An owner's schedule: bookings of the machines of owners linked to a partner organisation the caller belongs to,
 * from a week ago on. Empty for anyone else.
 */
export async function mySchedule(deps: MachineryDeps, ctx: Ctx): Promise<{ items: Booking[] }> {
  const owners = await repo.ownerIdsOfUser(deps.db, ctx.principal.userId);
  if (owners.length === 0) return { items: [] };
  const since = addDays(dayInShanghai(new Date()), -7);
  const rows = await repo.listBookings(
    deps.db,
    `m.owner_id = ANY($1::bigint[]) AND b.status <> 'cancelled' AND upper(b.period) > $2::date`,
    [owners, since],
  );
  return { items: rows.map((b) => toBooking(b)) };
}
