import { beforeAll, describe, expect, it } from 'vitest';
import { generateIdNumber } from '../../platform/pii/index.js';
import { dataFingerprint } from '../../test/factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { linkedAccess } from './links.access.js';
import { shanghaiToday } from './links.logic.js';
import type {
  GridLink,
  GridLinkCreated,
  GridLinkGapPage,
  GridLinkPage,
  GridLinkTree,
  MyLinks,
} from './links.schemas.js';

let seq = 101;
const newId = () => {
  seq += 2;
  return generateIdNumber({ areaCode: '370899', birthDate: '1950-03-04', sequence: seq, sex: 'male' });
};

describeEachDb('grid links (一网三联)', (env: TestEnv) => {
  let unit: number;
  let building: number;
  let grid: number;
  let community: number;
  let zhiyuan: number;
  let louzhang: number;
  /** Three households of 1号楼1单元 (heads 王建国, 李秀英, 赵明), one of 西关社区. */
  let h1: number;
  let h2: number;
  let h3: number;
  let hOut: number;

  const as = (user: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    env.as(user, { method, url, ...(payload ? { payload } : {}) });
  const created = async (url: string, payload: object, user = 'admin') => {
    const res = await as(user, 'POST', url, payload);
    if (res.statusCode !== 201) throw new Error(`${url} ${res.statusCode} ${res.body}`);
    return res.json() as { id: number };
  };
  const household = async (nodeId: number, room: string, head: string) => {
    const house = (await created('/api/people/houses', { nodeId, roomNo: room })).id;
    const id = (await created('/api/people/households', { nodeId, houseId: house })).id;
    await created('/api/people/residents', {
      name: head,
      idNumber: newId(),
      nodeId,
      houseId: house,
      householdId: id,
      relation: 'head',
    });
    return id;
  };
  const userId = async (username: string) =>
    (await env.db.query<{ id: number }>('SELECT id::int AS id FROM users WHERE username = $1', [username]))[0]!.id;

  beforeAll(async () => {
    unit = env.ids.unit!;
    building = env.ids.building!;
    grid = env.ids.grid!;
    community = env.ids.community!;
    zhiyuan = await userId('zhiyuan');
    louzhang = await userId('louzhang');
    h1 = await household(unit, '0101', '王建国');
    h2 = await household(unit, '0102', '李秀英');
    h3 = await household(unit, '0201', '赵明');
    const outUnit = await env.db.query<{ id: number }>(
      `SELECT n.id::int AS id FROM org_nodes n JOIN org_nodes c ON n.path LIKE c.path || '%'
        WHERE c.name = '西关社区' AND n.type = 'unit' ORDER BY n.id LIMIT 1`,
    );
    hOut = await household(outUnit[0]!.id, '0101', '钱多');
  });

  const partyLink = { kind: 'party_household', validFrom: '2026-01-01' } as const;
  let linkA: GridLink;

  it('links a party member to a batch of households of their community, one audited link each', async () => {
    const res = await as('shequ', 'POST', '/api/grid-links', {
      ...partyLink,
      userId: zhiyuan,
      householdIds: [h1, h2],
      note: '党员联户',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as GridLinkCreated;
    expect(body.items.map((l) => l.householdId).sort()).toEqual([h1, h2].sort());
    linkA = body.items.find((l) => l.householdId === h1)!;
    expect(linkA).toMatchObject({
      kind: 'party_household',
      userId: zhiyuan,
      userName: '刘志愿',
      communityId: community,
      communityName: '东关社区',
      nodeId: null,
      validFrom: '2026-01-01',
      validTo: null,
      active: true,
      note: '党员联户',
      endedAt: null,
    });
    // The community worker sees the head's whole name; the label says where the household lives.
    expect(linkA.targetLabel).toBe('1号楼 1单元 0101 王建国户');
    const audit = await env.db.query<{ action: string; target_id: string }>(
      `SELECT action, target_id FROM audit_log WHERE target_type = 'grid_link' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(['grid_link.create', 'grid_link.create']);
    expect(audit.map((a) => Number(a.target_id)).sort()).toEqual(body.items.map((l) => l.id).sort());
    expect(await linkedAccess(env.db, zhiyuan, { householdId: h1, nodePath: '/x/' }, shanghaiToday())).toBe(true);
    expect(await linkedAccess(env.db, zhiyuan, { householdId: h3, nodePath: '/x/' }, shanghaiToday())).toBe(false);
  });

  it('refuses a duplicate, a wrong target, bad dates, a household outside the community, and a non-manager', async () => {
    const before = await dataFingerprint(env.db);
    const links = await env.db.query('SELECT count(*)::int AS n FROM grid_links');
    const cases: [string, object, number, string, string | undefined][] = [
      // h2 is linked already: the whole batch is refused, h3 is not linked either.
      ['shequ', { ...partyLink, userId: zhiyuan, householdIds: [h3, h2] }, 409, 'GRID_LINK_EXISTS', 'householdIds'],
      [
        'shequ',
        { kind: 'leader_building', userId: louzhang, nodeId: grid, validFrom: '2026-01-01' },
        400,
        'GRID_LINK_TARGET_INVALID',
        'nodeId',
      ],
      [
        'shequ',
        { kind: 'cadre_group', userId: louzhang, nodeId: building, validFrom: '2026-01-01' },
        400,
        'GRID_LINK_TARGET_INVALID',
        'nodeId',
      ],
      ['shequ', { ...partyLink, userId: zhiyuan, nodeId: building }, 400, 'GRID_LINK_TARGET_INVALID', 'nodeId'],
      [
        'shequ',
        { kind: 'leader_building', userId: louzhang, householdIds: [h3], validFrom: '2026-01-01' },
        400,
        'GRID_LINK_TARGET_INVALID',
        'householdIds',
      ],
      [
        'shequ',
        { ...partyLink, userId: zhiyuan, householdIds: [h3], validTo: '2025-12-31' },
        400,
        'GRID_LINK_DATES_INVALID',
        'validTo',
      ],
      // The street reads both communities: the household of 西关社区 is outside 刘志愿's community.
      [
        'jiedao',
        { ...partyLink, userId: zhiyuan, householdIds: [h3, hOut] },
        400,
        'GRID_LINK_OUTSIDE_COMMUNITY',
        'householdIds',
      ],
      // The community worker does not even see 西关社区's household.
      ['shequ', { ...partyLink, userId: zhiyuan, householdIds: [hOut] }, 404, 'HOUSEHOLD_NOT_FOUND', 'householdIds'],
      ['wangge', { ...partyLink, userId: zhiyuan, householdIds: [h3] }, 403, 'FORBIDDEN', undefined],
      ['shequ', { ...partyLink, userId: 99999999, householdIds: [h3] }, 404, 'USER_NOT_FOUND', 'userId'],
    ];
    for (const [user, payload, status, code, field] of cases) {
      const res = await as(user, 'POST', '/api/grid-links', payload);
      expect(
        { status: res.statusCode, code: res.json().code, field: res.json().field },
        JSON.stringify(payload),
      ).toEqual({ status, code, field });
    }
    const outside = await as('jiedao', 'POST', '/api/grid-links', {
      ...partyLink,
      userId: zhiyuan,
      householdIds: [hOut],
    });
    expect(outside.json().message).toBe('1号楼 1单元 0101 钱多户不在联系人所在的社区（村）');
    expect(await dataFingerprint(env.db)).toBe(before);
    expect(await env.db.query('SELECT count(*)::int AS n FROM grid_links')).toEqual(links);
  });

  it('links the building leader to their building; gaps and the tree follow', async () => {
    const gapsBefore = (await as('shequ', 'GET', `/api/grid-links/gaps?nodeId=${unit}`)).json() as GridLinkGapPage;
    expect(gapsBefore.items.map((g) => g.householdId)).toEqual([h3]);
    expect(gapsBefore.items[0]).toMatchObject({ headName: '赵明', placeLabel: '1号楼 1单元 0201', members: 1 });
    // The grid worker reads the gaps of their grid; the building leader does not read visits.
    const gapsGrid = (await as('wangge', 'GET', `/api/grid-links/gaps?nodeId=${unit}`)).json() as GridLinkGapPage;
    expect(gapsGrid.items.map((g) => g.householdId)).toEqual([h3]);
    const gapsLeader = await as('louzhang', 'GET', `/api/grid-links/gaps?nodeId=${unit}`);
    expect(gapsLeader.statusCode).toBe(403);

    const res = await as('shequ', 'POST', '/api/grid-links', {
      kind: 'leader_building',
      userId: louzhang,
      nodeId: building,
      validFrom: '2026-01-01',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as GridLinkCreated).items[0]).toMatchObject({ targetLabel: '1号楼', nodeId: building });
    const gapsAfter = (await as('shequ', 'GET', `/api/grid-links/gaps?nodeId=${unit}`)).json() as GridLinkGapPage;
    expect(gapsAfter).toEqual({ items: [], total: 0 });
    // The 联户 picker: households no party member is linked to, whatever the building leader.
    const picker = await as('shequ', 'GET', `/api/grid-links/gaps?nodeId=${unit}&withoutParty=true`);
    expect((picker.json() as GridLinkGapPage).items.map((g) => g.householdId)).toEqual([h3]);

    const tree = (await as('shequ', 'GET', `/api/grid-links/tree?nodeId=${community}`)).json() as GridLinkTree;
    expect(tree.nodeId).toBe(community);
    const byUser = new Map(tree.linkers.map((l) => [l.userId, l]));
    expect(byUser.get(zhiyuan)).toMatchObject({ kinds: ['party_household'], households: 2 });
    expect(byUser.get(zhiyuan)?.links).toHaveLength(2);
    expect(byUser.get(louzhang)).toMatchObject({ kinds: ['leader_building'], households: 3 });
    // Outside the reader's area: not found.
    const outside = await as('wangge', 'GET', `/api/grid-links/tree?nodeId=${community}`);
    expect(outside.statusCode).toBe(404);
    expect(outside.json().code).toBe('ORG_NODE_NOT_FOUND');
  });

  it('lists links with filters, and a linked person lists their own households, masked, without ID numbers', async () => {
    const list = (
      await as('shequ', 'GET', `/api/grid-links?kind=party_household&userId=${zhiyuan}`)
    ).json() as GridLinkPage;
    expect(list.total).toBe(2);
    expect(list.items.every((l) => l.kind === 'party_household')).toBe(true);
    const byHousehold = (await as('wangge', 'GET', `/api/grid-links?householdId=${h2}`)).json() as GridLinkPage;
    expect(byHousehold.items.map((l) => l.householdId)).toEqual([h2]);
    expect(byHousehold.items[0]?.targetLabel).toBe('1号楼 1单元 0102 李秀英户');
    const refused = await as('zhiyuan', 'GET', '/api/grid-links');
    expect(refused.statusCode).toBe(403);

    const mine = await as('zhiyuan', 'GET', '/api/grid-links/mine');
    expect(mine.statusCode).toBe(200);
    const body = mine.json() as MyLinks;
    const heads = body.items.flatMap((i) => i.households.map((h) => h.headName)).sort();
    expect(heads).toEqual(['李*英', '王*国']);
    expect(body.items[0]?.households[0]).toMatchObject({ members: 1, lastVisitedAt: null });
    expect(mine.body).not.toMatch(/\d{6}\*+/);
    expect(mine.body).not.toContain('idMasked');
    const louMine = (await as('louzhang', 'GET', '/api/grid-links/mine')).json() as MyLinks;
    expect(louMine.items[0]?.households.map((h) => h.householdId).sort()).toEqual([h1, h2, h3].sort());
    const none = (await as('jumin', 'GET', '/api/grid-links/mine')).json() as MyLinks;
    expect(none.items).toEqual([]);
  });

  describe('change and end', () => {
    it('changes the validity and note (audited), refuses bad dates and a reader without visits.manage', async () => {
      const bad = await as('shequ', 'PATCH', `/api/grid-links/${linkA.id}`, { validTo: '2025-06-01' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'GRID_LINK_DATES_INVALID', field: 'validTo' });
      const grid = await as('wangge', 'PATCH', `/api/grid-links/${linkA.id}`, { validTo: '2026-12-31' });
      expect(grid.statusCode).toBe(403);
      const outsider = await as('jumin', 'PATCH', `/api/grid-links/${linkA.id}`, { validTo: '2026-12-31' });
      expect(outsider.statusCode).toBe(404);
      expect(outsider.json().code).toBe('GRID_LINK_NOT_FOUND');

      const res = await as('shequ', 'PATCH', `/api/grid-links/${linkA.id}`, { validTo: '2099-12-31', note: null });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: linkA.id, validTo: '2099-12-31', note: null, active: true });
      const audit = await env.db.query<{ diff: Record<string, unknown> }>(
        `SELECT diff FROM audit_log WHERE action = 'grid_link.update' AND target_id = $1`,
        [String(linkA.id)],
      );
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0]!.diff)).toContain('2099-12-31');
    });

    it('a validity ending in the past makes the link inactive: the person no longer reaches the household', async () => {
      const res = await as('shequ', 'PATCH', `/api/grid-links/${linkA.id}`, { validTo: '2026-01-01' });
      expect(res.statusCode).toBe(200);
      const inForce = res.json().validTo >= shanghaiToday();
      expect(res.json().active).toBe(inForce);
      expect(await linkedAccess(env.db, zhiyuan, { householdId: h1, nodePath: '/x/' }, '2026-01-02')).toBe(false);
      await as('shequ', 'PATCH', `/api/grid-links/${linkA.id}`, { validTo: null });
    });

    it('ends a link with a reason, keeps it for the history, and refuses to end or change it again', async () => {
      const noReason = await as('shequ', 'POST', `/api/grid-links/${linkA.id}/end`, { reason: '  ' });
      expect(noReason.statusCode).toBe(400);
      const res = await as('shequ', 'POST', `/api/grid-links/${linkA.id}/end`, { reason: '党员迁出本社区' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: linkA.id, active: false });
      expect(res.json().endedAt).not.toBeNull();
      const audit = await env.db.query<{ reason: string }>(
        `SELECT reason FROM audit_log WHERE action = 'grid_link.end' AND target_id = $1`,
        [String(linkA.id)],
      );
      expect(audit).toEqual([{ reason: '党员迁出本社区' }]);
      const again = await as('shequ', 'POST', `/api/grid-links/${linkA.id}/end`, { reason: '再次结束' });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('GRID_LINK_ENDED');
      const patch = await as('shequ', 'PATCH', `/api/grid-links/${linkA.id}`, { note: '改' });
      expect(patch.json().code).toBe('GRID_LINK_ENDED');

      const active = (await as('shequ', 'GET', `/api/grid-links?userId=${zhiyuan}`)).json() as GridLinkPage;
      expect(active.items.map((l) => l.id)).not.toContain(linkA.id);
      const allRes = await as('shequ', 'GET', `/api/grid-links?userId=${zhiyuan}&activeOnly=false`);
      expect(allRes.statusCode, allRes.body).toBe(200);
      const all = allRes.json() as GridLinkPage;
      expect(all.items.map((l) => l.id)).toContain(linkA.id);
      expect(await linkedAccess(env.db, zhiyuan, { householdId: h1, nodePath: '/x/' }, shanghaiToday())).toBe(false);
      // Ended, the same household may be linked again.
      const relink = await as('shequ', 'POST', '/api/grid-links', {
        ...partyLink,
        userId: zhiyuan,
        householdIds: [h1],
      });
      expect(relink.statusCode, relink.body).toBe(201);
    });
  });
});
