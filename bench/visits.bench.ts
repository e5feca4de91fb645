/**
 * bench:visits — visit task generation (三到六访) on a county of 1,000,000 residents, 200,000 of them tagged
 * (PostgreSQL, data generated in SQL with generate_series):
 *
 * 1. `generation_s`: the first generation run of the month (`generateVisitTasks`, the daily job's work): every
 *    periodic rule's tasks for its current period, withdrawal and reassignment over the open tasks — beside a
 *    baseline measured in the same run: a plain INSERT … SELECT of the same number of rows into an ordinary table
 *    with visit_tasks' columns, indexes and foreign keys (`baseline_s`), so `ratio` says what the rule logic costs
 *    over writing the rows;
 * 2. `month_s`: the daily runs of the month (day 1 and days 2…30: new weekly and fortnightly periods appear, the
 *    rest is idempotent), summed; before each day the tasks that fell due were visited (done), as workers would;
 *    then `idempotent_run_s` (the last day again) and `events_run_s` (the 5-minute events job's run);
 * 3. `my_tasks_p95_ms`: "my tasks" (`loadMyTasks`, every registered source) for one grid worker, p50/p95 over
 *    `--queries` workers picked at random, measured after the first run (every task of the month's first periods
 *    open: the most a worker holds).
 *
 * The last line is one JSON object. PostgreSQL only (DATABASE_URL): a fresh database is created and dropped,
 * unless BENCH_KEEP=1 (BENCH_DB names it).
 *
 *   npm run bench:visits [-- --residents 1000000 --tagged 200000 --queries 300 --days 30]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadDemoAccounts, loadDemoRegion } from '../server/src/demo/demo-region.js';
import { registerModuleHooks, seedReferenceData } from '../server/src/modules/index.js';
import { createNodeIn } from '../server/src/modules/org/org.service.js';
import { generateVisitTasks } from '../server/src/modules/visits/generation.service.js';
import { shanghaiMidnight } from '../server/src/modules/visits/rules.logic.js';
import type { Ctx } from '../server/src/platform/access/context.js';
import { systemCtx } from '../server/src/platform/access/context.js';
import { type Db, openPostgres } from '../server/src/platform/db/client.js';
import { migrate } from '../server/src/platform/db/migrate.js';
import { createPiiCipher } from '../server/src/platform/pii/index.js';
import { loadMyTasks } from '../server/src/platform/tasks/tasks.js';

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: process.env.VISITS_BENCH_RESIDENTS ?? '1000000' },
    tagged: { type: 'string', default: process.env.VISITS_BENCH_TAGGED ?? '200000' },
    queries: { type: 'string', default: '300' },
    days: { type: 'string', default: '30' },
  },
});
const RESIDENTS = Number(values.residents);
const TAGGED = Number(values.tagged);
const QUERIES = Number(values.queries);
const DAYS = Number(values.days);
/** The month the bench generates: its first day at 00:20 Shanghai is the first run. */
const MONTH_START = '2026-12-01';
const log = (s: string) => process.stderr.write(`${s}\n`);

async function openBenchDb(): Promise<{ db: Db; drop: () => Promise<void>; reused: boolean }> {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error('bench:visits needs PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  const name =
    process.env.BENCH_DB ??
    (process.env.BENCH_KEEP ? 'linli_bench_visits' : `linli_bench_${randomBytes(4).toString('hex')}`);
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
  const db = await openPostgres(u.toString());
  return {
    db,
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

/** 12 streets × 8 communities × 6 grids beside the demo region, 8 buildings a grid, a grid worker each grid. */
async function growCounty(db: Db): Promise<void> {
  const ctx = systemCtx('bench');
  await db.transaction(async (tx) => {
    const county = (await tx.query<{ id: number }>(`SELECT id FROM org_nodes WHERE type = 'county' ORDER BY id`))[0]!
      .id;
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
    await tx.query(
      `WITH g AS (SELECT id AS gid, county_id, path, depth FROM org_nodes WHERE type = 'grid' AND name LIKE '第_网格'),
            b AS (SELECT nextval(pg_get_serial_sequence('org_nodes', 'id')) AS id, g.*, k
                    FROM g, generate_series(1, 8) k)
       INSERT INTO org_nodes (id, county_id, parent_id, type, name, path, depth)
       SELECT id, county_id, gid, 'building', k || '号楼', path || id || '/', depth + 1 FROM b`,
    );
    await tx.query(
      `INSERT INTO users (username, display_name, password_hash, home_node_id, county_id)
       SELECT 'bgw' || id, '网格员' || id, 'x', id, county_id FROM org_nodes WHERE type = 'grid'`,
    );
    await tx.query(
      `INSERT INTO posts (user_id, node_id, county_id, role)
       SELECT u.id, u.home_node_id, u.county_id, 'grid_worker' FROM users u WHERE u.username LIKE 'bgw%'`,
    );
  });
}

/** Households (one per 2.5 residents) and residents spread over the buildings; `TAGGED` of them tagged. */
async function generatePeople(db: Db): Promise<void> {
  const households = Math.ceil(RESIDENTS / 2.5);
  await db.transaction(async (tx) => {
    await tx.query(
      `CREATE TEMP TABLE bench_b AS
       SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, path, county_id FROM org_nodes WHERE type = 'building'`,
    );
    const nb = (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_b'))[0]!.n;
    await tx.query(
      `INSERT INTO households (county_id, node_id, node_path, household_no)
       SELECT b.county_id, b.id, b.path, 'B' || h FROM generate_series(1, $1::int) h JOIN bench_b b ON b.i = h % $2`,
      [households, nb],
    );
    await tx.query(
      `CREATE TEMP TABLE bench_h AS
       SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, node_id, node_path, county_id
         FROM households WHERE household_no LIKE 'B%'`,
    );
    await tx.query(
      `INSERT INTO residents (county_id, node_id, node_path, household_id, relation, name, name_pinyin, name_initials,
         id_sealed, id_hash, id_masked, sex, birth_date)
       SELECT h.county_id, h.node_id, h.node_path, h.id, CASE WHEN g.n < $2 THEN 'head' ELSE 'other' END,
              '测试' || g.n, 'ceshi', 'cs', '\\x00'::bytea, decode(md5('bench' || g.n), 'hex'), '370***********0000',
              CASE WHEN g.n % 2 = 0 THEN 'male' ELSE 'female' END, DATE '1930-01-01' + (g.n % 30000)
         FROM generate_series(0, $1::int - 1) g(n) JOIN bench_h h ON h.i = g.n % $2`,
      [RESIDENTS, households],
    );
    await tx.query(
      `UPDATE households h SET head_resident_id = r.id FROM residents r
        WHERE r.household_id = h.id AND r.relation = 'head' AND h.household_no LIKE 'B%'`,
    );
    // The tagged: 独居老人 25 %, 空巢老人 30 %, 留守儿童 15 %, 低保户 30 %; tagged two months ago (no event rules).
    await tx.query(
      `INSERT INTO resident_tags (resident_id, tag_id, county_id, node_path, birth_date, source, created_at)
       SELECT r.id, t.id, r.county_id, r.node_path, r.birth_date, 'import', now() - interval '60 days'
         FROM (SELECT r.*, row_number() OVER (ORDER BY r.id) AS k FROM residents r
                WHERE r.id % $2 = 0 ORDER BY r.id LIMIT $1) r
         JOIN tags t ON t.code = CASE WHEN r.k % 20 < 5 THEN 'elderly_alone' WHEN r.k % 20 < 11 THEN 'empty_nest'
                                      WHEN r.k % 20 < 14 THEN 'left_behind_child' ELSE 'low_income' END`,
      [TAGGED, Math.max(1, Math.floor(RESIDENTS / TAGGED))],
    );
  });
  await db.query('ANALYZE');
}

/**
 * The baseline: the same number of rows as the first run made, one plain INSERT … SELECT from residents into an
 * ordinary (logged) table built like visit_tasks — its columns, checks, unique key and indexes, and the same six
 * foreign keys (each row checked against visit_rules, residents, households, org_nodes, users, visits) — so it
 * measures what writing the rows costs, and `ratio` what the rule logic (targets, responsible people, withdrawal,
 * reassignment) adds to it.
 */
async function baseline(db: Db, rows: number): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('CREATE TABLE bench_tasks (LIKE visit_tasks INCLUDING ALL)');
    await tx.query(
      `ALTER TABLE bench_tasks
         ADD FOREIGN KEY (rule_id) REFERENCES visit_rules (id),
         ADD FOREIGN KEY (resident_id) REFERENCES residents (id),
         ADD FOREIGN KEY (household_id) REFERENCES households (id),
         ADD FOREIGN KEY (node_id) REFERENCES org_nodes (id),
         ADD FOREIGN KEY (assignee_id) REFERENCES users (id),
         ADD FOREIGN KEY (visit_id) REFERENCES visits (id)`,
    );
    const rule = (await tx.query<{ id: number }>('SELECT min(id)::int AS id FROM visit_rules'))[0]!.id;
    const user = (await tx.query<{ id: number }>(`SELECT min(id)::int AS id FROM users WHERE username LIKE 'bgw%'`))[0]!
      .id;
    const t = Date.now();
    await tx.query(
      `INSERT INTO bench_tasks (county_id, rule_id, subject, reason_key, resident_id, household_id, node_id, node_path,
         assignee_id, assignee_kind, period_start, due_at)
       SELECT r.county_id, $2, 'r' || r.id, 'p:2026-12-01', r.id, r.household_id, r.node_id, r.node_path, $3,
              'grid_worker', DATE '2026-12-01', now()
         FROM residents r ORDER BY r.id LIMIT $1`,
      [rows, rule, user],
    );
    const ms = Date.now() - t;
    await tx.query('DROP TABLE bench_tasks');
    return ms;
  });
}

/** The workers' part of a month: every task due before `now` was visited in time (done the day before it fell due). */
async function visitDue(db: Db, now: Date): Promise<void> {
  await db.query(
    `UPDATE visit_tasks SET status = 'done', done_at = due_at - interval '1 day', updated_at = due_at - interval '1 day'
      WHERE status = 'open' AND due_at < $1`,
    [now],
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function measureMyTasks(db: Db): Promise<{ p50: number; p95: number; meanItems: number }> {
  registerModuleHooks();
  const workers = await db.query<{ id: number; username: string; nodeId: number; path: string; postId: number }>(
    `SELECT u.id::int AS id, u.username, p.node_id::int AS "nodeId", n.path, p.id::int AS "postId"
       FROM users u JOIN posts p ON p.user_id = u.id AND p.role = 'grid_worker' JOIN org_nodes n ON n.id = p.node_id
      WHERE u.username LIKE 'bgw%'`,
  );
  const times: number[] = [];
  let items = 0;
  for (let q = 0; q < QUERIES; q++) {
    const w = workers[Math.floor(Math.random() * workers.length)]!;
    const ctx: Ctx = {
      principal: {
        userId: w.id,
        username: w.username,
        displayName: w.username,
        locale: 'zh-CN',
        grants: [{ postId: w.postId, role: 'grid_worker', nodeId: w.nodeId, path: w.path }],
        via: 'session',
      },
      requestId: null,
      ip: null,
      locale: 'zh-CN',
    };
    const t = process.hrtime.bigint();
    const r = await loadMyTasks(db, ctx, { now: new Date(`${MONTH_START}T12:00:00+08:00`) });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    items += r.items.length;
  }
  times.sort((a, b) => a - b);
  return {
    p50: Number(percentile(times, 50).toFixed(2)),
    p95: Number(percentile(times, 95).toFixed(2)),
    meanItems: Math.round(items / QUERIES),
  };
}

async function main() {
  const { db, drop, reused } = await openBenchDb();
  try {
    await migrate(db);
    if (!reused) {
      const pii = createPiiCipher(randomBytes(32));
      await seedReferenceData(db);
      await loadDemoRegion(db);
      await loadDemoAccounts(db, pii);
      const t0 = Date.now();
      await growCounty(db);
      log(`generating ${RESIDENTS.toLocaleString()} residents (${TAGGED.toLocaleString()} tagged) on PostgreSQL…`);
      await generatePeople(db);
      log(`data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    await db.query('DELETE FROM visit_tasks');
    // Statistics as a running installation has them (autovacuum), not a never-analysed table's guess.
    await db.query('VACUUM ANALYZE visit_tasks');
    const at = (day: number) =>
      new Date(shanghaiMidnight(MONTH_START).getTime() + (day - 1) * 86_400_000 + 20 * 60_000);
    const first = await generateVisitTasks(db, { now: at(1) });
    log(`day 1: ${JSON.stringify(first)}`);
    await db.query('ANALYZE visit_tasks');
    // "My tasks" while every task of the month's first periods is open (the most a worker holds).
    const my = await measureMyTasks(db);
    const baseMs = await baseline(db, first.created);
    let monthMs = 0;
    let monthCreated = 0;
    for (let d = 2; d <= DAYS; d++) {
      await visitDue(db, at(d));
      const r = await generateVisitTasks(db, { now: at(d) });
      monthMs += r.ms;
      monthCreated += r.created;
      if (r.created > 0) log(`day ${d}: ${JSON.stringify(r)}`);
    }
    const again = await generateVisitTasks(db, { now: at(DAYS) });
    const events = await generateVisitTasks(db, { now: at(DAYS), only: 'event' });
    const counts = (
      await db.query<{ residents: number; tagged: number; workers: number; open: number }>(
        `SELECT (SELECT count(*)::int FROM residents) AS residents,
                (SELECT count(DISTINCT resident_id)::int FROM resident_tags) AS tagged,
                (SELECT count(*)::int FROM posts WHERE role = 'grid_worker') AS workers,
                (SELECT count(*)::int FROM visit_tasks WHERE status = 'open') AS open`,
      )
    )[0]!;
    const result = {
      bench: 'visits',
      db: 'postgres',
      residents: counts.residents,
      tagged: counts.tagged,
      grid_workers: counts.workers,
      created_first_run: first.created,
      generation_s: Number((first.ms / 1000).toFixed(2)),
      baseline_s: Number((baseMs / 1000).toFixed(2)),
      ratio: Number((first.ms / Math.max(1, baseMs)).toFixed(2)),
      target_generation_s: 30,
      generation_ok: first.ms < 30_000,
      month_days: DAYS,
      month_s: Number(((first.ms + monthMs) / 1000).toFixed(2)),
      month_created: first.created + monthCreated,
      idempotent_run_s: Number((again.ms / 1000).toFixed(2)),
      idempotent_created: again.created,
      events_run_s: Number((events.ms / 1000).toFixed(2)),
      open_tasks: counts.open,
      my_tasks_p50_ms: my.p50,
      my_tasks_p95_ms: my.p95,
      my_tasks_mean_items: my.meanItems,
      target_my_tasks_p95_ms: 30,
      my_tasks_ok: my.p95 < 30,
    };
    process.stdout.write(
      `generation (first run of the month) over ${counts.residents.toLocaleString()} residents, ${counts.tagged.toLocaleString()} tagged: ${result.generation_s} s for ${first.created.toLocaleString()} tasks (target < 30 s); plain INSERT … SELECT of as many rows: ${result.baseline_s} s → ratio ${result.ratio}\n` +
        `the month's ${DAYS} daily runs (tasks due before each day visited): ${result.month_s} s, ${result.month_created.toLocaleString()} tasks; a repeated run: ${result.idempotent_run_s} s, ${again.created} created; the 5-minute events run: ${result.events_run_s} s\n` +
        `my tasks (loadMyTasks) for one grid worker: p50 ${my.p50} ms, p95 ${my.p95} ms (target p95 < 30 ms)\n`,
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
