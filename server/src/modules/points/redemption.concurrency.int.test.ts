import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { AppError } from '../../platform/errors/errors.js';
import { ledgerChecks, merchantCtx, prepareRace } from '../../test/redemption-race.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { redeem } from './redemption.service.js';

/**
 * 1,000 concurrent redemptions (PostgreSQL: through the app's pool of connections; PGlite serialises them) against
 * balances and stock that allow only some (see redemption-race.ts).
 */
describeEachDb('redemption: 1,000 concurrent redemptions', (env: TestEnv) => {
  it('succeed exactly as balances and stock allow, and the ledger stays whole', { timeout: 600_000 }, async () => {
    const uid = async (u: string) =>
      Number((await env.db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [u]))[0]!.id);
    const setup = await prepareRace(env, {
      unitId: env.ids.unit!,
      communityId: env.ids.community!,
      staffUserId: await uid('shanghu'),
      codeUserId: await uid('jumin'),
    });
    expect(setup.attempts).toHaveLength(1000);
    const ctx = await merchantCtx(env.db, 'shanghu');
    const results = await Promise.allSettled(
      setup.attempts.map((a) =>
        redeem({ db: env.db }, ctx, {
          code: a.code,
          items: [{ goodsId: a.goodsId, quantity: 1 }],
          clientId: randomUUID(),
        }),
      ),
    );
    // per goods: successes, and the refusals by code (A's refusals are stock or balance, whichever came first)
    const tally: Record<string, Record<string, number>> = { a: {}, b: {} };
    let ok = 0;
    for (const [i, r] of results.entries()) {
      const t = tally[setup.attempts[i]!.goodsId === setup.goodsA ? 'a' : 'b']!;
      const key = r.status === 'fulfilled' ? 'ok' : ((r.reason as AppError).code ?? String(r.reason));
      if (key === 'ok') ok++;
      t[key] = (t[key] ?? 0) + 1;
    }
    expect(tally.a!.ok).toBe(150);
    expect((tally.a!.REDEEM_STOCK_SHORT ?? 0) + (tally.a!.LEDGER_INSUFFICIENT_BALANCE ?? 0)).toBe(350);
    expect(tally.a!.REDEEM_STOCK_SHORT).toBeGreaterThan(0);
    expect(tally.b).toEqual({ ok: 300, LEDGER_INSUFFICIENT_BALANCE: 200 });
    expect(ok).toBe(450);
    const stock = await env.db.query<{ id: number; stock: number }>(
      'SELECT id, stock FROM merchant_goods WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[setup.goodsA, setup.goodsB]],
    );
    expect(stock.map((s) => Number(s.stock))).toEqual([0, 1000 - 300]);
    const [rows] = await env.db.query<{ n: number; total: number }>(
      "SELECT count(*)::int AS n, sum(total)::bigint AS total FROM redemptions WHERE merchant_id = $1 AND status = 'done'",
      [setup.merchantId],
    );
    expect(Number(rows!.n)).toBe(450);
    expect(Number(rows!.total)).toBe(150 * 10 + 300 * 7);
    const [used] = await env.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM redemption_codes c JOIN redemptions r ON r.id = c.redemption_id WHERE c.used_at IS NOT NULL AND r.merchant_id = $1',
      [setup.merchantId],
    );
    expect(Number(used!.n)).toBe(450);
    const [m] = await env.db.query<{ balance: number }>(
      "SELECT balance FROM ledger_accounts WHERE kind = 'merchant' AND merchant_id = $1",
      [setup.merchantId],
    );
    expect(Number(m!.balance)).toBe(150 * 10 + 300 * 7);
    expect(await ledgerChecks(env.db)).toEqual({ negativeBalances: 0, sumMismatch: 0 });
  });
});
