import { type Static, Type } from 'typebox';
import { MODULES, NODE_TYPES, PERMISSIONS, ROLES } from '../access/roles.js';
import { Nullable, Strict, Text, Timestamp } from '../http/schemas.js';

export const RoleSchema = Type.Enum(ROLES);
export const NodeTypeSchema = Type.Enum(NODE_TYPES);
export const LocaleSchema = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);

export const Post = Type.Object({
  id: Type.Integer(),
  role: RoleSchema,
  nodeId: Nullable(Type.Integer()),
  nodeName: Nullable(Type.String()),
  nodeType: Nullable(NodeTypeSchema),
});
export type Post = Static<typeof Post>;

export const Me = Type.Object({
  user: Type.Object({
    id: Type.Integer(),
    username: Type.String(),
    displayName: Type.String(),
    locale: LocaleSchema,
    mustChangePassword: Type.Boolean(),
    /** The account's own record in the people database (a resident's: their points, activities, time bank). */
    residentId: Nullable(Type.Integer()),
  }),
  posts: Type.Array(Post),
  permissions: Type.Array(Type.Enum(PERMISSIONS)),
  modules: Type.Array(Type.Enum(MODULES)),
  /** Something the user must be told once (until `DELETE /api/auth/me/notice`): an administrator's password
   * reset revoked `count` of their API tokens `at` that time. */
  notice: Nullable(
    Type.Object({ kind: Type.Literal('tokens_revoked'), at: Timestamp, count: Type.Integer({ minimum: 1 }) }),
  ),
});
export type Me = Static<typeof Me>;

export const LoginBody = Strict({
  username: Text({ minLength: 1, maxLength: 40 }),
  password: Text({ minLength: 1, maxLength: 200 }),
});
export type LoginBody = Static<typeof LoginBody>;

export const PasswordBody = Strict({
  currentPassword: Text({ minLength: 1, maxLength: 200 }),
  newPassword: Text({ minLength: 1, maxLength: 200 }),
});
export type PasswordBody = Static<typeof PasswordBody>;

export const ConfirmPasswordBody = Strict({
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
export type ConfirmPasswordBody = Static<typeof ConfirmPasswordBody>;

export const UpdateMeBody = Strict({
  displayName: Type.Optional(Text({ minLength: 1, maxLength: 60, trim: true })),
  locale: Type.Optional(LocaleSchema),
});
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const ApiToken = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  expiresAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
});
export type ApiToken = Static<typeof ApiToken>;

export const CreateTokenBody = Strict({
  name: Text({ minLength: 1, maxLength: 80, trim: true }),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
});
export type CreateTokenBody = Static<typeof CreateTokenBody>;

export const CreatedToken = Type.Object({ token: Type.String(), item: ApiToken });
export type CreatedToken = Static<typeof CreatedToken>;
