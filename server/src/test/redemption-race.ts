import { hashCode } from '../modules/points/redemption.logic.js';
import type { Ctx } from '../platform/access/context.js';
import type { Db } from '../platform/db/client.js';
import type { PiiCipher } from '../platform/pii/index.js';
import { buildResidents } from './people-factories.js';
import { buildGoods, buildMerchant, fundResident } from './points-factories.js';

/**
 * The redemption race (the concurrency test and bench:ledger): 1,000 redemptions against balances and stock that
 * allow only some. Group A (100 residents × 5 attempts at 10 points, 25 points each) wants
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
  env: { db: Db; pii: PiiCipher },
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
  if (ids.length !== residents.length) throw new Error('prepareRace: residents missing');
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
