import type { Db } from '../platform/db/client.js';
import type { PiiCipher } from '../platform/pii/index.js';
import { maskPhone } from '../platform/pii/index.js';

/**
 * points [C]: the demo merchant 东关便民超市 in 东关社区 with shanghu as staff and eight goods, so the merchants page,
 * the redemption counter and the phone's goods page are not empty. Idempotent: the merchant is found by name in its
 * community, and goods and staff are added only when missing.
 */

export const DEMO_MERCHANT = '东关便民超市';
export const DEMO_GOODS = [
  { name: '大米 5kg', price: 500, stock: 30 },
  { name: '食用油 1.8L', price: 800, stock: 20 },
  { name: '洗衣液 2kg', price: 300, stock: 40 },
  { name: '鸡蛋一盒', price: 200, stock: 50 },
  { name: '毛巾', price: 150, stock: 60 },
  { name: '香皂', price: 100, stock: 80 },
  { name: '牙膏', price: 120, stock: 60 },
  { name: '挂面 1kg', price: 180, stock: 40 },
] as const;

export async function loadDemoMerchants(db: Db, pii: PiiCipher): Promise<{ created: boolean; goods: number } | null> {
  const region = await db.query<{ value: { ids: Record<string, number> } }>(
    `SELECT value FROM system_settings WHERE key = 'demo_region'`,
  );
  const communityId = region[0]?.value.ids.community;
  if (!communityId) return null;
  return db.transaction(async (tx) => {
    const [c] = await tx.query<{ id: number; county_id: number; path: string }>(
      'SELECT id, county_id, path FROM org_nodes WHERE id = $1',
      [communityId],
    );
    if (!c) return null;
    let created = false;
    let [m] = await tx.query<{ id: number }>('SELECT id FROM merchants WHERE community_id = $1 AND name = $2', [
      c.id,
      DEMO_MERCHANT,
    ]);
    if (!m) {
      const phone = '13905370123';
      [m] = await tx.query<{ id: number }>(
        `INSERT INTO merchants (county_id, community_id, node_id, node_path, name, address, contact_name, phone_masked,
           phone_sealed)
         VALUES ($1, $2, $2, $3, $4, '东关社区东关路 18 号', '刘店长', $5, $6) RETURNING id`,
        [c.county_id, c.id, c.path, DEMO_MERCHANT, maskPhone(phone), pii.seal(phone)],
      );
      created = true;
    }
    const merchantId = Number(m!.id);
    await tx.query(
      `INSERT INTO merchant_members (merchant_id, user_id)
       SELECT $1, id FROM users WHERE username = 'shanghu' ON CONFLICT DO NOTHING`,
      [merchantId],
    );
    let goods = 0;
    for (const [i, g] of DEMO_GOODS.entries()) {
      const added = await tx.query(
        `INSERT INTO merchant_goods (merchant_id, name, price, stock, sort)
         SELECT $1, $2, $3, $4, $5
          WHERE NOT EXISTS (SELECT 1 FROM merchant_goods WHERE merchant_id = $1 AND name = $2)
         RETURNING id`,
        [merchantId, g.name, g.price, g.stock, i * 10],
      );
      goods += added.length;
    }
    return { created, goods };
  });
}
