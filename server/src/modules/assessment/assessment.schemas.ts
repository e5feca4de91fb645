import { type Static, Type } from 'typebox';
import { FileId } from '../../platform/files/files.schemas.js';
import { Id, Items, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';
import { METRIC_CODES } from '../metrics/metrics.catalogue.js';

/**
 * Assessment (考核排名): schemes and their items, scores and rankings, bonus and penalty adjustments, selections
 * (红旗网格 · 优秀网格员) with the public honours notice, and archives (一人一档).
 */

export const Day = Type.String({ format: 'date' });
export const SCHEME_SUBJECTS = ['grid', 'community', 'worker'] as const;
export const PERIOD_KINDS = ['week', 'month', 'quarter'] as const;
export const HONOURS = ['red_flag_grid', 'excellent_worker'] as const;
export const SUBJECT_KINDS = ['node', 'user'] as const;
export const SELECTION_STATUSES = ['proposed', 'nominated', 'approved', 'declined', 'published'] as const;

export const SchemeSubject = Type.Enum([...SCHEME_SUBJECTS]);
export type SchemeSubject = Static<typeof SchemeSubject>;
export const PeriodKind = Type.Enum([...PERIOD_KINDS]);
export type PeriodKind = Static<typeof PeriodKind>;
export const Honour = Type.Enum([...HONOURS]);
export type Honour = Static<typeof Honour>;
export const SubjectKind = Type.Enum([...SUBJECT_KINDS]);
export type SubjectKind = Static<typeof SubjectKind>;
export const SelectionStatus = Type.Enum([...SELECTION_STATUSES]);
export type SelectionStatus = Static<typeof SelectionStatus>;
export const MetricCodeSchema = Type.Enum([...METRIC_CODES]);

const Num = Type.Number({ minimum: -1e9, maximum: 1e9 });

// ---- schemes ----------------------------------------------------------------------------------------------------

/** An item as written: the metric must be in the catalogue and computed for the scheme's subject. */
export const SchemeItemInput = Strict({
  /** A code of the metric catalogue (checked at save, so an unknown one names its row: `items.2.metric`). */
  metric: Type.String({ minLength: 1, maxLength: 60 }),
  weight: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
  /** Default: the catalogue's direction of the metric. */
  higherBetter: Type.Optional(Type.Boolean()),
  /** Full marks at this value or better. */
  fullAt: Num,
  /** No marks at this value or worse. */
  zeroAt: Num,
});
export type SchemeItemInput = Static<typeof SchemeItemInput>;

export const SchemeCreate = Strict({
  name: Text({ minLength: 1, maxLength: 60, trim: true }),
  subject: SchemeSubject,
  periodKind: PeriodKind,
  totalWeight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000 })),
  adjustmentCap: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
  honour: Type.Optional(Nullable(Honour)),
  honourQuota: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  honourMinScore: Type.Optional(Type.Number({ minimum: -1000, maximum: 1000 })),
  active: Type.Optional(Type.Boolean()),
  items: Type.Array(SchemeItemInput, { minItems: 1, maxItems: 30 }),
});
export type SchemeCreate = Static<typeof SchemeCreate>;

/** A change: every field optional; `items`, when given, replaces all items. Subject and period kind are fixed. */
export const SchemePatch = Strict({
  name: Type.Optional(Text({ minLength: 1, maxLength: 60, trim: true })),
  totalWeight: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000 })),
  adjustmentCap: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
  honour: Type.Optional(Nullable(Honour)),
  honourQuota: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  honourMinScore: Type.Optional(Type.Number({ minimum: -1000, maximum: 1000 })),
  active: Type.Optional(Type.Boolean()),
  items: Type.Optional(Type.Array(SchemeItemInput, { minItems: 1, maxItems: 30 })),
});
export type SchemePatch = Static<typeof SchemePatch>;

export const SchemeItem = Type.Object({
  metric: Type.String(),
  weight: Type.Number(),
  higherBetter: Type.Boolean(),
  fullAt: Type.Number(),
  zeroAt: Type.Number(),
  sort: Type.Integer(),
});
export type SchemeItem = Static<typeof SchemeItem>;

export const Scheme = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  subject: SchemeSubject,
  periodKind: PeriodKind,
  totalWeight: Type.Number(),
  adjustmentCap: Type.Number(),
  honour: Nullable(Honour),
  honourQuota: Type.Integer(),
  honourMinScore: Type.Number(),
  active: Type.Boolean(),
  items: Type.Array(SchemeItem),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Scheme = Static<typeof Scheme>;

export const SchemeList = Items(Scheme);
export type SchemeList = Static<typeof SchemeList>;

export const SchemeListQuery = Type.Object(
  { active: Type.Optional(Type.Boolean()), subject: Type.Optional(SchemeSubject) },
  { additionalProperties: false },
);
export type SchemeListQuery = Static<typeof SchemeListQuery>;

// ---- scores and rankings ------------------------------------------------------------------------------------------

/** One item of a score: the metric's value (null: no value for the period, 0 marks) and the marks it earned. */
export const ScoreItem = Type.Object({
  metric: Type.String(),
  value: Nullable(Type.Number()),
  marks: Type.Number(),
  weight: Type.Number(),
});
export type ScoreItem = Static<typeof ScoreItem>;

export const RankedSubject = Type.Object({
  subjectKind: SubjectKind,
  subjectId: Type.Integer(),
  /** The grid's or community's name, or the worker's display name. */
  name: Type.String(),
  /** For a worker: their grid's name. */
  gridName: Nullable(Type.String()),
  total: Type.Number(),
  base: Type.Number(),
  adjustments: Type.Number(),
  rank: Type.Integer(),
  groupSize: Type.Integer(),
  items: Type.Array(ScoreItem),
  /** The rank in the previous period (same scheme and group), null when not scored then. */
  previousRank: Nullable(Type.Integer()),
  previousTotal: Nullable(Type.Number()),
  /** previousRank − rank (positive: moved up), null without a previous rank. */
  rankChange: Nullable(Type.Integer()),
  totalChange: Nullable(Type.Number()),
});
export type RankedSubject = Static<typeof RankedSubject>;

export const RankingGroup = Type.Object({
  groupNodeId: Type.Integer(),
  groupName: Type.String(),
  subjects: Type.Array(RankedSubject),
});
export type RankingGroup = Static<typeof RankingGroup>;

export const RankingsQuery = Type.Object(
  { schemeId: Id, periodStart: Day, nodeId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type RankingsQuery = Static<typeof RankingsQuery>;

export const Rankings = Type.Object({
  scheme: Scheme,
  periodStart: Day,
  previousPeriodStart: Day,
  /** When the scores were last computed (null: never for this period). */
  computedAt: Nullable(Timestamp),
  groups: Type.Array(RankingGroup),
});
export type Rankings = Static<typeof Rankings>;

export const ScoreHistoryParams = Type.Object({ kind: SubjectKind, id: Id }, { additionalProperties: false });
export type ScoreHistoryParams = Static<typeof ScoreHistoryParams>;
export const ScoreHistoryQuery = Type.Object(
  { schemeId: Id, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 60, default: 12 })) },
  { additionalProperties: false },
);
export type ScoreHistoryQuery = Static<typeof ScoreHistoryQuery>;

export const ScorePoint = Type.Object({
  periodStart: Day,
  total: Type.Number(),
  base: Type.Number(),
  adjustments: Type.Number(),
  rank: Type.Integer(),
  groupSize: Type.Integer(),
  items: Type.Array(ScoreItem),
});
export type ScorePoint = Static<typeof ScorePoint>;

export const ScoreHistory = Type.Object({
  schemeId: Type.Integer(),
  subjectKind: SubjectKind,
  subjectId: Type.Integer(),
  name: Type.String(),
  /** Oldest first. */
  points: Type.Array(ScorePoint),
});
export type ScoreHistory = Static<typeof ScoreHistory>;

/** Recompute a scheme's scores for a period now (assessment.manage, within the caller's area). */
export const ComputeRequest = Strict({ schemeId: Id, periodStart: Day, nodeId: Type.Optional(Id) });
export type ComputeRequest = Static<typeof ComputeRequest>;
export const ComputeResult = Type.Object({ subjects: Type.Integer() });
export type ComputeResult = Static<typeof ComputeResult>;

// ---- adjustments --------------------------------------------------------------------------------------------------

export const AdjustmentCreate = Strict({
  schemeId: Id,
  /** The period's first day (of the scheme's period kind). */
  periodStart: Day,
  subjectKind: SubjectKind,
  subjectId: Id,
  /** ± points, non-zero, within the scheme's adjustment cap. */
  points: Type.Number({ minimum: -1000, maximum: 1000 }),
  reason: Text({ minLength: 2, maxLength: 500, trim: true }),
  /** Uploads of the caller (platform/files), attached as 'assessment_adjustment'. */
  evidenceFileIds: Type.Optional(Type.Array(FileId, { maxItems: 9 })),
});
export type AdjustmentCreate = Static<typeof AdjustmentCreate>;

export const AdjustmentWithdraw = Strict({ reason: Text({ minLength: 2, maxLength: 500, trim: true }) });
export type AdjustmentWithdraw = Static<typeof AdjustmentWithdraw>;

export const EvidenceFile = Type.Object({
  id: Type.String(),
  name: Type.String(),
  mime: Type.String(),
  url: Type.String(),
  thumbUrl: Nullable(Type.String()),
});
export type EvidenceFile = Static<typeof EvidenceFile>;

export const Adjustment = Type.Object({
  id: Type.Integer(),
  schemeId: Type.Integer(),
  schemeName: Type.String(),
  periodStart: Day,
  subjectKind: SubjectKind,
  subjectId: Type.Integer(),
  subjectName: Type.String(),
  points: Type.Number(),
  reason: Type.String(),
  evidence: Type.Array(EvidenceFile),
  createdBy: Type.Integer(),
  createdByName: Type.String(),
  createdAt: Timestamp,
  withdrawnAt: Nullable(Timestamp),
  withdrawnByName: Nullable(Type.String()),
});
export type Adjustment = Static<typeof Adjustment>;

export const AdjustmentListQuery = Type.Object(
  {
    schemeId: Type.Optional(Id),
    periodStart: Type.Optional(Day),
    subjectKind: Type.Optional(SubjectKind),
    subjectId: Type.Optional(Id),
    nodeId: Type.Optional(Id),
    includeWithdrawn: Type.Optional(Type.Boolean()),
    ...Paging,
  },
  { additionalProperties: false },
);
export type AdjustmentListQuery = Static<typeof AdjustmentListQuery>;
export const AdjustmentPage = Type.Object({ items: Type.Array(Adjustment), total: Type.Integer() });
export type AdjustmentPage = Static<typeof AdjustmentPage>;

// ---- selections (红旗网格 · 优秀网格员) ---------------------------------------------------------------------------

export const ProposeRequest = Strict({ schemeId: Id, periodStart: Day });
export type ProposeRequest = Static<typeof ProposeRequest>;
export const ProposeResult = Type.Object({ proposed: Type.Integer(), items: Type.Array(Type.Integer()) });
export type ProposeResult = Static<typeof ProposeResult>;

/** Nominate a subject by hand (not proposed from the scores), with a citation. */
export const SelectionCreate = Strict({
  schemeId: Id,
  periodStart: Day,
  subjectKind: SubjectKind,
  subjectId: Id,
  citation: Text({ minLength: 2, maxLength: 500, trim: true }),
});
export type SelectionCreate = Static<typeof SelectionCreate>;

export const SelectionNominate = Strict({
  citation: Text({ minLength: 2, maxLength: 500, trim: true }),
  /** The version read (optimistic lock); optional. */
  version: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type SelectionNominate = Static<typeof SelectionNominate>;

export const SelectionApprove = Strict({ version: Type.Optional(Type.Integer({ minimum: 1 })) });
export type SelectionApprove = Static<typeof SelectionApprove>;

export const SelectionDecline = Strict({
  reason: Text({ minLength: 2, maxLength: 500, trim: true }),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type SelectionDecline = Static<typeof SelectionDecline>;

export const PublishRequest = Strict({ schemeId: Id, periodStart: Day, levelNodeId: Id });
export type PublishRequest = Static<typeof PublishRequest>;
export const PublishResult = Type.Object({ published: Type.Integer() });
export type PublishResult = Static<typeof PublishResult>;

export const Selection = Type.Object({
  id: Type.Integer(),
  schemeId: Type.Integer(),
  schemeName: Type.String(),
  honour: Honour,
  periodStart: Day,
  subjectKind: SubjectKind,
  subjectId: Type.Integer(),
  subjectName: Type.String(),
  /** The grid (of a grid, or of the worker). */
  gridName: Nullable(Type.String()),
  levelNodeId: Type.Integer(),
  levelNodeName: Type.String(),
  score: Nullable(Type.Number()),
  status: SelectionStatus,
  citation: Nullable(Type.String()),
  nominatedByName: Nullable(Type.String()),
  nominatedAt: Nullable(Timestamp),
  decidedByName: Nullable(Type.String()),
  decidedAt: Nullable(Timestamp),
  decisionReason: Nullable(Type.String()),
  publishedAt: Nullable(Timestamp),
  version: Type.Integer(),
  createdAt: Timestamp,
  /** What the caller may do with it now. */
  can: Type.Object({ nominate: Type.Boolean(), approve: Type.Boolean(), decline: Type.Boolean() }),
});
export type Selection = Static<typeof Selection>;

export const SelectionListQuery = Type.Object(
  {
    schemeId: Type.Optional(Id),
    periodStart: Type.Optional(Day),
    status: Type.Optional(SelectionStatus),
    honour: Type.Optional(Honour),
    nodeId: Type.Optional(Id),
    ...Paging,
  },
  { additionalProperties: false },
);
export type SelectionListQuery = Static<typeof SelectionListQuery>;
export const SelectionPage = Type.Object({ items: Type.Array(Selection), total: Type.Integer() });
export type SelectionPage = Static<typeof SelectionPage>;

// ---- public honours notice ----------------------------------------------------------------------------------------

export const PublicHonoursQuery = Type.Object({ nodeId: Id }, { additionalProperties: false });
export type PublicHonoursQuery = Static<typeof PublicHonoursQuery>;

/** Only names (grid names, workers' display names), the quarter and the citation: nothing else personal. */
export const PublicHonour = Type.Object({
  honour: Honour,
  periodStart: Day,
  /** e.g. "2026-Q3". */
  quarter: Type.String(),
  /** The grid's name (red_flag_grid) or the worker's display name (excellent_worker). */
  name: Type.String(),
  gridName: Nullable(Type.String()),
  communityName: Nullable(Type.String()),
  citation: Nullable(Type.String()),
  publishedAt: Timestamp,
});
export type PublicHonour = Static<typeof PublicHonour>;

export const PublicHonours = Type.Object({
  node: Type.Object({ id: Type.Integer(), name: Type.String() }),
  honours: Type.Array(PublicHonour),
});
export type PublicHonours = Static<typeof PublicHonours>;

// ---- archives (一人一档) -----------------------------------------------------------------------------------------

export const ArchiveParams = Type.Object({ id: Id }, { additionalProperties: false });
export type ArchiveParams = Static<typeof ArchiveParams>;

export const ArchiveScore = Type.Object({
  schemeId: Type.Integer(),
  schemeName: Type.String(),
  periodKind: PeriodKind,
  periodStart: Day,
  total: Type.Number(),
  base: Type.Number(),
  adjustments: Type.Number(),
  rank: Type.Integer(),
  groupSize: Type.Integer(),
  items: Type.Array(ScoreItem),
});
export type ArchiveScore = Static<typeof ArchiveScore>;

export const ArchiveHonour = Type.Object({
  id: Type.Integer(),
  honour: Honour,
  schemeName: Type.String(),
  periodStart: Day,
  status: SelectionStatus,
  citation: Nullable(Type.String()),
  publishedAt: Nullable(Timestamp),
});
export type ArchiveHonour = Static<typeof ArchiveHonour>;

export const Archive = Type.Object({
  subjectKind: SubjectKind,
  subjectId: Type.Integer(),
  name: Type.String(),
  /** A node's type (grid, community …); for a worker, 'worker'. */
  type: Type.String(),
  /** For a worker: their grid; for a node: its parent. */
  parentName: Nullable(Type.String()),
  /** Newest period first. */
  scores: Type.Array(ArchiveScore),
  adjustments: Type.Array(Adjustment),
  /** Approved and published honours (and pending ones the caller may read), newest first. */
  honours: Type.Array(ArchiveHonour),
});
export type Archive = Static<typeof Archive>;
