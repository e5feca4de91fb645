import { type Static, Type } from 'typebox';
import { Id, Nullable, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/** Time bank (时间银行): service records (存时间), requests (取时间) and matching. Hours are whole minutes. */

export const SERVICE_STATUSES = ['pending', 'confirmed', 'rejected'] as const;
export const REQUEST_STATUSES = ['open', 'matched', 'done', 'cancelled'] as const;

/** A service type or skill: a free code (its label is i18n `volunteers.skills.<code>`). */
export const ServiceType = Type.String({ pattern: '^[a-z][a-z_]{1,39}$' });
export const Minutes = Type.Integer({ minimum: 15, maximum: 1440 });

export const ServiceRecord = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  volunteerResidentId: Type.Integer(),
  volunteerName: Type.String(),
  recipientResidentId: Type.Integer(),
  recipientName: Type.String(),
  requestId: Nullable(Type.Integer()),
  serviceType: Type.String(),
  servedAt: Timestamp,
  minutes: Type.Integer(),
  note: Nullable(Type.String()),
  status: Type.Enum([...SERVICE_STATUSES]),
  /** Who pays the hours when it is confirmed: the community's issuer, or the requester's hours account. */
  payer: Type.Union([Type.Literal('community'), Type.Literal('requester')]),
  recordedBy: Type.Integer(),
  confirmedAt: Nullable(Timestamp),
  rejectReason: Nullable(Type.String()),
  transferId: Nullable(Type.Integer()),
  createdAt: Timestamp,
});
export type ServiceRecord = Static<typeof ServiceRecord>;

export const TimebankRequest = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  requesterResidentId: Type.Integer(),
  requesterName: Type.String(),
  beneficiaryResidentId: Type.Integer(),
  beneficiaryName: Type.String(),
  serviceType: Type.String(),
  description: Nullable(Type.String()),
  place: Nullable(Type.String()),
  wantedAt: Timestamp,
  minutes: Type.Integer(),
  payFrom: Type.Union([Type.Literal('requester'), Type.Literal('community')]),
  status: Type.Enum([...REQUEST_STATUSES]),
  volunteerResidentId: Nullable(Type.Integer()),
  volunteerName: Nullable(Type.String()),
  matchedAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
export type TimebankRequest = Static<typeof TimebankRequest>;

// ---- service records -------------------------------------------------------------------------------------------

const serviceFields = {
  recipientResidentId: Id,
  serviceType: ServiceType,
  /** When it was given (not in the future). */
  servedAt: Timestamp,
  minutes: Minutes,
  note: Type.Optional(Text({ maxLength: 500, trim: true })),
  /** The request it answers (matched to the volunteer; the recipient is its beneficiary). */
  requestId: Type.Optional(Id),
};
export const MyServiceCreate = Strict(serviceFields);
export type MyServiceCreate = Static<typeof MyServiceCreate>;
export const ServiceCreate = Strict({ volunteerResidentId: Id, ...serviceFields });
export type ServiceCreate = Static<typeof ServiceCreate>;

export const ServiceReject = Strict({ reason: Text({ minLength: 1, maxLength: 200, trim: true }) });
export type ServiceReject = Static<typeof ServiceReject>;

export const ServiceListQuery = Strict({
  nodeId: Type.Optional(Id),
  status: Type.Optional(Type.Enum([...SERVICE_STATUSES])),
});
export type ServiceListQuery = Static<typeof ServiceListQuery>;

// ---- requests ----------------------------------------------------------------------------------------------------

const requestFields = {
  beneficiaryResidentId: Id,
  serviceType: ServiceType,
  description: Type.Optional(Text({ maxLength: 500, trim: true })),
  place: Type.Optional(Text({ maxLength: 100, trim: true })),
  wantedAt: Timestamp,
  minutes: Minutes,
};
export const MyRequestCreate = Strict(requestFields);
export type MyRequestCreate = Static<typeof MyRequestCreate>;
/** A worker's request, paid by the community (e.g. for a lonely elder who has no hours). */
export const RequestCreate = Strict(requestFields);
export type RequestCreate = Static<typeof RequestCreate>;

export const RequestListQuery = Strict({
  nodeId: Type.Optional(Id),
  status: Type.Optional(Type.Enum([...REQUEST_STATUSES])),
});
export type RequestListQuery = Static<typeof RequestListQuery>;

export const RequestMatch = Strict({ volunteerResidentId: Id });
export type RequestMatch = Static<typeof RequestMatch>;

const Reason = Type.Object({
  code: Type.String(),
  skill: Type.Optional(Type.String()),
  place: Type.Optional(Type.String()),
  count: Type.Optional(Type.Integer()),
});
export const Candidate = Type.Object({
  residentId: Type.Integer(),
  name: Type.String(),
  skills: Type.Array(Type.String()),
  openMatches: Type.Integer(),
  recentNoShows: Type.Integer(),
  rank: Type.Integer(),
  skillMatch: Type.Boolean(),
  place: Type.String(),
  reasons: Type.Array(Reason),
});
export const CandidateList = Type.Object({ items: Type.Array(Candidate) });
export type CandidateList = Static<typeof CandidateList>;

// ---- the phone: my hours, people I serve -------------------------------------------------------------------------

export const PeopleQuery = Strict({
  name: Text({ minLength: 1, maxLength: 50, trim: true }),
  /** The room number (门牌), to tell namesakes apart. */
  room: Type.Optional(Text({ maxLength: 20, trim: true })),
});
export type PeopleQuery = Static<typeof PeopleQuery>;
export const Person = Type.Object({ residentId: Type.Integer(), name: Type.String(), placeLabel: Type.String() });
export const PersonList = Type.Object({ items: Type.Array(Person) });
export type PersonList = Static<typeof PersonList>;

export const MyTimebank = Type.Object({
  residentId: Type.Integer(),
  name: Type.String(),
  volunteer: Type.Boolean(),
  balanceMinutes: Type.Integer(),
  /** Minutes promised to open or matched requests paid from my hours. */
  reservedMinutes: Type.Integer(),
  availableMinutes: Type.Integer(),
  given: Type.Array(ServiceRecord),
  received: Type.Array(ServiceRecord),
  awaitingMe: Type.Array(ServiceRecord),
  requests: Type.Array(TimebankRequest),
  /** Requests matched to me (a volunteer) and not done. */
  matchedToMe: Type.Array(TimebankRequest),
  /** Open requests of my community I could take (a volunteer). */
  openNearby: Type.Array(TimebankRequest),
});
export type MyTimebank = Static<typeof MyTimebank>;

export const TimebankStats = Type.Object({
  communities: Type.Array(
    Type.Object({
      nodeId: Type.Integer(),
      name: Type.String(),
      depositedMinutes: Type.Integer(),
      withdrawnMinutes: Type.Integer(),
      services: Type.Integer(),
      openRequests: Type.Integer(),
    }),
  ),
  topVolunteers: Type.Array(
    Type.Object({ residentId: Type.Integer(), name: Type.String(), minutes: Type.Integer(), services: Type.Integer() }),
  ),
});
export type TimebankStats = Static<typeof TimebankStats>;
