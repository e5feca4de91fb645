// TEMPORARY: mirrors the agreed API contract until the server's TypeBox schema files land;
// then this file only re-exports types from ../../server/src/**/*.schemas.ts.
export type Role =
  | 'admin'
  | 'street_admin'
  | 'community_worker'
  | 'grid_worker'
  | 'building_leader'
  | 'department'
  | 'resident'
  | 'volunteer'
  | 'partner'
  | 'merchant';
export type NodeType =
  | 'county'
  | 'street'
  | 'town'
  | 'community'
  | 'village'
  | 'grid'
  | 'micro_grid'
  | 'building'
  | 'unit';
export type Permission =
  | 'org.read'
  | 'org.write'
  | 'users.read'
  | 'users.write'
  | 'audit.read'
  | 'pii.reveal'
  | 'tokens.manage';
export type ModuleName = 'org' | 'users' | 'audit';

export type Post = {
  id: number;
  role: Role;
  nodeId: number | null;
  nodeName: string | null;
  nodeType: NodeType | null;
};
export type Me = {
  user: {
    id: number;
    username: string;
    displayName: string;
    locale: 'zh-CN' | 'en';
    mustChangePassword: boolean;
  };
  posts: Post[];
  permissions: Permission[];
  modules: ModuleName[];
};
export type ApiToken = {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
};
export type CreatedToken = { token: string; item: ApiToken };

export type OrgNode = {
  id: number;
  parentId: number | null;
  type: NodeType;
  name: string;
  code: string | null;
  status: 'active' | 'retired';
  childCount: number;
  depth: number;
  countyId: number | null;
  hasBoundary: boolean;
};
export type OrgNodeDetail = OrgNode & {
  boundary: object | null;
  ancestors: { id: number; name: string; type: NodeType }[];
  createdAt: string;
  updatedAt: string;
};
export type CreateOrgNodeBody = {
  parentId: number;
  type: NodeType;
  name: string;
  code?: string;
  boundary?: object;
};
export type UpdateOrgNodeBody = { name?: string; code?: string; boundary?: object | null };

export type UserSummary = {
  id: number;
  username: string;
  displayName: string;
  phoneMasked: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  homeNodeId: number | null;
  homeNodeName: string | null;
  posts: Post[];
  createdAt: string;
};
export type CreateUserBody = {
  username: string;
  displayName: string;
  password: string;
  phone?: string;
  homeNodeId: number | null;
  posts?: { nodeId: number | null; role: Role }[];
};
export type UpdateUserBody = { displayName?: string; phone?: string | null; disabled?: boolean };

export type AuditEntry = {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  targetLabel: string | null;
  diff: Record<string, [unknown, unknown]> | null;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
};

export type ItemList<T> = { items: T[] };
export type Page<T> = { items: T[]; total: number };
