import type { Role } from '../../platform/access/roles.js';
import type { Queryable } from '../../platform/db/client.js';

export type UserRow = {
  id: number;
  username: string;
  display_name: string;
  phone_sealed: Buffer | null;
  phone_masked: string | null;
  home_node_id: number | null;
  home_node_name: string | null;
  home_path: string | null;
  county_id: number | null;
  disabled: boolean;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  resident_id: number | null;
  posts: {
    id: number;
    role: Role;
    nodeId: number | null;
    nodeName: string | null;
    nodeType: string | null;
    path: string | null;
  }[];
};

const COLS = `u.id, u.username, u.display_name, u.phone_sealed, u.phone_masked, u.home_node_id, h.name AS home_node_name,
  h.path AS home_path, u.county_id, u.disabled, u.locked_until, u.last_login_at, u.created_at, u.resident_id,
  COALESCE((SELECT json_agg(json_build_object('id', p.id, 'role', p.role, 'nodeId', p.node_id, 'nodeName', pn.name,
      'nodeType', pn.type, 'path', pn.path) ORDER BY p.id)
     FROM posts p LEFT JOIN org_nodes pn ON pn.id = p.node_id WHERE p.user_id = u.id), '[]'::json) AS posts`;

export async function findUser(q: Queryable, id: number): Promise<UserRow | undefined> {
  const rows = await q.query<UserRow>(
    `SELECT ${COLS} FROM users u LEFT JOIN org_nodes h ON h.id = u.home_node_id WHERE u.id = $1`,
    [id],
  );
  return rows[0];
}

export async function listUsers(
  q: Queryable,
  f: {
    scopeCondition: string;
    includeUnplaced: boolean;
    text: string | null;
    phoneHash: Buffer | null;
    nodePath: string | null;
    role: Role | null;
    limit: number;
    offset: number;
  },
): Promise<{ rows: UserRow[]; total: number }> {
  const where = `(${f.scopeCondition} OR ($1 AND u.home_node_id IS NULL))
    AND ($2::text IS NULL OR u.username ILIKE $2 OR u.display_name ILIKE $2 OR u.phone_hash = $3)
    AND ($4::text IS NULL OR h.path LIKE $4 || '%' OR EXISTS (
          SELECT 1 FROM posts p2 JOIN org_nodes n2 ON n2.id = p2.node_id WHERE p2.user_id = u.id AND n2.path LIKE $4 || '%'))
    AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM posts p3 WHERE p3.user_id = u.id AND p3.role = $5))`;
  const like = f.text ? `%${f.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const params = [f.includeUnplaced, like, f.phoneHash, f.nodePath, f.role];
  const [rows, count] = await Promise.all([
    q.query<UserRow>(
      `SELECT ${COLS} FROM users u LEFT JOIN org_nodes h ON h.id = u.home_node_id WHERE ${where}
        ORDER BY u.id LIMIT $6 OFFSET $7`,
      [...params, f.limit, f.offset],
    ),
    q.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users u LEFT JOIN org_nodes h ON h.id = u.home_node_id WHERE ${where}`,
      params,
    ),
  ]);
  return { rows, total: count[0]!.n };
}

export async function insertUser(
  q: Queryable,
  u: {
    username: string;
    displayName: string;
    passwordHash: string;
    phoneSealed: Buffer | null;
    phoneHash: Buffer | null;
    phoneMasked: string | null;
    homeNodeId: number | null;
    countyId: number | null;
    mustChangePassword: boolean;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO users (username, display_name, password_hash, phone_sealed, phone_hash, phone_masked, home_node_id,
       county_id, must_change_password)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      u.username,
      u.displayName,
      u.passwordHash,
      u.phoneSealed,
      u.phoneHash,
      u.phoneMasked,
      u.homeNodeId,
      u.countyId,
      u.mustChangePassword,
    ],
  );
  return rows[0]!.id;
}

export async function usernameExists(q: Queryable, username: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM users WHERE lower(username) = lower($1)', [username]);
  return rows.length > 0;
}

export async function updateUser(
  q: Queryable,
  id: number,
  p: {
    displayName: string;
    disabled: boolean;
    phone: { sealed: Buffer | null; hash: Buffer | null; masked: string | null } | undefined;
  },
): Promise<void> {
  await q.query(
    `UPDATE users SET display_name = $2, disabled = $3,
       phone_sealed = CASE WHEN $4 THEN $5 ELSE phone_sealed END,
       phone_hash = CASE WHEN $4 THEN $6 ELSE phone_hash END,
       phone_masked = CASE WHEN $4 THEN $7 ELSE phone_masked END,
       updated_at = now()
     WHERE id = $1`,
    [
      id,
      p.displayName,
      p.disabled,
      p.phone !== undefined,
      p.phone?.sealed ?? null,
      p.phone?.hash ?? null,
      p.phone?.masked ?? null,
    ],
  );
}

export async function setPassword(q: Queryable, id: number, hash: string): Promise<void> {
  await q.query(
    `UPDATE users SET password_hash = $2, must_change_password = true, failed_logins = 0, locked_until = NULL,
       updated_at = now() WHERE id = $1`,
    [id, hash],
  );
}

export async function unlockUser(q: Queryable, id: number): Promise<void> {
  await q.query('UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1', [id]);
}

export async function deleteSessionsOf(q: Queryable, userId: number): Promise<void> {
  await q.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}

export async function insertPost(
  q: Queryable,
  p: { userId: number; nodeId: number | null; countyId: number | null; role: Role },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    'INSERT INTO posts (user_id, node_id, county_id, role) VALUES ($1, $2, $3, $4) RETURNING id',
    [p.userId, p.nodeId, p.countyId, p.role],
  );
  return rows[0]!.id;
}

export async function deletePost(q: Queryable, userId: number, postId: number): Promise<boolean> {
  const rows = await q.query('DELETE FROM posts WHERE id = $1 AND user_id = $2 RETURNING id', [postId, userId]);
  return rows.length > 0;
}

export async function countUsers(q: Queryable): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]!.n;
}

export async function countSystemAdmins(q: Queryable): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(DISTINCT p.user_id)::int AS n FROM posts p JOIN users u ON u.id = p.user_id
      WHERE p.role = 'admin' AND p.node_id IS NULL AND NOT u.disabled`,
  );
  return rows[0]!.n;
}

/** Links an account to its resident (null unlinks); false when another account holds that resident already. */
export async function setUserResident(q: Queryable, id: number, residentId: number | null): Promise<boolean> {
  const taken = await q.query<{ id: number }>('SELECT id FROM users WHERE resident_id = $1 AND id <> $2 FOR UPDATE', [
    residentId,
    id,
  ]);
  if (residentId !== null && taken.length > 0) return false;
  await q.query('UPDATE users SET resident_id = $2, updated_at = now() WHERE id = $1', [id, residentId]);
  return true;
}

/** The resident an account is linked to, if any. */
export async function findLinkedResidentId(q: Queryable, userId: number): Promise<number | null> {
  const rows = await q.query<{ resident_id: number | null }>('SELECT resident_id FROM users WHERE id = $1', [userId]);
  return rows[0]?.resident_id ?? null;
}

export async function findUserIdByUsername(q: Queryable, username: string): Promise<number | undefined> {
  const rows = await q.query<{ id: number }>('SELECT id FROM users WHERE lower(username) = lower($1)', [username]);
  return rows[0]?.id;
}

/** Locks the enabled system administrators' posts and returns how many there are. */
export async function lockSystemAdmins(q: Queryable): Promise<number> {
  const rows = await q.query<{ user_id: number }>(
    `SELECT p.user_id FROM posts p JOIN users u ON u.id = p.user_id
      WHERE p.role = 'admin' AND p.node_id IS NULL AND NOT u.disabled FOR UPDATE OF p, u`,
  );
  return new Set(rows.map((r) => r.user_id)).size;
}
