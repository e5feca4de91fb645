/**
 * The API's shapes, taken from the server's TypeBox schemas as types only (nothing of the server's
 * runtime reaches the bundle), so the console cannot drift from what the server validates and sends.
 */
import type * as Audit from '../../server/src/modules/audit/audit.schemas';
import type * as Org from '../../server/src/modules/org/org.schemas';
import type * as Users from '../../server/src/modules/users/users.schemas';
import type { ModuleName, NodeType, Permission, Role } from '../../server/src/platform/access/roles';
import type * as Auth from '../../server/src/platform/auth/auth.schemas';

export type { ApiToken, CreatedToken, CreateTokenBody } from '../../server/src/platform/auth/auth.schemas';
export type { ErrorBody } from '../../server/src/platform/http/schemas';
export type { ModuleName, NodeType, Permission, Role };
export type AuditEntry = Audit.AuditEntry;
export type AuditQuery = Audit.AuditQuery;
export type UpdateNodeBody = Org.UpdateNodeBody;
export type UpdateUserBody = Users.UpdateUserBody;

/*
 * WORKAROUND: the server builds its literal unions as `Type.Union(ROLES.map(Type.Literal))`; TypeBox's
 * Static of a union over a plain array (not a tuple) is `never`, so every role, node type, permission and
 * module field below arrives as `never`. `Type.Enum(ROLES)` gives the real union. Until the server
 * schemas change, these fields are re-typed from roles.ts; once they are fixed, `Fix` is a no-op.
 */
type Fix<T, Patch> = Omit<T, keyof Patch> & Patch;

export type Post = Fix<Auth.Post, { role: Role; nodeType: NodeType | null }>;
export type Me = Fix<Auth.Me, { posts: Post[]; permissions: Permission[]; modules: ModuleName[] }>;
export type OrgNode = Fix<Org.OrgNode, { type: NodeType }>;
export type OrgNodeDetail = Fix<
  Org.OrgNodeDetail,
  { type: NodeType; ancestors: { id: number; name: string; type: NodeType }[] }
>;
export type CreateNodeBody = Fix<Org.CreateNodeBody, { type: NodeType }>;
export type UserSummary = Fix<Users.UserSummary, { posts: Post[] }>;
export type CreateUserBody = Fix<Users.CreateUserBody, { posts?: { nodeId: number | null; role: Role }[] }>;
export type ListUsersQuery = Fix<Users.ListUsersQuery, { role?: Role }>;

/** The envelopes of the server's `Items(…)` and `Paged(…)` responses. */
export type ItemList<T> = { items: T[] };
export type Page<T> = { items: T[]; total: number };
