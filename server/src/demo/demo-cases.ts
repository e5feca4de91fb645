import * as cases from '../modules/cases/cases.service.js';
import type { Ctx } from '../platform/access/context.js';
import { systemCtx } from '../platform/access/context.js';
import { principalOfAccount } from '../platform/auth/auth.service.js';
import type { Db } from '../platform/db/client.js';
import type { Jobs } from '../platform/jobs/index.js';
import type { PiiCipher } from '../platform/pii/index.js';

/**
 * The demo's departments (县民政局 with the demo department account bumen as its member, 县城管局, 县住建局,
 * 县供水公司 at the county, 街道综合执法队 at the street) and a handful of cases in several stages, made through the
 * cases service as the demo accounts would (so the timeline, notifications and SLA timers are real). Needs running
 * jobs (the SLA timers): the server loads it once after starting them.
 */
const SETTING = 'demo_cases';

export async function isDemoCasesLoaded(db: Db): Promise<boolean> {
  return (await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length > 0;
}

async function ctxOf(db: Db, username: string): Promise<Ctx> {
  const principal = await principalOfAccount(db, { username });
  if (!principal) throw new Error(`demo account ${username} is missing`);
  return { principal, requestId: null, ip: null, locale: 'zh-CN' };
}

async function categoryId(db: Db, code: string): Promise<number> {
  const rows = await db.query<{ id: number }>('SELECT id FROM case_categories WHERE code = $1', [code]);
  if (!rows[0]) throw new Error(`category ${code} is missing`);
  return Number(rows[0].id);
}

export async function loadDemoCases(deps: {
  db: Db;
  pii: PiiCipher;
  jobs: Jobs;
}): Promise<{ departments: number; cases: number }> {
  const { db } = deps;
  const ids = (
    await db.query<{ value: { ids: Record<string, number> } }>(
      "SELECT value FROM system_settings WHERE key = 'demo_region'",
    )
  )[0]?.value.ids;
  if (!ids) return { departments: 0, cases: 0 };
  const sys = systemCtx('demo');
  const bumen = await db.query<{ id: number }>("SELECT id FROM users WHERE lower(username) = 'bumen'");
  const dept = async (nodeId: number, name: string, memberIds: number[] = []) =>
    (await cases.createDepartment(deps, sys, { nodeId, name, memberIds })).id;
  const minzheng = await dept(ids.county!, '县民政局', bumen[0] ? [Number(bumen[0].id)] : []);
  const chengguan = await dept(ids.county!, '县城管局');
  const zhujian = await dept(ids.county!, '县住建局');
  await dept(ids.county!, '县供水公司');
  await dept(ids.street!, '街道综合执法队');

  const jumin = await ctxOf(db, 'jumin');
  const wangge = await ctxOf(db, 'wangge');
  const shequ = await ctxOf(db, 'shequ');
  const jiedao = await ctxOf(db, 'jiedao');
  const grid2 = await db.query<{ id: number }>("SELECT id FROM org_nodes WHERE parent_id = $1 AND name = '第二网格'", [
    ids.community,
  ]);
  const secondGrid = Number(grid2[0]!.id);
  let n = 0;
  const report = async (ctx: Ctx, code: string, description: string, extra: Record<string, unknown> = {}) => {
    n++;
    return (await cases.reportCase(deps, ctx, { categoryId: await categoryId(db, code), description, ...extra })).id;
  };

  // 待受理: a resident's one-tap report at home.
  await report(jumin, 'env.garbage', '楼下垃圾桶满了两天没人清运，味道很大');
  // 处置中: the grid worker took a patrol finding.
  const a = await report(wangge, 'facility', '3号楼单元门禁损坏，门关不上', {
    source: 'patrol',
    place: { nodeId: ids.grid },
  });
  await cases.acceptCase(deps, wangge, a, {});
  await cases.addNote(deps, wangge, a, { note: '已联系物业，维修师傅下午到' });
  // 待核查: an urgent repair, handled.
  const b = await report(jumin, 'property.repair', '家里水管漏水，楼下已经渗水了');
  await cases.acceptCase(deps, wangge, b, {});
  await cases.handleCase(deps, wangge, b, { note: '物业已更换阀门，不再漏水' });
  // 吹哨处置: the street whistles illegal building to two departments.
  const c = await report(shequ, 'illegal_build', '楼顶有人搭建彩钢房', {
    source: 'hotline',
    contactName: '王女士',
    contactPhone: '13805371234',
    place: { nodeId: secondGrid },
  });
  await cases.whistleCase(deps, jiedao, c, {
    departmentIds: [chengguan, zhujian],
    note: '街道吹哨，请城管、住建报到处置',
  });
  // 已派遣 to a department: an elderly resident living alone needs help.
  const d = await report(shequ, 'care', '独居老人行动不便，需要申请临时救助', {
    source: 'worker',
    place: { nodeId: ids.grid },
  });
  await cases.dispatchCase(deps, shequ, d, { departmentId: minzheng, note: '请民政局核实救助条件' });
  // 已结案 and rated.
  const e = await report(jumin, 'parking', '小区门口车辆乱停，消防通道被堵');
  await cases.acceptCase(deps, wangge, e, {});
  await cases.handleCase(deps, wangge, e, { note: '已联系车主挪车，设置了禁停标识' });
  await cases.verifyCase(deps, shequ, e, { passed: true, note: '现场核查通道畅通' });
  await cases.rateCase(deps, jumin, e, { rating: 5, comment: '处理很快，谢谢网格员' });

  await db.query('INSERT INTO system_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
    SETTING,
    JSON.stringify({ cases: n }),
  ]);
  return { departments: 5, cases: n };
}
