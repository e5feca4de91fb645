import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds } from '../../test/test-db.js';
import { until } from '../../test/until.js';
import type { Db } from '../db/client.js';
import { createJobs, type Jobs } from './index.js';

/**
 * Two servers on one database. On PostgreSQL each instance has its own pg-boss pool, as two processes would;
 * on PGlite (one embedded database, one process) two instances share it. Each must take its own jobs only.
 */
for (const kind of testDbKinds()) {
  describe(`jobs across two instances [${kind}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    const instances: Jobs[] = [];

    const Item = Type.Object({ n: Type.Integer({ minimum: 0 }) });
    const Tick = Type.Object({});

    beforeAll(async () => {
      ({ db, drop } = await createTestDb(kind));
      await db.exec(`CREATE TABLE jobs_test_done (n int NOT NULL, instance text NOT NULL, job text NOT NULL);
        CREATE TABLE jobs_test_ticks (instance text NOT NULL, job text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
      for (const instance of ['A', 'B']) {
        const jobs = createJobs(db, {
          concurrency: 8,
          pollingIntervalSeconds: 0.5,
          cronMonitorIntervalSeconds: 1,
          cronWorkerIntervalSeconds: 1,
        });
        // Deliberately a plain INSERT (not idempotent): a job run twice shows up as two rows.
        jobs.register({
          name: 'test.item',
          schema: Item,
          handler: async (p, job) => {
            await db.query('INSERT INTO jobs_test_done (n, instance, job) VALUES ($1, $2, $3)', [
              p.n,
              instance,
              job.id,
            ]);
          },
        });
        jobs.register({
          name: 'test.tick',
          schema: Tick,
          handler: async (_p, job) => {
            await db.query('INSERT INTO jobs_test_ticks (instance, job) VALUES ($1, $2)', [instance, job.id]);
          },
        });
        await jobs.start();
        instances.push(jobs);
      }
    });

    afterAll(async () => {
      for (const j of instances) await j.stop();
      await drop?.();
    });

    it('runs 1,000 jobs, each exactly once, shared between the instances', async () => {
      const ids: string[] = [];
      for (let n = 0; n < 1000; n++) {
        const id = await instances[n % 2]!.send('test.item', { n });
        ids.push(id!);
      }
      expect(new Set(ids).size).toBe(1000);
      const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs_test_done'))[0]!.n;
      await until(async () => (await count()) >= 1000, '1,000 jobs to run', 120_000);
      await until(
        async () =>
          (await db.query(`SELECT 1 FROM pgboss.job WHERE name = 'test.item' AND state <> 'completed' LIMIT 1`))
            .length === 0,
        'every job to be marked completed',
      );
      const [summary] = await db.query<{
        rows: number;
        distinct_n: number;
        distinct_jobs: number;
        min: number;
        max: number;
      }>(
        `SELECT count(*)::int AS rows, count(DISTINCT n)::int AS distinct_n, count(DISTINCT job)::int AS distinct_jobs,
           min(n) AS min, max(n) AS max FROM jobs_test_done`,
      );
      expect(summary).toEqual({ rows: 1000, distinct_n: 1000, distinct_jobs: 1000, min: 0, max: 999 });
      const byInstance = await db.query<{ instance: string; n: number }>(
        'SELECT instance, count(*)::int AS n FROM jobs_test_done GROUP BY instance ORDER BY instance',
      );
      expect(byInstance.map((r) => r.instance)).toEqual(['A', 'B']);
      expect(byInstance.every((r) => r.n > 0)).toBe(true);
      const [completed] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'test.item' AND state = 'completed'`,
      );
      expect(completed!.n).toBe(1000);
    });
  });
}
