/**
 * Merchants (兑换商户) that take residents' points for goods, their staff and their catalogue. A merchant lies at a
 * node inside a community (its points settle to that community's issuer). Workers read with points.read and change
 * with points.manage over the merchant's node; a merchant outside one's points.read scope is "not found". The
 * merchant's own staff (points.redeem and a row in merchant_members) keep their goods' price, stock and sale state
 * from the phone. Redemptions themselves are part G's (redemption.*); the list here only reads them.
 */
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { maskName, maskPhone, type PiiCipher, parsePhone } from '../../platform/pii/index.js';
import { findNodeById } from '../org/org.service.js';
import { communityOfNode } from './ledger.repo.js';
import type {
  Goods,
  GoodsCreate,
  GoodsList,
  GoodsPatch,
  Merchant,
  MerchantCreate,
  MerchantDetail,
  MerchantListQuery,
  MerchantPage,
  MerchantPatch,
  RedemptionListQuery,
  RedemptionPage,
  RedemptionRow,
  StaffGoodsPatch,
} from './merchants.schemas.js';

export type MerchantsDeps = { db: Db; pii: PiiCipher; jobs: Jobs };

const notFound = () => new AppError('MERCHANT_NOT_FOUND');
const goodsNotFound = () => new AppError('MERCHANT_GOODS_NOT_FOUND');

export type MerchantRow = {
  id: number;
  county_id: number;
  community_id: number;
  community_name: string;
  node_id: number;
  node_name: string;
  node_path: string;
  name: string;
  address: string | null;
  contact_name: string | null;
  phone_masked: string | null;
  status: 'active' | 'suspended' | 'closed';
  balance: number;
  goods: number;
  members: number;
  created_at: Date;
  updated_at: Date;
};

const MERCHANT_SELECT = `
  SELECT m.id, m.county_id, m.community_id, c.name AS community_name, m.node_id, n.name AS node_name, m.node_path,
         m.name, m.address, m.contact_name, m.phone_masked, m.status, m.created_at, m.updated_at,
         COALESCE((SELECT a.balance FROM ledger_accounts a
                    WHERE a.kind = 'merchant' AND a.merchant_id = m.id AND a.currency = 'points'), 0) AS balance,
         (SELECT count(*) FROM merchant_goods g WHERE g.merchant_id = m.id) AS goods,
         (SELECT count(*) FROM merchant_members mm WHERE mm.merchant_id = m.id) AS members
    FROM merchants m
    JOIN org_nodes n ON n.id = m.node_id
    JOIN org_nodes c ON c.id = m.community_id`;

function toMerchant(r: MerchantRow): Merchant {
  return {
    id: Number(r.id),
    nodeId: Number(r.node_id),
    nodeName: r.node_name,
    communityId: Number(r.community_id),
    communityName: r.community_name,
    name: r.name,
    address: r.address,
    contactName: r.contact_name,
    phone: r.phone_masked,
    status: r.status,
    balance: Number(r.balance),
    goods: Number(r.goods),
    members: Number(r.members),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function findMerchant(q: Queryable, id: number, lock = false): Promise<MerchantRow | null> {
  if (lock) await q.query('SELECT id FROM merchants WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<MerchantRow>(`${MERCHANT_SELECT} WHERE m.id = $1`, [id]);
  return r ?? null;
}

/** A merchant the caller may read (points.read over its node), else MERCHANT_NOT_FOUND. */
export async function readableMerchant(q: Queryable, ctx: Ctx, id: number, lock = false): Promise<MerchantRow> {
  assertPermission(ctx.principal, 'points.read');
  const m = await findMerchant(q, id, lock);
  if (!m || !can(ctx.principal, 'points.read', m.node_path)) throw notFound();
  return m;
}

/** A merchant the caller may change (points.manage over its node): unreadable → 404, read-only → 403. */
async function manageableMerchant(q: Queryable, ctx: Ctx, id: number): Promise<MerchantRow> {
  assertPermission(ctx.principal, 'points.manage');
  const m = await findMerchant(q, id, true);
  if (!m) throw notFound();
  assertCan(ctx.principal, 'points.manage', m.node_path, { readPermission: 'points.read', notFound: notFound() });
  return m;
}

function sealPhone(pii: PiiCipher, raw: string | null | undefined) {
  if (raw === undefined) return undefined;
  if (raw === null || raw.trim() === '') return { sealed: null, masked: null };
  const p = parsePhone(raw);
  if (!p.ok) throw new AppError('PHONE_INVALID', { field: 'phone' });
  return { sealed: pii.seal(p.value), masked: maskPhone(p.value) };
}

async function staffOf(q: Queryable, merchantId: number) {
  const rows = await q.query<{ user_id: number; username: string; display_name: string; created_at: Date }>(
    `SELECT mm.user_id, u.username, u.display_name, mm.created_at
       FROM merchant_members mm JOIN users u ON u.id = mm.user_id
      WHERE mm.merchant_id = $1 ORDER BY mm.created_at, mm.user_id`,
    [merchantId],
  );
  return rows.map((r) => ({
    userId: Number(r.user_id),
    username: r.username,
    displayName: r.display_name,
    createdAt: r.created_at.toISOString(),
  }));
}

async function toDetail(q: Queryable, ctx: Ctx, m: MerchantRow): Promise<MerchantDetail> {
  return {
    ...toMerchant(m),
    staff: await staffOf(q, Number(m.id)),
    can: { manage: can(ctx.principal, 'points.manage', m.node_path) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Merchants

/** Merchants in the caller's points.read scope (optionally under a node, by status or name). */
export async function listMerchants(deps: MerchantsDeps, ctx: Ctx, query: MerchantListQuery): Promise<MerchantPage> {
  assertPermission(ctx.principal, 'points.read');
  const where = [scopeSql(scopeFor(ctx.principal, 'points.read'), 'm.node_path')];
  const params: unknown[] = [];
  if (query.nodeId !== undefined) {
    const node = await findNodeById(deps.db, query.nodeId);
    if (!node) throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    params.push(`${node.path}%`);
    where.push(`m.node_path LIKE $${params.length}`);
  }
  if (query.status) {
    params.push(query.status);
    where.push(`m.status = $${params.length}`);
  }
  if (query.q) {
    params.push(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`m.name LIKE $${params.length}`);
  }
  const page = query.page ?? 1;
  const size = query.pageSize ?? 20;
  const [count] = await deps.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM merchants m WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows = await deps.db.query<MerchantRow>(
    `${MERCHANT_SELECT} WHERE ${where.join(' AND ')} ORDER BY m.status = 'closed', m.name, m.id
      LIMIT ${size} OFFSET ${(page - 1) * size}`,
    params,
  );
  return { items: rows.map(toMerchant), total: Number(count?.n ?? 0) };
}

export async function getMerchant(deps: MerchantsDeps, ctx: Ctx, id: number): Promise<MerchantDetail> {
  return toDetail(deps.db, ctx, await readableMerchant(deps.db, ctx, id));
}

/** @throws ORG_NODE_NOT_FOUND, OUT_OF_SCOPE, MERCHANT_NODE_INVALID, PHONE_INVALID, FORBIDDEN */
export async function createMerchant(deps: MerchantsDeps, ctx: Ctx, body: MerchantCreate): Promise<MerchantDetail> {
  assertPermission(ctx.principal, 'points.manage');
  return deps.db.transaction(async (tx) => {
    const node = await findNodeById(tx, body.nodeId);
    if (!node || node.status !== 'active' || !can(ctx.principal, 'points.read', node.path))
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    assertCan(ctx.principal, 'points.manage', node.path);
    const community = await communityOfNode(tx, Number(node.id));
    if (!community) throw new AppError('MERCHANT_NODE_INVALID', { field: 'nodeId' });
    const phone = sealPhone(deps.pii, body.phone);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO merchants (county_id, community_id, node_id, node_path, name, address, contact_name, phone_masked,
         phone_sealed, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        community.countyId,
        community.id,
        node.id,
        node.path,
        body.name,
        body.address ?? null,
        body.contactName ?? null,
        phone?.masked ?? null,
        phone?.sealed ?? null,
        ctx.principal.userId > 0 ? ctx.principal.userId : null,
      ],
    );
    const m = (await findMerchant(tx, Number(row!.id)))!;
    await recordAudit(tx, ctx, {
      action: 'merchant.create',
      targetType: 'merchant',
      targetId: Number(m.id),
      targetLabel: m.name,
      scopePath: m.node_path,
      countyId: Number(m.county_id),
      after: { name: m.name, nodeId: Number(m.node_id), address: m.address, contactName: m.contact_name },
    });
    return toDetail(tx, ctx, m);
  });
}

/** Name, address, contact, phone, status (a suspended merchant takes no redemptions). */
export async function updateMerchant(
  deps: MerchantsDeps,
  ctx: Ctx,
  id: number,
  body: MerchantPatch,
): Promise<MerchantDetail> {
  return deps.db.transaction(async (tx) => {
    const m = await manageableMerchant(tx, ctx, id);
    const phone = sealPhone(deps.pii, body.phone);
    const before = {
      name: m.name,
      address: m.address,
      contactName: m.contact_name,
      phone: m.phone_masked,
      status: m.status,
    };
    const after = {
      name: body.name ?? m.name,
      address: body.address === undefined ? m.address : body.address,
      contactName: body.contactName === undefined ? m.contact_name : body.contactName,
      phone: phone === undefined ? m.phone_masked : phone.masked,
      status: body.status ?? m.status,
    };
    await tx.query(
      `UPDATE merchants SET name = $2, address = $3, contact_name = $4, status = $5, updated_at = now(),
              phone_masked = CASE WHEN $6 THEN $7 ELSE phone_masked END,
              phone_sealed = CASE WHEN $6 THEN $8::bytea ELSE phone_sealed END
        WHERE id = $1`,
      [
        id,
        after.name,
        after.address,
        after.contactName,
        after.status,
        phone !== undefined,
        phone?.masked ?? null,
        phone?.sealed ?? null,
      ],
    );
    await recordAudit(tx, ctx, {
      action: 'merchant.update',
      targetType: 'merchant',
      targetId: id,
      targetLabel: after.name,
      scopePath: m.node_path,
      countyId: Number(m.county_id),
      before,
      after,
    });
    return toDetail(tx, ctx, (await findMerchant(tx, id))!);
  });
}

/** Adds an account holding the merchant role as staff (again: no change). @throws MERCHANT_MEMBER_INVALID */
export async function addMember(deps: MerchantsDeps, ctx: Ctx, id: number, userId: number): Promise<MerchantDetail> {
  return deps.db.transaction(async (tx) => {
    const m = await manageableMerchant(tx, ctx, id);
    const [u] = await tx.query<{ username: string }>(
      `SELECT u.username FROM users u
        WHERE u.id = $1 AND EXISTS (SELECT 1 FROM posts p WHERE p.user_id = u.id AND p.role = 'merchant')`,
      [userId],
    );
    if (!u) throw new AppError('MERCHANT_MEMBER_INVALID', { field: 'userId' });
    const added = await tx.query(
      `INSERT INTO merchant_members (merchant_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING user_id`,
      [id, userId],
    );
    if (added.length > 0) {
      await recordAudit(tx, ctx, {
        action: 'merchant.member.add',
        targetType: 'merchant',
        targetId: id,
        targetLabel: m.name,
        scopePath: m.node_path,
        countyId: Number(m.county_id),
        after: { userId, username: u.username },
      });
    }
    return toDetail(tx, ctx, (await findMerchant(tx, id))!);
  });
}

export async function removeMember(deps: MerchantsDeps, ctx: Ctx, id: number, userId: number): Promise<MerchantDetail> {
  return deps.db.transaction(async (tx) => {
    const m = await manageableMerchant(tx, ctx, id);
    const gone = await tx.query(
      'DELETE FROM merchant_members WHERE merchant_id = $1 AND user_id = $2 RETURNING user_id',
      [id, userId],
    );
    if (gone.length === 0) throw new AppError('MERCHANT_MEMBER_NOT_FOUND', { field: 'userId' });
    await recordAudit(tx, ctx, {
      action: 'merchant.member.remove',
      targetType: 'merchant',
      targetId: id,
      targetLabel: m.name,
      scopePath: m.node_path,
      countyId: Number(m.county_id),
      before: { userId },
    });
    return toDetail(tx, ctx, (await findMerchant(tx, id))!);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Goods

type GoodsRow = {
  id: number;
  merchant_id: number;
  merchant_name: string;
  node_path: string;
  county_id: number;
  name: string;
  description: string | null;
  price: number;
  stock: number;
  active: boolean;
  sort: number;
  version: number;
  updated_at: Date;
};

const GOODS_SELECT = `
  SELECT g.id, g.merchant_id, m.name AS merchant_name, m.node_path, m.county_id, g.name, g.description, g.price,
         g.stock, g.active, g.sort, g.version, g.updated_at
    FROM merchant_goods g JOIN merchants m ON m.id = g.merchant_id`;

function toGoods(r: GoodsRow): Goods {
  return {
    id: Number(r.id),
    merchantId: Number(r.merchant_id),
    merchantName: r.merchant_name,
    name: r.name,
    description: r.description,
    price: Number(r.price),
    stock: Number(r.stock),
    active: r.active,
    sort: Number(r.sort),
    version: Number(r.version),
    updatedAt: r.updated_at.toISOString(),
  };
}

async function findGoods(q: Queryable, id: number, lock = false): Promise<GoodsRow | null> {
  const [r] = await q.query<GoodsRow>(`${GOODS_SELECT} WHERE g.id = $1${lock ? ' FOR UPDATE OF g' : ''}`, [id]);
  return r ?? null;
}

export async function listGoods(deps: MerchantsDeps, ctx: Ctx, merchantId: number): Promise<GoodsList> {
  await readableMerchant(deps.db, ctx, merchantId);
  const rows = await deps.db.query<GoodsRow>(`${GOODS_SELECT} WHERE g.merchant_id = $1 ORDER BY g.sort, g.id`, [
    merchantId,
  ]);
  return { items: rows.map(toGoods) };
}

export async function createGoods(
  deps: MerchantsDeps,
  ctx: Ctx,
  merchantId: number,
  body: GoodsCreate,
): Promise<Goods> {
  return deps.db.transaction(async (tx) => {
    const m = await manageableMerchant(tx, ctx, merchantId);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO merchant_goods (merchant_id, name, description, price, stock, active, sort)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        merchantId,
        body.name,
        body.description ?? null,
        body.price,
        body.stock ?? 0,
        body.active ?? true,
        body.sort ?? 0,
      ],
    );
    const g = (await findGoods(tx, Number(row!.id)))!;
    await recordAudit(tx, ctx, {
      action: 'merchant.goods.create',
      targetType: 'merchant_goods',
      targetId: Number(g.id),
      targetLabel: `${m.name} · ${g.name}`,
      scopePath: m.node_path,
      countyId: Number(m.county_id),
      after: { name: g.name, price: Number(g.price), stock: Number(g.stock), active: g.active },
    });
    return toGoods(g);
  });
}

/** Writes a goods change; a stock that would go below 0 is refused with the stock there is. */
async function writeGoods(
  tx: Queryable,
  ctx: Ctx,
  g: GoodsRow,
  change: {
    name?: string;
    description?: string | null;
    price?: number;
    stock?: number;
    stockDelta?: number;
    active?: boolean;
    sort?: number;
  },
): Promise<Goods> {
  const stock = change.stock ?? Number(g.stock);
  const next = stock + (change.stockDelta ?? 0);
  if (next < 0) throw new AppError('MERCHANT_GOODS_STOCK_NEGATIVE', { field: 'stock', params: { stock } });
  const after = {
    name: change.name ?? g.name,
    description: change.description === undefined ? g.description : change.description,
    price: change.price ?? Number(g.price),
    stock: next,
    active: change.active ?? g.active,
    sort: change.sort ?? Number(g.sort),
  };
  try {
    await tx.query(
      `UPDATE merchant_goods SET name = $2, description = $3, price = $4, stock = $5, active = $6, sort = $7,
              version = version + 1, updated_at = now()
        WHERE id = $1`,
      [g.id, after.name, after.description, after.price, after.stock, after.active, after.sort],
    );
  } catch (err) {
    if ((err as { code?: string }).code === '23514')
      throw new AppError('MERCHANT_GOODS_STOCK_NEGATIVE', { field: 'stock', params: { stock }, cause: err });
    throw err;
  }
  await recordAudit(tx, ctx, {
    action: 'merchant.goods.update',
    targetType: 'merchant_goods',
    targetId: Number(g.id),
    targetLabel: `${g.merchant_name} · ${after.name}`,
    scopePath: g.node_path,
    countyId: Number(g.county_id),
    before: {
      name: g.name,
      description: g.description,
      price: Number(g.price),
      stock: Number(g.stock),
      active: g.active,
      sort: Number(g.sort),
    },
    after,
  });
  return toGoods((await findGoods(tx, Number(g.id)))!);
}

/** The console's edit (points.manage), with a version check. */
export async function updateGoods(deps: MerchantsDeps, ctx: Ctx, id: number, body: GoodsPatch): Promise<Goods> {
  assertPermission(ctx.principal, 'points.manage');
  return deps.db.transaction(async (tx) => {
    const g = await findGoods(tx, id, true);
    if (!g) throw goodsNotFound();
    assertCan(ctx.principal, 'points.manage', g.node_path, {
      readPermission: 'points.read',
      notFound: goodsNotFound(),
    });
    if (Number(g.version) !== body.version) throw new AppError('MERCHANT_GOODS_VERSION_CONFLICT', { field: 'version' });
    const { version: _v, ...change } = body;
    return writeGoods(tx, ctx, g, change);
  });
}

/** The merchants the caller is staff of (points.redeem). */
async function staffMerchantIds(q: Queryable, ctx: Ctx): Promise<number[]> {
  assertPermission(ctx.principal, 'points.redeem');
  const rows = await q.query<{ merchant_id: number }>('SELECT merchant_id FROM merchant_members WHERE user_id = $1', [
    ctx.principal.userId,
  ]);
  return rows.map((r) => Number(r.merchant_id));
}

/** The goods of the merchants the caller is staff of (a closed merchant's are left out). */
export async function listStaffGoods(deps: MerchantsDeps, ctx: Ctx): Promise<GoodsList> {
  const ids = await staffMerchantIds(deps.db, ctx);
  if (ids.length === 0) return { items: [] };
  const rows = await deps.db.query<GoodsRow>(
    `${GOODS_SELECT} WHERE g.merchant_id = ANY($1::bigint[]) AND m.status <> 'closed' ORDER BY m.name, g.sort, g.id`,
    [ids],
  );
  return { items: rows.map(toGoods) };
}

/** The phone's edit: price, stock (set or ±), on sale; only goods of one's own merchant (else not found). */
export async function updateStaffGoods(
  deps: MerchantsDeps,
  ctx: Ctx,
  id: number,
  body: StaffGoodsPatch,
): Promise<Goods> {
  return deps.db.transaction(async (tx) => {
    const ids = await staffMerchantIds(tx, ctx);
    const g = await findGoods(tx, id, true);
    if (!g || !ids.includes(Number(g.merchant_id))) throw goodsNotFound();
    const [m] = await tx.query<{ status: string }>('SELECT status FROM merchants WHERE id = $1', [g.merchant_id]);
    if (m?.status === 'closed') throw goodsNotFound();
    return writeGoods(tx, ctx, g, body);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Redemptions (read only; written by part G)

type RedemptionDbRow = {
  id: number;
  merchant_id: number;
  merchant_name: string;
  resident_id: number | null;
  resident_name: string | null;
  items: { goodsId?: number | null; name: string; price: number; quantity: number }[];
  total: number;
  operator_id: number;
  operator_name: string;
  status: 'done' | 'reversed';
  created_at: Date;
};

export const REDEMPTION_SELECT = `
  SELECT r.id, r.merchant_id, m.name AS merchant_name, r.resident_id, res.name AS resident_name, r.items, r.total,
         r.operator_id, u.display_name AS operator_name, r.status, r.created_at
    FROM redemptions r
    JOIN merchants m ON m.id = r.merchant_id
    JOIN users u ON u.id = r.operator_id
    LEFT JOIN residents res ON res.id = r.resident_id`;

export function toRedemption(r: RedemptionDbRow): RedemptionRow {
  return {
    id: Number(r.id),
    merchantId: Number(r.merchant_id),
    merchantName: r.merchant_name,
    residentId: r.resident_id === null ? null : Number(r.resident_id),
    residentName: r.resident_name === null ? null : maskName(r.resident_name),
    items: (r.items ?? []).map((i) => ({
      goodsId: i.goodsId ?? null,
      name: i.name,
      price: Number(i.price),
      quantity: Number(i.quantity),
    })),
    total: Number(r.total),
    operatorId: Number(r.operator_id),
    operatorName: r.operator_name,
    status: r.status,
    createdAt: r.created_at.toISOString(),
  };
}

export async function redemptionsIn(q: Queryable, merchantId: number, from: Date, to: Date): Promise<RedemptionRow[]> {
  const rows = await q.query<RedemptionDbRow>(
    `${REDEMPTION_SELECT} WHERE r.merchant_id = $1 AND r.created_at >= $2 AND r.created_at < $3
      ORDER BY r.created_at, r.id`,
    [merchantId, from, to],
  );
  return rows.map(toRedemption);
}

/** What residents took at the merchants in the caller's points.read scope, newest first (cursor: last id). */
export async function listRedemptions(
  deps: MerchantsDeps,
  ctx: Ctx,
  query: RedemptionListQuery,
): Promise<RedemptionPage> {
  assertPermission(ctx.principal, 'points.read');
  const where = [scopeSql(scopeFor(ctx.principal, 'points.read'), 'm.node_path')];
  const params: unknown[] = [];
  if (query.merchantId !== undefined) {
    await readableMerchant(deps.db, ctx, query.merchantId);
    params.push(query.merchantId);
    where.push(`r.merchant_id = $${params.length}`);
  }
  if (query.from) {
    params.push(new Date(query.from));
    where.push(`r.created_at >= $${params.length}`);
  }
  if (query.to) {
    params.push(new Date(query.to));
    where.push(`r.created_at < $${params.length}`);
  }
  if (query.cursor !== undefined) {
    params.push(query.cursor);
    where.push(`r.id < $${params.length}`);
  }
  const limit = query.limit ?? 50;
  const rows = await deps.db.query<RedemptionDbRow>(
    `${REDEMPTION_SELECT} WHERE ${where.join(' AND ')} ORDER BY r.id DESC LIMIT ${limit + 1}`,
    params,
  );
  const items = rows.slice(0, limit).map(toRedemption);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}
