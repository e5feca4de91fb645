import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../platform/auth/auth.logic.js';
import { buildUser, dataFingerprint, newSession, nodeIdByName } from '../../test/factories.js';
import { describeEachDb } from '../../test/test-app.js';

type UserSummary = {
  id: number;
  username: string;
  displayName: string;
  phoneMasked: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  homeNodeId: number | null;
  homeNodeName: string | null;
  posts: { id: number; role: string; nodeId: number | null; nodeName: string | null; nodeType: string | null }[];
};
type AuditItem = {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
};

const err = (res: LightMyRequestResponse) => res.json() as { code: string; message: string; field?: string };

describeEachDb('users', (env) => {
  const ids = {} as { xiguan: number; baishiVillage: number; dongguanGrid3: number; jumin: number; shequ: number };

  beforeAll(async () => {
    ids.xiguan = await nodeIdByName(env.db, '西关社区');
    ids.baishiVillage = await nodeIdByName(env.db, '白石村');
    ids.dongguanGrid3 = await nodeIdByName(env.db, '第三网格', env.ids.community);
    const rows = await env.db.query<{ id: number; username: string }>(
      `SELECT id, username FROM users WHERE username IN ('jumin', 'shequ')`,
    );
    ids.jumin = rows.find((r) => r.username === 'jumin')!.id;
    ids.shequ = rows.find((r) => r.username === 'shequ')!.id;
    for (const u of ['admin', 'jiedao', 'shequ', 'wangge', 'louzhang', 'jumin']) await env.cookie(u);
  });

  const call = (user: string, opts: InjectOptions) =>
    env.as(user, { ...opts, headers: { 'accept-language': 'en', ...(opts.headers ?? {}) } });
  const createUser = (user: string, payload: object) => call(user, { method: 'POST', url: '/api/users', payload });
  const listUsers = async (user: string, query: string) => {
    const res = await call(user, { method: 'GET', url: `/api/users?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: UserSummary[]; total: number };
  };

  /** Runs a request that must be refused, and checks that it changed nothing. */
  async function refused(run: () => Promise<LightMyRequestResponse>): Promise<LightMyRequestResponse> {
    const before = await dataFingerprint(env.db);
    const res = await run();
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(await dataFingerprint(env.db)).toBe(before);
    return res;
  }

  async function auditOf(action: string, targetId: number) {
    return env.db.query<{ actor_name: string; diff: unknown; reason: string | null; scope_path: string | null }>(
      'SELECT actor_name, diff, reason, scope_path FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY id',
      [action, String(targetId)],
    );
  }

  describe('createUser', () => {
    let created: UserSummary;

    beforeAll(async () => {
      const res = await createUser('admin', {
        username: 'newworker',
        displayName: '新社工',
        password: 'Start@1234',
        phone: '138 1234 5678',
        homeNodeId: env.ids.community,
        posts: [{ nodeId: env.ids.community, role: 'community_worker' }],
      });
      expect(res.statusCode, res.body).toBe(201);
      created = res.json() as UserSummary;
    });

    it('creates an account with its posts, shown with a masked phone', () => {
      expect(created).toMatchObject({
        username: 'newworker',
        displayName: '新社工',
        phoneMasked: '138****5678',
        disabled: false,
        lockedUntil: null,
        lastLoginAt: null,
        homeNodeId: env.ids.community,
        homeNodeName: '东关社区',
      });
      expect(created.posts).toEqual([
        {
          id: expect.any(Number),
          role: 'community_worker',
          nodeId: env.ids.community,
          nodeName: '东关社区',
          nodeType: 'community',
        },
      ]);
    });

    it('makes the new account change its password at first login', async () => {
      const cookie = await newSession(env, { username: 'newworker', password: 'Start@1234' });
      const me = await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      expect(me.json().user.mustChangePassword).toBe(true);
    });

    it('stores the phone sealed and hashed, never in plain text', async () => {
      const [row] = await env.db.query<{
        phone_sealed: Uint8Array;
        phone_hash: Uint8Array;
        phone_masked: string;
        row: string;
      }>('SELECT phone_sealed, phone_hash, phone_masked, row_to_json(u)::text AS row FROM users u WHERE id = $1', [
        created.id,
      ]);
      const sealed = Buffer.from(row!.phone_sealed);
      expect(sealed.includes(Buffer.from('13812345678'))).toBe(false);
      expect(row!.row).not.toContain('13812345678');
      expect(row!.row).not.toContain(Buffer.from('13812345678').toString('hex'));
      expect(row!.phone_masked).toBe('138****5678');
      expect(env.pii.open(sealed)).toBe('13812345678');
      expect(Buffer.from(row!.phone_hash).equals(env.pii.hash('13812345678', 'phone'))).toBe(true);
    });

    it('records the creation with the masked phone only', async () => {
      const audit = await auditOf('user.create', created.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]!.diff).toEqual({
        username: [null, 'newworker'],
        displayName: [null, '新社工'],
        phone: [null, '138****5678'],
        homeNodeId: [null, env.ids.community],
        posts: [null, `community_worker@${env.ids.community}`],
      });
      expect(JSON.stringify(audit)).not.toContain('13812345678');
    });

    it('finds the account by its exact phone number, however it is written, but not by part of it', async () => {
      for (const q of ['13812345678', '+86 138-1234-5678']) {
        const found = await listUsers('shequ', `q=${encodeURIComponent(q)}`);
        expect(
          found.items.map((u) => u.username),
          q,
        ).toEqual(['newworker']);
      }
      expect((await listUsers('shequ', 'q=1381234')).total).toBe(0);
      expect((await listUsers('shequ', 'q=5678')).total).toBe(0);
    });

    it('refuses a weak password and a bad phone, naming the field', async () => {
      const base = { username: 'badinput', displayName: '坏输入', homeNodeId: env.ids.community, posts: [] };
      const weak = await refused(() => createUser('admin', { ...base, password: 'password' }));
      expect([weak.statusCode, err(weak).code, err(weak).field]).toEqual([400, 'PASSWORD_WEAK', 'password']);
      const phone = await refused(() => createUser('admin', { ...base, password: 'Good@12345', phone: '12345' }));
      expect([phone.statusCode, err(phone).code, err(phone).field]).toEqual([400, 'PHONE_INVALID', 'phone']);
      const name = await refused(() => createUser('admin', { ...base, username: 'bad name!', password: 'Good@12345' }));
      expect([name.statusCode, err(name).code, err(name).field]).toEqual([400, 'VALIDATION', 'username']);
    });

    it('refuses a username already taken, whatever its case', async () => {
      const res = await refused(() =>
        createUser('admin', {
          username: 'NewWorker',
          displayName: '重名',
          password: 'Good@12345',
          homeNodeId: env.ids.community,
        }),
      );
      expect([res.statusCode, err(res).code, err(res).field]).toEqual([409, 'USERNAME_TAKEN', 'username']);
      expect(err(res).message).toBe('Username NewWorker is already taken');
    });

    it('refuses a post whose role does not fit the node type', async () => {
      for (const [role, nodeId] of [
        ['grid_worker', env.ids.community],
        ['community_worker', env.ids.grid],
        ['street_admin', env.ids.community],
      ] as const) {
        const res = await refused(() =>
          createUser('admin', {
            username: 'wrongtype',
            displayName: '错位',
            password: 'Good@12345',
            homeNodeId: env.ids.community,
            posts: [{ nodeId, role }],
          }),
        );
        expect([res.statusCode, err(res).code, err(res).field], role).toEqual([
          400,
          'ROLE_NODE_TYPE_INVALID',
          'posts.0.role',
        ]);
        expect(err(res).message).toContain(`A ${role} post cannot sit on a`);
      }
    });

    it('refuses a post without a node for any role but a system administrator', async () => {
      const res = await refused(() =>
        createUser('admin', {
          username: 'nonode',
          displayName: '无节点',
          password: 'Good@12345',
          homeNodeId: env.ids.community,
          posts: [{ nodeId: null, role: 'community_worker' }],
        }),
      );
      expect([res.statusCode, err(res).code, err(res).field]).toEqual([400, 'POST_NODE_REQUIRED', 'posts.0.nodeId']);
    });
  });

  describe('who may create and change whom', () => {
    it('lets a street admin create a community worker in one of their communities', async () => {
      const res = await createUser('jiedao', {
        username: 'xiguan_worker',
        displayName: '西关社工',
        password: 'Good@12345',
        homeNodeId: ids.xiguan,
        posts: [{ nodeId: ids.xiguan, role: 'community_worker' }],
      });
      expect(res.statusCode, res.body).toBe(201);
      const audit = await auditOf('user.create', res.json().id);
      expect(audit[0]!.actor_name).toBe('王街道');
    });

    it('does not let a street admin grant street_admin or admin', async () => {
      const base = { displayName: '越级', password: 'Good@12345', homeNodeId: env.ids.street };
      const street = await refused(() =>
        createUser('jiedao', {
          ...base,
          username: 'peer_admin',
          posts: [{ nodeId: env.ids.street, role: 'street_admin' }],
        }),
      );
      expect([street.statusCode, err(street).code, err(street).field]).toEqual([
        403,
        'ROLE_NOT_GRANTABLE',
        'posts.0.role',
      ]);
      expect(err(street).message).toBe('You cannot grant the role street_admin');
      const admin = await refused(() =>
        createUser('jiedao', { ...base, username: 'sys_admin', posts: [{ nodeId: null, role: 'admin' }] }),
      );
      expect([admin.statusCode, err(admin).code]).toEqual([403, 'ROLE_NOT_GRANTABLE']);
      const county = await refused(() =>
        createUser('jiedao', { ...base, username: 'county_admin', posts: [{ nodeId: env.ids.county, role: 'admin' }] }),
      );
      expect([403, 404]).toContain(county.statusCode);
    });

    it('does not let a street admin change another street admin or the system admin', async () => {
      const peer = await buildUser(env, { role: 'street_admin', nodeId: env.ids.street });
      const adminId = (await env.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'admin'`))[0]!.id;
      const attempts: [string, InjectOptions][] = [
        ['patch', { method: 'PATCH', url: `/api/users/${peer.id}`, payload: { displayName: '改名' } }],
        [
          'reset',
          { method: 'POST', url: `/api/users/${peer.id}/reset-password`, payload: { newPassword: 'Reset@12345' } },
        ],
        ['unlock', { method: 'POST', url: `/api/users/${peer.id}/unlock` }],
        [
          'add post',
          {
            method: 'POST',
            url: `/api/users/${peer.id}/posts`,
            payload: { nodeId: env.ids.community, role: 'volunteer' },
          },
        ],
        ['remove post', { method: 'DELETE', url: `/api/users/${peer.id}/posts/${peer.postIds[0]}` }],
      ];
      for (const [what, opts] of attempts) {
        const res = await refused(() => call('jiedao', opts));
        expect([res.statusCode, err(res).code], what).toEqual([403, 'USER_RANK_PROTECTED']);
      }
      const sys = await refused(() =>
        call('jiedao', { method: 'PATCH', url: `/api/users/${adminId}`, payload: { disabled: true } }),
      );
      expect([sys.statusCode, err(sys).code]).toEqual([404, 'USER_NOT_FOUND']);
      expect((await call('jiedao', { method: 'GET', url: `/api/users/${adminId}` })).statusCode).toBe(404);
    });

    it('lets a community worker create a grid worker in their community, but no peer and nothing elsewhere', async () => {
      const ok = await createUser('shequ', {
        username: 'grid3_worker',
        displayName: '第三网格员',
        password: 'Good@12345',
        homeNodeId: ids.dongguanGrid3,
        posts: [{ nodeId: ids.dongguanGrid3, role: 'grid_worker' }],
      });
      expect(ok.statusCode, ok.body).toBe(201);
      const peer = await refused(() =>
        createUser('shequ', {
          username: 'peer_worker',
          displayName: '同级',
          password: 'Good@12345',
          homeNodeId: env.ids.community,
          posts: [{ nodeId: env.ids.community, role: 'community_worker' }],
        }),
      );
      expect([peer.statusCode, err(peer).code]).toEqual([403, 'ROLE_NOT_GRANTABLE']);
      const elsewhere = await refused(() =>
        createUser('shequ', {
          username: 'xiguan_grid',
          displayName: '外社区',
          password: 'Good@12345',
          homeNodeId: ids.xiguan,
          posts: [],
        }),
      );
      expect([elsewhere.statusCode, err(elsewhere).code, err(elsewhere).field]).toEqual([
        404,
        'ORG_NODE_NOT_FOUND',
        'homeNodeId',
      ]);
    });

    it('refuses account management to roles without it', async () => {
      for (const user of ['wangge', 'jumin']) {
        const res = await refused(() =>
          createUser(user, {
            username: `by_${user}`,
            displayName: '无权',
            password: 'Good@12345',
            homeNodeId: env.ids.grid,
            posts: [],
          }),
        );
        expect([res.statusCode, err(res).code], user).toEqual([403, 'FORBIDDEN']);
        const list = await call(user, { method: 'GET', url: '/api/users' });
        expect([list.statusCode, err(list).code], user).toEqual([403, 'FORBIDDEN']);
      }
    });

    it('lists only the accounts in the caller’s area', async () => {
      const street = await listUsers('jiedao', 'pageSize=200');
      const names = street.items.map((u) => u.username);
      expect(names).toEqual(expect.arrayContaining(['jiedao', 'shequ', 'wangge', 'jumin', 'xiguan_worker']));
      expect(names).not.toContain('admin');
      expect(names).not.toContain('bumen');
      const community = (await listUsers('shequ', 'pageSize=200')).items.map((u) => u.username);
      expect(community).toEqual(expect.arrayContaining(['shequ', 'wangge', 'jumin']));
      expect(community).not.toContain('jiedao');
      expect(community).not.toContain('xiguan_worker');
    });
  });

  describe('posts', () => {
    it('adds and removes a post, recording both, and the grant applies at once', async () => {
      const u = await buildUser(env);
      const cookie = await newSession(env, u);
      const roots = () => env.app.inject({ method: 'GET', url: '/api/org/roots', headers: { cookie } });
      expect((await roots()).json().items).toEqual([]);

      const added = await call('shequ', {
        method: 'POST',
        url: `/api/users/${u.id}/posts`,
        payload: { nodeId: ids.dongguanGrid3, role: 'grid_worker' },
      });
      expect(added.statusCode, added.body).toBe(200);
      const post = (added.json() as UserSummary).posts.find((p) => p.role === 'grid_worker')!;
      expect(post).toMatchObject({ nodeId: ids.dongguanGrid3, nodeName: '第三网格', nodeType: 'grid' });
      expect((await roots()).json().items.map((n: { id: number }) => n.id)).toEqual([ids.dongguanGrid3]);

      const dup = await refused(() =>
        call('shequ', {
          method: 'POST',
          url: `/api/users/${u.id}/posts`,
          payload: { nodeId: ids.dongguanGrid3, role: 'grid_worker' },
        }),
      );
      expect([dup.statusCode, err(dup).code]).toEqual([409, 'POST_DUPLICATE']);

      const removed = await call('shequ', { method: 'DELETE', url: `/api/users/${u.id}/posts/${post.id}` });
      expect(removed.statusCode, removed.body).toBe(200);
      expect((removed.json() as UserSummary).posts.map((p) => p.role)).toEqual(['resident']);
      expect((await roots()).json().items).toEqual([]);

      const missing = await refused(() =>
        call('shequ', { method: 'DELETE', url: `/api/users/${u.id}/posts/${post.id}` }),
      );
      expect([missing.statusCode, err(missing).code]).toEqual([404, 'POST_NOT_FOUND']);

      expect((await auditOf('user.add_post', u.id)).map((a) => [a.actor_name, a.diff])).toEqual([
        ['李社工', { post: [null, { id: post.id, role: 'grid_worker', nodeId: ids.dongguanGrid3 }] }],
      ]);
      expect((await auditOf('user.remove_post', u.id)).map((a) => a.diff)).toEqual([
        { post: [{ id: post.id, role: 'grid_worker', nodeId: ids.dongguanGrid3 }, null] },
      ]);
    });

    it('refuses a post outside the caller’s area', async () => {
      const u = await buildUser(env);
      const res = await refused(() =>
        call('shequ', {
          method: 'POST',
          url: `/api/users/${u.id}/posts`,
          payload: { nodeId: ids.baishiVillage, role: 'volunteer' },
        }),
      );
      expect([res.statusCode, err(res).code, err(res).field]).toEqual([404, 'ORG_NODE_NOT_FOUND', 'post.nodeId']);
    });
  });

  describe('disable and reset password', () => {
    it('ends every session of a disabled account and records the change', async () => {
      const u = await buildUser(env);
      const cookie = await newSession(env, u);
      const res = await call('shequ', { method: 'PATCH', url: `/api/users/${u.id}`, payload: { disabled: true } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().disabled).toBe(true);
      const sessions = await env.db.query('SELECT 1 FROM sessions WHERE user_id = $1', [u.id]);
      expect(sessions).toEqual([]);
      const me = await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      expect([me.statusCode, err(me).code]).toEqual([401, 'AUTH_SESSION_INVALID']);
      const login = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u.username, password: u.password },
      });
      expect([login.statusCode, err(login).code]).toEqual([403, 'AUTH_DISABLED']);
      expect((await auditOf('user.update', u.id)).map((a) => a.diff)).toEqual([{ disabled: [false, true] }]);

      const on = await call('shequ', { method: 'PATCH', url: `/api/users/${u.id}`, payload: { disabled: false } });
      expect(on.statusCode).toBe(200);
      expect(on.json()).toMatchObject({ id: u.id, disabled: false });
      expect((await newSession(env, u)).startsWith('linli_session=')).toBe(true);
    });

    it('sets a temporary password that must be changed, and ends the old sessions', async () => {
      const u = await buildUser(env);
      const cookie = await newSession(env, u);
      const weak = await refused(() =>
        call('shequ', { method: 'POST', url: `/api/users/${u.id}/reset-password`, payload: { newPassword: 'temp' } }),
      );
      expect([weak.statusCode, err(weak).code, err(weak).field]).toEqual([400, 'PASSWORD_WEAK', 'newPassword']);

      const res = await call('shequ', {
        method: 'POST',
        url: `/api/users/${u.id}/reset-password`,
        payload: { newPassword: 'Temp@12345' },
      });
      expect(res.statusCode, res.body).toBe(204);
      const old = await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      expect(err(old).code).toBe('AUTH_SESSION_INVALID');
      const oldLogin = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: u.username, password: u.password },
      });
      expect(oldLogin.statusCode).toBe(401);
      const fresh = await newSession(env, { username: u.username, password: 'Temp@12345' });
      const me = await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: fresh } });
      expect(me.json().user.mustChangePassword).toBe(true);
      const [row] = await env.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND token_hash <> $2',
        [u.id, hashToken(fresh.slice('linli_session='.length))],
      );
      expect(row!.n).toBe(0);
      expect((await auditOf('user.reset_password', u.id)).map((a) => a.diff)).toEqual([
        { password: ['[secret]', '[changed]'] },
      ]);
    });
  });

  describe('revealUserField', () => {
    const reveal = (user: string, id: number, payload: object) =>
      call(user, { method: 'POST', url: `/api/users/${id}/reveal`, payload });

    it('shows the full number to a holder of pii.reveal and records who, whom and why', async () => {
      const res = await reveal('shequ', ids.jumin, { field: 'phone', reason: '  核实走访登记信息 ' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ value: '13805371005' });
      const audit = await env.db.query<{
        actor_id: number;
        actor_name: string;
        reason: string;
        diff: unknown;
        target_type: string;
      }>(
        `SELECT actor_id, actor_name, reason, diff, target_type FROM audit_log WHERE action = 'pii.reveal' AND target_id = $1`,
        [String(ids.jumin)],
      );
      expect(audit).toEqual([
        {
          actor_id: ids.shequ,
          actor_name: '李社工',
          reason: 'phone: 核实走访登记信息',
          diff: null,
          target_type: 'user',
        },
      ]);
    });

    it('refuses a caller without pii.reveal with 403', async () => {
      for (const user of ['louzhang', 'jumin']) {
        const res = await refused(() => reveal(user, ids.jumin, { field: 'phone', reason: '好奇' }));
        expect([res.statusCode, err(res).code], user).toEqual([403, 'FORBIDDEN']);
      }
    });

    it('refuses a grid worker, who cannot see accounts', async () => {
      const res = await refused(() => reveal('wangge', ids.jumin, { field: 'phone', reason: '回访' }));
      expect([403, 404]).toContain(res.statusCode);
    });

    it('requires a reason', async () => {
      const missing = await refused(() => reveal('shequ', ids.jumin, { field: 'phone' }));
      expect([missing.statusCode, err(missing).code, err(missing).field]).toEqual([400, 'VALIDATION', 'reason']);
      const short = await refused(() => reveal('shequ', ids.jumin, { field: 'phone', reason: 'x' }));
      expect([short.statusCode, err(short).field]).toEqual([400, 'reason']);
      for (const blank of ['  ', '\u200b\u200b', '\u3000\u200c\u3000']) {
        const res = await refused(() => reveal('shequ', ids.jumin, { field: 'phone', reason: blank }));
        expect([res.statusCode, err(res).code, err(res).field]).toEqual([400, 'REASON_REQUIRED', 'reason']);
        expect(res.body).not.toMatch(/1\d{10}/);
      }
      const field = await refused(() => reveal('shequ', ids.jumin, { field: 'idNumber', reason: '核实' }));
      expect([field.statusCode, err(field).field]).toEqual([400, 'field']);
    });

    it('hides an account outside the caller’s area, and says so for an empty field', async () => {
      const far = await buildUser(env, { nodeId: ids.baishiVillage, role: 'volunteer', phone: '13912345678' });
      const res = await refused(() => reveal('shequ', far.id, { field: 'phone', reason: '核实' }));
      expect([res.statusCode, err(res).code]).toEqual([404, 'USER_NOT_FOUND']);
      const empty = await buildUser(env, { phone: null });
      const none = await refused(() => reveal('shequ', empty.id, { field: 'phone', reason: '核实' }));
      expect([none.statusCode, err(none).code]).toEqual([404, 'PII_FIELD_EMPTY']);
    });
  });

  describe('listAudit', () => {
    const audit = async (user: string, query: string) => {
      const res = await call(user, { method: 'GET', url: `/api/audit?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: AuditItem[]; total: number };
    };

    /** Every entry the user may read, page by page. */
    const allEntries = async (user: string, query = '') => {
      const out: AuditItem[] = [];
      for (let page = 1; ; page++) {
        const res = await audit(user, `pageSize=200&page=${page}&${query}`);
        out.push(...res.items);
        if (out.length >= res.total || res.items.length === 0) return { items: out, total: res.total };
      }
    };

    it('filters by actor name or id', async () => {
      const byName = await allEntries('admin', `actor=${encodeURIComponent('李社工')}`);
      expect(byName.total).toBeGreaterThan(0);
      expect(new Set(byName.items.map((e) => e.actorName))).toEqual(new Set(['李社工']));
      const byId = await allEntries('admin', `actor=${ids.shequ}`);
      expect(byId.items.map((e) => e.id)).toEqual(byName.items.map((e) => e.id));
    });

    it('filters by action prefix and target type', async () => {
      const org = await allEntries('admin', 'action=org.');
      expect(org.total).toBeGreaterThan(400);
      expect(org.items.every((e) => e.action.startsWith('org.'))).toBe(true);
      const pii = await allEntries('admin', 'action=pii.reveal');
      expect(pii.items.map((e) => e.targetId)).toContain(String(ids.jumin));
      const users = await allEntries('admin', 'targetType=user');
      expect(users.total).toBeGreaterThan(0);
      expect(users.items.every((e) => e.targetType === 'user')).toBe(true);
      expect((await audit('admin', 'action=%25')).total).toBe(0);
    });

    it('filters by time, from inclusive and to exclusive, newest first', async () => {
      const latest = (await audit('admin', 'pageSize=5')).items;
      const times = latest.map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const at = latest[0]!.at;
      const from = await allEntries('admin', `from=${encodeURIComponent(at)}`);
      expect(from.items.map((e) => e.id)).toContain(latest[0]!.id);
      expect(from.items.every((e) => Date.parse(e.at) >= Date.parse(at))).toBe(true);
      const to = await audit('admin', `to=${encodeURIComponent(at)}&pageSize=200`);
      expect(to.items.map((e) => e.id)).not.toContain(latest[0]!.id);
      expect(to.items.every((e) => Date.parse(e.at) < Date.parse(at))).toBe(true);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect((await audit('admin', `from=${encodeURIComponent(future)}`)).total).toBe(0);
      const bad = await call('admin', { method: 'GET', url: '/api/audit?from=yesterday' });
      expect([bad.statusCode, err(bad).field]).toEqual([400, 'from']);
    });

    it('shows a community worker only the entries of their community', async () => {
      const far = await env.as('admin', {
        method: 'POST',
        url: '/api/org/nodes',
        payload: { parentId: ids.baishiVillage, type: 'grid', name: '审计范围网格' },
      });
      expect(far.statusCode, far.body).toBe(201);
      const farId = String(far.json().id);
      expect((await audit('admin', `targetId=${farId}`)).total).toBe(1);
      expect((await audit('shequ', `targetId=${farId}`)).total).toBe(0);
      expect((await audit('jiedao', `targetId=${farId}`)).total).toBe(0);

      const seen = await allEntries('shequ');
      expect(seen.items.length).toBe(seen.total);
      expect(seen.total).toBeGreaterThan(100);
      const [community] = await env.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [
        env.ids.community,
      ]);
      const outside = await env.db.query<{ id: number }>(
        'SELECT id FROM audit_log WHERE id = ANY($1::bigint[]) AND (scope_path IS NULL OR scope_path NOT LIKE $2)',
        [seen.items.map((e) => e.id), `${community!.path}%`],
      );
      expect(outside).toEqual([]);
      const [inside] = await env.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit_log WHERE scope_path LIKE $1',
        [`${community!.path}%`],
      );
      expect(seen.total).toBe(inside!.n);
    });

    it('refuses the audit trail to roles without audit.read', async () => {
      for (const user of ['wangge', 'louzhang', 'jumin']) {
        const res = await call(user, { method: 'GET', url: '/api/audit' });
        expect([res.statusCode, err(res).code], user).toEqual([403, 'FORBIDDEN']);
      }
    });
  });

  describe('the last system administrator', () => {
    it('cannot lose the admin post, which would leave nobody to manage the system', async () => {
      const [admin] = await env.db.query<{ id: number; post_id: number }>(
        `SELECT u.id, p.id AS post_id FROM users u JOIN posts p ON p.user_id = u.id
          WHERE u.username = 'admin' AND p.role = 'admin' AND p.node_id IS NULL`,
      );
      try {
        const res = await call('admin', { method: 'DELETE', url: `/api/users/${admin!.id}/posts/${admin!.post_id}` });
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        const [left] = await env.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM posts p JOIN users u ON u.id = p.user_id
            WHERE p.role = 'admin' AND p.node_id IS NULL AND NOT u.disabled`,
        );
        expect(left!.n).toBe(1);
      } finally {
        // Put the post back if it was taken, so that a failure here does not spread to other tests.
        await env.db.query(
          `INSERT INTO posts (id, user_id, node_id, county_id, role) VALUES ($1, $2, NULL, NULL, 'admin') ON CONFLICT DO NOTHING`,
          [admin!.post_id, admin!.id],
        );
      }
    });
  });
});
