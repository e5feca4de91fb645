import { type Static, Type } from 'typebox';
import { Id, Nullable, Text, Timestamp } from '../../platform/http/schemas.js';

/**
 * The devices and alarms API's shapes (智能设备与预警): the registry, rules, alarms, the messages devices send over
 * MQTT or HTTP, and telemetry read back for charts. The web imports these as types (web/src/api-types.ts).
 */

// ---- vocabularies ---------------------------------------------------------------------------------------------

export const BUILTIN_DEVICE_TYPES = [
  'water_meter',
  'bracelet',
  'sos_button',
  'smoke_detector',
  'door_sensor',
  'ai_camera',
  'smart_bin',
] as const;
export type BuiltinDeviceType = (typeof BUILTIN_DEVICE_TYPES)[number];

export const DEVICE_STATUSES = ['active', 'disabled', 'retired'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export const RULE_KINDS = ['threshold', 'no_use', 'high_use', 'silent', 'event'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SeveritySchema = Type.Enum([...SEVERITIES]);

export const LADDER_LEVELS = ['family', 'grid', 'community', 'street'] as const;
export type LadderLevel = (typeof LADDER_LEVELS)[number];

export const ALARM_STATUSES = ['active', 'acknowledged', 'resolved'] as const;
export type AlarmStatus = (typeof ALARM_STATUSES)[number];
export const AlarmStatusSchema = Type.Enum([...ALARM_STATUSES]);

/** What a person chooses on resolving; auto_cleared is the system's own (a rule that resolves by itself). */
export const ALARM_OUTCOMES = ['false_alarm', 'person_safe', 'help_given', 'emergency_called'] as const;
export type AlarmOutcome = (typeof ALARM_OUTCOMES)[number] | 'auto_cleared';

export const DEAD_LETTER_REASONS = [
  'invalid_json',
  'invalid_message',
  'unknown_device',
  'device_disabled',
  'bad_credentials',
  'forbidden_topic',
  'unknown_metric',
  'unknown_event',
  'value_out_of_range',
  'timestamp_future',
  'timestamp_past',
  'throttled',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

/** MQTT topics: a device publishes only to its own. */
export const TOPIC_PREFIX = 'linli';
export const telemetryTopic = (deviceId: number) => `${TOPIC_PREFIX}/${deviceId}/telemetry`;
export const eventTopic = (deviceId: number) => `${TOPIC_PREFIX}/${deviceId}/event`;
/** The shared subscription group several Linli instances split the stream with on an external broker. */
export const SHARED_GROUP = 'linli';

/** Live topic of the alarm centre (permission devices.read over the alarm's node). */
export const ALARMS_TOPIC = 'alarms';
/** Live topic of device online/offline changes (permission devices.read over the device's node). */
export const DEVICES_TOPIC = 'devices';

// ---- device types -------------------------------------------------------------------------------------------

export const MetricDef = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }),
  nameZh: Text({ minLength: 1, maxLength: 40 }),
  nameEn: Text({ minLength: 1, maxLength: 80 }),
  unit: Text({ maxLength: 16 }),
  /** Values outside [min, max] are absurd and go to the dead-letter table. */
  min: Type.Number(),
  max: Type.Number(),
  /** A running total (a water meter's register): use over a window is last minus first. */
  cumulative: Type.Optional(Type.Boolean()),
});
export type MetricDef = Static<typeof MetricDef>;

export const EventDef = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }),
  nameZh: Text({ minLength: 1, maxLength: 40 }),
  nameEn: Text({ minLength: 1, maxLength: 80 }),
});
export type EventDef = Static<typeof EventDef>;

export const DeviceType = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  /** In the caller's language. */
  name: Type.String(),
  builtin: Type.Boolean(),
  metrics: Type.Array(MetricDef),
  events: Type.Array(EventDef),
  reportIntervalS: Type.Integer(),
  active: Type.Boolean(),
  sort: Type.Integer(),
  deviceCount: Type.Integer(),
});
export type DeviceType = Static<typeof DeviceType>;

export const DeviceTypeCreate = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
    nameZh: Text({ minLength: 1, maxLength: 40, trim: true }),
    nameEn: Text({ minLength: 1, maxLength: 80, trim: true }),
    metrics: Type.Array(MetricDef, { maxItems: 20 }),
    events: Type.Array(EventDef, { maxItems: 20 }),
    reportIntervalS: Type.Integer({ minimum: 1, maximum: 86400 }),
    sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  },
  { additionalProperties: false },
);
export type DeviceTypeCreate = Static<typeof DeviceTypeCreate>;

/** Built-in types keep their code, metrics and events; names, interval, sort and active may change. */
export const DeviceTypePatch = Type.Partial(
  Type.Object({
    nameZh: Text({ minLength: 1, maxLength: 40, trim: true }),
    nameEn: Text({ minLength: 1, maxLength: 80, trim: true }),
    metrics: Type.Array(MetricDef, { maxItems: 20 }),
    events: Type.Array(EventDef, { maxItems: 20 }),
    reportIntervalS: Type.Integer({ minimum: 1, maximum: 86400 }),
    sort: Type.Integer({ minimum: 0, maximum: 10000 }),
    active: Type.Boolean(),
  }),
  { additionalProperties: false },
);
export type DeviceTypePatch = Static<typeof DeviceTypePatch>;

// ---- rules --------------------------------------------------------------------------------------------------

const Hhmm = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });

/** threshold: a reading of `metric` below `below` or above `above` (either or both). */
export const ThresholdParams = Type.Object(
  { metric: Type.String(), below: Type.Optional(Type.Number()), above: Type.Optional(Type.Number()) },
  { additionalProperties: false },
);
/**
 * no_use: less than `minUse` (in the metric's unit, e.g. litres) used over the last `windowHours` of non-quiet time
 * (the window stretches back over quiet hours, e.g. 22:00–06:00, and the rule never fires inside them).
 */
export const NoUseParams = Type.Object(
  {
    metric: Type.String(),
    windowHours: Type.Number({ exclusiveMinimum: 0, maximum: 72 }),
    minUse: Type.Number({ minimum: 0 }),
    quietStart: Type.Optional(Hhmm),
    quietEnd: Type.Optional(Hhmm),
  },
  { additionalProperties: false },
);
/** high_use: more than `maxUse` used within the last `windowMinutes` (a leak, a fall in the shower). */
export const HighUseParams = Type.Object(
  {
    metric: Type.String(),
    windowMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
    maxUse: Type.Number({ exclusiveMinimum: 0 }),
  },
  { additionalProperties: false },
);
/** silent: nothing heard from the device for `minutes` (offline). */
export const SilentParams = Type.Object(
  { minutes: Type.Integer({ minimum: 1, maximum: 10080 }) },
  { additionalProperties: false },
);
/** event: one of `events` arrived (SOS pressed, smoke, high-altitude throwing, e-bike in lift, bin full). */
export const EventParams = Type.Object(
  { events: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }), { minItems: 1, maxItems: 20 }) },
  { additionalProperties: false },
);
export type ThresholdParams = Static<typeof ThresholdParams>;
export type NoUseParams = Static<typeof NoUseParams>;
export type HighUseParams = Static<typeof HighUseParams>;
export type SilentParams = Static<typeof SilentParams>;
export type EventParams = Static<typeof EventParams>;
export type RuleParamsByKind = {
  threshold: ThresholdParams;
  no_use: NoUseParams;
  high_use: HighUseParams;
  silent: SilentParams;
  event: EventParams;
};
export const RuleParams = Type.Union([ThresholdParams, NoUseParams, HighUseParams, SilentParams, EventParams]);
export type RuleParams = Static<typeof RuleParams>;

export const LadderStep = Type.Object(
  {
    level: Type.Enum([...LADDER_LEVELS]),
    /** Minutes after the alarm was raised, if it is still unacknowledged. */
    afterMin: Type.Integer({ minimum: 0, maximum: 1440 }),
  },
  { additionalProperties: false },
);
export type LadderStep = Static<typeof LadderStep>;
export const Ladder = Type.Array(LadderStep, { maxItems: 4 });

export const DeviceRule = Type.Object({
  id: Type.Integer(),
  typeCode: Type.String(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  name: Type.String(),
  kind: Type.Enum([...RULE_KINDS]),
  params: Type.Record(Type.String(), Type.Unknown()),
  severity: SeveritySchema,
  ladder: Type.Array(LadderStep),
  autoResolve: Type.Boolean(),
  builtin: Type.Boolean(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
});
export type DeviceRule = Static<typeof DeviceRule>;

export const DeviceRuleCreate = Type.Object(
  {
    typeCode: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
    nameZh: Text({ minLength: 1, maxLength: 40, trim: true }),
    nameEn: Text({ minLength: 1, maxLength: 80, trim: true }),
    kind: Type.Enum([...RULE_KINDS]),
    /** Checked against the kind's params schema (the error names the field, e.g. params.windowHours). */
    params: Type.Record(Type.String(), Type.Unknown()),
    severity: SeveritySchema,
    ladder: Ladder,
    autoResolve: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DeviceRuleCreate = Static<typeof DeviceRuleCreate>;

export const DeviceRulePatch = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    nameZh: Type.Optional(Text({ minLength: 1, maxLength: 40, trim: true })),
    nameEn: Type.Optional(Text({ minLength: 1, maxLength: 80, trim: true })),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    severity: Type.Optional(SeveritySchema),
    ladder: Type.Optional(Ladder),
    autoResolve: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DeviceRulePatch = Static<typeof DeviceRulePatch>;

/** A per-person override: params merged over the rule's, or the rule off for that person. */
export const RuleOverride = Type.Object({
  ruleId: Type.Integer(),
  residentId: Type.Integer(),
  params: Type.Record(Type.String(), Type.Unknown()),
  enabled: Type.Boolean(),
  note: Nullable(Type.String()),
  updatedAt: Timestamp,
});
export type RuleOverride = Static<typeof RuleOverride>;
export const RuleOverridePut = Type.Object(
  {
    params: Type.Record(Type.String(), Type.Unknown()),
    enabled: Type.Boolean(),
    note: Type.Optional(Nullable(Text({ maxLength: 200, trim: true }))),
  },
  { additionalProperties: false },
);
export type RuleOverridePut = Static<typeof RuleOverridePut>;

/**
 * A rule as it applies to one device at ingest and in the timed evaluator: the type's rule with the watched
 * person's override merged in (a rule switched off for them is left out).
 */
export type EffectiveRule = {
  id: number;
  code: string;
  kind: RuleKind;
  params: RuleParams;
  severity: Severity;
  autoResolve: boolean;
};

// ---- away switch --------------------------------------------------------------------------------------------

export const Away = Type.Object({
  residentId: Type.Integer(),
  fromAt: Timestamp,
  untilAt: Nullable(Timestamp),
  reason: Nullable(Type.String()),
  setBy: Nullable(Type.String()),
  setAt: Timestamp,
});
export type Away = Static<typeof Away>;
export const AwayPut = Type.Object(
  {
    /** Absent: until switched off. */
    untilAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    reason: Type.Optional(Nullable(Text({ maxLength: 100, trim: true }))),
  },
  { additionalProperties: false },
);
export type AwayPut = Static<typeof AwayPut>;

// ---- devices ------------------------------------------------------------------------------------------------

export const DeviceListItem = Type.Object({
  id: Type.Integer(),
  typeCode: Type.String(),
  typeName: Type.String(),
  serial: Type.String(),
  name: Nullable(Type.String()),
  nodeId: Type.Integer(),
  /** The node's name with its parents down from the community, e.g. 东关社区 / 第一网格 / 3号楼. */
  placeName: Type.String(),
  houseId: Nullable(Type.Integer()),
  houseLabel: Nullable(Type.String()),
  residentId: Nullable(Type.Integer()),
  /** Masked as the caller may see it (e.g. 张*). */
  residentName: Nullable(Type.String()),
  status: Type.Enum([...DEVICE_STATUSES]),
  /** Heard from within 2 × the type's report interval (at least 10 minutes). */
  online: Type.Boolean(),
  lastSeenAt: Nullable(Timestamp),
  openAlarms: Type.Integer(),
  installedOn: Nullable(Type.String({ format: 'date' })),
});
export type DeviceListItem = Static<typeof DeviceListItem>;

export const DeviceListQuery = Type.Object(
  {
    nodeId: Type.Optional(Id),
    typeCode: Type.Optional(Type.String({ maxLength: 40 })),
    status: Type.Optional(Type.Enum([...DEVICE_STATUSES])),
    online: Type.Optional(Type.Boolean()),
    residentId: Type.Optional(Id),
    /** Serial or name. */
    q: Type.Optional(Text({ maxLength: 64, trim: true })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export type DeviceListQuery = Static<typeof DeviceListQuery>;

/** Devices by building under a node: the console's "device list by building". */
export const BuildingDevices = Type.Object({
  nodeId: Type.Integer(),
  placeName: Type.String(),
  total: Type.Integer(),
  online: Type.Integer(),
  offline: Type.Integer(),
  openAlarms: Type.Integer(),
});
export type BuildingDevices = Static<typeof BuildingDevices>;

export const DeviceDetail = Type.Intersect([
  DeviceListItem,
  Type.Object({
    location: Nullable(Type.String()),
    lat: Nullable(Type.Number()),
    lng: Nullable(Type.Number()),
    secretPrefix: Type.String(),
    secretRotatedAt: Timestamp,
    metrics: Type.Array(MetricDef),
    events: Type.Array(EventDef),
    /** The rules that apply to it, with the watched person's overrides merged in. */
    rules: Type.Array(
      Type.Object({ rule: DeviceRule, override: Nullable(RuleOverride), effectiveParams: Type.Unknown() }),
    ),
    away: Nullable(Away),
    version: Type.Integer(),
    createdAt: Timestamp,
  }),
]);
export type DeviceDetail = Static<typeof DeviceDetail>;

export const DeviceCreate = Type.Object(
  {
    typeCode: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
    serial: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }),
    name: Type.Optional(Nullable(Text({ maxLength: 60, trim: true }))),
    /** Where it is installed: a building, unit, grid … (inside the caller's area). */
    nodeId: Id,
    houseId: Type.Optional(Nullable(Id)),
    residentId: Type.Optional(Nullable(Id)),
    installedOn: Type.Optional(Nullable(Type.String({ format: 'date' }))),
    location: Type.Optional(Nullable(Text({ maxLength: 100, trim: true }))),
    lat: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
    lng: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
  },
  { additionalProperties: false },
);
export type DeviceCreate = Static<typeof DeviceCreate>;

export const DevicePatch = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Nullable(Text({ maxLength: 60, trim: true }))),
    nodeId: Type.Optional(Id),
    houseId: Type.Optional(Nullable(Id)),
    residentId: Type.Optional(Nullable(Id)),
    installedOn: Type.Optional(Nullable(Type.String({ format: 'date' }))),
    location: Type.Optional(Nullable(Text({ maxLength: 100, trim: true }))),
    lat: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
    lng: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
    status: Type.Optional(Type.Enum([...DEVICE_STATUSES])),
  },
  { additionalProperties: false },
);
export type DevicePatch = Static<typeof DevicePatch>;

/** Shown once, at creation and at each rotation: the secret is kept only as a hash. */
export const DeviceCredentials = Type.Object({
  deviceId: Type.Integer(),
  /** MQTT username: the device id as text. */
  username: Type.String(),
  /** MQTT password, and the HTTP bearer token. */
  token: Type.String(),
  telemetryTopic: Type.String(),
  eventTopic: Type.String(),
  /** POST here with `Authorization: Bearer <token>`. */
  httpUrl: Type.String(),
});
export type DeviceCredentials = Static<typeof DeviceCredentials>;

export const DeviceCreated = Type.Object({ device: DeviceDetail, credentials: DeviceCredentials });
export type DeviceCreated = Static<typeof DeviceCreated>;

export const DeviceImportError = Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() });
/** An import is all or nothing: any error and nothing is created. */
export const DeviceImportResult = Type.Object({
  created: Type.Integer(),
  errors: Type.Array(DeviceImportError),
  /** The new devices' credentials, shown once (the console offers them as a file to download). */
  credentials: Type.Array(Type.Intersect([DeviceCredentials, Type.Object({ serial: Type.String() })])),
});
export type DeviceImportResult = Static<typeof DeviceImportResult>;

// ---- messages from devices ------------------------------------------------------------------------------------

/**
 * What a device publishes (JSON) to linli/<id>/telemetry or linli/<id>/event, or POSTs. `id`: the device's
 * message id (redelivery of the same id or timestamp is stored once); `ts`: epoch milliseconds or ISO time (absent:
 * the time of receipt). Telemetry carries `values` (metric → number); an event carries `event` and optional `data`.
 */
export const DeviceMessage = Type.Object(
  {
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    ts: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 40 })])),
    values: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }), Type.Number())),
    event: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' })),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type DeviceMessage = Static<typeof DeviceMessage>;

export const IngestResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String(), detail: Type.String() })),
});
export type IngestResult = Static<typeof IngestResult>;

export const DeadLetter = Type.Object({
  id: Type.Integer(),
  receivedAt: Timestamp,
  deviceId: Nullable(Type.Integer()),
  via: Type.Enum(['mqtt', 'http']),
  topic: Nullable(Type.String()),
  reason: Type.String(),
  detail: Nullable(Type.String()),
  payload: Nullable(Type.String()),
  count: Type.Integer(),
});
export type DeadLetter = Static<typeof DeadLetter>;

/** GET /api/device-dead-letters (ingest [A]). */
export const DeadLetterListQuery = Type.Object(
  {
    deviceId: Type.Optional(Id),
    reason: Type.Optional(Type.Enum([...DEAD_LETTER_REASONS])),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export type DeadLetterListQuery = Static<typeof DeadLetterListQuery>;

// ---- telemetry read back --------------------------------------------------------------------------------------

export const TelemetryQuery = Type.Object(
  {
    metric: Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' }),
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    /** auto: raw up to 2 days, hourly beyond. */
    resolution: Type.Optional(Type.Enum(['auto', 'raw', 'hour'])),
  },
  { additionalProperties: false },
);
export type TelemetryQuery = Static<typeof TelemetryQuery>;

export const TelemetrySeries = Type.Object({
  deviceId: Type.Integer(),
  metric: Type.String(),
  unit: Type.String(),
  resolution: Type.Enum(['raw', 'hour']),
  /** raw: one point per reading (value); hour: min / max / avg / last of each hour. */
  points: Type.Array(
    Type.Object({
      t: Timestamp,
      value: Type.Number(),
      min: Type.Optional(Type.Number()),
      max: Type.Optional(Type.Number()),
      avg: Type.Optional(Type.Number()),
    }),
  ),
  /** For a cumulative metric: use within the range (last − first). */
  used: Nullable(Type.Number()),
  truncated: Type.Boolean(),
});
export type TelemetrySeries = Static<typeof TelemetrySeries>;

// ---- alarms ---------------------------------------------------------------------------------------------------

export const AlarmListItem = Type.Object({
  id: Type.Integer(),
  status: AlarmStatusSchema,
  severity: SeveritySchema,
  kind: Type.Enum([...RULE_KINDS]),
  ruleId: Type.Integer(),
  ruleName: Type.String(),
  deviceId: Type.Integer(),
  deviceSerial: Type.String(),
  typeCode: Type.String(),
  typeName: Type.String(),
  nodeId: Type.Integer(),
  placeName: Type.String(),
  houseLabel: Nullable(Type.String()),
  residentId: Nullable(Type.Integer()),
  residentName: Nullable(Type.String()),
  /** One line in the caller's language: 8 小时用水 0.4 升（低于 10 升）/ 心率 150 次/分（高于 120）/ SOS 呼救. */
  summary: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
  firstAt: Timestamp,
  lastAt: Timestamp,
  triggerCount: Type.Integer(),
  /** The ladder level notified last (null before the first step). */
  level: Nullable(Type.Enum([...LADDER_LEVELS])),
  nextStepAt: Nullable(Timestamp),
  acknowledgedAt: Nullable(Timestamp),
  acknowledgedBy: Nullable(Type.String()),
  resolvedAt: Nullable(Timestamp),
  resolvedBy: Nullable(Type.String()),
  outcome: Nullable(Type.Enum([...ALARM_OUTCOMES, 'auto_cleared'])),
  clearedAt: Nullable(Timestamp),
  caseId: Nullable(Type.Integer()),
  version: Type.Integer(),
});
export type AlarmListItem = Static<typeof AlarmListItem>;

export const AlarmListQuery = Type.Object(
  {
    /** open = active or acknowledged. */
    status: Type.Optional(Type.Enum(['open', ...ALARM_STATUSES])),
    severity: Type.Optional(SeveritySchema),
    kind: Type.Optional(Type.Enum([...RULE_KINDS])),
    typeCode: Type.Optional(Type.String({ maxLength: 40 })),
    nodeId: Type.Optional(Id),
    deviceId: Type.Optional(Id),
    residentId: Type.Optional(Id),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export type AlarmListQuery = Static<typeof AlarmListQuery>;

export const AlarmPage = Type.Object({
  items: Type.Array(AlarmListItem),
  total: Type.Integer(),
  /** Open alarms in scope by status and severity, for the centre's header. */
  counts: Type.Object({
    active: Type.Integer(),
    acknowledged: Type.Integer(),
    critical: Type.Integer(),
  }),
});
export type AlarmPage = Static<typeof AlarmPage>;

export const AlarmEvent = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  actor: Nullable(Type.String()),
  action: Type.Enum(['raised', 'notified', 'escalated', 'acknowledged', 'resolved', 'cleared', 'case_opened', 'note']),
  level: Nullable(Type.Enum([...LADDER_LEVELS])),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export type AlarmEvent = Static<typeof AlarmEvent>;

/** The people to call first (the watched person's family contacts, phones masked; revealing is pii.reveal). */
export const AlarmContact = Type.Object({
  contactId: Type.Integer(),
  name: Type.String(),
  relation: Type.String(),
  phoneMasked: Type.String(),
  /** Whether the contact has a Linli account that received the alarm. */
  hasAccount: Type.Boolean(),
});
export type AlarmContact = Static<typeof AlarmContact>;

export const AlarmDetail = Type.Intersect([
  AlarmListItem,
  Type.Object({
    events: Type.Array(AlarmEvent),
    contacts: Type.Array(AlarmContact),
    ladder: Type.Array(LadderStep),
    /** acknowledge | resolve | note | case, as the caller may do now. */
    allowedActions: Type.Array(Type.Enum(['acknowledge', 'resolve', 'note', 'case'])),
  }),
]);
export type AlarmDetail = Static<typeof AlarmDetail>;

export const AlarmAck = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1 })), note: Type.Optional(Text({ maxLength: 500, trim: true })) },
  { additionalProperties: false },
);
export const AlarmResolve = Type.Object(
  {
    outcome: Type.Enum([...ALARM_OUTCOMES]),
    note: Type.Optional(Text({ maxLength: 500, trim: true })),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type AlarmResolve = Static<typeof AlarmResolve>;
export const AlarmNote = Type.Object(
  { text: Text({ minLength: 1, maxLength: 500, trim: true }) },
  { additionalProperties: false },
);
/** Opens a case from the alarm through the cases service (source 'device'), linked both ways. */
export const AlarmCaseCreate = Type.Object(
  {
    categoryId: Id,
    title: Type.Optional(Text({ minLength: 1, maxLength: 100, trim: true })),
    description: Type.Optional(Text({ maxLength: 2000, trim: true })),
  },
  { additionalProperties: false },
);
export type AlarmCaseCreate = Static<typeof AlarmCaseCreate>;

/** Live event on ALARMS_TOPIC. */
export type AlarmLiveEvent = { alarmId: number; status: AlarmStatus; severity: Severity; change: 'raised' | 'updated' };

// ---- the family's side (phone) ----------------------------------------------------------------------------------

/** A person the caller is a family contact of (their phone number is on the person's contact list). */
export const WatchedPerson = Type.Object({
  residentId: Type.Integer(),
  name: Type.String(),
  relation: Type.String(),
  placeName: Type.String(),
  devices: Type.Array(
    Type.Object({
      id: Type.Integer(),
      typeName: Type.String(),
      online: Type.Boolean(),
      lastSeenAt: Nullable(Timestamp),
    }),
  ),
  away: Nullable(Away),
  openAlarms: Type.Integer(),
});
export type WatchedPerson = Static<typeof WatchedPerson>;

// ---- between ingest, the timed evaluator and the alarms service ---------------------------------------------------

/** A rule that fired for a device: raised as a new alarm, or counted on the device's open alarm for that rule. */
export type AlarmTrigger = { deviceId: number; ruleId: number; at: Date; detail: Record<string, unknown> };
