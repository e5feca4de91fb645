/**
 * The API's shapes, taken from the server's TypeBox schemas as types only (nothing of the server's
 * runtime reaches the bundle), so the console cannot drift from what the server validates and sends.
 */
import type { Static } from 'typebox';
import type {
  AcceptBody as AcceptBodySchema,
  CreateDepartmentBody as CreateDepartmentBodySchema,
  DispatchBody as DispatchBodySchema,
  HandleBody as HandleBodySchema,
  MergeBody as MergeBodySchema,
  NoteBody as NoteBodySchema,
  ParkBody as ParkBodySchema,
  RateBody as RateBodySchema,
  ReasonBody as ReasonBodySchema,
  UpdateDepartmentBody as UpdateDepartmentBodySchema,
  VerifyBody as VerifyBodySchema,
  WhistleBody as WhistleBodySchema,
  WhistleReportBody as WhistleReportBodySchema,
} from '../../server/src/modules/cases/cases.schemas';
import type { PeriodsBody as SettingsPeriodsBody } from '../../server/src/modules/cases/cases-config.schemas';
import type { ImportView } from '../../server/src/modules/people/import/import.schemas';
import type { HouseSummary, ResidentSummary } from '../../server/src/modules/people/people.schemas';

export type { AuditEntry, AuditQuery } from '../../server/src/modules/audit/audit.schemas';
// cases (事件) [E]: the core shapes and action bodies, from helper A's schemas
export type {
  CaseAction,
  CaseCategory,
  CaseDetail,
  CaseEvent,
  CaseList,
  CaseListQuery,
  CaseSource,
  CaseStage,
  CaseStageInfo,
  CaseSummary,
  CaseWhistle,
  Department,
  PlaceInput,
  ReportCaseBody,
  SlaSpec,
  StageType,
} from '../../server/src/modules/cases/cases.schemas';
// Case statistics (helper D)
export type {
  CaseStats,
  CaseStatsItem,
  CaseStatsQuery,
} from '../../server/src/modules/cases/cases.stats.schemas';
// cases settings (事件设置) [B]: the working calendar, category and stage edits
export type {
  CalendarDayView,
  CalendarViewBody,
  CreateCategoryBody,
  OverrideBody,
  PeriodsBody,
  UpdateCategoryBody,
  UpdateStageBody,
} from '../../server/src/modules/cases/cases-config.schemas';
export type {
  CreateNodeBody,
  OrgNode,
  OrgNodeDetail,
  OrgSearchHit,
  UpdateNodeBody,
} from '../../server/src/modules/org/org.schemas';
export type { ImportEnvelope, ImportView } from '../../server/src/modules/people/import/import.schemas';
export type { MyHousehold } from '../../server/src/modules/people/me.schemas';
export type {
  AcceptMoveInBody,
  DeclineMoveInBody,
  MoveInFact,
  MoveInQuery,
  MoveInRequest,
  MoveInSubmitted,
} from '../../server/src/modules/people/move-in.schemas';
export type { Relation, RuleFact, RuleOp, TagRule } from '../../server/src/modules/people/people.logic';
export type {
  AddMemberBody,
  BuildingMap,
  ContactBody,
  CreateHouseholdBody,
  CreateResidentBody,
  HouseDetail,
  Household,
  HouseSummary,
  LeaveBody,
  ResidentDetail,
  ResidentSummary,
  ResidentsQuery,
  SetTagBody,
  Tag,
  TagBody,
  UpdateHouseBody,
  UpdateResidentBody,
  UpdateTagBody,
} from '../../server/src/modules/people/people.schemas';
export type {
  CreateTemplateBody,
  FieldCatalogue,
  FieldInfo,
  GroupBy,
  PreviewResult,
  ReportDefinition,
  ReportEntity,
  ReportFilters,
  ReportTemplate,
  UpdateTemplateBody,
} from '../../server/src/modules/reports/reports.schemas';
export type {
  CreateUserBody,
  ListUsersQuery,
  UpdateUserBody,
  UserSummary,
} from '../../server/src/modules/users/users.schemas';
// grid work [F]: my tasks
export type { MyTask, MyTasks, MyTasksQuery, TaskKind } from '../../server/src/platform/tasks/tasks.schemas';
export type AcceptBody = Static<typeof AcceptBodySchema>;
export type CreateDepartmentBody = Static<typeof CreateDepartmentBodySchema>;
export type DispatchBody = Static<typeof DispatchBodySchema>;
export type HandleBody = Static<typeof HandleBodySchema>;
export type MergeBody = Static<typeof MergeBodySchema>;
export type NoteBody = Static<typeof NoteBodySchema>;
export type ParkBody = Static<typeof ParkBodySchema>;
export type RateBody = Static<typeof RateBodySchema>;
export type ReasonBody = Static<typeof ReasonBodySchema>;
export type UpdateDepartmentBody = Static<typeof UpdateDepartmentBodySchema>;
export type VerifyBody = Static<typeof VerifyBodySchema>;
export type WhistleBody = Static<typeof WhistleBodySchema>;
export type WhistleReportBody = Static<typeof WhistleReportBodySchema>;
export type { ModuleName, NodeType, Permission, Role } from '../../server/src/platform/access/roles';
export type { ApiToken, CreatedToken, CreateTokenBody, Me, Post } from '../../server/src/platform/auth/auth.schemas';
export type { FileView } from '../../server/src/platform/files/files.schemas';
export type { ErrorBody } from '../../server/src/platform/http/schemas';
export type { JobItem, JobState, QueueSummary } from '../../server/src/platform/jobs/jobs.schemas';
export type {
  InboxMessage,
  InboxPage,
  Preferences,
  PreferencesBody,
} from '../../server/src/platform/notify/notify.schemas';
export type {
  TodoGroup,
  TodoItem,
  Workbench,
  WorkbenchCard,
  WorkbenchFigure,
} from '../../server/src/platform/workbench/workbench.schemas';

/** The envelopes of the server's `Items(…)` and `Paged(…)` responses. */
export type ItemList<T> = { items: T[] };
// Open311 keys (helper C)
export type {
  CreatedOpen311Client,
  CreateOpen311ClientBody,
  Open311Client,
} from '../../server/src/modules/open311/open311.schemas';
export type Page<T> = { items: T[]; total: number };

export type Sex = ResidentSummary['sex'];
export type ResidentStatus = ResidentSummary['status'];
export type HouseUse = HouseSummary['use'];
export type ImportStatus = ImportView['status'];

// cases settings [B]
export type WorkPeriod = SettingsPeriodsBody['periods'][number];

// devices [D][E]: the alarm centre, device pages, registry, import, types and rules, away and overrides
// devices [G]: the family's side on the phone (the alarm shapes are D's, above)
export type {
  AlarmCaseCreate,
  AlarmContact,
  AlarmDetail,
  AlarmEvent,
  AlarmListItem,
  AlarmListQuery,
  AlarmLiveEvent,
  AlarmOutcome,
  AlarmPage,
  AlarmResolve,
  AlarmStatus,
  Away,
  AwayPut,
  BuildingDevices,
  DeadLetter,
  DeviceCreate,
  DeviceCreated,
  DeviceCredentials,
  DeviceDetail,
  DeviceImportResult,
  DeviceListItem,
  DeviceListQuery,
  DevicePatch,
  DeviceRule,
  DeviceRuleCreate,
  DeviceRulePatch,
  DeviceType,
  DeviceTypeCreate,
  DeviceTypePatch,
  EventDef,
  LadderLevel,
  LadderStep,
  MetricDef,
  RuleKind,
  RuleOverride,
  RuleOverridePut,
  Severity,
  TelemetryQuery,
  TelemetrySeries,
  WatchedPerson,
} from '../../server/src/modules/devices/devices.schemas';
// grid work [E]: the patrol log (巡查)
export type {
  CurrentPatrol,
  Finding as PatrolFinding,
  FindingCaseCreate,
  FindingInput,
  PatrolDetail,
  PatrolEnd,
  PatrolListItem,
  PatrolListQuery,
  PatrolPage,
  PatrolStart,
  PatrolStatus,
} from '../../server/src/modules/visits/patrols.schemas';
// grid work [C]: coverage (走访覆盖)
// grid work [G]: visit rules (三到六访), visit tasks and visits, for the console's visit pages
export type {
  AssigneeKind,
  Coverage,
  CoverageQuery,
  CoverageRow,
  CoverageWorkerRow,
  GenerationResult,
  HealthObservation,
  PeriodUnit,
  RuleTarget,
  TaskStatus,
  UnvisitedHousehold,
  UnvisitedPage,
  UnvisitedQuery,
  VisitCaseCreate,
  VisitDetail,
  VisitListItem,
  VisitListQuery,
  VisitOutcome,
  VisitPage,
  VisitRule,
  VisitRuleCategory,
  VisitRuleCreate,
  VisitRuleKind,
  VisitRulePatch,
  VisitTaskAssign,
  VisitTaskDetail,
  VisitTaskListItem,
  VisitTaskListQuery,
  VisitTaskPage,
  VisitTaskWithdraw,
  VisitTrigger,
  WithdrawReason,
} from '../../server/src/modules/visits/visits.schemas';
// ---- policies [A2] ----
// ---- end policies [A2] ----
// ---- metrics [B] ----
// (type aliases, not `export … from`: biome would sort those out of this block)
export type MetricCode = import('../../server/src/modules/metrics/metrics.catalogue').MetricCode;
export type MetricKind = import('../../server/src/modules/metrics/metrics.catalogue').MetricKind;
export type MetricPeriodKind = import('../../server/src/modules/metrics/metrics.catalogue').PeriodKind;
export type MetricCatalogueItem = import('../../server/src/modules/metrics/metrics.schemas').CatalogueItem;
export type MetricHistoryQuery = import('../../server/src/modules/metrics/metrics.schemas').HistoryQuery;
export type MetricHistory = import('../../server/src/modules/metrics/metrics.schemas').HistoryResult;
export type MetricFigure = import('../../server/src/modules/metrics/metrics.schemas').MetricFigure;
export type MetricsQuery = import('../../server/src/modules/metrics/metrics.schemas').MetricsQuery;
export type MetricsResult = import('../../server/src/modules/metrics/metrics.schemas').MetricsResult;
export type MetricsRow = import('../../server/src/modules/metrics/metrics.schemas').MetricsRow;
export type MetricRefreshBody = import('../../server/src/modules/metrics/metrics.schemas').RefreshBody;
export type MetricRefreshItem = import('../../server/src/modules/metrics/metrics.schemas').RefreshItem;
// ---- end metrics [B] ----
// ---- assessment [C1] ----
// ---- end assessment [C1] ----
// ---- dashboard [D] ----
// ---- end dashboard [D] ----
