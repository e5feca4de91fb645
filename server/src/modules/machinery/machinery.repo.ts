/** SQL of farm machinery sharing: owners, machines, demands, bookings and their monthly figures. */
import type { Queryable } from '../../platform/db/client.js';
import type { BookingStatus, DayRange, DemandStatus, MachineStatus, MachineType } from './machinery.logic.js';

// ---- owners ----------------------------------------------------------------------------------------------------

export type OwnerRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  name: string;
  kind: 'cooperative' | 'alliance' | 'household' | 'company';
  contact_name: string | null;
  phone_masked: string | null;
  partner_org_id: number | null;
  machines: number;
  created_at: Date;
};

const OWNER_COLS = `o.id, o.county_id, o.node_id, o.node_path, n.name AS node_name, o.name, o.kind, o.contact_name,
  o.phone_masked, o.partner_org_id, o.created_at,
  (SELECT count(*)::int FROM machinery_machines m WHERE m.owner_id = o.id AND m.status <> 'retired') AS machines`;

export async function listOwners(q: Queryable, scopeWhere: string): Promise<OwnerRow[]> {
  return q.query<OwnerRow>(
    `SELECT ${OWNER_COLS} FROM machinery_owners o JOIN org_nodes n ON n.id = o.node_id
     WHERE o.status = 'active' AND ${scopeWhere} ORDER BY o.id`,
  );
}

export async function findOwner(q: Queryable, id: number): Promise<OwnerRow | undefined> {
  const rows = await q.query<OwnerRow>(
    `SELECT ${OWNER_COLS} FROM machinery_owners o JOIN org_nodes n ON n.id = o.node_id WHERE o.id = $1`,
    [id],
  );
  return rows[0];
}

export async function insertOwner(
  q: Queryable,
  v: {
    countyId: number;
    nodeId: number;
    nodePath: string;
    name: string;
    kind: string;
    contactName: string | null;
    phoneMasked: string | null;
    phoneSealed: Uint8Array | null;
    partnerOrgId: number | null;
    createdBy: number | null;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO machinery_owners (county_id, node_id, node_path, name, kind, contact_name, phone_masked, phone_sealed,
       partner_org_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      v.countyId,
      v.nodeId,
      v.nodePath,
      v.name,
      v.kind,
      v.contactName,
      v.phoneMasked,
      v.phoneSealed,
      v.partnerOrgId,
      v.createdBy,
    ],
  );
  return rows[0]!.id;
}

/** Owners linked to a partner organisation the user is a member of. */
export async function ownerIdsOfUser(q: Queryable, userId: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `SELECT o.id FROM machinery_owners o JOIN partner_members pm ON pm.org_id = o.partner_org_id
     WHERE pm.user_id = $1 AND o.status = 'active' ORDER BY o.id`,
    [userId],
  );
  return rows.map((r) => r.id);
}

export async function partnerOrgCounty(q: Queryable, id: number): Promise<number | undefined> {
  const rows = await q.query<{ county_id: number }>('SELECT county_id FROM partner_orgs WHERE id = $1', [id]);
  return rows[0]?.county_id;
}

// ---- machines --------------------------------------------------------------------------------------------------

export type MachineRow = {
  id: number;
  county_id: number;
  owner_id: number;
  owner_name: string;
  node_id: number;
  node_path: string;
  node_name: string;
  type: MachineType;
  name: string;
  capacity_mu: string;
  price_fen: number;
  lat: string | null;
  lng: string | null;
  status: MachineStatus;
};

const MACHINE_COLS = `m.id, m.county_id, m.owner_id, o.name AS owner_name, m.node_id, m.node_path, n.name AS node_name,
  m.type, m.name, m.capacity_mu::text AS capacity_mu, m.price_fen, m.lat::text AS lat, m.lng::text AS lng, m.status`;
const MACHINE_FROM = `machinery_machines m JOIN machinery_owners o ON o.id = m.owner_id
  JOIN org_nodes n ON n.id = m.node_id`;

export async function listMachines(
  q: Queryable,
  scopeWhere: string,
  f: { type?: string; status?: string; ownerId?: number },
): Promise<MachineRow[]> {
  const where = [scopeWhere];
  const params: unknown[] = [];
  if (f.type) {
    params.push(f.type);
    where.push(`m.type = $${params.length}`);
  }
  if (f.status) {
    params.push(f.status);
    where.push(`m.status = $${params.length}`);
  } else where.push(`m.status <> 'retired'`);
  if (f.ownerId) {
    params.push(f.ownerId);
    where.push(`m.owner_id = $${params.length}`);
  }
  return q.query<MachineRow>(
    `SELECT ${MACHINE_COLS} FROM ${MACHINE_FROM} WHERE ${where.join(' AND ')} ORDER BY m.node_path, m.type, m.id`,
    params,
  );
}

/** `lock`: the machine row is the lock every booking of the machine takes, so two bookings queue one after the other. */
export async function findMachine(q: Queryable, id: number, lock = false): Promise<MachineRow | undefined> {
  const rows = await q.query<MachineRow>(
    `SELECT ${MACHINE_COLS} FROM ${MACHINE_FROM} WHERE m.id = $1${lock ? ' FOR UPDATE OF m' : ''}`,
    [id],
  );
  return rows[0];
}

/** Available machines of a type kept under `townPath` (the demand's town, or its village when it has none). */
export async function machinesNear(q: Queryable, townPath: string, type: string, lock = false): Promise<MachineRow[]> {
  return q.query<MachineRow>(
    `SELECT ${MACHINE_COLS} FROM ${MACHINE_FROM}
     WHERE m.node_path LIKE $1 || '%' AND m.type = $2 AND m.status = 'available'
     ORDER BY m.id${lock ? ' FOR UPDATE OF m' : ''}`,
    [townPath, type],
  );
}

export async function insertMachine(
  q: Queryable,
  v: {
    countyId: number;
    ownerId: number;
    nodeId: number;
    nodePath: string;
    type: string;
    name: string;
    capacityMu: number;
    priceFen: number;
    lat: number | null;
    lng: number | null;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO machinery_machines (county_id, owner_id, node_id, node_path, type, name, capacity_mu, price_fen, lat, lng)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [v.countyId, v.ownerId, v.nodeId, v.nodePath, v.type, v.name, v.capacityMu, v.priceFen, v.lat, v.lng],
  );
  return rows[0]!.id;
}

export async function updateMachine(
  q: Queryable,
  id: number,
  v: { name: string; capacityMu: number; priceFen: number; status: string },
): Promise<void> {
  await q.query(
    `UPDATE machinery_machines SET name = $2, capacity_mu = $3, price_fen = $4, status = $5, updated_at = now()
     WHERE id = $1`,
    [id, v.name, v.capacityMu, v.priceFen, v.status],
  );
}

// ---- demands ---------------------------------------------------------------------------------------------------

export type DemandRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  town_path: string | null;
  resident_id: number | null;
  farmer_name: string;
  place: string;
  crop: string;
  machine_type: MachineType;
  area_mu: string;
  window_start: string;
  window_end: string;
  note: string | null;
  status: DemandStatus;
  created_by: number | null;
  created_at: Date;
};

const DEMAND_COLS = `d.id, d.county_id, d.node_id, d.node_path, n.name AS node_name, t.path AS town_path, d.resident_id,
  d.farmer_name, d.place, d.crop, d.machine_type, d.area_mu::text AS area_mu,
  to_char(d.window_start, 'YYYY-MM-DD') AS window_start, to_char(d.window_end, 'YYYY-MM-DD') AS window_end, d.note,
  d.status, d.created_by, d.created_at`;
const DEMAND_FROM = `machinery_demands d JOIN org_nodes n ON n.id = d.node_id
  LEFT JOIN org_nodes t ON t.id = n.parent_id AND t.type IN ('town', 'street')`;

export async function listDemands(
  q: Queryable,
  where: string,
  params: unknown[],
  page?: { limit: number; offset: number },
  lock = false,
): Promise<{ rows: DemandRow[]; total: number }> {
  const rows = await q.query<DemandRow>(
    `SELECT ${DEMAND_COLS} FROM ${DEMAND_FROM} WHERE ${where}
     ORDER BY CASE d.status WHEN 'open' THEN 0 WHEN 'booked' THEN 1 ELSE 2 END, d.window_start, d.id
     ${page ? `LIMIT ${page.limit} OFFSET ${page.offset}` : ''}${lock ? ' FOR UPDATE OF d' : ''}`,
    params,
  );
  const total = page
    ? (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM machinery_demands d WHERE ${where}`, params))[0]!.n
    : rows.length;
  return { rows, total };
}

export async function findDemand(q: Queryable, id: number, lock = false): Promise<DemandRow | undefined> {
  const rows = await q.query<DemandRow>(
    `SELECT ${DEMAND_COLS} FROM ${DEMAND_FROM} WHERE d.id = $1${lock ? ' FOR UPDATE OF d' : ''}`,
    [id],
  );
  return rows[0];
}

export async function insertDemand(
  q: Queryable,
  v: {
    countyId: number;
    nodeId: number;
    nodePath: string;
    residentId: number | null;
    farmerName: string;
    place: string;
    crop: string;
    machineType: string;
    areaMu: number;
    windowStart: string;
    windowEnd: string;
    note: string | null;
    createdBy: number | null;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO machinery_demands (county_id, node_id, node_path, resident_id, farmer_name, place, crop, machine_type,
       area_mu, window_start, window_end, note, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [
      v.countyId,
      v.nodeId,
      v.nodePath,
      v.residentId,
      v.farmerName,
      v.place,
      v.crop,
      v.machineType,
      v.areaMu,
      v.windowStart,
      v.windowEnd,
      v.note,
      v.createdBy,
    ],
  );
  return rows[0]!.id;
}

export async function setDemandStatus(q: Queryable, id: number, status: DemandStatus): Promise<void> {
  await q.query('UPDATE machinery_demands SET status = $2 WHERE id = $1', [id, status]);
}

// ---- bookings --------------------------------------------------------------------------------------------------

export type BookingRow = {
  id: number;
  county_id: number;
  machine_id: number;
  machine_name: string;
  machine_type: MachineType;
  owner_id: number;
  owner_name: string;
  demand_id: number;
  village_name: string;
  farmer_name: string;
  place: string;
  crop: string;
  node_path: string;
  machine_path: string;
  start: string;
  end: string;
  area_mu: string;
  price_fen: number;
  status: BookingStatus;
  area_done_mu: string | null;
  revenue_fen: number | null;
  completed_at: Date | null;
};

const BOOKING_COLS = `b.id, b.county_id, b.machine_id, m.name AS machine_name, m.type AS machine_type, o.id AS owner_id,
  o.name AS owner_name, b.demand_id, n.name AS village_name, d.farmer_name, d.place, d.crop, b.node_path,
  m.node_path AS machine_path, to_char(lower(b.period), 'YYYY-MM-DD') AS start,
  to_char(upper(b.period) - 1, 'YYYY-MM-DD') AS "end", b.area_mu::text AS area_mu, b.price_fen, b.status,
  b.area_done_mu::text AS area_done_mu, b.revenue_fen, b.completed_at`;
const BOOKING_FROM = `machinery_bookings b JOIN machinery_machines m ON m.id = b.machine_id
  JOIN machinery_owners o ON o.id = m.owner_id JOIN machinery_demands d ON d.id = b.demand_id
  JOIN org_nodes n ON n.id = d.node_id`;

export async function listBookings(q: Queryable, where: string, params: unknown[]): Promise<BookingRow[]> {
  return q.query<BookingRow>(
    `SELECT ${BOOKING_COLS} FROM ${BOOKING_FROM} WHERE ${where} ORDER BY lower(b.period), m.id, b.id LIMIT 1000`,
    params,
  );
}

export async function findBooking(q: Queryable, id: number, lock = false): Promise<BookingRow | undefined> {
  const rows = await q.query<BookingRow>(
    `SELECT ${BOOKING_COLS} FROM ${BOOKING_FROM} WHERE b.id = $1${lock ? ' FOR UPDATE OF b' : ''}`,
    [id],
  );
  return rows[0];
}

/** The live bookings of machines (not cancelled), as day ranges per machine. */
export async function busyOf(q: Queryable, machineIds: readonly number[]): Promise<Map<number, DayRange[]>> {
  const out = new Map<number, DayRange[]>();
  if (machineIds.length === 0) return out;
  const rows = await q.query<{ machine_id: number; start: string; end: string }>(
    `SELECT machine_id, to_char(lower(period), 'YYYY-MM-DD') AS start, to_char(upper(period) - 1, 'YYYY-MM-DD') AS "end"
     FROM machinery_bookings WHERE machine_id = ANY($1::bigint[]) AND status <> 'cancelled'`,
    [machineIds],
  );
  for (const r of rows) out.set(r.machine_id, [...(out.get(r.machine_id) ?? []), { start: r.start, end: r.end }]);
  return out;
}

export async function insertBooking(
  q: Queryable,
  v: {
    countyId: number;
    machineId: number;
    demandId: number;
    nodePath: string;
    start: string;
    end: string;
    areaMu: number;
    priceFen: number;
    bookedBy: number | null;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO machinery_bookings (county_id, machine_id, demand_id, node_path, period, area_mu, price_fen, booked_by)
     VALUES ($1, $2, $3, $4, daterange($5::date, $6::date, '[]'), $7, $8, $9) RETURNING id`,
    [v.countyId, v.machineId, v.demandId, v.nodePath, v.start, v.end, v.areaMu, v.priceFen, v.bookedBy],
  );
  return rows[0]!.id;
}

export async function completeBooking(q: Queryable, id: number, areaDoneMu: number, revenueFen: number): Promise<void> {
  await q.query(
    `UPDATE machinery_bookings SET status = 'done', area_done_mu = $2, revenue_fen = $3, completed_at = now()
     WHERE id = $1`,
    [id, areaDoneMu, revenueFen],
  );
}

export async function cancelBooking(q: Queryable, id: number): Promise<void> {
  await q.query(`UPDATE machinery_bookings SET status = 'cancelled' WHERE id = $1`, [id]);
}

// ---- statistics ------------------------------------------------------------------------------------------------

export type StatsRowDb = { id: number; name: string; bookings: number; area_done: string; revenue_fen: number };

/**
 * Finished bookings whose completion falls in [from, to) (Asia/Shanghai days), in scope, grouped by machine, owner
 * or the field's village.
 */
export async function monthlyStats(
  q: Queryable,
  scopeWhere: string,
  by: 'machine' | 'owner' | 'village',
  from: string,
  to: string,
): Promise<StatsRowDb[]> {
  const key = { machine: 'm.id, m.name', owner: 'o.id, o.name', village: 'n.id, n.name' }[by];
  return q.query<StatsRowDb>(
    `SELECT ${key.split(', ')[0]} AS id, ${key.split(', ')[1]} AS name, count(*)::int AS bookings,
       COALESCE(sum(b.area_done_mu), 0)::text AS area_done, COALESCE(sum(b.revenue_fen), 0)::bigint AS revenue_fen
     FROM ${BOOKING_FROM}
     WHERE b.status = 'done' AND ${scopeWhere}
       AND b.completed_at >= ($1::date::timestamp AT TIME ZONE 'Asia/Shanghai')
       AND b.completed_at < ($2::date::timestamp AT TIME ZONE 'Asia/Shanghai')
     GROUP BY ${key} ORDER BY sum(b.area_done_mu) DESC, ${key.split(', ')[0]}`,
    [from, to],
  );
}

// ---- the farmer ------------------------------------------------------------------------------------------------

/** The village above a node (the node itself when it is one), with its county. */
export async function villageAbove(
  q: Queryable,
  nodeId: number,
): Promise<{ id: number; path: string; county_id: number } | undefined> {
  const rows = await q.query<{ id: number; path: string; county_id: number }>(
    `SELECT v.id, v.path, v.county_id FROM org_nodes x JOIN org_nodes v ON x.path LIKE v.path || '%'
     WHERE x.id = $1 AND v.type = 'village' LIMIT 1`,
    [nodeId],
  );
  return rows[0];
}

export async function residentFacts(
  q: Queryable,
  id: number,
): Promise<{ id: number; name: string; node_id: number; node_path: string } | undefined> {
  const rows = await q.query<{ id: number; name: string; node_id: number; node_path: string }>(
    `SELECT id, name, node_id, node_path FROM residents WHERE id = $1 AND status <> 'deceased'`,
    [id],
  );
  return rows[0];
}
