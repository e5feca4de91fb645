import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict, Timestamp } from '../../platform/http/schemas.js';

/** Garbage-sorting check-ins (垃圾分类打卡). */

export const GARBAGE_QUALITIES = ['good', 'fair', 'poor'] as const;
export const GARBAGE_OUTCOMES = ['credited', 'capped', 'rule_off', 'not_good'] as const;

export const GarbageCheckinCreate = Strict({
  residentId: Id,
  quality: Type.Union([Type.Literal('good'), Type.Literal('fair'), Type.Literal('poor')]),
  clientId: Type.String({ format: 'uuid' }),
});
export type GarbageCheckinCreate = Static<typeof GarbageCheckinCreate>;

export const GarbageCheckin = Type.Object({
  id: Type.Integer(),
  residentId: Type.Integer(),
  residentName: Type.String(),
  nodeId: Nullable(Type.Integer()),
  placeLabel: Nullable(Type.String()),
  quality: Type.String(),
  checkedAt: Timestamp,
  recordedBy: Type.Integer(),
  recorderName: Nullable(Type.String()),
  /** Points credited (0: none). */
  credited: Type.Integer(),
  /** credited; capped (the daily or monthly cap cut it, maybe to 0); rule_off (no enabled rule); not_good. */
  outcome: Type.String(),
  transferId: Nullable(Type.Integer()),
});
export type GarbageCheckin = Static<typeof GarbageCheckin>;

export const GarbageListQuery = Type.Object({
  nodeId: Type.Optional(Id),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  residentId: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
export type GarbageListQuery = Static<typeof GarbageListQuery>;
