import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';
import { CORRECTABLE_FIELDS, DELETABLE_FIELDS, LEGAL_GROUNDS, PURPOSE_CODES } from './privacy.logic.js';

const PurposeCode = Type.Enum([...PURPOSE_CODES]);

export const PrivacyPurpose = Type.Object({
  code: Type.String(),
  name: Type.String(),
  notice: Type.String(),
  basis: Type.Enum(['statutory', 'consent']),
  objectable: Type.Boolean(),
  /** The resident objected and a worker accepted: processing for it stopped. */
  objected: Type.Boolean(),
  sections: Type.Array(Type.String()),
});

export const ChangeView = Type.Object({ field: Type.String(), value: Nullable(Type.String()) });

export const RequestKind = Type.Enum(['correction', 'deletion']);
export const RequestStatus = Type.Enum(['pending', 'accepted', 'rejected']);

/** A privacy request as its resident sees it (their own proposed values in full). */
export const MyRequest = Type.Object({
  id: Type.Integer(),
  kind: RequestKind,
  purpose: Nullable(Type.String()),
  changes: Type.Array(ChangeView),
  tags: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  explanation: Type.String(),
  status: RequestStatus,
  dueAt: Timestamp,
  createdAt: Timestamp,
  decidedAt: Nullable(Timestamp),
  decisionNote: Nullable(Type.String()),
  legalGround: Nullable(Type.String()),
  /** The legal ground in the caller's language. */
  legalGroundText: Nullable(Type.String()),
});
export type MyRequest = Static<typeof MyRequest>;

const Member = Type.Object({
  id: Type.Integer(),
  /** Masked (张*明) except the caller's own. */
  name: Type.String(),
  relation: Nullable(Type.String()),
  sex: Type.String(),
  age: Type.Integer(),
  isSelf: Type.Boolean(),
});

/** "My data": everything Linli holds about the caller and their household, each section with its purpose. */
export const MyData = Type.Object({
  linked: Type.Boolean(),
  purposes: Type.Array(PrivacyPurpose),
  record: Nullable(
    Type.Object({
      purpose: Type.String(),
      id: Type.Integer(),
      name: Type.String(),
      sex: Type.String(),
      birthDate: Type.String(),
      idNumber: Type.String(),
      phone: Nullable(Type.String()),
      ethnicity: Nullable(Type.String()),
      relation: Nullable(Type.String()),
      status: Type.String(),
      place: Type.String(),
      hukouAddress: Nullable(Type.String()),
      currentAddress: Nullable(Type.String()),
      movedInOn: Nullable(Type.String()),
      hukouType: Nullable(Type.String()),
      incomeBand: Nullable(Type.String()),
      disabilityGrade: Nullable(Type.Integer()),
      updatedAt: Timestamp,
    }),
  ),
  household: Nullable(
    Type.Object({ purpose: Type.String(), householdNo: Nullable(Type.String()), members: Type.Array(Member) }),
  ),
  house: Nullable(
    Type.Object({
      purpose: Type.String(),
      roomNo: Nullable(Type.String()),
      address: Nullable(Type.String()),
      area: Nullable(Type.Number()),
      use: Nullable(Type.String()),
      place: Type.String(),
    }),
  ),
  tags: Type.Object({
    purpose: Type.String(),
    items: Type.Array(
      Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        sensitive: Type.Boolean(),
        /** manual (set by a worker), rule (derived, e.g. from age), import. */
        source: Type.String(),
        since: Timestamp,
        /** A resident may ask to remove it (set by hand or import, not derived by a rule). */
        removable: Type.Boolean(),
      }),
    ),
  }),
  cases: Type.Object({
    purpose: Type.String(),
    items: Type.Array(
      Type.Object({ id: Type.Integer(), title: Type.String(), stage: Type.String(), createdAt: Timestamp }),
    ),
  }),
  balances: Type.Object({
    purpose: Type.String(),
    items: Type.Array(
      Type.Object({
        currency: Type.String(),
        /** points: points; hours: minutes; conduct: points. */
        balance: Type.Integer(),
        unit: Type.Enum(['points', 'minutes']),
        owner: Type.Enum(['self', 'household']),
      }),
    ),
  }),
  visits: Type.Object({
    purpose: Type.String(),
    items: Type.Array(
      Type.Object({
        id: Type.Integer(),
        visitedAt: Timestamp,
        outcome: Type.String(),
        note: Nullable(Type.String()),
        visitor: Type.String(),
        /** The visit was to the household, not to the caller by name. */
        household: Type.Boolean(),
      }),
    ),
  }),
  devices: Type.Object({
    purpose: Type.String(),
    items: Type.Array(
      Type.Object({
        id: Type.Integer(),
        type: Type.String(),
        name: Nullable(Type.String()),
        location: Nullable(Type.String()),
        status: Type.String(),
      }),
    ),
  }),
  consents: Type.Object({
    purpose: Type.String(),
    objections: Type.Array(Type.Object({ purpose: Type.String(), since: Timestamp })),
    requests: Type.Array(MyRequest),
  }),
  /** Fields a correction may name, and those a deletion may (the others are required by law). */
  correctable: Type.Array(Type.String()),
  deletable: Type.Array(Type.String()),
});
export type MyData = Static<typeof MyData>;

export const CopyQuery = Type.Object(
  { format: Type.Optional(Type.Enum(['json', 'xlsx'], { default: 'json' })) },
  { additionalProperties: false },
);
export type CopyQuery = Static<typeof CopyQuery>;

const Value = Nullable(Text({ maxLength: 200, trim: true }));

/** One body for both kinds: what each kind needs is checked by the service, which names the missing field. */
export const CreateRequestBody = Strict({
  kind: RequestKind,
  /** correction: the fields and their proposed values (null clears an optional field). */
  changes: Type.Optional(
    Type.Array(Strict({ field: Type.Enum([...CORRECTABLE_FIELDS]), value: Value }), {
      maxItems: CORRECTABLE_FIELDS.length,
    }),
  ),
  /** deletion: the purpose objected to, and optionally optional fields and tags to remove. */
  purpose: Type.Optional(PurposeCode),
  fields: Type.Optional(Type.Array(Type.Enum([...DELETABLE_FIELDS]), { maxItems: DELETABLE_FIELDS.length })),
  tagIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  explanation: Text({ minLength: 1, maxLength: 500, trim: true }),
});
export type CreateRequestBody = Static<typeof CreateRequestBody>;

export const RequestListQuery = Type.Object(
  {
    status: Type.Optional(RequestStatus),
    kind: Type.Optional(RequestKind),
    overdue: Type.Optional(Type.Boolean()),
    nodeId: Type.Optional(Id),
    ...Paging,
  },
  { additionalProperties: false },
);
export type RequestListQuery = Static<typeof RequestListQuery>;

/** A request as a worker sees it: the resident's name masked unless people.sensitive, proposed phone masked. */
export const RequestSummary = Type.Object({
  id: Type.Integer(),
  kind: RequestKind,
  status: RequestStatus,
  purpose: Nullable(Type.String()),
  residentId: Type.Integer(),
  residentName: Type.String(),
  place: Type.String(),
  changes: Type.Array(ChangeView),
  dueAt: Timestamp,
  overdue: Type.Boolean(),
  createdAt: Timestamp,
  decidedAt: Nullable(Timestamp),
});
export type RequestSummary = Static<typeof RequestSummary>;

export const RequestPage = Type.Object({ items: Type.Array(RequestSummary), total: Type.Integer() });
export type RequestPage = Static<typeof RequestPage>;

export const RequestDetail = Type.Object({
  ...RequestSummary.properties,
  explanation: Type.String(),
  tags: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), held: Type.Boolean() })),
  fields: Type.Array(Type.String()),
  /** The record's values now (masked numbers), beside the proposed ones. */
  current: Type.Record(Type.String(), Nullable(Type.String())),
  before: Nullable(Type.Record(Type.String(), Nullable(Type.String()))),
  decidedBy: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()),
  legalGround: Nullable(Type.String()),
  legalGroundText: Nullable(Type.String()),
  requester: Type.String(),
});
export type RequestDetail = Static<typeof RequestDetail>;

/** accept, or reject with the legal ground and a note (both required then). */
export const DecisionBody = Strict({
  decision: Type.Enum(['accept', 'reject']),
  legalGround: Type.Optional(Type.Enum([...LEGAL_GROUNDS])),
  note: Type.Optional(Text({ maxLength: 500, trim: true })),
});
export type DecisionBody = Static<typeof DecisionBody>;
