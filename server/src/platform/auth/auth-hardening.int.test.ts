import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { resetPasswordByUsername } from '../../modules/users/users.service.js';
import { type BuiltUser, buildUser, countRows, dataFingerprint, newSession } from '../../test/factories.js';
import { describeEachDb, OWN_ORIGIN } from '../../test/test-app.js';
import { createJobs } from '../jobs/index.js';

const body = (res: LightMyRequestResponse) => res.json() as { code: string; message: string; field?: string };
const codeOf = (res: LightMyRequestResponse) => [res.statusCode, body(res).code];
const FOREIGN = 'https://evil.example';

/** A multipart/form-data body with one small file, as a browser's form sends it. */
function multipart() {
  const boundary = '----linliHardening';
  const payload = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\n` +
      `Content-Type: text/csv\r\n\r\n姓名,身份证号\r\n--${boundary}--\r\n`,
  );
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEachDb('auth hardening', (env) => {
  const importCount = async () => (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM imports'))[0]!.n;
  /** A request with a session cookie and exactly the headers given (no Origin unless named). */
  const withCookie = (cookie: string, opts: InjectOptions, headers: Record<string, string> = {}) =>
    env.app.inject({ ...opts, headers: { ...(opts.headers as Record<string, string>), cookie, ...headers } });
  const own = (cookie: string, opts: InjectOptions) => withCookie(cookie, opts, { origin: OWN_ORIGIN });
  const bearer = (token: string, opts: InjectOptions) =>
    env.app.inject({
      ...opts,
      headers: { ...(opts.headers as Record<string, string>), authorization: `Bearer ${token}` },
    });
  const me = (cookie: string) => withCookie(cookie, { method: 'GET', url: '/api/auth/me' });
  const newToken = async (cookie: string, name: string): Promise<string> => {
    const res = await own(cookie, { method: 'POST', url: '/api/auth/tokens', payload: { name } });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { token: string }).token;
  };
  /** A department account (it may manage API tokens) with a session. */
  const department = async (): Promise<{ user: BuiltUser; cookie: string }> => {
    const user = await buildUser(env, { role: 'department', nodeId: env.ids.county });
    return { user, cookie: await newSession(env, user) };
  };

  describe('cross-site requests (CSRF)', () => {
    it('refuses a cross-site PATCH carrying the session cookie, and takes it from Linli’s own origin', async () => {
      const { user, cookie } = await department();
      const patch = { method: 'PATCH' as const, url: '/api/auth/me', payload: { displayName: '改名' } };
      const refused = await withCookie(cookie, patch, { origin: FOREIGN, 'accept-language': 'en' });
      expect(body(refused)).toEqual({
        code: 'ORIGIN_REFUSED',
        message: 'The request did not come from Linli itself and was refused (cross-site request)',
      });
      expect(refused.statusCode).toBe(403);
      const [row] = await env.db.query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [
        user.id,
      ]);
      expect(row!.display_name).not.toBe('改名');

      const ok = await withCookie(cookie, patch, { origin: OWN_ORIGIN });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().user.displayName).toBe('改名');
      const withPort = await withCookie(cookie, patch, { origin: 'http://localhost:80' });
      expect(withPort.statusCode).toBe(200);
    });

    it('refuses a multipart upload and empty-body POSTs from another site', async () => {
      const admin = await env.cookie('admin');
      const imports = await importCount();
      const upload = await withCookie(
        admin,
        { method: 'POST', url: '/api/people/imports', ...multipart() },
        {
          origin: FOREIGN,
        },
      );
      expect(codeOf(upload)).toEqual([403, 'ORIGIN_REFUSED']);
      expect(await importCount()).toBe(imports);

      const u = await buildUser(env);
      await env.db.query(`UPDATE users SET locked_until = now() + interval '1 hour', failed_logins = 5 WHERE id = $1`, [
        u.id,
      ]);
      const unlock = { method: 'POST' as const, url: `/api/users/${u.id}/unlock` };
      expect(codeOf(await withCookie(admin, unlock, { origin: FOREIGN }))).toEqual([403, 'ORIGIN_REFUSED']);
      const [locked] = await env.db.query<{ failed_logins: number }>('SELECT failed_logins FROM users WHERE id = $1', [
        u.id,
      ]);
      expect(locked!.failed_logins).toBe(5);
      const unlocked = await withCookie(admin, unlock, { origin: OWN_ORIGIN });
      expect([unlocked.statusCode, unlocked.json().lockedUntil]).toEqual([200, null]);

      const session = await newSession(env, u);
      const logout = { method: 'POST' as const, url: '/api/auth/logout' };
      expect(codeOf(await withCookie(session, logout, { origin: FOREIGN }))).toEqual([403, 'ORIGIN_REFUSED']);
      expect((await me(session)).statusCode).toBe(200);
    });

    it('without an Origin, trusts Sec-Fetch-Site: same-origin only, and refuses a request naming neither', async () => {
      const { cookie } = await department();
      const patch = { method: 'PATCH' as const, url: '/api/auth/me', payload: { locale: 'en' } };
      expect(codeOf(await withCookie(cookie, patch, { 'sec-fetch-site': 'cross-site' }))).toEqual([
        403,
        'ORIGIN_REFUSED',
      ]);
      expect(codeOf(await withCookie(cookie, patch, { 'sec-fetch-site': 'same-site' }))).toEqual([
        403,
        'ORIGIN_REFUSED',
      ]);
      expect(codeOf(await withCookie(cookie, patch))).toEqual([403, 'ORIGIN_REFUSED']);
      const ok = await withCookie(cookie, patch, { 'sec-fetch-site': 'same-origin' });
      expect([ok.statusCode, ok.json().user.locale]).toEqual([200, 'en']);
    });

    it('leaves reads alone: a GET with the cookie needs no Origin', async () => {
      const { cookie } = await department();
      const res = await withCookie(cookie, { method: 'GET', url: '/api/auth/me' }, { origin: FOREIGN });
      expect(res.statusCode).toBe(200);
    });

    it('refuses a login from another site, and takes one without an Origin (scripts) or from Linli', async () => {
      const login = (headers: Record<string, string>) =>
        env.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'wangge', password: DEMO_PASSWORD },
          headers,
        });
      const refused = await login({ origin: FOREIGN });
      expect(codeOf(refused)).toEqual([403, 'ORIGIN_REFUSED']);
      expect(refused.headers['set-cookie']).toBeUndefined();
      expect((await login({})).statusCode).toBe(200);
      expect((await login({ origin: OWN_ORIGIN })).statusCode).toBe(200);
    });

    it('leaves Bearer-token clients without a cookie alone, with or without an Origin', async () => {
      const { cookie } = await department();
      const token = await newToken(cookie, 'sync');
      const reads = await bearer(token, { method: 'GET', url: '/api/org/roots' });
      expect(reads.statusCode).toBe(200);
      const jiedao = await env.cookie('jiedao');
      const street = await newToken(jiedao, 'street sync');
      const create = (name: string, headers: Record<string, string>) =>
        bearer(street, {
          method: 'POST',
          url: '/api/org/nodes',
          payload: { parentId: env.ids.community, type: 'grid', name },
          headers,
        });
      const plain = await create('令牌网格一', {});
      expect([plain.statusCode, plain.json().name]).toEqual([201, '令牌网格一']);
      const foreign = await create('令牌网格二', { origin: FOREIGN });
      expect([foreign.statusCode, foreign.json().name]).toEqual([201, '令牌网格二']);
    });

    describe('behind a proxy, and with LINLI_ALLOWED_ORIGINS', () => {
      let proxied: FastifyInstance;
      let plain: FastifyInstance;
      beforeAll(async () => {
        proxied = await buildApp({
          jobs: createJobs(env.db),
          db: env.db,
          pii: env.pii,
          broker: null,
          trustProxy: true,
          allowedOrigins: ['http://localhost:5173'],
        });
        plain = await buildApp({ jobs: createJobs(env.db), db: env.db, pii: env.pii, broker: null });
        await Promise.all([proxied.ready(), plain.ready()]);
      });
      afterAll(async () => {
        await Promise.all([proxied.close(), plain.close()]);
      });

      const patchMe = (app: FastifyInstance, cookie: string, headers: Record<string, string>) =>
        app.inject({
          method: 'PATCH',
          url: '/api/auth/me',
          payload: { locale: 'zh-CN' },
          headers: { cookie, ...headers },
        });
      const forwarded = {
        host: '127.0.0.1:3000',
        'x-forwarded-host': 'linli.example.org',
        'x-forwarded-proto': 'https',
        origin: 'https://linli.example.org',
      };

      it('honours X-Forwarded-Host and -Proto only when the proxy is trusted', async () => {
        const { cookie } = await department();
        expect((await patchMe(proxied, cookie, forwarded)).statusCode).toBe(200);
        expect(codeOf(await patchMe(plain, cookie, forwarded))).toEqual([403, 'ORIGIN_REFUSED']);
        const spoofed = { ...forwarded, 'x-forwarded-host': 'evil.example', origin: 'https://evil.example' };
        expect(codeOf(await patchMe(plain, cookie, spoofed))).toEqual([403, 'ORIGIN_REFUSED']);
      });

      it('accepts an allowed origin (the dev server) and still refuses others', async () => {
        const { cookie } = await department();
        const dev = await patchMe(proxied, cookie, { host: '127.0.0.1:3000', origin: 'http://localhost:5173' });
        expect(dev.statusCode).toBe(200);
        expect(
          codeOf(await patchMe(plain, cookie, { host: '127.0.0.1:3000', origin: 'http://localhost:5173' })),
        ).toEqual([403, 'ORIGIN_REFUSED']);
        expect(
          codeOf(await patchMe(proxied, cookie, { host: '127.0.0.1:3000', origin: 'http://localhost:5174' })),
        ).toEqual([403, 'ORIGIN_REFUSED']);
      });
    });
  });

  describe('JSON bodies only', () => {
    const createGrid = (payload: string | Buffer, contentType: string) =>
      env.as('admin', {
        method: 'POST',
        url: '/api/org/nodes',
        payload,
        headers: { 'content-type': contentType, 'accept-language': 'en' },
      });
    const json = (name: string) => JSON.stringify({ parentId: env.ids.community, type: 'grid', name });

    it('refuses a JSON body sent as text/plain or as a form, changing nothing', async () => {
      const before = await dataFingerprint(env.db);
      const text = await createGrid(json('文本网格'), 'text/plain');
      expect(body(text)).toEqual({
        code: 'CONTENT_TYPE_UNSUPPORTED',
        message: 'Unsupported content type (send application/json)',
      });
      expect(text.statusCode).toBe(415);
      const form = await createGrid('name=x', 'application/x-www-form-urlencoded');
      expect(codeOf(form)).toEqual([415, 'CONTENT_TYPE_UNSUPPORTED']);
      const upload = await env.as('admin', { method: 'POST', url: '/api/org/nodes', ...multipart() });
      expect(codeOf(upload)).toEqual([415, 'CONTENT_TYPE_UNSUPPORTED']);
      expect(await dataFingerprint(env.db)).toBe(before);

      const ok = await createGrid(json('JSON 网格'), 'application/json; charset=utf-8');
      expect([ok.statusCode, ok.json().name]).toEqual([201, 'JSON 网格']);
    });

    it('takes multipart on the import upload route', async () => {
      const res = await env.as('admin', { method: 'POST', url: '/api/people/imports', ...multipart() });
      expect(res.statusCode, res.body).toBe(202);
    });
  });

  describe('API tokens cannot renew themselves or manage accounts', () => {
    it('refuses a token creating a token, changing a password or managing accounts; it still reads', async () => {
      const { user, cookie } = await department();
      const tokenA = await newToken(cookie, 'A');
      const tokens = await countRows(env.db, 'api_tokens');

      const renew = await bearer(tokenA, {
        method: 'POST',
        url: '/api/auth/tokens',
        payload: { name: 'B' },
        headers: { 'accept-language': 'en' },
      });
      expect(body(renew)).toEqual({
        code: 'TOKEN_NOT_ALLOWED',
        message: 'An API token may not do this; log in to do it',
      });
      expect(renew.statusCode).toBe(403);
      expect(await countRows(env.db, 'api_tokens')).toBe(tokens);

      const password = await bearer(tokenA, {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: user.password, newPassword: 'Stolen@2027' },
      });
      expect(codeOf(password)).toEqual([403, 'TOKEN_NOT_ALLOWED']);
      expect((await newSession(env, user)).startsWith('linli_session=')).toBe(true);
      for (const req of [
        { method: 'GET', url: '/api/auth/tokens' },
        { method: 'PATCH', url: '/api/auth/me', payload: { displayName: 'Bot' } },
        { method: 'POST', url: '/api/auth/confirm-password', payload: { password: user.password } },
      ] as InjectOptions[]) {
        expect(codeOf(await bearer(tokenA, req)), String(req.url)).toEqual([403, 'TOKEN_NOT_ALLOWED']);
      }

      const meByToken = await bearer(tokenA, { method: 'GET', url: '/api/auth/me' });
      expect(meByToken.statusCode).toBe(200);
      expect(meByToken.json().permissions).toEqual(['cases.respond', 'org.read']);
      expect((await me(cookie)).json().permissions).toEqual(['cases.respond', 'org.read', 'tokens.manage']);
    });

    it('refuses an administrator’s token every account-management write', async () => {
      const admin = await env.cookie('admin');
      const token = await newToken(admin, 'admin machine');
      const target = await buildUser(env);
      const before = await dataFingerprint(env.db);
      for (const req of [
        {
          method: 'POST',
          url: '/api/users',
          payload: {
            username: 'token_made',
            displayName: '令牌建的',
            password: 'Token@12345',
            homeNodeId: env.ids.unit,
            posts: [{ nodeId: env.ids.unit, role: 'resident' }],
          },
        },
        { method: 'PATCH', url: `/api/users/${target.id}`, payload: { disabled: true } },
        { method: 'POST', url: `/api/users/${target.id}/reset-password`, payload: { newPassword: 'Token@12345' } },
        { method: 'POST', url: `/api/users/${target.id}/unlock` },
        { method: 'POST', url: `/api/users/${target.id}/posts`, payload: { nodeId: env.ids.unit, role: 'volunteer' } },
        { method: 'DELETE', url: `/api/users/${target.id}/posts/${target.postIds[0]}` },
      ] as InjectOptions[]) {
        expect(codeOf(await bearer(token, req)), `${req.method} ${req.url}`).toEqual([403, 'TOKEN_NOT_ALLOWED']);
      }
      expect(await dataFingerprint(env.db)).toBe(before);
      const list = await bearer(token, { method: 'GET', url: '/api/users', query: { q: target.username } });
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((u: { id: number }) => u.id)).toEqual([target.id]);
      const sameBySession = await env.as('admin', { method: 'POST', url: `/api/users/${target.id}/unlock` });
      expect(sameBySession.statusCode).toBe(200);
    });

    it('creates a token only when the session entered the password in the last minutes', async () => {
      const { user, cookie } = await department();
      await env.db.query(
        `UPDATE sessions SET password_confirmed_at = now() - interval '11 minutes' WHERE user_id = $1`,
        [user.id],
      );
      const create = () => own(cookie, { method: 'POST', url: '/api/auth/tokens', payload: { name: 'late' } });
      const tokens = await countRows(env.db, 'api_tokens');
      expect(codeOf(await create())).toEqual([403, 'PASSWORD_CONFIRM_REQUIRED']);
      expect(await countRows(env.db, 'api_tokens')).toBe(tokens);

      const confirm = (password: string) =>
        own(cookie, { method: 'POST', url: '/api/auth/confirm-password', payload: { password } });
      const wrong = await confirm('Wrong@2026');
      expect([wrong.statusCode, body(wrong).code, body(wrong).field]).toEqual([400, 'AUTH_WRONG_PASSWORD', 'password']);
      const [counted] = await env.db.query<{ failed_logins: number }>('SELECT failed_logins FROM users WHERE id = $1', [
        user.id,
      ]);
      expect(counted!.failed_logins).toBe(1);
      expect(codeOf(await create())).toEqual([403, 'PASSWORD_CONFIRM_REQUIRED']);

      expect((await confirm(user.password)).statusCode).toBe(204);
      const created = await create();
      expect([created.statusCode, created.json().item.name]).toEqual([201, 'late']);
      const [cleared] = await env.db.query<{ failed_logins: number }>('SELECT failed_logins FROM users WHERE id = $1', [
        user.id,
      ]);
      expect(cleared!.failed_logins).toBe(0);
    });

    it('locks the account after five wrong confirmations, like logins', async () => {
      const { user, cookie } = await department();
      const confirm = (password: string) =>
        own(cookie, { method: 'POST', url: '/api/auth/confirm-password', payload: { password } });
      for (let i = 0; i < 4; i++) expect(codeOf(await confirm('Wrong@2026'))).toEqual([400, 'AUTH_WRONG_PASSWORD']);
      expect(codeOf(await confirm('Wrong@2026'))).toEqual([423, 'AUTH_LOCKED']);
      expect(codeOf(await confirm(user.password))).toEqual([423, 'AUTH_LOCKED']);
      const login = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: user.username, password: user.password },
      });
      expect(codeOf(login)).toEqual([423, 'AUTH_LOCKED']);
    });
  });

  describe('a password reset by an administrator', () => {
    it('revokes every API token of the user and ends their sessions; the user is told once', async () => {
      const { user, cookie } = await department();
      const tokenA = await newToken(cookie, 'A');
      const tokenB = await newToken(cookie, 'B');
      const other = await newSession(env, user);
      const use = (t: string) => bearer(t, { method: 'GET', url: '/api/org/roots' });
      expect((await use(tokenA)).statusCode).toBe(200);
      expect((await use(tokenB)).statusCode).toBe(200);

      const reset = await env.as('admin', {
        method: 'POST',
        url: `/api/users/${user.id}/reset-password`,
        payload: { newPassword: 'Reset@12345' },
      });
      expect(reset.statusCode, reset.body).toBe(204);
      expect(codeOf(await use(tokenA))).toEqual([401, 'AUTH_TOKEN_INVALID']);
      expect(codeOf(await use(tokenB))).toEqual([401, 'AUTH_TOKEN_INVALID']);
      expect(codeOf(await me(cookie))).toEqual([401, 'AUTH_SESSION_INVALID']);
      expect(codeOf(await me(other))).toEqual([401, 'AUTH_SESSION_INVALID']);
      const audit = await env.db.query<{ diff: unknown }>(
        `SELECT diff FROM audit_log WHERE action = 'user.reset_password' AND target_id = $1`,
        [String(user.id)],
      );
      expect(audit).toEqual([{ diff: { password: ['[secret]', '[changed]'], revokedTokens: [0, 2] } }]);

      const fresh = await newSession(env, { username: user.username, password: 'Reset@12345' });
      const told = (await me(fresh)).json();
      expect(told.user.mustChangePassword).toBe(true);
      expect(told.notice).toEqual({ kind: 'tokens_revoked', at: expect.any(String), count: 2 });
      expect(Date.now() - Date.parse(told.notice.at)).toBeLessThan(60_000);
      const changed = await own(fresh, {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'Reset@12345', newPassword: 'Mine@123456' },
      });
      expect(changed.statusCode).toBe(204);
      expect((await me(fresh)).json().notice).toMatchObject({ kind: 'tokens_revoked', count: 2 });
      const dismissed = await own(fresh, { method: 'DELETE', url: '/api/auth/me/notice' });
      expect(dismissed.statusCode).toBe(204);
      expect((await me(fresh)).json().notice).toBeNull();
    });

    it('revokes them when the command line resets the password too', async () => {
      const { user, cookie } = await department();
      const token = await newToken(cookie, 'cli');
      const reset = await resetPasswordByUsername({ db: env.db, pii: env.pii }, user.username, 'Cli@1234567');
      expect(reset).toEqual({ password: 'Cli@1234567', generated: false, revokedTokens: 1 });
      expect(codeOf(await bearer(token, { method: 'GET', url: '/api/org/roots' }))).toEqual([
        401,
        'AUTH_TOKEN_INVALID',
      ]);
      expect(codeOf(await me(cookie))).toEqual([401, 'AUTH_SESSION_INVALID']);
      const fresh = await newSession(env, { username: user.username, password: 'Cli@1234567' });
      expect((await me(fresh)).json().notice).toMatchObject({ kind: 'tokens_revoked', count: 1 });
    });

    it('leaves a user without tokens no notice', async () => {
      const u = await buildUser(env);
      const reset = await env.as('admin', {
        method: 'POST',
        url: `/api/users/${u.id}/reset-password`,
        payload: { newPassword: 'Reset@12345' },
      });
      expect(reset.statusCode).toBe(204);
      const fresh = await newSession(env, { username: u.username, password: 'Reset@12345' });
      const res = (await me(fresh)).json();
      expect([res.user.mustChangePassword, res.notice]).toEqual([true, null]);
    });

    it('but the user’s own change ends their other sessions and keeps their tokens', async () => {
      const { user, cookie } = await department();
      const token = await newToken(cookie, 'kept');
      const other = await newSession(env, user);
      const changed = await own(cookie, {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: user.password, newPassword: 'Own@1234567' },
      });
      expect(changed.statusCode).toBe(204);
      expect(codeOf(await me(other))).toEqual([401, 'AUTH_SESSION_INVALID']);
      expect((await me(cookie)).statusCode).toBe(200);
      expect((await bearer(token, { method: 'GET', url: '/api/org/roots' })).statusCode).toBe(200);
      expect((await me(cookie)).json().notice).toBeNull();
    });
  });

  describe('password change', () => {
    const change = (cookie: string, currentPassword: string, newPassword = 'Next@1234567') =>
      own(cookie, { method: 'POST', url: '/api/auth/password', payload: { currentPassword, newPassword } });

    it('counts wrong current passwords toward the login lockout: the fifth locks the account', async () => {
      const u = await buildUser(env);
      const cookie = await newSession(env, u);
      for (let i = 0; i < 4; i++) {
        const res = await change(cookie, 'Wrong@2026');
        expect([res.statusCode, body(res).code, body(res).field]).toEqual([
          400,
          'AUTH_WRONG_PASSWORD',
          'currentPassword',
        ]);
      }
      const fifth = await change(cookie, 'Wrong@2026');
      expect(codeOf(fifth)).toEqual([423, 'AUTH_LOCKED']);
      expect(body(fifth).message).toMatch(/^密码错误次数过多，账号已锁定至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      expect(codeOf(await change(cookie, u.password))).toEqual([423, 'AUTH_LOCKED']);
      const login = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u.username, password: u.password },
      });
      expect(codeOf(login)).toEqual([423, 'AUTH_LOCKED']);

      const unlocked = await env.as('admin', { method: 'POST', url: `/api/users/${u.id}/unlock` });
      expect(unlocked.statusCode).toBe(200);
      expect((await change(cookie, u.password)).statusCode).toBe(204);
    });

    it('shares one count with failed logins', async () => {
      const u = await buildUser(env);
      const cookie = await newSession(env, u);
      for (let i = 0; i < 3; i++) {
        await env.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: u.username, password: 'Wrong@2026' },
        });
      }
      expect(codeOf(await change(cookie, 'Wrong@2026'))).toEqual([400, 'AUTH_WRONG_PASSWORD']);
      expect(codeOf(await change(cookie, 'Wrong@2026'))).toEqual([423, 'AUTH_LOCKED']);
    });
  });

  describe('an account that must change its password', () => {
    it('may use nothing but its password change until it has changed it', async () => {
      const u = await buildUser(env, { role: 'grid_worker', nodeId: env.ids.grid, mustChangePassword: true });
      const cookie = await newSession(env, u);
      const residents = { method: 'GET' as const, url: '/api/people/residents' };
      const refused = await withCookie(cookie, residents, { 'accept-language': 'en' });
      expect(body(refused)).toEqual({ code: 'PASSWORD_CHANGE_REQUIRED', message: 'Change your password first' });
      expect(refused.statusCode).toBe(403);
      for (const req of [
        { method: 'GET', url: '/api/org/roots' },
        { method: 'GET', url: '/api/auth/tokens' },
        { method: 'PATCH', url: '/api/auth/me', payload: { displayName: '新名字' } },
        { method: 'POST', url: '/api/auth/confirm-password', payload: { password: u.password } },
      ] as InjectOptions[]) {
        expect(codeOf(await own(cookie, req)), `${req.method} ${req.url}`).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
      }
      const who = await me(cookie);
      expect([who.statusCode, who.json().user.mustChangePassword]).toEqual([200, true]);
      const lang = await own(cookie, { method: 'PATCH', url: '/api/auth/me', payload: { locale: 'en' } });
      expect([lang.statusCode, lang.json().user.locale]).toEqual([200, 'en']);

      const changed = await own(cookie, {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: u.password, newPassword: 'Fresh@123456' },
      });
      expect(changed.statusCode).toBe(204);
      const now = await withCookie(cookie, residents);
      expect(now.statusCode, now.body).toBe(200);
      expect(now.json()).toMatchObject({ items: expect.any(Array), total: expect.any(Number) });
      const roots = await withCookie(cookie, { method: 'GET', url: '/api/org/roots' });
      expect(roots.json().items.map((n: { id: number }) => n.id)).toEqual([env.ids.grid]);
      const out = await own(cookie, { method: 'POST', url: '/api/auth/logout' });
      expect(out.statusCode).toBe(204);
    });
  });
});
