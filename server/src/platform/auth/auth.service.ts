import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Ctx } from '../access/context.js';
import { MODULES, type NodeType } from '../access/roles.js';
import { assertPermission, type Principal, permissionsOf } from '../access/scope.js';
import { recordAudit } from '../audit/audit.js';
import type { Db, Queryable } from '../db/client.js';
import { AppError } from '../errors/errors.js';
import {
  hashToken,
  isApiTokenShape,
  isStrongPassword,
  lockAfterFailure,
  newApiToken,
  newSecretToken,
} from './auth.logic.js';
import * as repo from './auth.repo.js';
import type { ApiToken, CreatedToken, CreateTokenBody, Me, PasswordBody, UpdateMeBody } from './auth.schemas.js';

// argon2id, OWASP's second recommended profile (19 MiB, 2 passes), about 30 ms here.
const ARGON_OPTS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
let dummyHash: string | undefined;

export async function hashPassword(pw: string): Promise<string> {
  return argonHash(pw, ARGON_OPTS);
}

/** Throws PASSWORD_WEAK (with the field) unless the password is strong enough. */
export function assertStrongPassword(pw: string, field: string): void {
  if (!isStrongPassword(pw)) throw new AppError('PASSWORD_WEAK', { field });
}

/**
 * Checks a password against an account, counting a wrong one toward the same lockout for logins, password
 * changes and password confirmations: five wrong in a row lock the account for 15 minutes. A right one
 * ends the run of failures (login clears it itself, with its other bookkeeping).
 * @throws AUTH_LOCKED while locked, or when this failure locks the account
 */
async function checkPassword(db: Db, user: repo.UserAuthRow, password: string): Promise<boolean> {
  const now = new Date();
  if (user.locked_until && user.locked_until > now) {
    throw new AppError('AUTH_LOCKED', { params: { until: formatShanghai(user.locked_until) } });
  }
  const ok = await argonVerify(user.password_hash, password).catch(() => false);
  if (ok) return true;
  const failures = user.locked_until ? 0 : user.failed_logins; // an expired lock starts a fresh count
  const next = lockAfterFailure(failures, now);
  await repo.recordLoginFailure(db, user.id, next.failures, next.lockedUntil);
  if (next.lockedUntil) {
    throw new AppError('AUTH_LOCKED', { params: { until: formatShanghai(next.lockedUntil) } });
  }
  return false;
}

/**
 * Checks a username and password and opens a session, which counts as a fresh password confirmation.
 * @throws AUTH_INVALID_CREDENTIALS, AUTH_LOCKED, AUTH_DISABLED
 */
export async function login(
  db: Db,
  input: { username: string; password: string; ip: string | null; userAgent: string | null; sessionHours: number },
): Promise<{ token: string; principal: Principal }> {
  const user = await repo.findUserForLogin(db, input.username);
  if (!user) {
    // Spend the same time as a real check, so response times do not tell which usernames exist.
    dummyHash ??= await hashPassword('linli-dummy-password-1');
    await argonVerify(dummyHash, input.password).catch(() => false);
    throw new AppError('AUTH_INVALID_CREDENTIALS');
  }
  if (!(await checkPassword(db, user, input.password))) throw new AppError('AUTH_INVALID_CREDENTIALS');
  if (user.disabled) throw new AppError('AUTH_DISABLED');
  const token = newSecretToken();
  const sessionId = await db.transaction(async (tx) => {
    await repo.recordLoginSuccess(tx, user.id);
    return repo.insertSession(tx, {
      tokenHash: hashToken(token),
      userId: user.id,
      hours: input.sessionHours,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
  });
  const principal = await authenticateSession(db, token, input.sessionHours);
  return { token, principal: { ...principal, sessionId } };
}

/** @throws AUTH_SESSION_INVALID for an unknown, expired or disabled session. */
export async function authenticateSession(db: Db, token: string, sessionHours: number): Promise<Principal> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new AppError('AUTH_SESSION_INVALID');
  const row = await repo.findSessionPrincipal(db, hashToken(token));
  if (!row || row.disabled) throw new AppError('AUTH_SESSION_INVALID');
  // Sliding expiry, written at most once a minute per session.
  if (!row.last_seen_at || Date.now() - row.last_seen_at.getTime() > 60_000) {
    await repo.touchSession(db, row.ref_id, sessionHours);
  }
  return toPrincipal(row, 'session');
}

/** @throws AUTH_TOKEN_INVALID */
export async function authenticateApiToken(db: Db, token: string): Promise<Principal> {
  if (!isApiTokenShape(token)) throw new AppError('AUTH_TOKEN_INVALID');
  const row = await repo.findTokenPrincipal(db, hashToken(token));
  if (!row || row.disabled) throw new AppError('AUTH_TOKEN_INVALID');
  if (!row.last_seen_at || Date.now() - row.last_seen_at.getTime() > 60_000) await repo.touchToken(db, row.ref_id);
  return toPrincipal(row, 'token');
}

function toPrincipal(row: repo.PrincipalRow, via: 'session' | 'token'): Principal {
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    locale: row.locale,
    grants: repo.toGrants(row),
    via,
    mustChangePassword: row.must_change_password,
    ...(via === 'session' ? { sessionId: row.ref_id } : { tokenId: row.ref_id }),
  };
}

/** The principal of an enabled account without a session (the CLI's `--as`, checks about another user). */
export async function principalOfAccount(
  db: Db,
  by: { username?: string; id?: number },
): Promise<Principal | undefined> {
  const row = await repo.findAccountPrincipal(db, by);
  if (!row) return undefined;
  const { sessionId: _unused, ...principal } = toPrincipal(row, 'session');
  return principal;
}

export async function logout(db: Db, principal: Principal): Promise<void> {
  if (principal.sessionId) await repo.deleteSession(db, principal.sessionId);
}

export async function getMe(db: Db, principal: Principal): Promise<Me> {
  const [user, posts] = await Promise.all([
    repo.findUserBasics(db, principal.userId),
    repo.listPostsOfUser(db, principal.userId),
  ]);
  if (!user) throw new AppError('AUTH_SESSION_INVALID');
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      locale: user.locale,
      mustChangePassword: user.must_change_password,
      residentId: user.resident_id,
    },
    posts: posts.map((p) => ({
      id: p.id,
      role: p.role,
      nodeId: p.node_id,
      nodeName: p.node_name,
      nodeType: p.node_type as NodeType | null,
    })),
    permissions: permissionsOf(principal),
    modules: [...MODULES],
    notice:
      user.tokens_revoked_at && user.tokens_revoked_count
        ? { kind: 'tokens_revoked', at: user.tokens_revoked_at.toISOString(), count: user.tokens_revoked_count }
        : null,
  };
}

/** The user has read their notice; it is not shown again. */
export async function dismissNotice(db: Db, ctx: Ctx): Promise<void> {
  await repo.clearTokensRevokedNotice(db, ctx.principal.userId);
}

/**
 * Changes the caller's display name or language. An account that must change its password may change only its
 * language (the console's language switch) until it has.
 * @throws PASSWORD_CHANGE_REQUIRED
 */
export async function updateMe(db: Db, ctx: Ctx, body: UpdateMeBody): Promise<Me> {
  if (ctx.principal.mustChangePassword && body.displayName !== undefined) {
    throw new AppError('PASSWORD_CHANGE_REQUIRED');
  }
  await db.transaction(async (tx) => {
    const before = await repo.findUserBasics(tx, ctx.principal.userId);
    await repo.updateMe(tx, ctx.principal.userId, body);
    await recordAudit(tx, ctx, {
      action: 'user.update_self',
      targetType: 'user',
      targetId: ctx.principal.userId,
      targetLabel: ctx.principal.username,
      scopePath: null,
      countyId: null,
      before: { displayName: before?.display_name, locale: before?.locale },
      after: { displayName: body.displayName ?? before?.display_name, locale: body.locale ?? before?.locale },
    });
  });
  return getMe(db, ctx.principal);
}

/**
 * Changes the caller's own password and ends their other sessions. Their API tokens stay: each was created at a
 * session that had just entered the password, they are listed with their last use, and rotating a password must
 * not stop the machine clients (an administrator's reset revokes them, see `revokeCredentialsOf`). A wrong
 * current password counts toward the login lockout.
 * @throws AUTH_WRONG_PASSWORD, AUTH_LOCKED, PASSWORD_WEAK
 */
export async function changePassword(db: Db, ctx: Ctx, body: PasswordBody): Promise<void> {
  const user = await repo.findUserAuthById(db, ctx.principal.userId);
  if (!user) throw new AppError('AUTH_SESSION_INVALID');
  if (!(await checkPassword(db, user, body.currentPassword))) {
    throw new AppError('AUTH_WRONG_PASSWORD', { field: 'currentPassword' });
  }
  assertStrongPassword(body.newPassword, 'newPassword');
  const hash = await hashPassword(body.newPassword);
  await db.transaction(async (tx) => {
    await repo.clearLoginFailures(tx, user.id);
    await repo.updatePassword(tx, user.id, hash, false);
    await repo.deleteUserSessions(tx, user.id, ctx.principal.sessionId);
    if (ctx.principal.sessionId) await repo.confirmSessionPassword(tx, ctx.principal.sessionId);
    await recordAudit(tx, ctx, {
      action: 'user.change_password',
      targetType: 'user',
      targetId: user.id,
      targetLabel: user.username,
      scopePath: null,
      countyId: null,
      diff: { password: ['[secret]', '[changed]'] },
    });
  });
}

/**
 * The caller enters their password again at this session, which lets it create API tokens for a while. A wrong
 * password counts toward the login lockout.
 * @throws AUTH_WRONG_PASSWORD, AUTH_LOCKED, TOKEN_NOT_ALLOWED (no session)
 */
export async function confirmPassword(db: Db, ctx: Ctx, password: string): Promise<void> {
  const sessionId = ctx.principal.sessionId;
  if (ctx.principal.via !== 'session' || !sessionId) throw new AppError('TOKEN_NOT_ALLOWED');
  const user = await repo.findUserAuthById(db, ctx.principal.userId);
  if (!user) throw new AppError('AUTH_SESSION_INVALID');
  if (!(await checkPassword(db, user, password))) throw new AppError('AUTH_WRONG_PASSWORD', { field: 'password' });
  await db.transaction(async (tx) => {
    await repo.clearLoginFailures(tx, user.id);
    await repo.confirmSessionPassword(tx, sessionId);
  });
}

/**
 * After an administrator set a user's password (console or command line): every API token of the user is revoked
 * and their sessions end, so whoever held the old password or a token made with it is out; the user is left a
 * notice (`Me.notice`) naming the revoked tokens. Runs in the caller's transaction; returns the tokens revoked.
 */
export async function revokeCredentialsOf(q: Queryable, userId: number): Promise<number> {
  await repo.deleteUserSessions(q, userId);
  return repo.revokeAllTokensOf(q, userId);
}

function toApiToken(r: repo.TokenRow): ApiToken {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    expiresAt: r.expires_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}

export async function listApiTokens(db: Db, ctx: Ctx): Promise<ApiToken[]> {
  assertPermission(ctx.principal, 'tokens.manage');
  return (await repo.listTokens(db, ctx.principal.userId)).map(toApiToken);
}

/**
 * Creates an API token acting as the caller; the token text is returned once and stored only hashed. Only a
 * session whose holder entered the password in the last `confirmMinutes` (login or `confirmPassword`) may.
 * @throws TOKEN_NOT_ALLOWED (called with a token), FORBIDDEN, PASSWORD_CONFIRM_REQUIRED
 */
export async function createApiToken(
  db: Db,
  ctx: Ctx,
  body: CreateTokenBody,
  opts: { confirmMinutes: number },
): Promise<CreatedToken> {
  assertPermission(ctx.principal, 'tokens.manage');
  const sessionId = ctx.principal.sessionId;
  if (!sessionId || !(await repo.isPasswordConfirmedSince(db, sessionId, opts.confirmMinutes))) {
    throw new AppError('PASSWORD_CONFIRM_REQUIRED');
  }
  const { token, prefix } = newApiToken();
  const row = await db.transaction(async (tx) => {
    const r = await repo.insertToken(tx, {
      userId: ctx.principal.userId,
      name: body.name,
      prefix,
      tokenHash: hashToken(token),
      expiresInDays: body.expiresInDays ?? null,
    });
    await recordAudit(tx, ctx, {
      action: 'token.create',
      targetType: 'api_token',
      targetId: r.id,
      targetLabel: `${body.name} (${prefix})`,
      scopePath: null,
      countyId: null,
      after: { name: body.name, prefix, expiresAt: r.expires_at },
    });
    return r;
  });
  return { token, item: toApiToken(row) };
}

/** @throws TOKEN_NOT_FOUND */
export async function revokeApiToken(db: Db, ctx: Ctx, tokenId: number): Promise<void> {
  assertPermission(ctx.principal, 'tokens.manage');
  await db.transaction(async (tx) => {
    const r = await repo.revokeToken(tx, ctx.principal.userId, tokenId);
    if (!r) throw new AppError('TOKEN_NOT_FOUND');
    await recordAudit(tx, ctx, {
      action: 'token.revoke',
      targetType: 'api_token',
      targetId: r.id,
      targetLabel: `${r.name} (${r.prefix})`,
      scopePath: null,
      countyId: null,
      diff: { revokedAt: [null, r.revoked_at?.toISOString() ?? null] },
    });
  });
}

export function formatShanghai(d: Date): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}
