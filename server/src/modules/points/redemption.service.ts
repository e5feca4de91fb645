/**
 * Redemption at a merchant's counter (兑换): the resident's phone shows a short-lived code (QR and 8 digits, only
 * its sha256 kept); the merchant's staff (points.redeem, members of an active merchant) or a points manager of the
 * merchant's area look the code up and redeem a basket of goods. One transaction takes the code (a conditional
 * UPDATE: unused, unexpired), each goods' stock (`stock >= quantity`), the transfer resident → merchant (kind
 * 'redeem') and the redemption row — any refusal rolls all of it back. Locks are always taken in the same order
 * (code → goods by id → accounts by id), so any number of concurrent redemptions cannot deadlock. The phone's
 * clientId makes a retry the same redemption. A refund reverses the transfer and restores the stock, once.
 */
import type { Ctx } from '../../platform/access/context.js';
import { can, hasPermission, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { maskName } from '../../platform/pii/index.js';
import { shanghaiDay, shanghaiMidnight } from '../cases/calendar.logic.js';
import { earningAccount } from './earning.service.js';
import { merchantAccount, postTransfer, reverseTransfer } from './ledger.repo.js';
import { basketTotal, CODE_TTL_MS, codeState, hashCode, mergeBasket, newCode, parseCode } from './redemption.logic.js';
import type {
  CodeIssued,
  CodeStatus,
  Counter,
  LookupBody,
  LookupResult,
  RedeemBody,
  Redemption,
  RedemptionList,
  RedemptionsQuery,
  RefundBody,
} from './redemption.schemas.js';

export type RedemptionDeps = { db: Db };

const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------------------
// The resident's side: codes

/** The caller's resident record, or 409 LEDGER_NO_RESIDENT. */
async function myResidentId(q: Queryable, ctx: Ctx): Promise<number> {
  const [u] = await q.query<{ resident_id: number | null }>('SELECT resident_id FROM users WHERE id = $1', [
    ctx.principal.userId,
  ]);
  if (!u || u.resident_id === null) throw new AppError('LEDGER_NO_RESIDENT');
  return Number(u.resident_id);
}

function spendable(a: { balance: number; minBalance: number | null }): number {
  return Number(a.balance) - Number(a.minBalance ?? 0);
}

/** A new code for the caller's points account (the earlier unused ones stop working). */
export async function issueCode(deps: RedemptionDeps, ctx: Ctx): Promise<CodeIssued> {
  return deps.db.transaction(async (tx) => {
    const residentId = await myResidentId(tx, ctx);
    const account = await earningAccount(tx, residentId, 'points');
    await tx.query(
      `UPDATE redemption_codes SET expires_at = now()
        WHERE account_id = $1 AND user_id = $2 AND used_at IS NULL AND expires_at > now()`,
      [account.id, ctx.principal.userId],
    );
    const expiresAt = new Date(Date.now() + CODE_TTL_MS);
    for (let attempt = 0; attempt < 20; attempt++) {
      const code = newCode();
      const rows = await tx.query<{ id: number }>(
        `INSERT INTO redemption_codes (code_hash, account_id, user_id, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code_hash) DO NOTHING RETURNING id`,
        [hashCode(code), account.id, ctx.principal.userId, expiresAt],
      );
      if (rows[0]) {
        return { id: Number(rows[0].id), code, expiresAt: expiresAt.toISOString(), balance: spendable(account) };
      }
    }
    throw new Error('no free redemption code after 20 attempts');
  });
}

/** One of the caller's codes: still valid, expired, or used (then what was taken). */
export async function codeStatus(deps: RedemptionDeps, ctx: Ctx, id: number): Promise<CodeStatus> {
  const db = deps.db;
  const [c] = await db.query<{
    id: number;
    expires_at: Date;
    used_at: Date | null;
    redemption_id: number | null;
    balance: number;
    min_balance: number | null;
  }>(
    `SELECT c.id, c.expires_at, c.used_at, c.redemption_id, a.balance, a.min_balance
       FROM redemption_codes c JOIN ledger_accounts a ON a.id = c.account_id
      WHERE c.id = $1 AND c.user_id = $2`,
    [id, ctx.principal.userId],
  );
  if (!c) throw new AppError('REDEEM_CODE_NOT_FOUND');
  const redemption =
    c.redemption_id === null ? null : await loadRedemption(db, ctx, Number(c.redemption_id), { withCan: false });
  return {
    id: Number(c.id),
    state: codeState({ usedAt: c.used_at, expiresAt: c.expires_at, redemptionId: c.redemption_id }, new Date()),
    expiresAt: c.expires_at.toISOString(),
    balance: spendable({ balance: c.balance, minBalance: c.min_balance }),
    redemption,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The counter

type MerchantRow = {
  id: number;
  county_id: number;
  community_id: number;
  node_path: string;
  name: string;
  status: string;
  member: boolean;
};

/** Whether the caller may act at the counter at all (points.redeem or points.manage somewhere). */
function assertCounter(ctx: Ctx): void {
  if (!hasPermission(ctx.principal, 'points.redeem') && !hasPermission(ctx.principal, 'points.manage')) {
    throw new AppError('FORBIDDEN');
  }
}

/** Merchants the caller may act at: those they are staff of (with points.redeem), and those in their
 * points.manage area. */
async function myMerchants(q: Queryable, ctx: Ctx, opts: { id?: number; lock?: boolean } = {}): Promise<MerchantRow[]> {
  const p = ctx.principal;
  const member = hasPermission(p, 'points.redeem');
  const manage = scopeSql(scopeFor(p, 'points.manage'), 'm.node_path');
  return q.query<MerchantRow>(
    `SELECT m.id, m.county_id, m.community_id, m.node_path, m.name, m.status,
            EXISTS (SELECT 1 FROM merchant_members mm WHERE mm.merchant_id = m.id AND mm.user_id = $1) AS member
       FROM merchants m
      WHERE m.status <> 'closed' AND ($2::bigint IS NULL OR m.id = $2)
        AND ((${member ? 'TRUE' : 'FALSE'} AND EXISTS (SELECT 1 FROM merchant_members mm
                WHERE mm.merchant_id = m.id AND mm.user_id = $1)) OR ${manage})
      ORDER BY m.id
      LIMIT 200
      ${opts.lock ? 'FOR SHARE OF m' : ''}`,
    [p.userId, opts.id ?? null],
  );
}

/** The merchant acted at: the one asked for, else the merchant of the first goods, else the caller's only one. */
async function counterMerchant(
  q: Queryable,
  ctx: Ctx,
  merchantId: number | undefined,
  firstGoodsId: number | undefined,
  opts: { lock?: boolean } = {},
): Promise<MerchantRow> {
  assertCounter(ctx);
  let id = merchantId;
  if (id === undefined && firstGoodsId !== undefined) {
    const [g] = await q.query<{ merchant_id: number }>('SELECT merchant_id FROM merchant_goods WHERE id = $1', [
      firstGoodsId,
    ]);
    if (g) id = Number(g.merchant_id);
  }
  const rows = await myMerchants(q, ctx, { ...(id !== undefined ? { id } : {}), ...opts });
  if (id === undefined && rows.length > 1) throw new AppError('REDEEM_MERCHANT_REQUIRED', { field: 'merchantId' });
  const m = rows[0];
  if (!m) throw new AppError('REDEEM_MERCHANT_NOT_FOUND', { field: 'merchantId' });
  if (m.status !== 'active') throw new AppError('REDEEM_MERCHANT_SUSPENDED', { params: { name: m.name } });
  return m;
}

/** The caller's merchants and their active goods. */
export async function counter(deps: RedemptionDeps, ctx: Ctx): Promise<Counter> {
  assertCounter(ctx);
  const merchants = await myMerchants(deps.db, ctx);
  const ids = merchants.map((m) => Number(m.id));
  const goods = ids.length
    ? await deps.db.query<{
        id: number;
        merchant_id: number;
        name: string;
        description: string | null;
        price: number;
        stock: number;
      }>(
        `SELECT id, merchant_id, name, description, price, stock FROM merchant_goods
          WHERE merchant_id = ANY($1::bigint[]) AND active ORDER BY sort, id`,
        [ids],
      )
    : [];
  return {
    merchants: merchants.map((m) => ({
      id: Number(m.id),
      name: m.name,
      status: m.status,
      member: m.member,
      goods: goods
        .filter((g) => Number(g.merchant_id) === Number(m.id))
        .map((g) => ({
          id: Number(g.id),
          name: g.name,
          description: g.description,
          price: Number(g.price),
          stock: Number(g.stock),
        })),
    })),
  };
}

type CodeRow = {
  id: number;
  account_id: number;
  expires_at: Date;
  used_at: Date | null;
  county_id: number;
  resident_id: number | null;
  household_id: number | null;
  balance: number;
  min_balance: number | null;
};

/** Explains why a code cannot be used: always throws. */
async function refuseCode(q: Queryable, hash: Buffer): Promise<never> {
  const [c] = await q.query<{ used_at: Date | null }>('SELECT used_at FROM redemption_codes WHERE code_hash = $1', [
    hash,
  ]);
  if (!c) throw new AppError('REDEEM_CODE_UNKNOWN', { field: 'code' });
  if (c.used_at !== null) throw new AppError('REDEEM_CODE_USED', { field: 'code' });
  throw new AppError('REDEEM_CODE_EXPIRED', { field: 'code' });
}

/** The resident behind an account: their own name, or the household head's. */
async function holderName(q: Queryable, c: { resident_id: number | null; household_id: number | null }) {
  const [r] = await q.query<{ name: string }>(
    c.resident_id !== null
      ? 'SELECT name FROM residents WHERE id = $1'
      : 'SELECT r.name FROM households h JOIN residents r ON r.id = h.head_resident_id WHERE h.id = $1',
    [c.resident_id ?? c.household_id],
  );
  return r ? maskName(r.name) : '—';
}

const CODE_SELECT = `SELECT c.id, c.account_id, c.expires_at, c.used_at, a.county_id, a.resident_id, a.household_id,
    a.balance, a.min_balance
   FROM redemption_codes c JOIN ledger_accounts a ON a.id = c.account_id`;

/** The resident behind a code (masked) and what they may spend; the code stays unused. */
export async function lookup(deps: RedemptionDeps, ctx: Ctx, body: LookupBody): Promise<LookupResult> {
  assertCounter(ctx);
  const code = parseCode(body.code);
  if (code === null) throw new AppError('REDEEM_CODE_UNKNOWN', { field: 'code' });
  const hash = hashCode(code);
  const [c] = await deps.db.query<CodeRow>(
    `${CODE_SELECT} WHERE c.code_hash = $1 AND c.used_at IS NULL AND c.expires_at > now()`,
    [hash],
  );
  if (!c) return refuseCode(deps.db, hash);
  const merchants = await myMerchants(deps.db, ctx);
  if (!merchants.some((m) => Number(m.county_id) === Number(c.county_id))) {
    throw new AppError('REDEEM_CODE_UNKNOWN', { field: 'code' });
  }
  return {
    residentName: await holderName(deps.db, c),
    balance: spendable({ balance: c.balance, minBalance: c.min_balance }),
    expiresAt: c.expires_at.toISOString(),
  };
}

/**
 * Redeems a basket at a merchant against a resident's code, all in one transaction (201), or gives back the
 * redemption this clientId made (200, `duplicate`).
 * @throws REDEEM_CODE_UNKNOWN|EXPIRED|USED, REDEEM_GOODS_INVALID, REDEEM_STOCK_SHORT, LEDGER_INSUFFICIENT_BALANCE,
 *   REDEEM_MERCHANT_SUSPENDED, REDEEM_MERCHANT_NOT_FOUND, FORBIDDEN
 */
export async function redeem(
  deps: RedemptionDeps,
  ctx: Ctx,
  body: RedeemBody,
): Promise<{ redemption: Redemption; duplicate: boolean }> {
  const again = async () => {
    const [r] = await deps.db.query<{ id: number }>(
      'SELECT id FROM redemptions WHERE operator_id = $1 AND client_id = $2',
      [ctx.principal.userId, body.clientId],
    );
    return r ? loadRedemption(deps.db, ctx, Number(r.id), { withCan: true }) : null;
  };
  const prior = await again();
  if (prior) return { redemption: prior, duplicate: true };
  try {
    const redemption = await deps.db.transaction((tx) => redeemIn(tx, ctx, body));
    return { redemption, duplicate: false };
  } catch (err) {
    // a retry that raced its first attempt: the first took the code (or the client key); answer with it
    const raced =
      err instanceof AppError && err.code === 'REDEEM_CODE_USED'
        ? await again()
        : (err as { code?: string }).code === '23505'
          ? await again()
          : null;
    if (raced) return { redemption: raced, duplicate: true };
    throw err;
  }
}

async function redeemIn(tx: Queryable, ctx: Ctx, body: RedeemBody): Promise<Redemption> {
  const code = parseCode(body.code);
  if (code === null) throw new AppError('REDEEM_CODE_UNKNOWN', { field: 'code' });
  const lines = mergeBasket(body.items);
  const merchant = await counterMerchant(tx, ctx, body.merchantId, body.items[0]?.goodsId, { lock: true });

  // 1. the code: taken by a conditional update (a second redemption with it waits, then finds it used)
  const hash = hashCode(code);
  const [taken] = await tx.query<{ id: number; account_id: number }>(
    `UPDATE redemption_codes SET used_at = now()
      WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING id, account_id`,
    [hash],
  );
  if (!taken) return refuseCode(tx, hash);
  const [c] = await tx.query<CodeRow>(`${CODE_SELECT} WHERE c.id = $1`, [taken.id]);
  if (!c || Number(c.county_id) !== Number(merchant.county_id)) {
    throw new AppError('REDEEM_CODE_UNKNOWN', { field: 'code' });
  }

  // 2. the goods, in id order: this merchant's, active, and enough in stock
  const goods = await tx.query<{ id: number; merchant_id: number; name: string; price: number; active: boolean }>(
    'SELECT id, merchant_id, name, price, active FROM merchant_goods WHERE id = ANY($1::bigint[])',
    [lines.map((l) => l.goodsId)],
  );
  const items: { goodsId: number; name: string; price: number; quantity: number }[] = [];
  for (const line of lines) {
    const g = goods.find((x) => Number(x.id) === line.goodsId);
    const index = body.items.findIndex((x) => x.goodsId === line.goodsId);
    if (!g || Number(g.merchant_id) !== Number(merchant.id) || !g.active) {
      throw new AppError('REDEEM_GOODS_INVALID', {
        field: `items.${index}.goodsId`,
        params: { name: g && Number(g.merchant_id) === Number(merchant.id) ? g.name : `#${line.goodsId}` },
      });
    }
    const [left] = await tx.query<{ stock: number }>(
      `UPDATE merchant_goods SET stock = stock - $2, version = version + 1, updated_at = now()
        WHERE id = $1 AND active AND stock >= $2 RETURNING stock`,
      [line.goodsId, line.quantity],
    );
    if (!left) {
      const [now] = await tx.query<{ stock: number }>('SELECT stock FROM merchant_goods WHERE id = $1', [line.goodsId]);
      throw new AppError('REDEEM_STOCK_SHORT', {
        field: `items.${index}.quantity`,
        params: { name: g.name, stock: Number(now?.stock ?? 0) },
      });
    }
    items.push({ goodsId: line.goodsId, name: g.name, price: Number(g.price), quantity: line.quantity });
  }
  const total = basketTotal(items);

  // 3. the points: resident (the code's account) → merchant
  const to = await merchantAccount(tx, Number(merchant.id), 'points');
  const t = await postTransfer(tx, {
    currency: 'points',
    kind: 'redeem',
    amount: total,
    fromAccountId: Number(c.account_id),
    toAccountId: to.id,
    reason: `兑换：${merchant.name}`.slice(0, 200),
    sourceType: 'redemption',
    operatorId: ctx.principal.userId,
  });

  // 4. the redemption row, and the code pointing at it
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO redemptions (county_id, merchant_id, account_id, resident_id, node_path, items, total, transfer_id,
       code_id, operator_id, client_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      merchant.county_id,
      merchant.id,
      c.account_id,
      c.resident_id,
      merchant.node_path,
      JSON.stringify(items),
      total,
      t.id,
      c.id,
      ctx.principal.userId,
      body.clientId,
    ],
  );
  const id = Number(row!.id);
  await tx.query('UPDATE redemption_codes SET redemption_id = $2 WHERE id = $1', [c.id, id]);
  await recordAudit(tx, ctx, {
    action: 'points.redeem',
    targetType: 'redemption',
    targetId: id,
    targetLabel: merchant.name,
    scopePath: merchant.node_path,
    countyId: Number(merchant.county_id),
    after: { merchantId: Number(merchant.id), accountId: Number(c.account_id), total, items, transferId: t.id },
  });
  const r = (await loadRedemption(tx, ctx, id, { withCan: true }))!;
  return { ...r, balanceAfter: t.fromBalance - Number(c.min_balance ?? 0) };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading and refunding

type RedemptionRow = {
  id: number;
  county_id: number;
  merchant_id: number;
  merchant_name: string;
  node_path: string;
  resident_name: string | null;
  items: { goodsId: number; name: string; price: number; quantity: number }[];
  total: number;
  status: 'done' | 'reversed';
  transfer_id: number;
  operator_name: string;
  created_at: Date;
  member: boolean;
};

const REDEMPTION_SELECT = `SELECT r.id, r.county_id, r.merchant_id, m.name AS merchant_name, r.node_path,
    COALESCE(res.name, hr.name) AS resident_name, r.items, r.total, r.status, r.transfer_id,
    u.display_name AS operator_name, r.created_at,
    EXISTS (SELECT 1 FROM merchant_members mm WHERE mm.merchant_id = r.merchant_id AND mm.user_id = $1) AS member
  FROM redemptions r
  JOIN merchants m ON m.id = r.merchant_id
  JOIN users u ON u.id = r.operator_id
  JOIN ledger_accounts a ON a.id = r.account_id
  LEFT JOIN residents res ON res.id = a.resident_id
  LEFT JOIN households h ON h.id = a.household_id
  LEFT JOIN residents hr ON hr.id = h.head_resident_id`;

function mayRefund(ctx: Ctx, r: RedemptionRow, now: Date): boolean {
  if (r.status !== 'done') return false;
  if (can(ctx.principal, 'points.manage', r.node_path)) return true;
  return r.member && hasPermission(ctx.principal, 'points.redeem') && shanghaiDay(r.created_at) === shanghaiDay(now);
}

function toRedemption(ctx: Ctx, r: RedemptionRow, withCan: boolean): Redemption {
  return {
    id: Number(r.id),
    merchantId: Number(r.merchant_id),
    merchantName: r.merchant_name,
    residentName: r.resident_name === null ? null : maskName(r.resident_name),
    items: r.items.map((i) => ({
      goodsId: Number(i.goodsId),
      name: i.name,
      price: Number(i.price),
      quantity: Number(i.quantity),
    })),
    total: Number(r.total),
    status: r.status,
    operatorName: r.operator_name,
    createdAt: r.created_at.toISOString(),
    ...(withCan ? { can: { refund: mayRefund(ctx, r, new Date()) } } : {}),
  };
}

async function loadRedemption(q: Queryable, ctx: Ctx, id: number, o: { withCan: boolean }) {
  const [r] = await q.query<RedemptionRow>(`${REDEMPTION_SELECT} WHERE r.id = $2`, [ctx.principal.userId, id]);
  return r ? toRedemption(ctx, r, o.withCan) : null;
}

/** A day's redemptions at the caller's merchants (the counter's list), newest first. */
export async function listRedemptions(
  deps: RedemptionDeps,
  ctx: Ctx,
  query: RedemptionsQuery,
): Promise<RedemptionList> {
  assertCounter(ctx);
  const day = query.day ?? shanghaiDay(new Date());
  const from = new Date(shanghaiMidnight(day));
  if (Number.isNaN(from.getTime())) throw new AppError('VALIDATION', { field: 'day', params: { field: 'day' } });
  const merchants = (await myMerchants(deps.db, ctx)).filter(
    (m) => query.merchantId === undefined || Number(m.id) === query.merchantId,
  );
  if (query.merchantId !== undefined && merchants.length === 0) {
    throw new AppError('REDEEM_MERCHANT_NOT_FOUND', { field: 'merchantId' });
  }
  const rows = merchants.length
    ? await deps.db.query<RedemptionRow>(
        `${REDEMPTION_SELECT}
          WHERE r.merchant_id = ANY($2::bigint[]) AND r.created_at >= $3 AND r.created_at < $4
          ORDER BY r.created_at DESC, r.id DESC LIMIT 500`,
        [ctx.principal.userId, merchants.map((m) => Number(m.id)), from, new Date(from.getTime() + DAY_MS)],
      )
    : [];
  const items = rows.map((r) => toRedemption(ctx, r, true));
  return { day, items, total: items.filter((r) => r.status === 'done').reduce((s, r) => s + r.total, 0) };
}

/**
 * Refunds a redemption: the transfer reversed (merchant → resident), the stock restored, status reversed; once.
 * points.manage over the merchant's area, or the merchant's staff on the day of the redemption.
 * @throws REDEEM_NOT_FOUND, REDEEM_REFUND_CLOSED, REDEEM_ALREADY_REFUNDED, LEDGER_INSUFFICIENT_BALANCE
 */
export async function refund(deps: RedemptionDeps, ctx: Ctx, id: number, body: RefundBody): Promise<Redemption> {
  return deps.db.transaction(async (tx) => {
    const [r] = await tx.query<RedemptionRow>(`${REDEMPTION_SELECT} WHERE r.id = $2 FOR UPDATE OF r`, [
      ctx.principal.userId,
      id,
    ]);
    const p = ctx.principal;
    const visible =
      r &&
      (can(p, 'points.manage', r.node_path) ||
        can(p, 'points.read', r.node_path) ||
        (r.member && hasPermission(p, 'points.redeem')));
    if (!r || !visible) throw new AppError('REDEEM_NOT_FOUND');
    if (r.status !== 'done') throw new AppError('REDEEM_ALREADY_REFUNDED');
    if (!mayRefund(ctx, r, new Date())) {
      throw new AppError(r.member && hasPermission(p, 'points.redeem') ? 'REDEEM_REFUND_CLOSED' : 'FORBIDDEN');
    }
    // stock first (goods by id), then the accounts: the same lock order as a redemption
    for (const line of mergeBasket(
      r.items.map((i) => ({ goodsId: Number(i.goodsId), quantity: Number(i.quantity) })),
    )) {
      await tx.query(
        'UPDATE merchant_goods SET stock = stock + $2, version = version + 1, updated_at = now() WHERE id = $1',
        [line.goodsId, line.quantity],
      );
    }
    const rev = await reverseTransfer(tx, Number(r.transfer_id), {
      reason: `兑换退回：${body.reason}`.slice(0, 200),
      operatorId: p.userId,
    });
    await tx.query(`UPDATE redemptions SET status = 'reversed', reversed_transfer_id = $2 WHERE id = $1`, [id, rev.id]);
    await recordAudit(tx, ctx, {
      action: 'points.redeem.refund',
      targetType: 'redemption',
      targetId: id,
      targetLabel: r.merchant_name,
      scopePath: r.node_path,
      countyId: Number(r.county_id),
      before: { status: 'done' },
      after: { status: 'reversed', reversedTransferId: rev.id },
      reason: body.reason,
    });
    return (await loadRedemption(tx, ctx, id, { withCan: true }))!;
  });
}
