/**
 * The API's shapes, taken from the server's TypeBox schemas as types only (nothing of the server's
 * runtime reaches the bundle), so the console cannot drift from what the server validates and sends.
 */
import type { ImportView } from '../../server/src/modules/people/import/import.schemas';
import type { HouseSummary, ResidentSummary } from '../../server/src/modules/people/people.schemas';

export type { AuditEntry, AuditQuery } from '../../server/src/modules/audit/audit.schemas';
// Case statistics (helper D)
export type {
  CaseStats,
  CaseStatsItem,
  CaseStatsQuery,
} from '../../server/src/modules/cases/cases.stats.schemas';
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
export type Page<T> = { items: T[]; total: number };

export type Sex = ResidentSummary['sex'];
export type ResidentStatus = ResidentSummary['status'];
export type HouseUse = HouseSummary['use'];
export type ImportStatus = ImportView['status'];
