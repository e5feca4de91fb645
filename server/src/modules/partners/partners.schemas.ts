import { type Static, Type } from 'typebox';
import { Id, Items, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';
import { CLAIM_STATUSES, DELIVERY_STATUSES, ORG_KINDS, ORG_STATUSES, PROJECT_CATEGORIES } from './partners.logic.js';

/** Partners (红色合伙人): organisations, the community's projects, claims, deliveries and the public notice. */

const Day = Type.String({ format: 'date' });
const FileId = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' });

export const OrgApply = Strict({
  name: Text({ minLength: 1, maxLength: 80, trim: true }),
  kind: Type.Enum([...ORG_KINDS]),
  creditCode: Type.String({ minLength: 1, maxLength: 30 }),
  contact: Text({ minLength: 1, maxLength: 50, trim: true }),
  phone: Type.String({ minLength: 1, maxLength: 30 }),
  description: Type.Optional(Text({ maxLength: 1000, trim: true })),
  /** The street or community it serves (within the applicant's post). */
  nodeId: Id,
});
export type OrgApply = Static<typeof OrgApply>;

/** A worker registers an organisation directly (approved at once), optionally naming partner accounts as members. */
export const OrgCreate = Strict({
  ...OrgApply.properties,
  memberUserIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
});
export type OrgCreate = Static<typeof OrgCreate>;

export const OrgReview = Strict({
  decision: Type.Enum(['approve', 'reject']),
  note: Type.Optional(Text({ maxLength: 200, trim: true })),
});
export type OrgReview = Static<typeof OrgReview>;

export const OrgSuspend = Strict({ note: Type.Optional(Text({ maxLength: 200, trim: true })) });
export type OrgSuspend = Static<typeof OrgSuspend>;

export const Org = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.Enum([...ORG_KINDS]),
  creditCode: Nullable(Type.String()),
  contactName: Nullable(Type.String()),
  phoneMasked: Nullable(Type.String()),
  description: Nullable(Type.String()),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  status: Type.Enum([...ORG_STATUSES]),
  reviewNote: Nullable(Type.String()),
  reviewedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  members: Type.Integer(),
  claims: Type.Integer(),
  confirmedDeliveries: Type.Integer(),
  pointsBalance: Type.Integer(),
});
export type Org = Static<typeof Org>;

export const OrgListQuery = Type.Object(
  { nodeId: Type.Optional(Id), status: Type.Optional(Type.Enum([...ORG_STATUSES])), ...Paging },
  { additionalProperties: false },
);
export type OrgListQuery = Static<typeof OrgListQuery>;
export const OrgPage = Type.Object({ items: Type.Array(Org), total: Type.Integer() });
export type OrgPage = Static<typeof OrgPage>;

export const ProjectCreate = Strict({
  title: Text({ minLength: 1, maxLength: 80, trim: true }),
  description: Type.Optional(Text({ maxLength: 2000, trim: true })),
  category: Type.Enum([...PROJECT_CATEGORIES]),
  /** A community or a node within one. */
  nodeId: Id,
  maxClaims: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  rewardPoints: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000000 }))),
  closesOn: Type.Optional(Nullable(Day)),
});
export type ProjectCreate = Static<typeof ProjectCreate>;

export const ProjectPatch = Strict({
  title: Type.Optional(Text({ minLength: 1, maxLength: 80, trim: true })),
  description: Type.Optional(Nullable(Text({ maxLength: 2000, trim: true }))),
  category: Type.Optional(Type.Enum([...PROJECT_CATEGORIES])),
  maxClaims: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  rewardPoints: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000000 }))),
  closesOn: Type.Optional(Nullable(Day)),
});
export type ProjectPatch = Static<typeof ProjectPatch>;

export const Project = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Nullable(Type.String()),
  category: Type.String(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  maxClaims: Type.Integer(),
  rewardPoints: Nullable(Type.Integer()),
  status: Type.Enum(['open', 'closed']),
  closesOn: Nullable(Day),
  activeClaims: Type.Integer(),
  createdAt: Timestamp,
});
export type Project = Static<typeof Project>;

export const ProjectListQuery = Type.Object(
  { nodeId: Type.Optional(Id), status: Type.Optional(Type.Enum(['open', 'closed'])), ...Paging },
  { additionalProperties: false },
);
export type ProjectListQuery = Static<typeof ProjectListQuery>;
export const ProjectPage = Type.Object({ items: Type.Array(Project), total: Type.Integer() });

export const Delivery = Type.Object({
  id: Type.Integer(),
  claimId: Type.Integer(),
  projectId: Type.Integer(),
  projectTitle: Type.String(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  deliveredOn: Day,
  summary: Type.String(),
  peopleServed: Nullable(Type.Integer()),
  status: Type.Enum([...DELIVERY_STATUSES]),
  reviewNote: Nullable(Type.String()),
  reviewedAt: Nullable(Timestamp),
  /** Points credited to the organisation when it was confirmed. */
  rewardPoints: Nullable(Type.Integer()),
  transferId: Nullable(Type.Integer()),
  createdAt: Timestamp,
  files: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), mime: Type.String() })),
});
export type Delivery = Static<typeof Delivery>;

export const Claim = Type.Object({
  id: Type.Integer(),
  projectId: Type.Integer(),
  projectTitle: Type.String(),
  category: Type.String(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  plan: Nullable(Type.String()),
  status: Type.Enum([...CLAIM_STATUSES]),
  claimedAt: Timestamp,
  deliveries: Type.Array(Delivery),
  can: Type.Object({ deliver: Type.Boolean(), withdraw: Type.Boolean() }),
});
export type Claim = Static<typeof Claim>;

export const ProjectDetail = Type.Object({ ...Project.properties, claims: Type.Array(Claim) });
export type ProjectDetail = Static<typeof ProjectDetail>;

export const ClaimCreate = Strict({
  plan: Type.Optional(Text({ maxLength: 1000, trim: true })),
  /** Which of one's approved organisations claims (default: the only or first one). */
  orgId: Type.Optional(Id),
});
export type ClaimCreate = Static<typeof ClaimCreate>;

export const DeliveryCreate = Strict({
  deliveredOn: Day,
  summary: Text({ minLength: 1, maxLength: 1000, trim: true }),
  peopleServed: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000 })),
  photos: Type.Optional(Type.Array(FileId, { maxItems: 9 })),
});
export type DeliveryCreate = Static<typeof DeliveryCreate>;

export const DeliveryReview = Strict({
  decision: Type.Enum(['confirm', 'reject']),
  note: Type.Optional(Text({ maxLength: 200, trim: true })),
});
export type DeliveryReview = Static<typeof DeliveryReview>;

export const DeliveryListQuery = Type.Object(
  {
    nodeId: Type.Optional(Id),
    status: Type.Optional(Type.Enum([...DELIVERY_STATUSES])),
    projectId: Type.Optional(Id),
    ...Paging,
  },
  { additionalProperties: false },
);
export type DeliveryListQuery = Static<typeof DeliveryListQuery>;
export const DeliveryPage = Type.Object({ items: Type.Array(Delivery), total: Type.Integer() });

export const PartnerMe = Type.Object({
  orgs: Type.Array(Org),
  claims: Type.Array(Claim),
  /** Streets and communities within the caller's posts, for the application form. */
  nodes: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), type: Type.String() })),
});
export type PartnerMe = Static<typeof PartnerMe>;

export const PartnerProjects = Items(
  Type.Object({ ...Project.properties, claimedByMe: Type.Boolean(), full: Type.Boolean() }),
);
export type PartnerProjects = Static<typeof PartnerProjects>;

export const PublicQuery = Type.Object({ nodeId: Id }, { additionalProperties: false });
export const PublicNotice = Type.Object({
  node: Type.Object({ id: Type.Integer(), name: Type.String() }),
  partners: Type.Array(
    Type.Object({
      name: Type.String(),
      kind: Type.Enum([...ORG_KINDS]),
      deliveries: Type.Array(
        Type.Object({
          projectTitle: Type.String(),
          category: Type.String(),
          deliveredOn: Day,
          summary: Type.String(),
          peopleServed: Nullable(Type.Integer()),
        }),
      ),
    }),
  ),
});
export type PublicNotice = Static<typeof PublicNotice>;
