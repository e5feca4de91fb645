import type { Scope } from '../../platform/access/scope.js';
import { isValidPath } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/client.js';
import type { Meal, Payment } from './services.logic.js';

/** The only SQL for the services tables (service_entries, canteens, canteen_menus, canteen_subsidies, canteen_orders). */

/** SQL condition: `column` (a path) lies in the scope or the scope lies under it (see services.logic `reaches`). */
export function reachSql(scope: Scope, column: string): string {
  if (scope.all) return 'TRUE';
  if (scope.paths.length === 0) return 'FALSE';
  return `(${scope.paths
    .map((p) => {
      if (!isValidPath(p)) throw new Error(`invalid scope path ${p}`);
      return `${column} LIKE '${p}%' OR '${p}' LIKE ${column} || '%'`;
    })
    .join(' OR ')})`;
}

// ---- nodes and residents -------------------------------------------------------------------------------------

export type NodeRow = { id: number; county_id: number; path: string; name: string; type: string; status: string };

export async function findNode(q: Queryable, id: number): Promise<NodeRow | null> {
  const [n] = await q.query<NodeRow>('SELECT id, county_id, path, name, type, status FROM org_nodes WHERE id = $1', [
    id,
  ]);
  return n ?? null;
}

export type DinerRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  household_id: number | null;
  name: string;
  status: string;
  /** The house's address, else its node path's names and room, else the resident's current address. */
  address: string | null;
  tag_ids: number[];
};

const DINER_SELECT = `
  SELECT r.id, r.county_id, r.node_id, r.node_path, r.household_id, r.name, r.status,
         coalesce(h.address,
                  (SELECT string_agg(n.name, ' ' ORDER BY n.depth) FROM org_nodes n
                    WHERE r.node_path LIKE n.path || '%' AND n.type NOT IN ('county', 'street', 'town'))
                    || coalesce(' ' || h.room_no, ''),
                  r.current_address) AS address,
         coalesce((SELECT array_agg(t.tag_id ORDER BY t.tag_id) FROM resident_tags t WHERE t.resident_id = r.id),
                  '{}') AS tag_ids
    FROM residents r LEFT JOIN houses h ON h.id = r.house_id`;

export async function findDiner(q: Queryable, id: number): Promise<DinerRow | null> {
  const [r] = await q.query<DinerRow>(`${DINER_SELECT} WHERE r.id = $1`, [id]);
  return r ? { ...r, tag_ids: (r.tag_ids ?? []).map(Number) } : null;
}

/** The active members of a household (the caller's family), the caller first. */
export async function householdDiners(q: Queryable, householdId: number): Promise<DinerRow[]> {
  const rows = await q.query<DinerRow>(
    `${DINER_SELECT} WHERE r.household_id = $1 AND r.status = 'active' ORDER BY r.birth_date, r.id`,
    [householdId],
  );
  return rows.map((r) => ({ ...r, tag_ids: (r.tag_ids ?? []).map(Number) }));
}

export async function residentOfUser(q: Queryable, userId: number): Promise<number | null> {
  const [u] = await q.query<{ resident_id: number | null }>('SELECT resident_id FROM users WHERE id = $1', [userId]);
  return u?.resident_id === null || u?.resident_id === undefined ? null : Number(u.resident_id);
}

// ---- directory -----------------------------------------------------------------------------------------------

export type EntryRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  name: string;
  category: string;
  provider: string | null;
  address: string | null;
  hours: string | null;
  phone: string | null;
  description: string | null;
  sort: number;
  updated_at: Date;
};

const ENTRY_SELECT = `SELECT e.*, n.name AS node_name FROM service_entries e JOIN org_nodes n ON n.id = e.node_id`;

export async function listEntries(
  q: Queryable,
  where: string,
  params: unknown[],
  filter: { category?: string; q?: string },
): Promise<EntryRow[]> {
  const ps = [...params];
  let sql = `${ENTRY_SELECT} WHERE ${where}`;
  if (filter.category) {
    ps.push(filter.category);
    sql += ` AND e.category = $${ps.length}`;
  }
  if (filter.q) {
    ps.push(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    sql += ` AND (e.name LIKE $${ps.length} OR coalesce(e.provider, '') LIKE $${ps.length})`;
  }
  return q.query<EntryRow>(`${sql} ORDER BY e.category, e.sort, e.id LIMIT 500`, ps);
}

export async function findEntry(q: Queryable, id: number): Promise<EntryRow | null> {
  const [e] = await q.query<EntryRow>(`${ENTRY_SELECT} WHERE e.id = $1`, [id]);
  return e ?? null;
}

export type EntryFields = {
  name: string;
  category: string;
  provider: string | null;
  address: string | null;
  hours: string | null;
  phone: string | null;
  description: string | null;
  sort: number;
};

export async function insertEntry(q: Queryable, node: NodeRow, f: EntryFields, userId: number | null): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO service_entries (county_id, node_id, node_path, name, category, provider, address, hours, phone,
       description, sort, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      node.county_id,
      node.id,
      node.path,
      f.name,
      f.category,
      f.provider,
      f.address,
      f.hours,
      f.phone,
      f.description,
      f.sort,
      userId,
    ],
  );
  return Number(r!.id);
}

export async function updateEntry(q: Queryable, id: number, f: EntryFields): Promise<void> {
  await q.query(
    `UPDATE service_entries SET name = $2, category = $3, provider = $4, address = $5, hours = $6, phone = $7,
       description = $8, sort = $9, updated_at = now() WHERE id = $1`,
    [id, f.name, f.category, f.provider, f.address, f.hours, f.phone, f.description, f.sort],
  );
}

export async function deleteEntry(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM service_entries WHERE id = $1', [id]);
}

// ---- canteens ------------------------------------------------------------------------------------------------

export type CanteenRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  name: string;
  address: string | null;
  phone: string | null;
  lunch_at: string;
  dinner_at: string;
  cutoff_minutes: number;
  delivers: boolean;
};

const CANTEEN_SELECT = `SELECT c.id, c.county_id, c.node_id, c.node_path, n.name AS node_name, c.name, c.address,
  c.phone, to_char(c.lunch_at, 'HH24:MI') AS lunch_at, to_char(c.dinner_at, 'HH24:MI') AS dinner_at,
  c.cutoff_minutes, c.delivers
  FROM canteens c JOIN org_nodes n ON n.id = c.node_id`;

export async function listCanteens(q: Queryable, where: string, params: unknown[]): Promise<CanteenRow[]> {
  return q.query<CanteenRow>(`${CANTEEN_SELECT} WHERE ${where} ORDER BY c.node_path, c.id LIMIT 200`, params);
}

export async function findCanteen(q: Queryable, id: number): Promise<CanteenRow | null> {
  const [c] = await q.query<CanteenRow>(`${CANTEEN_SELECT} WHERE c.id = $1`, [id]);
  return c ?? null;
}

export async function insertCanteen(
  q: Queryable,
  node: NodeRow,
  f: {
    name: string;
    address: string | null;
    phone: string | null;
    lunchAt: string;
    dinnerAt: string;
    cutoffMinutes: number;
    delivers: boolean;
  },
  userId: number | null,
): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO canteens (county_id, node_id, node_path, name, address, phone, lunch_at, dinner_at, cutoff_minutes,
       delivers, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      node.county_id,
      node.id,
      node.path,
      f.name,
      f.address,
      f.phone,
      f.lunchAt,
      f.dinnerAt,
      f.cutoffMinutes,
      f.delivers,
      userId,
    ],
  );
  return Number(r!.id);
}

export type SubsidyRow = {
  id: number;
  canteen_id: number;
  tag_id: number;
  tag_name: string;
  kind: string;
  value: number;
};

export async function listSubsidies(q: Queryable, canteenIds: number[]): Promise<SubsidyRow[]> {
  if (canteenIds.length === 0) return [];
  return q.query<SubsidyRow>(
    `SELECT s.id, s.canteen_id, s.tag_id, t.name AS tag_name, s.kind, s.value
       FROM canteen_subsidies s JOIN tags t ON t.id = s.tag_id
      WHERE s.canteen_id = ANY($1::bigint[]) ORDER BY s.canteen_id, s.id`,
    [canteenIds],
  );
}

export async function replaceSubsidies(
  q: Queryable,
  canteenId: number,
  rules: { tagId: number; kind: string; value: number }[],
): Promise<void> {
  await q.query('DELETE FROM canteen_subsidies WHERE canteen_id = $1', [canteenId]);
  for (const r of rules)
    await q.query('INSERT INTO canteen_subsidies (canteen_id, tag_id, kind, value) VALUES ($1, $2, $3, $4)', [
      canteenId,
      r.tagId,
      r.kind,
      r.value,
    ]);
}

export async function tagsExist(q: Queryable, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await q.query<{ id: number }>('SELECT id FROM tags WHERE id = ANY($1::bigint[])', [ids]);
  return new Set(rows.map((r) => Number(r.id)));
}

// ---- menus ---------------------------------------------------------------------------------------------------

export type MenuRow = {
  id: number;
  canteen_id: number;
  day: string;
  meal: Meal;
  dishes: string[];
  price_cents: number;
  price_minutes: number | null;
  capacity: number;
  ordered: number;
};

const MENU_SELECT = `SELECT m.id, m.canteen_id, to_char(m.day, 'YYYY-MM-DD') AS day, m.meal, m.dishes, m.price_cents,
  m.price_minutes, m.capacity,
  (SELECT coalesce(sum(o.quantity), 0)::int FROM canteen_orders o WHERE o.menu_id = m.id AND o.status = 'ordered')
    AS ordered
  FROM canteen_menus m`;

export async function listMenus(q: Queryable, canteenIds: number[], from: string, to: string): Promise<MenuRow[]> {
  if (canteenIds.length === 0) return [];
  return q.query<MenuRow>(
    `${MENU_SELECT} WHERE m.canteen_id = ANY($1::bigint[]) AND m.day BETWEEN $2 AND $3
      ORDER BY m.day, m.meal DESC, m.canteen_id, m.id`,
    [canteenIds, from, to],
  );
}

/** A menu; `lock` takes its row lock, so that orders against its capacity take turns. */
export async function findMenu(q: Queryable, id: number, lock = false): Promise<MenuRow | null> {
  if (lock) await q.query('SELECT id FROM canteen_menus WHERE id = $1 FOR UPDATE', [id]);
  const [m] = await q.query<MenuRow>(`${MENU_SELECT} WHERE m.id = $1`, [id]);
  return m ?? null;
}

export async function insertMenu(
  q: Queryable,
  canteenId: number,
  f: { day: string; meal: Meal; dishes: string[]; priceCents: number; priceMinutes: number | null; capacity: number },
  userId: number | null,
): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO canteen_menus (canteen_id, day, meal, dishes, price_cents, price_minutes, capacity, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (canteen_id, day, meal) DO NOTHING RETURNING id`,
    [canteenId, f.day, f.meal, f.dishes, f.priceCents, f.priceMinutes, f.capacity, userId],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

// ---- orders --------------------------------------------------------------------------------------------------

export type OrderRow = {
  id: number;
  county_id: number;
  canteen_id: number;
  canteen_name: string;
  menu_id: number;
  day: string;
  meal: Meal;
  dishes: string[];
  resident_id: number;
  resident_name: string;
  node_path: string;
  household_id: number | null;
  quantity: number;
  channel: 'self' | 'family' | 'worker';
  ordered_by: number | null;
  ordered_by_name: string | null;
  payer_resident_id: number | null;
  delivery: boolean;
  delivery_address: string | null;
  list_cents: number;
  subsidy_label: string | null;
  subsidy_cents: number;
  pay_cents: number;
  pay_minutes: number;
  payment: Payment;
  transfer_id: number | null;
  status: 'ordered' | 'cancelled';
  refund_transfer_id: number | null;
  note: string | null;
  created_at: Date;
  lunch_at: string;
  dinner_at: string;
  cutoff_minutes: number;
};

const ORDER_SELECT = `SELECT o.*, c.name AS canteen_name, to_char(m.day, 'YYYY-MM-DD') AS day, m.meal, m.dishes,
  r.name AS resident_name, r.household_id, u.display_name AS ordered_by_name,
  to_char(c.lunch_at, 'HH24:MI') AS lunch_at, to_char(c.dinner_at, 'HH24:MI') AS dinner_at, c.cutoff_minutes
  FROM canteen_orders o
  JOIN canteens c ON c.id = o.canteen_id
  JOIN canteen_menus m ON m.id = o.menu_id
  JOIN residents r ON r.id = o.resident_id
  LEFT JOIN users u ON u.id = o.ordered_by`;

export async function findOrder(q: Queryable, id: number, lock = false): Promise<OrderRow | null> {
  if (lock) await q.query('SELECT id FROM canteen_orders WHERE id = $1 FOR UPDATE', [id]);
  const [o] = await q.query<OrderRow>(`${ORDER_SELECT} WHERE o.id = $1`, [id]);
  return o ?? null;
}

export async function listOrders(q: Queryable, where: string, params: unknown[], limit = 500): Promise<OrderRow[]> {
  return q.query<OrderRow>(
    `${ORDER_SELECT} WHERE ${where} ORDER BY m.day DESC, m.meal, o.id DESC LIMIT ${Math.trunc(limit)}`,
    params,
  );
}

export type OrderInsert = {
  countyId: number;
  canteenId: number;
  menuId: number;
  residentId: number;
  nodePath: string;
  quantity: number;
  channel: 'self' | 'family' | 'worker';
  orderedBy: number | null;
  payerResidentId: number | null;
  delivery: boolean;
  deliveryAddress: string | null;
  listCents: number;
  subsidyId: number | null;
  subsidyLabel: string | null;
  subsidyCents: number;
  payCents: number;
  payMinutes: number;
  payment: Payment;
  note: string | null;
};

/** Inserts an order; null when the diner already has a live order for that menu (the partial unique index). */
export async function insertOrder(q: Queryable, o: OrderInsert): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO canteen_orders (county_id, canteen_id, menu_id, resident_id, node_path, quantity, channel, ordered_by,
       payer_resident_id, delivery, delivery_address, list_cents, subsidy_id, subsidy_label, subsidy_cents, pay_cents,
       pay_minutes, payment, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (menu_id, resident_id) WHERE status = 'ordered' DO NOTHING
     RETURNING id`,
    [
      o.countyId,
      o.canteenId,
      o.menuId,
      o.residentId,
      o.nodePath,
      o.quantity,
      o.channel,
      o.orderedBy,
      o.payerResidentId,
      o.delivery,
      o.deliveryAddress,
      o.listCents,
      o.subsidyId,
      o.subsidyLabel,
      o.subsidyCents,
      o.payCents,
      o.payMinutes,
      o.payment,
      o.note,
    ],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export async function setOrderTransfer(q: Queryable, id: number, transferId: number): Promise<void> {
  await q.query('UPDATE canteen_orders SET transfer_id = $2 WHERE id = $1', [id, transferId]);
}

export async function cancelOrder(
  q: Queryable,
  id: number,
  userId: number | null,
  refundTransferId: number | null,
): Promise<void> {
  await q.query(
    `UPDATE canteen_orders SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2, refund_transfer_id = $3
      WHERE id = $1`,
    [id, userId, refundTransferId],
  );
}

/** Live and cancelled orders of the menus of a day (for the kitchen's count). */
export async function dayOrders(
  q: Queryable,
  canteenId: number,
  day: string,
): Promise<{ menu_id: number; quantity: number; delivery: boolean; status: 'ordered' | 'cancelled' }[]> {
  return q.query(
    `SELECT o.menu_id, o.quantity, o.delivery, o.status FROM canteen_orders o
       JOIN canteen_menus m ON m.id = o.menu_id WHERE o.canteen_id = $1 AND m.day = $2`,
    [canteenId, day],
  );
}
