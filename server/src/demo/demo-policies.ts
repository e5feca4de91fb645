/**
 * Demo policies (政策找人): the new resident facts on the demo residents (户籍类型, 收入档次, 残疾等级), five
 * realistic policies with their legal references, and one finished run over the demo county so that the lists,
 * candidates and "my tasks" hold something at first start. Once (skipped when the first policy exists).
 */

import { todayShanghai } from '../modules/people/people.service.js';
import { registerPolicyHooks } from '../modules/policies/policies.hooks.js';
import * as repo from '../modules/policies/policies.repo.js';
import { createPolicy, setStatus } from '../modules/policies/policies.service.js';
import type { Rule } from '../modules/policies/rules.logic.js';
import { executeRun } from '../modules/policies/runs.service.js';
import { systemCtx } from '../platform/access/context.js';
import type { Db } from '../platform/db/client.js';
import { DEMO_COUNTY } from './demo-region.js';

const LOCAL = { field: 'hukou_type', op: 'in', value: ['local_urban', 'local_rural'] };

export const DEMO_POLICIES = [
  {
    code: 'old_age_allowance',
    name: '高龄津贴',
    legalRef: '《中华人民共和国老年人权益保障法》第三十三条；《山东省老年人权益保障条例》第二十六条（高龄津贴制度）',
    handledBy: '民政办',
    description: '对80周岁以上本地户籍老年人按月发放高龄津贴。',
    residentText: '年满80周岁的本地户籍老年人，可按月领取高龄津贴，由本人或家属持身份证、户口簿到社区申请。',
    rule: {
      all: [{ field: 'age', op: '>=', value: 80 }, LOCAL, { not: { policy: 'old_age_allowance', state: 'receiving' } }],
    },
  },
  {
    code: 'elderly_alone_care',
    name: '独居老人关爱服务',
    legalRef: '《中华人民共和国老年人权益保障法》第三十七条；民政部等《关于加强农村留守老年人关爱服务工作的意见》',
    handledBy: '社区居委会',
    description: '对60周岁以上独居老人定期探访、提供紧急呼叫和助餐等关爱服务。',
    residentText: '独自居住的60岁以上老人，可登记接受定期探访、紧急呼叫和助餐等关爱服务。',
    rule: {
      all: [
        { field: 'lives_alone', op: '=', value: true },
        { field: 'age', op: '>=', value: 60 },
      ],
    },
  },
  {
    code: 'disabled_living_allowance',
    name: '困难残疾人生活补贴',
    legalRef: '《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）',
    handledBy: '残联',
    description: '对低保家庭及低收入家庭中的残疾人发放生活补贴。',
    residentText: '持有残疾人证且家庭为低保或低收入的，可申请困难残疾人生活补贴。',
    rule: {
      all: [
        { field: 'disability_grade', op: 'not_null' },
        { field: 'income_band', op: 'in', value: ['subsistence', 'low'] },
      ],
    },
  },
  {
    code: 'severe_disability_care',
    name: '重度残疾人护理补贴',
    legalRef: '《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）',
    handledBy: '残联',
    description: '对残疾等级为一级、二级且需要长期照护的重度残疾人发放护理补贴。',
    residentText: '残疾等级为一级或二级的重度残疾人，可申请护理补贴。',
    rule: { field: 'disability_grade', op: 'between', value: [1, 2] },
  },
  {
    code: 'basic_pension_reminder',
    name: '城乡居民基本养老保险待遇领取提醒',
    legalRef: '《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）',
    handledBy: '社保所',
    description: '年满60周岁、本地户籍、尚未领取待遇的城乡居民，提醒其办理养老金领取手续。',
    residentText: '年满60周岁的本地户籍居民，可按月领取城乡居民基本养老保险待遇，请携带身份证到社保所办理。',
    rule: {
      all: [
        { field: 'age', op: '>=', value: 60 },
        LOCAL,
        { not: { policy: 'basic_pension_reminder', state: 'receiving' } },
      ],
    },
  },
];

/** Loads the demo policies and their first run; null when already loaded. */
export async function loadDemoPolicies(db: Db): Promise<{ residents: number; policies: number; runId: number } | null> {
  if (await repo.policyIdByCode(db, DEMO_POLICIES[0]!.code)) return null;
  // the run tells grid workers of new candidates: its notification kind must exist before the app registers it
  registerPolicyHooks();
  const [county] = await db.query<{ id: number; path: string; county_id: number }>(
    `SELECT id, path, county_id FROM org_nodes WHERE type = 'county' AND code = $1`,
    [DEMO_COUNTY.code],
  );
  if (!county) return null;
  // The facts, spread over the residents by id: most local urban, some rural, a few from elsewhere; incomes from
  // subsistence to high; disability grades for those tagged disabled and a few others.
  const facts = await db.query<{ id: number }>(
    `UPDATE residents r SET
       hukou_type = CASE WHEN r.id % 10 < 6 THEN 'local_urban' WHEN r.id % 10 < 9 THEN 'local_rural' ELSE 'nonlocal' END,
       income_band = CASE r.id % 12 WHEN 0 THEN 'subsistence' WHEN 1 THEN 'low' WHEN 2 THEN 'low'
                       WHEN 3 THEN 'lower_middle' WHEN 4 THEN 'lower_middle' WHEN 10 THEN 'high' WHEN 11 THEN 'high'
                       ELSE 'middle' END,
       disability_grade = CASE
         WHEN EXISTS (SELECT 1 FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
                      WHERE rt.resident_id = r.id AND t.code = 'disabled') THEN (r.id % 4 + 1)::smallint
         WHEN r.id % 41 = 0 THEN (r.id % 2 + 1)::smallint
         ELSE NULL END
     WHERE r.node_path LIKE $1 || '%' AND r.hukou_type IS NULL
     RETURNING r.id`,
    [county.path],
  );
  const ctx = systemCtx('demo');
  for (const p of DEMO_POLICIES) {
    const created = await createPolicy({ db }, ctx, { ...p, rule: p.rule as Rule, validFrom: '2024-01-01' });
    await setStatus({ db }, ctx, created.id, { status: 'active' });
  }
  const runId = await repo.insertRun(db, {
    countyId: county.county_id,
    nodeId: county.id,
    nodePath: county.path,
    trigger: 'nightly',
    policyId: null,
    asOf: todayShanghai(),
    startedBy: null,
  });
  await executeRun(db, runId);
  return { residents: facts.length, policies: DEMO_POLICIES.length, runId };
}
