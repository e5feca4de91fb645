import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  actorId: Nullable(Type.Integer()),
  actorName: Nullable(Type.String()),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Nullable(Type.String()),
  targetLabel: Nullable(Type.String()),
  diff: Nullable(Type.Record(Type.String(), Type.Array(Type.Unknown(), { minItems: 2, maxItems: 2 }))),
  reason: Nullable(Type.String()),
  requestId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Strict({
  actor: Type.Optional(Text({ maxLength: 60 })),
  action: Type.Optional(Text({ maxLength: 60 })),
  targetType: Type.Optional(Text({ maxLength: 40 })),
  targetId: Type.Optional(Text({ maxLength: 40 })),
  /** Only entries about targets at or under this node. */
  nodeId: Type.Optional(Id),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  ...Paging,
});
export type AuditQuery = Static<typeof AuditQuery>;
