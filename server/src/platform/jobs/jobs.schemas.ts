import { type Static, Type } from 'typebox';
import { Nullable, Paging, Strict, Text, Timestamp } from '../http/schemas.js';

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];
const State = Type.Union([
  Type.Literal('created'),
  Type.Literal('retry'),
  Type.Literal('active'),
  Type.Literal('completed'),
  Type.Literal('cancelled'),
  Type.Literal('failed'),
]);

const StateCounts = Type.Object({
  created: Type.Integer(),
  retry: Type.Integer(),
  active: Type.Integer(),
  completed: Type.Integer(),
  cancelled: Type.Integer(),
  failed: Type.Integer(),
});

export const QueueSummary = Type.Object({
  name: Type.String(),
  /** Its cron schedule (Asia/Shanghai), if it has one. */
  cron: Nullable(Type.String()),
  counts: StateCounts,
});
export type QueueSummary = Static<typeof QueueSummary>;

export const JobItem = Type.Object({
  id: Type.String(),
  queue: Type.String(),
  state: State,
  /** The payload with anything that may be personal hidden (jobs.logic.ts). */
  payload: Type.Unknown(),
  error: Nullable(Type.Object({ message: Type.String(), stack: Nullable(Type.String()) })),
  retryCount: Type.Integer(),
  retryLimit: Type.Integer(),
  singletonKey: Nullable(Type.String()),
  createdAt: Timestamp,
  startAfter: Timestamp,
  startedAt: Nullable(Timestamp),
  completedAt: Nullable(Timestamp),
});
export type JobItem = Static<typeof JobItem>;

export const JobsQuery = Strict({
  queue: Type.Optional(Text({ maxLength: 100 })),
  state: Type.Optional(
    Type.Union(
      JOB_STATES.map((s) => Type.Literal(s)),
      { default: 'failed' },
    ),
  ),
  ...Paging,
});
export type JobsQuery = Static<typeof JobsQuery>;

export const JobIdParams = Strict({
  id: Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }),
});
