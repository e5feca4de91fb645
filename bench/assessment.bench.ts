/**
 * bench:assessment — metrics and monthly scores for a large region (PostgreSQL, data generated in SQL with
 * generate_series):
 *
 * 10,000 grids (20 streets × 25 communities × 20 grids, one grid worker each) beside the demo region; 5,000,000
 * cases and 5,000,000 visits spread evenly over the 12 months before the measured month (cases: dispatched at a
 * random time, 90 % closed within days, a deadline 5 days after dispatch, some reworked, half rated; visits: one
 * random grid worker's grid), then:
 *
 * 1. `baseline_s`: a plain `SELECT node_path, count(*) … GROUP BY node_path` over the cases closed in the month;
 * 2. `refresh_s`: `refreshMetrics` for that month (every metric, every node, worker and department);
 * 3. `scores_s`: `computeScores` (assessment [C1]) for a grid scheme of that month — when it is implemented on
 *    this branch; otherwise "scoring was not measured" and `scores_s` is null.
 *
 * Target: monthly scores for 10k grids (refresh + scoring) under 30 s. `ratio` = refresh_s / baseline_s.
 * The last line is one JSON object. PostgreSQL only (DATABASE_URL): a fresh database is created and dropped,
 * unless BENCH_KEEP=1 (BENCH_DB names it).
 *
 *   npm run bench:assessment [-- --scale 0.1]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadDemoRegion } from '../server/src/demo/demo-region.js';
import { seedReferenceData } from '../server/src/modules/index.js';
import { refreshMetrics } from '../server/src/modules/metrics/metrics.service.js';
import { type Db, openPostgres } from '../server/src/platform/db/client.js';
import { migrate } from '../server/src/platform/db/migrate.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
const SCALE = Number(values.scale);
if (!(SCALE > 0 && SCALE <= 1)) throw new Error('--scale: a number in (0, 1]');
const STREETS = 20;
const COMMUNITIES = 25;
const GRIDS = Math.max(1, Math.round(20 * SCALE));
const CASES = Math.round(5_000_000 * SCALE);
const VISITS = Math.round(5_000_000 * SCALE);
/** The measured month; the data spreads over the 12 months before its end. */
const MONTH = '2026-11-01';
const DATA_FROM = '2025-12-01T00:00:00+08:00';
const DATA_DAYS = 365;
const log = (s: string) => process.stderr.write(`${s}\n`);

async function openBenchDb(): Promise<{ db: Db; drop: () => Promise<void>; reused: boolean }> {
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error(
      'bench:assessment needs PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
    );
  const name =
    process.env.BENCH_DB ??
    (process.env.BENCH_KEEP ? 'linli_bench_assessment' : `linli_bench_${randomBytes(4).toString('hex')}`);
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

/** Streets, communities and grids under the demo county (ids from the sequence, paths from the parents). */
async function growRegion(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    const county = (await tx.query<{ id: number }>(`SELECT id FROM org_nodes WHERE type = 'county' ORDER BY id`))[0]!
      .id;
    const grow = async (parentWhere: string, type: string, per: number, prefix: string) =>
      tx.query(
        `WITH p AS (SELECT id AS pid, county_id, path, depth FROM org_nodes WHERE ${parentWhere}),
              n AS (SELECT nextval(pg_get_serial_sequence('org_nodes', 'id')) AS id, p.*, k
                      FROM p, generate_series(1, $1::int) k)
         INSERT INTO org_nodes (id, county_id, parent_id, type, name, path, depth)
         SELECT id, county_id, pid, $2, $3 || k, path || id || '/', depth + 1 FROM n`,
        [per, type, prefix],
      );
    await grow(`id = ${county}`, 'street', STREETS, '压测街道');
    await grow(`type = 'street' AND name LIKE '压测街道%'`, 'community', COMMUNITIES, '压测社区');
    await grow(`type = 'community' AND name LIKE '压测社区%'`, 'grid', GRIDS, '压测网格');
    await tx.query(
      `INSERT INTO users (username, display_name, password_hash, home_node_id, county_id)
       SELECT 'bgw' || id, '网格员' || id, 'x', id, county_id FROM org_nodes WHERE type = 'grid' AND name LIKE '压测网格%'`,
    );
    await tx.query(
      `INSERT INTO posts (user_id, node_id, county_id, role)
       SELECT u.id, u.home_node_id, u.county_id, 'grid_worker' FROM users u WHERE u.username LIKE 'bgw%'`,
    );
  });
}

/** Cases and visits over the 12 months, in batches of 500,000 rows. */
async function generateWork(db: Db): Promise<void> {
  await db.query(
    `CREATE TABLE bench_g AS
     SELECT row_number() OVER (ORDER BY n.id) - 1 AS i, n.id, n.path, n.county_id, u.id AS worker
       FROM org_nodes n JOIN users u ON u.home_node_id = n.id AND u.username LIKE 'bgw%'
      WHERE n.type = 'grid'`,
  );
  const ng = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_g'))[0]!.n;
  const cat = (await db.query<{ id: number }>('SELECT id FROM case_categories ORDER BY id LIMIT 1'))[0]!.id;
  const BATCH = 500_000;
  // Secondary indexes are dropped for the load and built again after it (as a bulk load would), not maintained
  // row by row; the measured queries run with every index of the schema in place.
  const indexes = await db.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE schemaname = 'public' AND tablename IN ('cases', 'visits')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = indexname)`,
  );
  for (const ix of indexes) await db.query(`DROP INDEX ${ix.name}`);
  for (let done = 0; done < CASES; done += BATCH) {
    const n = Math.min(BATCH, CASES - done);
    const t = Date.now();
    await db.query(
      `INSERT INTO cases (county_id, case_no, category_id, stage, title, source, node_id, node_path, dispatched_at,
         handle_due_at, handled_at, closed_at, rework_count, rating, rated_at, handler_id, created_at)
       SELECT g.county_id, 'B' || s.i, $3, CASE WHEN s.closed THEN 'closed' ELSE 'handling' END, '压测事件', 'worker',
              g.id, g.path, s.at, s.at + interval '5 days',
              CASE WHEN s.closed THEN s.at + s.took END, CASE WHEN s.closed THEN s.at + s.took + interval '2 hours' END,
              CASE WHEN s.r < 0.05 THEN 1 ELSE 0 END,
              CASE WHEN s.closed AND s.r < 0.5 THEN 1 + (s.r * 10)::int % 5 END,
              CASE WHEN s.closed AND s.r < 0.5 THEN s.at + s.took + interval '1 day' END,
              g.worker, s.at
         FROM (SELECT i, random() AS r, random() < 0.9 AS closed,
                      $4::timestamptz + random() * interval '${DATA_DAYS} days' AS at,
                      random() * interval '8 days' AS took
                 FROM generate_series($1::bigint, $2::bigint) i) s
         JOIN bench_g g ON g.i = s.i % ${ng}`,
      [done + 1, done + n, cat, DATA_FROM],
    );
    log(`cases ${(done + n).toLocaleString()} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }
  for (let done = 0; done < VISITS; done += BATCH) {
    const n = Math.min(BATCH, VISITS - done);
    const t = Date.now();
    await db.query(
      `INSERT INTO visits (county_id, node_id, node_path, visitor_id, visited_at, outcome, client_id)
       SELECT g.county_id, g.id, g.path, g.worker, $3::timestamptz + random() * interval '${DATA_DAYS} days', 'well',
              gen_random_uuid()
         FROM generate_series($1::bigint, $2::bigint) AS gs (n) JOIN bench_g g ON g.i = (gs.n * 7) % ${ng}`,
      [done + 1, done + n, DATA_FROM],
    );
    log(`visits ${(done + n).toLocaleString()} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }
  const ti = Date.now();
  for (const ix of indexes) await db.query(ix.def);
  log(`${indexes.length} indexes rebuilt (${((Date.now() - ti) / 1000).toFixed(1)} s)`);
}

/** A grid scheme for the month (its items read metric_values) — what computeScores is timed on. */
async function gridScheme(db: Db): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO assessment_schemes (name, subject, period_kind) VALUES ('压测网格月考核', 'grid', 'month') RETURNING id`,
  );
  const id = rows[0]!.id;
  await db.query(
    `INSERT INTO assessment_scheme_items (scheme_id, metric, weight, higher_better, full_at, zero_at, sort) VALUES
       ($1, 'cases_on_time_rate', 40, true, 0.95, 0.6, 1),
       ($1, 'cases_overdue', 20, false, 0, 20, 2),
       ($1, 'cases_satisfaction', 20, true, 4.5, 3, 3),
       ($1, 'cases_closed', 20, true, 60, 0, 4)`,
    [id],
  );
  return id;
}

async function main() {
  const { db, drop, reused } = await openBenchDb();
  try {
    await migrate(db);
    if (!reused) {
      await seedReferenceData(db);
      await loadDemoRegion(db);
      const t0 = Date.now();
      await growRegion(db);
      log(`generating ${CASES.toLocaleString()} cases and ${VISITS.toLocaleString()} visits on PostgreSQL…`);
      await generateWork(db);
      await db.query('VACUUM ANALYZE cases');
      await db.query('VACUUM ANALYZE visits');
      await db.query('ANALYZE org_nodes');
      log(`data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    const counts = (
      await db.query<{ grids: number; cases: number; visits: number }>(
        `SELECT (SELECT count(*)::int FROM org_nodes WHERE type = 'grid') AS grids,
                (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM visits) AS visits`,
      )
    )[0]!;
    // baseline: the plain aggregate over the month's closed cases
    const tb = Date.now();
    const base = await db.query(
      `SELECT node_path, count(*) FROM cases
        WHERE closed_at >= '2026-11-01T00:00:00+08:00' AND closed_at < '2026-12-01T00:00:00+08:00'
        GROUP BY node_path`,
    );
    const baselineMs = Date.now() - tb;
    log(`baseline: ${base.length} node paths in ${baselineMs} ms`);
    const r = await refreshMetrics(db, {
      periodKind: 'month',
      periodStart: MONTH,
      onProgress: (family, ms) => log(`  ${family}: ${ms} ms`),
    });
    log(`refresh: ${r.rows.toLocaleString()} rows in ${r.millis} ms`);
    let scoresMs: number | null = null;
    let scored: number | null = null;
    let scoringNote = '';
    try {
      const { computeScores } = await import('../server/src/modules/assessment/scores.service.js');
      const schemeId = await gridScheme(db);
      const ts = Date.now();
      const s = await computeScores(db, { schemeId, periodStart: MONTH });
      scoresMs = Date.now() - ts;
      scored = s.subjects;
    } catch (err) {
      scoringNote = `scoring was not measured (${err instanceof Error ? err.message : String(err)})`;
      log(scoringNote);
    }
    const totalMs = r.millis + (scoresMs ?? 0);
    const result = {
      bench: 'assessment',
      db: 'postgres',
      scale: SCALE,
      grids: counts.grids,
      cases: counts.cases,
      visits: counts.visits,
      month: MONTH,
      baseline_s: Number((baselineMs / 1000).toFixed(2)),
      refresh_s: Number((r.millis / 1000).toFixed(2)),
      refresh_rows: r.rows,
      ratio: Number((r.millis / Math.max(1, baselineMs)).toFixed(2)),
      scores_s: scoresMs === null ? null : Number((scoresMs / 1000).toFixed(2)),
      scored_subjects: scored,
      scoring_measured: scoresMs !== null,
      total_s: Number((totalMs / 1000).toFixed(2)),
      target_s: 30,
      ok: scoresMs !== null && totalMs < 30_000,
      refresh_ok: r.millis < 30_000,
    };
    process.stdout.write(
      `${counts.grids.toLocaleString()} grids, ${counts.cases.toLocaleString()} cases, ${counts.visits.toLocaleString()} visits\n` +
        `baseline (SELECT node_path, count(*) over the month's closed cases): ${result.baseline_s} s\n` +
        `refreshMetrics (month ${MONTH}, every metric): ${result.refresh_s} s, ${r.rows.toLocaleString()} rows → ratio ${result.ratio}\n` +
        (scoresMs === null
          ? `computeScores: ${scoringNote}\n`
          : `computeScores (grid scheme, ${scored} subjects): ${result.scores_s} s\n`) +
        `monthly scores for ${counts.grids.toLocaleString()} grids: ${result.total_s} s (target < 30 s)\n`,
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
