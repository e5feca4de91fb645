/**
 * The metrics computed from real work into metric_values (pinned contract; the web imports this file, so it holds
 * data only). `kind`: a count (num, den null), a rate (num/den, shown as a percentage), an average (num/den).
 * `higherBetter`: the default direction an assessment item takes. `subjects`: who the metric is computed for.
 */
export type MetricKind = 'count' | 'rate' | 'average';
export type MetricSubject = 'node' | 'user' | 'department';

export type MetricDef = {
  kind: MetricKind;
  higherBetter: boolean;
  subjects: readonly MetricSubject[];
  zh: string;
  en: string;
  /** How it is computed, for the console's explanation (zh-CN). */
  doc: string;
};

export const METRICS = {
  cases_received: {
    kind: 'count',
    higherBetter: true,
    subjects: ['node', 'user', 'department'],
    zh: '受理事件数',
    en: 'Cases received',
    doc: '期内派遣（或受理）到该网格、人员、部门的事件数',
  },
  cases_closed: {
    kind: 'count',
    higherBetter: true,
    subjects: ['node', 'user', 'department'],
    zh: '办结事件数',
    en: 'Cases closed',
    doc: '期内办结的事件数',
  },
  cases_on_time_rate: {
    kind: 'rate',
    higherBetter: true,
    subjects: ['node', 'user', 'department'],
    zh: '按时办结率',
    en: 'Closed on time',
    doc: '期内办结的事件中，在办理时限内办结的比例',
  },
  cases_overdue: {
    kind: 'count',
    higherBetter: false,
    subjects: ['node', 'user', 'department'],
    zh: '超期事件数',
    en: 'Overdue cases',
    doc: '期末仍未办结且已超过办理时限的事件数',
  },
  cases_rework_rate: {
    kind: 'rate',
    higherBetter: false,
    subjects: ['node', 'user', 'department'],
    zh: '返工率',
    en: 'Rework rate',
    doc: '期内办结的事件中，曾被退回重办的比例',
  },
  cases_satisfaction: {
    kind: 'average',
    higherBetter: true,
    subjects: ['node', 'user', 'department'],
    zh: '群众满意度',
    en: 'Satisfaction',
    doc: '期内评价的事件的平均评分（1–5 分）',
  },
  visits_on_time_rate: {
    kind: 'rate',
    higherBetter: true,
    subjects: ['node', 'user'],
    zh: '走访按时完成率',
    en: 'Visits on time',
    doc: '期内到期的走访任务中，按时完成的比例',
  },
  household_coverage: {
    kind: 'rate',
    higherBetter: true,
    subjects: ['node', 'user'],
    zh: '入户覆盖率',
    en: 'Household coverage',
    doc: '期内被走访过的在册户数占在册户数的比例',
  },
  alarms_ack_rate: {
    kind: 'rate',
    higherBetter: true,
    subjects: ['node', 'user'],
    zh: '预警及时确认率',
    en: 'Alarms acknowledged in time',
    doc: '期内产生的预警中，在规定时间内被确认的比例',
  },
  data_freshness: {
    kind: 'rate',
    higherBetter: true,
    subjects: ['node'],
    zh: '数据鲜活度',
    en: 'Data freshness',
    doc: '期末在册居民中，近 6 个月内信息被更新或所在户被走访的比例',
  },
  activities_held: {
    kind: 'count',
    higherBetter: true,
    subjects: ['node'],
    zh: '志愿活动场次',
    en: 'Activities held',
    doc: '期内结束的志愿活动场次',
  },
  volunteer_hours: {
    kind: 'count',
    higherBetter: true,
    subjects: ['node'],
    zh: '志愿服务时长（小时）',
    en: 'Volunteer hours',
    doc: '期内活动签到与时间银行确认的服务时长之和',
  },
  points_issued: {
    kind: 'count',
    higherBetter: true,
    subjects: ['node'],
    zh: '发放积分',
    en: 'Points issued',
    doc: '期内从发行账户转给居民和家庭的积分（冲正扣除）',
  },
} as const satisfies Record<string, MetricDef>;
export type MetricCode = keyof typeof METRICS;
export const METRIC_CODES = Object.keys(METRICS) as MetricCode[];

export type PeriodKind = 'week' | 'month' | 'quarter';
