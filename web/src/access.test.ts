import { describe, expect, it } from 'vitest';
import { firstAllowedPath, getAccess, visiblePages } from './access';
import type { Me } from './api-types';

type Grants = Pick<Me, 'permissions' | 'modules'>;

const admin: Grants = {
  permissions: ['org.read', 'org.write', 'users.read', 'users.write', 'audit.read', 'pii.reveal', 'tokens.manage'],
  modules: ['org', 'users', 'audit'],
};
const gridWorker: Grants = { permissions: ['org.read', 'tokens.manage'], modules: ['org', 'users', 'audit'] };

describe('visiblePages', () => {
  it('shows every built page to an administrator, in menu order', () => {
    expect(visiblePages(admin).map((p) => p.key)).toEqual(['org', 'users', 'audit']);
  });

  it('shows a grid worker only the hierarchy', () => {
    expect(visiblePages(gridWorker).map((p) => p.key)).toEqual(['org']);
  });

  it('hides a page whose module the server has not switched on, even with the permission', () => {
    expect(visiblePages({ ...admin, modules: ['org'] }).map((p) => p.key)).toEqual(['org']);
  });
});

describe('getAccess', () => {
  it('grants writing only with the write permission', () => {
    expect(getAccess(admin).canWriteOrg).toBe(true);
    expect(getAccess(gridWorker).canWriteOrg).toBe(false);
  });

  it('lets only a post over the whole installation add a county', () => {
    expect(getAccess({ ...admin, posts: [{ nodeId: null }] }).canCreateRoot).toBe(true);
    expect(getAccess({ ...admin, posts: [{ nodeId: 7 }] }).canCreateRoot).toBe(false);
  });

  it('lets a user manage tokens whatever modules are on', () => {
    expect(getAccess({ permissions: ['tokens.manage'], modules: [] }).canManageTokens).toBe(true);
  });
});

describe('firstAllowedPath', () => {
  it('sends a user without audit or org rights to the users page', () => {
    expect(firstAllowedPath({ permissions: ['users.read'], modules: ['org', 'users'] })).toBe('/users');
  });

  it('is null for an account with nothing to open', () => {
    expect(firstAllowedPath({ permissions: [], modules: ['org'] })).toBeNull();
  });
});
