/**
 * 便民服务: the service directory and the elder canteens (长者食堂).
 *
 * Scope: services.read reaches the places in the caller's area and the places their area lies in (a grid worker sees
 * the canteen and the directory of their community); services.manage changes entries, canteens and menus filed in
 * the caller's area, and orders for residents who live there. A target out of reach is "not found".
 *
 * Orders: for oneself or a member of one's household on the phone (channel self / family), or for a resident by a
 * worker (channel worker) — the order records who placed it. Capacity is checked under the menu's row lock; orders
 * and cancels close at the canteen's cut-off before the meal. The best single subsidy by tag sets the price. Paid in
 * hours, the minutes go from the payer's hours account (the ordering resident; the diner when a worker orders) to the
 * community's hours issuer in the order's transaction (key `services:order:<id>`); a cancel reverses that transfer.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, type Scope, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import * as notify from '../../platform/notify/notify.service.js';
import { maskName } from '../../platform/pii/index.js';
import {
  communityOfNode,
  issuerAccount,
  postTransfer,
  residentAccount,
  reverseTransfer,
} from '../points/ledger.repo.js';
import {
  chargeFor,
  countMeals,
  cutoffOf,
  isOpen,
  type Meal,
  type Payment,
  reaches,
  type SubsidyRule,
  shanghaiDay,
} from './services.logic.js';
import { SERVICES_NOTIFY } from './services.notify.js';
import * as repo from './services.repo.js';
import type {
  Canteen,
  CanteenCreate,
  CountsQuery,
  EntryCreate,
  EntryListQuery,
  EntryUpdate,
  MealCounts,
  Menu,
  MenuCreate,
  MenuQuery,
  MyCanteen,
  MyOrderCreate,
  Order,
  OrderCreate,
  OrderListQuery,
  ServiceEntry,
  SubsidiesPut,
} from './services.schemas.js';

export type ServicesDeps = { db: Db };

const MEAL_NAMES: Record<Meal, { zh: string; en: string }> = {
  lunch: { zh: '午餐', en: 'lunch' },
  dinner: { zh: '晚餐', en: 'dinner' },
};

const operator = (ctx: Ctx) => (ctx.principal.userId > 0 ? ctx.principal.userId : null);
const readPaths = (scope: Scope): string[] | null => (scope.all ? null : scope.paths);
const reachable = (ctx: Ctx, path: string) => reaches(readPaths(scopeFor(ctx.principal, 'services.read')), path);

/** Refuses a change to a target at `path`: out of reach → `notFound`; in reach but not in the managed area → 403. */
function assertManage(ctx: Ctx, path: string, notFound: () => AppError): void {
  if (can(ctx.principal, 'services.manage', path)) return;
  if (!reachable(ctx, path)) throw notFound();
  assertCan(ctx.principal, 'services.manage', path);
}

async function nodeToManage(q: Queryable, ctx: Ctx, id: number): Promise<repo.NodeRow> {
  const node = await repo.findNode(q, id);
  if (!node || node.status !== 'active') throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  assertManage(ctx, node.path, () => new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' }));
  return node;
}

// ---------------------------------------------------------------------------------------------------------------
// Directory

function toEntry(e: repo.EntryRow): ServiceEntry {
  return {
    id: Number(e.id),
    nodeId: Number(e.node_id),
    nodeName: e.node_name,
    name: e.name,
    category: e.category as ServiceEntry['category'],
    provider: e.provider,
    address: e.address,
    hours: e.hours,
    phone: e.phone,
    description: e.description,
    sort: Number(e.sort),
    updatedAt: new Date(e.updated_at).toISOString(),
  };
}

/** The directory of the caller's area (and of the places it lies in), optionally under one node. */
export async function listEntries(
  deps: ServicesDeps,
  ctx: Ctx,
  query: EntryListQuery,
): Promise<{ items: ServiceEntry[] }> {
  assertPermission(ctx.principal, 'services.read');
  const scope = scopeFor(ctx.principal, 'services.read');
  let where = repo.reachSql(scope, 'e.node_path');
  const params: unknown[] = [];
  if (query.nodeId !== undefined) {
    const node = await repo.findNode(deps.db, query.nodeId);
    if (!node || !reaches(readPaths(scope), node.path)) throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    params.push(node.path);
    where += ` AND (e.node_path LIKE $1 || '%' OR $1 LIKE e.node_path || '%')`;
  }
  const rows = await repo.listEntries(deps.db, where, params, { category: query.category, q: query.q });
  return { items: rows.map(toEntry) };
}

const entryFields = (b: Partial<EntryCreate>, base?: repo.EntryRow): repo.EntryFields => ({
  name: b.name ?? base?.name ?? '',
  category: b.category ?? base?.category ?? 'other',
  provider: b.provider !== undefined ? b.provider || null : (base?.provider ?? null),
  address: b.address !== undefined ? b.address || null : (base?.address ?? null),
  hours: b.hours !== undefined ? b.hours || null : (base?.hours ?? null),
  phone: b.phone !== undefined ? b.phone || null : (base?.phone ?? null),
  description: b.description !== undefined ? b.description || null : (base?.description ?? null),
  sort: b.sort ?? base?.sort ?? 0,
});

/**
 * Adds an entry to the directory of a node in the caller's area.
 * @throws ORG_NODE_NOT_FOUND (nodeId), FORBIDDEN
 */
export async function createEntry(deps: ServicesDeps, ctx: Ctx, body: EntryCreate): Promise<ServiceEntry> {
  assertPermission(ctx.principal, 'services.manage');
  return deps.db.transaction(async (tx) => {
    const node = await nodeToManage(tx, ctx, body.nodeId);
    const fields = entryFields(body);
    const id = await repo.insertEntry(tx, node, fields, operator(ctx));
    await recordAudit(tx, ctx, {
      action: 'services.entry.create',
      targetType: 'service_entry',
      targetId: id,
      targetLabel: fields.name,
      scopePath: node.path,
      countyId: Number(node.county_id),
      after: { ...fields },
    });
    return toEntry((await repo.findEntry(tx, id))!);
  });
}

/**
 * Changes an entry of the caller's area.
 * @throws SERVICES_ENTRY_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE
 */
export async function updateEntry(deps: ServicesDeps, ctx: Ctx, id: number, body: EntryUpdate): Promise<ServiceEntry> {
  assertPermission(ctx.principal, 'services.manage');
  return deps.db.transaction(async (tx) => {
    const row = await repo.findEntry(tx, id);
    if (!row) throw new AppError('SERVICES_ENTRY_NOT_FOUND');
    assertManage(ctx, row.node_path, () => new AppError('SERVICES_ENTRY_NOT_FOUND'));
    const before = entryFields({}, row);
    const after = entryFields(body, row);
    await repo.updateEntry(tx, id, after);
    await recordAudit(tx, ctx, {
      action: 'services.entry.update',
      targetType: 'service_entry',
      targetId: id,
      targetLabel: after.name,
      scopePath: row.node_path,
      countyId: Number(row.county_id),
      before: { ...before },
      after: { ...after },
    });
    return toEntry((await repo.findEntry(tx, id))!);
  });
}

/**
 * Removes an entry of the caller's area.
 * @throws SERVICES_ENTRY_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE
 */
export async function deleteEntry(deps: ServicesDeps, ctx: Ctx, id: number): Promise<void> {
  assertPermission(ctx.principal, 'services.manage');
  await deps.db.transaction(async (tx) => {
    const row = await repo.findEntry(tx, id);
    if (!row) throw new AppError('SERVICES_ENTRY_NOT_FOUND');
    assertManage(ctx, row.node_path, () => new AppError('SERVICES_ENTRY_NOT_FOUND'));
    await repo.deleteEntry(tx, id);
    await recordAudit(tx, ctx, {
      action: 'services.entry.delete',
      targetType: 'service_entry',
      targetId: id,
      targetLabel: row.name,
      scopePath: row.node_path,
      countyId: Number(row.county_id),
      before: { ...entryFields({}, row) },
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Canteens and menus

const toRule = (s: repo.SubsidyRow): SubsidyRule => ({
  id: Number(s.id),
  tagId: Number(s.tag_id),
  tagName: s.tag_name,
  kind: s.kind as SubsidyRule['kind'],
  value: Number(s.value),
});

async function toCanteens(q: Queryable, rows: repo.CanteenRow[]): Promise<Canteen[]> {
  const subsidies = await repo.listSubsidies(
    q,
    rows.map((c) => Number(c.id)),
  );
  return rows.map((c) => ({
    id: Number(c.id),
    nodeId: Number(c.node_id),
    nodeName: c.node_name,
    name: c.name,
    address: c.address,
    phone: c.phone,
    lunchAt: c.lunch_at,
    dinnerAt: c.dinner_at,
    cutoffMinutes: Number(c.cutoff_minutes),
    delivers: c.delivers,
    subsidies: subsidies.filter((s) => Number(s.canteen_id) === Number(c.id)).map(toRule),
  }));
}

function menuCutoff(c: Pick<repo.CanteenRow, 'lunch_at' | 'dinner_at' | 'cutoff_minutes'>, day: string, meal: Meal) {
  return cutoffOf(day, meal === 'lunch' ? c.lunch_at : c.dinner_at, Number(c.cutoff_minutes));
}

function toMenu(m: repo.MenuRow, c: repo.CanteenRow, now: Date): Menu {
  const cutoff = menuCutoff(c, m.day, m.meal);
  return {
    id: Number(m.id),
    canteenId: Number(m.canteen_id),
    day: m.day,
    meal: m.meal,
    dishes: m.dishes,
    priceCents: Number(m.price_cents),
    priceMinutes: m.price_minutes === null ? null : Number(m.price_minutes),
    capacity: Number(m.capacity),
    ordered: Number(m.ordered),
    cutoffAt: cutoff.toISOString(),
    open: isOpen(cutoff, now),
  };
}

async function canteenInReach(q: Queryable, ctx: Ctx, id: number): Promise<repo.CanteenRow> {
  assertPermission(ctx.principal, 'services.read');
  const c = await repo.findCanteen(q, id);
  if (!c || !reachable(ctx, c.node_path)) throw new AppError('SERVICES_CANTEEN_NOT_FOUND');
  return c;
}

/** The canteens of the caller's area and of the places it lies in, with their subsidy rules. */
export async function listCanteens(deps: ServicesDeps, ctx: Ctx): Promise<{ items: Canteen[] }> {
  assertPermission(ctx.principal, 'services.read');
  const rows = await repo.listCanteens(
    deps.db,
    repo.reachSql(scopeFor(ctx.principal, 'services.read'), 'c.node_path'),
    [],
  );
  return { items: await toCanteens(deps.db, rows) };
}

/**
 * Opens a canteen at a node of the caller's area.
 * @throws ORG_NODE_NOT_FOUND (nodeId), FORBIDDEN
 */
export async function createCanteen(deps: ServicesDeps, ctx: Ctx, body: CanteenCreate): Promise<Canteen> {
  assertPermission(ctx.principal, 'services.manage');
  return deps.db.transaction(async (tx) => {
    const node = await nodeToManage(tx, ctx, body.nodeId);
    const fields = {
      name: body.name,
      address: body.address || null,
      phone: body.phone || null,
      lunchAt: body.lunchAt ?? '11:30',
      dinnerAt: body.dinnerAt ?? '17:30',
      cutoffMinutes: body.cutoffMinutes ?? 120,
      delivers: body.delivers ?? true,
    };
    const id = await repo.insertCanteen(tx, node, fields, operator(ctx));
    await recordAudit(tx, ctx, {
      action: 'services.canteen.create',
      targetType: 'canteen',
      targetId: id,
      targetLabel: body.name,
      scopePath: node.path,
      countyId: Number(node.county_id),
      after: fields,
    });
    return (await toCanteens(tx, [(await repo.findCanteen(tx, id))!]))[0]!;
  });
}

/**
 * Replaces a canteen's subsidy rules (tag → amount or percentage off).
 * @throws SERVICES_CANTEEN_NOT_FOUND, SERVICES_SUBSIDY_INVALID (rules), SERVICES_TAG_NOT_FOUND (rules), FORBIDDEN
 */
export async function putSubsidies(deps: ServicesDeps, ctx: Ctx, id: number, body: SubsidiesPut): Promise<Canteen> {
  assertPermission(ctx.principal, 'services.manage');
  const tagIds = body.rules.map((r) => r.tagId);
  if (new Set(tagIds).size !== tagIds.length || body.rules.some((r) => r.kind === 'percent' && r.value > 100))
    throw new AppError('SERVICES_SUBSIDY_INVALID', { field: 'rules' });
  return deps.db.transaction(async (tx) => {
    const c = await canteenInReach(tx, ctx, id);
    assertManage(ctx, c.node_path, () => new AppError('SERVICES_CANTEEN_NOT_FOUND'));
    const known = await repo.tagsExist(tx, tagIds);
    if (tagIds.some((t) => !known.has(t))) throw new AppError('SERVICES_TAG_NOT_FOUND', { field: 'rules' });
    const before = (await repo.listSubsidies(tx, [id])).map((s) => ({ tagId: s.tag_id, kind: s.kind, value: s.value }));
    await repo.replaceSubsidies(tx, id, body.rules);
    await recordAudit(tx, ctx, {
      action: 'services.subsidies.update',
      targetType: 'canteen',
      targetId: id,
      targetLabel: c.name,
      scopePath: c.node_path,
      countyId: Number(c.county_id),
      before: { rules: before },
      after: { rules: body.rules },
    });
    return (await toCanteens(tx, [c]))[0]!;
  });
}

function dayRange(query: MenuQuery, now: Date): { from: string; to: string } {
  const from = query.from ?? shanghaiDay(now);
  const to = query.to ?? shanghaiDay(new Date(`${from}T00:00:00Z`), 6);
  if (Number.isNaN(Date.parse(from))) throw new AppError('SERVICES_DAY_INVALID', { field: 'from' });
  if (Number.isNaN(Date.parse(to)) || to < from || Date.parse(to) - Date.parse(from) > 62 * 86_400_000)
    throw new AppError('SERVICES_DAY_INVALID', { field: 'to' });
  return { from, to };
}

/** A canteen's menus of a span of days (default: today and the next six). */
export async function listMenus(
  deps: ServicesDeps,
  ctx: Ctx,
  canteenId: number,
  query: MenuQuery,
): Promise<{ items: Menu[] }> {
  const now = new Date();
  const c = await canteenInReach(deps.db, ctx, canteenId);
  const { from, to } = dayRange(query, now);
  const rows = await repo.listMenus(deps.db, [canteenId], from, to);
  return { items: rows.map((m) => toMenu(m, c, now)) };
}

/**
 * Puts a menu on a day and meal of a canteen of the caller's area.
 * @throws SERVICES_CANTEEN_NOT_FOUND, SERVICES_MENU_EXISTS (day), FORBIDDEN
 */
export async function createMenu(deps: ServicesDeps, ctx: Ctx, canteenId: number, body: MenuCreate): Promise<Menu> {
  assertPermission(ctx.principal, 'services.manage');
  if (Number.isNaN(Date.parse(body.day))) throw new AppError('SERVICES_DAY_INVALID', { field: 'day' });
  return deps.db.transaction(async (tx) => {
    const c = await canteenInReach(tx, ctx, canteenId);
    assertManage(ctx, c.node_path, () => new AppError('SERVICES_CANTEEN_NOT_FOUND'));
    const id = await repo.insertMenu(
      tx,
      canteenId,
      { ...body, priceMinutes: body.priceMinutes ?? null },
      operator(ctx),
    );
    if (id === null) throw new AppError('SERVICES_MENU_EXISTS', { field: 'day', params: { day: body.day } });
    await recordAudit(tx, ctx, {
      action: 'services.menu.create',
      targetType: 'canteen',
      targetId: canteenId,
      targetLabel: `${c.name} ${body.day} ${MEAL_NAMES[body.meal].zh}`,
      scopePath: c.node_path,
      countyId: Number(c.county_id),
      after: { menuId: id, ...body },
    });
    return toMenu((await repo.findMenu(tx, id))!, c, new Date());
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Orders

/** `viewer`: the resident looking on their phone (other diners' names masked); undefined: a worker. */
function toOrder(o: repo.OrderRow, now: Date, viewer?: { residentId: number; householdId: number | null }): Order {
  const cutoff = cutoffOf(o.day, o.meal === 'lunch' ? o.lunch_at : o.dinner_at, Number(o.cutoff_minutes));
  const family =
    viewer !== undefined &&
    (Number(o.resident_id) === viewer.residentId ||
      (viewer.householdId !== null && Number(o.household_id) === viewer.householdId));
  return {
    id: Number(o.id),
    canteenId: Number(o.canteen_id),
    canteenName: o.canteen_name,
    menuId: Number(o.menu_id),
    day: o.day,
    meal: o.meal,
    dishes: o.dishes,
    residentId: Number(o.resident_id),
    residentName: viewer === undefined || family ? o.resident_name : maskName(o.resident_name),
    quantity: Number(o.quantity),
    channel: o.channel,
    orderedByName: o.ordered_by_name,
    delivery: o.delivery,
    deliveryAddress: o.delivery_address,
    listCents: Number(o.list_cents),
    subsidyLabel: o.subsidy_label,
    subsidyCents: Number(o.subsidy_cents),
    payCents: Number(o.pay_cents),
    payMinutes: Number(o.pay_minutes),
    payment: o.payment,
    transferId: o.transfer_id === null ? null : Number(o.transfer_id),
    status: o.status,
    refundTransferId: o.refund_transfer_id === null ? null : Number(o.refund_transfer_id),
    cutoffAt: cutoff.toISOString(),
    cancellable: o.status === 'ordered' && isOpen(cutoff, now),
    note: o.note,
    createdAt: new Date(o.created_at).toISOString(),
  };
}

const fmtCutoff = (d: Date) => `${shanghaiDay(d)} ${new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(11, 16)}`;

type Placing = {
  diner: repo.DinerRow;
  channel: 'self' | 'family' | 'worker';
  payer: number;
  menuId: number;
  quantity: number;
  delivery: boolean;
  payment: Payment;
  note: string | null;
  /** Whether the caller may see the menu's canteen at all (else "menu not found"). */
  canSee: (canteenPath: string) => boolean;
};

async function placeOrder(tx: Queryable, ctx: Ctx, x: Placing): Promise<repo.OrderRow> {
  const now = new Date();
  const menu = await repo.findMenu(tx, x.menuId, true);
  const canteen = menu ? await repo.findCanteen(tx, Number(menu.canteen_id)) : null;
  if (!menu || !canteen || !x.canSee(canteen.node_path))
    throw new AppError('SERVICES_MENU_NOT_FOUND', { field: 'menuId' });
  if (!x.diner.node_path.startsWith(canteen.node_path))
    throw new AppError('SERVICES_NOT_CANTEEN_AREA', { field: 'residentId', params: { name: x.diner.name } });
  const cutoff = menuCutoff(canteen, menu.day, menu.meal);
  if (!isOpen(cutoff, now))
    throw new AppError('SERVICES_ORDERS_CLOSED', { field: 'menuId', params: { cutoff: fmtCutoff(cutoff) } });
  const left = Number(menu.capacity) - Number(menu.ordered);
  if (x.quantity > left) throw new AppError('SERVICES_SOLD_OUT', { field: 'quantity', params: { left } });
  if (x.delivery && !canteen.delivers) throw new AppError('SERVICES_NO_DELIVERY', { field: 'delivery' });
  if (x.delivery && !x.diner.address)
    throw new AppError('SERVICES_NO_ADDRESS', { field: 'delivery', params: { name: x.diner.name } });
  const rules = (await repo.listSubsidies(tx, [Number(canteen.id)])).map(toRule);
  const charge = chargeFor(
    {
      priceCents: Number(menu.price_cents),
      priceMinutes: menu.price_minutes === null ? null : Number(menu.price_minutes),
    },
    x.quantity,
    rules,
    x.diner.tag_ids,
  );
  if (x.payment === 'hours' && charge.payMinutes === null)
    throw new AppError('SERVICES_HOURS_NOT_ACCEPTED', { field: 'payment' });
  const payMinutes = x.payment === 'hours' ? (charge.payMinutes ?? 0) : 0;
  const id = await repo.insertOrder(tx, {
    countyId: Number(x.diner.county_id),
    canteenId: Number(canteen.id),
    menuId: Number(menu.id),
    residentId: Number(x.diner.id),
    nodePath: x.diner.node_path,
    quantity: x.quantity,
    channel: x.channel,
    orderedBy: operator(ctx),
    payerResidentId: x.payment === 'hours' ? x.payer : null,
    delivery: x.delivery,
    deliveryAddress: x.delivery ? x.diner.address : null,
    listCents: charge.listCents,
    subsidyId: charge.subsidy?.id ?? null,
    subsidyLabel: charge.subsidy?.label ?? null,
    subsidyCents: charge.subsidyCents,
    payCents: charge.payCents,
    payMinutes,
    payment: x.payment,
    note: x.note,
  });
  if (id === null) throw new AppError('SERVICES_ALREADY_ORDERED', { field: 'menuId', params: { name: x.diner.name } });
  let transferId: number | null = null;
  if (payMinutes > 0) {
    const community = await communityOfNode(tx, Number(x.diner.node_id));
    if (!community) throw new AppError('LEDGER_NO_COMMUNITY', { params: { target: x.diner.name } });
    const from = await residentAccount(tx, x.payer, 'hours');
    const to = await issuerAccount(tx, community.id, 'hours');
    const t = await postTransfer(tx, {
      currency: 'hours',
      kind: 'withdraw',
      amount: payMinutes,
      fromAccountId: from.id,
      toAccountId: to.id,
      reason: `长者食堂 ${canteen.name} ${menu.day} ${MEAL_NAMES[menu.meal].zh} ${x.quantity} 份`,
      sourceType: 'canteen_order',
      sourceId: id,
      idempotencyKey: `services:order:${id}`,
      operatorId: operator(ctx),
    });
    transferId = t.id;
    await repo.setOrderTransfer(tx, id, t.id);
  }
  await recordAudit(tx, ctx, {
    action: 'services.order.create',
    targetType: 'canteen_order',
    targetId: id,
    targetLabel: `${x.diner.name} ${canteen.name} ${menu.day} ${MEAL_NAMES[menu.meal].zh}`,
    scopePath: x.diner.node_path,
    countyId: Number(x.diner.county_id),
    after: {
      channel: x.channel,
      quantity: x.quantity,
      delivery: x.delivery,
      payment: x.payment,
      payCents: charge.payCents,
      payMinutes,
      subsidy: charge.subsidy?.label ?? null,
      transferId,
    },
  });
  if (x.channel !== 'self') {
    const users = (await usersOfResident(tx, Number(x.diner.id))).filter((u) => u !== ctx.principal.userId);
    await notify.send(tx, users, SERVICES_NOTIFY.orderedForYou, {
      by: ctx.principal.displayName,
      day: menu.day,
      mealZh: MEAL_NAMES[menu.meal].zh,
      mealEn: MEAL_NAMES[menu.meal].en,
      canteen: canteen.name,
    });
  }
  return (await repo.findOrder(tx, id))!;
}

async function usersOfResident(q: Queryable, residentId: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>('SELECT id FROM users WHERE resident_id = $1', [residentId]);
  return rows.map((r) => Number(r.id));
}

async function cancel(tx: Queryable, ctx: Ctx, o: repo.OrderRow, byDiner: boolean): Promise<repo.OrderRow> {
  if (o.status !== 'ordered') throw new AppError('SERVICES_ALREADY_CANCELLED');
  const cutoff = cutoffOf(o.day, o.meal === 'lunch' ? o.lunch_at : o.dinner_at, Number(o.cutoff_minutes));
  if (!isOpen(cutoff, new Date()))
    throw new AppError('SERVICES_ORDERS_CLOSED', { params: { cutoff: fmtCutoff(cutoff) } });
  let refund: number | null = null;
  if (o.transfer_id !== null) {
    refund = (
      await reverseTransfer(tx, Number(o.transfer_id), {
        reason: `长者食堂退订 ${o.canteen_name} ${o.day} ${MEAL_NAMES[o.meal].zh}`,
        operatorId: operator(ctx),
      })
    ).id;
  }
  await repo.cancelOrder(tx, Number(o.id), operator(ctx), refund);
  await recordAudit(tx, ctx, {
    action: 'services.order.cancel',
    targetType: 'canteen_order',
    targetId: Number(o.id),
    targetLabel: `${o.resident_name} ${o.canteen_name} ${o.day} ${MEAL_NAMES[o.meal].zh}`,
    scopePath: o.node_path,
    countyId: Number(o.county_id),
    before: { status: 'ordered' },
    after: { status: 'cancelled', refundTransferId: refund },
  });
  if (!byDiner) {
    const users = (await usersOfResident(tx, Number(o.resident_id))).filter((u) => u !== ctx.principal.userId);
    await notify.send(tx, users, SERVICES_NOTIFY.cancelledForYou, {
      by: ctx.principal.displayName,
      day: o.day,
      mealZh: MEAL_NAMES[o.meal].zh,
      mealEn: MEAL_NAMES[o.meal].en,
      canteen: o.canteen_name,
    });
  }
  return (await repo.findOrder(tx, Number(o.id)))!;
}

/**
 * A worker orders a meal for a resident of their area (订餐代办); the order records the worker.
 * @throws SERVICES_DINER_NOT_FOUND (residentId), SERVICES_MENU_NOT_FOUND (menuId), SERVICES_NOT_CANTEEN_AREA,
 *   SERVICES_ORDERS_CLOSED, SERVICES_SOLD_OUT, SERVICES_NO_DELIVERY, SERVICES_NO_ADDRESS, SERVICES_HOURS_NOT_ACCEPTED,
 *   SERVICES_ALREADY_ORDERED, LEDGER_INSUFFICIENT_BALANCE, FORBIDDEN
 */
export async function createOrder(deps: ServicesDeps, ctx: Ctx, body: OrderCreate): Promise<Order> {
  assertPermission(ctx.principal, 'services.manage');
  return deps.db.transaction(async (tx) => {
    const diner = await repo.findDiner(tx, body.residentId);
    if (!diner || diner.status !== 'active' || !can(ctx.principal, 'services.manage', diner.node_path))
      throw new AppError('SERVICES_DINER_NOT_FOUND', { field: 'residentId' });
    const row = await placeOrder(tx, ctx, {
      diner,
      channel: 'worker',
      payer: Number(diner.id),
      menuId: body.menuId,
      quantity: body.quantity ?? 1,
      delivery: body.delivery ?? false,
      payment: body.payment,
      note: body.note || null,
      canSee: (path) => reachable(ctx, path),
    });
    return toOrder(row, new Date());
  });
}

/**
 * A worker cancels an order of a resident of their area before the cut-off; hours paid are refunded.
 * @throws SERVICES_ORDER_NOT_FOUND, SERVICES_ALREADY_CANCELLED, SERVICES_ORDERS_CLOSED, FORBIDDEN, OUT_OF_SCOPE
 */
export async function cancelOrder(deps: ServicesDeps, ctx: Ctx, id: number): Promise<Order> {
  assertPermission(ctx.principal, 'services.manage');
  return deps.db.transaction(async (tx) => {
    const o = await repo.findOrder(tx, id, true);
    if (!o || !can(ctx.principal, 'services.read', o.node_path)) throw new AppError('SERVICES_ORDER_NOT_FOUND');
    assertCan(ctx.principal, 'services.manage', o.node_path);
    return toOrder(await cancel(tx, ctx, o, false), new Date());
  });
}

/** Orders of the residents of the caller's area, newest day first. */
export async function listOrders(deps: ServicesDeps, ctx: Ctx, query: OrderListQuery): Promise<{ items: Order[] }> {
  assertPermission(ctx.principal, 'services.read');
  const params: unknown[] = [];
  let where = scopeSql(scopeFor(ctx.principal, 'services.read'), 'o.node_path');
  if (query.canteenId !== undefined) {
    params.push(query.canteenId);
    where += ` AND o.canteen_id = $${params.length}`;
  }
  if (query.day !== undefined) {
    params.push(query.day);
    where += ` AND m.day = $${params.length}`;
  }
  if (query.status !== undefined) {
    params.push(query.status);
    where += ` AND o.status = $${params.length}`;
  }
  const now = new Date();
  return { items: (await repo.listOrders(deps.db, where, params)).map((o) => toOrder(o, now)) };
}

/**
 * The kitchen's count of a day (份数): portions per meal and how many go out, and the delivery list of the caller's
 * area (names and addresses).
 * @throws SERVICES_CANTEEN_NOT_FOUND
 */
export async function mealCounts(
  deps: ServicesDeps,
  ctx: Ctx,
  canteenId: number,
  query: CountsQuery,
): Promise<MealCounts> {
  const c = await canteenInReach(deps.db, ctx, canteenId);
  if (Number.isNaN(Date.parse(query.day))) throw new AppError('SERVICES_DAY_INVALID', { field: 'day' });
  const menus = await repo.listMenus(deps.db, [canteenId], query.day, query.day);
  const orders = await repo.dayOrders(deps.db, canteenId, query.day);
  const counts = countMeals(
    menus.map((m) => ({ id: Number(m.id), meal: m.meal, capacity: Number(m.capacity) })),
    orders.map((o) => ({
      menuId: Number(o.menu_id),
      quantity: Number(o.quantity),
      delivery: o.delivery,
      status: o.status,
    })),
  );
  const dishes = new Map(menus.map((m) => [Number(m.id), m.dishes]));
  const deliveries = await repo.listOrders(
    deps.db,
    `o.canteen_id = $1 AND m.day = $2 AND o.status = 'ordered' AND o.delivery AND ${scopeSql(
      scopeFor(ctx.principal, 'services.read'),
      'o.node_path',
    )}`,
    [canteenId, query.day],
    2000,
  );
  return {
    canteenId,
    canteenName: c.name,
    day: query.day,
    meals: counts.map((r) => ({ ...r, dishes: dishes.get(r.menuId) ?? [] })),
    deliveries: deliveries
      .map((o) => ({
        orderId: Number(o.id),
        meal: o.meal,
        residentName: o.resident_name,
        address: o.delivery_address,
        quantity: Number(o.quantity),
      }))
      .sort((a, b) =>
        a.meal === b.meal ? (a.address ?? '').localeCompare(b.address ?? '') : a.meal === 'lunch' ? -1 : 1,
      ),
  };
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  // a leading = + - @ would be a formula in a spreadsheet
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The kitchen's sheet as CSV (UTF-8 with a BOM, so that Excel reads the Chinese). */
export function mealCountsCsv(m: MealCounts, locale: Ctx['locale']): string {
  const zh = locale === 'zh-CN';
  const meal = (x: Meal) => (zh ? MEAL_NAMES[x].zh : MEAL_NAMES[x].en);
  const lines: (string | number | null)[][] = [
    [m.canteenName, m.day],
    zh
      ? ['餐次', '菜品', '订单数', '份数', '送餐份数', '供应上限']
      : ['Meal', 'Dishes', 'Orders', 'Portions', 'Delivered', 'Capacity'],
    ...m.meals.map((r) => [meal(r.meal), r.dishes.join('、'), r.orders, r.portions, r.delivery, r.capacity]),
    [],
    zh ? ['送餐', '居民', '地址', '份数'] : ['Delivery', 'Resident', 'Address', 'Portions'],
    ...m.deliveries.map((d) => [meal(d.meal), d.residentName, d.address, d.quantity]),
  ];
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// The resident's own (phone)

async function meDiner(q: Queryable, ctx: Ctx): Promise<repo.DinerRow & { communityPath: string }> {
  const id = ctx.principal.userId > 0 ? await repo.residentOfUser(q, ctx.principal.userId) : null;
  const me = id === null ? null : await repo.findDiner(q, id);
  if (!me) throw new AppError('LEDGER_NO_RESIDENT');
  const community = await communityOfNode(q, Number(me.node_id));
  return { ...me, communityPath: community?.path ?? me.node_path };
}

/** Where a resident's services come from: their community (and under it), and the places above them. */
const residentWhere = (col: string) => `(${col} LIKE $1 || '%' OR $2 LIKE ${col} || '%')`;

/** The directory of the caller's community. */
export async function listMyEntries(deps: ServicesDeps, ctx: Ctx, query: Pick<EntryListQuery, 'category' | 'q'>) {
  const me = await meDiner(deps.db, ctx);
  const rows = await repo.listEntries(deps.db, residentWhere('e.node_path'), [me.communityPath, me.node_path], query);
  return { items: rows.map(toEntry) };
}

/** The canteens that serve the caller, their menus of the coming week with each household member's price. */
export async function myCanteen(deps: ServicesDeps, ctx: Ctx): Promise<MyCanteen> {
  const now = new Date();
  const me = await meDiner(deps.db, ctx);
  const diners = me.household_id === null ? [me] : await repo.householdDiners(deps.db, Number(me.household_id));
  if (!diners.some((d) => Number(d.id) === Number(me.id))) diners.unshift(me);
  const rows = await repo.listCanteens(deps.db, `$1 LIKE c.node_path || '%'`, [me.node_path]);
  const canteens = await toCanteens(deps.db, rows);
  const menus = await repo.listMenus(
    deps.db,
    rows.map((c) => Number(c.id)),
    shanghaiDay(now),
    shanghaiDay(now, 6),
  );
  const [acct] = await deps.db.query<{ balance: number }>(
    `SELECT balance FROM ledger_accounts WHERE kind = 'resident' AND resident_id = $1 AND currency = 'hours'`,
    [me.id],
  );
  return {
    resident: { id: Number(me.id), name: me.name, hoursMinutes: acct ? Number(acct.balance) : 0 },
    diners: diners.map((d) => ({
      residentId: Number(d.id),
      name: d.name,
      self: Number(d.id) === Number(me.id),
      address: d.address,
    })),
    canteens,
    menus: menus.map((m) => {
      const c = rows.find((x) => Number(x.id) === Number(m.canteen_id))!;
      const rules = canteens.find((x) => x.id === Number(c.id))!.subsidies;
      return {
        ...toMenu(m, c, now),
        prices: diners.map((d) => {
          const ch = chargeFor(
            {
              priceCents: Number(m.price_cents),
              priceMinutes: m.price_minutes === null ? null : Number(m.price_minutes),
            },
            1,
            rules,
            d.tag_ids,
          );
          return {
            residentId: Number(d.id),
            payCents: ch.payCents,
            payMinutes: ch.payMinutes,
            subsidyLabel: ch.subsidy?.label ?? null,
            subsidyCents: ch.subsidyCents,
          };
        }),
      };
    }),
  };
}

/**
 * Orders a meal for oneself or a member of one's household; paid in hours, from the caller's own hours.
 * @throws LEDGER_NO_RESIDENT, SERVICES_NOT_FAMILY (residentId), SERVICES_MENU_NOT_FOUND (menuId), and as createOrder
 */
export async function createMyOrder(deps: ServicesDeps, ctx: Ctx, body: MyOrderCreate): Promise<Order> {
  return deps.db.transaction(async (tx) => {
    const me = await meDiner(tx, ctx);
    let diner: repo.DinerRow | null = me;
    if (body.residentId !== undefined && body.residentId !== Number(me.id)) {
      diner = await repo.findDiner(tx, body.residentId);
      const family =
        diner !== null &&
        diner.status === 'active' &&
        me.household_id !== null &&
        Number(diner.household_id) === Number(me.household_id);
      if (!family) throw new AppError('SERVICES_NOT_FAMILY', { field: 'residentId' });
    }
    const row = await placeOrder(tx, ctx, {
      diner: diner!,
      channel: Number(diner!.id) === Number(me.id) ? 'self' : 'family',
      payer: Number(me.id),
      menuId: body.menuId,
      quantity: body.quantity ?? 1,
      delivery: body.delivery ?? false,
      payment: body.payment,
      note: body.note || null,
      canSee: (path) => me.node_path.startsWith(path),
    });
    return toOrder(row, new Date(), { residentId: Number(me.id), householdId: me.household_id });
  });
}

const myOrderWhere = `(o.resident_id = $1 OR o.payer_resident_id = $1 OR ($2::bigint IS NOT NULL AND r.household_id = $2))`;

/** The caller's and their household's orders. */
export async function listMyOrders(deps: ServicesDeps, ctx: Ctx): Promise<{ items: Order[] }> {
  const me = await meDiner(deps.db, ctx);
  const rows = await repo.listOrders(deps.db, myOrderWhere, [me.id, me.household_id], 100);
  const now = new Date();
  const viewer = { residentId: Number(me.id), householdId: me.household_id === null ? null : Number(me.household_id) };
  return { items: rows.map((o) => toOrder(o, now, viewer)) };
}

/**
 * Cancels one's own or a household member's order before the cut-off; hours paid are refunded.
 * @throws LEDGER_NO_RESIDENT, SERVICES_ORDER_NOT_FOUND, SERVICES_ALREADY_CANCELLED, SERVICES_ORDERS_CLOSED
 */
export async function cancelMyOrder(deps: ServicesDeps, ctx: Ctx, id: number): Promise<Order> {
  return deps.db.transaction(async (tx) => {
    const me = await meDiner(tx, ctx);
    const o = await repo.findOrder(tx, id, true);
    const mine =
      o !== null &&
      (Number(o.resident_id) === Number(me.id) ||
        Number(o.payer_resident_id) === Number(me.id) ||
        (me.household_id !== null && Number(o.household_id) === Number(me.household_id)));
    if (!o || !mine) throw new AppError('SERVICES_ORDER_NOT_FOUND');
    const viewer = {
      residentId: Number(me.id),
      householdId: me.household_id === null ? null : Number(me.household_id),
    };
    return toOrder(await cancel(tx, ctx, o, Number(o.resident_id) === Number(me.id)), new Date(), viewer);
  });
}
