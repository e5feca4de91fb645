import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Ctx } from '../../platform/access/context.js';
import type { Db } from '../../platform/db/client.js';
import type { AppError } from '../../platform/errors/errors.js';
import { buildResidents } from '../../test/people-factories.js';
import { buildGoods, buildMerchant, fundResident } from '../../test/points-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { hashCode } from './redemption.logic.js';
import { redeem } from './redemption.service.js';

/**
 * 1,000 concurrent redemptions (PostgreSQL: through the app's pool of connections; PGlite serialises them) against
 * balances and stock that allow only some. Group A (100 residents × 5 attempts at 10 points, 25 points each) wants
 * 200 but the goods' stock is 150: exactly 150 succeed. Group B (100 residents × 5 attempts at 7 points, 24 each)
 * is limited by the balances: exactly 3 each, 300. Several attempts race on each resident, all of A on one goods.
 */
export async function merchantCtx(db: Db, username: string): Promise<Ctx> {
  const [u] = await db.query<{ id: number; display_name: string }>(
    'SELECT id, display_name FROM users WHERE username = $1',
    [username],
  );
  const grants = await db.query<{ id: number; role: string; node_id: number; path: string }>(
    'SELECT p.id, p.role, p.node_id, n.path FROM posts p JOIN org_nodes n ON n.id = p.node_id WHERE p.user_id = $1',
    [u!.id],
  );
  return {
    principal: {
      userId: Number(u!.id),
      username,
      displayName: u!.display_name,
      locale: 'zh-CN',
      grants: grants.map((g) => ({
        postId: Number(g.id),
        role: g.role as 'merchant',
        nodeId: Number(g.node_id),
        path: g.path,
      })),
      via: 'session',
    },
    requestId: null,
    ip: null,
    locale: 'zh-CN',
  };
}

export type RaceSetup = {
  attempts: { code: string; goodsId: number }[];
  goodsA: number;
  goodsB: number;
  merchantId: number;
};

/** Residents with codes, funded, a merchant with two goods: the race above. `perGroup` residents per group. */
export async function prepareRace(
  env: { db: Db; pii: TestEnv['pii'] },
  o: { unitId: number; communityId: number; staffUserId: number; codeUserId: number; perGroup?: number },
): Promise<RaceSetup> {
  const per = o.perGroup ?? 100;
  const merchant = await buildMerchant(env.db, {
    nodeId: o.communityId,
    name: '并发超市',
    staffUserIds: [o.staffUserId],
  });
  const a = await buildGoods(env.db, { merchantId: merchant.id, name: '热门商品', price: 10, stock: (per * 3) / 2 });
  const b = await buildGoods(env.db, { merchantId: merchant.id, name: '充足商品', price: 7, stock: per * 10 });
  const residents = await buildResidents(env, per * 2, { nodeId: o.unitId, namePrefix: '并发' });
  const ids = (
    await env.db.query<{ id: number }>(
      "SELECT id FROM residents WHERE name LIKE '并发%' AND node_id = $1 ORDER BY id DESC LIMIT $2",
      [o.unitId, per * 2],
    )
  ).map((r) => Number(r.id));
  expect(ids).toHaveLength(residents.length);
  const attempts: { code: string; goodsId: number }[] = [];
  let n = 0;
  for (const [i, residentId] of ids.entries()) {
    const groupA = i < per;
    const { accountId } = await fundResident(env.db, residentId, groupA ? 25 : 24);
    for (let k = 0; k < 5; k++) {
      n++;
      const code = String(10_000_000 + n * 37 + Math.floor(Math.random() * 30)).slice(-8);
      await env.db.query(
        `INSERT INTO redemption_codes (code_hash, account_id, user_id, expires_at)
         VALUES ($1, $2, $3, now() + interval '1 hour')`,
        [hashCode(code), accountId, o.codeUserId],
      );
      attempts.push({ code, goodsId: groupA ? a.id : b.id });
    }
  }
  // interleave the groups and the residents' attempts
  attempts.sort(() => Math.random() - 0.5);
  return { attempts, goodsA: a.id, goodsB: b.id, merchantId: merchant.id };
}

/** Negative non-issuer balances and the per-currency checks, counted from the database. */
export async function ledgerChecks(db: Db) {
  const [neg] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM ledger_accounts WHERE kind <> 'issuer' AND balance < 0",
  );
  const sums = await db.query<{ currency: string; total: number; holders: number; issued: number }>(
    `SELECT currency, sum(balance)::bigint AS total,
            COALESCE(sum(balance) FILTER (WHERE kind <> 'issuer'), 0)::bigint AS holders,
            COALESCE(-sum(balance) FILTER (WHERE kind = 'issuer'), 0)::bigint AS issued
       FROM ledger_accounts GROUP BY currency`,
  );
  const [drift] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ledger_accounts a
      WHERE a.balance <> COALESCE((SELECT sum(m.amount) FROM ledger_movements m WHERE m.account_id = a.id), 0)`,
  );
  const mismatch =
    sums.filter((s) => Number(s.total) !== 0 || Number(s.holders) !== Number(s.issued)).length + Number(drift!.n);
  return { negativeBalances: Number(neg!.n), sumMismatch: mismatch };
}

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
