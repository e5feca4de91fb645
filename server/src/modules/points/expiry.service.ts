/**
 * Points expiry (points_settings.expiry_policy 'yearly'): what a resident's or household's points account received
 * in year Y and has not spent (spending consumes the oldest first, see ledger.logic.ts `fifoLots`) goes back to the
 * community's issuer after the end of year Y + expiry_years, as a transfer of kind 'expire' with the idempotency key
 * `expire:<account>:<Y>` — a rerun moves nothing, and an expiry a worker reversed is not expired again.
 */
import type { Db, Queryable } from '../../platform/db/client.js';
import { shanghaiDay } from '../cases/calendar.logic.js';
import { expiredLots, expiryKey, type LotMovement } from './ledger.logic.js';
import { issuerAccount, postTransfer } from './ledger.repo.js';

export type ExpiryResult = { policy: 'none' | 'yearly'; accounts: number; transfers: number; points: number };

/** An account's points movements with their Shanghai year, oldest first. */
async function lotMovements(q: Queryable, accountId: number): Promise<LotMovement[]> {
  const rows = await q.query<{ year: number; amount: number }>(
    `SELECT EXTRACT(YEAR FROM created_at AT TIME ZONE 'Asia/Shanghai')::int AS year, amount
       FROM ledger_movements WHERE account_id = $1 ORDER BY created_at, id`,
    [accountId],
  );
  const out: LotMovement[] = [];
  let year = 0;
  for (const r of rows) {
    // a movement committed a moment out of order across New Year counts in the later year
    year = Math.max(year, Number(r.year));
    out.push({ year, amount: Number(r.amount) });
  }
  return out;
}

/** Expires what has expired by `now` on every resident and household points account holding points. */
export async function expirePoints(db: Db, opts: { now?: Date } = {}): Promise<ExpiryResult> {
  const [s] = await db.query<{ policy: 'none' | 'yearly'; years: number }>(
    'SELECT expiry_policy AS policy, expiry_years AS years FROM points_settings WHERE id = 1',
  );
  const policy = s?.policy ?? 'none';
  const result: ExpiryResult = { policy, accounts: 0, transfers: 0, points: 0 };
  if (policy !== 'yearly') return result;
  const years = Number(s!.years);
  const currentYear = Number(shanghaiDay(opts.now ?? new Date()).slice(0, 4));
  const accounts = await db.query<{ id: number; community_id: number }>(
    `SELECT id, community_id FROM ledger_accounts
      WHERE kind IN ('resident', 'household') AND currency = 'points' AND balance > 0 AND NOT frozen ORDER BY id`,
  );
  for (const a of accounts) {
    const moved = await db.transaction(async (tx) => {
      // the account row first: a redemption racing this waits, and the lots are computed on what it left
      await tx.query('SELECT id FROM ledger_accounts WHERE id = $1 FOR UPDATE', [a.id]);
      const lots = expiredLots(await lotMovements(tx, Number(a.id)), years, currentYear);
      if (lots.length === 0) return { transfers: 0, points: 0 };
      const issuer = await issuerAccount(tx, Number(a.community_id), 'points');
      let transfers = 0;
      let points = 0;
      for (const lot of lots) {
        const t = await postTransfer(tx, {
          currency: 'points',
          kind: 'expire',
          amount: lot.remaining,
          fromAccountId: Number(a.id),
          toAccountId: issuer.id,
          reason: `${lot.year}年获得的积分已过期`,
          sourceType: 'expiry',
          idempotencyKey: expiryKey(Number(a.id), lot.year),
        });
        if (t.created) {
          transfers++;
          points += lot.remaining;
        }
      }
      return { transfers, points };
    });
    if (moved.transfers > 0) result.accounts++;
    result.transfers += moved.transfers;
    result.points += moved.points;
  }
  return result;
}
