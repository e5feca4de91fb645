/**
 * Property-based test of the ledger engine against an in-memory reference model: random accounts with limits,
 * random transfers (amounts, idempotency keys, invalid ones) and reversals. After every step the database's
 * balances equal the model's; a refused transfer changes nothing; a reversal happens once; the sum over the run's
 * accounts is 0 and every balance is the sum of its movements.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { createTestDb, testDbKinds } from '../../test/test-db.js';
import { ledgerCheckOk } from './ledger.logic.js';
import { issuerAccount, merchantAccount, postTransfer, reverseTransfer } from './ledger.repo.js';
import { checkLedger } from './ledger.service.js';

type Limits = { min: number; max: number | null };
type Op =
  | { op: 'transfer'; from: number; to: number; amount: number; key: number | null }
  | { op: 'reverse'; target: number };

const N_ACCOUNTS = 4; // index 0: the issuer (no limits); 1..3 with limits

const limitsArb: fc.Arbitrary<Limits> = fc.record({
  min: fc.constantFrom(0, 0, -20),
  max: fc.constantFrom(null, 60, 200),
});
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('transfer' as const),
      from: fc.integer({ min: 0, max: N_ACCOUNTS - 1 }),
      to: fc.integer({ min: 0, max: N_ACCOUNTS - 1 }),
      amount: fc.oneof(
        { weight: 8, arbitrary: fc.integer({ min: 1, max: 80 }) },
        { weight: 1, arbitrary: fc.constantFrom(0, -5, 2.5) },
      ),
      key: fc.option(fc.integer({ min: 0, max: 4 }), { freq: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reverse' as const), target: fc.nat() }) },
);

for (const kind of testDbKinds()) {
  describe(`ledger properties [${kind}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let countyId: number;
    let run = 0;

    beforeAll(async () => {
      ({ db, drop } = await createTestDb(kind));
      const [c] = await db.query<{ id: number }>(
        `INSERT INTO org_nodes (county_id, type, name, path, depth) VALUES (0, 'county', '属性县', '/0/', 0) RETURNING id`,
      );
      countyId = c!.id;
      await db.query(`UPDATE org_nodes SET county_id = id, path = '/' || id || '/' WHERE id = $1`, [countyId]);
    });
    afterAll(async () => {
      await drop?.();
    });

    /** A new community with an issuer and three limited accounts (merchants), ids in index order. */
    async function setup(limits: Limits[]): Promise<number[]> {
      run++;
      const [n] = await db.query<{ id: number }>(
        `INSERT INTO org_nodes (county_id, parent_id, type, name, path, depth)
         VALUES ($1, $1, 'community', $2, '/tmp/', 1) RETURNING id`,
        [countyId, `社区${run}`],
      );
      const path = `/${countyId}/${n!.id}/`;
      await db.query('UPDATE org_nodes SET path = $2 WHERE id = $1', [n!.id, path]);
      const ids = [(await issuerAccount(db, n!.id, 'points')).id];
      for (const [i, l] of limits.entries()) {
        const [m] = await db.query<{ id: number }>(
          `INSERT INTO merchants (county_id, community_id, node_id, node_path, name) VALUES ($1, $2, $2, $3, $4)
           RETURNING id`,
          [countyId, n!.id, path, `商户${run}-${i}`],
        );
        const a = await merchantAccount(db, m!.id, 'points');
        await db.query('UPDATE ledger_accounts SET min_balance = $2, max_balance = $3 WHERE id = $1', [
          a.id,
          l.min,
          l.max,
        ]);
        ids.push(a.id);
      }
      return ids;
    }

    it('the engine agrees with the reference model over random sequences', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(limitsArb, { minLength: N_ACCOUNTS - 1, maxLength: N_ACCOUNTS - 1 }),
          fc.array(opArb, { minLength: 1, maxLength: 25 }),
          async (limits, ops) => {
            const ids = await setup(limits);
            const lim: (Limits | null)[] = [null, ...limits];
            const bal = ids.map(() => 0);
            const keys = new Map<string, number>(); // key → transfer id
            // transfers posted in this run: from/to indices, amount, reversal state
            const posted: {
              id: number;
              from: number;
              to: number;
              amount: number;
              isReverse: boolean;
              reversed: boolean;
            }[] = [];

            /** The code the engine must refuse with, or null; checks sides in account-id (= index) order. */
            const refusal = (from: number, to: number, amount: number): string | null => {
              if (!Number.isSafeInteger(amount) || amount <= 0) return 'LEDGER_AMOUNT_INVALID';
              if (from === to) return 'LEDGER_SAME_ACCOUNT';
              const sides = [
                { i: from, d: -amount },
                { i: to, d: amount },
              ].sort((x, y) => x.i - y.i);
              for (const s of sides) {
                const l = lim[s.i];
                if (!l) continue;
                if (bal[s.i]! + s.d < l.min) return 'LEDGER_INSUFFICIENT_BALANCE';
                if (l.max !== null && bal[s.i]! + s.d > l.max) return 'LEDGER_LIMIT_EXCEEDED';
              }
              return null;
            };

            for (const op of ops) {
              let expected: string | null;
              let attempt: () => Promise<{ id: number; created: boolean }>;
              let apply: (id: number) => void;
              if (op.op === 'transfer') {
                const key = op.key === null ? null : `prop:${run}:${op.key}`;
                const prior = key === null ? undefined : keys.get(key);
                const invalid =
                  !Number.isSafeInteger(op.amount) || op.amount <= 0
                    ? 'LEDGER_AMOUNT_INVALID'
                    : op.from === op.to
                      ? 'LEDGER_SAME_ACCOUNT'
                      : null;
                expected = invalid ?? (prior !== undefined ? null : refusal(op.from, op.to, op.amount));
                attempt = () =>
                  db.transaction((tx) =>
                    postTransfer(tx, {
                      currency: 'points',
                      kind: 'transfer',
                      amount: op.amount,
                      fromAccountId: ids[op.from]!,
                      toAccountId: ids[op.to]!,
                      reason: '随机转账',
                      idempotencyKey: key,
                    }),
                  );
                apply = (id) => {
                  if (prior !== undefined) {
                    expect(id).toBe(prior); // the first transfer, nothing moved
                    return;
                  }
                  bal[op.from]! -= op.amount;
                  bal[op.to]! += op.amount;
                  if (key !== null) keys.set(key, id);
                  posted.push({ id, from: op.from, to: op.to, amount: op.amount, isReverse: false, reversed: false });
                };
              } else {
                if (posted.length === 0) continue;
                const t = posted[op.target % posted.length]!;
                expected = t.isReverse
                  ? 'LEDGER_NOT_REVERSIBLE'
                  : t.reversed
                    ? 'LEDGER_ALREADY_REVERSED'
                    : refusal(t.to, t.from, t.amount);
                attempt = () => db.transaction((tx) => reverseTransfer(tx, t.id, { reason: '随机冲正' }));
                apply = (id) => {
                  bal[t.to]! -= t.amount;
                  bal[t.from]! += t.amount;
                  t.reversed = true;
                  posted.push({ id, from: t.to, to: t.from, amount: t.amount, isReverse: true, reversed: false });
                };
              }
              let got: string | null = null;
              let result: { id: number; created: boolean } | null = null;
              try {
                result = await attempt();
              } catch (err) {
                if (!(err instanceof AppError)) throw err;
                got = err.code;
              }
              expect(got).toBe(expected);
              if (result) apply(result.id);
              const rows = await db.query<{ id: number; balance: number }>(
                'SELECT id, balance FROM ledger_accounts WHERE id = ANY($1::bigint[])',
                [ids],
              );
              const byId = new Map(rows.map((r) => [Number(r.id), Number(r.balance)]));
              expect(ids.map((id) => byId.get(id))).toEqual(bal);
            }

            // the run's accounts sum to 0 and each balance is the sum of its movements (and the last balance_after)
            expect(bal.reduce((s, b) => s + b, 0)).toBe(0);
            const sums = await db.query<{ id: number; balance: number; sum: number; last: number | null }>(
              `SELECT a.id, a.balance, COALESCE(SUM(m.amount), 0)::bigint AS sum,
                      (SELECT balance_after FROM ledger_movements l WHERE l.account_id = a.id ORDER BY l.id DESC LIMIT 1)
                        AS last
                 FROM ledger_accounts a LEFT JOIN ledger_movements m ON m.account_id = a.id
                WHERE a.id = ANY($1::bigint[]) GROUP BY a.id`,
              [ids],
            );
            for (const r of sums) {
              expect(Number(r.sum)).toBe(Number(r.balance));
              expect(r.last === null ? 0 : Number(r.last)).toBe(Number(r.balance));
            }
          },
        ),
        { numRuns: kind === 'pglite' ? 30 : 20 },
      );
      expect(ledgerCheckOk(await checkLedger(db))).toBe(true);
    }, 240_000);

    it('the append-only trigger refuses UPDATE and DELETE on transfers and movements', async () => {
      const [t] = await db.query<{ id: number }>('SELECT id FROM ledger_transfers ORDER BY id LIMIT 1');
      expect(t).toBeDefined();
      await expect(db.query('UPDATE ledger_transfers SET reason = $2 WHERE id = $1', [t!.id, 'x'])).rejects.toThrow(
        /append-only/,
      );
      await expect(db.query('UPDATE ledger_movements SET amount = 1 WHERE transfer_id = $1', [t!.id])).rejects.toThrow(
        /append-only/,
      );
      await expect(db.query('DELETE FROM ledger_transfers WHERE id = $1', [t!.id])).rejects.toThrow(/append-only/);
      const [still] = await db.query<{ n: number }>(
        'SELECT COUNT(*)::int AS n FROM ledger_movements WHERE transfer_id = $1',
        [t!.id],
      );
      expect(still!.n).toBe(2);
    });
  });
}
