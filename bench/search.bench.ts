/**
 * bench:search — resident search on 1,000,000 residents through the real service (scope + tag + age +
 * pinyin prefix), p50/p95 over a few hundred varied queries, next to a primary-key lookup measured in the
 * same run as the floor. Uses DATABASE_URL (a fresh database created and dropped) or an on-disk PGlite.
 *
 *   npm run bench:search [-- --rows 1000000 --queries 300]
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
import { namePinyin } from '../server/src/modules/people/people.logic.js';
import { searchResidents } from '../server/src/modules/people/residents.service.js';
import { refreshDerivedTags } from '../server/src/modules/people/tags.service.js';
import { type Ctx, systemCtx } from '../server/src/platform/access/context.js';
import type { Role } from '../server/src/platform/access/roles.js';
import { type Db, openPglite, openPostgres } from '../server/src/platform/db/client.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { createPiiCipher } from '../server/src/platform/pii/index.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, queries: { type: 'string', default: '300' } },
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
    const name = process.env.BENCH_KEEP ? 'linli_bench_keep' : `linli_bench_${randomBytes(4).toString('hex')}`;
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
    if (!reused) {
      await migrate(db);
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
        await tx.query(
          `CREATE TEMP TABLE bench_places AS
           SELECT row_number() OVER (ORDER BY id) AS i, id, path, county_id FROM org_nodes
            WHERE type = 'unit' OR (type = 'micro_grid' AND NOT EXISTS (SELECT 1 FROM org_nodes c WHERE c.parent_id = org_nodes.id))`,
        );
        const sealed = pii.seal('370899190001010000');
        const batch = 100_000;
        for (let start = 0; start < ROWS; start += batch) {
          await tx.query(
            `INSERT INTO residents (county_id, node_id, node_path, name, name_pinyin, name_initials, id_sealed, id_hash, id_masked,
             sex, birth_date, status)
           SELECT p.county_id, p.id, p.path, n.name, n.full_py, n.initials, $3, decode(md5(g::text), 'hex') || decode(md5((g::bigint * 7)::text), 'hex'),
                  '370899********0000', CASE WHEN g % 2 = 0 THEN 'male' ELSE 'female' END,
                  date '1930-01-01' + ((g::bigint * 7919) % 34000)::int, 'active'
             FROM generate_series($1::int, $2::int) g
             JOIN bench_names n ON n.i = 1 + (g::bigint * 31) % (SELECT count(*) FROM bench_names)
             JOIN bench_places p ON p.i = 1 + (g::bigint * 17) % (SELECT count(*) FROM bench_places)`,
            [start + 1, Math.min(ROWS, start + batch), sealed],
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
    };
    process.stdout.write(
      `search over ${ROWS.toLocaleString()} residents on ${kind}: p50 ${result.p50_ms} ms, p95 ${result.p95_ms} ms (target p95 < 50 ms on PostgreSQL)\n` +
        `baseline, primary-key lookup in the same run: p50 ${result.pk_p50_ms} ms → search p95 is ${result.p95_over_pk_p50}× a PK lookup\n`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (process.env.BENCH_KEEP) log('keeping the database (BENCH_KEEP)');
    else await drop();
  }
}

void main();
