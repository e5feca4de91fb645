import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/**
 * The grid-work API's shapes (网格工作): visit rules (三到六访), visit tasks, visits, coverage. The 一网三联 links are
 * in links.schemas.ts, the patrol log in patrols.schemas.ts. The web imports these as types (web/src/api-types.ts).
 */

// ---- vocabularies ---------------------------------------------------------------------------------------------

export const RULE_KINDS = ['periodic', 'event'] as const;
export type VisitRuleKind = (typeof RULE_KINDS)[number];
/** 三到六访: 必到 (an emergency, a difficulty, a dispute), 必访 (six situations), and routine visits. */
export const RULE_CATEGORIES = ['must_go', 'must_visit', 'routine'] as const;
export type VisitRuleCategory = (typeof RULE_CATEGORIES)[number];
export const PERIOD_UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];
export const TRIGGERS = ['tag_added', 'resident_deceased', 'case_category', 'alarm_outcome', 'visit_outcome'] as const;
export type VisitTrigger = (typeof TRIGGERS)[number];
export const ASSIGNEE_KINDS = ['grid_worker', 'party_member', 'building_leader'] as const;
export type AssigneeKind = (typeof ASSIGNEE_KINDS)[number];
export const RULE_TARGETS = ['resident', 'household'] as const;
export type RuleTarget = (typeof RULE_TARGETS)[number];

export const TASK_STATUSES = ['open', 'done', 'withdrawn'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const WITHDRAW_REASONS = [
  'tag_removed',
  'moved_out',
  'deceased',
  'household_dissolved',
  'rule_disabled',
  'manual',
] as const;
export type WithdrawReason = (typeof WITHDRAW_REASONS)[number];

/** well: seen and well; needs_help: a case may follow; not_home: an attempt, the task stays open. */
export const VISIT_OUTCOMES = ['well', 'needs_help', 'not_home'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

/** A visit may be dated at most this far back (a phone offline for a long weekend still gets through). */
export const VISIT_MAX_AGE_DAYS = 30;
/** Clock skew allowed between a phone and the server before a visit counts as "in the future". */
export const VISIT_FUTURE_SKEW_MS = 5 * 60_000;

// ---- rules ----------------------------------------------------------------------------------------------------

export const VisitRule = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  kind: Type.Enum([...RULE_KINDS]),
  category: Type.Enum([...RULE_CATEGORIES]),
  /** periodic: whom (a tag) and how often (every `every` `unit`s). */
  tagId: Nullable(Type.Integer()),
  tagName: Nullable(Type.String()),
  every: Nullable(Type.Integer()),
  unit: Nullable(Type.Enum([...PERIOD_UNITS])),
  /** event: what starts a visit, and within how many hours it is due. */
  trigger: Nullable(Type.Enum([...TRIGGERS])),
  triggerTagId: Nullable(Type.Integer()),
  triggerTagName: Nullable(Type.String()),
  triggerCategoryId: Nullable(Type.Integer()),
  triggerCategoryName: Nullable(Type.String()),
  /** alarm_outcome: an alarm outcome (help_given …); visit_outcome: a visit outcome (needs_help …). */
  triggerOutcome: Nullable(Type.String()),
  triggerRuleId: Nullable(Type.Integer()),
  dueHours: Nullable(Type.Integer()),
  assignee: Type.Enum([...ASSIGNEE_KINDS]),
  target: Type.Enum([...RULE_TARGETS]),
  enabled: Type.Boolean(),
  builtin: Type.Boolean(),
  sort: Type.Integer(),
  version: Type.Integer(),
  /** Open tasks the rule has now, for the settings list. */
  openTasks: Type.Integer(),
  updatedAt: Timestamp,
});
export type VisitRule = Static<typeof VisitRule>;

const ruleFields = {
  name: Text({ minLength: 1, maxLength: 50, trim: true }),
  description: Type.Optional(Nullable(Text({ maxLength: 500, trim: true }))),
  category: Type.Optional(Type.Enum([...RULE_CATEGORIES])),
  tagId: Type.Optional(Nullable(Id)),
  /** 0 is refused with VISIT_RULE_FREQUENCY_INVALID (field every), not by the schema, so the message is clear. */
  every: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 366 }))),
  unit: Type.Optional(Nullable(Type.Enum([...PERIOD_UNITS]))),
  trigger: Type.Optional(Nullable(Type.Enum([...TRIGGERS]))),
  triggerTagId: Type.Optional(Nullable(Id)),
  triggerCategoryId: Type.Optional(Nullable(Id)),
  triggerOutcome: Type.Optional(Nullable(Type.String({ maxLength: 40, pattern: '^[a-z_]{1,40}$' }))),
  triggerRuleId: Type.Optional(Nullable(Id)),
  dueHours: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 8784 }))),
  assignee: Type.Optional(Type.Enum([...ASSIGNEE_KINDS])),
  target: Type.Optional(Type.Enum([...RULE_TARGETS])),
  enabled: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
};

export const VisitRuleCreate = Strict({
  code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
  kind: Type.Enum([...RULE_KINDS]),
  ...ruleFields,
});
export type VisitRuleCreate = Static<typeof VisitRuleCreate>;

/** A change: the fields to change and the version read (VISIT_RULE_VERSION_CONFLICT when someone changed it). */
const { name: ruleName, ...optionalRuleFields } = ruleFields;
export const VisitRulePatch = Strict({
  version: Type.Integer({ minimum: 1 }),
  name: Type.Optional(ruleName),
  ...optionalRuleFields,
});
export type VisitRulePatch = Static<typeof VisitRulePatch>;

/** What one generation run did (the rules page's "generate now", the daily job, the benchmark). */
export const GenerationResult = Type.Object({
  created: Type.Integer(),
  withdrawn: Type.Integer(),
  /** Tasks whose assignee changed because the responsible person changed (a new grid worker). */
  reassigned: Type.Integer(),
  ms: Type.Integer(),
});
export type GenerationResult = Static<typeof GenerationResult>;

// ---- tasks ----------------------------------------------------------------------------------------------------

export const VisitTaskListItem = Type.Object({
  id: Type.Integer(),
  ruleId: Type.Integer(),
  ruleName: Type.String(),
  category: Type.Enum([...RULE_CATEGORIES]),
  status: Type.Enum([...TASK_STATUSES]),
  /** open and past its due time. */
  overdue: Type.Boolean(),
  /** The resident (masked name unless the reader sees sensitive data there) or the household's head. */
  residentId: Nullable(Type.Integer()),
  residentName: Nullable(Type.String()),
  householdId: Nullable(Type.Integer()),
  /** "东关社区 / 第一网格 / 1号楼 / 1单元 0301" */
  placeLabel: Type.String(),
  nodeId: Type.Integer(),
  assigneeId: Nullable(Type.Integer()),
  assigneeName: Nullable(Type.String()),
  assigneeKind: Type.Enum([...ASSIGNEE_KINDS]),
  /** Why this task exists, in the reader's language: "独居老人 · 每周" / "住院 · 12月5日" / "事件 SJ20261207-000012". */
  reason: Type.String(),
  periodStart: Nullable(Type.String({ format: 'date' })),
  dueAt: Timestamp,
  attempts: Type.Integer(),
  doneAt: Nullable(Timestamp),
  withdrawnReason: Nullable(Type.Enum([...WITHDRAW_REASONS])),
  createdAt: Timestamp,
});
export type VisitTaskListItem = Static<typeof VisitTaskListItem>;

export const VisitTaskListQuery = Type.Object(
  {
    nodeId: Type.Optional(Id),
    /** open, overdue (open and past due), done, withdrawn. */
    status: Type.Optional(Type.Enum(['open', 'overdue', 'done', 'withdrawn'])),
    ruleId: Type.Optional(Id),
    category: Type.Optional(Type.Enum([...RULE_CATEGORIES])),
    assigneeId: Type.Optional(Id),
    /** Only tasks assigned to the caller. */
    mine: Type.Optional(Type.Boolean()),
    residentId: Type.Optional(Id),
    householdId: Type.Optional(Id),
    dueFrom: Type.Optional(Timestamp),
    dueTo: Type.Optional(Timestamp),
    ...Paging,
  },
  { additionalProperties: false },
);
export type VisitTaskListQuery = Static<typeof VisitTaskListQuery>;

export const VisitTaskPage = Type.Object({
  items: Type.Array(VisitTaskListItem),
  total: Type.Integer(),
  counts: Type.Object({ open: Type.Integer(), overdue: Type.Integer(), dueThisWeek: Type.Integer() }),
});
export type VisitTaskPage = Static<typeof VisitTaskPage>;

// ---- visits ---------------------------------------------------------------------------------------------------

/** Health observations a visitor may note (all optional; the phone offers the common ones). */
export const HealthObservation = Strict({
  systolic: Type.Optional(Type.Integer({ minimum: 40, maximum: 300 })),
  diastolic: Type.Optional(Type.Integer({ minimum: 20, maximum: 200 })),
  heartRate: Type.Optional(Type.Integer({ minimum: 20, maximum: 250 })),
  temperature: Type.Optional(Type.Number({ minimum: 30, maximum: 45 })),
  bloodSugar: Type.Optional(Type.Number({ minimum: 1, maximum: 40 })),
  mood: Type.Optional(Type.Enum(['good', 'fair', 'low'])),
  mobility: Type.Optional(Type.Enum(['independent', 'assisted', 'bedridden'])),
});
export type HealthObservation = Static<typeof HealthObservation>;

export const VisitInput = Strict({
  /** The phone's own id for this visit (a UUID made when it was recorded): a retry returns the same visit. */
  clientId: Type.String({ format: 'uuid' }),
  /** The task visited; or, for a visit without a task (户户到), the resident or the household. */
  taskId: Type.Optional(Id),
  residentId: Type.Optional(Id),
  householdId: Type.Optional(Id),
  /** When the visit happened (the phone's clock); not in the future, at most VISIT_MAX_AGE_DAYS back. */
  visitedAt: Timestamp,
  outcome: Type.Enum([...VISIT_OUTCOMES]),
  note: Type.Optional(Text({ maxLength: 1000, trim: true })),
  health: Type.Optional(HealthObservation),
  /** Photos uploaded with POST /api/files (public ids), at most 9. */
  fileIds: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }), { maxItems: 9 })),
});
export type VisitInput = Static<typeof VisitInput>;

export const VisitListItem = Type.Object({
  id: Type.Integer(),
  taskId: Nullable(Type.Integer()),
  ruleName: Nullable(Type.String()),
  residentId: Nullable(Type.Integer()),
  residentName: Nullable(Type.String()),
  householdId: Nullable(Type.Integer()),
  placeLabel: Type.String(),
  visitorId: Type.Integer(),
  visitorName: Type.String(),
  visitedAt: Timestamp,
  outcome: Type.Enum([...VISIT_OUTCOMES]),
  note: Nullable(Type.String()),
  caseId: Nullable(Type.Integer()),
  photoCount: Type.Integer(),
});
export type VisitListItem = Static<typeof VisitListItem>;

export const VisitDetail = Type.Object({
  ...VisitListItem.properties,
  health: Nullable(HealthObservation),
  caseNo: Nullable(Type.String()),
  /** Photos (files API ids) for thumbnails. */
  files: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), mime: Type.String() })),
  recordedAt: Timestamp,
});
export type VisitDetail = Static<typeof VisitDetail>;

/** POST /api/visits answers 201 with the new visit, or 200 with `duplicate: true` for a visit already recorded. */
export const VisitRecorded = Type.Object({ visit: VisitDetail, duplicate: Type.Boolean() });
export type VisitRecorded = Static<typeof VisitRecorded>;

export const VisitListQuery = Type.Object(
  {
    nodeId: Type.Optional(Id),
    visitorId: Type.Optional(Id),
    residentId: Type.Optional(Id),
    householdId: Type.Optional(Id),
    taskId: Type.Optional(Id),
    outcome: Type.Optional(Type.Enum([...VISIT_OUTCOMES])),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    ...Paging,
  },
  { additionalProperties: false },
);
export type VisitListQuery = Static<typeof VisitListQuery>;

export const VisitPage = Type.Object({ items: Type.Array(VisitListItem), total: Type.Integer() });
export type VisitPage = Static<typeof VisitPage>;

/** "Needs help" → a case in one more tap: the person and the place are the visit's; the category is chosen. */
export const VisitCaseCreate = Strict({
  categoryId: Id,
  title: Type.Optional(Text({ minLength: 1, maxLength: 100, trim: true })),
  description: Type.Optional(Text({ maxLength: 2000, trim: true })),
});
export type VisitCaseCreate = Static<typeof VisitCaseCreate>;

export const VisitTaskDetail = Type.Object({
  ...VisitTaskListItem.properties,
  ruleCode: Type.String(),
  sourceRef: Nullable(Type.String()),
  withdrawnAt: Nullable(Timestamp),
  withdrawnNote: Nullable(Type.String()),
  /** The household's members (names masked as the reader's rights say), for the visitor. */
  members: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      age: Type.Integer(),
      relation: Nullable(Type.String()),
      tags: Type.Array(Type.String()),
    }),
  ),
  /** The visits on this task (attempts too) and the subject's last visits before it. */
  visits: Type.Array(VisitListItem),
  lastVisits: Type.Array(VisitListItem),
  /** What the caller may do: record a visit, reassign, withdraw. */
  can: Type.Object({ visit: Type.Boolean(), assign: Type.Boolean(), withdraw: Type.Boolean() }),
});
export type VisitTaskDetail = Static<typeof VisitTaskDetail>;

export const VisitTaskAssign = Strict({ assigneeId: Id });
export type VisitTaskAssign = Static<typeof VisitTaskAssign>;
export const VisitTaskWithdraw = Strict({ note: Text({ minLength: 2, maxLength: 200, trim: true }) });
export type VisitTaskWithdraw = Static<typeof VisitTaskWithdraw>;

// ---- coverage -------------------------------------------------------------------------------------------------

export const CoverageQuery = Type.Object(
  {
    /** The area (default: the caller's); rows are its children down to grids, and its workers. */
    nodeId: Type.Optional(Id),
    period: Type.Optional(Type.Enum(['week', 'month'])),
    /** A day inside the period (default today, Asia/Shanghai). */
    at: Type.Optional(Type.String({ format: 'date' })),
    /** 户户到: households not visited in this many months count as unvisited (default 6). [C: added] */
    months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36 })),
  },
  { additionalProperties: false },
);
export type CoverageQuery = Static<typeof CoverageQuery>;

const coverageFigures = {
  /** Tasks due in the period, withdrawn ones not counted. */
  required: Type.Integer(),
  doneOnTime: Type.Integer(),
  doneLate: Type.Integer(),
  /** Open and past due now. */
  overdue: Type.Integer(),
  /** doneOnTime / required, 0..1; null when nothing was required. */
  onTimeRate: Nullable(Type.Number()),
  visits: Type.Integer(),
};

export const CoverageRow = Type.Object({
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  nodeType: Type.String(),
  ...coverageFigures,
  households: Type.Integer(),
  /** Households with no visit in the last `months` (default 6) months: 户户到's gap. */
  householdsUnvisited: Type.Integer(),
});
export type CoverageRow = Static<typeof CoverageRow>;

export const CoverageWorkerRow = Type.Object({
  userId: Nullable(Type.Integer()),
  /** null userId: tasks nobody is assigned to (a grid without a worker). */
  name: Type.String(),
  ...coverageFigures,
});
export type CoverageWorkerRow = Static<typeof CoverageWorkerRow>;

export const Coverage = Type.Object({
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  period: Type.Enum(['week', 'month']),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  totals: Type.Object({ ...coverageFigures, households: Type.Integer(), householdsUnvisited: Type.Integer() }),
  rows: Type.Array(CoverageRow),
  workers: Type.Array(CoverageWorkerRow),
});
export type Coverage = Static<typeof Coverage>;

export const UnvisitedQuery = Type.Object(
  {
    nodeId: Type.Optional(Id),
    months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, default: 6 })),
    ...Paging,
  },
  { additionalProperties: false },
);
export type UnvisitedQuery = Static<typeof UnvisitedQuery>;

export const UnvisitedHousehold = Type.Object({
  householdId: Type.Integer(),
  headName: Nullable(Type.String()),
  placeLabel: Type.String(),
  members: Type.Integer(),
  lastVisitedAt: Nullable(Timestamp),
});
export type UnvisitedHousehold = Static<typeof UnvisitedHousehold>;
export const UnvisitedPage = Type.Object({ items: Type.Array(UnvisitedHousehold), total: Type.Integer() });
export type UnvisitedPage = Static<typeof UnvisitedPage>;
