import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../../platform/access/roles.js';
import { buildUser, newSession } from '../../test/factories.js';
import { buildHouse, buildHousehold, buildResident } from '../../test/people-factories.js';
import { describeEachDb, OWN_ORIGIN, type TestEnv } from '../../test/test-app.js';
import { dayInShanghai } from '../reports/reports.logic.js';
import { lastFullMonth } from './dashboard.logic.js';
import type { Dashboard } from './dashboard.schemas.js';

/**
 * The dashboard against a small region built here (a new street under the demo county, so nothing of the demo
 * data mixes in): community 甲 with grids g1, g2 and community 乙 with grid g3, residents of chosen ages, sexes and
 * tags, cases in chosen stages, a metric_values row and a few assessment scores. Every expected number below is
 * counted by hand from the notes next to the rows.
 */

const today = dayInShanghai(new Date());
/** A birth date making the person exactly `years` old today (the birthday 100 days ago). */
function bornYearsAgo(years: number): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 100);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

describeEachDb('dashboard', (env: TestEnv) => {
  const n: Record<string, { id: number; path: string }> = {};
  const users: Record<string, string> = {};

  const cookies: Record<string, string> = {};
  const get = async (user: string, query = '') => {
    const url = `/api/dashboard${query}`;
    const cookie = cookies[user];
    if (!cookie) return env.as(user, { method: 'GET', url });
    return env.app.inject({ method: 'GET', url, headers: { origin: OWN_ORIGIN, cookie } });
  };
  const dash = async (user: string, query = ''): Promise<Dashboard> => {
    const res = await get(user, query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Dashboard;
  };

  beforeAll(async () => {
    const db = env.db;
    const add = async (key: string, parentId: number, type: string, name: string) => {
      const res = await env.as('admin', { method: 'POST', url: '/api/org/nodes', payload: { parentId, type, name } });
      expect(res.statusCode, res.body).toBe(201);
      const id = (res.json() as { id: number }).id;
      const rows = await db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [id]);
      n[key] = { id, path: rows[0]!.path };
    };
    await add('street', env.ids.county!, 'street', '驾驶舱测试街道');
    await add('a', n.street!.id, 'community', '测甲社区');
    await add('b', n.street!.id, 'community', '测乙社区');
    await add('g1', n.a!.id, 'grid', '测一网格');
    await add('g2', n.a!.id, 'grid', '测二网格');
    await add('g3', n.b!.id, 'grid', '测三网格');
    for (const [key, role, nodeId] of [
      ['street', 'street_admin', n.street!.id],
      ['a', 'community_worker', n.a!.id],
    ] as const) {
      const u = await buildUser(env, { role, nodeId });
      users[key] = u.username;
      cookies[u.username] = await newSession(env, u);
    }

    const people = { db, pii: env.pii };
    // houses: g1 ×3, g2 ×1; households: g1 ×2, g3 ×1
    const h1 = await buildHouse(people, { nodeId: n.g1!.id });
    await buildHouse(people, { nodeId: n.g1!.id });
    await buildHouse(people, { nodeId: n.g1!.id });
    await buildHouse(people, { nodeId: n.g2!.id });
    await buildHousehold(people, { nodeId: n.g1!.id, houseId: h1.id });
    await buildHousehold(people, { nodeId: n.g1!.id });
    await buildHousehold(people, { nodeId: n.g3!.id });
    const r = (nodeId: number, sex: 'male' | 'female', age: number, tags: string[] = [], status?: 'moved_out') =>
      buildResident(people, { nodeId, sex, birthDate: bornYearsAgo(age), tags, ...(status ? { status } : {}) });
    await r(n.g1!.id, 'male', 10, ['minor']); // 0–17 m; minor (sensitive)
    await r(n.g1!.id, 'female', 35); // 18–59 f
    await r(n.g1!.id, 'male', 85, ['aged_80']); // 80+ m
    await r(n.g1!.id, 'female', 70, ['elderly_alone']); // 60–79 f
    await r(n.g1!.id, 'male', 40, ['aged_80'], 'moved_out'); // not living here: counts nowhere
    await r(n.g2!.id, 'female', 20); // 18–59 f
    await r(n.g2!.id, 'male', 65, ['disabled']); // 60–79 m; disabled (sensitive)
    await r(n.g3!.id, 'female', 5, ['minor']); // 0–17 f
    await r(n.g3!.id, 'male', 90, ['aged_80']); // 80+ m

    const cat = (
      await db.query<{ id: number }>(
        `INSERT INTO case_categories (code, name_zh, name_en, sort) VALUES ('dash_cat', '驾驶舱测试类', 'Dashboard test', 0) RETURNING id`,
      )
    )[0]!.id;
    const last = lastFullMonth(today);
    const mid = `${last.start}T04:00:00Z`; // the 1st of last month, noon in Shanghai
    const kase = async (
      no: string,
      grid: string,
      stage: string,
      o: { overdue?: boolean; closed?: boolean; lastMonth?: boolean } = {},
    ) =>
      db.query(
        `INSERT INTO cases (county_id, case_no, category_id, stage, title, source, node_id, node_path, overdue,
           created_at, handle_due_at, handled_at, closed_at)
         VALUES ($1, $2, $3, $4, '测试', 'worker', $5, $6, $7, $8, $9, $10, $11)`,
        [
          env.ids.county,
          `DASH-${no}`,
          cat,
          stage,
          n[grid]!.id,
          n[grid]!.path,
          o.overdue ?? false,
          o.lastMonth ? mid : new Date().toISOString(),
          o.lastMonth ? `${last.start}T08:00:00Z` : null,
          o.lastMonth ? `${last.start}T06:00:00Z` : null,
          o.closed ? (o.lastMonth ? `${last.start}T07:00:00Z` : new Date().toISOString()) : null,
        ],
      );
    await kase('1', 'g1', 'handling', { overdue: true }); // open, overdue
    await kase('2', 'g1', 'reported'); // open
    await kase('3', 'g1', 'closed', { closed: true }); // closed this month
    await kase('4', 'g2', 'dispatched'); // open
    await kase('5', 'g3', 'whistled', { overdue: true }); // open, overdue
    await kase('6', 'g3', 'cancelled'); // not open
    await kase('7', 'g3', 'closed', { closed: true, lastMonth: true }); // due last month, handled on time, closed then

    // the street's on-time rate of last month comes from metric_values (3 of 4); 甲's coverage 1 of 2
    const metric = (nodeId: number, path: string, code: string, num: number, den: number) =>
      db.query(
        `INSERT INTO metric_values (period_kind, period_start, subject_kind, subject_id, metric, county_id, node_path, num, den)
         VALUES ('month', $1, 'node', $2, $3, $4, $5, $6, $7)`,
        [last.start, nodeId, code, env.ids.county, path, num, den],
      );
    await metric(n.street!.id, n.street!.path, 'cases_on_time_rate', 3, 4);
    await metric(n.a!.id, n.a!.path, 'household_coverage', 1, 2);

    // a grid ranking: 测一 91 (1st of 甲), 测二 80 (2nd of 甲), 测三 70 (1st of 乙)
    const scheme = (
      await db.query<{ id: number }>(
        `INSERT INTO assessment_schemes (name, subject, period_kind) VALUES ('网格月考核', 'grid', 'month') RETURNING id`,
      )
    )[0]!.id;
    const score = (grid: string, group: string, total: number, rank: number, size: number) =>
      db.query(
        `INSERT INTO assessment_scores (scheme_id, period_start, subject_kind, subject_id, county_id, node_path,
           group_node_id, items, base, total, rank, group_size)
         VALUES ($1, $2, 'node', $3, $4, $5, $6, '[]', $7, $7, $8, $9)`,
        [scheme, last.start, n[grid]!.id, env.ids.county, n[grid]!.path, n[group]!.id, total, rank, size],
      );
    await score('g1', 'a', 91, 1, 2);
    await score('g2', 'a', 80, 2, 2);
    await score('g3', 'b', 70, 1, 1);
  });

  it("a street admin's default is their street, with figures counted by hand", async () => {
    const d = await dash(users.street!);
    expect(d.node).toMatchObject({ id: n.street!.id, name: '驾驶舱测试街道', type: 'street' });
    // breadcrumb: county (not theirs) then the street
    expect(d.node.crumbs.map((c) => [c.id, c.clickable])).toEqual([
      [env.ids.county, false],
      [n.street!.id, true],
    ]);
    expect(d.population.residents).toEqual({ value: 8, link: `/people?nodeId=${n.street!.id}` });
    expect(d.population.households.value).toBe(3);
    expect(d.population.houses.value).toBe(4);
    expect(d.population.ageBands.map((b) => [b.band, b.male.value, b.female.value])).toEqual([
      ['0-17', 1, 1],
      ['18-59', 0, 2],
      ['60-79', 1, 1],
      ['80+', 2, 0],
    ]);
    expect(d.population.ageBands[3]!.male.link).toBe(`/people?nodeId=${n.street!.id}&ageMin=80&sex=male`);
    const groups = Object.fromEntries(d.population.groups.map((g) => [g.code, g.value]));
    expect(groups).toMatchObject({ aged_80: 2, elderly_alone: 1, minor: 2, disabled: 1 });
    expect(d.population.groups.find((g) => g.code === 'minor')!.link).toBe(`/people?nodeId=${n.street!.id}&tag=minor`);

    expect(d.cases.open.value).toBe(4);
    expect(d.cases.overdue).toEqual({ value: 2, link: `/cases?nodeId=${n.street!.id}&alert=overdue` });
    expect(d.cases.byStage.map((s) => [s.stage, s.value])).toEqual([
      ['reported', 1],
      ['dispatched', 1],
      ['handling', 1],
      ['whistled', 1],
    ]);
    expect(d.cases.byStage[0]!.link).toBe(`/cases?nodeId=${n.street!.id}&stage=reported`);
    expect(d.cases.byCategory).toEqual([expect.objectContaining({ name: '驾驶舱测试类', value: 4 })]);
    expect(d.cases.months).toHaveLength(12);
    expect(d.cases.months[11]).toEqual({ month: today.slice(0, 7), created: 6, closed: 1 });
    expect(d.cases.months[10]).toEqual({ month: lastFullMonth(today).month, created: 1, closed: 1 });
    expect(d.cases.months.slice(0, 10).every((m) => m.created === 0 && m.closed === 0)).toBe(true);
    // from metric_values, not the single case computed (which would be 1)
    expect(d.cases.onTimeRate).toMatchObject({ value: 0.75, source: 'metric' });
    expect(d.visits.coverage).toMatchObject({ value: null, source: 'none' });
    expect(d.alarms.open.value).toBe(0);

    expect(d.rankings?.scheme.name).toBe('网格月考核');
    expect(d.rankings?.top.map((r) => [r.name, r.total]).sort()).toEqual(
      [
        ['测一网格', 91],
        ['测三网格', 70],
        ['测二网格', 80],
      ].sort(),
    );
    expect(d.rankings?.top[0]?.rank).toBe(1);
  });

  it("children add up to the parent's figures, and a computed rate where no metric row exists", async () => {
    const street = await dash(users.street!, `?nodeId=${n.street!.id}`);
    expect(street.children.map((c) => [c.name, c.population, c.openCases, c.overdue, c.coverage])).toEqual([
      ['测甲社区', 6, 3, 1, 0.5],
      ['测乙社区', 2, 1, 1, null],
    ]);
    const sum = (k: 'population' | 'openCases' | 'overdue' | 'alarmsOpen') =>
      street.children.reduce((s, c) => s + c[k], 0);
    expect(sum('population')).toBe(street.population.residents.value);
    expect(sum('openCases')).toBe(street.cases.open.value);
    expect(sum('overdue')).toBe(street.cases.overdue.value);
    expect(sum('alarmsOpen')).toBe(street.alarms.open.value);

    const b = await dash(users.street!, `?nodeId=${n.b!.id}`);
    expect(b.population.residents.value).toBe(2);
    // case 7: due last month, handled before its deadline; no metric row for 乙
    expect(b.cases.onTimeRate).toMatchObject({ value: 1, source: 'computed' });
    expect(b.children.map((c) => [c.name, c.population])).toEqual([['测三网格', 2]]);
    expect(b.node.crumbs.map((c) => c.name).slice(1)).toEqual(['驾驶舱测试街道', '测乙社区']);
    expect(b.node.crumbs.map((c) => c.clickable)).toEqual([false, true, true]);
  });

  it('a community worker sees their own community (also by default) and not the other one', async () => {
    const mine = await dash(users.a!);
    expect(mine.node.id).toBe(n.a!.id);
    expect(mine.population.residents.value).toBe(6);
    expect(mine.cases.open.value).toBe(3);
    expect(mine.node.crumbs.map((c) => c.clickable)).toEqual([false, false, true]);
    const explicit = await dash(users.a!, `?nodeId=${n.g2!.id}`);
    expect(explicit.population.residents.value).toBe(2);

    const other = await get(users.a!, `?nodeId=${n.b!.id}`);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'ORG_NODE_NOT_FOUND', field: 'nodeId' });
    const street = await get(users.a!, `?nodeId=${n.street!.id}`);
    expect(street.statusCode).toBe(404);
    const resident = await get('jumin');
    expect(resident.statusCode).toBe(403);
    expect(resident.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  {
    // No shipped role reads dashboards without people.sensitive; take it from community workers for this test.
    const perms = ROLE_PERMISSIONS.community_worker as unknown as string[];
    let removed = false;
    it('sensitive special groups are left out for a caller without people.sensitive', async () => {
      const before = await dash(users.a!);
      expect(before.population.groups.map((g) => g.code)).toEqual(expect.arrayContaining(['minor', 'disabled']));
      const i = perms.indexOf('people.sensitive');
      expect(i).toBeGreaterThanOrEqual(0);
      perms.splice(i, 1);
      removed = true;
      const after = await dash(users.a!);
      const codes = after.population.groups.map((g) => g.code);
      expect(codes).toEqual(expect.arrayContaining(['aged_80', 'elderly_alone']));
      expect(codes).not.toContain('minor');
      expect(codes).not.toContain('disabled');
      expect(after.population.groups.every((g) => !g.sensitive)).toBe(true);
      // the age bands (not personal, and not a tag) stay
      expect(after.population.residents.value).toBe(6);
    });
    afterAll(() => {
      if (removed) perms.push('people.sensitive');
    });
  }
});
