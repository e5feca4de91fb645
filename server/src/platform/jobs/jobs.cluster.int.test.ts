import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHARGE_TABLES, chargeJob } from '../../test/jobs-charge.js';
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
        CREATE TABLE jobs_test_ticks (instance text NOT NULL, job text NOT NULL, at timestamptz NOT NULL DEFAULT now());
        ${CHARGE_TABLES}`);
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

    it('fires a per-minute cron schedule once per slot across both instances', async () => {
      await instances[0]!.schedule('test.tick', '* * * * *');
      await instances[1]!.schedule('test.tick', '* * * * *');
      const [{ n: schedules } = { n: 0 }] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.schedule WHERE name = 'test.tick' AND timezone = 'Asia/Shanghai'`,
      );
      expect(schedules).toBe(1);
      const ticks = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs_test_ticks'))[0]!.n;
      await until(async () => (await ticks()) >= 1, 'the first slot to fire');
      // Both instances check the schedules every second; let several more checks pass (each one moves pg-boss's
      // cron_on), all of them seeing the same slot due, before counting.
      const cronOn = async () => (await db.query<{ t: string }>('SELECT cron_on::text AS t FROM pgboss.version'))[0]!.t;
      for (let i = 0; i < 4; i++) {
        const before = await cronOn();
        await until(async () => (await cronOn()) !== before, 'another cron check');
      }
      await until(
        async () =>
          (await db.query(`SELECT 1 FROM pgboss.job WHERE name = 'test.tick' AND state <> 'completed'`)).length === 0,
        'queued ticks to run',
      );
      // A slot is one minute (pg-boss queues a due schedule under a per-minute throttle key): count the slots that
      // were queued, and the runs.
      const [slots] = await db.query<{ n: number }>(
        `SELECT count(DISTINCT singleton_on)::int AS n FROM pgboss.job
         WHERE name = '__pgboss__send-it' AND singleton_key = 'test.tick'`,
      );
      const runs = await db.query<{ job: string }>('SELECT job FROM jobs_test_ticks');
      const jobsQueued = await db.query<{ id: string }>(`SELECT id FROM pgboss.job WHERE name = 'test.tick'`);
      expect(slots!.n).toBeGreaterThanOrEqual(1);
      expect(runs.length).toBe(slots!.n);
      expect(jobsQueued.length).toBe(slots!.n);
      expect(new Set(runs.map((r) => r.job))).toEqual(new Set(jobsQueued.map((j) => j.id)));
    });

    if (kind === 'postgres') {
      it('runs again after its expiry the job of a server killed with SIGKILL, its effect once', async () => {
        const worker = fileURLToPath(new URL('../../test/jobs-kill-worker.ts', import.meta.url));
        const child = spawn(process.execPath, ['--import', 'tsx', worker], {
          cwd: path.resolve(path.dirname(worker), '../../..'),
          env: { ...process.env, JOBS_TEST_DB_URL: db.connectionString! },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
        });
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          child.on('exit', (_code, signal) => resolve(signal)),
        );
        try {
          // The worker charged order 42 and is stuck before marking the job done.
          await until(
            async () => (await db.query('SELECT 1 FROM jobs_test_charges WHERE order_id = 42')).length === 1,
            `the worker's first attempt (${stderr})`,
            60_000,
          );
        } finally {
          child.kill('SIGKILL');
        }
        expect(await exited).toBe('SIGKILL');
        const [first] = await db.query<{ id: string; state: string }>(
          `SELECT id, state::text AS state FROM pgboss.job WHERE name = 'test.charge'`,
        );
        expect(first!.state).toBe('active');

        // Another server with the same handler: maintenance finds the job expired, it goes back to the queue and runs.
        const rescuer = createJobs(db, { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
        rescuer.register(chargeJob(db, { dieAfterEffect: false }));
        await rescuer.start();
        try {
          await until(
            async () =>
              (await db.query(`SELECT 1 FROM pgboss.job WHERE id = $1 AND state = 'completed'`, [first!.id])).length ===
              1,
            'the job to run again and complete',
          );
        } finally {
          await rescuer.stop();
        }
        const attempts = await db.query<{ job: string; pid: number }>(
          'SELECT job, pid FROM jobs_test_attempts WHERE order_id = 42',
        );
        expect(attempts.map((a) => a.job)).toEqual([first!.id, first!.id]);
        expect(attempts[0]!.pid).toBe(child.pid);
        expect(attempts[1]!.pid).toBe(process.pid);
        expect(await db.query('SELECT order_id, amount, job FROM jobs_test_charges')).toEqual([
          { order_id: 42, amount: 1999, job: first!.id },
        ]);
        const [done] = await db.query<{ retry_count: number }>('SELECT retry_count FROM pgboss.job WHERE id = $1', [
          first!.id,
        ]);
        expect(done!.retry_count).toBe(1);
      });
    }
  });
}
