/**
 * The built-in category tree: the community categories of seed 004 (社区诉求) and the digital-city event classes
 * (CJ/T 214 事件大类 with common leaves), each with its SLA. Inserted by code once (missing codes only), so an
 * installation's own edits stay.
 */
import type { Db } from '../../platform/db/client.js';
import * as repo from './cases.repo.js';
import type { SlaSpec } from './cases.schemas.js';

const wh = (amount: number): SlaSpec => ({ amount, unit: 'working_hours' });
const wd = (amount: number): SlaSpec => ({ amount, unit: 'working_days' });
const min = (amount: number): SlaSpec => ({ amount, unit: 'minutes' });

type Node = {
  code: string;
  zh: string;
  en: string;
  urgent?: boolean;
  sla?: [SlaSpec | null, SlaSpec | null, SlaSpec | null];
  children?: Node[];
};

/** Community categories: response, handling, verification. */
const COMMUNITY: Node[] = [
  {
    code: 'env',
    zh: '环境卫生',
    en: 'Sanitation',
    sla: [wh(2), wd(2), wd(1)],
    children: [
      { code: 'env.garbage', zh: '垃圾清运', en: 'Rubbish collection' },
      { code: 'env.sewage', zh: '污水外溢', en: 'Sewage overflow' },
      { code: 'env.greenery', zh: '绿化养护', en: 'Greenery upkeep' },
    ],
  },
  {
    code: 'property',
    zh: '物业服务',
    en: 'Property services',
    sla: [wh(4), wd(3), wd(1)],
    children: [
      { code: 'property.repair', zh: '物业报修', en: 'Property repairs', urgent: true, sla: [min(15), wh(8), wd(1)] },
      { code: 'property.service', zh: '物业服务质量', en: 'Quality of property service' },
    ],
  },
  { code: 'dispute', zh: '邻里纠纷', en: 'Neighbour disputes', sla: [wh(4), wd(5), wd(2)] },
  { code: 'parking', zh: '停车管理', en: 'Parking', sla: [wh(2), wd(2), wd(1)] },
  { code: 'illegal_build', zh: '违章搭建', en: 'Illegal building', sla: [wh(4), wd(10), wd(2)] },
  { code: 'safety', zh: '安全隐患', en: 'Safety hazards', urgent: true, sla: [min(30), wh(8), wd(1)] },
  { code: 'facility', zh: '设施损坏', en: 'Damaged facilities', sla: [wh(4), wd(3), wd(1)] },
  { code: 'care', zh: '养老助残', en: 'Elderly and disability care', sla: [wh(4), wd(3), wd(1)] },
  { code: 'other', zh: '其他', en: 'Other', sla: [wh(4), wd(5), wd(2)] },
];

/** Digital-city event classes (事件): working-hour deadlines as in the city-management standards. */
const EVENTS: Node[] = [
  {
    code: 'ev.cityscape',
    zh: '市容环境',
    en: 'Cityscape and environment',
    sla: [wh(1), wh(4), wh(2)],
    children: [
      { code: 'ev.cityscape.litter', zh: '暴露垃圾', en: 'Exposed rubbish' },
      { code: 'ev.cityscape.muck', zh: '积存垃圾渣土', en: 'Piled rubbish and muck' },
      { code: 'ev.cityscape.road_dirty', zh: '道路不洁', en: 'Dirty road' },
      { code: 'ev.cityscape.water_dirty', zh: '水域不洁', en: 'Dirty water surface' },
    ],
  },
  {
    code: 'ev.ads',
    zh: '宣传广告',
    en: 'Advertising',
    sla: [wh(1), wh(8), wh(2)],
    children: [
      { code: 'ev.ads.flyers', zh: '非法小广告', en: 'Illegal flyers' },
      { code: 'ev.ads.signboards', zh: '违章张贴悬挂广告牌匾', en: 'Illegal signboards' },
    ],
  },
  {
    code: 'ev.construction',
    zh: '施工管理',
    en: 'Construction',
    sla: [wh(1), wh(8), wh(2)],
    children: [
      { code: 'ev.construction.noise', zh: '施工扰民', en: 'Construction noise' },
      { code: 'ev.construction.dust', zh: '工地扬尘', en: 'Construction dust' },
      { code: 'ev.construction.spill', zh: '道路遗撒', en: 'Spills on the road' },
    ],
  },
  {
    code: 'ev.street',
    zh: '街面秩序',
    en: 'Street order',
    sla: [wh(1), wh(4), wh(2)],
    children: [
      { code: 'ev.street.vendors', zh: '无照经营游商', en: 'Unlicensed street vendors' },
      { code: 'ev.street.outside', zh: '店外经营', en: 'Trading outside the shop' },
      { code: 'ev.street.parking', zh: '机动车乱停放', en: 'Illegal parking' },
    ],
  },
  {
    code: 'ev.emergency',
    zh: '突发事件',
    en: 'Emergencies',
    urgent: true,
    sla: [min(15), min(240), wh(2)],
    children: [
      { code: 'ev.emergency.collapse', zh: '路面塌陷', en: 'Road collapse' },
      { code: 'ev.emergency.water_pipe', zh: '自来水管破裂', en: 'Burst water main' },
      { code: 'ev.emergency.drain', zh: '下水道堵塞或破损', en: 'Blocked or broken drain' },
    ],
  },
];

function flatten(
  nodes: Node[],
  cls: 'community' | 'event',
  parent: Node | null,
  out: repo.CategorySeed[],
): repo.CategorySeed[] {
  for (const [i, n] of nodes.entries()) {
    const urgent = n.urgent ?? parent?.urgent ?? false;
    const sla = n.sla ?? parent?.sla ?? [null, null, null];
    out.push({
      code: n.code,
      parentCode: parent?.code ?? null,
      nameZh: n.zh,
      nameEn: n.en,
      class: cls,
      urgent,
      responseSla: sla[0],
      handleSla: sla[1],
      verifySla: sla[2],
      sort: (i + 1) * 10,
    });
    if (n.children) flatten(n.children, cls, { ...n, urgent, sla }, out);
  }
  return out;
}

export const BUILTIN_CASE_CATEGORIES: readonly repo.CategorySeed[] = [
  ...flatten(COMMUNITY, 'community', null, []),
  ...flatten(EVENTS, 'event', null, []),
];

/** Seeds the built-in categories that are missing (idempotent; parents before children). */
export async function ensureBuiltinCaseCategories(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    for (const c of BUILTIN_CASE_CATEGORIES) await repo.insertCategoryIfMissing(tx, c);
  });
}
