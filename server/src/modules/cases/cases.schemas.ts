import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/**
 * The cases API's shapes (事件诉求). The web imports these as types (web/src/api-types.ts); Open311 maps them to
 * GeoReport v2 in its own module.
 */

export const CASE_STAGES = [
  'reported',
  'dispatched',
  'handling',
  'whistled',
  'escalated',
  'handled',
  'parked',
  'closed',
  'merged',
  'cancelled',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];
export const CaseStageSchema = Type.Enum([...CASE_STAGES]);

export const STAGE_TYPES = ['open', 'in_progress', 'fixed', 'closed'] as const;
export type StageType = (typeof STAGE_TYPES)[number];

export const CASE_SOURCES = ['resident', 'patrol', 'worker', 'open311', 'hotline', 'device', 'visit'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
export const CaseSourceSchema = Type.Enum([...CASE_SOURCES]);

/** What a caller may do to a case now (`allowedActions`); each is a POST route below. */
export const CASE_ACTIONS = [
  'accept',
  'dispatch',
  'whistle',
  'note',
  'handle',
  'escalate',
  'return',
  'verify',
  'park',
  'unpark',
  'cancel',
  'merge',
  'rate',
  'reopen',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
export const CaseActionSchema = Type.Enum([...CASE_ACTIONS]);

/** An SLA: wall-clock minutes (urgent classes), or working hours / days on the working calendar. */
export const SlaSpec = Type.Object({
  amount: Type.Number({ exclusiveMinimum: 0, maximum: 10000 }),
  unit: Type.Enum(['minutes', 'working_hours', 'working_days']),
});
export type SlaSpec = Static<typeof SlaSpec>;

export const CaseCategory = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  /** In the caller's language. */
  name: Type.String(),
  description: Nullable(Type.String()),
  class: Type.Enum(['community', 'event', 'component']),
  urgent: Type.Boolean(),
  responseSla: Nullable(SlaSpec),
  handleSla: Nullable(SlaSpec),
  verifySla: Nullable(SlaSpec),
  mergeRadiusM: Type.Integer(),
  mergeWindowHours: Type.Integer(),
  public: Type.Boolean(),
  active: Type.Boolean(),
  sort: Type.Integer(),
});
export type CaseCategory = Static<typeof CaseCategory>;

export const CaseStageInfo = Type.Object({
  code: CaseStageSchema,
  nameZh: Type.String(),
  nameEn: Type.String(),
  name: Type.String(),
  type: Type.Enum([...STAGE_TYPES]),
  sort: Type.Integer(),
});
export type CaseStageInfo = Static<typeof CaseStageInfo>;

export const Department = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  name: Type.String(),
  code: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  active: Type.Boolean(),
  members: Type.Array(Type.Object({ id: Type.Integer(), displayName: Type.String() })),
});
export type Department = Static<typeof Department>;

export const CreateDepartmentBody = Strict({
  nodeId: Id,
  name: Text({ minLength: 1, maxLength: 60, trim: true }),
  code: Type.Optional(Text({ maxLength: 40, trim: true })),
  phone: Type.Optional(Text({ maxLength: 40, trim: true })),
  memberIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
});
export const UpdateDepartmentBody = Strict({
  name: Type.Optional(Text({ minLength: 1, maxLength: 60, trim: true })),
  code: Type.Optional(Nullable(Text({ maxLength: 40, trim: true }))),
  phone: Type.Optional(Nullable(Text({ maxLength: 40, trim: true }))),
  active: Type.Optional(Type.Boolean()),
  memberIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
});

/** Where a case is. One of: a house (default: the reporter's own), a node (building, unit, grid), or a point. */
export const PlaceInput = Type.Union([
  Strict({ houseId: Id, address: Type.Optional(Text({ maxLength: 200, trim: true })) }),
  Strict({ nodeId: Id, address: Type.Optional(Text({ maxLength: 200, trim: true })) }),
  Strict({
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    /** The grid (or lower node) the point lies in; when omitted it is found from the grids' boundaries. */
    nodeId: Type.Optional(Id),
    address: Type.Optional(Text({ maxLength: 200, trim: true })),
  }),
]);
export type PlaceInput = Static<typeof PlaceInput>;

export const ReportCaseBody = Strict({
  categoryId: Id,
  /** Defaults to the category's name. */
  title: Type.Optional(Text({ minLength: 1, maxLength: 100, trim: true })),
  description: Type.Optional(Text({ maxLength: 2000, trim: true })),
  /** Omitted: the reporter's own house, else their home node. */
  place: Type.Optional(PlaceInput),
  /** Uploads from POST /api/files (public ids), at most 9. */
  fileIds: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }), { maxItems: 9 })),
  /** Workers filing for someone: patrol (grid worker's own finding), worker, hotline. Residents: always resident. */
  source: Type.Optional(Type.Enum(['patrol', 'worker', 'hotline'])),
  contactName: Type.Optional(Text({ minLength: 1, maxLength: 40, trim: true })),
  contactPhone: Type.Optional(Text({ minLength: 5, maxLength: 20, trim: true })),
});
export type ReportCaseBody = Static<typeof ReportCaseBody>;

export const CasePlace = Type.Object({
  nodeId: Type.Integer(),
  /** "东关社区 / 第一网格 / 1号楼" */
  nodeLabel: Type.String(),
  gridId: Nullable(Type.Integer()),
  communityId: Nullable(Type.Integer()),
  houseId: Nullable(Type.Integer()),
  houseLabel: Nullable(Type.String()),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  address: Nullable(Type.String()),
});

export const CaseSummary = Type.Object({
  id: Type.Integer(),
  caseNo: Type.String(),
  title: Type.String(),
  categoryId: Type.Integer(),
  categoryName: Type.String(),
  stage: CaseStageSchema,
  stageName: Type.String(),
  stageType: Type.Enum([...STAGE_TYPES]),
  source: CaseSourceSchema,
  urgent: Type.Boolean(),
  place: CasePlace,
  assigneeNodeId: Nullable(Type.Integer()),
  assigneeNodeName: Nullable(Type.String()),
  assigneeDepartmentId: Nullable(Type.Integer()),
  assigneeDepartmentName: Nullable(Type.String()),
  handlerId: Nullable(Type.Integer()),
  handlerName: Nullable(Type.String()),
  supervision: Type.Integer({ minimum: 0, maximum: 2 }),
  overdue: Type.Boolean(),
  reworkCount: Type.Integer(),
  responseDueAt: Nullable(Timestamp),
  handleDueAt: Nullable(Timestamp),
  verifyDueAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  closedAt: Nullable(Timestamp),
  rating: Nullable(Type.Integer()),
  /** The first photo's thumbnail URL, for lists. */
  thumbUrl: Nullable(Type.String()),
});
export type CaseSummary = Static<typeof CaseSummary>;

export const CaseFile = Type.Object({
  id: Type.String(),
  url: Type.String(),
  thumbUrl: Nullable(Type.String()),
  mime: Type.String(),
  name: Type.String(),
});

export const CaseEvent = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  actorName: Nullable(Type.String()),
  /** report, accept, dispatch, whistle, whistle_accept, whistle_report, whistle_return, note, handle, escalate,
   *  return, verify_pass, verify_fail, park, unpark, cancel, merge, merged_in, rate, reopen, remind, supervise. */
  action: Type.String(),
  fromStage: Nullable(CaseStageSchema),
  toStage: Nullable(CaseStageSchema),
  note: Nullable(Type.String()),
  data: Nullable(Type.Record(Type.String(), Type.Unknown())),
  public: Type.Boolean(),
  files: Type.Array(CaseFile),
});
export type CaseEvent = Static<typeof CaseEvent>;

export const CaseWhistle = Type.Object({
  id: Type.Integer(),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  status: Type.Enum(['pending', 'accepted', 'reported', 'returned']),
  dueAt: Timestamp,
  whistledAt: Timestamp,
  acceptedAt: Nullable(Timestamp),
  reportedAt: Nullable(Timestamp),
  note: Nullable(Type.String()),
  onTime: Nullable(Type.Boolean()),
});
export type CaseWhistle = Static<typeof CaseWhistle>;

export const CaseDetail = Type.Object({
  ...CaseSummary.properties,
  description: Type.String(),
  reporterId: Nullable(Type.Integer()),
  /** The reporter's name as the caller may see it (masked for departments). */
  reporterName: Nullable(Type.String()),
  contactPhoneMasked: Nullable(Type.String()),
  dispatchedAt: Nullable(Timestamp),
  acceptedAt: Nullable(Timestamp),
  handledAt: Nullable(Timestamp),
  parkedUntil: Nullable(Type.String()),
  mergedIntoId: Nullable(Type.Integer()),
  ratingComment: Nullable(Type.String()),
  ratedAt: Nullable(Timestamp),
  /** Residents see public events only. */
  timeline: Type.Array(CaseEvent),
  whistles: Type.Array(CaseWhistle),
  /** What the caller may do now; the console and phone show exactly these buttons. */
  allowedActions: Type.Array(CaseActionSchema),
  /** Whistles the caller may accept / report on / return (as a department member). */
  myWhistleIds: Type.Array(Type.Integer()),
  version: Type.Integer(),
});
export type CaseDetail = Static<typeof CaseDetail>;

export const CaseListQuery = Strict({
  /**
   * board (default): cases in the caller's cases.read area; tasks: a handler's to-do (cases in their grids waiting
   * to be accepted, and those they handle); reported: the caller's own reports; department: cases whistled or
   * dispatched to the caller's departments.
   */
  view: Type.Optional(Type.Enum(['board', 'tasks', 'reported', 'department'])),
  /** Comma-separated stage codes. */
  stage: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$', maxLength: 200 })),
  categoryId: Type.Optional(Id),
  /** A node of the caller's area: cases under it. */
  nodeId: Type.Optional(Id),
  departmentId: Type.Optional(Id),
  source: Type.Optional(CaseSourceSchema),
  supervision: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 })),
  overdue: Type.Optional(Type.Boolean()),
  /** Created at or after / before (ISO date or date-time). */
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  /** Case number or words of the title. */
  q: Type.Optional(Text({ maxLength: 50, trim: true })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  /** The cursor a previous page returned as nextAfter. */
  after: Type.Optional(Type.String({ maxLength: 100, pattern: '^[0-9TZ:.+-]+_[0-9]+$' })),
  /**
   * Count the cases per stage (stageCounts; the kanban's column heads asks for them with its first page). Without
   * it stageCounts is empty: counting reads the whole filtered area, not just a page.
   */
  counts: Type.Optional(Type.Boolean()),
});
export type CaseListQuery = Static<typeof CaseListQuery>;

export const CaseList = Type.Object({
  items: Type.Array(CaseSummary),
  nextAfter: Nullable(Type.String()),
  /** Counts per stage for the same filters without the stage filter (kanban column heads); only with `counts`. */
  stageCounts: Type.Record(Type.String(), Type.Integer()),
});
export type CaseList = Static<typeof CaseList>;

export const SimilarQuery = Strict({
  categoryId: Id,
  houseId: Type.Optional(Id),
  nodeId: Type.Optional(Id),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  /** Leave this case out (the board asks for a case's duplicates). */
  exceptId: Type.Optional(Id),
});

const Note = (min = 0) => Text({ minLength: min, maxLength: 2000, trim: true });
const Reason = Text({ minLength: 2, maxLength: 500, trim: true });
const FileIds = Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }), { maxItems: 9 }));

export const AcceptBody = Strict({ note: Type.Optional(Note()) });
/** To a grid (nodeId of a grid or micro-grid) and/or a department; at least one. */
export const DispatchBody = Strict({
  nodeId: Type.Optional(Id),
  departmentId: Type.Optional(Id),
  note: Type.Optional(Note()),
});
export const WhistleBody = Strict({
  departmentIds: Type.Array(Id, { minItems: 1, maxItems: 10, uniqueItems: true }),
  /** Default: the category's handling SLA from now. */
  dueAt: Type.Optional(Timestamp),
  note: Note(2),
});
export const NoteBody = Strict({
  note: Note(1),
  fileIds: FileIds,
  /** Shown to the reporter (default true). */
  public: Type.Optional(Type.Boolean()),
});
export const HandleBody = Strict({ note: Note(2), fileIds: FileIds });
export const ReasonBody = Strict({ reason: Reason });
export const VerifyBody = Strict({ passed: Type.Boolean(), note: Type.Optional(Note()), fileIds: FileIds });
export const ParkBody = Strict({ reason: Reason, until: Type.String({ format: 'date' }) });
export const MergeBody = Strict({ intoId: Id, note: Type.Optional(Note()) });
export const RateBody = Strict({
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Text({ maxLength: 500, trim: true })),
});
export const WhistleReportBody = Strict({ note: Note(2), fileIds: FileIds });
export const WhistleParams = Strict({ id: Id, whistleId: Id });
