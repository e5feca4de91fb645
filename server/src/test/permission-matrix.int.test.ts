import type { InjectOptions } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { listRoutes } from '../app.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../demo/demo-region.js';
import { describeEachDb, login, type TestEnv } from './test-app.js';

/**
 * The permission matrix: every API endpoint, for every role, against a target outside that role's
 * scope. A record endpoint must refuse (403, or 404 where existence must not leak) and change nothing;
 * a list endpoint must leave the target out. A new endpoint fails the coverage check until it is added.
 */

type Targets = {
  county: number;
  street: number;
  community: number;
  grid: number;
  user: number;
  userPost: number;
  adminToken: number;
  /** A village of the demo region, as a move destination. */
  townVillage: number;
  building: number;
  house: number;
  household: number;
  resident: number;
  residentIdNumber: string;
  contact: number;
  volunteerTag: number;
  partyTag: number;
  /** A residents import made by the outsider (邻安社区's community worker). */
  peopleImport: number;
  /** A move-in request by the outsider for a person held by the demo region's 东关社区 (pending). */
  moveInRequest: number;
  /** A custom report template narrowed to 邻安社区, and a region-wide one. */
  reportTemplate: number;
  reportOpenTemplate: number;
};

type Case =
  | { kind: 'record'; req: (t: Targets) => InjectOptions }
  | { kind: 'list'; req: (t: Targets) => InjectOptions; leaks: (body: string, t: Targets) => boolean }
  | { kind: 'self'; req: (t: Targets) => InjectOptions };

const idsIn = (body: string): number[] => {
  const parsed = JSON.parse(body) as { items?: { id: number }[] };
  return (parsed.items ?? []).map((i) => i.id);
};

const CASES: Record<string, Case> = {
  'POST /api/auth/login': {
    kind: 'self',
    req: () => ({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'y' } }),
  },
  'POST /api/auth/logout': { kind: 'self', req: () => ({ method: 'POST', url: '/api/auth/logout' }) },
  'GET /api/auth/me': { kind: 'self', req: () => ({ method: 'GET', url: '/api/auth/me' }) },
  'PATCH /api/auth/me': {
    kind: 'self',
    req: () => ({ method: 'PATCH', url: '/api/auth/me', payload: { locale: 'en' } }),
  },
  'DELETE /api/auth/me/notice': { kind: 'self', req: () => ({ method: 'DELETE', url: '/api/auth/me/notice' }) },
  'POST /api/auth/confirm-password': {
    kind: 'self',
    req: () => ({ method: 'POST', url: '/api/auth/confirm-password', payload: { password: 'wrong' } }),
  },
  'POST /api/auth/password': {
    kind: 'self',
    req: () => ({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'wrong', newPassword: 'Another@123' },
    }),
  },
  'GET /api/auth/tokens': {
    kind: 'list',
    req: () => ({ method: 'GET', url: '/api/auth/tokens' }),
    leaks: (body, t) => idsIn(body).includes(t.adminToken),
  },
  'POST /api/auth/tokens': {
    kind: 'self',
    req: () => ({ method: 'POST', url: '/api/auth/tokens', payload: { name: 'mine' } }),
  },
  'DELETE /api/auth/tokens/:id': {
    kind: 'record',
    req: (t) => ({ method: 'DELETE', url: `/api/auth/tokens/${t.adminToken}` }),
  },

  'GET /api/org/roots': {
    kind: 'list',
    req: () => ({ method: 'GET', url: '/api/org/roots' }),
    leaks: (body, t) => idsIn(body).includes(t.county),
  },
  'GET /api/org/nodes': { kind: 'record', req: (t) => ({ method: 'GET', url: `/api/org/nodes?parentId=${t.street}` }) },
  'GET /api/org/search': {
    kind: 'list',
    req: () => ({ method: 'GET', url: `/api/org/search?q=${encodeURIComponent('邻安')}` }),
    leaks: (body) => body.includes('邻安'),
  },
  'GET /api/org/nodes/:id': { kind: 'record', req: (t) => ({ method: 'GET', url: `/api/org/nodes/${t.community}` }) },
  'POST /api/org/nodes': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: '/api/org/nodes',
      payload: { parentId: t.community, type: 'grid', name: '越权网格' },
    }),
  },
  'PATCH /api/org/nodes/:id': {
    kind: 'record',
    req: (t) => ({ method: 'PATCH', url: `/api/org/nodes/${t.grid}`, payload: { name: '改名' } }),
  },
  'POST /api/org/nodes/:id/move': {
    kind: 'record',
    req: (t) => ({ method: 'POST', url: `/api/org/nodes/${t.grid}/move`, payload: { parentId: t.townVillage } }),
  },
  'POST /api/org/nodes/:id/retire': {
    kind: 'record',
    req: (t) => ({ method: 'POST', url: `/api/org/nodes/${t.grid}/retire` }),
  },

  'GET /api/users': {
    kind: 'list',
    req: () => ({ method: 'GET', url: '/api/users?pageSize=200' }),
    leaks: (body, t) => idsIn(body).includes(t.user),
  },
  'POST /api/users': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'intruder',
        displayName: '越权',
        password: 'Intrude@123',
        homeNodeId: t.community,
        posts: [],
      },
    }),
  },
  'GET /api/users/:id': { kind: 'record', req: (t) => ({ method: 'GET', url: `/api/users/${t.user}` }) },
  'PATCH /api/users/:id': {
    kind: 'record',
    req: (t) => ({ method: 'PATCH', url: `/api/users/${t.user}`, payload: { disabled: true } }),
  },
  'POST /api/users/:id/reset-password': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: `/api/users/${t.user}/reset-password`,
      payload: { newPassword: 'Taken@1234' },
    }),
  },
  'POST /api/users/:id/unlock': {
    kind: 'record',
    req: (t) => ({ method: 'POST', url: `/api/users/${t.user}/unlock` }),
  },
  'POST /api/users/:id/posts': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: `/api/users/${t.user}/posts`,
      payload: { nodeId: t.grid, role: 'grid_worker' },
    }),
  },
  'DELETE /api/users/:id/posts/:postId': {
    kind: 'record',
    req: (t) => ({ method: 'DELETE', url: `/api/users/${t.user}/posts/${t.userPost}` }),
  },
  'POST /api/users/:id/reveal': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: `/api/users/${t.user}/reveal`,
      payload: { field: 'phone', reason: '核实身份' },
    }),
  },

  'GET /api/audit': {
    kind: 'list',
    req: () => ({ method: 'GET', url: '/api/audit?pageSize=200&targetType=org_node' }),
    leaks: (body) => body.includes('邻安'),
  },

  'GET /api/people/residents': {
    kind: 'list',
    req: (t) => ({ method: 'GET', url: `/api/people/residents?q=${t.residentIdNumber}` }),
    leaks: (body, t) => idsIn(body).includes(t.resident),
  },
  'POST /api/people/residents': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: '/api/people/residents',
      payload: { name: '越权', idNumber: '11010519491231002X', nodeId: t.grid },
    }),
  },
  'GET /api/people/residents/:id': {
    kind: 'record',
    req: (t) => ({ method: 'GET', url: `/api/people/residents/${t.resident}` }),
  },
  'PATCH /api/people/residents/:id': {
    kind: 'record',
    req: (t) => ({ method: 'PATCH', url: `/api/people/residents/${t.resident}`, payload: { name: '改名' } }),
  },
  'POST /api/people/residents/:id/leave': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: `/api/people/residents/${t.resident}/leave`,
      payload: { reason: 'moved_out', on: '2026-01-02' },
    }),
  },
  'POST /api/people/residents/:id/tags': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: `/api/people/residents/${t.resident}/tags`,
      payload: { tagId: t.partyTag, reason: '越权设置' },
    }),
  },
  'DELETE /api/people/residents/:id/tags/:tagId': {
    kind: 'record',
    req: (t) => ({ method: 'DELETE', url: `/api/people/residents/${t.resident}/tags/${t.volunteerTag}` }),
  },
  'POST /api/people/residents/:id/contacts': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: `/api/people/residents/${t.resident}/contacts`,
      payload: { name: '家属', relation: '子女', phone: '13905370000' },
    }),
  },
  'DELETE /api/people/residents/:id/contacts/:contactId': {
    kind: 'record',
    req: (t) => ({ method: 'DELETE', url: `/api/people/residents/${t.resident}/contacts/${t.contact}` }),
  },
  'POST /api/people/residents/:id/reveal': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: `/api/people/residents/${t.resident}/reveal`,
      payload: { field: 'idNumber', reason: '核实' },
    }),
  },
  'POST /api/people/households': {
    kind: 'record',
    req: (t) => ({ method: 'POST', url: '/api/people/households', payload: { nodeId: t.grid } }),
  },
  'GET /api/people/households/:id': {
    kind: 'record',
    req: (t) => ({ method: 'GET', url: `/api/people/households/${t.household}` }),
  },
  'POST /api/people/households/:id/members': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: `/api/people/households/${t.household}/members`,
      payload: { residentId: t.resident, relation: 'spouse' },
    }),
  },
  'POST /api/people/houses': {
    kind: 'record',
    req: (t) => ({ method: 'POST', url: '/api/people/houses', payload: { nodeId: t.building, roomNo: '909' } }),
  },
  'GET /api/people/houses/:id': {
    kind: 'record',
    req: (t) => ({ method: 'GET', url: `/api/people/houses/${t.house}` }),
  },
  'PATCH /api/people/houses/:id': {
    kind: 'record',
    req: (t) => ({ method: 'PATCH', url: `/api/people/houses/${t.house}`, payload: { use: 'vacant' } }),
  },
  'GET /api/people/buildings/:id/map': {
    kind: 'record',
    req: (t) => ({ method: 'GET', url: `/api/people/buildings/${t.building}/map` }),
  },
  'GET /api/people/tags': {
    kind: 'list',
    req: () => ({ method: 'GET', url: '/api/people/tags' }),
    // Only the outside resident holds 志愿者: a count above zero would come from outside the scope.
    leaks: (body) =>
      ((JSON.parse(body) as { items: { code: string; holders: number | null }[] }).items.find(
        (x) => x.code === 'volunteer',
      )?.holders ?? 0) > 0,
  },
  'POST /api/people/tags': {
    kind: 'record',
    req: () => ({
      method: 'POST',
      url: '/api/people/tags',
      payload: { code: 'intruder_tag', name: '越权标签', sensitive: false },
    }),
  },
  'PATCH /api/people/tags/:id': {
    kind: 'record',
    req: (t) => ({ method: 'PATCH', url: `/api/people/tags/${t.volunteerTag}`, payload: { name: '改名' } }),
  },
  'DELETE /api/people/tags/:id': {
    kind: 'record',
    req: (t) => ({ method: 'DELETE', url: `/api/people/tags/${t.partyTag}` }),
  },
  'POST /api/people/tags/refresh': { kind: 'record', req: () => ({ method: 'POST', url: '/api/people/tags/refresh' }) },

  'GET /api/reports/fields': {
    kind: 'list',
    req: () => ({ method: 'GET', url: '/api/reports/fields' }),
    leaks: (body) => body.includes('邻安'),
  },
  'GET /api/reports/templates': {
    kind: 'list',
    req: () => ({ method: 'GET', url: '/api/reports/templates' }),
    leaks: (body, t) => idsIn(body).includes(t.reportTemplate),
  },
  'GET /api/reports/templates/:id': {
    kind: 'record',
    req: (t) => ({ method: 'GET', url: `/api/reports/templates/${t.reportTemplate}` }),
  },
  'POST /api/reports/templates': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: '/api/reports/templates',
      payload: {
        name: '越权模板',
        definition: { entity: 'resident', columns: [{ field: 'name' }], filters: { nodeId: t.community } },
      },
    }),
  },
  'PATCH /api/reports/templates/:id': {
    kind: 'record',
    req: (t) => ({ method: 'PATCH', url: `/api/reports/templates/${t.reportTemplate}`, payload: { name: '改名' } }),
  },
  'DELETE /api/reports/templates/:id': {
    kind: 'record',
    req: (t) => ({ method: 'DELETE', url: `/api/reports/templates/${t.reportTemplate}` }),
  },
  'GET /api/reports/templates/:id/preview': {
    kind: 'record',
    req: (t) => ({
      method: 'GET',
      url: `/api/reports/templates/${t.reportOpenTemplate}/preview?nodeId=${t.community}`,
    }),
  },
  'GET /api/reports/templates/:id/export': {
    kind: 'record',
    req: (t) => ({
      method: 'GET',
      url: `/api/reports/templates/${t.reportOpenTemplate}/export?nodeId=${t.community}&unmasked=true`,
    }),
  },
  'POST /api/reports/preview-definition': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: '/api/reports/preview-definition',
      payload: {
        definition: { entity: 'resident', columns: [{ field: 'idNumber' }], filters: { nodeId: t.community } },
      },
    }),
  },

  // The template holds nothing from outside the caller's area: its example row is built from the caller's own
  // places (checked in import.int.test.ts); here it must only be refused or served, changing nothing.
  // A move-in request is seen only by its requester (the outsider) and by those holding the person's
  // community (东关社区 and above); everyone else is told it does not exist, and cannot decide it.
  'GET /api/people/move-in-requests': {
    kind: 'list',
    req: () => ({ method: 'GET', url: '/api/people/move-in-requests?box=incoming' }),
    leaks: (body, t) => idsIn(body).includes(t.moveInRequest),
  },
  'GET /api/people/move-in-requests/:id': {
    kind: 'record',
    req: (t) => ({ method: 'GET', url: `/api/people/move-in-requests/${t.moveInRequest}` }),
  },
  'POST /api/people/move-in-requests/:id/accept': {
    kind: 'record',
    req: (t) => ({ method: 'POST', url: `/api/people/move-in-requests/${t.moveInRequest}/accept`, payload: {} }),
  },
  'POST /api/people/move-in-requests/:id/decline': {
    kind: 'record',
    req: (t) => ({
      method: 'POST',
      url: `/api/people/move-in-requests/${t.moveInRequest}/decline`,
      payload: { reason: '越权拒绝' },
    }),
  },
  'GET /api/people/imports/template': {
    kind: 'list',
    req: () => ({ method: 'GET', url: '/api/people/imports/template' }),
    leaks: () => false,
  },
  'POST /api/people/imports': {
    kind: 'record',
    req: (t) => {
      const boundary = 'matrixboundary';
      const csv = '姓名,身份证号,社区,网格\n邻安居民,370101190102039973,邻安社区,邻安第一网格\n';
      const body =
        `--${boundary}\r\nContent-Disposition: form-data; name="nodeId"\r\n\r\n${t.community}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\n` +
        `Content-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
      return {
        method: 'POST',
        url: '/api/people/imports',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.from(body),
      };
    },
  },
  'GET /api/people/imports': {
    kind: 'list',
    req: () => ({ method: 'GET', url: '/api/people/imports' }),
    leaks: (body, t) => JSON.parse(body).items.some((i: { id: number }) => i.id === t.peopleImport),
  },
  'GET /api/people/imports/:id': {
    kind: 'record',
    req: (t) => ({ method: 'GET', url: `/api/people/imports/${t.peopleImport}` }),
  },
  'GET /api/people/imports/:id/errors.xlsx': {
    kind: 'record',
    req: (t) => ({ method: 'GET', url: `/api/people/imports/${t.peopleImport}/errors.xlsx` }),
  },
  'POST /api/people/imports/:id/commit': {
    kind: 'record',
    req: (t) => ({ method: 'POST', url: `/api/people/imports/${t.peopleImport}/commit` }),
  },
  'DELETE /api/people/imports/:id': {
    kind: 'record',
    req: (t) => ({ method: 'DELETE', url: `/api/people/imports/${t.peopleImport}` }),
  },
};

/** Fingerprint of everything a refused request must leave alone. */
async function snapshot(env: TestEnv): Promise<string> {
  const rows = await env.db.query<{ s: string }>(
    `SELECT concat_ws('|',
       (SELECT md5(string_agg(concat_ws(',', id, parent_id, name, code, path, status), ';' ORDER BY id)) FROM org_nodes),
       (SELECT md5(string_agg(concat_ws(',', id, username, display_name, disabled, password_hash, home_node_id, locked_until), ';' ORDER BY id)) FROM users),
       (SELECT md5(string_agg(concat_ws(',', id, user_id, node_id, role), ';' ORDER BY id)) FROM posts),
       (SELECT md5(string_agg(concat_ws(',', id, revoked_at), ';' ORDER BY id)) FROM api_tokens),
       (SELECT md5(string_agg(concat_ws(',', id, name, node_path, status, household_id, relation, house_id), ';' ORDER BY id)) FROM residents),
       (SELECT md5(string_agg(concat_ws(',', id, node_id, room_no, use), ';' ORDER BY id)) FROM houses),
       (SELECT md5(string_agg(concat_ws(',', id, head_resident_id), ';' ORDER BY id)) FROM households),
       (SELECT md5(string_agg(concat_ws(',', resident_id, tag_id), ';' ORDER BY resident_id, tag_id)) FROM resident_tags),
       (SELECT md5(string_agg(concat_ws(',', id, resident_id), ';' ORDER BY id)) FROM resident_contacts),
       (SELECT md5(string_agg(concat_ws(',', id, code, name, rule::text), ';' ORDER BY id)) FROM tags),
       (SELECT md5(string_agg(concat_ws(',', id, name, description, definition::text, updated_at), ';' ORDER BY id)) FROM report_templates),
       (SELECT md5(string_agg(concat_ws(',', id, status, rows_read, rows_inserted), ';' ORDER BY id)) FROM imports),
       (SELECT md5(string_agg(concat_ws(',', id, status, decided_at), ';' ORDER BY id)) FROM move_in_requests),
       (SELECT count(*) FROM audit_log)) AS s`,
  );
  return rows[0]!.s;
}

describeEachDb('permission matrix', (env) => {
  const t = {} as Targets;
  // Every demo role, and an administrator bound to the demo county (not system-wide).
  const roles = [...DEMO_ACCOUNTS.map((a) => a.username), 'countyadmin'];

  beforeAll(async () => {
    const post = async (url: string, payload: unknown) => {
      const res = await env.as('admin', { method: 'POST', url, payload: payload as InjectOptions['payload'] });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`);
      return JSON.parse(res.body) as { id: number; posts?: { id: number }[]; item?: { id: number } };
    };
    t.county = (await post('/api/org/nodes', { parentId: null, type: 'county', name: '邻安县', code: '370898' })).id;
    t.street = (await post('/api/org/nodes', { parentId: t.county, type: 'street', name: '邻安街道' })).id;
    t.community = (await post('/api/org/nodes', { parentId: t.street, type: 'community', name: '邻安社区' })).id;
    t.grid = (await post('/api/org/nodes', { parentId: t.community, type: 'grid', name: '邻安第一网格' })).id;
    const user = await post('/api/users', {
      username: 'outsider',
      displayName: '邻安社工',
      password: 'Outside@123',
      phone: '13905371234',
      homeNodeId: t.community,
      posts: [{ nodeId: t.community, role: 'community_worker' }],
    });
    t.user = user.id;
    t.userPost = user.posts![0]!.id;
    t.adminToken = (await post('/api/auth/tokens', { name: 'admin machine' })).item!.id;
    t.building = (await post('/api/org/nodes', { parentId: t.grid, type: 'building', name: '邻安1号楼' })).id;
    t.house = (await post('/api/people/houses', { nodeId: t.building, roomNo: '101' })).id;
    t.household = (await post('/api/people/households', { nodeId: t.building, houseId: t.house })).id;
    const tags = await env.as('admin', { method: 'GET', url: '/api/people/tags' });
    const byCode = new Map(
      (JSON.parse(tags.body) as { items: { id: number; code: string }[] }).items.map((x) => [x.code, x.id]),
    );
    t.volunteerTag = byCode.get('volunteer')!;
    t.partyTag = byCode.get('party_member')!;
    t.residentIdNumber = '370101190102039973';
    const resident = await post('/api/people/residents', {
      name: '邻安居民',
      idNumber: t.residentIdNumber,
      phone: '13905375555',
      nodeId: t.building,
      houseId: t.house,
      householdId: t.household,
      relation: 'head',
      tagIds: [t.volunteerTag],
    });
    t.resident = resident.id;
    const withContact = (await post(`/api/people/residents/${t.resident}/contacts`, {
      name: '邻安家属',
      relation: '子女',
      phone: '13905376666',
    })) as unknown as { contacts: { id: number }[] };
    t.contact = withContact.contacts[0]!.id;
    const imported = await env.db.query<{ id: number }>(
      `INSERT INTO imports (county_id, kind, file_name, status, created_by)
       VALUES ($1, 'residents', '邻安居民.csv', 'validated', $2) RETURNING id`,
      [t.county, t.user],
    );
    t.peopleImport = imported[0]!.id;
    const columns = [{ field: 'name' }, { field: 'idNumber' }];
    t.reportTemplate = (
      await post('/api/reports/templates', {
        name: '邻安名单',
        definition: { entity: 'resident', columns, filters: { nodeId: t.community } },
      })
    ).id;
    t.reportOpenTemplate = (
      await post('/api/reports/templates', { name: '全域名单', definition: { entity: 'resident', columns } })
    ).id;
    await post('/api/users', {
      username: 'countyadmin',
      displayName: '泗源县管理员',
      password: DEMO_PASSWORD,
      homeNodeId: env.ids.county,
      posts: [{ nodeId: env.ids.county, role: 'admin' }],
    });
    await env.db.query('UPDATE users SET must_change_password = false');
    // A person registered by the administrator in a second community of 邻安街道, whom the outsider (邻安社区)
    // then registers too: a move-in request that only the outsider and 邻安二社区's holders may see.
    const community2 = (await post('/api/org/nodes', { parentId: t.street, type: 'community', name: '邻安二社区' })).id;
    const grid2 = (await post('/api/org/nodes', { parentId: community2, type: 'grid', name: '邻安二社区网格' })).id;
    await post('/api/people/residents', { name: '二社区居民', idNumber: '370101198001010019', nodeId: grid2 });
    const outsider = await login(env.app, 'outsider', 'Outside@123');
    const moveIn = await env.app.inject({
      method: 'POST',
      url: '/api/people/residents',
      headers: { cookie: outsider, origin: 'http://localhost' },
      payload: { name: '迁入居民', idNumber: '370101198001010019', nodeId: t.grid },
    });
    if (moveIn.statusCode !== 202) throw new Error(`move-in request: ${moveIn.body}`);
    t.moveInRequest = (JSON.parse(moveIn.body) as { moveInRequestId: number }).moveInRequestId;
    // Log everyone in before taking snapshots (a login writes last_login_at).
    for (const r of roles) await env.cookie(r);
    const village = await env.db.query<{ id: number }>(
      `SELECT id FROM org_nodes WHERE type = 'village' ORDER BY id LIMIT 1`,
    );
    t.townVillage = village[0]!.id;
  });

  it('covers every API route of the app', () => {
    const apiRoutes = listRoutes(env.app).filter((r) => r.includes(' /api/'));
    expect(apiRoutes.filter((r) => !(r in CASES))).toEqual([]);
    expect(Object.keys(CASES).filter((c) => !apiRoutes.includes(c))).toEqual([]);
  });

  it('refuses every non-public route without a login', async () => {
    for (const [route, c] of Object.entries(CASES)) {
      if (route === 'POST /api/auth/login' || route === 'POST /api/auth/logout') continue;
      const res = await env.as(null, c.req(t));
      expect(res.statusCode, route).toBe(401);
    }
  });

  for (const role of roles) {
    it(`${role}: refuses or hides every target outside its scope, changing nothing`, async () => {
      for (const [route, c] of Object.entries(CASES)) {
        if (c.kind === 'self') continue;
        const before = await snapshot(env);
        const res = await env.as(role, c.req(t));
        if (c.kind === 'record') {
          expect([403, 404], `${role} ${route} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
          const body = JSON.parse(res.body) as { code: string };
          expect(body.code, route).toMatch(/^[A-Z_]+$/);
        } else {
          expect([200, 403], `${role} ${route} → ${res.statusCode}`).toContain(res.statusCode);
          if (res.statusCode === 200) expect(c.leaks(res.body, t), `${role} ${route} leaks the target`).toBe(false);
        }
        expect(await snapshot(env), `${role} ${route} changed data`).toBe(before);
      }
    });
  }

  it('self routes act on the caller only', async () => {
    const outsiderBefore = await env.db.query<{ locale: string }>('SELECT locale FROM users WHERE id = $1', [t.user]);
    const res = await env.as('wangge', CASES['PATCH /api/auth/me']!.req(t));
    expect(res.statusCode).toBe(200);
    const after = await env.db.query<{ locale: string }>('SELECT locale FROM users WHERE id = $1', [t.user]);
    expect(after).toEqual(outsiderBefore);
    const wangge = await env.db.query<{ locale: string }>(`SELECT locale FROM users WHERE username = 'wangge'`);
    expect(wangge[0]!.locale).toBe('en');
  });

  it('narrow roles are also refused a sibling inside the same region', async () => {
    // A grid worker of 东关社区第一网格 must not touch 第二网格; a community worker not a village of 白石镇.
    const siblings = await env.db.query<{ id: number }>(
      `SELECT id FROM org_nodes WHERE parent_id = $1 AND type = 'grid' AND id <> $2 ORDER BY id LIMIT 1`,
      [env.ids.community, env.ids.grid],
    );
    const village = await env.db.query<{ id: number }>(
      `SELECT id FROM org_nodes WHERE type = 'village' ORDER BY id LIMIT 1`,
    );
    const sibling = siblings[0]!.id;
    const villageId = village[0]!.id;
    for (const [role, target] of [
      ['wangge', sibling],
      ['louzhang', sibling],
      ['shequ', villageId],
      ['jiedao', villageId],
    ] as const) {
      const read = await env.as(role, { method: 'GET', url: `/api/org/nodes/${target}` });
      expect(read.statusCode, `${role} reads ${target}`).toBe(404);
      const write = await env.as(role, {
        method: 'POST',
        url: '/api/org/nodes',
        payload: {
          parentId: target,
          type: role === 'wangge' || role === 'louzhang' ? 'micro_grid' : 'grid',
          name: '越权',
        },
      });
      expect([403, 404], `${role} writes under ${target}`).toContain(write.statusCode);
    }
  });
});
