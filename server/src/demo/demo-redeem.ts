import { earningAccount } from '../modules/points/earning.service.js';
import { issuerAccount, postTransfer } from '../modules/points/ledger.repo.js';
import type { Db } from '../platform/db/client.js';

/**
 * points [G]: what the counter needs to be tried in the demo — the merchant 东关便民超市 of 东关社区 with shanghu on its
 * staff and a few goods (unless part C's demo made it already), and 200 points for the demo resident (jumin) when
 * their points account has never received any. Idempotent: every step checks first.
 */
export async function loadDemoRedeem(db: Db): Promise<{ merchant: boolean; funded: boolean }> {
  const region = await db.query<{ value: { ids: Record<string, number> } }>(
    `SELECT value FROM system_settings WHERE key = 'demo_region'`,
  );
  const communityId = region[0]?.value.ids.community;
  if (!communityId) return { merchant: false, funded: false };
  let merchant = false;
  await db.transaction(async (tx) => {
    const [shop] = await tx.query<{ id: number }>(
      `SELECT id FROM merchants WHERE name = '东关便民超市' AND community_id = $1`,
      [communityId],
    );
    if (shop) return;
    const [c] = await tx.query<{ county_id: number; path: string }>(
      'SELECT county_id, path FROM org_nodes WHERE id = $1',
      [communityId],
    );
    const [m] = await tx.query<{ id: number }>(
      `INSERT INTO merchants (county_id, community_id, node_id, node_path, name, address, contact_name)
       VALUES ($1, $2, $2, $3, '东关便民超市', '东关社区 1号楼底商', '东关便民超市') RETURNING id`,
      [c!.county_id, communityId, c!.path],
    );
    await tx.query(
      `INSERT INTO merchant_members (merchant_id, user_id) SELECT $1, id FROM users WHERE lower(username) = 'shanghu'`,
      [m!.id],
    );
    const goods: [string, number, number][] = [
      ['洗衣液 1 瓶', 80, 30],
      ['大米 5 斤', 150, 20],
      ['鸡蛋 10 枚', 50, 40],
      ['肥皂 1 块', 20, 60],
    ];
    for (const [i, [name, price, stock]] of goods.entries()) {
      await tx.query('INSERT INTO merchant_goods (merchant_id, name, price, stock, sort) VALUES ($1, $2, $3, $4, $5)', [
        m!.id,
        name,
        price,
        stock,
        i,
      ]);
    }
    merchant = true;
  });
  let funded = false;
  const [jumin] = await db.query<{ resident_id: number | null }>(
    "SELECT resident_id FROM users WHERE lower(username) = 'jumin'",
  );
  if (jumin?.resident_id != null) {
    const residentId = Number(jumin.resident_id);
    await db.transaction(async (tx) => {
      const account = await earningAccount(tx, residentId, 'points');
      const [any] = await tx.query('SELECT 1 FROM ledger_movements WHERE account_id = $1 LIMIT 1', [account.id]);
      if (any) return;
      const issuer = await issuerAccount(tx, account.communityId, 'points');
      await postTransfer(tx, {
        currency: 'points',
        kind: 'adjust',
        amount: 200,
        fromAccountId: issuer.id,
        toAccountId: account.id,
        reason: '演示：初始积分',
        idempotencyKey: `demo:redeem:fund:${residentId}`,
      });
      funded = true;
    });
  }
  return { merchant, funded };
}
