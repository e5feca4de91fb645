import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { buildMerchant } from '../../test/points-factories.js';
import { describeEachDb } from '../../test/test-app.js';
import { ledgerCheckOk } from './ledger.logic.js';
import { issuerAccount, merchantAccount, postTransfer, reverseTransfer } from './ledger.repo.js';
import { checkLedger } from './ledger.service.js';

const codeOf = (err: unknown) => (err instanceof AppError ? err.code : `raw:${(err as Error).message}`);

async function balanceOf(db: Queryable, id: number): Promise<number> {
  const [a] = await db.query<{ balance: number }>('SELECT balance FROM ledger_accounts WHERE id = $1', [id]);
  return Number(a!.balance);
}

describeEachDb('points ledger engine', (env) => {
  /** A fresh merchant account in the demo community, funded by the issuer. */
  async function fundedAccount(amount: number): Promise<{ id: number; issuerId: number }> {
    const m = await buildMerchant(env.db, { nodeId: env.ids.community! });
    const a = await merchantAccount(env.db, m.id, 'points');
    const issuer = await issuerAccount(env.db, m.communityId, 'points');
    if (amount > 0)
      await postTransfer(env.db, {
        currency: 'points',
        kind: 'adjust',
        amount,
        fromAccountId: issuer.id,
        toAccountId: a.id,
        reason: '测试充值',
      });
    return { id: a.id, issuerId: issuer.id };
  }

  it('200 racing debits of 10 from 500: exactly 50 succeed, the rest are insufficient, balance 0', async () => {
    const a = await fundedAccount(500);
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        env.db.transaction((tx) =>
          postTransfer(tx, {
            currency: 'points',
            kind: 'redeem',
            amount: 10,
            fromAccountId: a.id,
            toAccountId: a.issuerId,
            reason: `并发扣减 ${i}`,
          }),
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => codeOf((r as PromiseRejectedResult).reason));
    expect(ok).toHaveLength(50);
    expect(new Set(refused)).toEqual(new Set(['LEDGER_INSUFFICIENT_BALANCE']));
    expect(refused).toHaveLength(150);
    expect(await balanceOf(env.db, a.id)).toBe(0);
    const [n] = await env.db.query<{ n: number }>(
      'SELECT COUNT(*)::int AS n FROM ledger_movements WHERE account_id = $1 AND amount = -10',
      [a.id],
    );
    expect(n!.n).toBe(50);
    // the balance after each successful debit is distinct: 490, 480, …, 0
    const afters = await env.db.query<{ b: number }>(
      'SELECT balance_after AS b FROM ledger_movements WHERE account_id = $1 AND amount = -10 ORDER BY id',
      [a.id],
    );
    expect(afters.map((r) => Number(r.b))).toEqual(Array.from({ length: 50 }, (_, i) => 490 - i * 10));
  });

  it('opposite-direction transfers on one pair run without deadlock and net out', async () => {
    const a = await fundedAccount(1000);
    const b = await fundedAccount(1000);
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        env.db.transaction((tx) =>
          postTransfer(tx, {
            currency: 'points',
            kind: 'transfer',
            amount: 7,
            fromAccountId: i % 2 === 0 ? a.id : b.id,
            toAccountId: i % 2 === 0 ? b.id : a.id,
            reason: `对向转账 ${i}`,
          }),
        ),
      ),
    );
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => codeOf((r as PromiseRejectedResult).reason)),
    ).toEqual([]);
    expect(await balanceOf(env.db, a.id)).toBe(1000);
    expect(await balanceOf(env.db, b.id)).toBe(1000);
  });

  it('concurrent credits with one idempotency key move once', async () => {
    const a = await fundedAccount(0);
    const key = `test:idem:${a.id}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        env.db.transaction((tx) =>
          postTransfer(tx, {
            currency: 'points',
            kind: 'earn',
            amount: 7,
            fromAccountId: a.issuerId,
            toAccountId: a.id,
            reason: '幂等入账',
            idempotencyKey: key,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await balanceOf(env.db, a.id)).toBe(7);
  });

  it('a reversal happens once, even when two race; a reversal is not reversible', async () => {
    const a = await fundedAccount(0);
    const t = await postTransfer(env.db, {
      currency: 'points',
      kind: 'adjust',
      amount: 30,
      fromAccountId: a.issuerId,
      toAccountId: a.id,
      reason: '待冲正',
    });
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => env.db.transaction((tx) => reverseTransfer(tx, t.id, { reason: '冲正' }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect(codeOf((r as PromiseRejectedResult).reason)).toBe('LEDGER_ALREADY_REVERSED');
    expect(await balanceOf(env.db, a.id)).toBe(0);
    const rev = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: number }>).value;
    await expect(reverseTransfer(env.db, rev.id, { reason: 'again' })).rejects.toMatchObject({
      code: 'LEDGER_NOT_REVERSIBLE',
    });
  });

  it('refuses to update or delete ledger rows (append-only trigger)', async () => {
    const a = await fundedAccount(5);
    const [t] = await env.db.query<{ id: number }>(
      'SELECT transfer_id AS id FROM ledger_movements WHERE account_id = $1',
      [a.id],
    );
    await expect(env.db.query('UPDATE ledger_transfers SET amount = 6 WHERE id = $1', [t!.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(env.db.query('DELETE FROM ledger_movements WHERE transfer_id = $1', [t!.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(env.db.query('DELETE FROM ledger_transfers WHERE id = $1', [t!.id])).rejects.toThrow(/append-only/);
    expect(await balanceOf(env.db, a.id)).toBe(5);
  });

  describe('checkLedger', () => {
    it('finds the ledger consistent after all of the above, then names a forged movement', async () => {
      const before = await checkLedger(env.db);
      expect(before.sums.find((s) => s.currency === 'points')?.sum).toBe(0);
      expect(before.balanceMismatches).toEqual([]);
      expect(before.brokenTransfers).toEqual([]);
      expect(ledgerCheckOk(before)).toBe(true);

      // forge: a lone movement (inserts are allowed; only updates/deletes are refused)
      const a = await fundedAccount(10);
      const [t] = await env.db.query<{ id: number }>(
        'SELECT transfer_id AS id FROM ledger_movements WHERE account_id = $1',
        [a.id],
      );
      await env.db.query(
        'INSERT INTO ledger_movements (transfer_id, account_id, amount, balance_after) VALUES ($1, $2, 3, 13)',
        [t!.id, a.id],
      );
      const after = await checkLedger(env.db);
      expect(ledgerCheckOk(after)).toBe(false);
      expect(after.balanceMismatches).toEqual([{ accountId: a.id, balance: 10, movementSum: 13 }]);
      expect(after.brokenTransfers).toEqual([{ transferId: t!.id, movements: 3 }]);
    });
  });
});
