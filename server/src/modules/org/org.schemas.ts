import { type Static, Type } from 'typebox';
import { NodeTypeSchema } from '../../platform/auth/auth.schemas.js';
import { Id, Nullable, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

export const OrgNode = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  type: NodeTypeSchema,
  name: Type.String(),
  code: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
  childCount: Type.Integer(),
  depth: Type.Integer(),
  countyId: Type.Integer(),
  hasBoundary: Type.Boolean(),
});
export type OrgNode = Static<typeof OrgNode>;

/** A search result: the node and the names of its ancestors below the county, top down (to tell "1单元"s apart). */
export const OrgSearchHit = Type.Intersect([OrgNode, Type.Object({ parentNames: Type.Array(Type.String()) })]);
export type OrgSearchHit = Static<typeof OrgSearchHit>;

export const Ancestor = Type.Object({ id: Type.Integer(), name: Type.String(), type: NodeTypeSchema });

export const OrgNodeDetail = Type.Intersect([
  OrgNode,
  Type.Object({
    boundary: Nullable(Type.Object({}, { additionalProperties: true })),
    ancestors: Type.Array(Ancestor),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
]);
export type OrgNodeDetail = Static<typeof OrgNodeDetail>;

const Name = Text({ minLength: 1, maxLength: 100, trim: true });
const Code = Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z_-]+$' });
const Boundary = Type.Object({}, { additionalProperties: true });

export const CreateNodeBody = Strict({
  parentId: Nullable(Id),
  type: NodeTypeSchema,
  name: Name,
  code: Type.Optional(Nullable(Code)),
  boundary: Type.Optional(Nullable(Boundary)),
});
export type CreateNodeBody = Static<typeof CreateNodeBody>;

export const UpdateNodeBody = Strict({
  name: Type.Optional(Name),
  code: Type.Optional(Nullable(Code)),
  boundary: Type.Optional(Nullable(Boundary)),
});
export type UpdateNodeBody = Static<typeof UpdateNodeBody>;

export const MoveNodeBody = Strict({ parentId: Id });
export type MoveNodeBody = Static<typeof MoveNodeBody>;

export const ChildrenQuery = Strict({
  parentId: Id,
  includeRetired: Type.Optional(Type.Boolean({ default: false })),
});
export type ChildrenQuery = Static<typeof ChildrenQuery>;

export const SearchQuery = Strict({
  q: Text({ minLength: 1, maxLength: 100 }),
  type: Type.Optional(NodeTypeSchema),
});
export type SearchQuery = Static<typeof SearchQuery>;
