/**
 * The built-in device types (水表, 智能手环, SOS 按钮, 烟感, 门磁, AI 摄像头, 智能垃圾桶) with their metrics and events,
 * and their default rules with escalation ladders. Inserted by code once (missing codes only), so an installation's
 * own edits stay.
 */
import type { Queryable } from '../../platform/db/client.js';
import type { BuiltinDeviceType, EventDef, LadderStep, MetricDef, RuleKind, Severity } from './devices.schemas.js';

type TypeSeed = {
  code: BuiltinDeviceType;
  zh: string;
  en: string;
  reportIntervalS: number;
  metrics: MetricDef[];
  events: EventDef[];
};

type RuleSeed = {
  typeCode: BuiltinDeviceType;
  code: string;
  zh: string;
  en: string;
  kind: RuleKind;
  params: Record<string, unknown>;
  severity: Severity;
  ladder: LadderStep[];
  autoResolve?: boolean;
};

const battery: MetricDef = { key: 'battery', nameZh: '电量', nameEn: 'Battery', unit: '%', min: 0, max: 100 };

export const BUILTIN_TYPES: TypeSeed[] = [
  {
    code: 'water_meter',
    zh: '智能水表',
    en: 'Smart water meter',
    reportIntervalS: 600,
    metrics: [
      {
        key: 'total_l',
        nameZh: '累计用水量',
        nameEn: 'Water used (total)',
        unit: 'L',
        min: 0,
        max: 100_000_000,
        cumulative: true,
      },
      { key: 'flow_lpm', nameZh: '瞬时流量', nameEn: 'Flow', unit: 'L/min', min: 0, max: 200 },
      battery,
    ],
    events: [],
  },
  {
    code: 'bracelet',
    zh: '智能手环',
    en: 'Smart bracelet',
    reportIntervalS: 300,
    metrics: [
      { key: 'heart_rate', nameZh: '心率', nameEn: 'Heart rate', unit: 'bpm', min: 20, max: 250 },
      { key: 'systolic', nameZh: '收缩压', nameEn: 'Systolic pressure', unit: 'mmHg', min: 50, max: 260 },
      { key: 'diastolic', nameZh: '舒张压', nameEn: 'Diastolic pressure', unit: 'mmHg', min: 30, max: 160 },
      { key: 'steps', nameZh: '步数', nameEn: 'Steps', unit: '', min: 0, max: 200_000 },
      battery,
    ],
    events: [],
  },
  {
    code: 'sos_button',
    zh: '紧急呼叫按钮',
    en: 'SOS button',
    reportIntervalS: 3600,
    metrics: [battery],
    events: [{ key: 'sos', nameZh: 'SOS 呼救', nameEn: 'SOS pressed' }],
  },
  {
    code: 'smoke_detector',
    zh: '烟雾报警器',
    en: 'Smoke detector',
    reportIntervalS: 3600,
    metrics: [
      { key: 'smoke_density', nameZh: '烟雾浓度', nameEn: 'Smoke density', unit: '%obs/m', min: 0, max: 100 },
      battery,
    ],
    events: [
      { key: 'smoke', nameZh: '烟雾报警', nameEn: 'Smoke detected' },
      { key: 'low_battery', nameZh: '电量低', nameEn: 'Low battery' },
    ],
  },
  {
    code: 'door_sensor',
    zh: '门磁',
    en: 'Door sensor',
    reportIntervalS: 3600,
    metrics: [battery],
    events: [
      { key: 'open', nameZh: '开门', nameEn: 'Opened' },
      { key: 'close', nameZh: '关门', nameEn: 'Closed' },
    ],
  },
  {
    code: 'ai_camera',
    zh: 'AI 摄像头',
    en: 'AI camera',
    reportIntervalS: 300,
    metrics: [],
    events: [
      { key: 'high_altitude_throwing', nameZh: '高空抛物', nameEn: 'High-altitude throwing' },
      { key: 'ebike_in_lift', nameZh: '电动车进电梯', nameEn: 'E-bike in a lift' },
      { key: 'fire', nameZh: '烟火', nameEn: 'Fire or smoke' },
      { key: 'crowd', nameZh: '人员聚集', nameEn: 'Crowd gathering' },
    ],
  },
  {
    code: 'smart_bin',
    zh: '智能垃圾桶',
    en: 'Smart bin',
    reportIntervalS: 1800,
    metrics: [{ key: 'fill_pct', nameZh: '满溢度', nameEn: 'Fill level', unit: '%', min: 0, max: 100 }],
    events: [{ key: 'bin_full', nameZh: '垃圾桶已满', nameEn: 'Bin full' }],
  },
];

/** Family first, then the grid, the community and the street on duty (minutes after the alarm, unacknowledged). */
const personLadder = (grid: number, community: number, street: number): LadderStep[] => [
  { level: 'family', afterMin: 0 },
  { level: 'grid', afterMin: grid },
  { level: 'community', afterMin: community },
  { level: 'street', afterMin: street },
];
/** Public-space devices watch over nobody: the grid first. */
const placeLadder = (community: number, street: number): LadderStep[] => [
  { level: 'grid', afterMin: 0 },
  { level: 'community', afterMin: community },
  { level: 'street', afterMin: street },
];
const gridOnly: LadderStep[] = [{ level: 'grid', afterMin: 0 }];

const silent = (typeCode: BuiltinDeviceType, minutes: number, zhType: string, enType: string): RuleSeed => ({
  typeCode,
  code: 'silent',
  zh: `${zhType}离线`,
  en: `${enType} offline`,
  kind: 'silent',
  params: { minutes },
  severity: 'minor',
  ladder: gridOnly,
  autoResolve: true,
});
const lowBattery = (typeCode: BuiltinDeviceType): RuleSeed => ({
  typeCode,
  code: 'low_battery',
  zh: '电量低',
  en: 'Battery low',
  kind: 'threshold',
  params: { metric: 'battery', below: 10 },
  severity: 'warning',
  ladder: gridOnly,
});

export const BUILTIN_RULES: RuleSeed[] = [
  {
    typeCode: 'water_meter',
    code: 'no_use',
    zh: '长时间未用水',
    en: 'No water used',
    kind: 'no_use',
    params: { metric: 'total_l', windowHours: 8, minUse: 10, quietStart: '22:00', quietEnd: '06:00' },
    severity: 'major',
    ladder: personLadder(15, 45, 120),
    autoResolve: false,
  },
  {
    typeCode: 'water_meter',
    code: 'high_use',
    zh: '用水量异常偏高',
    en: 'Water use too high',
    kind: 'high_use',
    params: { metric: 'total_l', windowMinutes: 60, maxUse: 300 },
    severity: 'major',
    ladder: personLadder(15, 45, 120),
  },
  silent('water_meter', 60, '水表', 'Water meter'),
  lowBattery('water_meter'),
  {
    typeCode: 'bracelet',
    code: 'heart_rate',
    zh: '心率异常',
    en: 'Heart rate abnormal',
    kind: 'threshold',
    params: { metric: 'heart_rate', below: 45, above: 120 },
    severity: 'critical',
    ladder: personLadder(5, 15, 30),
  },
  {
    typeCode: 'bracelet',
    code: 'systolic_high',
    zh: '血压偏高',
    en: 'Blood pressure high',
    kind: 'threshold',
    params: { metric: 'systolic', above: 160 },
    severity: 'major',
    ladder: personLadder(15, 45, 120),
  },
  silent('bracelet', 30, '手环', 'Bracelet'),
  lowBattery('bracelet'),
  {
    typeCode: 'sos_button',
    code: 'sos',
    zh: 'SOS 呼救',
    en: 'SOS pressed',
    kind: 'event',
    params: { events: ['sos'] },
    severity: 'critical',
    ladder: personLadder(5, 15, 30),
  },
  silent('sos_button', 1440, '呼叫按钮', 'SOS button'),
  lowBattery('sos_button'),
  {
    typeCode: 'smoke_detector',
    code: 'smoke',
    zh: '烟雾报警',
    en: 'Smoke alarm',
    kind: 'event',
    params: { events: ['smoke'] },
    severity: 'critical',
    ladder: personLadder(5, 15, 30),
  },
  {
    typeCode: 'smoke_detector',
    code: 'low_battery',
    zh: '烟感电量低',
    en: 'Smoke detector battery low',
    kind: 'event',
    params: { events: ['low_battery'] },
    severity: 'warning',
    ladder: gridOnly,
  },
  silent('smoke_detector', 1440, '烟感', 'Smoke detector'),
  silent('door_sensor', 1440, '门磁', 'Door sensor'),
  lowBattery('door_sensor'),
  {
    typeCode: 'ai_camera',
    code: 'high_altitude_throwing',
    zh: '高空抛物',
    en: 'High-altitude throwing',
    kind: 'event',
    params: { events: ['high_altitude_throwing'] },
    severity: 'critical',
    ladder: placeLadder(10, 30),
  },
  {
    typeCode: 'ai_camera',
    code: 'ebike_in_lift',
    zh: '电动车进电梯',
    en: 'E-bike in a lift',
    kind: 'event',
    params: { events: ['ebike_in_lift'] },
    severity: 'major',
    ladder: placeLadder(30, 120),
  },
  {
    typeCode: 'ai_camera',
    code: 'fire',
    zh: '烟火识别',
    en: 'Fire or smoke seen',
    kind: 'event',
    params: { events: ['fire'] },
    severity: 'critical',
    ladder: placeLadder(5, 15),
  },
  silent('ai_camera', 30, '摄像头', 'Camera'),
  {
    typeCode: 'smart_bin',
    code: 'bin_full',
    zh: '垃圾桶满溢',
    en: 'Bin full',
    kind: 'event',
    params: { events: ['bin_full'] },
    severity: 'warning',
    ladder: placeLadder(120, 480),
  },
  silent('smart_bin', 240, '垃圾桶', 'Bin'),
];

/** Inserts the missing built-in types and rules (idempotent; edits made since stay). */
export async function ensureBuiltinDeviceTypes(db: Queryable): Promise<void> {
  for (const [i, t] of BUILTIN_TYPES.entries()) {
    await db.query(
      `INSERT INTO device_types (code, name_zh, name_en, builtin, metrics, events, report_interval_s, sort)
       VALUES ($1, $2, $3, true, $4::jsonb, $5::jsonb, $6, $7) ON CONFLICT (code) DO NOTHING`,
      [t.code, t.zh, t.en, JSON.stringify(t.metrics), JSON.stringify(t.events), t.reportIntervalS, (i + 1) * 10],
    );
  }
  for (const r of BUILTIN_RULES) {
    await db.query(
      `INSERT INTO device_rules (type_code, code, name_zh, name_en, kind, params, severity, ladder, auto_resolve, builtin)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb, $9, true) ON CONFLICT (type_code, code) DO NOTHING`,
      [
        r.typeCode,
        r.code,
        r.zh,
        r.en,
        r.kind,
        JSON.stringify(r.params),
        r.severity,
        JSON.stringify(r.ladder),
        r.autoResolve ?? false,
      ],
    );
  }
}
