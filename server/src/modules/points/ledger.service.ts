/**
 * The ledger's statements and corrections: the consistency check, accounts and passbooks in a worker's area, a
 * resident's balances, totals per community, manual awards and deductions, reversals, and a resident's own view.
 * Reads need points.read over the account's node, changes points.manage; outside the scope a target is not found.
 */
import type { Queryable } from '../../platform/db/client.js';
import type { LedgerCheck } from './ledger.logic.js';

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
