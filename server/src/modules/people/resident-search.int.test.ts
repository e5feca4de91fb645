import { beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/access/scope.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { type ResidentSearch, type SearchPlan, searchResidents } from './resident-search.repo.js';

/**
 * Every plan of the resident search gives what a plain reading of the conditions gives: the rows of a small
 * region are filtered in JavaScript and compared with each plan that can answer the search (forced), page by
 * page and with the count, by number and by cursor.
 */
type Row = {
  id: number;
  node_path: string;
  status: string;
  sex: string;
  birth_date: string;
  name: string;
  current_address: string | null;
  hukou_address: string | null;
  tag_ids: number[];
};

const json = <T>(body: string) => JSON.parse(body) as T;
const ROADS = ['幸福路', '人民路', '建设路', '和平路', '胜利路'];

describeEachDb('resident search plans', (env: TestEnv) => {
  let rows: Row[];
  let countyPath: string;
  let streetPath: string;
  let communityPath: string;
  let gridPath: string;
  let disabled: number;
  let lowIncome: number;

  beforeAll(async () => {
    const path = async (id: number) =>
      (await env.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [id]))[0]!.path;
    countyPath = await path(env.ids.county!);
    streetPath = await path(env.ids.street!);
    communityPath = await path(env.ids.community!);
    gridPath = await path(env.ids.grid!);
    const tag = async (code: string) =>
      (await env.db.query<{ id: number }>('SELECT id FROM tags WHERE code = $1', [code]))[0]!.id;
    disabled = await tag('disabled');
    lowIncome = await tag('low_income');
    // 400 people over every unit of the county, ids interleaved across places; ages, statuses, addresses and
    // two hand-set tags spread so that every combination below matches some and misses others.
    await env.db.query(
      `WITH places AS (SELECT row_number() OVER (ORDER BY id) AS i, id, path, county_id FROM org_nodes WHERE type = 'unit'),
            n AS (SELECT count(*) AS c FROM places)
       INSERT INTO residents (county_id, node_id, node_path, name, name_pinyin, name_initials, id_sealed, id_hash, id_masked,
         sex, birth_date, status, current_address, hukou_address)
       SELECT p.county_id, p.id, p.path, '搜索' || g, 'sousuo' || g, 'ss', '\\x00', decode(md5('search' || g), 'hex'), 'x',
              CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END, date '1930-01-01' + (g * 7919) % 34000,
              CASE WHEN g % 13 = 0 THEN 'moved_out' WHEN g % 17 = 0 THEN 'deceased' ELSE 'active' END,
              ($1::text[])[1 + g % 5] || (g % 7) || '号',
              CASE WHEN g % 3 = 0 THEN '山东省' || ($1::text[])[1 + (g * 3) % 5] END
         FROM generate_series(1, 400) g CROSS JOIN n JOIN places p ON p.i = 1 + (g * 7) % n.c`,
      [ROADS],
    );
    await env.db.query(
      `INSERT INTO resident_tags (resident_id, tag_id, county_id, source)
       SELECT r.id, $1::bigint, r.county_id, 'manual' FROM residents r WHERE r.name LIKE '搜索%' AND r.id % 5 = 0
       UNION ALL
       SELECT r.id, $2::bigint, r.county_id, 'manual' FROM residents r WHERE r.name LIKE '搜索%' AND r.id % 7 = 0`,
      [disabled, lowIncome],
    );
    rows = await env.db.query<Row>(
      `SELECT r.id, r.node_path, r.status, r.sex, to_char(r.birth_date, 'YYYY-MM-DD') AS birth_date, r.name,
              r.current_address, r.hukou_address,
              ARRAY(SELECT rt.tag_id::int FROM resident_tags rt WHERE rt.resident_id = r.id ORDER BY rt.tag_id) AS tag_ids
         FROM residents r ORDER BY r.id`,
    );
    expect(rows.filter((r) => r.name.startsWith('搜索'))).toHaveLength(400);
  });

  /** The search read plainly, row by row. */
  const reference = (s: ResidentSearch) =>
    rows
      .filter((r) => {
        const inArea = (a: Scope) => a.all || a.paths.some((p) => r.node_path.startsWith(p));
        if (!s.areas.every(inArea)) return false;
        if (s.status !== 'all' && r.status !== s.status) return false;
        if (s.sex && r.sex !== s.sex) return false;
        if (s.born?.onOrBefore && !(r.birth_date <= s.born.onOrBefore)) return false;
        if (s.born?.after && !(r.birth_date > s.born.after)) return false;
        if (s.name?.by === 'name' && !r.name.startsWith(s.name.prefix)) return false;
        if (s.address && !`${r.current_address}`.includes(s.address) && !`${r.hukou_address}`.includes(s.address))
          return false;
        if (s.tags) {
          const held = s.tags.ids.filter((t) => r.tag_ids.includes(t)).length;
          if (s.tags.mode === 'all' ? held !== s.tags.ids.length : held === 0) return false;
        }
        return true;
      })
      .map((r) => r.id);

  const county = (): Scope[] => [{ all: false, paths: [countyPath] }];
  const street = (): Scope[] => [{ all: false, paths: [streetPath] }];
  const anyPlan: SearchPlan[] = ['matches', 'id', 'node'];
  const tagPlans: SearchPlan[] = ['matches', 'id', 'holder', 'tag_born'];
  const cases: { label: string; search: () => Omit<ResidentSearch, 'limit' | 'offset'>; plans: SearchPlan[] }[] = [
    {
      label: 'one tag and an age range over a county',
      search: () => ({
        areas: county(),
        status: 'active',
        born: { onOrBefore: '1990-01-01', after: '1950-06-30' },
        tags: { ids: [disabled], mode: 'any' },
      }),
      plans: [...tagPlans, 'tag_ordered'],
    },
    {
      label: 'a tag and an age range nobody has',
      search: () => ({
        areas: county(),
        status: 'active',
        born: { onOrBefore: '1931-01-02', after: '1931-01-01' },
        tags: { ids: [disabled], mode: 'any' },
      }),
      plans: [...tagPlans, 'tag_ordered'],
    },
    {
      label: 'either of two tags, from an age, in a street',
      search: () => ({
        areas: street(),
        status: 'active',
        born: { onOrBefore: '1970-01-01', after: null },
        tags: { ids: [disabled, lowIncome], mode: 'any' },
      }),
      plans: tagPlans,
    },
    {
      label: 'both of two tags with an age range',
      search: () => ({
        areas: county(),
        status: 'all',
        born: { onOrBefore: '2000-01-01', after: '1940-01-01' },
        tags: { ids: [disabled, lowIncome], mode: 'all' },
      }),
      plans: [...tagPlans, 'tag_ordered'],
    },
    {
      label: 'a tag alone in a street, women only',
      search: () => ({ areas: street(), status: 'active', sex: 'female', tags: { ids: [lowIncome], mode: 'any' } }),
      plans: [...tagPlans, 'node'],
    },
    {
      label: 'a road in a street (current or hukou address)',
      search: () => ({ areas: street(), status: 'active', address: '幸福路' }),
      plans: anyPlan,
    },
    {
      label: 'a road and number over a county',
      search: () => ({ areas: county(), status: 'all', address: '和平路3号' }),
      plans: anyPlan,
    },
    {
      label: 'text only hukou addresses have',
      search: () => ({ areas: county(), status: 'active', address: '山东省建设' }),
      plans: anyPlan,
    },
    {
      label: 'one character of address (no bigram)',
      search: () => ({ areas: street(), status: 'active', address: '5' }),
      plans: anyPlan,
    },
    {
      label: 'an address nobody has',
      search: () => ({ areas: county(), status: 'active', address: '不存在的路' }),
      plans: anyPlan,
    },
    {
      label: 'everyone active in a street',
      search: () => ({ areas: street(), status: 'active' }),
      plans: anyPlan,
    },
    {
      label: 'a community inside the caller’s street, people who moved out',
      search: () => ({ areas: [...street(), { all: false, paths: [communityPath] }], status: 'moved_out' }),
      plans: anyPlan,
    },
    {
      label: 'a name prefix in a grid, any status',
      search: () => ({
        areas: [{ all: false, paths: [gridPath] }],
        status: 'all',
        name: { by: 'name', prefix: '搜索1' },
      }),
      plans: anyPlan,
    },
  ];

  for (const c of cases) {
    it(`gives what a plain reading gives, by every plan: ${c.label}`, async () => {
      const want = reference({ ...c.search(), limit: 0, offset: 0 });
      expect(want.length).toBeLessThan(rows.length);
      for (const plan of c.plans) {
        for (const [limit, offset, cap] of [
          [5, 0, 1000],
          [4, 8, 1000],
          [50, 0, 7],
        ] as const) {
          const got = await searchResidents(env.db, { ...c.search(), limit, offset }, cap, plan);
          expect({ plan, limit, offset, ids: got.rows.map((r) => r.id), total: got.total }).toEqual({
            plan,
            limit,
            offset,
            ids: want.slice(offset, offset + limit),
            total: Math.min(want.length, cap),
          });
        }
        // After a cursor: the rows beyond it, and the count of them all.
        const after = want[2] ?? 0;
        const got = await searchResidents(env.db, { ...c.search(), limit: 3, offset: 1, after }, 1000, plan);
        expect({ plan, after, ids: got.rows.map((r) => r.id), total: got.total }).toEqual({
          plan,
          after,
          ids: want.filter((id) => id > after).slice(1, 4),
          total: want.length,
        });
      }
    });
  }

  it('chooses by shape: the rare tag-and-age side, the bigrams of an address, node by node for a street', async () => {
    const plan = async (s: Omit<ResidentSearch, 'limit' | 'offset'>, offset = 0) =>
      (await searchResidents(env.db, { ...s, limit: 20, offset }, 1000)).plan;
    const tagAge = { status: 'active', born: { onOrBefore: '1990-01-01', after: null } } as const;
    expect(await plan({ ...tagAge, areas: county(), tags: { ids: [disabled], mode: 'any' } })).toBe('tag_born');
    expect(await plan({ areas: street(), status: 'active', address: '幸福路' })).toBe('matches');
    expect(await plan({ areas: street(), status: 'active' })).toBe('node');
    // Beyond the first 100 rows by page number the area's matches are collected; by cursor, node by node.
    expect(await plan({ areas: street(), status: 'active' }, 100)).toBe('matches');
    expect(await plan({ areas: street(), status: 'active', after: 1 })).toBe('node');
  });

  describe('GET /api/people/residents with a cursor', () => {
    it('walks a street page by page to the end, agreeing with page numbers, and refuses a cursor that is no id', async () => {
      const want = reference({ areas: street(), status: 'active', limit: 0, offset: 0 });
      const seen: number[] = [];
      let after: number | null = null;
      let pages = 0;
      do {
        const res = await env.as('jiedao', {
          method: 'GET',
          url: `/api/people/residents?pageSize=7${after === null ? '' : `&after=${after}`}`,
        });
        expect(res.statusCode).toBe(200);
        const page = json<{ items: { id: number }[]; total: number; nextAfter: number | null }>(res.body);
        expect(page.total).toBe(Math.min(want.length, 1000));
        seen.push(...page.items.map((r) => r.id));
        if (pages === 1) {
          const byNumber = await env.as('jiedao', { method: 'GET', url: '/api/people/residents?pageSize=7&page=2' });
          expect(json<{ items: { id: number }[] }>(byNumber.body).items.map((r) => r.id)).toEqual(
            page.items.map((r) => r.id),
          );
        }
        after = page.nextAfter;
        pages++;
      } while (after !== null && pages < 100);
      expect(seen).toEqual(want);
      const bad = await env.as('jiedao', { method: 'GET', url: '/api/people/residents?after=abc' });
      expect(bad.statusCode).toBe(400);
      expect(json<{ code: string }>(bad.body).code).toBe('VALIDATION');
    });
  });
});
