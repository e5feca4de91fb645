import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/** The patrol log (巡查): a worker's patrol from start to end and what they found; a finding may become a case. */

export const PATROL_STATUSES = ['active', 'ended'] as const;
export type PatrolStatus = (typeof PATROL_STATUSES)[number];

/** [lat, lng, epoch ms] as the phone sampled them. */
export const TrackPoint = Type.Tuple([
  Type.Number({ minimum: -90, maximum: 90 }),
  Type.Number({ minimum: -180, maximum: 180 }),
  Type.Integer({ minimum: 0 }),
]);

export const PatrolStart = Strict({
  clientId: Type.String({ format: 'uuid' }),
  /** The grid patrolled (default: the caller's own grid). */
  nodeId: Type.Optional(Id),
  /** When it started (the phone's clock; default now); not in the future. */
  startedAt: Type.Optional(Timestamp),
});
export type PatrolStart = Static<typeof PatrolStart>;

export const PatrolEnd = Strict({
  endedAt: Type.Optional(Timestamp),
  note: Type.Optional(Text({ maxLength: 1000, trim: true })),
  track: Type.Optional(Type.Array(TrackPoint, { maxItems: 5000 })),
});
export type PatrolEnd = Static<typeof PatrolEnd>;

export const FindingInput = Strict({
  clientId: Type.String({ format: 'uuid' }),
  description: Text({ minLength: 1, maxLength: 500, trim: true }),
  /** Where (a node in the patrolled grid, default the grid), optionally a house and a point. */
  nodeId: Type.Optional(Id),
  houseId: Type.Optional(Id),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  foundAt: Type.Optional(Timestamp),
  fileIds: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' }), { maxItems: 9 })),
  /** Report it as a case at once (source patrol), in this category. */
  caseCategoryId: Type.Optional(Id),
});
export type FindingInput = Static<typeof FindingInput>;

export const Finding = Type.Object({
  id: Type.Integer(),
  patrolId: Type.Integer(),
  description: Type.String(),
  nodeId: Type.Integer(),
  placeLabel: Type.String(),
  houseId: Nullable(Type.Integer()),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  foundAt: Timestamp,
  caseId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  files: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), mime: Type.String() })),
});
export type Finding = Static<typeof Finding>;

export const FindingCaseCreate = Strict({
  categoryId: Id,
  title: Type.Optional(Text({ minLength: 1, maxLength: 100, trim: true })),
});
export type FindingCaseCreate = Static<typeof FindingCaseCreate>;

export const PatrolListItem = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  placeLabel: Type.String(),
  workerId: Type.Integer(),
  workerName: Type.String(),
  status: Type.Enum([...PATROL_STATUSES]),
  startedAt: Timestamp,
  endedAt: Nullable(Timestamp),
  minutes: Nullable(Type.Integer()),
  distanceM: Nullable(Type.Integer()),
  findings: Type.Integer(),
  cases: Type.Integer(),
});
export type PatrolListItem = Static<typeof PatrolListItem>;

export const PatrolDetail = Type.Object({
  ...PatrolListItem.properties,
  note: Nullable(Type.String()),
  track: Nullable(Type.Array(TrackPoint)),
  items: Type.Array(Finding),
  can: Type.Object({ end: Type.Boolean(), addFinding: Type.Boolean() }),
});
export type PatrolDetail = Static<typeof PatrolDetail>;

export const PatrolListQuery = Type.Object(
  {
    nodeId: Type.Optional(Id),
    workerId: Type.Optional(Id),
    status: Type.Optional(Type.Enum([...PATROL_STATUSES])),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    ...Paging,
  },
  { additionalProperties: false },
);
export type PatrolListQuery = Static<typeof PatrolListQuery>;
export const PatrolPage = Type.Object({ items: Type.Array(PatrolListItem), total: Type.Integer() });
export type PatrolPage = Static<typeof PatrolPage>;
/** GET /api/patrols/current: the caller's patrol under way, or null. */
export const CurrentPatrol = Type.Object({ patrol: Nullable(PatrolDetail) });
export type CurrentPatrol = Static<typeof CurrentPatrol>;
