import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';
import { RELATIONS } from './people.logic.js';

export const RelationSchema = Type.Enum(RELATIONS);
export const SexSchema = Type.Enum(['male', 'female']);
export const StatusSchema = Type.Enum(['active', 'moved_out', 'deceased']);
export const HouseUseSchema = Type.Enum(['owner_occupied', 'rented', 'vacant', 'commercial', 'other']);
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
/** Facts policies read (户籍类型, 收入档次, 残疾等级 1–4); null = not recorded. */
export const HukouTypeSchema = Type.Enum(['local_urban', 'local_rural', 'nonlocal']);
export const IncomeBandSchema = Type.Enum(['subsistence', 'low', 'lower_middle', 'middle', 'high']);
const DisabilityGrade = Type.Integer({ minimum: 1, maximum: 4 });
const PolicyFacts = {
  hukouType: Type.Optional(Nullable(HukouTypeSchema)),
  incomeBand: Type.Optional(Nullable(IncomeBandSchema)),
  disabilityGrade: Type.Optional(Nullable(DisabilityGrade)),
};

export const TagRef = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  sensitive: Type.Boolean(),
});

export const ResidentSummary = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  sex: SexSchema,
  age: Type.Integer(),
  birthDate: Type.String(),
  idMasked: Type.String(),
  phoneMasked: Nullable(Type.String()),
  nodeId: Type.Integer(),
  place: Type.String(),
  houseId: Nullable(Type.Integer()),
  roomNo: Nullable(Type.String()),
  householdId: Nullable(Type.Integer()),
  relation: Nullable(RelationSchema),
  status: StatusSchema,
  tags: Type.Array(TagRef),
});
export type ResidentSummary = Static<typeof ResidentSummary>;

/** A page of a resident search: `nextAfter` is the cursor of the next page (null after a short page). */
export const ResidentPage = Type.Object({
  items: Type.Array(ResidentSummary),
  total: Type.Integer(),
  nextAfter: Nullable(Type.Integer()),
});
export type ResidentPage = Static<typeof ResidentPage>;

export const Contact = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  relation: Type.String(),
  phoneMasked: Type.String(),
});

export const HouseholdMember = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  relation: Nullable(RelationSchema),
  sex: SexSchema,
  age: Type.Integer(),
  status: StatusSchema,
});

export const Household = Type.Object({
  id: Type.Integer(),
  householdNo: Nullable(Type.String()),
  headResidentId: Nullable(Type.Integer()),
  houseId: Nullable(Type.Integer()),
  nodeId: Type.Integer(),
  place: Type.String(),
  members: Type.Array(HouseholdMember),
});
export type Household = Static<typeof Household>;

export const HistoryEntry = Type.Object({
  at: Timestamp,
  actorName: Nullable(Type.String()),
  action: Type.String(),
  diff: Nullable(Type.Record(Type.String(), Type.Array(Type.Unknown()))),
  reason: Nullable(Type.String()),
});

export const ResidentDetail = Type.Intersect([
  ResidentSummary,
  Type.Object({
    ethnicity: Nullable(Type.String()),
    hukouAddress: Nullable(Type.String()),
    currentAddress: Nullable(Type.String()),
    movedInOn: Nullable(Type.String()),
    leftOn: Nullable(Type.String()),
    hukouType: Nullable(HukouTypeSchema),
    incomeBand: Nullable(IncomeBandSchema),
    disabilityGrade: Nullable(Type.Integer()),
    household: Nullable(Household),
    contacts: Type.Array(Contact),
    history: Type.Array(HistoryEntry),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
]);
export type ResidentDetail = Static<typeof ResidentDetail>;

export const ResidentsQuery = Strict({
  q: Type.Optional(Text({ maxLength: 60 })),
  tag: Type.Optional(Type.Union([Type.Array(Text({ maxLength: 40 }), { maxItems: 10 }), Text({ maxLength: 40 })])),
  tagMode: Type.Optional(Type.Enum(['any', 'all'])),
  ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
  ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
  sex: Type.Optional(SexSchema),
  status: Type.Optional(Type.Enum(['active', 'moved_out', 'deceased', 'all'])),
  nodeId: Type.Optional(Id),
  address: Type.Optional(Text({ maxLength: 60 })),
  /** Keyset paging: residents after this id (the `nextAfter` of the page before); `page` counts from it. */
  after: Type.Optional(Id),
  ...Paging,
});
export type ResidentsQuery = Static<typeof ResidentsQuery>;

const Name = Text({ minLength: 1, maxLength: 50, trim: true });
/** Optional free text such as an address: trimmed, may be empty. */
const Free = (max: number) => Text({ maxLength: max, trim: true });
const Phone = Text({ maxLength: 30, trim: true });
/** Why a tag is set or a number revealed (kept as typed; the reason rules live with the reveal). */
const Reason = Text({ minLength: 2, maxLength: 200 });

export const CreateResidentBody = Strict({
  name: Name,
  idNumber: Text({ minLength: 1, maxLength: 30, trim: true }),
  phone: Type.Optional(Nullable(Phone)),
  ethnicity: Type.Optional(Nullable(Free(20))),
  hukouAddress: Type.Optional(Nullable(Free(200))),
  currentAddress: Type.Optional(Nullable(Free(200))),
  nodeId: Id,
  houseId: Type.Optional(Nullable(Id)),
  householdId: Type.Optional(Nullable(Id)),
  relation: Type.Optional(Nullable(RelationSchema)),
  movedInOn: Type.Optional(Nullable(DateStr)),
  tagIds: Type.Optional(Type.Array(Id, { maxItems: 30 })),
  ...PolicyFacts,
});
export type CreateResidentBody = Static<typeof CreateResidentBody>;

export const UpdateResidentBody = Strict({
  name: Type.Optional(Name),
  phone: Type.Optional(Nullable(Phone)),
  ethnicity: Type.Optional(Nullable(Free(20))),
  hukouAddress: Type.Optional(Nullable(Free(200))),
  currentAddress: Type.Optional(Nullable(Free(200))),
  nodeId: Type.Optional(Id),
  houseId: Type.Optional(Nullable(Id)),
  ...PolicyFacts,
});
export type UpdateResidentBody = Static<typeof UpdateResidentBody>;

export const LeaveBody = Strict({
  reason: Type.Enum(['moved_out', 'deceased']),
  on: DateStr,
  note: Type.Optional(Free(200)),
});
export type LeaveBody = Static<typeof LeaveBody>;

export const SetTagBody = Strict({
  tagId: Id,
  reason: Reason,
});
export type SetTagBody = Static<typeof SetTagBody>;

export const RevealResidentBody = Strict({
  field: Type.Enum(['idNumber', 'phone']),
  reason: Reason,
});
export type RevealResidentBody = Static<typeof RevealResidentBody>;

export const ContactBody = Strict({
  name: Name,
  relation: Text({ minLength: 1, maxLength: 20, trim: true }),
  phone: Text({ minLength: 1, maxLength: 30, trim: true }),
});
export type ContactBody = Static<typeof ContactBody>;

export const CreateHouseholdBody = Strict({
  nodeId: Id,
  houseId: Type.Optional(Nullable(Id)),
  householdNo: Type.Optional(Nullable(Free(40))),
});
export type CreateHouseholdBody = Static<typeof CreateHouseholdBody>;

export const AddMemberBody = Strict({
  residentId: Id,
  relation: RelationSchema,
  /** A person belongs to one household: moving them from another one must be asked for. */
  moveFromOther: Type.Optional(Type.Boolean()),
});
export type AddMemberBody = Static<typeof AddMemberBody>;

export const HouseSummary = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  place: Type.String(),
  roomNo: Type.String(),
  floor: Nullable(Type.Integer()),
  use: HouseUseSchema,
  area: Nullable(Type.String()),
  address: Nullable(Type.String()),
  residentsCount: Type.Integer(),
});
export type HouseSummary = Static<typeof HouseSummary>;

export const HouseDetail = Type.Intersect([
  HouseSummary,
  Type.Object({ households: Type.Array(Household), residents: Type.Array(ResidentSummary) }),
]);
export type HouseDetail = Static<typeof HouseDetail>;

export const CreateHouseBody = Strict({
  nodeId: Id,
  roomNo: Text({ minLength: 1, maxLength: 20, trim: true }),
  floor: Type.Optional(Nullable(Type.Integer({ minimum: -5, maximum: 200 }))),
  use: Type.Optional(HouseUseSchema),
  area: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100000 }))),
  address: Type.Optional(Nullable(Free(200))),
});
export type CreateHouseBody = Static<typeof CreateHouseBody>;

export const UpdateHouseBody = Strict({
  floor: Type.Optional(Nullable(Type.Integer({ minimum: -5, maximum: 200 }))),
  use: Type.Optional(HouseUseSchema),
  area: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100000 }))),
  address: Type.Optional(Nullable(Free(200))),
});
export type UpdateHouseBody = Static<typeof UpdateHouseBody>;

export const MapRoom = Type.Object({
  houseId: Type.Integer(),
  roomNo: Type.String(),
  use: HouseUseSchema,
  residentsCount: Type.Integer(),
  /** Codes of special groups living there (sensitive ones only for roles that may see them). */
  groups: Type.Array(Type.String()),
});
export const BuildingMap = Type.Object({
  buildingId: Type.Integer(),
  name: Type.String(),
  units: Type.Array(
    Type.Object({
      nodeId: Type.Integer(),
      name: Type.String(),
      floors: Type.Array(Type.Object({ floor: Type.Integer(), rooms: Type.Array(MapRoom) })),
    }),
  ),
  totals: Type.Object({
    houses: Type.Integer(),
    residents: Type.Integer(),
    byUse: Type.Record(Type.String(), Type.Integer()),
  }),
});
export type BuildingMap = Static<typeof BuildingMap>;

export const Tag = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  code: Type.String(),
  name: Type.String(),
  sensitive: Type.Boolean(),
  rule: Nullable(
    Type.Object({
      all: Type.Array(
        Type.Object({ fact: Type.String(), op: Type.String(), value: Type.Union([Type.String(), Type.Number()]) }),
      ),
    }),
  ),
  description: Nullable(Type.String()),
  holders: Nullable(Type.Integer()),
});
export type Tag = Static<typeof Tag>;

export const TagBody = Strict({
  parentId: Type.Optional(Nullable(Id)),
  code: Type.String({ pattern: '^[a-z0-9_]{2,40}$' }),
  name: Text({ minLength: 1, maxLength: 30, trim: true }),
  sensitive: Type.Boolean(),
  rule: Type.Optional(Nullable(Type.Unknown())),
  description: Type.Optional(Nullable(Free(200))),
});
export type TagBody = Static<typeof TagBody>;

export const UpdateTagBody = Strict({
  name: Type.Optional(Text({ minLength: 1, maxLength: 30, trim: true })),
  sensitive: Type.Optional(Type.Boolean()),
  rule: Type.Optional(Nullable(Type.Unknown())),
  description: Type.Optional(Nullable(Free(200))),
});
export type UpdateTagBody = Static<typeof UpdateTagBody>;
