import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

/** 一网三联's links: cadre ↔ village group, party member ↔ households, building leader ↔ building. */

export const LINK_KINDS = ['cadre_group', 'party_household', 'leader_building'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const GridLink = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum([...LINK_KINDS]),
  communityId: Type.Integer(),
  communityName: Type.String(),
  userId: Type.Integer(),
  userName: Type.String(),
  residentId: Nullable(Type.Integer()),
  /** cadre_group: the group (grid) node; leader_building: the building node. */
  nodeId: Nullable(Type.Integer()),
  householdId: Nullable(Type.Integer()),
  /** "第一网格" / "1号楼" / "1号楼 1单元 0301 张*明户" */
  targetLabel: Type.String(),
  validFrom: Type.String({ format: 'date' }),
  validTo: Nullable(Type.String({ format: 'date' })),
  /** Not ended and today within the validity. */
  active: Type.Boolean(),
  note: Nullable(Type.String()),
  createdAt: Timestamp,
  endedAt: Nullable(Timestamp),
});
export type GridLink = Static<typeof GridLink>;

export const GridLinkListQuery = Type.Object(
  {
    nodeId: Type.Optional(Id),
    kind: Type.Optional(Type.Enum([...LINK_KINDS])),
    userId: Type.Optional(Id),
    householdId: Type.Optional(Id),
    /** Default true: links in force today; false: ended or expired ones too. */
    activeOnly: Type.Optional(Type.Boolean()),
    ...Paging,
  },
  { additionalProperties: false },
);
export type GridLinkListQuery = Static<typeof GridLinkListQuery>;
export const GridLinkPage = Type.Object({ items: Type.Array(GridLink), total: Type.Integer() });
export type GridLinkPage = Static<typeof GridLinkPage>;

/** One link, or for party_household several households at once (党员联户: 10–15 each). */
export const GridLinkCreate = Strict({
  kind: Type.Enum([...LINK_KINDS]),
  userId: Id,
  residentId: Type.Optional(Id),
  nodeId: Type.Optional(Id),
  householdIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 50, uniqueItems: true })),
  validFrom: Type.String({ format: 'date' }),
  validTo: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  note: Type.Optional(Text({ maxLength: 200, trim: true })),
});
export type GridLinkCreate = Static<typeof GridLinkCreate>;
export const GridLinkCreated = Type.Object({ items: Type.Array(GridLink) });
export type GridLinkCreated = Static<typeof GridLinkCreated>;

export const GridLinkPatch = Strict({
  validTo: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  note: Type.Optional(Nullable(Text({ maxLength: 200, trim: true }))),
});
export type GridLinkPatch = Static<typeof GridLinkPatch>;
export const GridLinkEnd = Strict({ reason: Text({ minLength: 2, maxLength: 200, trim: true }) });
export type GridLinkEnd = Static<typeof GridLinkEnd>;

/** grid work [D]: the tree's node (default: the caller's first post reading visits). */
export const GridLinkTreeQuery = Type.Object({ nodeId: Type.Optional(Id) }, { additionalProperties: false });
export type GridLinkTreeQuery = Static<typeof GridLinkTreeQuery>;

/** Who is linked to whom under a node: linkers, each with what they are linked to. */
export const GridLinkTree = Type.Object({
  nodeId: Type.Integer(),
  linkers: Type.Array(
    Type.Object({
      userId: Type.Integer(),
      userName: Type.String(),
      kinds: Type.Array(Type.Enum([...LINK_KINDS])),
      links: Type.Array(GridLink),
      households: Type.Integer(),
    }),
  ),
});
export type GridLinkTree = Static<typeof GridLinkTree>;

export const GridLinkGapsQuery = Type.Object(
  {
    nodeId: Type.Optional(Id),
    /** grid work [D]: households no party member is linked to (building leaders not counted): the 联户 picker. */
    withoutParty: Type.Optional(Type.Boolean()),
    ...Paging,
  },
  { additionalProperties: false },
);
export type GridLinkGapsQuery = Static<typeof GridLinkGapsQuery>;
/** Households nobody is linked to (no party member, and no building leader of their building). */
export const GridLinkGap = Type.Object({
  householdId: Type.Integer(),
  headName: Nullable(Type.String()),
  placeLabel: Type.String(),
  members: Type.Integer(),
});
export type GridLinkGap = Static<typeof GridLinkGap>;
export const GridLinkGapPage = Type.Object({ items: Type.Array(GridLinkGap), total: Type.Integer() });
export type GridLinkGapPage = Static<typeof GridLinkGapPage>;

/** The caller's own links (a party member's households), with what they may see of each. */
export const MyLinks = Type.Object({
  items: Type.Array(
    Type.Object({
      link: GridLink,
      households: Type.Array(
        Type.Object({
          householdId: Type.Integer(),
          headName: Nullable(Type.String()),
          placeLabel: Type.String(),
          members: Type.Integer(),
          lastVisitedAt: Nullable(Timestamp),
        }),
      ),
    }),
  ),
});
export type MyLinks = Static<typeof MyLinks>;
