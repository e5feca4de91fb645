/**
 * Points expiry (points_settings.expiry_policy 'yearly'): what a resident's or household's points account received
 * in year Y and has not spent (spending consumes the oldest first, see ledger.logic.ts `fifoLots`) goes back to the
 * community's issuer after the end of year Y + expiry_years, as a transfer of kind 'expire' with the idempotency key
 * `expire:<account>:<Y>` — a rerun moves nothing, and an expiry a worker reversed is not expired again.
 */
import type { Db, Queryable } from '../../platform/db/client.js';
import { send } from '../../platform/notify/notify.service.js';
import { shanghaiDay } from '../cases/calendar.logic.js';
import { EXPIRING_KIND, registerExpiryNotifications } from './expiry.notify.js';
import { expiredLots, expiringThisYear, expiryKey, type LotMovement } from './ledger.logic.js';
import { issuerAccount, postTransfer } from './ledger.repo.js';

export type ExpiryResult = {
  policy: 'none' | 'yearly';
  accounts: number;
  transfers: number;
  points: number;
  /** Accounts whose holders were reminded (in December) of what expires at the end of the year. */
  reminded: number;
};

/** The accounts (users) of a points account's holder: the resident, or the household's members. */
async function holders(q: Queryable, accountId: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `SELECT u.id FROM ledger_accounts a
       JOIN residents r ON r.id = a.resident_id OR (a.household_id IS NOT NULL AND r.household_id = a.household_id)
       JOIN users u ON u.resident_id = r.id
      WHERE a.id = $1 AND NOT u.disabled`,
    [accountId],
  );
  return rows.map((r) => Number(r.id));
}

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
  const result: ExpiryResult = { policy, accounts: 0, transfers: 0, points: 0, reminded: 0 };
  if (policy !== 'yearly') return result;
  const years = Number(s!.years);
  const today = shanghaiDay(opts.now ?? new Date());
  const currentYear = Number(today.slice(0, 4));
  // a month before the end of the year: remind what will expire then
  const remind = today.slice(5, 7) === '12';
  if (remind) registerExpiryNotifications();
  const accounts = await db.query<{ id: number; community_id: number }>(
    `SELECT id, community_id FROM ledger_accounts
      WHERE kind IN ('resident', 'household') AND currency = 'points' AND balance > 0 AND NOT frozen ORDER BY id`,
  );
  for (const a of accounts) {
    const moved = await db.transaction(async (tx) => {
      // the account row first: a redemption racing this waits, and the lots are computed on what it left
      await tx.query('SELECT id FROM ledger_accounts WHERE id = $1 FOR UPDATE', [a.id]);
      const movements = await lotMovements(tx, Number(a.id));
      const lots = expiredLots(movements, years, currentYear);
      let reminded = 0;
      if (remind) {
        const soon = expiringThisYear(movements, years, currentYear);
        const users = soon > 0 ? await holders(tx, Number(a.id)) : [];
        if (users.length > 0) {
          const sent = await send(
            tx,
            users,
            EXPIRING_KIND,
            { points: soon, year: currentYear },
            // the key names the year: once ever for this account and year
            { once: { key: `points.expiring:${a.id}:${currentYear}`, since: new Date(0) } },
          );
          if (sent.length > 0) reminded = 1;
        }
      }
      if (lots.length === 0) return { transfers: 0, points: 0, reminded };
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
      return { transfers, points, reminded };
    });
    result.reminded += moved.reminded;
    if (moved.transfers > 0) result.accounts++;
    result.transfers += moved.transfers;
    result.points += moved.points;
  }
  return result;
}
