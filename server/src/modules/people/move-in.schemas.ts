import { type Static, Type } from 'typebox';
import { Nullable, Paging, Strict, Timestamp } from '../../platform/http/schemas.js';
import { RelationSchema, SexSchema, StatusSchema } from './people.schemas.js';

export const MoveInStatusSchema = Type.Enum(['pending', 'accepted', 'declined']);

/** What registering a person answers when they are registered outside the caller's area: nothing about them. */
export const MoveInSubmitted = Type.Object({
  status: Type.Literal('review'),
  moveInRequestId: Type.Integer(),
  message: Type.String(),
});
export type MoveInSubmitted = Static<typeof MoveInSubmitted>;

/** The facts the requester typed, and what the holding community sees of the person and of the requester. */
export const MoveInReview = Type.Object({
  requesterName: Type.String(),
  phoneMasked: Nullable(Type.String()),
  ethnicity: Nullable(Type.String()),
  hukouAddress: Nullable(Type.String()),
  currentAddress: Nullable(Type.String()),
  movedInOn: Nullable(Type.String()),
  householdId: Nullable(Type.Integer()),
  householdNo: Nullable(Type.String()),
  relation: Nullable(RelationSchema),
  declineReason: Nullable(Type.String()),
  decidedByName: Nullable(Type.String()),
  resident: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    sex: SexSchema,
    idMasked: Type.String(),
    place: Type.String(),
    status: StatusSchema,
  }),
});

/**
 * A move-in request. The requester sees only what they submitted (the name as typed, the destination) and
 * the outcome; `review` is there only for those who hold the person and decide.
 */
export const MoveInRequest = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  destNodeId: Type.Integer(),
  destPlace: Type.String(),
  roomNo: Nullable(Type.String()),
  source: Type.Enum(['api', 'import']),
  status: MoveInStatusSchema,
  createdAt: Timestamp,
  decidedAt: Nullable(Timestamp),
  review: Type.Optional(MoveInReview),
});
export type MoveInRequest = Static<typeof MoveInRequest>;

export const MoveInQuery = Strict({
  /** incoming: requests about people the caller holds (to decide); outgoing: the caller's own. */
  box: Type.Optional(Type.Enum(['incoming', 'outgoing'])),
  status: Type.Optional(MoveInStatusSchema),
  ...Paging,
});
export type MoveInQuery = Static<typeof MoveInQuery>;

export const MOVE_IN_FACTS = ['name', 'phone', 'ethnicity', 'hukouAddress', 'currentAddress'] as const;
export type MoveInFact = (typeof MOVE_IN_FACTS)[number];

export const AcceptMoveInBody = Strict({
  /** Facts typed by the requester that replace the stored ones; the others stay as stored. */
  adopt: Type.Optional(Type.Array(Type.Enum(MOVE_IN_FACTS), { maxItems: MOVE_IN_FACTS.length, uniqueItems: true })),
  note: Type.Optional(Type.String({ maxLength: 200 })),
});
export type AcceptMoveInBody = Static<typeof AcceptMoveInBody>;

export const DeclineMoveInBody = Strict({
  reason: Type.String({ minLength: 2, maxLength: 200 }),
});
export type DeclineMoveInBody = Static<typeof DeclineMoveInBody>;
