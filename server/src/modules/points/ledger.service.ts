/**
 * The ledger's statements and corrections: the consistency check, accounts and passbooks in a worker's area, a
 * resident's balances, totals per community, manual awards and deductions, reversals, and a resident's own view.
 * Reads need points.read over the account's node, changes points.manage; outside the scope a target is not found.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { shanghaiMidnight } from '../cases/calendar.logic.js';
import { exportFileName, timeInShanghai } from '../reports/reports.logic.js';
import { openXlsxReport } from '../reports/reports.xlsx.js';
import { creditByRule, earningAccount, findEarningRule } from './earning.service.js';
import type { LedgerCheck } from './ledger.logic.js';
import { CURRENCIES, type Currency, issuerAccount, postTransfer, reverseTransfer } from './ledger.repo.js';
import type {
  AccountItem,
  AccountListQuery,
  AccountPage,
  AwardInput,
  AwardResult,
  MeMovementQuery,
  Movement,
  MovementPage,
  MovementQuery,
  MyMovementPage,
  MyPoints,
  ResidentPoints,
  ReverseInput,
  ReverseResult,
  Totals,
  TotalsFigures,
  TotalsQuery,
} from './ledger.schemas.js';

// ---- the ledger check ----------------------------------------------------------------------------------------

/** Compares every balance with its movements, every transfer with its two movements, every sum with 0. */
export async function checkLedger(db: Queryable): Promise<LedgerCheck> {
  const sums = await db.query<{ currency: string; sum: number }>(
    `SELECT currency, COALESCE(SUM(balance), 0)::bigint AS sum FROM ledger_accounts GROUP BY currency ORDER BY currency`,
  );
  const balanceMismatches = await db.query<{ accountId: number; balance: number; movementSum: number }>(
    `SELECT a.id AS "accountId", a.balance, COALESCE(m.sum, 0)::bigint AS "movementSum"
       FROM ledger_accounts a
       LEFT JOIN (SELECT account_id, SUM(amount) AS sum FROM ledger_movements GROUP BY account_id) m
              ON m.account_id = a.id
      WHERE a.balance <> COALESCE(m.sum, 0)
      ORDER BY a.id`,
  );
  const brokenTransfers = await db.query<{ transferId: number; movements: number }>(
    `SELECT t.id AS "transferId", COUNT(m.id)::int AS movements
       FROM ledger_transfers t
       LEFT JOIN ledger_movements m ON m.transfer_id = t.id
      GROUP BY t.id, t.amount, t.from_account_id, t.to_account_id
     HAVING COUNT(m.id) <> 2
         OR COUNT(m.id) FILTER (WHERE (m.account_id = t.from_account_id AND m.amount = -t.amount)
                                   OR (m.account_id = t.to_account_id AND m.amount = t.amount)) <> 2
      ORDER BY t.id`,
  );
  const limitBreaches = await db.query<{
    accountId: number;
    balance: number;
    minBalance: number | null;
    maxBalance: number | null;
  }>(
    `SELECT id AS "accountId", balance, min_balance AS "minBalance", max_balance AS "maxBalance"
       FROM ledger_accounts
      WHERE (min_balance IS NOT NULL AND balance < min_balance) OR (max_balance IS NOT NULL AND balance > max_balance)
      ORDER BY id`,
  );
  return {
    sums: sums.map((s) => ({ currency: s.currency, sum: Number(s.sum) })),
    balanceMismatches: balanceMismatches.map((m) => ({
      accountId: Number(m.accountId),
      balance: Number(m.balance),
      movementSum: Number(m.movementSum),
    })),
    brokenTransfers: brokenTransfers.map((t) => ({ transferId: Number(t.transferId), movements: Number(t.movements) })),
    limitBreaches: limitBreaches.map((b) => ({
      accountId: Number(b.accountId),
      balance: Number(b.balance),
      minBalance: b.minBalance === null ? null : Number(b.minBalance),
      maxBalance: b.maxBalance === null ? null : Number(b.maxBalance),
    })),
  };
}

// ---- statements ----------------------------------------------------------------------------------------------

const notFoundAccount = () => new AppError('LEDGER_ACCOUNT_NOT_FOUND');

/** The label of account alias `a` (a resident's name, a household's address, a merchant's name, …). */
const labelSql = (a: string) => `CASE ${a}.kind
    WHEN 'resident' THEN (SELECT r.name FROM residents r WHERE r.id = ${a}.resident_id)
    WHEN 'household' THEN (SELECT COALESCE(ho.address, hn.name || ' ' || ho.room_no, hh.household_no, '#' || hh.id)
                             FROM households hh LEFT JOIN houses ho ON ho.id = hh.house_id
                             LEFT JOIN org_nodes hn ON hn.id = ho.node_id WHERE hh.id = ${a}.household_id)
    WHEN 'merchant' THEN (SELECT mm.name FROM merchants mm WHERE mm.id = ${a}.merchant_id)
    WHEN 'organisation' THEN (SELECT po.name FROM partner_orgs po WHERE po.id = ${a}.organisation_id)
    ELSE (SELECT cn.name FROM org_nodes cn WHERE cn.id = ${a}.community_id) END`;

type AccountRow = {
  id: number;
  kind: AccountItem['kind'];
  currency: Currency;
  balance: number;
  label: string | null;
  resident_id: number | null;
  household_id: number | null;
  merchant_id: number | null;
  community_id: number;
  community_name: string;
  node_path: string;
};

const ACCOUNT_SELECT = `SELECT a.id, a.kind, a.currency, a.balance, ${labelSql('a')} AS label, a.resident_id, a.household_id,
    a.merchant_id, a.community_id, c.name AS community_name, a.node_path
  FROM ledger_accounts a JOIN org_nodes c ON c.id = a.community_id`;

function toAccountItem(r: AccountRow): AccountItem {
  return {
    id: Number(r.id),
    kind: r.kind,
    currency: r.currency,
    balance: Number(r.balance),
    label: r.label ?? `#${r.id}`,
    residentId: r.resident_id === null ? null : Number(r.resident_id),
    householdId: r.household_id === null ? null : Number(r.household_id),
    merchantId: r.merchant_id === null ? null : Number(r.merchant_id),
    communityId: Number(r.community_id),
    communityName: r.community_name,
  };
}

/** A node the caller reads points under (else 404 ORG_NODE_NOT_FOUND, as elsewhere). */
async function nodeInScope(
  db: Queryable,
  ctx: Ctx,
  nodeId: number,
): Promise<{ id: number; name: string; path: string }> {
  const notFound = new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  const [n] = await db.query<{ id: number; name: string; path: string }>(
    `SELECT id, name, path FROM org_nodes WHERE id = $1 AND status = 'active'`,
    [nodeId],
  );
  if (!n) throw notFound;
  assertCan(ctx.principal, 'points.read', n.path, { readPermission: 'org.read', notFound });
  return n;
}

/** GET /api/points/accounts: accounts in the caller's area, newest first by id, paged by cursor. */
export async function listAccounts(db: Queryable, ctx: Ctx, q: AccountListQuery): Promise<AccountPage> {
  assertPermission(ctx.principal, 'points.read');
  const limit = q.limit ?? 50;
  const params: unknown[] = [];
  const where = [scopeSql(scopeFor(ctx.principal, 'points.read'), 'a.node_path')];
  if (q.nodeId !== undefined) {
    const n = await nodeInScope(db, ctx, q.nodeId);
    params.push(`${n.path}%`);
    where.push(`a.node_path LIKE $${params.length}`);
  }
  if (q.kind) {
    params.push(q.kind);
    where.push(`a.kind = $${params.length}`);
  }
  if (q.currency) {
    params.push(q.currency);
    where.push(`a.currency = $${params.length}`);
  }
  if (q.cursor !== undefined) {
    params.push(q.cursor);
    where.push(`a.id < $${params.length}`);
  }
  if (q.q) {
    params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(${labelSql('a')}) ILIKE $${params.length}`);
  }
  params.push(limit + 1);
  const rows = await db.query<AccountRow>(
    `${ACCOUNT_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.id DESC LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit).map(toAccountItem);
  return { items: page, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

type MovementRow = {
  id: number;
  transfer_id: number;
  kind: string;
  reason: string;
  amount: number;
  balance_after: number;
  created_at: Date;
  cp_id: number;
  cp_kind: AccountItem['kind'];
  cp_label: string | null;
  reverses_id: number | null;
  reversed_by: number | null;
};

function toMovement(r: MovementRow): Movement {
  return {
    id: Number(r.id),
    transferId: Number(r.transfer_id),
    kind: r.kind,
    reason: r.reason,
    amount: Number(r.amount),
    balanceAfter: Number(r.balance_after),
    at: new Date(r.created_at).toISOString(),
    counterpart: { accountId: Number(r.cp_id), kind: r.cp_kind, label: r.cp_label ?? `#${r.cp_id}` },
    reversesId: r.reverses_id === null ? null : Number(r.reverses_id),
    reversedById: r.reversed_by === null ? null : Number(r.reversed_by),
  };
}

/** An account's movements, newest first, after a cursor and within Shanghai days [from, to]. */
async function movementsOf(
  db: Queryable,
  accountId: number,
  q: { cursor?: number; limit?: number; from?: string; to?: string },
): Promise<{ items: Movement[]; nextCursor: number | null }> {
  const limit = q.limit ?? 50;
  const from = q.from ? new Date(shanghaiMidnight(q.from)) : null;
  const to = q.to ? new Date(shanghaiMidnight(q.to) + 86_400_000) : null;
  const rows = await db.query<MovementRow>(
    `SELECT m.id, m.transfer_id, t.kind, t.reason, m.amount, m.balance_after, m.created_at,
            c.id AS cp_id, c.kind AS cp_kind, ${labelSql('c')} AS cp_label, t.reverses_id, r.id AS reversed_by
       FROM ledger_movements m
       JOIN ledger_transfers t ON t.id = m.transfer_id
       JOIN ledger_accounts c
         ON c.id = CASE WHEN t.from_account_id = m.account_id THEN t.to_account_id ELSE t.from_account_id END
       LEFT JOIN ledger_transfers r ON r.reverses_id = t.id
      WHERE m.account_id = $1 AND ($2::bigint IS NULL OR m.id < $2)
        AND ($3::timestamptz IS NULL OR m.created_at >= $3) AND ($4::timestamptz IS NULL OR m.created_at < $4)
      ORDER BY m.id DESC LIMIT $5`,
    [accountId, q.cursor ?? null, from, to, limit + 1],
  );
  const items = rows.slice(0, limit).map(toMovement);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** GET /api/points/accounts/:id/movements: the passbook of an account in the caller's area (else 404). */
export async function accountMovements(
  db: Queryable,
  ctx: Ctx,
  accountId: number,
  q: MovementQuery,
): Promise<MovementPage> {
  assertPermission(ctx.principal, 'points.read');
  const [a] = await db.query<AccountRow>(`${ACCOUNT_SELECT} WHERE a.id = $1`, [accountId]);
  if (!a || !can(ctx.principal, 'points.read', a.node_path)) throw notFoundAccount();
  if (q.from && q.to && q.from > q.to) throw new AppError('POINTS_PERIOD_INVALID', { field: 'to' });
  return { account: toAccountItem(a), ...(await movementsOf(db, accountId, q)) };
}

type ResidentRow = { id: number; name: string; node_path: string; household_id: number | null; county_id: number };

async function findResident(db: Queryable, id: number): Promise<ResidentRow | null> {
  const [r] = await db.query<ResidentRow>(
    'SELECT id, name, node_path, household_id, county_id FROM residents WHERE id = $1',
    [id],
  );
  return r ?? null;
}

async function householdMode(db: Queryable): Promise<'sum' | 'own'> {
  const [s] = await db.query<{ mode: 'sum' | 'own' }>(
    'SELECT household_mode AS mode FROM points_settings WHERE id = 1',
  );
  return s?.mode ?? 'sum';
}

/** A resident's balances, their household's points and (optionally) recent movements, opening no account. */
async function residentPoints(db: Queryable, r: ResidentRow, recentCount: number): Promise<ResidentPoints> {
  const accounts = await db.query<{ id: number; currency: Currency; balance: number }>(
    `SELECT id, currency, balance FROM ledger_accounts WHERE kind = 'resident' AND resident_id = $1`,
    [r.id],
  );
  const balances = CURRENCIES.map((currency) => {
    const a = accounts.find((x) => x.currency === currency);
    return { currency, accountId: a ? Number(a.id) : null, balance: a ? Number(a.balance) : 0 };
  });
  const mode = await householdMode(db);
  let household: ResidentPoints['household'] = null;
  let earningId = balances[0]!.accountId;
  if (r.household_id !== null) {
    const [h] = await db.query<{ id: number; label: string; sum: number; own_id: number | null; own: number | null }>(
      `SELECT hh.id, COALESCE(ho.address, hn.name || ' ' || ho.room_no, hh.household_no, '#' || hh.id) AS label,
              (SELECT COALESCE(SUM(a.balance), 0)::bigint FROM ledger_accounts a JOIN residents m ON m.id = a.resident_id
                WHERE a.kind = 'resident' AND a.currency = 'points' AND m.household_id = hh.id) AS sum,
              o.id AS own_id, o.balance AS own
         FROM households hh LEFT JOIN houses ho ON ho.id = hh.house_id LEFT JOIN org_nodes hn ON hn.id = ho.node_id
         LEFT JOIN ledger_accounts o ON o.kind = 'household' AND o.household_id = hh.id AND o.currency = 'points'
        WHERE hh.id = $1`,
      [r.household_id],
    );
    if (h) {
      household = {
        id: Number(h.id),
        label: h.label,
        mode,
        points: mode === 'own' ? Number(h.own ?? 0) : Number(h.sum),
        accountId: mode === 'own' && h.own_id !== null ? Number(h.own_id) : null,
      };
      if (mode === 'own') earningId = household.accountId;
    }
  }
  const recent =
    earningId !== null && recentCount > 0 ? (await movementsOf(db, earningId, { limit: recentCount })).items : [];
  return { resident: { id: Number(r.id), name: r.name }, balances, household, recent };
}

/** GET /api/points/residents/:id: a resident in the caller's area (else 404 RESIDENT_NOT_FOUND). */
export async function getResidentPoints(db: Queryable, ctx: Ctx, residentId: number): Promise<ResidentPoints> {
  assertPermission(ctx.principal, 'points.read');
  const r = await findResident(db, residentId);
  if (!r || !can(ctx.principal, 'points.read', r.node_path)) throw new AppError('RESIDENT_NOT_FOUND');
  return residentPoints(db, r, 20);
}

// ---- totals --------------------------------------------------------------------------------------------------

const FLOW_KINDS = ['redeem', 'settle', 'expire', 'reverse'] as const;

function zeroFigures(currency: Currency): TotalsFigures {
  return {
    currency,
    issued: 0,
    redeemed: 0,
    settled: 0,
    expired: 0,
    reversed: 0,
    heldByResidents: 0,
    heldByMerchants: 0,
    heldByOthers: 0,
    issuerBalance: 0,
    sum: 0,
  };
}

/** GET /api/points/totals: per community (or village) under the node, per currency, and in total. */
export async function getTotals(db: Queryable, ctx: Ctx, q: TotalsQuery): Promise<Totals> {
  assertPermission(ctx.principal, 'points.read');
  if (q.from && q.to && q.from > q.to) throw new AppError('POINTS_PERIOD_INVALID', { field: 'to' });
  const scope = scopeFor(ctx.principal, 'points.read');
  let node: { id: number; name: string; path: string };
  if (q.nodeId !== undefined) node = await nodeInScope(db, ctx, q.nodeId);
  else {
    const [first] = scope.all
      ? await db.query<{ id: number; name: string; path: string }>(
          `SELECT id, name, path FROM org_nodes WHERE type = 'county' AND status = 'active' ORDER BY id LIMIT 1`,
        )
      : await db.query<{ id: number; name: string; path: string }>(
          'SELECT id, name, path FROM org_nodes WHERE path = $1',
          [scope.paths[0] ?? ''],
        );
    if (!first) throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    node = first;
  }
  const communities = await db.query<{ id: number; name: string }>(
    `SELECT id, name FROM org_nodes
      WHERE type IN ('community', 'village') AND path LIKE $1 AND ${scopeSql(scope, 'path')}
      ORDER BY path`,
    [`${node.path}%`],
  );
  const ids = communities.map((c) => Number(c.id));
  const from = q.from ? new Date(shanghaiMidnight(q.from)) : null;
  const to = q.to ? new Date(shanghaiMidnight(q.to) + 86_400_000) : null;
  const flows = await db.query<Record<string, number> & { community_id: number; currency: Currency }>(
    `SELECT f.community_id, t.currency,
            COALESCE(SUM(t.amount) FILTER (WHERE f.kind = 'issuer' AND t.kind IN ('earn', 'adjust', 'service')), 0)::bigint
              AS issued,
            ${FLOW_KINDS.map((k) => `COALESCE(SUM(t.amount) FILTER (WHERE t.kind = '${k}'), 0)::bigint AS ${k}`).join(', ')}
       FROM ledger_transfers t JOIN ledger_accounts f ON f.id = t.from_account_id
      WHERE f.community_id = ANY($1::bigint[])
        AND ($2::timestamptz IS NULL OR t.created_at >= $2) AND ($3::timestamptz IS NULL OR t.created_at < $3)
      GROUP BY f.community_id, t.currency`,
    [ids, from, to],
  );
  const held = await db.query<{
    community_id: number;
    currency: Currency;
    residents: number;
    merchants: number;
    others: number;
    issuer: number;
    sum: number;
  }>(
    `SELECT community_id, currency,
            COALESCE(SUM(balance) FILTER (WHERE kind IN ('resident', 'household')), 0)::bigint AS residents,
            COALESCE(SUM(balance) FILTER (WHERE kind = 'merchant'), 0)::bigint AS merchants,
            COALESCE(SUM(balance) FILTER (WHERE kind = 'organisation'), 0)::bigint AS others,
            COALESCE(SUM(balance) FILTER (WHERE kind = 'issuer'), 0)::bigint AS issuer,
            COALESCE(SUM(balance), 0)::bigint AS sum
       FROM ledger_accounts WHERE community_id = ANY($1::bigint[])
      GROUP BY community_id, currency`,
    [ids],
  );
  const rows: Totals['rows'] = [];
  const total = new Map<Currency, TotalsFigures>();
  for (const c of communities) {
    const cid = Number(c.id);
    const currencies = CURRENCIES.filter(
      (cur) =>
        cur === 'points' ||
        flows.some((f) => Number(f.community_id) === cid && f.currency === cur) ||
        held.some((h) => Number(h.community_id) === cid && h.currency === cur),
    );
    for (const currency of currencies) {
      const f = flows.find((x) => Number(x.community_id) === cid && x.currency === currency);
      const h = held.find((x) => Number(x.community_id) === cid && x.currency === currency);
      const fig = zeroFigures(currency);
      if (f) {
        fig.issued = Number(f.issued);
        fig.redeemed = Number(f.redeem);
        fig.settled = Number(f.settle);
        fig.expired = Number(f.expire);
        fig.reversed = Number(f.reverse);
      }
      if (h) {
        fig.heldByResidents = Number(h.residents);
        fig.heldByMerchants = Number(h.merchants);
        fig.heldByOthers = Number(h.others);
        fig.issuerBalance = Number(h.issuer);
        fig.sum = Number(h.sum);
      }
      rows.push({ communityId: cid, name: c.name, ...fig });
      const t = total.get(currency) ?? zeroFigures(currency);
      for (const k of Object.keys(fig) as (keyof TotalsFigures)[])
        if (k !== 'currency') (t[k] as number) += fig[k] as number;
      total.set(currency, t);
    }
  }
  const totals = CURRENCIES.filter((c) => total.has(c)).map((c) => total.get(c)!);
  return {
    nodeId: Number(node.id),
    nodeName: node.name,
    from: q.from ?? null,
    to: q.to ?? null,
    rows,
    total: totals,
    consistent: totals.every((t) => t.sum === 0),
  };
}

const FIGURE_COLUMNS: [keyof TotalsFigures, string, string][] = [
  ['issued', '发放', 'Issued'],
  ['redeemed', '兑换', 'Redeemed'],
  ['settled', '结算', 'Settled'],
  ['expired', '过期', 'Expired'],
  ['reversed', '冲正', 'Reversed'],
  ['heldByResidents', '居民持有', 'Held by residents'],
  ['heldByMerchants', '商户持有', 'Held by merchants'],
  ['heldByOthers', '组织持有', 'Held by organisations'],
  ['issuerBalance', '发行账户', 'Issuer balance'],
  ['sum', '合计（应为0）', 'Sum (should be 0)'],
];

/** GET /api/points/totals/export: the totals as an Excel sheet. */
export async function exportTotals(
  db: Queryable,
  ctx: Ctx,
  q: TotalsQuery,
): Promise<{ fileName: string; stream: PassThrough }> {
  const totals = await getTotals(db, ctx, q);
  const en = ctx.locale === 'en';
  const now = new Date();
  const name = en ? 'Points totals' : '积分统计';
  const period = `${totals.from ?? '—'} ~ ${totals.to ?? '—'}`;
  const stream = new PassThrough();
  const xw = openXlsxReport(stream, {
    sheetName: name,
    title: en
      ? `${name}  Area: ${totals.nodeName}  Period: ${period}  Exported: ${timeInShanghai(now)}`
      : `${name}　范围：${totals.nodeName}　期间：${period}　导出时间：${timeInShanghai(now)}`,
    columns: [
      { key: 'name', label: en ? 'Community' : '社区（村）' },
      { key: 'currency', label: en ? 'Currency' : '币种' },
      ...FIGURE_COLUMNS.map(([key, zh, e]) => ({ key, label: en ? e : zh })),
    ],
  });
  const cur = (c: Currency) => (en ? c : c === 'points' ? '积分' : c === 'hours' ? '时长（分钟）' : '文明积分');
  void (async () => {
    for (const r of totals.rows) xw.addRow([r.name, cur(r.currency), ...FIGURE_COLUMNS.map(([k]) => r[k] as number)]);
    for (const t of totals.total)
      xw.addRow([en ? 'Total' : '合计', cur(t.currency), ...FIGURE_COLUMNS.map(([k]) => t[k] as number)]);
    await xw.finish();
  })().catch((err: unknown) => stream.destroy(err instanceof Error ? err : new Error(String(err))));
  return { fileName: exportFileName(name, now), stream };
}

// ---- awards and reversals ------------------------------------------------------------------------------------

/** POST /api/points/awards: a worker's award from the issuer (or a deduction back to it), kind 'adjust'. */
export async function awardPoints(db: Db, ctx: Ctx, input: AwardInput): Promise<AwardResult> {
  assertPermission(ctx.principal, 'points.manage');
  const r = await findResident(db, input.residentId);
  const notFound = new AppError('RESIDENT_NOT_FOUND', { field: 'residentId' });
  if (!r) throw notFound;
  assertCan(ctx.principal, 'points.manage', r.node_path, { readPermission: 'points.read', notFound });
  if (input.amount === 0) throw new AppError('LEDGER_AMOUNT_INVALID', { field: 'amount' });
  if (input.ruleCode !== undefined && input.amount < 0) throw new AppError('POINTS_RULE_DEDUCT', { field: 'ruleCode' });
  return db.transaction(async (tx) => {
    let result: AwardResult;
    if (input.ruleCode !== undefined) {
      const rule = await findEarningRule(tx, { code: input.ruleCode });
      if (!rule || rule.trigger !== 'manual') throw new AppError('POINTS_RULE_NOT_MANUAL', { field: 'ruleCode' });
      if (rule.currency !== input.currency) throw new AppError('LEDGER_CURRENCY_MISMATCH', { field: 'currency' });
      const c = await creditByRule(tx, {
        trigger: 'manual',
        ruleCode: rule.code,
        residentId: r.id,
        quantity: rule.amount > 0 ? input.amount / rule.amount : 1,
        idempotencyKey: `award:${randomUUID()}`,
        reason: input.reason,
        sourceType: 'award',
        sourceId: null,
        operatorId: ctx.principal.userId || null,
      });
      if (c.transferId === null) throw new AppError('POINTS_AWARD_CAPPED', { field: 'amount' });
      const [b] = await tx.query<{ balance: number }>(
        'SELECT a.balance FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.to_account_id WHERE t.id = $1',
        [c.transferId],
      );
      result = { transferId: c.transferId, amount: c.amount, balance: Number(b!.balance), capped: c.capped };
    } else {
      const account = await earningAccount(tx, r.id, input.currency);
      const issuer = await issuerAccount(tx, account.communityId, input.currency);
      const t = await postTransfer(tx, {
        currency: input.currency,
        kind: 'adjust',
        amount: Math.abs(input.amount),
        fromAccountId: input.amount > 0 ? issuer.id : account.id,
        toAccountId: input.amount > 0 ? account.id : issuer.id,
        reason: input.reason,
        sourceType: 'award',
        operatorId: ctx.principal.userId || null,
      });
      result = {
        transferId: t.id,
        amount: input.amount,
        balance: input.amount > 0 ? t.toBalance : t.fromBalance,
        capped: false,
      };
    }
    await recordAudit(tx, ctx, {
      action: input.amount > 0 ? 'points.award' : 'points.deduct',
      targetType: 'resident',
      targetId: r.id,
      targetLabel: r.name,
      scopePath: r.node_path,
      countyId: Number(r.county_id),
      after: {
        transferId: result.transferId,
        currency: input.currency,
        amount: result.amount,
        ruleCode: input.ruleCode,
      },
      reason: input.reason,
    });
    return result;
  });
}

/** Kinds a worker may reverse here; redemptions, settlements and hours have their own flows. */
const REVERSIBLE_HERE = ['earn', 'adjust', 'expire'];

/** POST /api/points/transfers/:id/reverse: undoes an award, a credit or an expiry (once; audited). */
export async function reversePointsTransfer(
  db: Db,
  ctx: Ctx,
  transferId: number,
  input: ReverseInput,
): Promise<ReverseResult> {
  assertPermission(ctx.principal, 'points.manage');
  const notFound = new AppError('LEDGER_TRANSFER_NOT_FOUND');
  const [t] = await db.query<{ id: number; kind: string; path: string; county_id: number }>(
    `SELECT t.id, t.kind, t.county_id,
            CASE WHEN d.kind = 'issuer' THEN f.node_path ELSE d.node_path END AS path
       FROM ledger_transfers t
       JOIN ledger_accounts f ON f.id = t.from_account_id JOIN ledger_accounts d ON d.id = t.to_account_id
      WHERE t.id = $1`,
    [transferId],
  );
  if (!t) throw notFound;
  assertCan(ctx.principal, 'points.manage', t.path, { readPermission: 'points.read', notFound });
  if (t.kind !== 'reverse' && !REVERSIBLE_HERE.includes(t.kind)) throw new AppError('POINTS_REVERSE_ELSEWHERE');
  return db.transaction(async (tx) => {
    const r = await reverseTransfer(tx, transferId, { reason: input.reason, operatorId: ctx.principal.userId || null });
    await recordAudit(tx, ctx, {
      action: 'points.reverse',
      targetType: 'ledger_transfer',
      targetId: transferId,
      scopePath: t.path,
      countyId: Number(t.county_id),
      after: { reversalId: r.id },
      reason: input.reason,
    });
    return { transferId: r.id, reversesId: transferId };
  });
}

// ---- a resident's own points ---------------------------------------------------------------------------------

async function myResident(db: Queryable, ctx: Ctx): Promise<ResidentRow> {
  const [u] = await db.query<{ resident_id: number | null }>('SELECT resident_id FROM users WHERE id = $1', [
    ctx.principal.userId,
  ]);
  const r = u?.resident_id ? await findResident(db, Number(u.resident_id)) : null;
  if (!r) throw new AppError('LEDGER_NO_RESIDENT');
  return r;
}

/** GET /api/me/points: the caller's own balances and household. */
export async function myPoints(db: Queryable, ctx: Ctx): Promise<MyPoints> {
  const r = await myResident(db, ctx);
  const p = await residentPoints(db, r, 0);
  return { resident: p.resident, balances: p.balances, household: p.household };
}

/** GET /api/me/points/movements: the caller's passbook (points: the account they earn into and spend from). */
export async function myMovements(db: Queryable, ctx: Ctx, q: MeMovementQuery): Promise<MyMovementPage> {
  const r = await myResident(db, ctx);
  const currency = q.currency ?? 'points';
  const mode = currency === 'points' ? await householdMode(db) : 'sum';
  const [a] =
    mode === 'own' && r.household_id !== null
      ? await db.query<{ id: number; balance: number }>(
          `SELECT id, balance FROM ledger_accounts WHERE kind = 'household' AND household_id = $1 AND currency = $2`,
          [r.household_id, currency],
        )
      : await db.query<{ id: number; balance: number }>(
          `SELECT id, balance FROM ledger_accounts WHERE kind = 'resident' AND resident_id = $1 AND currency = $2`,
          [r.id, currency],
        );
  if (!a) return { currency, balance: 0, items: [], nextCursor: null };
  const page = await movementsOf(db, Number(a.id), { cursor: q.cursor, limit: q.limit });
  return { currency, balance: Number(a.balance), ...page };
}
