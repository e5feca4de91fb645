import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

// ---- verification --------------------------------------------------------------------------------------------

export const VerificationRequestBody = Strict({
  idNumber: Text({ minLength: 15, maxLength: 20, trim: true }),
  phone: Text({ minLength: 5, maxLength: 20, trim: true }),
});
export type VerificationRequestBody = Static<typeof VerificationRequestBody>;

export const MyVerification = Type.Object({
  /** The account is linked to a resident record. */
  linked: Type.Boolean(),
  /** Linked, and the link was verified (ID number + phone, approved by the building leader or grid worker). */
  verified: Type.Boolean(),
  verifiedAt: Nullable(Timestamp),
  /** The request waiting for a decision, or the last decided one. */
  request: Nullable(
    Type.Object({
      id: Type.Integer(),
      status: Type.Enum(['pending', 'approved', 'rejected']),
      requestedAt: Timestamp,
      decidedAt: Nullable(Timestamp),
      note: Nullable(Type.String()),
    }),
  ),
});
export type MyVerification = Static<typeof MyVerification>;

export const VerificationListQuery = Type.Object(
  { status: Type.Optional(Type.Enum(['pending', 'approved', 'rejected'])), ...Paging },
  { additionalProperties: false },
);
export type VerificationListQuery = Static<typeof VerificationListQuery>;

export const VerificationItem = Type.Object({
  id: Type.Integer(),
  status: Type.Enum(['pending', 'approved', 'rejected']),
  accountName: Type.String(),
  residentId: Type.Integer(),
  /** Masked unless the caller holds people.sensitive there. */
  residentName: Type.String(),
  place: Type.String(),
  requestedAt: Timestamp,
  decidedAt: Nullable(Timestamp),
  note: Nullable(Type.String()),
});
export type VerificationItem = Static<typeof VerificationItem>;
export const VerificationPage = Type.Object({ items: Type.Array(VerificationItem), total: Type.Integer() });
export type VerificationPage = Static<typeof VerificationPage>;

export const VerificationDecisionBody = Strict({
  decision: Type.Enum(['approve', 'reject']),
  note: Type.Optional(Text({ maxLength: 200, trim: true })),
});
export type VerificationDecisionBody = Static<typeof VerificationDecisionBody>;

// ---- topics --------------------------------------------------------------------------------------------------

export const TopicStatus = Type.Enum(['pending', 'open', 'closed', 'rejected']);

export const TopicCreate = Strict({
  /** A community, grid or building: whose residents take part. */
  nodeId: Id,
  title: Text({ minLength: 1, maxLength: 100, trim: true }),
  body: Type.Optional(Text({ maxLength: 4000, trim: true })),
});
export type TopicCreate = Static<typeof TopicCreate>;

export const TopicListQuery = Type.Object(
  { status: Type.Optional(TopicStatus), nodeId: Type.Optional(Id), ...Paging },
  { additionalProperties: false },
);
export type TopicListQuery = Static<typeof TopicListQuery>;

export const TopicSummary = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  status: TopicStatus,
  origin: Type.Enum(['resident', 'community']),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  authorName: Type.String(),
  createdAt: Timestamp,
  openedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  comments: Type.Integer(),
  proposals: Type.Integer(),
  votes: Type.Integer(),
  /** Votes still taking ballots. */
  openVotes: Type.Integer(),
});
export type TopicSummary = Static<typeof TopicSummary>;
export const TopicPage = Type.Object({
  items: Type.Array(TopicSummary),
  total: Type.Integer(),
  /** Residents' list: whether the account may take part (verified) — a worker's list always true. */
  verified: Type.Boolean(),
});
export type TopicPage = Static<typeof TopicPage>;

export const CommentView = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  authorName: Type.String(),
  /** Empty for a hidden or removed comment (its place in the thread stays). */
  body: Type.String(),
  status: Type.Enum(['visible', 'hidden', 'removed']),
  reports: Type.Integer(),
  createdAt: Timestamp,
  mine: Type.Boolean(),
});
export type CommentView = Static<typeof CommentView>;

export const ProposalView = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  authorName: Type.String(),
  supports: Type.Integer(),
  supportedByMe: Type.Boolean(),
  createdAt: Timestamp,
});
export type ProposalView = Static<typeof ProposalView>;

export const VoteResults = Type.Object({
  counts: Type.Array(Type.Object({ optionId: Type.Integer(), label: Type.String(), count: Type.Integer() })),
  turnout: Type.Integer(),
  /** Residents (per_resident) or households (per_household) entitled to vote. */
  eligible: Type.Integer(),
  required: Type.Integer(),
  quorumMet: Type.Boolean(),
  leading: Type.Array(Type.Integer()),
  final: Type.Boolean(),
});
export type VoteResults = Static<typeof VoteResults>;

export const VoteView = Type.Object({
  id: Type.Integer(),
  question: Type.String(),
  rule: Type.Enum(['per_resident', 'per_household']),
  secrecy: Type.Enum(['secret', 'open']),
  quorumKind: Type.Enum(['share', 'count']),
  quorumValue: Type.Number(),
  deadline: Timestamp,
  status: Type.Enum(['open', 'closed']),
  /** Closed, or past its deadline. */
  over: Type.Boolean(),
  options: Type.Array(Type.Object({ id: Type.Integer(), label: Type.String() })),
  /** The caller's own ballot: voted, and for an open vote their choice (a secret ballot is not linked to them). */
  myBallot: Type.Object({ voted: Type.Boolean(), optionId: Nullable(Type.Integer()) }),
  /** Null while a secret vote runs. */
  results: Nullable(VoteResults),
});
export type VoteView = Static<typeof VoteView>;

export const DecisionView = Type.Object({
  id: Type.Integer(),
  meetingId: Type.Integer(),
  meetingTitle: Type.String(),
  heldAt: Timestamp,
  title: Type.String(),
  owner: Nullable(Type.String()),
  status: Type.Enum(['open', 'in_progress', 'done']),
  outcome: Nullable(Type.String()),
  caseId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  updatedAt: Timestamp,
  doneAt: Nullable(Timestamp),
});
export type DecisionView = Static<typeof DecisionView>;

export const TopicDetail = Type.Object({
  ...TopicSummary.properties,
  body: Type.String(),
  reviewNote: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  comments: Type.Array(CommentView),
  proposals: Type.Array(ProposalView),
  votes: Type.Array(VoteView),
  /** Decisions of three-party meetings on this topic, with their outcomes (published). */
  decisions: Type.Array(DecisionView),
  can: Type.Object({ take_part: Type.Boolean(), manage: Type.Boolean() }),
});
export type TopicDetail = Static<typeof TopicDetail>;

export const TopicReviewBody = Strict({
  decision: Type.Enum(['approve', 'reject']),
  note: Type.Optional(Text({ maxLength: 200, trim: true })),
});
export type TopicReviewBody = Static<typeof TopicReviewBody>;

export const TopicCloseBody = Strict({ outcome: Type.Optional(Text({ maxLength: 2000, trim: true })) });
export type TopicCloseBody = Static<typeof TopicCloseBody>;

// ---- comments, proposals, votes ------------------------------------------------------------------------------

export const CommentCreate = Strict({
  body: Text({ minLength: 1, maxLength: 1000, trim: true }),
  parentId: Type.Optional(Id),
});
export type CommentCreate = Static<typeof CommentCreate>;

export const CommentReportBody = Strict({ reason: Type.Optional(Text({ maxLength: 200, trim: true })) });
export type CommentReportBody = Static<typeof CommentReportBody>;

export const ModerationBody = Strict({
  action: Type.Enum(['hide', 'restore', 'remove']),
  note: Type.Optional(Text({ maxLength: 200, trim: true })),
});
export type ModerationBody = Static<typeof ModerationBody>;

export const ModerationItem = Type.Object({
  id: Type.Integer(),
  topicId: Type.Integer(),
  topicTitle: Type.String(),
  authorName: Type.String(),
  body: Type.String(),
  status: Type.Enum(['visible', 'hidden', 'removed']),
  reports: Type.Integer(),
  reasons: Type.Array(Type.String()),
  createdAt: Timestamp,
});
export const ModerationQueue = Type.Object({ items: Type.Array(ModerationItem) });
export type ModerationQueue = Static<typeof ModerationQueue>;

export const ProposalCreate = Strict({
  title: Text({ minLength: 1, maxLength: 100, trim: true }),
  body: Type.Optional(Text({ maxLength: 2000, trim: true })),
});
export type ProposalCreate = Static<typeof ProposalCreate>;

export const VoteCreate = Strict({
  question: Text({ minLength: 1, maxLength: 200, trim: true }),
  options: Type.Array(Text({ minLength: 1, maxLength: 100, trim: true }), { minItems: 2, maxItems: 10 }),
  rule: Type.Enum(['per_resident', 'per_household']),
  secrecy: Type.Enum(['secret', 'open']),
  /** share: 0–1 of the eligible units; count: a number of ballots. */
  quorumKind: Type.Enum(['share', 'count']),
  quorumValue: Type.Number({ minimum: 0, maximum: 100000 }),
  deadline: Timestamp,
});
export type VoteCreate = Static<typeof VoteCreate>;

export const BallotBody = Strict({ optionId: Id });
export type BallotBody = Static<typeof BallotBody>;

export const BallotReceipt = Type.Object({ voteId: Type.Integer(), voted: Type.Boolean(), castAt: Timestamp });
export type BallotReceipt = Static<typeof BallotReceipt>;

// ---- meetings ------------------------------------------------------------------------------------------------

export const Attendee = Strict({
  /** 社区两委 committee, 物业 property company, 业委会 owners' committee, others (residents, units) */
  party: Type.Enum(['committee', 'property', 'owners', 'other']),
  name: Text({ minLength: 1, maxLength: 60, trim: true }),
  present: Type.Boolean(),
});

export const MeetingCreate = Strict({
  nodeId: Id,
  topicId: Type.Optional(Id),
  title: Text({ minLength: 1, maxLength: 100, trim: true }),
  heldAt: Timestamp,
  place: Type.Optional(Text({ maxLength: 100, trim: true })),
  agenda: Type.Optional(Text({ maxLength: 4000, trim: true })),
  attendance: Type.Optional(Type.Array(Attendee, { maxItems: 100 })),
  minutes: Type.Optional(Text({ maxLength: 20000, trim: true })),
});
export type MeetingCreate = Static<typeof MeetingCreate>;

export const MeetingPatch = Strict({
  agenda: Type.Optional(Text({ maxLength: 4000, trim: true })),
  attendance: Type.Optional(Type.Array(Attendee, { maxItems: 100 })),
  minutes: Type.Optional(Text({ maxLength: 20000, trim: true })),
});
export type MeetingPatch = Static<typeof MeetingPatch>;

export const MeetingListQuery = Type.Object({ ...Paging }, { additionalProperties: false });
export type MeetingListQuery = Static<typeof MeetingListQuery>;

export const MeetingSummary = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  topicId: Nullable(Type.Integer()),
  topicTitle: Nullable(Type.String()),
  heldAt: Timestamp,
  place: Nullable(Type.String()),
  decisions: Type.Integer(),
  decisionsDone: Type.Integer(),
});
export const MeetingPage = Type.Object({ items: Type.Array(MeetingSummary), total: Type.Integer() });
export type MeetingPage = Static<typeof MeetingPage>;

export const MeetingDetail = Type.Object({
  ...MeetingSummary.properties,
  agenda: Type.String(),
  attendance: Type.Array(Attendee),
  minutes: Type.String(),
  decisionList: Type.Array(DecisionView),
});
export type MeetingDetail = Static<typeof MeetingDetail>;

export const DecisionCreate = Strict({
  title: Text({ minLength: 1, maxLength: 200, trim: true }),
  owner: Type.Optional(Text({ maxLength: 60, trim: true })),
});
export type DecisionCreate = Static<typeof DecisionCreate>;

export const DecisionPatch = Strict({
  status: Type.Optional(Type.Enum(['in_progress', 'done'])),
  outcome: Type.Optional(Text({ maxLength: 2000, trim: true })),
  owner: Type.Optional(Text({ maxLength: 60, trim: true })),
});
export type DecisionPatch = Static<typeof DecisionPatch>;

export const DecisionCaseBody = Strict({
  categoryId: Id,
  /** Where: a grid, building or unit in the meeting's area (default: the meeting's own node). */
  nodeId: Type.Optional(Id),
  description: Type.Optional(Text({ maxLength: 2000, trim: true })),
});
export type DecisionCaseBody = Static<typeof DecisionCaseBody>;
