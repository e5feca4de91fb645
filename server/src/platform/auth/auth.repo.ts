import type { Role } from '../access/roles.js';
import type { Grant } from '../access/scope.js';
import type { Queryable } from '../db/client.js';

export type UserAuthRow = {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  locale: 'zh-CN' | 'en';
  disabled: boolean;
  must_change_password: boolean;
  failed_logins: number;
  locked_until: Date | null;
};

export type PrincipalRow = {
  user_id: number;
  username: string;
  display_name: string;
  locale: 'zh-CN' | 'en';
  disabled: boolean;
  must_change_password: boolean;
  ref_id: number;
  expires_at: Date | null;
  last_seen_at: Date | null;
  grants: { postId: number; role: Role; nodeId: number | null; path: string | null }[] | null;
};

const GRANTS_SQL = `(SELECT json_agg(json_build_object('postId', p.id, 'role', p.role, 'nodeId', p.node_id, 'path', n.path))
    FROM posts p LEFT JOIN org_nodes n ON n.id = p.node_id
   WHERE p.user_id = u.id AND (p.node_id IS NULL OR n.status = 'active'))`;

const USER_AUTH_COLUMNS =
  'id, username, display_name, password_hash, locale, disabled, must_change_password, failed_logins, locked_until';

export async function findUserForLogin(q: Queryable, username: string): Promise<UserAuthRow | undefined> {
  const rows = await q.query<UserAuthRow>(`SELECT ${USER_AUTH_COLUMNS} FROM users WHERE lower(username) = lower($1)`, [
    username,
  ]);
  return rows[0];
}

export async function findUserAuthById(q: Queryable, userId: number): Promise<UserAuthRow | undefined> {
  const rows = await q.query<UserAuthRow>(`SELECT ${USER_AUTH_COLUMNS} FROM users WHERE id = $1`, [userId]);
  return rows[0];
}

/** A right password outside login (its confirmation, a password change) ends the run of failures. */
export async function clearLoginFailures(q: Queryable, userId: number): Promise<void> {
  await q.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1 AND failed_logins > 0', [
    userId,
  ]);
}

export async function recordLoginFailure(
  q: Queryable,
  userId: number,
  failures: number,
  lockedUntil: Date | null,
): Promise<void> {
  await q.query('UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1', [
    userId,
    failures,
    lockedUntil,
  ]);
}

export async function recordLoginSuccess(q: Queryable, userId: number): Promise<void> {
  await q.query('UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1', [
    userId,
  ]);
}

export async function insertSession(
  q: Queryable,
  s: { tokenHash: Buffer; userId: number; hours: number; ip: string | null; userAgent: string | null },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO sessions (token_hash, user_id, expires_at, ip, user_agent, password_confirmed_at)
     VALUES ($1, $2, now() + make_interval(hours => $3), $4, $5, now()) RETURNING id`,
    [s.tokenHash, s.userId, s.hours, s.ip, s.userAgent],
  );
  return rows[0]!.id;
}

export async function findSessionPrincipal(q: Queryable, tokenHash: Buffer): Promise<PrincipalRow | undefined> {
  const rows = await q.query<PrincipalRow>(
    `SELECT u.id AS user_id, u.username, u.display_name, u.locale, u.disabled, u.must_change_password,
            s.id AS ref_id, s.expires_at,
            s.last_seen_at, ${GRANTS_SQL} AS grants
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [tokenHash],
  );
  return rows[0];
}

export async function touchSession(q: Queryable, sessionId: number, hours: number): Promise<void> {
  await q.query(
    'UPDATE sessions SET last_seen_at = now(), expires_at = now() + make_interval(hours => $2) WHERE id = $1',
    [sessionId, hours],
  );
}

/** The session's holder has just entered their password. */
export async function confirmSessionPassword(q: Queryable, sessionId: number): Promise<void> {
  await q.query('UPDATE sessions SET password_confirmed_at = now() WHERE id = $1', [sessionId]);
}

/** Whether the session's holder entered their password within the last `minutes` (the database's clock). */
export async function isPasswordConfirmedSince(q: Queryable, sessionId: number, minutes: number): Promise<boolean> {
  const rows = await q.query<{ ok: boolean }>(
    `SELECT COALESCE(password_confirmed_at > now() - make_interval(mins => $2), false) AS ok
       FROM sessions WHERE id = $1`,
    [sessionId, minutes],
  );
  return rows[0]?.ok === true;
}

export async function deleteSession(q: Queryable, sessionId: number): Promise<void> {
  await q.query('DELETE FROM sessions WHERE id = $1', [sessionId]);
}

export async function deleteUserSessions(q: Queryable, userId: number, exceptSessionId?: number): Promise<void> {
  await q.query('DELETE FROM sessions WHERE user_id = $1 AND id <> $2', [userId, exceptSessionId ?? 0]);
}

export async function deleteExpiredSessions(q: Queryable): Promise<number> {
  const rows = await q.query<{ id: number }>('DELETE FROM sessions WHERE expires_at < now() RETURNING id');
  return rows.length;
}

export async function findTokenPrincipal(q: Queryable, tokenHash: Buffer): Promise<PrincipalRow | undefined> {
  const rows = await q.query<PrincipalRow>(
    `SELECT u.id AS user_id, u.username, u.display_name, u.locale, u.disabled, u.must_change_password,
            t.id AS ref_id, t.expires_at,
            t.last_used_at AS last_seen_at, ${GRANTS_SQL} AS grants
       FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())`,
    [tokenHash],
  );
  return rows[0];
}

export async function touchToken(q: Queryable, tokenId: number): Promise<void> {
  await q.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [tokenId]);
}

export type TokenRow = {
  id: number;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
};

export async function listTokens(q: Queryable, userId: number): Promise<TokenRow[]> {
  return q.query<TokenRow>(
    `SELECT id, name, prefix, created_at, last_used_at, expires_at, revoked_at
       FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`,
    [userId],
  );
}

export async function insertToken(
  q: Queryable,
  t: { userId: number; name: string; prefix: string; tokenHash: Buffer; expiresInDays: number | null },
): Promise<TokenRow> {
  const rows = await q.query<TokenRow>(
    `INSERT INTO api_tokens (user_id, name, prefix, token_hash, expires_at)
     VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE now() + make_interval(days => $5::int) END)
     RETURNING id, name, prefix, created_at, last_used_at, expires_at, revoked_at`,
    [t.userId, t.name, t.prefix, t.tokenHash, t.expiresInDays],
  );
  return rows[0]!;
}

export async function revokeToken(q: Queryable, userId: number, tokenId: number): Promise<TokenRow | undefined> {
  const rows = await q.query<TokenRow>(
    `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND user_id = $2
     RETURNING id, name, prefix, created_at, last_used_at, expires_at, revoked_at`,
    [tokenId, userId],
  );
  return rows[0];
}

/**
 * Revokes every live API token of the user and leaves them a notice saying so (added to one not yet read).
 * Returns how many were revoked.
 */
export async function revokeAllTokensOf(q: Queryable, userId: number): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id',
    [userId],
  );
  if (rows.length > 0) {
    await q.query(
      `UPDATE users SET tokens_revoked_at = now(), tokens_revoked_count = COALESCE(tokens_revoked_count, 0) + $2
        WHERE id = $1`,
      [userId, rows.length],
    );
  }
  return rows.length;
}

export async function clearTokensRevokedNotice(q: Queryable, userId: number): Promise<void> {
  await q.query('UPDATE users SET tokens_revoked_at = NULL, tokens_revoked_count = NULL WHERE id = $1', [userId]);
}

export type MePostRow = {
  id: number;
  role: Role;
  node_id: number | null;
  node_name: string | null;
  node_type: string | null;
};

export async function listPostsOfUser(q: Queryable, userId: number): Promise<MePostRow[]> {
  return q.query<MePostRow>(
    `SELECT p.id, p.role, p.node_id, n.name AS node_name, n.type AS node_type
       FROM posts p LEFT JOIN org_nodes n ON n.id = p.node_id
      WHERE p.user_id = $1 ORDER BY p.id`,
    [userId],
  );
}

export async function findUserBasics(
  q: Queryable,
  userId: number,
): Promise<
  | {
      id: number;
      username: string;
      display_name: string;
      locale: 'zh-CN' | 'en';
      must_change_password: boolean;
      password_hash: string;
      tokens_revoked_at: Date | null;
      tokens_revoked_count: number | null;
      resident_id: number | null;
    }
  | undefined
> {
  const rows = await q.query<{
    id: number;
    username: string;
    display_name: string;
    locale: 'zh-CN' | 'en';
    must_change_password: boolean;
    password_hash: string;
    tokens_revoked_at: Date | null;
    tokens_revoked_count: number | null;
    resident_id: number | null;
  }>(
    `SELECT id, username, display_name, locale, must_change_password, password_hash, tokens_revoked_at, resident_id,
            tokens_revoked_count
       FROM users WHERE id = $1`,
    [userId],
  );
  return rows[0];
}

export async function updatePassword(q: Queryable, userId: number, hash: string, mustChange: boolean): Promise<void> {
  await q.query('UPDATE users SET password_hash = $2, must_change_password = $3, updated_at = now() WHERE id = $1', [
    userId,
    hash,
    mustChange,
  ]);
}

export async function updateMe(
  q: Queryable,
  userId: number,
  patch: { displayName?: string; locale?: string },
): Promise<void> {
  await q.query(
    `UPDATE users SET display_name = COALESCE($2, display_name), locale = COALESCE($3, locale), updated_at = now()
      WHERE id = $1`,
    [userId, patch.displayName ?? null, patch.locale ?? null],
  );
}

export function toGrants(row: PrincipalRow): Grant[] {
  return (row.grants ?? []).map((g) => ({ postId: g.postId, role: g.role, nodeId: g.nodeId, path: g.path }));
}

/** An enabled account with its grants, looked up by username or id (operators' commands, ownership checks). */
export async function findAccountPrincipal(
  q: Queryable,
  by: { username?: string; id?: number },
): Promise<PrincipalRow | undefined> {
  const rows = await q.query<PrincipalRow>(
    `SELECT u.id AS user_id, u.username, u.display_name, u.locale, u.disabled, u.must_change_password,
            0 AS ref_id, NULL::timestamptz AS expires_at,
            NULL::timestamptz AS last_seen_at, ${GRANTS_SQL} AS grants
       FROM users u
      WHERE NOT u.disabled AND (lower(u.username) = lower($1) OR u.id = $2)`,
    [by.username ?? null, by.id ?? null],
  );
  return rows[0];
}
