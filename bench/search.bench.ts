/**
 * bench:search — resident search on 1,000,000 residents through the real service (scope + tag + age +
 * pinyin prefix), p50/p95 over a few hundred varied queries, next to a primary-key lookup measured in the
 * same run as the floor. Uses DATABASE_URL (a fresh database created and dropped) or an on-disk PGlite.
 *
 * Then the slow cases of issue 10 (a county by tag + age range matching almost nobody, a street + address
 * text, a street paged beyond its first 100 rows), each beside its old plan measured in the same run.
 *
 *   npm run bench:search [-- --rows 1000000 --queries 300 --slow 60]
 *   BENCH_KEEP=1 BENCH_DB=linli_bench_search …   keeps (and reuses) the generated database
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadDemoRegion } from '../server/src/demo/demo-region.js';
import { seedReferenceData } from '../server/src/modules/index.js';
import { createNodeIn } from '../server/src/modules/org/org.service.js';
import { birthRangeForAges, namePinyin } from '../server/src/modules/people/people.logic.js';
import { searchResidents } from '../server/src/modules/people/residents.service.js';
import { refreshDerivedTags } from '../server/src/modules/people/tags.service.js';
import { type Ctx, systemCtx } from '../server/src/platform/access/context.js';
import type { Role } from '../server/src/platform/access/roles.js';
import { type Db, openPglite, openPostgres } from '../server/src/platform/db/client.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { createPiiCipher } from '../server/src/platform/pii/index.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '300' },
    slow: { type: 'string', default: '60' },
  },
});
const ROWS = Number(values.rows);
const QUERIES = Number(values.queries);
const log = (s: string) => process.stderr.write(`${s}\n`);

async function openBenchDb(): Promise<{
  db: Db;
  kind: 'postgres' | 'pglite';
  drop: () => Promise<void>;
  reused: boolean;
}> {
  const base = process.env.DATABASE_URL;
  if (base) {
    // BENCH_DB names the database (one per engineer, so that kept databases do not collide).
    const name =
      process.env.BENCH_DB ??
      (process.env.BENCH_KEEP ? 'linli_bench_keep' : `linli_bench_${randomBytes(4).toString('hex')}`);
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DB: not a plain database name: ${name}`);
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    // BENCH_KEEP keeps the generated database for EXPLAIN sessions and reuses it on the next run.
    const reused = await admin.query(`CREATE DATABASE ${name}`).then(
      () => false,
      (err: { code?: string }) => {
        if (err.code === '42P04' && process.env.BENCH_KEEP) return true;
        throw err;
      },
    );
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    const db = await openPostgres(url.toString());
    return {
      db,
      kind: 'postgres',
      reused,
      drop: async () => {
        await db.close();
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-bench-search-'));
  const db = await openPglite(path.join(dir, 'pglite'));
  return {
    db,
    kind: 'pglite',
    reused: false,
    drop: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏';
const GIVEN =
  '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩芳娜敏静丽艳娟霞秀英慧巧美淑惠珠翠雅芝玉萍红娥玲芬燕彩兰凤洁梅琳';

const ROADS =
  '解放路 人民路 建设路 和平路 胜利路 中山路 幸福路 文化路 光明路 新华路 青年路 团结路 友谊路 工农路 前进路 朝阳路 东风路 红旗路 长江路 黄河路 泰山路 滨河路 花园路 学府路 迎宾路 振兴路 繁荣路 富民路 康宁路 安居路'.split(
    ' ',
  );
const HUKOU_PLACES =
  '山东省济南市历下区 山东省青岛市市南区 河北省石家庄市长安区 河南省郑州市金水区 江苏省徐州市鼓楼区 安徽省合肥市蜀山区 山西省太原市小店区 辽宁省沈阳市和平区'.split(
    ' ',
  );

/**
 * A county of a million people has hundreds of communities, not the demo's eight: add 12 streets × 8
 * communities × 6 grids × 4 buildings × 2 units, so that scopes have realistic sizes (about 10,000
 * residents a community).
 */
async function growCounty(db: Db): Promise<void> {
  const ctx = systemCtx('bench');
  await db.transaction(async (tx) => {
    const county = (await tx.query<{ id: number }>(`SELECT id FROM org_nodes WHERE type = 'county'`))[0]!.id;
    for (let s = 1; s <= 12; s++) {
      const street = (await createNodeIn(tx, ctx, { parentId: county, type: 'street', name: `测试${s}街道` })).id;
      for (let c = 1; c <= 8; c++) {
        const community = (
          await createNodeIn(tx, ctx, { parentId: street, type: 'community', name: `测试${s}-${c}社区` })
        ).id;
        for (let g = 1; g <= 6; g++) {
          const grid = (await createNodeIn(tx, ctx, { parentId: community, type: 'grid', name: `第${g}网格` })).id;
          for (let b = 1; b <= 4; b++) {
            const building = (await createNodeIn(tx, ctx, { parentId: grid, type: 'building', name: `${b}号楼` })).id;
            for (let u = 1; u <= 2; u++)
              await createNodeIn(tx, ctx, { parentId: building, type: 'unit', name: `${u}单元` });
          }
        }
      }
    }
  });
}

function ctxFor(role: Role, nodeId: number, nodePath: string): Ctx {
  return {
    principal: {
      userId: 1,
      username: 'bench',
      displayName: 'bench',
      locale: 'zh-CN',
      grants: [{ postId: 1, role, nodeId, path: nodePath }],
      via: 'session',
    },
    requestId: null,
    ip: null,
    locale: 'zh-CN',
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const { db, kind, drop, reused } = await openBenchDb();
  try {
    const pii = createPiiCipher(randomBytes(32));
    // A name list with pinyin computed by the real code, then 1M rows generated inside the database.
    const names: { name: string; full: string; initials: string }[] = [];
    for (const s of SURNAMES)
      for (let i = 0; i < 40; i++) {
        const given = GIVEN[(i * 7) % GIVEN.length]! + (i % 3 ? GIVEN[(i * 13 + 5) % GIVEN.length]! : '');
        const name = s + given;
        names.push({ name, ...namePinyin(name) });
      }
    // A kept database gets the migrations added since it was built.
    await migrate(db);
    if (!reused) {
      await seedReferenceData(db);
      await loadDemoRegion(db);
      await growCounty(db);

      const t0 = Date.now();
      log(`generating ${ROWS.toLocaleString()} residents on ${kind}…`);
      await db.transaction(async (tx) => {
        await tx.query(
          `CREATE TEMP TABLE bench_names AS SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS n(name, full_py, initials, i)`,
          [names.map((n) => n.name), names.map((n) => n.full), names.map((n) => n.initials)],
        );
        // Each place (a unit) lies on a road, 16 places a road: 幸福路 is common in a few communities of a street
        // and absent from the others, 幸福路7号 is one building's; half the people have a hukou address elsewhere.
        await tx.query(
          `CREATE TEMP TABLE bench_places AS
           SELECT i, id, path, county_id, ($1::text[])[1 + (i / 16) % array_length($1::text[], 1)] AS road, 1 + i % 16 AS no
             FROM (SELECT row_number() OVER (ORDER BY id) AS i, id, path, county_id FROM org_nodes
                    WHERE type = 'unit' OR (type = 'micro_grid' AND NOT EXISTS (SELECT 1 FROM org_nodes c WHERE c.parent_id = org_nodes.id))) p`,
          [ROADS],
        );
        const sealed = pii.seal('370899190001010000');
        const batch = 100_000;
        for (let start = 0; start < ROWS; start += batch) {
          await tx.query(
            `INSERT INTO residents (county_id, node_id, node_path, name, name_pinyin, name_initials, id_sealed, id_hash, id_masked,
             sex, birth_date, status, current_address, hukou_address)
           SELECT p.county_id, p.id, p.path, n.name, n.full_py, n.initials, $3, decode(md5(g::text), 'hex') || decode(md5((g::bigint * 7)::text), 'hex'),
                  '370899********0000', CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END,
                  date '1930-01-01' + ((g::bigint * 7919) % 34000)::int, 'active',
                  '东关县' || p.road || p.no || '号' || (1 + g % 18) || '0' || (1 + g % 4) || '室',
                  CASE WHEN g % 2 = 0 THEN ($4::text[])[1 + (g::bigint * 7) % array_length($4::text[], 1)]
                    || ($5::text[])[1 + (g::bigint * 11) % array_length($5::text[], 1)] || (1 + (g::bigint * 13) % 200) || '号' END
             FROM generate_series($1::int, $2::int) g
             JOIN bench_names n ON n.i = 1 + (g::bigint * 31) % (SELECT count(*) FROM bench_names)
             JOIN bench_places p ON p.i = 1 + (g::bigint * 17) % (SELECT count(*) FROM bench_places)`,
            [start + 1, Math.min(ROWS, start + batch), sealed, HUKOU_PLACES, ROADS],
          );
          process.stderr.write(`\r  ${Math.min(ROWS, start + batch).toLocaleString()} rows`);
        }
        process.stderr.write('\n');
        await tx.query(
          `INSERT INTO resident_tags (resident_id, tag_id, county_id, source)
         SELECT r.id, t.id, r.county_id, 'manual' FROM residents r JOIN tags t ON t.code = 'disabled' WHERE r.id % 37 = 0`,
        );
        await refreshDerivedTags(tx);
      });
      await db.query('ANALYZE');
      log(`data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }

    const communities = await db.query<{ id: number; path: string }>(
      `SELECT id, path FROM org_nodes WHERE type IN ('community','village')`,
    );
    const grids = await db.query<{ id: number; path: string }>(`SELECT id, path FROM org_nodes WHERE type = 'grid'`);
    const streets = await db.query<{ id: number; path: string }>(
      `SELECT id, path FROM org_nodes WHERE type IN ('street','town')`,
    );
    const tags = ['aged_80', 'elderly_alone', 'minor', 'disabled'];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;

    const run = async (i: number) => {
      const shape = i % 4;
      const scope =
        shape === 0
          ? ctxFor('street_admin', ...(Object.values(pick(streets)) as [number, string]))
          : shape === 1
            ? ctxFor('grid_worker', ...(Object.values(pick(grids)) as [number, string]))
            : ctxFor('community_worker', ...(Object.values(pick(communities)) as [number, string]));
      const n = pick(names);
      const q: Record<string, unknown> = { pageSize: 20 };
      if (i % 3 !== 2) q.q = i % 2 ? n.full.slice(0, 2 + (i % 4)) : n.initials;
      if (i % 2 === 0) q.tag = pick(tags);
      if (i % 3 === 0) {
        q.ageMin = 20 + (i % 50);
        q.ageMax = (q.ageMin as number) + 15;
      }
      const t = performance.now();
      await searchResidents({ db, pii }, scope, q);
      const ms = performance.now() - t;
      if (process.env.BENCH_TRACE && ms > 20)
        log(`${ms.toFixed(1)} ms ${scope.principal.grants[0]!.role} ${JSON.stringify(q)}`);
      const label = [
        ['street', 'grid', 'community', 'community'][i % 4],
        q.q && 'name',
        q.tag && 'tag',
        q.ageMin && 'age',
      ]
        .filter(Boolean)
        .join('+');
      return { ms, label };
    };
    for (let i = 0; i < 20; i++) await run(i); // warm-up
    const times: number[] = [];
    const byShape = new Map<string, number[]>();
    for (let i = 0; i < QUERIES; i++) {
      const { ms, label } = await run(i);
      times.push(ms);
      byShape.set(label, [...(byShape.get(label) ?? []), ms]);
    }
    times.sort((a, b) => a - b);
    const shapes = Object.fromEntries(
      [...byShape].map(([shape, ms]) => {
        ms.sort((a, b) => a - b);
        return [
          shape,
          {
            n: ms.length,
            p50_ms: Number(percentile(ms, 50).toFixed(2)),
            p95_ms: Number(percentile(ms, 95).toFixed(2)),
          },
        ];
      }),
    );

    // The slow cases of issue 10, each beside the plan it had before (its statement, run in the same session).
    const SLOW = Number(values.slow);
    const county = (
      await db.query<{ id: number; path: string }>(`SELECT id, path FROM org_nodes WHERE type = 'county'`)
    )[0]!;
    const testStreets = streets.filter((x) => x.path !== county.path).slice(-12);
    const stats = (ms: number[]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return { p50: Number(percentile(sorted, 50).toFixed(2)), p95: Number(percentile(sorted, 95).toFixed(2)) };
    };
    const timed = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    /** The old `matches` plan: every match of the area collected, then paged and counted. */
    const oldMatches = (where: string, params: unknown[]) =>
      db.transaction(async (tx) => {
        await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
        return tx.query(
          `WITH m AS MATERIALIZED (SELECT r.id FROM residents r WHERE ${where})
           SELECT (SELECT least(count(*), 1000) FROM m) AS total, ARRAY(SELECT id FROM m ORDER BY id LIMIT 20) AS ids`,
          params,
        );
      });
    const tagId = async (code: string) =>
      (await db.query<{ id: number }>('SELECT id FROM tags WHERE code = $1', [code]))[0]!.id;
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const caseOf = async (
      n: number,
      run: (i: number) => Promise<unknown>,
      old: (i: number) => Promise<unknown>,
      oldRuns = Math.max(5, Math.floor(n / 3)),
    ) => {
      for (let i = 0; i < 3; i++) await run(i); // warm-up
      const now: number[] = [];
      const before: number[] = [];
      for (let i = 0; i < n; i++) now.push(await timed(() => run(i)));
      for (let i = 0; i < oldRuns; i++) before.push(await timed(() => old(i)));
      const a = stats(now);
      const b = stats(before);
      return { n, p50_ms: a.p50, p95_ms: a.p95, old_n: oldRuns, old_p50_ms: b.p50, old_p95_ms: b.p95 };
    };
    // (a) A whole county by tag + age range that matches (almost) nobody: minors aged 60-70, 高龄 aged 20-40,
    // 残疾人 of one year of age (a few hundred).
    const admin = ctxFor('admin', county.id, county.path);
    const tagAge = [
      { tag: 'minor', ageMin: 60, ageMax: 70 },
      { tag: 'aged_80', ageMin: 20, ageMax: 40 },
      { tag: 'disabled', ageMin: 35, ageMax: 35 },
    ];
    const tagIds = new Map(await Promise.all(tagAge.map(async (x) => [x.tag, await tagId(x.tag)] as const)));
    const caseA = await caseOf(
      SLOW,
      (i) => {
        const x = tagAge[i % 3]!;
        return searchResidents({ db, pii }, admin, { ...x, ageMin: x.ageMin + (i % 5), ageMax: x.ageMax + (i % 5) });
      },
      (i) => {
        const x = tagAge[i % 3]!;
        const range = birthRangeForAges(today, x.ageMin + (i % 5), x.ageMax + (i % 5));
        return oldMatches(
          `r.node_path LIKE $4 || '%' AND r.status = 'active' AND r.birth_date <= $1::date AND r.birth_date > $2::date
           AND r.id IN (SELECT rt.resident_id FROM resident_tags rt WHERE rt.tag_id = $3 AND rt.node_path LIKE $4 || '%')`,
          [range.bornOnOrBefore, range.bornAfter, tagIds.get(x.tag), county.path],
        );
      },
    );
    // (b) A street and an address text: a road (common in part of the street), a road and number (one
    // building's), a road the street may not have, and text nobody has.
    const addressText = (i: number) =>
      [ROADS[i % ROADS.length]!, `${ROADS[(i * 7) % ROADS.length]}${1 + (i % 16)}号`, '幸福路', '不存在的路'][i % 4]!;
    const streetCtx = (i: number) => {
      const st = testStreets[i % testStreets.length]!;
      return { ctx: ctxFor('street_admin', st.id, st.path), path: st.path };
    };
    const caseB = await caseOf(
      SLOW,
      (i) => searchResidents({ db, pii }, streetCtx(i).ctx, { address: addressText(i) }),
      (i) =>
        oldMatches(
          `r.node_path LIKE $1 || '%' AND r.status = 'active' AND (r.current_address LIKE $2 OR r.hukou_address LIKE $2)`,
          [streetCtx(i).path, `%${addressText(i)}%`],
        ),
    );
    // (c) Paging a street beyond its first 100 rows: pages 6 to 10 of 20 by cursor, against the same pages
    // by number (which collect the street's matches).
    const cursors: { i: number; after: number }[] = [];
    for (let i = 0; i < 6; i++) {
      let after: number | undefined;
      for (let page = 1; page <= 10; page++) {
        const res = await searchResidents({ db, pii }, streetCtx(i).ctx, { pageSize: 20, after });
        if (page >= 5 && res.nextAfter !== null) cursors.push({ i, after: res.nextAfter });
        after = res.nextAfter ?? undefined;
      }
    }
    const caseC = await caseOf(
      SLOW,
      (i) => {
        const c = cursors[i % cursors.length]!;
        return searchResidents({ db, pii }, streetCtx(c.i).ctx, { pageSize: 20, after: c.after });
      },
      (i) => searchResidents({ db, pii }, streetCtx(i % 6).ctx, { pageSize: 20, page: 6 + (i % 5) }),
    );
    const slowCases = { a_county_tag_age: caseA, b_street_address: caseB, c_street_deep_page: caseC };

    const ids = (await db.query<{ id: number }>('SELECT id FROM residents ORDER BY random() LIMIT 300')).map(
      (r) => r.id,
    );
    const pk: number[] = [];
    for (const id of ids) {
      const t = performance.now();
      await db.query('SELECT * FROM residents WHERE id = $1', [id]);
      pk.push(performance.now() - t);
    }
    pk.sort((a, b) => a - b);

    const result = {
      bench: 'search',
      db: kind,
      rows: ROWS,
      queries: QUERIES,
      p50_ms: Number(percentile(times, 50).toFixed(2)),
      p95_ms: Number(percentile(times, 95).toFixed(2)),
      pk_p50_ms: Number(percentile(pk, 50).toFixed(3)),
      p95_over_pk_p50: Number((percentile(times, 95) / percentile(pk, 50)).toFixed(1)),
      target_p95_ms: 50,
      shapes,
      cases: slowCases,
    };
    process.stdout.write(
      `search over ${ROWS.toLocaleString()} residents on ${kind}: p50 ${result.p50_ms} ms, p95 ${result.p95_ms} ms (target p95 < 50 ms on PostgreSQL)\n` +
        `baseline, primary-key lookup in the same run: p50 ${result.pk_p50_ms} ms → search p95 is ${result.p95_over_pk_p50}× a PK lookup\n` +
        Object.entries(slowCases)
          .map(
            ([name, c]) =>
              `${name}: p50 ${c.p50_ms} ms, p95 ${c.p95_ms} ms; its old plan in the same run: p50 ${c.old_p50_ms} ms, p95 ${c.old_p95_ms} ms\n`,
          )
          .join(''),
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (process.env.BENCH_KEEP) log('keeping the database (BENCH_KEEP)');
    else await drop();
  }
}

void main();
