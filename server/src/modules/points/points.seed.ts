import type { Queryable } from '../../platform/db/client.js';

/**
 * The builtin earning rules (idempotent by code; a rule an administrator changed is left as it is). The conduct
 * score's rule comes disabled: it can be enabled once the conduct score is (points_settings.conduct_enabled).
 */
export const BUILTIN_EARNING_RULES: {
  code: string;
  name: string;
  trigger: string;
  activityType?: string;
  currency?: 'points' | 'hours' | 'conduct';
  amount: number;
  dailyCap?: number;
  monthlyCap?: number;
  enabled?: boolean;
  description: string;
}[] = [
  {
    code: 'case_confirmed',
    name: '随手拍被受理',
    trigger: 'case_confirmed',
    amount: 10,
    dailyCap: 30,
    description: '上报的问题被受理（派遣）后获得',
  },
  {
    code: 'visit_done',
    name: '志愿走访',
    trigger: 'visit_done',
    amount: 5,
    dailyCap: 20,
    description: '党员、楼长等志愿者完成一次走访',
  },
  {
    code: 'garbage_checkin',
    name: '垃圾分类打卡',
    trigger: 'garbage_checkin',
    amount: 2,
    dailyCap: 2,
    description: '垃圾分类投放合格，督导员打卡',
  },
  {
    code: 'volunteer_hour',
    name: '志愿服务每小时',
    trigger: 'volunteer_hour',
    amount: 10,
    description: '每志愿服务一小时',
  },
  {
    code: 'activity_health_walk',
    name: '健步走',
    trigger: 'activity',
    activityType: 'health_walk',
    amount: 5,
    description: '参加健步走活动',
  },
  {
    code: 'activity_choir',
    name: '合唱',
    trigger: 'activity',
    activityType: 'choir',
    amount: 5,
    description: '参加合唱活动',
  },
  {
    code: 'activity_garbage_sorting',
    name: '垃圾分类宣传',
    trigger: 'activity',
    activityType: 'garbage_sorting',
    amount: 5,
    description: '参加垃圾分类宣传活动',
  },
  {
    code: 'activity_volunteer_service',
    name: '志愿服务',
    trigger: 'activity',
    activityType: 'volunteer_service',
    amount: 10,
    description: '参加志愿服务活动',
  },
  {
    code: 'manual_award',
    name: '表彰奖励',
    trigger: 'manual',
    amount: 20,
    description: '社区表彰奖励（由工作人员发放）',
  },
  {
    code: 'conduct_award',
    name: '文明积分表彰',
    trigger: 'manual',
    currency: 'conduct',
    amount: 5,
    enabled: false,
    description: '文明行为加分（启用文明积分后可用）',
  },
];

export async function ensureBuiltinEarningRules(db: Queryable): Promise<void> {
  for (const r of BUILTIN_EARNING_RULES) {
    await db.query(
      `INSERT INTO earning_rules (code, name, description, trigger, activity_type, currency, amount, daily_cap,
         monthly_cap, enabled, builtin)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true) ON CONFLICT (code) DO NOTHING`,
      [
        r.code,
        r.name,
        r.description,
        r.trigger,
        r.activityType ?? null,
        r.currency ?? 'points',
        r.amount,
        r.dailyCap ?? null,
        r.monthlyCap ?? null,
        r.enabled ?? true,
      ],
    );
  }
}
