import type { Me, ModuleName, Permission } from './api-types';

/**
 * The only place the console decides what a role sees. Everything is derived from the `permissions`
 * and `modules` the server sends in /api/auth/me, so a module the server has not switched on never
 * appears, whatever the permissions say.
 */
export type Access = {
  canReadOrg: boolean;
  canWriteOrg: boolean;
  canReadUsers: boolean;
  canWriteUsers: boolean;
  canReadAudit: boolean;
  canRevealPii: boolean;
  canManageTokens: boolean;
  /** A post bound to no node covers the whole installation (the system administrator's). */
  hasGlobalScope: boolean;
  /** Only such a post may add a county at the top of the tree. */
  canCreateRoot: boolean;
};

type Grants = Pick<Me, 'permissions' | 'modules'> & { posts?: Pick<Me['posts'][number], 'nodeId'>[] };

function allows(me: Grants, module: ModuleName | null, permission: Permission): boolean {
  return (module === null || me.modules.includes(module)) && me.permissions.includes(permission);
}

export function getAccess(me: Grants): Access {
  const hasGlobalScope = (me.posts ?? []).some((post) => post.nodeId === null);
  return {
    canReadOrg: allows(me, 'org', 'org.read'),
    canWriteOrg: allows(me, 'org', 'org.write'),
    canReadUsers: allows(me, 'users', 'users.read'),
    canWriteUsers: allows(me, 'users', 'users.write'),
    canReadAudit: allows(me, 'audit', 'audit.read'),
    canRevealPii: allows(me, 'users', 'pii.reveal'),
    // tokens belong to the account itself, not to a module
    canManageTokens: allows(me, null, 'tokens.manage'),
    hasGlobalScope,
    canCreateRoot: hasGlobalScope && allows(me, 'org', 'org.write'),
  };
}

export type ConsolePage = {
  key: ModuleName;
  path: string;
  module: ModuleName;
  permission: Permission;
};

/** Console pages in menu order. */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  { key: 'org', path: '/org', module: 'org', permission: 'org.read' },
  { key: 'users', path: '/users', module: 'users', permission: 'users.read' },
  { key: 'audit', path: '/audit', module: 'audit', permission: 'audit.read' },
];

export function visiblePages(me: Grants): ConsolePage[] {
  return CONSOLE_PAGES.filter((page) => allows(me, page.module, page.permission));
}

export function canOpenPage(me: Grants, key: ModuleName): boolean {
  return visiblePages(me).some((page) => page.key === key);
}

/** Where `/` sends the user: the first page they may open, or null when there is none. */
export function firstAllowedPath(me: Grants): string | null {
  return visiblePages(me)[0]?.path ?? null;
}
