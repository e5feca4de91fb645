/**
 * Demo farm machinery (农机共享) in 白石镇: two owners (a cooperative of 白石村 whose schedule the demo partner
 * account sees, a service team of 河口村), five machines, farmers' demands for the wheat harvest and the maize
 * sowing, some booked, one done this month (for the monthly figures). Made once (system_settings), through the
 * module's own service functions, so that every rule holds for the demo too.
 */

import { addDays } from '../modules/machinery/machinery.logic.js';
import * as machinery from '../modules/machinery/machinery.service.js';
import { dayInShanghai } from '../modules/reports/reports.logic.js';
import { systemCtx } from '../platform/access/context.js';
import type { Db } from '../platform/db/client.js';
import type { PiiCipher } from '../platform/pii/index.js';

const SETTING = 'demo_machinery';

export async function loadDemoMachinery(db: Db, pii: PiiCipher): Promise<{ machines: number; demands: number } | null> {
  if ((await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length > 0) return null;
  const villages = await db.query<{ id: number; name: string }>(
    `SELECT v.id, v.name FROM org_nodes v JOIN org_nodes t ON t.id = v.parent_id
     WHERE t.name = '白石镇' AND v.type = 'village' AND v.status = 'active' ORDER BY v.id`,
  );
  const village = (name: string) => villages.find((v) => v.name === name)?.id;
  const baishi = village('白石村');
  const hekou = village('河口村');
  const liulin = village('柳林村');
  if (!baishi || !hekou || !liulin) return null;
  const deps = { db, pii };
  const ctx = systemCtx('demo');
  const org = await db.query<{ org_id: number }>(
    `SELECT pm.org_id FROM partner_members pm JOIN users u ON u.id = pm.user_id WHERE u.username = 'huoban'
     ORDER BY pm.org_id LIMIT 1`,
  );
  const coop = await machinery.createOwner(deps, ctx, {
    nodeId: baishi,
    name: '白石村农机专业合作社',
    kind: 'cooperative',
    contactName: '孙建国',
    phone: '13905378801',
    partnerOrgId: org[0]?.org_id ?? null,
  });
  const team = await machinery.createOwner(deps, ctx, {
    nodeId: hekou,
    name: '河口村农机服务队',
    kind: 'alliance',
    contactName: '周长河',
    phone: '13905378802',
  });
  const m = async (
    ownerId: number,
    nodeId: number,
    type: 'harvester' | 'drone' | 'seeder' | 'tractor',
    name: string,
    capacityMu: number,
    pricePerMu: number,
  ) => (await machinery.createMachine(deps, ctx, { ownerId, nodeId, type, name, capacityMu, pricePerMu })).id;
  const harvester = await m(coop.id, baishi, 'harvester', '雷沃谷神 GN70 收割机', 80, 60);
  await m(coop.id, baishi, 'drone', '大疆 T40 植保无人机', 300, 8);
  await m(coop.id, baishi, 'seeder', '农哈哈 2BYSF-4 玉米播种机', 60, 25);
  await m(team.id, hekou, 'harvester', '久保田 PRO988Q 收割机', 100, 55);
  await m(team.id, hekou, 'tractor', '东方红 LX1000 拖拉机', 120, 30);

  const today = dayInShanghai(new Date());
  const day = (n: number) => addDays(today, n);
  const demand = async (
    nodeId: number,
    farmerName: string,
    place: string,
    crop: string,
    machineType: 'harvester' | 'drone' | 'seeder' | 'tractor',
    areaMu: number,
    from: number,
    to: number,
  ) =>
    machinery.createDemand(deps, ctx, {
      nodeId,
      farmerName,
      place,
      crop,
      machineType,
      areaMu,
      windowStart: day(from),
      windowEnd: day(to),
    });
  // a job done this month: booked from today and completed at once (the figures count completions)
  const done = await demand(baishi, '王家福', '村东大田', '小麦', 'harvester', 120, 0, 5);
  const doneBooking = await machinery.createBooking(deps, ctx, {
    demandId: done.id,
    machineId: harvester,
    start: day(0),
    end: day(1),
  });
  await machinery.completeBooking(deps, ctx, doneBooking.id, { areaDoneMu: 118.5 });
  await demand(baishi, '李秀英', '南洼地', '小麦', 'harvester', 60, 2, 8);
  await demand(hekou, '赵大山', '河滩地', '小麦', 'harvester', 150, 3, 10);
  await demand(liulin, '刘春生', '柳林北坡', '小麦', 'harvester', 90, 3, 12);
  await demand(baishi, '陈玉兰', '村西二号地', '玉米', 'drone', 200, 5, 15);
  await demand(hekou, '孙长顺', '河口老院南', '玉米', 'seeder', 45, 10, 20);
  // dispatch books what can be booked; one demand is left open for the worker to match by hand
  await machinery.dispatch(deps, ctx, { nodeId: hekou });
  await machinery.dispatch(deps, ctx, { nodeId: liulin });
  await db.query('INSERT INTO system_settings (key, value) VALUES ($1, $2)', [SETTING, JSON.stringify({ at: today })]);
  return { machines: 5, demands: 6 };
}
