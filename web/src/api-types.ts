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
// ---- policies [A2] ----
export type {
  CandidateDetail,
  CandidateHistoryEntry,
  CandidateListQuery,
  CandidatePage,
  CandidateReasonBody,
  CandidateRef,
  CandidateView,
  CodeName,
  ConfirmBody,
  ExplainedCondition,
  Explanation,
  ExportQuery,
  FieldView,
  LeafView,
  PolicyCreate,
  PolicyFieldsView,
  PolicyList,
  PolicyListQuery,
  PolicyPatch,
  PolicyStatusBody,
  PolicyVersionList,
  PolicyVersionView,
  PolicyView,
  ReceivingBody,
  ResidentPoliciesView,
  ResidentPolicyRow,
  ResultPage,
  ResultRow,
  ResultsQuery,
  RunCreate,
  RunListQuery,
  RunPage,
  RunPolicyView,
  RunView,
  ValidateBody,
  ValidateResult,
} from '../../server/src/modules/policies/policies.schemas';
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
// assessment [C1]: schemes, scores and rankings, adjustments, selections, the public honours notice, archives
// (aliases, not `export … from`, so that biome's sorting of exports leaves this block where it is)
export type AssessmentAdjustment = import('../../server/src/modules/assessment/assessment.schemas').Adjustment;
export type AssessmentAdjustmentCreate =
  import('../../server/src/modules/assessment/assessment.schemas').AdjustmentCreate;
export type AssessmentAdjustmentListQuery =
  import('../../server/src/modules/assessment/assessment.schemas').AdjustmentListQuery;
export type AssessmentAdjustmentPage = import('../../server/src/modules/assessment/assessment.schemas').AdjustmentPage;
export type AssessmentAdjustmentWithdraw =
  import('../../server/src/modules/assessment/assessment.schemas').AdjustmentWithdraw;
export type AssessmentArchive = import('../../server/src/modules/assessment/assessment.schemas').Archive;
export type AssessmentArchiveHonour = import('../../server/src/modules/assessment/assessment.schemas').ArchiveHonour;
export type AssessmentArchiveScore = import('../../server/src/modules/assessment/assessment.schemas').ArchiveScore;
export type AssessmentComputeRequest = import('../../server/src/modules/assessment/assessment.schemas').ComputeRequest;
export type AssessmentComputeResult = import('../../server/src/modules/assessment/assessment.schemas').ComputeResult;
export type AssessmentEvidenceFile = import('../../server/src/modules/assessment/assessment.schemas').EvidenceFile;
export type AssessmentHonour = import('../../server/src/modules/assessment/assessment.schemas').Honour;
export type AssessmentPeriodKind = import('../../server/src/modules/assessment/assessment.schemas').PeriodKind;
export type AssessmentProposeRequest = import('../../server/src/modules/assessment/assessment.schemas').ProposeRequest;
export type AssessmentProposeResult = import('../../server/src/modules/assessment/assessment.schemas').ProposeResult;
export type AssessmentPublishRequest = import('../../server/src/modules/assessment/assessment.schemas').PublishRequest;
export type AssessmentPublishResult = import('../../server/src/modules/assessment/assessment.schemas').PublishResult;
export type AssessmentRankedSubject = import('../../server/src/modules/assessment/assessment.schemas').RankedSubject;
export type AssessmentRankingGroup = import('../../server/src/modules/assessment/assessment.schemas').RankingGroup;
export type AssessmentRankings = import('../../server/src/modules/assessment/assessment.schemas').Rankings;
export type AssessmentRankingsQuery = import('../../server/src/modules/assessment/assessment.schemas').RankingsQuery;
export type AssessmentScheme = import('../../server/src/modules/assessment/assessment.schemas').Scheme;
export type AssessmentSchemeCreate = import('../../server/src/modules/assessment/assessment.schemas').SchemeCreate;
export type AssessmentSchemeItem = import('../../server/src/modules/assessment/assessment.schemas').SchemeItem;
export type AssessmentSchemeItemInput =
  import('../../server/src/modules/assessment/assessment.schemas').SchemeItemInput;
export type AssessmentSchemeList = import('../../server/src/modules/assessment/assessment.schemas').SchemeList;
export type AssessmentSchemeListQuery =
  import('../../server/src/modules/assessment/assessment.schemas').SchemeListQuery;
export type AssessmentSchemePatch = import('../../server/src/modules/assessment/assessment.schemas').SchemePatch;
export type AssessmentSchemeSubject = import('../../server/src/modules/assessment/assessment.schemas').SchemeSubject;
export type AssessmentScoreHistory = import('../../server/src/modules/assessment/assessment.schemas').ScoreHistory;
export type AssessmentScoreHistoryQuery =
  import('../../server/src/modules/assessment/assessment.schemas').ScoreHistoryQuery;
export type AssessmentScoreItem = import('../../server/src/modules/assessment/assessment.schemas').ScoreItem;
export type AssessmentScorePoint = import('../../server/src/modules/assessment/assessment.schemas').ScorePoint;
export type AssessmentSelection = import('../../server/src/modules/assessment/assessment.schemas').Selection;
export type AssessmentSelectionApprove =
  import('../../server/src/modules/assessment/assessment.schemas').SelectionApprove;
export type AssessmentSelectionCreate =
  import('../../server/src/modules/assessment/assessment.schemas').SelectionCreate;
export type AssessmentSelectionDecline =
  import('../../server/src/modules/assessment/assessment.schemas').SelectionDecline;
export type AssessmentSelectionListQuery =
  import('../../server/src/modules/assessment/assessment.schemas').SelectionListQuery;
export type AssessmentSelectionNominate =
  import('../../server/src/modules/assessment/assessment.schemas').SelectionNominate;
export type AssessmentSelectionPage = import('../../server/src/modules/assessment/assessment.schemas').SelectionPage;
export type AssessmentSelectionStatus =
  import('../../server/src/modules/assessment/assessment.schemas').SelectionStatus;
export type AssessmentSubjectKind = import('../../server/src/modules/assessment/assessment.schemas').SubjectKind;
export type PublicHonour = import('../../server/src/modules/assessment/assessment.schemas').PublicHonour;
export type PublicHonours = import('../../server/src/modules/assessment/assessment.schemas').PublicHonours;
export type PublicHonoursQuery = import('../../server/src/modules/assessment/assessment.schemas').PublicHonoursQuery;
// ---- end assessment [C1] ----
// ---- dashboard [D] ----
export type Dashboard = import('../../server/src/modules/dashboard/dashboard.schemas').Dashboard;
export type DashboardQuery = import('../../server/src/modules/dashboard/dashboard.schemas').DashboardQuery;
// ---- end dashboard [D] ----
// ---- deliberation [A] ----
// (type aliases, not `export … from`: biome would sort those out of this block)
export type DelibMyVerification = import('../../server/src/modules/deliberation/deliberation.schemas').MyVerification;
export type DelibVerificationPage =
  import('../../server/src/modules/deliberation/deliberation.schemas').VerificationPage;
export type DelibVerificationItem =
  import('../../server/src/modules/deliberation/deliberation.schemas').VerificationItem;
export type DelibTopicPage = import('../../server/src/modules/deliberation/deliberation.schemas').TopicPage;
export type DelibTopicSummary = import('../../server/src/modules/deliberation/deliberation.schemas').TopicSummary;
export type DelibTopicDetail = import('../../server/src/modules/deliberation/deliberation.schemas').TopicDetail;
export type DelibVoteView = import('../../server/src/modules/deliberation/deliberation.schemas').VoteView;
export type DelibVoteCreate = import('../../server/src/modules/deliberation/deliberation.schemas').VoteCreate;
export type DelibModerationQueue = import('../../server/src/modules/deliberation/deliberation.schemas').ModerationQueue;
export type DelibMeetingPage = import('../../server/src/modules/deliberation/deliberation.schemas').MeetingPage;
export type DelibMeetingDetail = import('../../server/src/modules/deliberation/deliberation.schemas').MeetingDetail;
export type DelibMeetingCreate = import('../../server/src/modules/deliberation/deliberation.schemas').MeetingCreate;
export type DelibDecisionView = import('../../server/src/modules/deliberation/deliberation.schemas').DecisionView;
// ---- end deliberation [A] ----
// ---- notices [B] ----
export type NoticeView = import('../../server/src/modules/notices/notices.schemas').NoticeView;
export type NoticeSummary = import('../../server/src/modules/notices/notices.schemas').NoticeSummary;
export type NoticePage = import('../../server/src/modules/notices/notices.schemas').NoticePage;
export type NoticeInput = import('../../server/src/modules/notices/notices.schemas').NoticeInput;
export type NoticeListQuery = import('../../server/src/modules/notices/notices.schemas').NoticeListQuery;
export type NoticeOptions = import('../../server/src/modules/notices/notices.schemas').NoticeOptions;
export type NoticeReceiptPage = import('../../server/src/modules/notices/notices.schemas').ReceiptPage;
export type NoticeReceiptQuery = import('../../server/src/modules/notices/notices.schemas').ReceiptQuery;
export type MyNotice = import('../../server/src/modules/notices/notices.schemas').MyNotice;
export type MyNoticePage = import('../../server/src/modules/notices/notices.schemas').MyNoticePage;
export type MyNoticeDetail = import('../../server/src/modules/notices/notices.schemas').MyNoticeDetail;
export type PublicNoticePage = import('../../server/src/modules/notices/notices.schemas').PublicNoticePage;
export type PublicNoticeDetail = import('../../server/src/modules/notices/notices.schemas').PublicNoticeDetail;
// ---- end notices [B] ----
// ---- services [C] ----
export type {
  Canteen,
  CanteenCreate,
  EntryCreate,
  EntryUpdate,
  MealCounts,
  Menu,
  MenuCreate,
  MyCanteen,
  MyOrderCreate,
  Order as MealOrder,
  OrderCreate as MealOrderCreate,
  ServiceEntry,
  SubsidiesPut,
  Subsidy,
} from '../../server/src/modules/services/services.schemas';
// ---- end services [C] ----
// ---- privacy [E] ----
export type PrivacyMyData = import('../../server/src/modules/privacy/privacy.schemas').MyData;
export type PrivacyMyRequest = import('../../server/src/modules/privacy/privacy.schemas').MyRequest;
export type PrivacyCreateRequestBody = import('../../server/src/modules/privacy/privacy.schemas').CreateRequestBody;
export type PrivacyDecisionBody = import('../../server/src/modules/privacy/privacy.schemas').DecisionBody;
export type PrivacyRequestDetail = import('../../server/src/modules/privacy/privacy.schemas').RequestDetail;
export type PrivacyRequestListQuery = import('../../server/src/modules/privacy/privacy.schemas').RequestListQuery;
export type PrivacyRequestPage = import('../../server/src/modules/privacy/privacy.schemas').RequestPage;
export type PrivacyRequestSummary = import('../../server/src/modules/privacy/privacy.schemas').RequestSummary;
// ---- end privacy [E] ----
