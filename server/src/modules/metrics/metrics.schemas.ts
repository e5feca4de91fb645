import { type Static, Type } from 'typebox';
import { Id, Nullable, Timestamp } from '../../platform/http/schemas.js';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar day (Asia/Shanghai)' });
export const PeriodKindSchema = Type.Union([Type.Literal('week'), Type.Literal('month'), Type.Literal('quarter')]);
const SubjectKind = Type.Union([Type.Literal('node'), Type.Literal('user'), Type.Literal('department')]);

export const CatalogueItem = Type.Object({
  code: Type.String(),
  kind: Type.Union([Type.Literal('count'), Type.Literal('rate'), Type.Literal('average')]),
  higherBetter: Type.Boolean(),
  subjects: Type.Array(SubjectKind),
  label: Type.String(),
  doc: Type.String(),
});
export type CatalogueItem = Static<typeof CatalogueItem>;

export const MetricsQuery = Type.Object(
  {
    periodKind: PeriodKindSchema,
    periodStart: Day,
    nodeId: Type.Optional(Id),
    metrics: Type.Optional(
      Type.String({
        maxLength: 400,
        pattern: '^[a-z_,]*$',
        description: 'Metric codes, comma-separated; all when absent',
      }),
    ),
  },
  { additionalProperties: false },
);
export type MetricsQuery = Static<typeof MetricsQuery>;

const figureProps = {
  metric: Type.String(),
  num: Nullable(Type.Number()),
  den: Nullable(Type.Number()),
  /** A count: num; a rate (0–1) or an average: num/den; null when not computed (nothing to measure). */
  value: Nullable(Type.Number()),
  /** The console list behind the figure, or null. */
  link: Nullable(Type.String()),
};
export const MetricFigure = Type.Object(figureProps);
export type MetricFigure = Static<typeof MetricFigure>;

export const MetricsRow = Type.Object({
  subjectKind: SubjectKind,
  subjectId: Type.Integer(),
  name: Type.String(),
  type: Nullable(Type.String()),
  figures: Type.Array(MetricFigure),
});
export type MetricsRow = Static<typeof MetricsRow>;

const NodeRef = Type.Object({ id: Type.Integer(), name: Type.String(), type: Type.String() });

export const MetricsResult = Type.Object({
  periodKind: PeriodKindSchema,
  periodStart: Type.String(),
  periodEnd: Type.String(),
  metrics: Type.Array(Type.String()),
  node: NodeRef,
  breadcrumb: Type.Array(NodeRef),
  self: MetricsRow,
  /** The node's reporting children (a grid: its grid workers). */
  children: Type.Array(MetricsRow),
  refreshedAt: Nullable(Timestamp),
});
export type MetricsResult = Static<typeof MetricsResult>;

export const HistoryQuery = Type.Object(
  {
    subjectKind: SubjectKind,
    subjectId: Id,
    metric: Type.String({ pattern: '^[a-z_]{1,40}$' }),
    periodKind: PeriodKindSchema,
    /** The last period of the series (default: the current one). */
    periodStart: Type.Optional(Day),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;

export const HistoryResult = Type.Object({
  subjectKind: SubjectKind,
  subjectId: Type.Integer(),
  metric: Type.String(),
  periodKind: PeriodKindSchema,
  points: Type.Array(Type.Object({ periodStart: Type.String(), ...figureProps })),
});
export type HistoryResult = Static<typeof HistoryResult>;

export const RefreshItem = Type.Object({
  periodKind: PeriodKindSchema,
  periodStart: Type.String(),
  countyId: Type.Integer(),
  countyName: Type.String(),
  refreshedAt: Timestamp,
  rows: Type.Integer(),
  millis: Type.Integer(),
});
export type RefreshItem = Static<typeof RefreshItem>;

export const RefreshBody = Type.Object(
  { periodKind: PeriodKindSchema, periodStart: Day },
  { additionalProperties: false },
);
export type RefreshBody = Static<typeof RefreshBody>;

export const RefreshDone = Type.Object({
  periodKind: PeriodKindSchema,
  periodStart: Type.String(),
  rows: Type.Integer(),
  millis: Type.Integer(),
  /** assessment.score was queued for the period. */
  scoring: Type.Boolean(),
});
