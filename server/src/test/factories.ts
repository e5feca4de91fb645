import type { Role } from '../platform/access/roles.js';
import type { Db } from '../platform/db/client.js';
import { login, type TestEnv } from './test-app.js';

export const TEST_PASSWORD = 'Test@12345';

export type BuiltUser = { id: number; username: string; password: string; postIds: number[] };

let counter = 0;

/**
 * An account made through the API by the system administrator: one post (`role` at `nodeId`, by default a
 * resident of the demo unit), its home at the same node, ready to log in without a forced password change.
 */
export async function buildUser(
  env: TestEnv,
  overrides: {
    username?: string;
    displayName?: string;
    role?: Role;
    nodeId?: number;
    password?: string;
    phone?: string | null;
    mustChangePassword?: boolean;
  } = {},
): Promise<BuiltUser> {
  counter++;
  const username = overrides.username ?? `test${counter}_${Math.random().toString(36).slice(2, 8)}`;
  const password = overrides.password ?? TEST_PASSWORD;
  const nodeId = overrides.nodeId ?? env.ids.unit!;
  const res = await env.as('admin', {
    method: 'POST',
    url: '/api/users',
    payload: {
      username,
      displayName: overrides.displayName ?? `测试${counter}`,
      password,
      phone: overrides.phone ?? null,
      homeNodeId: nodeId,
      posts: [{ nodeId, role: overrides.role ?? 'resident' }],
    },
  });
  if (res.statusCode !== 201) throw new Error(`buildUser ${username}: ${res.statusCode} ${res.body}`);
  const body = res.json() as { id: number; posts: { id: number }[] };
  if (!overrides.mustChangePassword) {
    await env.db.query('UPDATE users SET must_change_password = false WHERE id = $1', [body.id]);
  }
  return { id: body.id, username, password, postIds: body.posts.map((p) => p.id) };
}

/** A new session for the user (not the cached one `env.as` uses), as a cookie header. */
export async function newSession(env: TestEnv, user: { username: string; password: string }): Promise<string> {
  return login(env.app, user.username, user.password);
}

/** The id of the active node with this name (under `parentId` when given); fails when there is not exactly one. */
export async function nodeIdByName(db: Db, name: string, parentId?: number): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `SELECT id FROM org_nodes WHERE name = $1 AND status = 'active' AND ($2::bigint IS NULL OR parent_id = $2)`,
    [name, parentId ?? null],
  );
  if (rows.length !== 1) throw new Error(`nodeIdByName ${name}: ${rows.length} matches`);
  return rows[0]!.id;
}

export async function countRows(
  db: Db,
  table: 'audit_log' | 'org_nodes' | 'users' | 'posts' | 'sessions' | 'api_tokens',
) {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]!.n;
}

/** Fingerprint of the data a refused request must leave alone (sessions excepted: logins make them). */
export async function dataFingerprint(db: Db): Promise<string> {
  const rows = await db.query<{ s: string }>(
    `SELECT concat_ws('|',
       (SELECT md5(string_agg(concat_ws(',', id, parent_id, county_id, type, name, code, path, depth, status, boundary::text),
          ';' ORDER BY id)) FROM org_nodes),
       (SELECT md5(string_agg(concat_ws(',', id, username, display_name, disabled, password_hash, home_node_id, phone_masked,
          must_change_password, locked_until), ';' ORDER BY id)) FROM users),
       (SELECT md5(string_agg(concat_ws(',', id, user_id, node_id, role), ';' ORDER BY id)) FROM posts),
       (SELECT md5(string_agg(concat_ws(',', id, name, revoked_at), ';' ORDER BY id)) FROM api_tokens),
       (SELECT count(*) FROM audit_log)) AS s`,
  );
  return rows[0]!.s;
}
