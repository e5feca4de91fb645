import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { buildUser, countRows, dataFingerprint, newSession } from '../../test/factories.js';
import { describeEachDb, OWN_ORIGIN } from '../../test/test-app.js';
import { MODULES, ROLE_PERMISSIONS } from '../access/roles.js';
import { createJobs } from '../jobs/index.js';
import { hashToken } from './auth.logic.js';

const body = (res: LightMyRequestResponse) => res.json() as { code: string; message: string; field?: string };

function sessionCookie(res: LightMyRequestResponse): { header: string; raw: string } {
  const set = res.headers['set-cookie'];
  const raw = (Array.isArray(set) ? set : [set ?? '']).find((c) => c.startsWith('linli_session=')) ?? '';
  return { header: raw.split(';')[0]!, raw };
}

const tokenOf = (cookie: string) => cookie.slice('linli_session='.length);

describeEachDb('auth', (env) => {
  const loginReq = (username: string, password: string, headers: Record<string, string> = {}) =>
    env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });
  const me = (cookie: string) => env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });

  describe('login', () => {
    it('sets an httpOnly SameSite=Lax session cookie and answers with posts, permissions and modules', async () => {
      const res = await loginReq('shequ', DEMO_PASSWORD);
      expect(res.statusCode).toBe(200);
      const { header, raw } = sessionCookie(res);
      expect(tokenOf(header)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(raw).toMatch(/;\s*HttpOnly/i);
      expect(raw).toMatch(/;\s*SameSite=Lax/i);
      expect(raw).toMatch(/;\s*Path=\//);
      expect(raw).not.toMatch(/;\s*Secure/i);

      const expected = {
        user: {
          username: 'shequ',
          displayName: '李社工',
          locale: 'zh-CN',
          mustChangePassword: false,
          residentId: null,
        },
        posts: [{ role: 'community_worker', nodeId: env.ids.community, nodeName: '东关社区', nodeType: 'community' }],
        permissions: [...ROLE_PERMISSIONS.community_worker].sort(),
        modules: [...MODULES],
      };
      expect(res.json()).toMatchObject(expected);
      const again = await me(header);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject(expected);
      expect(again.json()).toEqual(res.json());
    });

    it('stores only the hash of the session token', async () => {
      const { header } = sessionCookie(await loginReq('wangge', DEMO_PASSWORD));
      const rows = await env.db.query<{ row: string }>(
        'SELECT row_to_json(s)::text AS row FROM sessions s WHERE token_hash = $1',
        [hashToken(tokenOf(header))],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.row).not.toContain(tokenOf(header));
    });

    it('refuses a wrong password with AUTH_INVALID_CREDENTIALS', async () => {
      const res = await loginReq('louzhang', 'Wrong@2026');
      expect(res.statusCode).toBe(401);
      expect(body(res).code).toBe('AUTH_INVALID_CREDENTIALS');
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('refuses an unknown user with the same code and message as a wrong password', async () => {
      const unknown = await loginReq('nobody-here', 'Wrong@2026');
      const wrong = await loginReq('louzhang', 'Wrong@2026');
      expect(unknown.statusCode).toBe(401);
      expect(body(unknown)).toEqual(body(wrong));
    });

    it('finds the account whatever the case of the username', async () => {
      expect((await loginReq('ShEqU', DEMO_PASSWORD)).statusCode).toBe(200);
    });

    it('locks the account from the fifth wrong password in a row, then refuses even the right one', async () => {
      const u = await buildUser(env);
      const statuses: [number, string][] = [];
      for (let i = 0; i < 10; i++) {
        const res = await loginReq(u.username, 'Wrong@2026');
        statuses.push([res.statusCode, body(res).code]);
      }
      expect(statuses).toEqual([
        ...Array.from({ length: 4 }, () => [401, 'AUTH_INVALID_CREDENTIALS']),
        ...Array.from({ length: 6 }, () => [423, 'AUTH_LOCKED']),
      ]);
      const right = await loginReq(u.username, u.password, { 'accept-language': 'en' });
      expect(right.statusCode).toBe(423);
      expect(body(right).message).toMatch(/locked until \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      const [row] = await env.db.query<{ locked_until: Date | null; failed_logins: number }>(
        'SELECT locked_until, failed_logins FROM users WHERE id = $1',
        [u.id],
      );
      expect(row!.failed_logins).toBe(5);
      expect(row!.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
      expect(row!.locked_until!.getTime()).toBeLessThanOrEqual(Date.now() + 15 * 60_000);

      const listed = await env.as('admin', { method: 'GET', url: `/api/users/${u.id}` });
      expect(listed.json().lockedUntil).toBe(row!.locked_until!.toISOString());

      const unlock = await env.as('admin', { method: 'POST', url: `/api/users/${u.id}/unlock` });
      expect(unlock.statusCode).toBe(200);
      expect(unlock.json().lockedUntil).toBeNull();
      const [after] = await env.db.query<{ locked_until: Date | null; failed_logins: number }>(
        'SELECT locked_until, failed_logins FROM users WHERE id = $1',
        [u.id],
      );
      expect(after).toEqual({ locked_until: null, failed_logins: 0 });
      expect((await loginReq(u.username, u.password)).statusCode).toBe(200);
      const audit = await env.db.query<{ actor_name: string }>(
        `SELECT actor_name FROM audit_log WHERE action = 'user.unlock' AND target_id = $1`,
        [String(u.id)],
      );
      expect(audit).toEqual([{ actor_name: '系统管理员' }]);
    });

    it('starts a fresh count once a lock has run out', async () => {
      const u = await buildUser(env);
      for (let i = 0; i < 5; i++) await loginReq(u.username, 'Wrong@2026');
      await env.db.query(`UPDATE users SET locked_until = now() - interval '1 minute' WHERE id = $1`, [u.id]);
      const res = await loginReq(u.username, 'Wrong@2026');
      expect([res.statusCode, body(res).code]).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);
      expect((await loginReq(u.username, u.password)).statusCode).toBe(200);
    });

    it('resets the count of failures after a successful login', async () => {
      const u = await buildUser(env);
      for (let i = 0; i < 4; i++) await loginReq(u.username, 'Wrong@2026');
      expect((await loginReq(u.username, u.password)).statusCode).toBe(200);
      const res = await loginReq(u.username, 'Wrong@2026');
      expect(res.statusCode).toBe(401);
    });

    it('refuses a disabled account', async () => {
      const u = await buildUser(env);
      const off = await env.as('admin', { method: 'PATCH', url: `/api/users/${u.id}`, payload: { disabled: true } });
      expect(off.statusCode).toBe(200);
      const res = await loginReq(u.username, u.password);
      expect([res.statusCode, body(res).code]).toEqual([403, 'AUTH_DISABLED']);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('answers in the language the client asks for', async () => {
      const en = await loginReq('nobody-here', 'x', { 'accept-language': 'en-US,en;q=0.9' });
      expect(body(en).message).toBe('Wrong username or password');
      const zh = await loginReq('nobody-here', 'x', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
      expect(body(zh).message).toBe('用户名或密码错误');
      const none = await loginReq('nobody-here', 'x');
      expect(body(none).message).toBe('用户名或密码错误');
      const cookie = await loginReq('nobody-here', 'x', { 'accept-language': 'zh-CN', cookie: 'linli_lang=en' });
      expect(body(cookie).message).toBe('Wrong username or password');
    });

    it('limits login attempts per address', async () => {
      const app = await buildApp({
        jobs: createJobs(env.db),
        db: env.db,
        pii: env.pii,
        broker: null,
        loginRateLimit: 3,
      });
      await app.ready();
      try {
        const codes: number[] = [];
        for (let i = 0; i < 4; i++) {
          const res = await app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'nobody-here', password: 'x' },
            headers: { 'accept-language': 'en' },
          });
          codes.push(res.statusCode);
          if (i === 3) {
            expect(body(res)).toEqual({ code: 'RATE_LIMITED', message: 'Too many requests; try again later' });
          }
        }
        expect(codes).toEqual([401, 401, 401, 429]);
      } finally {
        await app.close();
      }
    });
  });

  describe('sessions', () => {
    it('refuses a request without a cookie with AUTH_REQUIRED', async () => {
      const res = await env.app.inject({ method: 'GET', url: '/api/auth/me' });
      expect([res.statusCode, body(res).code]).toEqual([401, 'AUTH_REQUIRED']);
    });

    it('ends the session on logout, so the cookie no longer works', async () => {
      const cookie = await newSession(env, { username: 'wangge', password: DEMO_PASSWORD });
      expect((await me(cookie)).statusCode).toBe(200);
      const out = await env.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie, origin: OWN_ORIGIN },
      });
      expect(out.statusCode).toBe(204);
      expect(sessionCookie(out).raw).toMatch(/linli_session=;.*Expires=Thu, 01 Jan 1970/i);
      const rows = await env.db.query('SELECT 1 FROM sessions WHERE token_hash = $1', [hashToken(tokenOf(cookie))]);
      expect(rows).toEqual([]);
      const res = await me(cookie);
      expect([res.statusCode, body(res).code]).toEqual([401, 'AUTH_SESSION_INVALID']);
    });

    it('lets a logout without a session pass', async () => {
      expect((await env.app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    });

    it('refuses a tampered cookie and clears it', async () => {
      const cookie = await newSession(env, { username: 'wangge', password: DEMO_PASSWORD });
      const token = tokenOf(cookie);
      const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      for (const value of [flipped, `${token}x`, 'garbage', "' OR 1=1 --"]) {
        const res = await me(`linli_session=${encodeURIComponent(value)}`);
        expect([res.statusCode, body(res).code], value).toEqual([401, 'AUTH_SESSION_INVALID']);
        expect(sessionCookie(res).raw, value).toMatch(/Expires=Thu, 01 Jan 1970/i);
      }
      expect((await me(cookie)).statusCode).toBe(200);
    });

    it('refuses an expired session', async () => {
      const cookie = await newSession(env, { username: 'wangge', password: DEMO_PASSWORD });
      await env.db.query(`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`, [
        hashToken(tokenOf(cookie)),
      ]);
      const res = await me(cookie);
      expect([res.statusCode, body(res).code]).toEqual([401, 'AUTH_SESSION_INVALID']);
    });

    it('lets a public route through with a dead session cookie', async () => {
      const res = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'wangge', password: DEMO_PASSWORD },
        headers: { cookie: 'linli_session=garbage', origin: OWN_ORIGIN },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().user.username).toBe('wangge');
    });
  });

  describe('changePassword', () => {
    it('checks the current password, refuses a weak one, and ends the other sessions only', async () => {
      const u = await buildUser(env, { mustChangePassword: true });
      const current = await newSession(env, u);
      const other = await newSession(env, u);
      expect((await me(current)).json().user.mustChangePassword).toBe(true);
      const change = (payload: object, lang = 'en') =>
        env.app.inject({
          method: 'POST',
          url: '/api/auth/password',
          payload,
          headers: { cookie: current, origin: OWN_ORIGIN, 'accept-language': lang },
        });

      const wrong = await change({ currentPassword: 'Wrong@1234', newPassword: 'Better@2027' });
      expect([wrong.statusCode, body(wrong).code, body(wrong).field]).toEqual([
        400,
        'AUTH_WRONG_PASSWORD',
        'currentPassword',
      ]);
      const weak = await change({ currentPassword: u.password, newPassword: 'short1' });
      expect([weak.statusCode, body(weak).code, body(weak).field]).toEqual([400, 'PASSWORD_WEAK', 'newPassword']);
      const lettersOnly = await change({ currentPassword: u.password, newPassword: 'abcdefghij' }, 'zh-CN');
      expect(body(lettersOnly)).toEqual({
        code: 'PASSWORD_WEAK',
        field: 'newPassword',
        message: '密码至少 8 位，且须同时包含字母和数字',
      });
      expect((await me(other)).statusCode).toBe(200);

      const ok = await change({ currentPassword: u.password, newPassword: 'Better@2027' });
      expect(ok.statusCode).toBe(204);
      const still = await me(current);
      expect(still.statusCode).toBe(200);
      expect(still.json().user.mustChangePassword).toBe(false);
      expect(body(await me(other)).code).toBe('AUTH_SESSION_INVALID');
      expect((await loginReq(u.username, u.password)).statusCode).toBe(401);
      expect((await loginReq(u.username, 'Better@2027')).statusCode).toBe(200);

      const audit = await env.db.query<{ diff: unknown }>(
        `SELECT diff FROM audit_log WHERE action = 'user.change_password' AND target_id = $1`,
        [String(u.id)],
      );
      expect(audit).toEqual([{ diff: { password: ['[secret]', '[changed]'] } }]);
    });
  });

  describe('API tokens', () => {
    it('creates a token shown once, stored only as its hash, usable as a bearer until revoked', async () => {
      const created = await env.as('jiedao', {
        method: 'POST',
        url: '/api/auth/tokens',
        payload: { name: 'GIS 同步' },
      });
      expect(created.statusCode).toBe(201);
      const { token, item } = created.json() as { token: string; item: { id: number; prefix: string; name: string } };
      expect(token).toMatch(/^lnl_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      expect(token.startsWith(`lnl_${item.prefix}_`)).toBe(true);
      expect(item.name).toBe('GIS 同步');

      const rows = await env.db.query<{ row: string; token_hash: Uint8Array }>(
        'SELECT row_to_json(t)::text AS row, token_hash FROM api_tokens t WHERE id = $1',
        [item.id],
      );
      expect(Buffer.from(rows[0]!.token_hash).equals(hashToken(token))).toBe(true);
      expect(rows[0]!.row).not.toContain(token.slice(13));
      const listed = await env.as('jiedao', { method: 'GET', url: '/api/auth/tokens' });
      expect(listed.body).not.toContain(token.slice(13));
      expect(listed.json().items.map((t: { id: number }) => t.id)).toContain(item.id);

      const bearer = { authorization: `Bearer ${token}` };
      const roots = await env.app.inject({ method: 'GET', url: '/api/org/roots', headers: bearer });
      expect(roots.statusCode).toBe(200);
      expect(roots.json().items.map((n: { id: number }) => n.id)).toEqual([env.ids.street]);

      const revoked = await env.as('jiedao', { method: 'DELETE', url: `/api/auth/tokens/${item.id}` });
      expect(revoked.statusCode).toBe(204);
      const after = await env.app.inject({ method: 'GET', url: '/api/org/roots', headers: bearer });
      expect([after.statusCode, body(after).code]).toEqual([401, 'AUTH_TOKEN_INVALID']);

      const audit = await env.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'api_token' AND target_id = $1 ORDER BY id`,
        [String(item.id)],
      );
      expect(audit.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);
    });

    it('refuses an expired token and a malformed one', async () => {
      const created = await env.as('bumen', {
        method: 'POST',
        url: '/api/auth/tokens',
        payload: { name: 'short-lived', expiresInDays: 1 },
      });
      expect(created.statusCode).toBe(201);
      const { token, item } = created.json() as { token: string; item: { id: number } };
      const use = (t: string) =>
        env.app.inject({ method: 'GET', url: '/api/org/roots', headers: { authorization: `Bearer ${t}` } });
      expect((await use(token)).statusCode).toBe(200);
      await env.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1`, [item.id]);
      expect(body(await use(token)).code).toBe('AUTH_TOKEN_INVALID');
      expect(body(await use('lnl_nothing')).code).toBe('AUTH_TOKEN_INVALID');
    });

    it("does not let one user revoke another user's token", async () => {
      const created = await env.as('jiedao', { method: 'POST', url: '/api/auth/tokens', payload: { name: 'kept' } });
      const { item } = created.json() as { item: { id: number } };
      const res = await env.as('bumen', { method: 'DELETE', url: `/api/auth/tokens/${item.id}` });
      expect([res.statusCode, body(res).code]).toEqual([404, 'TOKEN_NOT_FOUND']);
      const [row] = await env.db.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_tokens WHERE id = $1', [
        item.id,
      ]);
      expect(row!.revoked_at).toBeNull();
    });

    it('refuses a resident, who may not manage tokens', async () => {
      const before = await countRows(env.db, 'api_tokens');
      const res = await env.as('jumin', { method: 'POST', url: '/api/auth/tokens', payload: { name: 'mine' } });
      expect([res.statusCode, body(res).code]).toEqual([403, 'FORBIDDEN']);
      expect(await countRows(env.db, 'api_tokens')).toBe(before);
    });

    it('stops the tokens of an account once it is disabled', async () => {
      const u = await buildUser(env, { role: 'department', nodeId: env.ids.county });
      const cookie = await newSession(env, u);
      const created = await env.app.inject({
        method: 'POST',
        url: '/api/auth/tokens',
        payload: { name: 'machine' },
        headers: { cookie, origin: OWN_ORIGIN },
      });
      expect(created.statusCode, created.body).toBe(201);
      const use = () =>
        env.app.inject({
          method: 'GET',
          url: '/api/org/roots',
          headers: { authorization: `Bearer ${created.json().token}` },
        });
      expect((await use()).statusCode).toBe(200);
      const off = await env.as('admin', { method: 'PATCH', url: `/api/users/${u.id}`, payload: { disabled: true } });
      expect(off.statusCode).toBe(200);
      const res = await use();
      expect([res.statusCode, body(res).code]).toEqual([401, 'AUTH_TOKEN_INVALID']);
    });
  });

  describe('bad requests', () => {
    /** Sends a create-node request as the system admin and checks it changed no data at all. */
    async function create(payload: string | object, headers: Record<string, string> = {}) {
      await env.cookie('admin');
      const before = await dataFingerprint(env.db);
      const res = await env.as('admin', {
        method: 'POST',
        url: '/api/org/nodes',
        payload,
        headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers },
      });
      expect(await dataFingerprint(env.db)).toBe(before);
      return res;
    }

    it('refuses malformed JSON', async () => {
      const res = await create('{"parentId": 1, "type": ');
      expect([res.statusCode, body(res).code]).toEqual([400, 'MALFORMED_JSON']);
      expect(body(res).message).toBe('The request body is not valid JSON');
    });

    it('refuses an unknown field, naming it', async () => {
      const res = await create({ parentId: env.ids.community, type: 'grid', name: '未知字段网格', color: 'red' });
      expect([res.statusCode, body(res).code, body(res).field]).toEqual([400, 'VALIDATION', 'color']);
      expect(body(res).message).toBe('color: is not an allowed field');
    });

    it('refuses a field of the wrong type, naming it', async () => {
      const res = await create({ parentId: env.ids.community, type: 'grid', name: { zh: '网格' } });
      expect([res.statusCode, body(res).code, body(res).field]).toEqual([400, 'VALIDATION', 'name']);
      const nullable = await create({ parentId: 'east', type: 'grid', name: '类型错误网格' });
      expect([nullable.statusCode, body(nullable).code, body(nullable).field]).toEqual([400, 'VALIDATION', 'parentId']);
      const missing = await create({ parentId: env.ids.community, type: 'grid' });
      expect([missing.statusCode, body(missing).field]).toEqual([400, 'name']);
      const badEnum = await create({ parentId: env.ids.community, type: 'district', name: '枚举错误' });
      expect([badEnum.statusCode, body(badEnum).field]).toEqual([400, 'type']);
    });

    it('refuses a body over 1 MiB', async () => {
      const res = await create({ parentId: env.ids.community, type: 'grid', name: 'x'.repeat(1024 * 1024) });
      expect([res.statusCode, body(res).code]).toEqual([413, 'BODY_TOO_LARGE']);
    });

    it('refuses a body that is not JSON', async () => {
      const res = await create('name=x', { 'content-type': 'application/x-www-form-urlencoded' });
      expect([res.statusCode, body(res).code]).toEqual([415, 'CONTENT_TYPE_UNSUPPORTED']);
    });

    it('answers an unknown API route with NOT_FOUND', async () => {
      const res = await env.as('admin', {
        method: 'GET',
        url: '/api/nothing-here',
        headers: { 'accept-language': 'en' },
      });
      expect(res.statusCode).toBe(404);
      expect(body(res)).toEqual({ code: 'NOT_FOUND', message: 'No such route' });
    });
  });

  describe('internal errors', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await buildApp({ jobs: createJobs(env.db), db: env.db, pii: env.pii, broker: { isReady: () => false } });
      app.get('/api/test/boom', { config: { public: true } }, async () => {
        throw new Error('secret SQL detail: SELECT password_hash FROM users');
      });
      await app.ready();
    });
    afterAll(async () => {
      await app.close();
    });

    it('hides the cause and names the request id', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/test/boom', headers: { 'accept-language': 'en' } });
      expect(res.statusCode).toBe(500);
      const id = res.headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.json()).toEqual({ code: 'INTERNAL', message: `Internal error (request ${id})` });
      expect(res.body).not.toMatch(/secret|SELECT|password_hash|stack|\bat\s/);
    });

    it('uses a request id the client sent, when it is well-formed', async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/api/test/boom',
        headers: { 'x-request-id': 'client-req-0001' },
      });
      expect(res.headers['x-request-id']).toBe('client-req-0001');
      expect(res.json()).toEqual({ code: 'INTERNAL', message: '服务器内部错误（请求编号 client-req-0001）' });
      const bad = await app.inject({ method: 'GET', url: '/api/test/boom', headers: { 'x-request-id': 'short' } });
      expect(bad.headers['x-request-id']).not.toBe('short');
      expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('reports not ready while the broker is down', async () => {
      const res = await app.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'not ready', db: 'ok', broker: 'down' });
    });
  });

  describe('operations endpoints and headers', () => {
    it('answers /health and /ready without a login', async () => {
      const health = await env.app.inject({ method: 'GET', url: '/health' });
      expect([health.statusCode, health.json()]).toEqual([200, { status: 'ok' }]);
      const ready = await env.app.inject({ method: 'GET', url: '/ready' });
      expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready', db: 'ok', broker: 'disabled' }]);
    });

    it('sends security headers and a request id on every response', async () => {
      for (const res of [
        await env.app.inject({ method: 'GET', url: '/health' }),
        await env.app.inject({ method: 'GET', url: '/api/auth/me' }),
        await env.as('shequ', { method: 'GET', url: '/api/org/roots' }),
      ]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
    });
  });
});
