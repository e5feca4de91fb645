import { AppError } from '../errors/errors.js';
import { type Permission, ROLE_PERMISSIONS, ROLE_RANK, type Role, SESSION_ONLY_PERMISSIONS } from './roles.js';

/**
 * The one place that decides data scope. A principal holds grants (one per post): a role at a node,
 * identified by the node's materialized path, or everywhere (path null, system administrators).
 * Every list query asks `scopeSql`, every record check asks `assertCan`.
 */
export type Grant = { postId: number; role: Role; nodeId: number | null; path: string | null };

export type Principal = {
  userId: number;
  username: string;
  displayName: string;
  locale: 'zh-CN' | 'en';
  grants: Grant[];
  via: 'session' | 'token';
  sessionId?: number;
  tokenId?: number;
  /** The account must change its password before anything else (the auth hook enforces it). */
  mustChangePassword?: boolean;
};

export type Scope = { all: true } | { all: false; paths: string[] };

const PATH_RE = /^(\/\d+)+\/$/;

export function isValidPath(path: string): boolean {
  return PATH_RE.test(path);
}

/** Whether a permission is withheld from the principal because it came with an API token. */
function isWithheld(principal: Principal, permission: Permission): boolean {
  return principal.via === 'token' && SESSION_ONLY_PERMISSIONS.includes(permission);
}

/** Whether the grant's role carries the permission for this principal (API tokens lose the session-only ones). */
function carries(principal: Principal, grant: Grant, permission: Permission): boolean {
  return ROLE_PERMISSIONS[grant.role].includes(permission) && !isWithheld(principal, permission);
}

/** The set of subtrees in which the principal holds `permission`, with nested paths folded away. */
export function scopeFor(principal: Principal, permission: Permission): Scope {
  const paths: string[] = [];
  for (const g of principal.grants) {
    if (!carries(principal, g, permission)) continue;
    if (g.path === null) return { all: true };
    paths.push(g.path);
  }
  paths.sort((a, b) => a.length - b.length);
  const minimal: string[] = [];
  for (const p of paths) if (!minimal.some((m) => p.startsWith(m))) minimal.push(p);
  return { all: false, paths: minimal };
}

/**
 * SQL condition restricting `column` (a materialized path column) to the scope. Paths are checked
 * against a strict pattern (digits and slashes) and inlined, so the planner always sees a constant
 * prefix and uses the text_pattern_ops index.
 */
export function scopeSql(scope: Scope, column: string): string {
  if (scope.all) return 'TRUE';
  if (scope.paths.length === 0) return 'FALSE';
  const parts = scope.paths.map((p) => {
    if (!isValidPath(p)) throw new Error(`invalid scope path ${p}`);
    return `${column} LIKE '${p}%'`;
  });
  return `(${parts.join(' OR ')})`;
}

export function pathInScope(scope: Scope, path: string | null): boolean {
  if (scope.all) return true;
  if (path === null) return false;
  return scope.paths.some((p) => path.startsWith(p));
}

export function can(principal: Principal, permission: Permission, path: string | null): boolean {
  return pathInScope(scopeFor(principal, permission), path);
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.grants.some((g) => carries(principal, g, permission));
}

export function permissionsOf(principal: Principal): Permission[] {
  const set = new Set<Permission>();
  for (const g of principal.grants) for (const p of ROLE_PERMISSIONS[g.role]) if (carries(principal, g, p)) set.add(p);
  return [...set].sort();
}

/** Refuses unless the principal holds the permission somewhere (TOKEN_NOT_ALLOWED for a session-only one). */
export function assertPermission(principal: Principal, permission: Permission): void {
  if (isWithheld(principal, permission)) throw new AppError('TOKEN_NOT_ALLOWED');
  if (!hasPermission(principal, permission)) throw new AppError('FORBIDDEN');
}

/**
 * Refuses an action on a target at `path`. A target the principal may not even read is reported as
 * not found (`notFound`), so that its existence does not leak; one they may read but not change is 403.
 */
export function assertCan(
  principal: Principal,
  permission: Permission,
  path: string | null,
  opts: { readPermission?: Permission; notFound?: AppError } = {},
): void {
  if (can(principal, permission, path)) return;
  const readable = opts.readPermission ? can(principal, opts.readPermission, path) : false;
  if (!readable && opts.notFound) throw opts.notFound;
  if (isWithheld(principal, permission)) throw new AppError('TOKEN_NOT_ALLOWED');
  throw new AppError(hasPermission(principal, permission) ? 'OUT_OF_SCOPE' : 'FORBIDDEN');
}

/** The highest rank among the grants that carry `permission` over `path`. */
export function rankAt(principal: Principal, permission: Permission, path: string | null): number {
  let rank = 0;
  for (const g of principal.grants) {
    if (!carries(principal, g, permission)) continue;
    if (g.path !== null && (path === null || !path.startsWith(g.path))) continue;
    rank = Math.max(rank, ROLE_RANK[g.role]);
  }
  return rank;
}

export function isSystemAdmin(principal: Principal): boolean {
  return principal.grants.some((g) => g.role === 'admin' && g.path === null);
}
