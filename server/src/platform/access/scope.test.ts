import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/errors.js';
import { ROLE_PERMISSIONS, type Role } from './roles.js';
import {
  assertCan,
  assertPermission,
  can,
  type Grant,
  isValidPath,
  type Principal,
  pathInScope,
  permissionsOf,
  rankAt,
  type Scope,
  scopeFor,
  scopeSql,
} from './scope.js';

function principal(grants: Omit<Grant, 'postId'>[]): Principal {
  return {
    userId: 7,
    username: 'u',
    displayName: 'U',
    locale: 'zh-CN',
    grants: grants.map((g, i) => ({ postId: i + 1, ...g })),
    via: 'session',
  };
}

const at = (role: Role, path: string | null): Omit<Grant, 'postId'> => ({
  role,
  path,
  nodeId: path === null ? null : Number(path.split('/').filter(Boolean).at(-1)),
});

function thrown(fn: () => void): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

describe('scopeFor', () => {
  it('folds a path nested under another grant into the wider one', () => {
    const p = principal([
      at('community_worker', '/1/2/3/'),
      at('street_admin', '/1/2/'),
      at('community_worker', '/1/9/4/'),
    ]);
    expect(scopeFor(p, 'org.write')).toEqual({ all: false, paths: ['/1/2/', '/1/9/4/'] });
  });

  it('does not fold a sibling whose id merely starts with the same digits', () => {
    const p = principal([at('street_admin', '/1/2/'), at('street_admin', '/1/20/')]);
    expect(scopeFor(p, 'org.read')).toEqual({ all: false, paths: ['/1/2/', '/1/20/'] });
  });

  it('gives a system administrator everything', () => {
    const p = principal([at('community_worker', '/1/2/3/'), at('admin', null)]);
    expect(scopeFor(p, 'org.write')).toEqual({ all: true });
    expect(scopeFor(p, 'pii.reveal')).toEqual({ all: true });
  });

  it('leaves out grants whose role lacks the permission', () => {
    const p = principal([at('grid_worker', '/1/2/3/4/'), at('resident', '/1/2/3/4/5/')]);
    expect(scopeFor(p, 'org.read')).toEqual({ all: false, paths: ['/1/2/3/4/'] });
    expect(scopeFor(p, 'org.write')).toEqual({ all: false, paths: [] });
  });

  it('keeps only paths no other kept path contains, and covers exactly what the grants cover', () => {
    const pathArb = fc
      .array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 5 })
      .map((ids) => `/${ids.join('/')}/`);
    fc.assert(
      fc.property(fc.array(pathArb, { maxLength: 8 }), pathArb, (paths, probe) => {
        const p = principal(paths.map((path) => at('street_admin', path)));
        const scope = scopeFor(p, 'org.read');
        if (scope.all) return false;
        for (const a of scope.paths) for (const b of scope.paths) if (a !== b && b.startsWith(a)) return false;
        return pathInScope(scope, probe) === paths.some((g) => probe.startsWith(g));
      }),
    );
  });
});

describe('scopeSql', () => {
  it('is TRUE for everything and FALSE for no grants', () => {
    expect(scopeSql({ all: true }, 'n.path')).toBe('TRUE');
    expect(scopeSql({ all: false, paths: [] }, 'n.path')).toBe('FALSE');
  });

  it('turns each subtree into a prefix match on the column', () => {
    expect(scopeSql({ all: false, paths: ['/1/2/', '/1/9/4/'] }, 'n.path')).toBe(
      "(n.path LIKE '/1/2/%' OR n.path LIKE '/1/9/4/%')",
    );
  });

  it('refuses a malformed path instead of inlining it', () => {
    for (const bad of ["/1/2/' OR '1'='1", '/1/2', '1/2/', '/1//2/', '/', '/a/', '']) {
      const scope: Scope = { all: false, paths: ['/1/', bad] };
      expect(() => scopeSql(scope, 'n.path'), bad).toThrow(/invalid scope path/);
    }
  });

  it('accepts exactly the paths isValidPath accepts', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('/', '1', '2', '0', 'x', "'", '%') }), (s) => {
        const scope: Scope = { all: false, paths: [s] };
        let ok = true;
        try {
          scopeSql(scope, 'p');
        } catch {
          ok = false;
        }
        return ok === isValidPath(s);
      }),
    );
  });
});

describe('can', () => {
  const worker = principal([at('community_worker', '/1/2/3/')]);

  it('allows a target under a granted node and the node itself', () => {
    expect(can(worker, 'org.write', '/1/2/3/')).toBe(true);
    expect(can(worker, 'org.write', '/1/2/3/40/41/')).toBe(true);
  });

  it('refuses the parent, a sibling and a target with no place in the hierarchy', () => {
    expect(can(worker, 'org.read', '/1/2/')).toBe(false);
    expect(can(worker, 'org.read', '/1/2/30/')).toBe(false);
    expect(can(worker, 'org.read', null)).toBe(false);
  });

  it('refuses a permission the role does not carry', () => {
    expect(can(worker, 'tokens.manage', '/1/2/3/')).toBe(false);
  });

  it('lets a system administrator act on a target with no place', () => {
    expect(can(principal([at('admin', null)]), 'users.write', null)).toBe(true);
  });
});

describe('assertCan', () => {
  const notFound = new AppError('ORG_NODE_NOT_FOUND');

  it('passes when the permission covers the path', () => {
    const p = principal([at('community_worker', '/1/2/3/')]);
    expect(() => assertCan(p, 'org.write', '/1/2/3/5/', { readPermission: 'org.read', notFound })).not.toThrow();
  });

  it('reports a target the caller may not even read as not found', () => {
    const p = principal([at('community_worker', '/1/2/3/')]);
    expect(thrown(() => assertCan(p, 'org.write', '/1/8/', { readPermission: 'org.read', notFound }))).toBe(notFound);
  });

  it('answers OUT_OF_SCOPE for a readable target when the caller writes elsewhere', () => {
    const p = principal([at('community_worker', '/1/2/3/'), at('grid_worker', '/1/8/9/')]);
    const err = thrown(() => assertCan(p, 'org.write', '/1/8/9/', { readPermission: 'org.read', notFound }));
    expect(err.code).toBe('OUT_OF_SCOPE');
    expect(err.status).toBe(403);
  });

  it('answers FORBIDDEN for a readable target when the caller holds the permission nowhere', () => {
    const p = principal([at('grid_worker', '/1/2/3/4/')]);
    const err = thrown(() => assertCan(p, 'org.write', '/1/2/3/4/', { readPermission: 'org.read', notFound }));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.status).toBe(403);
  });

  it('answers 403 rather than not found when no notFound error is given', () => {
    const writer = principal([at('community_worker', '/1/2/3/')]);
    expect(thrown(() => assertCan(writer, 'org.write', '/1/8/')).code).toBe('OUT_OF_SCOPE');
    const reader = principal([at('grid_worker', '/1/2/3/4/')]);
    expect(thrown(() => assertCan(reader, 'org.write', '/1/8/')).code).toBe('FORBIDDEN');
  });
});

describe('rankAt', () => {
  it('is the rank of the strongest grant covering the path', () => {
    const p = principal([at('community_worker', '/1/2/3/'), at('street_admin', '/1/2/')]);
    expect(rankAt(p, 'users.write', '/1/2/3/4/')).toBe(80);
    expect(rankAt(p, 'users.write', '/1/2/')).toBe(80);
  });

  it('is 0 outside every grant and for a target with no place', () => {
    const p = principal([at('street_admin', '/1/2/')]);
    expect(rankAt(p, 'users.write', '/1/5/')).toBe(0);
    expect(rankAt(p, 'users.write', null)).toBe(0);
  });

  it('counts only grants whose role carries the permission', () => {
    const p = principal([at('department', '/1/'), at('community_worker', '/1/2/3/')]);
    expect(ROLE_PERMISSIONS.department).not.toContain('users.write');
    expect(rankAt(p, 'users.write', '/1/2/3/')).toBe(60);
    expect(rankAt(p, 'users.write', '/1/5/')).toBe(0);
  });

  it('gives a system administrator the top rank everywhere', () => {
    expect(rankAt(principal([at('admin', null)]), 'users.write', null)).toBe(100);
    expect(rankAt(principal([at('admin', null)]), 'users.write', '/1/2/')).toBe(100);
  });
});

describe('API token principals', () => {
  const admin = principal([at('admin', null)]);
  const viaToken: Principal = { ...admin, via: 'token', tokenId: 3 };

  it('never carry the session-only permissions, whatever the role', () => {
    expect(permissionsOf(admin)).toEqual(expect.arrayContaining(['users.write', 'tokens.manage']));
    expect(permissionsOf(viaToken)).not.toContain('users.write');
    expect(permissionsOf(viaToken)).not.toContain('tokens.manage');
    expect(permissionsOf(viaToken)).toContain('users.read');
    expect(scopeFor(viaToken, 'users.write')).toEqual({ all: false, paths: [] });
    expect(rankAt(viaToken, 'users.write', '/1/')).toBe(0);
  });

  it('are refused a session-only permission with TOKEN_NOT_ALLOWED, and keep the others', () => {
    expect(thrown(() => assertPermission(viaToken, 'tokens.manage')).code).toBe('TOKEN_NOT_ALLOWED');
    expect(thrown(() => assertCan(viaToken, 'users.write', '/1/')).code).toBe('TOKEN_NOT_ALLOWED');
    expect(() => assertPermission(admin, 'tokens.manage')).not.toThrow();
    expect(() => assertCan(viaToken, 'people.write', '/1/')).not.toThrow();
  });
});
