import { communityOfNode, issuerAccount, postTransfer, residentAccount } from '../modules/points/ledger.repo.js';
import { shanghaiDay } from '../modules/services/services.logic.js';
import type { Db } from '../platform/db/client.js';

/**
 * services [C]: the demo community's (东关社区) service directory and its elder canteen (东关社区长者食堂) with
 * subsidies by tag (高龄 3 元 off, 空巢老人 2 元 off, 独居老人 half price), once; and, at every start, lunch and
 * dinner menus for today and the next six days (missing ones only), so the phone always has something to order.
 * jumin's resident gets two hours of time-bank credit once (from the community's issuer, as a deposit for service
 * given earlier) so that a meal can be paid in hours. Needs the demo region; does nothing without it.
 */

const SETTING = 'demo_services';

const ENTRIES: [string, string, string, string, string, string][] = [
  ['东关社区卫生服务站', 'medical', '县人民医院', '东关社区服务中心一楼', '8:00–17:30', '0537-6201120'],
  ['惠民家政', 'housekeeping', '泗源惠民家政服务有限公司', '东关大街 18 号', '8:00–20:00', '0537-6203366'],
  [
    '便民维修点（水电、家电）',
    'repair',
    '东关社区志愿维修队',
    '东关社区服务中心西侧',
    '周一至周六 9:00–17:00',
    '0537-6205511',
  ],
  ['日间照料中心', 'elderly', '东关社区', '东关社区服务中心二楼', '7:30–18:00', '0537-6201199'],
  ['东关社区长者食堂', 'canteen', '东关社区', '东关社区服务中心一楼东侧', '午餐 11:30，晚餐 17:30', '0537-6201166'],
  ['物业服务中心（24 小时报修）', 'property', '泗源物业管理有限公司', '1号楼南侧', '24 小时', '0537-6209999'],
];

const DISHES: string[][] = [
  ['红烧肉', '清炒油菜', '紫菜蛋花汤', '米饭'],
  ['西红柿炒鸡蛋', '土豆丝', '小米粥', '馒头'],
  ['清蒸鲈鱼', '蒜蓉西兰花', '冬瓜汤', '米饭'],
  ['猪肉白菜水饺', '凉拌黄瓜'],
  ['鸡肉炖蘑菇', '炒豆芽', '绿豆汤', '米饭'],
  ['肉末茄子', '香菇青菜', '南瓜粥', '花卷'],
  ['山东煎饼', '豆腐脑', '小咸菜'],
];

export async function loadDemoServices(db: Db): Promise<{ entries: number; menus: number } | null> {
  const region = await db.query<{ value: { ids: Record<string, number> } }>(
    `SELECT value FROM system_settings WHERE key = 'demo_region'`,
  );
  const communityId = region[0]?.value.ids?.community;
  if (!communityId) return null;
  const first = (await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length === 0;
  let entries = 0;
  let canteenId: number | null = null;
  if (first) {
    await db.transaction(async (tx) => {
      const [node] = await tx.query<{ county_id: number; path: string }>(
        'SELECT county_id, path FROM org_nodes WHERE id = $1',
        [communityId],
      );
      if (!node) return;
      for (const [i, [name, category, provider, address, hours, phone]] of ENTRIES.entries()) {
        await tx.query(
          `INSERT INTO service_entries (county_id, node_id, node_path, name, category, provider, address, hours, phone,
             description, sort)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [node.county_id, communityId, node.path, name, category, provider, address, hours, phone, null, i],
        );
        entries++;
      }
      const [c] = await tx.query<{ id: number }>(
        `INSERT INTO canteens (county_id, node_id, node_path, name, address, phone, lunch_at, dinner_at, cutoff_minutes,
           delivers)
         VALUES ($1, $2, $3, '东关社区长者食堂', '东关社区服务中心一楼东侧', '0537-6201166', '11:30', '17:30', 60, true)
         RETURNING id`,
        [node.county_id, communityId, node.path],
      );
      canteenId = Number(c!.id);
      const rules: [string, string, number][] = [
        ['aged_80', 'amount', 300],
        ['empty_nest', 'amount', 200],
        ['elderly_alone', 'percent', 50],
      ];
      for (const [code, kind, value] of rules)
        await tx.query(
          `INSERT INTO canteen_subsidies (canteen_id, tag_id, kind, value)
           SELECT $1, id, $3, $4 FROM tags WHERE code = $2`,
          [canteenId, code, kind, value],
        );
      // two hours for jumin's resident, as if deposited for service given earlier
      const [jumin] = await tx.query<{ resident_id: number | null; node_id: number | null }>(
        `SELECT u.resident_id, r.node_id FROM users u LEFT JOIN residents r ON r.id = u.resident_id
          WHERE u.username = 'jumin'`,
      );
      if (jumin?.resident_id && jumin.node_id) {
        const community = await communityOfNode(tx, Number(jumin.node_id));
        if (community) {
          const to = await residentAccount(tx, Number(jumin.resident_id), 'hours');
          const from = await issuerAccount(tx, community.id, 'hours');
          await postTransfer(tx, {
            currency: 'hours',
            kind: 'adjust',
            amount: 120,
            fromAccountId: from.id,
            toAccountId: to.id,
            reason: '演示：往期志愿服务时长存入',
            idempotencyKey: 'demo:services:jumin-hours',
          });
        }
      }
      await tx.query(`INSERT INTO system_settings (key, value) VALUES ($1, '{"loaded": true}')`, [SETTING]);
    });
  }
  if (canteenId === null) {
    const [c] = await db.query<{ id: number }>(
      `SELECT id FROM canteens WHERE node_id = $1 AND name = '东关社区长者食堂' ORDER BY id LIMIT 1`,
      [communityId],
    );
    if (!c) return entries ? { entries, menus: 0 } : null;
    canteenId = Number(c.id);
  }
  let menus = 0;
  const now = new Date();
  for (let d = 0; d < 7; d++) {
    const day = shanghaiDay(now, d);
    const k = new Date(`${day}T00:00:00Z`).getUTCDay();
    for (const [meal, dishes, price, minutes, capacity] of [
      ['lunch', DISHES[k]!, 1200, 30, 60],
      ['dinner', DISHES[(k + 3) % 7]!, 1000, 25, 40],
    ] as const) {
      const rows = await db.query(
        `INSERT INTO canteen_menus (canteen_id, day, meal, dishes, price_cents, price_minutes, capacity)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (canteen_id, day, meal) DO NOTHING RETURNING id`,
        [canteenId, day, meal, dishes, price, minutes, capacity],
      );
      menus += rows.length;
    }
  }
  return entries || menus ? { entries, menus } : null;
}
