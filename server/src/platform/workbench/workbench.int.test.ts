import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/demo-region.js';
import { buildHouse, buildHousehold, buildResident, firstNodeUnder } from '../../test/people-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { generateIdNumber } from '../pii/index.js';
import { registerWorkbenchCard } from './workbench.js';
import type { Workbench, WorkbenchCard } from './workbench.schemas.js';

/** The path of the demo account's (only) post, or '/' for the system administrator. */
async function areaOf(env: TestEnv, username: string): Promise<string> {
  const rows = await env.db.query<{ path: string | null }>(
    `SELECT n.path FROM posts p JOIN users u ON u.id = p.user_id LEFT JOIN org_nodes n ON n.id = p.node_id
      WHERE u.username = $1`,
    [username],
  );
  return rows[0]!.path ?? '/';
}

/** The figures counted straight from the tables, under one area. */
async function directCounts(env: TestEnv, path: string): Promise<Record<string, number>> {
  const one = async (sql: string) => (await env.db.query<{ n: number }>(sql, [`${path}%`]))[0]!.n;
  const out: Record<string, number> = {
    residents: await one(`SELECT count(*)::int AS n FROM residents WHERE status = 'active' AND node_path LIKE $1`),
    households: await one('SELECT count(*)::int AS n FROM households WHERE dissolved_at IS NULL AND node_path LIKE $1'),
    houses: await one('SELECT count(*)::int AS n FROM houses WHERE node_path LIKE $1'),
  };
  const groups = await env.db.query<{ code: string; n: number }>(
    `SELECT t.code, count(r.id)::int AS n
       FROM tags t JOIN tags g ON g.id = t.parent_id AND g.code = 'special_groups'
       LEFT JOIN resident_tags rt ON rt.tag_id = t.id
       LEFT JOIN residents r ON r.id = rt.resident_id AND r.status = 'active' AND r.node_path LIKE $1
      GROUP BY t.code`,
    [`${path}%`],
  );
  for (const g of groups) out[g.code] = g.n;
  return out;
}

const figuresOf = (card: WorkbenchCard | undefined) =>
  Object.fromEntries((card?.sections ?? []).flatMap((s) => s.figures.map((f) => [f.key, f.value])));

describeEachDb('workbench', (env) => {
  const get = async (username: string) => {
    const res = await env.as(username, { method: 'GET', url: '/api/workbench' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Workbench;
  };
  const peopleCard = (w: Workbench) => w.cards.find((c) => c.id === 'people.figures');
  let eastResident: number;

  beforeAll(async () => {
    const db = { db: env.db, pii: env.pii };
    const community = env.ids.community!;
    // 东关社区第一网格 1号楼1单元: a household of three (one moved away), a vacant room
    const a = await buildHouse(db, { nodeId: env.ids.unit!, roomNo: '101', floor: 1 });
    await buildHouse(db, { nodeId: env.ids.unit!, roomNo: '102', floor: 1, use: 'vacant' });
    const h1 = await buildHousehold(db, { nodeId: env.ids.unit!, houseId: a.id });
    const base = { nodeId: env.ids.unit!, houseId: a.id, householdId: h1.id };
    eastResident = (await buildResident(db, { ...base, relation: 'head', name: '东甲', tags: ['low_income'] })).id;
    await buildResident(db, { ...base, relation: 'spouse', name: '东乙', tags: ['disabled', 'empty_nest'] });
    await buildResident(db, { ...base, relation: 'child', name: '东丙', status: 'moved_out', tags: ['low_income'] });
    // 东关社区第二网格: another grid of the same community
    const grid2Unit = await firstNodeUnder(env.db, await firstNodeUnder(env.db, community, 'grid', 1), 'unit');
    const b = await buildHouse(db, { nodeId: grid2Unit, roomNo: '201', floor: 2 });
    const h2 = await buildHousehold(db, { nodeId: grid2Unit, houseId: b.id });
    await buildResident(db, {
      nodeId: grid2Unit,
      houseId: b.id,
      householdId: h2.id,
      name: '二网甲',
      tags: ['low_income'],
    });
    // 西关社区: another community of the street
    const xiguan = (await env.db.query<{ id: number }>(`SELECT id FROM org_nodes WHERE name = '西关社区'`))[0]!.id;
    const westUnit = await firstNodeUnder(env.db, xiguan, 'unit');
    const c = await buildHouse(db, { nodeId: westUnit, roomNo: '301', floor: 3 });
    const h3 = await buildHousehold(db, { nodeId: westUnit, houseId: c.id });
    await buildResident(db, { nodeId: westUnit, houseId: c.id, householdId: h3.id, tags: ['low_income'] });
    // A community worker of 西关社区 registers someone 东关社区 holds: a move-in request 东关 decides.
    const res = await env.as('admin', {
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'xiguan',
        displayName: '西关社工',
        password: DEMO_PASSWORD,
        homeNodeId: xiguan,
        posts: [{ nodeId: xiguan, role: 'community_worker' }],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    await env.db.query(`UPDATE users SET must_change_password = false WHERE username = 'xiguan'`);
    const idNumber = generateIdNumber({ areaCode: '370899', birthDate: '1975-02-03', sequence: 77, sex: 'male' });
    const held = await buildResident(db, { nodeId: grid2Unit, idNumber, name: '迁出人' });
    expect(held.id).toBeGreaterThan(0);
    const clash = await env.as('xiguan', {
      method: 'POST',
      url: '/api/people/residents',
      payload: { name: '迁入人', idNumber, nodeId: westUnit },
    });
    expect(clash.statusCode, clash.body).toBe(202);
  });

  describe('figures', () => {
    for (const username of ['admin', 'jiedao', 'shequ', 'wangge', 'louzhang']) {
      it(`equal the counts made straight from the tables in ${username}'s area`, async () => {
        const area = await areaOf(env, username);
        const expected = await directCounts(env, area);
        const card = peopleCard(await get(username));
        expect(card, `${username} has a figures card`).toBeDefined();
        const got = figuresOf(card);
        const sensitive = (await env.db.query<{ code: string }>('SELECT code FROM tags WHERE sensitive')).map(
          (r) => r.code,
        );
        for (const key of ['residents', 'households', 'houses'])
          expect(got[key], `${username} ${key}`).toBe(expected[key]);
        for (const [code, n] of Object.entries(expected)) {
          if (['residents', 'households', 'houses'].includes(code)) continue;
          // a building leader (without people.sensitive) is not shown the sensitive groups at all
          if (username === 'louzhang' && sensitive.includes(code)) expect(got[code]).toBeUndefined();
          else expect(got[code], `${username} ${code}`).toBe(n);
        }
        expect(got.residents).toBeGreaterThan(0);
      });
    }

    it('counts only the area of the role: a grid worker not the next grid, a community worker not the next community', async () => {
      const wangge = figuresOf(peopleCard(await get('wangge')));
      const shequ = figuresOf(peopleCard(await get('shequ')));
      const jiedao = figuresOf(peopleCard(await get('jiedao')));
      // 东甲, 东乙 in the grid; 二网甲 and 迁出人 in the second grid; one more in 西关社区
      expect(wangge).toMatchObject({ residents: 2, households: 1, houses: 2, low_income: 1, disabled: 1 });
      expect(shequ).toMatchObject({ residents: 4, households: 2, houses: 3, low_income: 2 });
      expect(jiedao).toMatchObject({ residents: 5, households: 3, houses: 4, low_income: 3 });
      expect(peopleCard(await get('wangge'))!.area).toBe('第一网格');
      expect(peopleCard(await get('shequ'))!.area).toBe('东关社区');
    });

    it('links each special group to the residents list filtered by it', async () => {
      const card = peopleCard(await get('shequ'))!;
      const groups = card.sections.find((s) => s.key === 'groups')!;
      expect(groups.figures.find((f) => f.key === 'low_income')).toMatchObject({
        label: '低保户',
        link: '/people?tag=low_income',
      });
      expect(groups.figures.map((f) => f.key)).toContain('elderly_alone');
    });

    it('counts this week’s changes in the area from the audit trail', async () => {
      const before = {
        shequ: figuresOf(peopleCard(await get('shequ'))),
        xiguan: figuresOf(peopleCard(await get('xiguan'))),
      };
      const res = await env.as('wangge', {
        method: 'PATCH',
        url: `/api/people/residents/${eastResident}`,
        payload: { ethnicity: '回族' },
      });
      expect(res.statusCode, res.body).toBe(200);
      const after = {
        shequ: figuresOf(peopleCard(await get('shequ'))),
        xiguan: figuresOf(peopleCard(await get('xiguan'))),
      };
      expect(after.shequ.changes).toBe(before.shequ.changes! + 1);
      expect(after.xiguan.changes).toBe(before.xiguan.changes);
    });

    it('answers in English for an English reader', async () => {
      const res = await env.as('shequ', { method: 'GET', url: '/api/workbench', headers: { 'accept-language': 'en' } });
      const card = peopleCard(res.json() as Workbench)!;
      expect(card.title).toBe('People');
      expect(card.sections[0]!.figures[0]!.label).toBe('Residents');
    });
  });

  describe('cards and to-dos by permission', () => {
    it('gives roles without people.read no figures and no to-dos', async () => {
      for (const username of ['bumen', 'jumin', 'zhiyuan', 'huoban', 'shanghu']) {
        expect(await get(username), username).toEqual({ cards: [], todos: [] });
      }
    });

    it('gives a building leader the figures card but no to-do (no people.write)', async () => {
      const w = await get('louzhang');
      expect(w.cards.map((c) => c.id)).toEqual(['people.figures']);
      expect(w.todos).toEqual([]);
    });

    it('lists the move-in requests waiting for the caller’s decision, and only theirs', async () => {
      const shequ = (await get('shequ')).todos.find((t) => t.id === 'people.move_in')!;
      expect(shequ.total).toBe(1);
      expect(shequ.items[0]).toMatchObject({ title: '迁入人', link: '/people/move-in' });
      expect(shequ.items[0]!.detail).toContain('西关社工');
      expect((await get('jiedao')).todos.find((t) => t.id === 'people.move_in')!.total).toBe(1);
      // the requester follows their request on the move-in page; it is not theirs to decide
      expect((await get('xiguan')).todos.find((t) => t.id === 'people.move_in')!.total).toBe(0);
      expect((await get('wangge')).todos.find((t) => t.id === 'people.move_in')!.total).toBe(0);
      // the holder's stored person is never named on the requester's side
      expect(JSON.stringify(await get('xiguan'))).not.toContain('迁出人');
    });

    it('shows a card registered by another module only to roles holding its permission', async () => {
      registerWorkbenchCard({
        id: 'test.reports',
        permission: 'reports.manage',
        order: 50,
        load: async () => ({ id: 'test.reports', title: '报表', area: null, sections: [] }),
      });
      const cardIds = async (username: string) => (await get(username)).cards.map((c) => c.id);
      // the cases module's card (cases.read), the alarms' (devices.read, devices [B]) and the visits' (visits.read,
      // grid work) sit between the people figures and the test card, by order
      expect(await cardIds('jiedao')).toEqual([
        'people.figures',
        'cases.month',
        'alarms.open',
        'visits.work',
        'test.reports',
      ]);
      expect(await cardIds('shequ')).toEqual(['people.figures', 'cases.month', 'alarms.open', 'visits.work']);
      expect(await cardIds('bumen')).toEqual([]);
    });
  });
});
