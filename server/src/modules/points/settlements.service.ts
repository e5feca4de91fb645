/**
 * Monthly settlement (月结): the points a merchant took in a month go back to its community's issuer in one transfer
 * (merchant → issuer, kind 'settle', idempotency key settle:<merchantId>:<period>) and the community owes
 * points ÷ points_per_yuan yuan (amount_fen). One settlement per merchant and month (a unique key): settling again
 * gives the same statement back. A month with nothing taken gives a zero statement without a transfer. The job
 * points.settle runs on the 1st at 02:00 Shanghai for the month before. A refund after settlement (part G) comes out
 * of the merchant's account; when that is already settled to 0 the ledger refuses it (LEDGER_INSUFFICIENT_BALANCE)
 * and the community awards the points by hand.
 */
import ExcelJS from 'exceljs';
import type { Ctx } from '../../platform/access/context.js';
import { systemCtx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { findNodeById } from '../org/org.service.js';
import { issuerAccount, merchantAccount, postTransfer } from './ledger.repo.js';
import {
  findMerchant,
  type MerchantRow,
  type MerchantsDeps,
  readableMerchant,
  redemptionsIn,
} from './merchants.service.js';
import {
  isPeriodOver,
  periodBounds,
  previousPeriod,
  settledPoints,
  settlementFen,
  settlementKey,
  settlementTotals,
  yuanText,
} from './settlements.logic.js';
import type { Settlement, SettlementDetail, SettlementList, SettlementListQuery } from './settlements.schemas.js';

const notFound = () => new AppError('SETTLEMENT_NOT_FOUND');

type SettlementRow = {
  id: number;
  county_id: number;
  merchant_id: number;
  merchant_name: string;
  community_id: number;
  node_path: string;
  period: string;
  redemptions: number;
  points: number;
  deducted: number;
  amount_fen: number;
  transfer_id: number | null;
  status: 'open' | 'paid';
  paid_at: Date | null;
  paid_by_name: string | null;
  created_at: Date;
};

const SELECT = `
  SELECT s.id, s.county_id, s.merchant_id, m.name AS merchant_name, m.community_id, s.node_path, s.period,
         s.redemptions, s.points, s.deducted, s.amount_fen, s.transfer_id, s.status, s.paid_at, u.display_name AS paid_by_name,
         s.created_at
    FROM merchant_settlements s
    JOIN merchants m ON m.id = s.merchant_id
    LEFT JOIN users u ON u.id = s.paid_by`;

function toSettlement(r: SettlementRow): Settlement {
  return {
    id: Number(r.id),
    merchantId: Number(r.merchant_id),
    merchantName: r.merchant_name,
    communityId: Number(r.community_id),
    period: r.period,
    redemptions: Number(r.redemptions),
    points: Number(r.points),
    deducted: Number(r.deducted),
    amountFen: Number(r.amount_fen),
    transferId: r.transfer_id === null ? null : Number(r.transfer_id),
    status: r.status,
    paidAt: r.paid_at ? r.paid_at.toISOString() : null,
    paidByName: r.paid_by_name,
    createdAt: r.created_at.toISOString(),
  };
}

async function findSettlement(q: Queryable, id: number): Promise<SettlementRow | null> {
  const [r] = await q.query<SettlementRow>(`${SELECT} WHERE s.id = $1`, [id]);
  return r ?? null;
}

/**
 * Settles a merchant's month inside `tx` (idempotent: an existing settlement is returned, created false).
 * @throws SETTLEMENT_PERIOD_OPEN (the month is not over), LEDGER_INSUFFICIENT_BALANCE (the account holds less)
 */
export async function settleMerchant(
  tx: Queryable,
  ctx: Ctx,
  merchant: MerchantRow,
  period: string,
  now: Date = new Date(),
): Promise<{ settlement: Settlement; created: boolean }> {
  if (!isPeriodOver(period, now)) throw new AppError('SETTLEMENT_PERIOD_OPEN', { field: 'period', params: { period } });
  const merchantId = Number(merchant.id);
  // the merchant's row lock orders two settlements of it (and any redemption that locks it too)
  await tx.query('SELECT id FROM merchants WHERE id = $1 FOR UPDATE', [merchantId]);
  const [existing] = await tx.query<{ id: number }>(
    'SELECT id FROM merchant_settlements WHERE merchant_id = $1 AND period = $2',
    [merchantId, period],
  );
  if (existing) return { settlement: toSettlement((await findSettlement(tx, Number(existing.id)))!), created: false };

  const { from, to } = periodBounds(period);
  const taken = await redemptionsIn(tx, merchantId, from, to);
  const totals = settlementTotals(taken);
  const from_ = await merchantAccount(tx, merchantId, 'points');
  // locked until the transfer: a refund racing the settlement waits, so the balance read is the one settled from
  const [held] = await tx.query<{ balance: number }>('SELECT balance FROM ledger_accounts WHERE id = $1 FOR UPDATE', [
    from_.id,
  ]);
  const moved = settledPoints(totals.points, Number(held!.balance));
  const [settings] = await tx.query<{ points_per_yuan: number }>('SELECT points_per_yuan FROM points_settings');
  const fen = settlementFen(moved.points, Number(settings?.points_per_yuan ?? 100));
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO merchant_settlements (county_id, merchant_id, node_path, period, redemptions, points, deducted,
       amount_fen)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [merchant.county_id, merchantId, merchant.node_path, period, totals.redemptions, moved.points, moved.deducted, fen],
  );
  const id = Number(row!.id);
  if (moved.points > 0) {
    const issuer = await issuerAccount(tx, Number(merchant.community_id), 'points');
    const t = await postTransfer(tx, {
      currency: 'points',
      kind: 'settle',
      amount: moved.points,
      fromAccountId: from_.id,
      toAccountId: issuer.id,
      reason: `${merchant.name} ${period} 月结`,
      sourceType: 'settlement',
      sourceId: id,
      idempotencyKey: settlementKey(merchantId, period),
      operatorId: ctx.principal.userId > 0 ? ctx.principal.userId : null,
    });
    await tx.query('UPDATE merchant_settlements SET transfer_id = $2 WHERE id = $1', [id, t.id]);
  }
  await recordAudit(tx, ctx, {
    action: 'merchant.settle',
    targetType: 'merchant_settlement',
    targetId: id,
    targetLabel: `${merchant.name} ${period}`,
    scopePath: merchant.node_path,
    countyId: Number(merchant.county_id),
    after: { period, redemptions: totals.redemptions, points: moved.points, deducted: moved.deducted, amountFen: fen },
  });
  return { settlement: toSettlement((await findSettlement(tx, id))!), created: true };
}

/** POST /api/points/merchants/:id/settlements (points.manage over the merchant). */
export async function settleNow(
  deps: MerchantsDeps,
  ctx: Ctx,
  merchantId: number,
  period: string,
): Promise<{ settlement: Settlement; created: boolean }> {
  assertPermission(ctx.principal, 'points.manage');
  return deps.db.transaction(async (tx) => {
    const m = await findMerchant(tx, merchantId);
    if (!m) throw new AppError('MERCHANT_NOT_FOUND');
    assertCan(ctx.principal, 'points.manage', m.node_path, {
      readPermission: 'points.read',
      notFound: new AppError('MERCHANT_NOT_FOUND'),
    });
    return settleMerchant(tx, ctx, m, period);
  });
}

/**
 * The monthly job: every merchant not closed (and a closed one that took points that month) settles the month
 * before `now`. Each merchant in its own transaction; one that fails is logged and retried by the next run.
 */
export async function settleAll(
  deps: Pick<MerchantsDeps, 'db'>,
  now: Date = new Date(),
): Promise<{ period: string; settled: number; existing: number; failed: { merchantId: number; error: string }[] }> {
  const period = previousPeriod(now);
  const { from, to } = periodBounds(period);
  const ids = await deps.db.query<{ id: number }>(
    `SELECT m.id FROM merchants m
      WHERE m.created_at < $2
        AND (m.status <> 'closed'
             OR EXISTS (SELECT 1 FROM redemptions r WHERE r.merchant_id = m.id AND r.created_at >= $1 AND r.created_at < $2))
      ORDER BY m.id`,
    [from, to],
  );
  const ctx = systemCtx('points.settle');
  let settled = 0;
  let existing = 0;
  const failed: { merchantId: number; error: string }[] = [];
  for (const { id } of ids) {
    try {
      const r = await deps.db.transaction(async (tx) => {
        const m = (await findMerchant(tx, Number(id)))!;
        return settleMerchant(tx, ctx, m, period, now);
      });
      if (r.created) settled++;
      else existing++;
    } catch (err) {
      failed.push({ merchantId: Number(id), error: err instanceof AppError ? err.code : String(err) });
    }
  }
  return { period, settled, existing, failed };
}

/** Settlements of the merchants in the caller's points.read scope, by node, merchant, period. */
export async function listSettlements(
  deps: MerchantsDeps,
  ctx: Ctx,
  query: SettlementListQuery,
): Promise<SettlementList> {
  assertPermission(ctx.principal, 'points.read');
  const where = [scopeSql(scopeFor(ctx.principal, 'points.read'), 's.node_path')];
  const params: unknown[] = [];
  if (query.nodeId !== undefined) {
    const node = await findNodeById(deps.db, query.nodeId);
    if (!node) throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    params.push(`${node.path}%`);
    where.push(`s.node_path LIKE $${params.length}`);
  }
  if (query.merchantId !== undefined) {
    params.push(query.merchantId);
    where.push(`s.merchant_id = $${params.length}`);
  }
  if (query.period) {
    params.push(query.period);
    where.push(`s.period = $${params.length}`);
  }
  const rows = await deps.db.query<SettlementRow>(
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY s.period DESC, m.name, s.id LIMIT 500`,
    params,
  );
  return { items: rows.map(toSettlement) };
}

async function readableSettlement(q: Queryable, ctx: Ctx, id: number): Promise<SettlementRow> {
  assertPermission(ctx.principal, 'points.read');
  const s = await findSettlement(q, id);
  if (!s || !can(ctx.principal, 'points.read', s.node_path)) throw notFound();
  return s;
}

export async function getSettlement(deps: MerchantsDeps, ctx: Ctx, id: number): Promise<SettlementDetail> {
  const s = await readableSettlement(deps.db, ctx, id);
  const { from, to } = periodBounds(s.period);
  const items = await redemptionsIn(deps.db, Number(s.merchant_id), from, to);
  return { ...toSettlement(s), items };
}

/** Marks a settlement paid (once). @throws SETTLEMENT_ALREADY_PAID */
export async function markPaid(deps: MerchantsDeps, ctx: Ctx, id: number): Promise<Settlement> {
  assertPermission(ctx.principal, 'points.manage');
  return deps.db.transaction(async (tx) => {
    await tx.query('SELECT id FROM merchant_settlements WHERE id = $1 FOR UPDATE', [id]);
    const s = await findSettlement(tx, id);
    if (!s) throw notFound();
    assertCan(ctx.principal, 'points.manage', s.node_path, { readPermission: 'points.read', notFound: notFound() });
    if (s.status === 'paid') throw new AppError('SETTLEMENT_ALREADY_PAID');
    await tx.query(`UPDATE merchant_settlements SET status = 'paid', paid_at = now(), paid_by = $2 WHERE id = $1`, [
      id,
      ctx.principal.userId > 0 ? ctx.principal.userId : null,
    ]);
    await recordAudit(tx, ctx, {
      action: 'merchant.settlement.paid',
      targetType: 'merchant_settlement',
      targetId: id,
      targetLabel: `${s.merchant_name} ${s.period}`,
      scopePath: s.node_path,
      countyId: Number(s.county_id),
      before: { status: 'open' },
      after: { status: 'paid', amountFen: Number(s.amount_fen) },
    });
    return toSettlement((await findSettlement(tx, id))!);
  });
}

/**
 * The statement as an Excel workbook: a header (merchant, community, period), one row per redemption of the month
 * (time in Shanghai, resident masked, goods, points, status), then the totals and the yuan owed.
 */
export async function exportSettlement(
  deps: MerchantsDeps,
  ctx: Ctx,
  id: number,
): Promise<{ fileName: string; body: Buffer }> {
  const d = await getSettlement(deps, ctx, id);
  const m = await readableMerchant(deps.db, ctx, d.merchantId);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linli';
  const ws = wb.addWorksheet('月结对账单');
  ws.addRow(['商户', d.merchantName]);
  ws.addRow(['社区', m.community_name]);
  ws.addRow(['结算月份', d.period]);
  ws.addRow([]);
  const header = ws.addRow(['时间', '居民', '商品', '积分', '状态']);
  header.font = { bold: true };
  const fmt = new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  for (const r of d.items) {
    ws.addRow([
      fmt.format(new Date(r.createdAt)),
      r.residentName ?? '',
      r.items.map((i) => `${i.name}×${i.quantity}`).join('、'),
      r.total,
      r.status === 'done' ? '已兑换' : '已退回',
    ]);
  }
  ws.addRow([]);
  ws.addRow(['兑换笔数', d.redemptions]);
  if (d.deducted > 0) ws.addRow(['往月退货抵扣', d.deducted]);
  ws.addRow(['积分合计', d.points]);
  ws.addRow(['应付金额（元）', yuanText(d.amountFen)]);
  ws.addRow(['状态', d.status === 'paid' ? '已付款' : '未付款']);
  ws.getColumn(1).width = 18;
  ws.getColumn(3).width = 40;
  return { fileName: `月结-${d.merchantName}-${d.period}.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()) };
}
