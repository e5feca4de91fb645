/**
 * bench:cases — the case board on 1,000,000 cases (PostgreSQL, generated in SQL):
 *
 * 1. the board's list query through the real repo function `listCasesPage` (scope + stage + category + time
 *    range, newest first, a page of 20; some pages further on by cursor), p50/p95 over a few hundred varied
 *    queries against the 50 ms target, beside a primary-key lookup in the same run as the floor;
 * 2. a create + list request mix over HTTP (autocannon; 1 report : 3 board pages) against a running Linli (a child
 *    process: the real app on the same database, signed in with an API token), beside a bare Fastify route served
 *    the same way in the same run — the ratio of their requests per second.
 *
 * The last line is one JSON object with the figures. PostgreSQL only (DATABASE_URL): a fresh database is created
 * and dropped, unless BENCH_KEEP=1 (BENCH_DB names it), which keeps it for EXPLAIN sessions and reuses it.
 *
 *   npm run bench:cases [-- --rows 1000000 --queries 300 --seconds 10 --connections 10]
 *   CASES_BENCH_ROWS=20000 npm run bench:cases      a small run while developing
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { loadDemoAccounts, loadDemoRegion } from '../server/src/demo/demo-region.js';
import { listCasesPage } from '../server/src/modules/cases/cases.repo.js';
import { seedReferenceData } from '../server/src/modules/index.js';
import { createNodeIn } from '../server/src/modules/org/org.service.js';
import { systemCtx } from '../server/src/platform/access/context.js';
import type { Role } from '../server/src/platform/access/roles.js';
import { type Principal, scopeFor } from '../server/src/platform/access/scope.js';
import { hashToken, newApiToken } from '../server/src/platform/auth/auth.logic.js';
import { insertToken } from '../server/src/platform/auth/auth.repo.js';
import { type Db, openPostgres } from '../server/src/platform/db/client.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { createJobs } from '../server/src/platform/jobs/index.js';
import { createPiiCipher } from '../server/src/platform/pii/index.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: process.env.CASES_BENCH_ROWS ?? '1000000' },
    queries: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    // Only the board query (while looking at plans).
    'board-only': { type: 'boolean', default: false },
    // Internal: run as the server child (linli | bare) on the database URL given.
    serve: { type: 'string' },
    db: { type: 'string' },
  },
});
const ROWS = Number(values.rows);
const QUERIES = Number(values.queries);
const log = (s: string) => process.stderr.write(`${s}\n`);

// ---- the server child ------------------------------------------------------------------------------------

/** Runs Linli (or a bare Fastify route) on a free port of 127.0.0.1 and prints `PORT n`; ends on SIGTERM. */
async function serve(kind: string, url: string): Promise<void> {
  if (kind === 'bare') {
    const app = Fastify({ logger: false });
    app.get('/ping', async () => ({ items: [], nextAfter: null }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    process.stdout.write(`PORT ${(app.server.address() as { port: number }).port}\n`);
    process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
    return;
  }
  const db = await openPostgres(url, { max: 10 });
  const pii = createPiiCipher(Buffer.from(process.env.BENCH_PII_KEY ?? '', 'hex'));
  const jobs = createJobs(db, { cron: false });
  const app = await buildApp({ db, pii, broker: null, jobs, loginRateLimit: 100000 });
  await jobs.start();
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`PORT ${(app.server.address() as { port: number }).port}\n`);
  process.on('SIGTERM', () => {
    void (async () => {
      await app.close();
      await jobs.stop();
      await db.close();
      process.exit(0);
    })();
  });
}

/** Starts this file again as a server child; resolves with its port. */
async function startChild(kind: 'linli' | 'bare', url: string, env: Record<string, string>) {
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--serve', kind, '--db', url],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^PORT (\d+)$/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// ---- data ------------------------------------------------------------------------------------------------

async function openBenchDb(): Promise<{ db: Db; url: string; drop: () => Promise<void>; reused: boolean }> {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error('bench:cases needs PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  const name =
    process.env.BENCH_DB ??
    (process.env.BENCH_KEEP ? 'linli_bench_cases' : `linli_bench_${randomBytes(4).toString('hex')}`);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DB: not a plain database name: ${name}`);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  const reused = await admin.query(`CREATE DATABASE ${name}`).then(
    () => false,
    (err: { code?: string }) => {
      if (err.code === '42P04' && process.env.BENCH_KEEP) return true;
      throw err;
    },
  );
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = await openPostgres(url);
  return {
    db,
    url,
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

/**
 * A county handling a million cases has hundreds of grids: add 12 streets × 8 communities × 6 grids to the demo
 * region (about 1,700 cases a grid over two years at full size).
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
        for (let g = 1; g <= 6; g++)
          await createNodeIn(tx, ctx, { parentId: community, type: 'grid', name: `第${g}网格` });
      }
    }
  });
}

/** The built-in category tree comes with the cases module; a bare installation gets a small one here. */
async function ensureCategories(db: Db): Promise<void> {
  const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM case_categories'))[0]!.n;
  if (n > 0) return;
  for (let r = 1; r <= 5; r++) {
    const root = (
      await db.query<{ id: number }>(
        `INSERT INTO case_categories (code, name_zh, name_en, sort) VALUES ($1, $2, $3, $4) RETURNING id`,
        [`bench_${r}`, `测试大类${r}`, `Bench class ${r}`, r],
      )
    )[0]!.id;
    for (let l = 1; l <= 8; l++) {
      await db.query(
        `INSERT INTO case_categories (parent_id, code, name_zh, name_en, sort, handle_sla)
         VALUES ($1, $2, $3, $4, $5, '{"amount": 3, "unit": "working_days"}')`,
        [root, `bench_${r}_${l}`, `测试小类${r}-${l}`, `Bench ${r}.${l}`, l],
      );
    }
  }
}

/**
 * Generates `rows` cases inside the database: spread over the grids and leaf categories, reported over the last
 * two years, in every stage with timestamps that agree with it (about 60 % closed, a tenth of them late).
 */
async function generateCases(db: Db, rows: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `CREATE TEMP TABLE bench_grids AS
       SELECT row_number() OVER (ORDER BY id) AS i, id, path, county_id FROM org_nodes WHERE type = 'grid'`,
    );
    await tx.query(
      `CREATE TEMP TABLE bench_cats AS
       SELECT row_number() OVER (ORDER BY id) AS i, id FROM case_categories c
        WHERE NOT EXISTS (SELECT 1 FROM case_categories k WHERE k.parent_id = c.id)`,
    );
    // Stage by bucket of 100: closed 60, handling 8, reported 5, dispatched 5, handled 5, cancelled 5, whistled 3,
    // merged 3, escalated 3, parked 3.
    const batch = 100_000;
    for (let start = 0; start < rows; start += batch) {
      await tx.query(
        `INSERT INTO cases (county_id, case_no, category_id, stage, title, description, source, node_id, node_path,
           created_at, dispatched_at, accepted_at, handle_due_at, handled_at, closed_at, assignee_node_id,
           rework_count, supervision, overdue, rating, rated_at, updated_at)
         SELECT p.county_id, 'BENCH' || lpad(g::text, 8, '0'), k.id, s.stage,
                '测试事件' || g, '', (ARRAY['resident','patrol','worker','hotline'])[1 + g % 4], p.id, p.path,
                t.created, d.dispatched, d.dispatched + interval '20 minutes', d.dispatched + interval '3 days',
                CASE WHEN s.stage IN ('handled', 'closed') THEN d.dispatched + (g % 4) * interval '1 day' - interval '1 hour' END,
                CASE WHEN s.stage = 'closed' THEN d.dispatched + (g % 4) * interval '1 day' + interval '5 hours' END,
                CASE WHEN d.dispatched IS NOT NULL THEN p.id END,
                CASE WHEN s.stage = 'closed' AND g % 17 = 0 THEN 1 ELSE 0 END,
                CASE WHEN g % 4 = 3 AND s.stage IN ('handled', 'closed', 'handling') THEN 2 ELSE 0 END,
                g % 4 = 3 AND s.stage IN ('handled', 'closed', 'handling'),
                CASE WHEN s.stage = 'closed' AND g % 3 = 0 THEN 1 + (g % 5) END,
                CASE WHEN s.stage = 'closed' AND g % 3 = 0 THEN d.dispatched + interval '5 days' END,
                t.created
           FROM generate_series($1::int, $2::int) g
           JOIN bench_grids p ON p.i = 1 + (g::bigint * 17) % (SELECT count(*) FROM bench_grids)
           JOIN bench_cats k ON k.i = 1 + (g::bigint * 31) % (SELECT count(*) FROM bench_cats)
           CROSS JOIN LATERAL (SELECT now() - ((g::bigint * 7919) % (730 * 1440)) * interval '1 minute' AS created) t
           CROSS JOIN LATERAL (SELECT CASE
               WHEN (g * 13) % 100 < 60 THEN 'closed' WHEN (g * 13) % 100 < 68 THEN 'handling'
               WHEN (g * 13) % 100 < 73 THEN 'reported' WHEN (g * 13) % 100 < 78 THEN 'dispatched'
               WHEN (g * 13) % 100 < 83 THEN 'handled' WHEN (g * 13) % 100 < 88 THEN 'cancelled'
               WHEN (g * 13) % 100 < 91 THEN 'whistled' WHEN (g * 13) % 100 < 94 THEN 'merged'
               WHEN (g * 13) % 100 < 97 THEN 'escalated' ELSE 'parked' END AS stage) s
           CROSS JOIN LATERAL (SELECT CASE WHEN s.stage NOT IN ('reported', 'cancelled')
               THEN t.created + interval '30 minutes' END AS dispatched) d`,
        [start + 1, Math.min(rows, start + batch)],
      );
      process.stderr.write(`\r  ${Math.min(rows, start + batch).toLocaleString()} cases`);
    }
    process.stderr.write('\n');
  });
  await db.query('ANALYZE');
}

// ---- the board query -------------------------------------------------------------------------------------

function principalFor(role: Role, nodeId: number, path: string, userId = 1): Principal {
  return {
    userId,
    username: 'bench',
    displayName: 'bench',
    locale: 'zh-CN',
    grants: [{ postId: 1, role, nodeId, path }],
    via: 'session',
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const STAGE_SETS = [
  ['reported'],
  ['handling'],
  ['reported', 'dispatched', 'handling', 'escalated'],
  ['closed'],
  ['handled'],
];
const RANGE_DAYS = [7, 30, 90, 365];

async function measureBoard(db: Db) {
  const places = await db.query<{ id: number; path: string; type: string }>(
    `SELECT id, path, type FROM org_nodes WHERE type IN ('street', 'town', 'community', 'village')`,
  );
  const streets = places.filter((p) => p.type === 'street' || p.type === 'town');
  const communities = places.filter((p) => p.type === 'community' || p.type === 'village');
  const roots = await db.query<{ id: number; leaves: number[] }>(
    `SELECT r.id, array_agg(c.id ORDER BY c.id) AS leaves FROM case_categories r JOIN case_categories c ON c.parent_id = r.id
      WHERE r.parent_id IS NULL GROUP BY r.id ORDER BY r.id`,
  );
  const leaves = roots.flatMap((r) => r.leaves.map(Number));
  let seed = 11;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const now = Date.now();

  const run = async (i: number) => {
    const street = i % 2 === 0;
    const place = street ? pick(streets) : pick(communities);
    const principal = principalFor(street ? 'street_admin' : 'community_worker', place.id, place.path);
    const days = RANGE_DAYS[i % RANGE_DAYS.length]!;
    // A leaf category, or a 大类 (the board filters a class by its leaves).
    const categoryIds = i % 3 === 0 ? pick(roots).leaves.map(Number) : [pick(leaves)];
    const filter = {
      view: 'board' as const,
      readScope: scopeFor(principal, 'cases.read'),
      handleScope: scopeFor(principal, 'cases.handle'),
      userId: 1,
      departmentIds: [],
      stages: STAGE_SETS[i % STAGE_SETS.length] as never,
      categoryIds,
      from: new Date(now - days * 86_400_000).toISOString(),
      to: new Date(now).toISOString(),
      limit: 20,
    };
    const t = performance.now();
    let page = await listCasesPage(db, filter);
    // Every fifth query turns to its next page by cursor (what the board's "more" does).
    if (i % 5 === 4 && page.length === 20) {
      const last = page[page.length - 1]!;
      page = await listCasesPage(db, {
        ...filter,
        after: { at: new Date(last.created_at).toISOString(), id: Number(last.id) },
      });
    }
    const ms = performance.now() - t;
    if (process.env.BENCH_TRACE && ms > 20)
      log(
        `${ms.toFixed(1)} ms ${street ? 'street' : 'community'} ${days}d stages=${filter.stages} cats=${categoryIds.length}`,
      );
    return {
      ms,
      rows: page.length,
      shape: `${street ? 'street' : 'community'}+${categoryIds.length > 1 ? 'class' : 'leaf'}`,
    };
  };
  for (let i = 0; i < 20; i++) await run(i); // warm-up
  const times: number[] = [];
  const byShape = new Map<string, number[]>();
  let found = 0;
  for (let i = 0; i < QUERIES; i++) {
    const r = await run(i);
    times.push(r.ms);
    found += r.rows;
    byShape.set(r.shape, [...(byShape.get(r.shape) ?? []), r.ms]);
  }
  times.sort((a, b) => a - b);
  const ids = (await db.query<{ id: number }>('SELECT id FROM cases ORDER BY random() LIMIT 300')).map((r) => r.id);
  const pk: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    await db.query('SELECT * FROM cases WHERE id = $1', [id]);
    pk.push(performance.now() - t);
  }
  pk.sort((a, b) => a - b);
  return {
    p50_ms: Number(percentile(times, 50).toFixed(2)),
    p95_ms: Number(percentile(times, 95).toFixed(2)),
    mean_rows: Number((found / QUERIES).toFixed(1)),
    pk_p50_ms: Number(percentile(pk, 50).toFixed(3)),
    shapes: Object.fromEntries(
      [...byShape].map(([shape, ms]) => {
        ms.sort((a, b) => a - b);
        return [shape, { n: ms.length, p95_ms: Number(percentile(ms, 95).toFixed(2)) }];
      }),
    ),
  };
}

// ---- HTTP ------------------------------------------------------------------------------------------------

async function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function measureHttp(db: Db, url: string, piiKey: string) {
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  // The community worker of the demo community, through an API token (no session cookie, no origin check).
  const user = (await db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'shequ'`))[0]!.id;
  const { token, prefix } = newApiToken();
  await insertToken(db, { userId: user, name: 'bench', prefix, tokenHash: hashToken(token), expiresInDays: 1 });
  const grid = (
    await db.query<{ id: number }>(
      `SELECT g.id FROM org_nodes g JOIN posts p ON p.user_id = $1 JOIN org_nodes c ON c.id = p.node_id
        WHERE g.type = 'grid' AND g.path LIKE c.path || '%' ORDER BY g.id LIMIT 1`,
      [user],
    )
  )[0]!.id;
  const category = (
    await db.query<{ id: number }>(
      `SELECT c.id FROM case_categories c WHERE c.active AND NOT EXISTS (SELECT 1 FROM case_categories k WHERE k.parent_id = c.id)
        ORDER BY c.id LIMIT 1`,
    )
  )[0]!.id;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const report = JSON.stringify({
    categoryId: category,
    title: '压测上报',
    description: '楼道灯不亮',
    place: { nodeId: grid },
    source: 'worker',
  });
  const list = { method: 'GET' as const, path: '/api/cases?view=board&limit=20', headers };
  const create = { method: 'POST' as const, path: '/api/cases', headers, body: report };

  const linli = await startChild('linli', url, { BENCH_PII_KEY: piiKey });
  const bare = await startChild('bare', url, {});
  try {
    // A check that both answer as meant before counting anything.
    for (const [r, expected] of [
      [create, 201],
      [list, 200],
    ] as const) {
      const res = await fetch(`http://127.0.0.1:${linli.port}${r.path}`, {
        method: r.method,
        headers: r.headers,
        body: 'body' in r ? r.body : undefined,
      });
      if (res.status !== expected) throw new Error(`${r.method} ${r.path}: ${res.status} ${await res.text()}`);
    }
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n;
    log(`autocannon: Linli create+list (1:3), ${connections} connections, ${seconds} s…`);
    const mix = await cannon({
      url: `http://127.0.0.1:${linli.port}`,
      connections,
      duration: seconds,
      requests: [create, list, list, list],
    });
    const created = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n - before;
    log(`autocannon: bare Fastify route, ${connections} connections, ${seconds} s…`);
    const floor = await cannon({ url: `http://127.0.0.1:${bare.port}/ping`, connections, duration: seconds });
    const bad = mix.non2xx + mix.errors + mix.timeouts;
    return {
      connections,
      seconds,
      linli_rps: Number(mix.requests.average.toFixed(1)),
      linli_p95_ms: mix.latency.p97_5 ?? null,
      linli_p50_ms: mix.latency.p50,
      linli_non2xx_or_errors: bad,
      cases_created: created,
      bare_rps: Number(floor.requests.average.toFixed(1)),
      bare_p50_ms: floor.latency.p50,
      ratio: Number((mix.requests.average / floor.requests.average).toFixed(4)),
    };
  } finally {
    await linli.stop();
    await bare.stop();
  }
}

async function main() {
  if (values.serve) {
    await serve(values.serve, values.db ?? '');
    return;
  }
  const { db, url, drop, reused } = await openBenchDb();
  try {
    await migrate(db);
    const piiKey = process.env.BENCH_PII_KEY ?? randomBytes(32).toString('hex');
    if (!reused) {
      const pii = createPiiCipher(Buffer.from(piiKey, 'hex'));
      await seedReferenceData(db);
      await loadDemoRegion(db);
      await loadDemoAccounts(db, pii);
      await growCounty(db);
      await ensureCategories(db);
      const t0 = Date.now();
      log(`generating ${ROWS.toLocaleString()} cases on PostgreSQL…`);
      await generateCases(db, ROWS);
      log(`data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } else if (!process.env.BENCH_PII_KEY) {
      throw new Error('a kept database needs the BENCH_PII_KEY it was built with (printed on the first run)');
    }
    if (process.env.BENCH_KEEP && !reused) log(`BENCH_PII_KEY=${piiKey}`);
    const total = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cases'))[0]!.n;
    const board = await measureBoard(db);
    const http = values['board-only'] ? null : await measureHttp(db, url, piiKey);
    const result = {
      bench: 'cases',
      db: 'postgres',
      rows: total,
      queries: QUERIES,
      board_p50_ms: board.p50_ms,
      board_p95_ms: board.p95_ms,
      target_p95_ms: 50,
      board_ok: board.p95_ms < 50,
      pk_p50_ms: board.pk_p50_ms,
      board_mean_rows: board.mean_rows,
      board_shapes: board.shapes,
      http,
    };
    process.stdout.write(
      `board list (listCasesPage) over ${total.toLocaleString()} cases: p50 ${board.p50_ms} ms, p95 ${board.p95_ms} ms (target p95 < 50 ms); primary-key lookup p50 ${board.pk_p50_ms} ms\n` +
        (http === null
          ? ''
          : `HTTP create+list mix: ${http.linli_rps} req/s (p50 ${http.linli_p50_ms} ms, ${http.linli_non2xx_or_errors} non-2xx/errors, ${http.cases_created} cases created); bare Fastify route in the same run: ${http.bare_rps} req/s → ratio ${http.ratio}\n`),
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    if (process.env.BENCH_KEEP) log('keeping the database (BENCH_KEEP)');
    else await drop();
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
