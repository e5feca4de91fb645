import type { Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';

/**
 * The ledger engine (double entry). Every module that moves points or hours calls `postTransfer` inside its own
 * transaction, beside the rows that say why (a redemption and its stock, an attendance, a confirmed service): the
 * transfer, its two movements and both balances commit together or not at all.
 *
 * Concurrency: each side is one conditional `UPDATE … SET balance = balance + d WHERE … limits hold`. PostgreSQL
 * locks the row and re-checks the condition after any concurrent transfer on it commits, so a balance never passes
 * its limits however many transfers race; both sides are locked in account-id order, so two transfers over the
 * same two accounts cannot deadlock. An idempotency key makes an automatic credit happen once, even when two
 * workers run it at the same time (the second waits on the unique key and then finds the first).
 */

export const CURRENCIES = ['points', 'hours', 'conduct'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const TRANSFER_KINDS = [
  'earn',
  'redeem',
  'settle',
  'expire',
  'reverse',
  'adjust',
  'service',
  'withdraw',
  'transfer',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export const ACCOUNT_KINDS = ['issuer', 'resident', 'household', 'merchant', 'organisation'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export type TransferInput = {
  currency: Currency;
  kind: Exclude<TransferKind, 'reverse'>;
  /** A positive whole number in the currency's unit (points; minutes for hours). */
  amount: number;
  fromAccountId: number;
  toAccountId: number;
  /** Shown in the passbook (1–200 characters). */
  reason: string;
  ruleId?: number | null;
  sourceType?: string | null;
  sourceId?: number | null;
  /** Once per key: a second call with the same key returns the first transfer (created: false) and moves nothing. */
  idempotencyKey?: string | null;
  operatorId?: number | null;
};

export type PostedTransfer = {
  id: number;
  /** false: the idempotency key had been used; nothing moved this time. */
  created: boolean;
  fromBalance: number;
  toBalance: number;
};

type AccountRow = {
  id: number;
  currency: Currency;
  balance: number;
  min_balance: number | null;
  max_balance: number | null;
  frozen: boolean;
  county_id: number;
};

/** Moves `amount` from one account to another, or throws an AppError and moves nothing (the caller's tx rolls back). */
export async function postTransfer(tx: Queryable, input: TransferInput): Promise<PostedTransfer> {
  return post(tx, { ...input, reversesId: null });
}

async function post(
  tx: Queryable,
  input: Omit<TransferInput, 'kind'> & { kind: TransferKind; reversesId: number | null },
): Promise<PostedTransfer> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
    throw new AppError('LEDGER_AMOUNT_INVALID', { field: 'amount' });
  if (input.fromAccountId === input.toAccountId) throw new AppError('LEDGER_SAME_ACCOUNT', { field: 'toAccountId' });

  const [from] = await tx.query<{ county_id: number }>('SELECT county_id FROM ledger_accounts WHERE id = $1', [
    input.fromAccountId,
  ]);
  if (!from) throw new AppError('LEDGER_ACCOUNT_NOT_FOUND', { field: 'fromAccountId' });

  const inserted = await tx.query<{ id: number }>(
    `INSERT INTO ledger_transfers (county_id, currency, kind, amount, from_account_id, to_account_id, reason, rule_id,
       source_type, source_id, idempotency_key, reverses_id, operator_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
    [
      from.county_id,
      input.currency,
      input.kind,
      input.amount,
      input.fromAccountId,
      input.toAccountId,
      input.reason,
      input.ruleId ?? null,
      input.sourceType ?? null,
      input.sourceId ?? null,
      input.idempotencyKey ?? null,
      input.reversesId,
      input.operatorId ?? null,
    ],
  );
  if (inserted.length === 0) {
    const [prior] = await tx.query<{ id: number; from_balance: number; to_balance: number }>(
      `SELECT t.id, f.balance AS from_balance, d.balance AS to_balance
         FROM ledger_transfers t
         JOIN ledger_accounts f ON f.id = t.from_account_id
         JOIN ledger_accounts d ON d.id = t.to_account_id
        WHERE t.idempotency_key = $1`,
      [input.idempotencyKey],
    );
    if (!prior) throw new Error('idempotency key conflict without a transfer');
    return { id: prior.id, created: false, fromBalance: prior.from_balance, toBalance: prior.to_balance };
  }
  const transferId = inserted[0]!.id;

  // Lock both sides in id order (no deadlock between two transfers over the same pair).
  const sides =
    input.fromAccountId < input.toAccountId
      ? [
          { id: input.fromAccountId, delta: -input.amount, field: 'fromAccountId' },
          { id: input.toAccountId, delta: input.amount, field: 'toAccountId' },
        ]
      : [
          { id: input.toAccountId, delta: input.amount, field: 'toAccountId' },
          { id: input.fromAccountId, delta: -input.amount, field: 'fromAccountId' },
        ];
  const balances = new Map<number, number>();
  for (const side of sides) {
    const rows = await tx.query<{ balance: number }>(
      `UPDATE ledger_accounts SET balance = balance + $2
        WHERE id = $1 AND currency = $3 AND NOT frozen
          AND (min_balance IS NULL OR balance + $2 >= min_balance)
          AND (max_balance IS NULL OR balance + $2 <= max_balance)
        RETURNING balance`,
      [side.id, side.delta, input.currency],
    );
    if (rows.length === 0) await explainRefusal(tx, side.id, side.delta, input.currency, side.field);
    balances.set(side.id, rows[0]!.balance);
  }
  const fromBalance = balances.get(input.fromAccountId)!;
  const toBalance = balances.get(input.toAccountId)!;
  await tx.query(
    `INSERT INTO ledger_movements (transfer_id, account_id, amount, balance_after)
     VALUES ($1, $2, $3, $4), ($1, $5, $6, $7)`,
    [transferId, input.fromAccountId, -input.amount, fromBalance, input.toAccountId, input.amount, toBalance],
  );
  return { id: transferId, created: true, fromBalance, toBalance };
}

/** Why a side's update matched no row: always throws. */
async function explainRefusal(
  tx: Queryable,
  accountId: number,
  delta: number,
  currency: Currency,
  field: string,
): Promise<never> {
  const [a] = await tx.query<AccountRow>(
    'SELECT id, currency, balance, min_balance, max_balance, frozen, county_id FROM ledger_accounts WHERE id = $1',
    [accountId],
  );
  if (!a) throw new AppError('LEDGER_ACCOUNT_NOT_FOUND', { field });
  if (a.currency !== currency) throw new AppError('LEDGER_CURRENCY_MISMATCH', { field });
  if (a.frozen) throw new AppError('LEDGER_ACCOUNT_FROZEN', { field });
  if (a.min_balance !== null && a.balance + delta < a.min_balance)
    throw new AppError('LEDGER_INSUFFICIENT_BALANCE', {
      field,
      params: { balance: a.balance - a.min_balance, amount: -delta },
    });
  if (a.max_balance !== null && a.balance + delta > a.max_balance)
    throw new AppError('LEDGER_LIMIT_EXCEEDED', { field, params: { limit: a.max_balance } });
  throw new Error(`ledger account ${accountId} refused a movement of ${delta} for no known reason`);
}

/**
 * Undoes a transfer with one of the opposite direction (kind 'reverse', reverses_id). Once only (a unique key); it
 * fails like any transfer when the receiving account no longer holds the amount (spent points stay spent).
 */
export async function reverseTransfer(
  tx: Queryable,
  transferId: number,
  opts: { reason: string; operatorId?: number | null },
): Promise<PostedTransfer> {
  const [t] = await tx.query<{
    id: number;
    currency: Currency;
    kind: TransferKind;
    amount: number;
    from_account_id: number;
    to_account_id: number;
    reversed: boolean;
  }>(
    `SELECT t.id, t.currency, t.kind, t.amount, t.from_account_id, t.to_account_id,
            EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.reverses_id = t.id) AS reversed
       FROM ledger_transfers t WHERE t.id = $1`,
    [transferId],
  );
  if (!t) throw new AppError('LEDGER_TRANSFER_NOT_FOUND');
  if (t.kind === 'reverse') throw new AppError('LEDGER_NOT_REVERSIBLE');
  if (t.reversed) throw new AppError('LEDGER_ALREADY_REVERSED');
  try {
    return await post(tx, {
      currency: t.currency,
      kind: 'reverse',
      amount: t.amount,
      fromAccountId: t.to_account_id,
      toAccountId: t.from_account_id,
      reason: opts.reason,
      sourceType: 'transfer',
      sourceId: t.id,
      idempotencyKey: null,
      operatorId: opts.operatorId ?? null,
      reversesId: t.id,
    });
  } catch (err) {
    // two reversals at once: the second meets the first's unique reverses_id
    if ((err as { code?: string }).code === '23505') throw new AppError('LEDGER_ALREADY_REVERSED', { cause: err });
    throw err;
  }
}

// ---- accounts ------------------------------------------------------------------------------------------------

export type LedgerAccount = {
  id: number;
  countyId: number;
  communityId: number;
  nodeId: number;
  nodePath: string;
  kind: AccountKind;
  currency: Currency;
  balance: number;
  minBalance: number | null;
  maxBalance: number | null;
  frozen: boolean;
  residentId: number | null;
  householdId: number | null;
  merchantId: number | null;
  organisationId: number | null;
};

const ACCOUNT_COLUMNS = `id, county_id AS "countyId", community_id AS "communityId", node_id AS "nodeId",
  node_path AS "nodePath", kind, currency, balance, min_balance AS "minBalance", max_balance AS "maxBalance", frozen,
  resident_id AS "residentId", household_id AS "householdId", merchant_id AS "merchantId",
  organisation_id AS "organisationId"`;

export async function getAccount(db: Queryable, id: number): Promise<LedgerAccount | null> {
  const [a] = await db.query<LedgerAccount>(`SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = $1`, [id]);
  return a ?? null;
}

/** The community or village a node lies in (itself when it is one), or null above that level. */
export async function communityOfNode(
  db: Queryable,
  nodeId: number,
): Promise<{ id: number; countyId: number; path: string } | null> {
  const [c] = await db.query<{ id: number; countyId: number; path: string }>(
    `SELECT c.id, c.county_id AS "countyId", c.path
       FROM org_nodes n JOIN org_nodes c ON n.path LIKE c.path || '%' AND c.type IN ('community', 'village')
      WHERE n.id = $1
      ORDER BY c.depth DESC LIMIT 1`,
    [nodeId],
  );
  return c ?? null;
}

/** Gets or opens an account (the partial unique indexes make a concurrent open return the same row). */
async function ensure(
  db: Queryable,
  key: { kind: AccountKind; currency: Currency; ownerColumn: string | null; ownerId: number | null },
  place: { countyId: number; communityId: number; nodeId: number; nodePath: string },
): Promise<LedgerAccount> {
  const where =
    key.ownerColumn === null
      ? `kind = 'issuer' AND community_id = $1 AND currency = $2`
      : `kind = '${key.kind}' AND ${key.ownerColumn} = $1 AND currency = $2`;
  const ownerParam = key.ownerColumn === null ? place.communityId : key.ownerId;
  const [found] = await db.query<LedgerAccount>(`SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE ${where}`, [
    ownerParam,
    key.currency,
  ]);
  if (found) return found;
  const conflict =
    key.ownerColumn === null
      ? `(community_id, currency) WHERE kind = 'issuer'`
      : `(${key.ownerColumn}, currency) WHERE kind = '${key.kind}'`;
  await db.query(
    `INSERT INTO ledger_accounts (county_id, community_id, node_id, node_path, kind, currency, min_balance,
       resident_id, household_id, merchant_id, organisation_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT ${conflict} DO NOTHING`,
    [
      place.countyId,
      place.communityId,
      place.nodeId,
      place.nodePath,
      key.kind,
      key.currency,
      key.kind === 'issuer' ? null : 0,
      key.ownerColumn === 'resident_id' ? key.ownerId : null,
      key.ownerColumn === 'household_id' ? key.ownerId : null,
      key.ownerColumn === 'merchant_id' ? key.ownerId : null,
      key.ownerColumn === 'organisation_id' ? key.ownerId : null,
    ],
  );
  const [created] = await db.query<LedgerAccount>(`SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE ${where}`, [
    ownerParam,
    key.currency,
  ]);
  if (!created) throw new Error(`ledger account for ${key.kind} ${ownerParam} could not be opened`);
  return created;
}

/** The issuing account of a community or village for a currency (its balance is minus what it has issued). */
export async function issuerAccount(db: Queryable, communityId: number, currency: Currency): Promise<LedgerAccount> {
  const [c] = await db.query<{ id: number; countyId: number; path: string }>(
    `SELECT id, county_id AS "countyId", path FROM org_nodes WHERE id = $1 AND type IN ('community', 'village')`,
    [communityId],
  );
  if (!c) throw new AppError('LEDGER_NO_COMMUNITY', { params: { target: `#${communityId}` } });
  return ensure(
    db,
    { kind: 'issuer', currency, ownerColumn: null, ownerId: null },
    { countyId: c.countyId, communityId: c.id, nodeId: c.id, nodePath: c.path },
  );
}

/** A resident's account in a currency, opened in the community they live in. */
export async function residentAccount(db: Queryable, residentId: number, currency: Currency): Promise<LedgerAccount> {
  const [r] = await db.query<{ nodeId: number; nodePath: string; name: string }>(
    `SELECT node_id AS "nodeId", node_path AS "nodePath", name FROM residents WHERE id = $1`,
    [residentId],
  );
  if (!r) throw new AppError('RESIDENT_NOT_FOUND');
  const community = await communityOfNode(db, r.nodeId);
  if (!community) throw new AppError('LEDGER_NO_COMMUNITY', { params: { target: r.name } });
  return ensure(
    db,
    { kind: 'resident', currency, ownerColumn: 'resident_id', ownerId: residentId },
    { countyId: community.countyId, communityId: community.id, nodeId: r.nodeId, nodePath: r.nodePath },
  );
}

/** A household's own account (household mode 'own'), opened in its community. */
export async function householdAccount(db: Queryable, householdId: number, currency: Currency): Promise<LedgerAccount> {
  const [h] = await db.query<{ nodeId: number; nodePath: string }>(
    `SELECT node_id AS "nodeId", node_path AS "nodePath" FROM households WHERE id = $1`,
    [householdId],
  );
  if (!h) throw new AppError('HOUSEHOLD_NOT_FOUND');
  const community = await communityOfNode(db, h.nodeId);
  if (!community) throw new AppError('LEDGER_NO_COMMUNITY', { params: { target: `#${householdId}` } });
  return ensure(
    db,
    { kind: 'household', currency, ownerColumn: 'household_id', ownerId: householdId },
    { countyId: community.countyId, communityId: community.id, nodeId: h.nodeId, nodePath: h.nodePath },
  );
}

/** A merchant's account (it receives redeemed points and settles them back to its community's issuer). */
export async function merchantAccount(db: Queryable, merchantId: number, currency: Currency): Promise<LedgerAccount> {
  const [m] = await db.query<{ countyId: number; communityId: number; nodeId: number; nodePath: string }>(
    `SELECT county_id AS "countyId", community_id AS "communityId", node_id AS "nodeId", node_path AS "nodePath"
       FROM merchants WHERE id = $1`,
    [merchantId],
  );
  if (!m) throw new AppError('LEDGER_ACCOUNT_NOT_FOUND');
  return ensure(db, { kind: 'merchant', currency, ownerColumn: 'merchant_id', ownerId: merchantId }, m);
}

/** A partner organisation's account, opened in the community of its node (or the first under a street's node). */
export async function organisationAccount(
  db: Queryable,
  organisationId: number,
  communityId: number,
  currency: Currency,
): Promise<LedgerAccount> {
  const [o] = await db.query<{ countyId: number; nodeId: number; nodePath: string }>(
    `SELECT county_id AS "countyId", node_id AS "nodeId", node_path AS "nodePath" FROM partner_orgs WHERE id = $1`,
    [organisationId],
  );
  if (!o) throw new AppError('LEDGER_ACCOUNT_NOT_FOUND');
  return ensure(
    db,
    { kind: 'organisation', currency, ownerColumn: 'organisation_id', ownerId: organisationId },
    { ...o, communityId },
  );
}
