import { type Static, Type } from 'typebox';
import { Post, RoleSchema } from '../../platform/auth/auth.schemas.js';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';

export const UserSummary = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  phoneMasked: Nullable(Type.String()),
  disabled: Type.Boolean(),
  lockedUntil: Nullable(Timestamp),
  lastLoginAt: Nullable(Timestamp),
  homeNodeId: Nullable(Type.Integer()),
  homeNodeName: Nullable(Type.String()),
  /** The account's own record in the people database (a resident's account), if linked. */
  residentId: Nullable(Type.Integer()),
  posts: Type.Array(Post),
  createdAt: Timestamp,
});
export type UserSummary = Static<typeof UserSummary>;

const Username = Type.String({ minLength: 3, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' });
const DisplayName = Text({ minLength: 1, maxLength: 60, trim: true });
const Password = Text({ minLength: 1, maxLength: 200 });
const Phone = Text({ minLength: 1, maxLength: 30, trim: true });

export const PostInput = Strict({ nodeId: Nullable(Id), role: RoleSchema });
export type PostInput = Static<typeof PostInput>;

export const CreateUserBody = Strict({
  username: Username,
  displayName: DisplayName,
  password: Password,
  phone: Type.Optional(Nullable(Phone)),
  homeNodeId: Nullable(Id),
  posts: Type.Optional(Type.Array(PostInput, { maxItems: 20 })),
});
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Strict({
  displayName: Type.Optional(DisplayName),
  phone: Type.Optional(Nullable(Phone)),
  disabled: Type.Optional(Type.Boolean()),
  /** Link the account to the resident it belongs to (null unlinks); needs people.read over the resident. */
  residentId: Type.Optional(Nullable(Id)),
});
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const ResetPasswordBody = Strict({ newPassword: Password });
export type ResetPasswordBody = Static<typeof ResetPasswordBody>;

export const RevealBody = Strict({
  field: Type.Literal('phone'),
  reason: Text({ minLength: 2, maxLength: 200 }),
});
export type RevealBody = Static<typeof RevealBody>;

export const Revealed = Type.Object({ value: Type.String() });

export const ListUsersQuery = Strict({
  q: Type.Optional(Text({ maxLength: 60 })),
  nodeId: Type.Optional(Id),
  role: Type.Optional(RoleSchema),
  ...Paging,
});
export type ListUsersQuery = Static<typeof ListUsersQuery>;

export const PostParams = Strict({ id: Id, postId: Id });
