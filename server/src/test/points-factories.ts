import {
  type Currency,
  communityOfNode,
  issuerAccount,
  postTransfer,
  residentAccount,
} from '../modules/points/ledger.repo.js';
import type { Queryable } from '../platform/db/client.js';

/**
 * Points rows for tests, written straight with SQL or through the ledger engine: a merchant with goods and staff, a
 * resident given a balance by their community's issuer. Parts add their own builders beside these.
 */

let seq = 0;

/** A merchant at `nodeId` (a community, or a node under one: the merchant belongs to that community). */
export async function buildMerchant(
  db: Queryable,
  o: { nodeId: number; name?: string; status?: 'active' | 'suspended' | 'closed'; staffUserIds?: number[] },
): Promise<{ id: number; communityId: number }> {
  seq++;
  const community = await communityOfNode(db, o.nodeId);
  if (!community) throw new Error(`buildMerchant: node ${o.nodeId} lies in no community`);
  const [node] = await db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [o.nodeId]);
  const [m] = await db.query<{ id: number }>(
    `INSERT INTO merchants (county_id, community_id, node_id, node_path, name, status)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [community.countyId, community.id, o.nodeId, node!.path, o.name ?? `测试商户${seq}`, o.status ?? 'active'],
  );
  for (const userId of o.staffUserIds ?? [])
    await db.query('INSERT INTO merchant_members (merchant_id, user_id) VALUES ($1, $2)', [m!.id, userId]);
  return { id: m!.id, communityId: community.id };
}

export async function buildGoods(
  db: Queryable,
  o: { merchantId: number; name?: string; price?: number; stock?: number; active?: boolean },
): Promise<{ id: number; price: number }> {
  seq++;
  const price = o.price ?? 100;
  const [g] = await db.query<{ id: number }>(
    `INSERT INTO merchant_goods (merchant_id, name, price, stock, active) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [o.merchantId, o.name ?? `测试商品${seq}`, price, o.stock ?? 10, o.active ?? true],
  );
  return { id: g!.id, price };
}

/** Gives a resident `amount` of a currency from their community's issuer (kind 'adjust'); returns their account. */
export async function fundResident(
  db: Queryable,
  residentId: number,
  amount: number,
  currency: Currency = 'points',
): Promise<{ accountId: number; balance: number }> {
  const account = await residentAccount(db, residentId, currency);
  const issuer = await issuerAccount(db, account.communityId, currency);
  const t = await postTransfer(db, {
    currency,
    kind: 'adjust',
    amount,
    fromAccountId: issuer.id,
    toAccountId: account.id,
    reason: '测试充值',
  });
  return { accountId: account.id, balance: t.toBalance };
}

/** Links an account to a resident record (what PATCH /api/users/:id { residentId } does). */
export async function linkUserToResident(db: Queryable, userId: number, residentId: number): Promise<void> {
  await db.query('UPDATE users SET resident_id = $2 WHERE id = $1', [userId, residentId]);
}
