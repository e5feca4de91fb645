import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds } from '../../test/test-db.js';
import { until } from '../../test/until.js';
import type { Db } from '../db/client.js';
import { createJobs, JobPayloadError, type Jobs } from './index.js';
import { findJob } from './jobs.repo.js';

const Payload = Type.Object({ key: Type.String({ minLength: 1 }), n: Type.Optional(Type.Integer()) });

for (const kind of testDbKinds()) {
  describe(`jobs [${kind}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let jobs: Jobs;
    const failures: string[] = [];

    beforeAll(async () => {
      ({ db, drop } = await createTestDb(kind));
      await db.exec(`CREATE TABLE jobs_test_runs (job text NOT NULL, key text NOT NULL, at timestamptz DEFAULT now());
        CREATE TABLE jobs_test_effects (key text PRIMARY KEY)`);
      jobs = createJobs(db, { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
      jobs.register({
        name: 'test.record',
        schema: Payload,
        handler: async (p, job) => {
          await db.query('INSERT INTO jobs_test_runs (job, key) VALUES ($1, $2)', [job.id, p.key]);
        },
      });
      jobs.register({
        name: 'test.flaky',
        schema: Payload,
        retryLimit: 2,
        retryDelaySeconds: 1,
        retryBackoff: false,
        handler: async (p, job) => {
          await db.query('INSERT INTO jobs_test_runs (job, key) VALUES ($1, $2)', [job.id, p.key]);
          failures.push(`${p.key}:${job.retryCount}`);
          throw new Error(`no luck for ${p.key} on attempt ${job.retryCount + 1}`);
        },
      });
      jobs.register({
        name: 'test.gate',
        schema: Payload,
        handler: async (p, job) => {
          await db.query('INSERT INTO jobs_test_runs (job, key) VALUES ($1, $2)', [job.id, p.key]);
          // Holds the job active until the test opens the gate.
          await until(
            async () =>
              (await db.query('SELECT 1 FROM jobs_test_effects WHERE key = $1', [`open:${p.key}`])).length > 0,
            'the gate',
          );
        },
      });
      await jobs.start();
    });

    afterAll(async () => {
      await jobs?.stop();
      await drop?.();
    });

    const runs = async (key: string) =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs_test_runs WHERE key = $1', [key]))[0]!.n;

    it('runs a job sent now, with its payload', async () => {
      const id = await jobs.send('test.record', { key: 'now-1' });
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      await until(async () => (await runs('now-1')) === 1, 'the job to run');
      await until(async () => (await findJob(db, id!))?.state === 'completed', 'completion');
      const rows = await db.query<{ job: string }>('SELECT job FROM jobs_test_runs WHERE key = $1', ['now-1']);
      expect(rows).toEqual([{ job: id }]);
    });

    it('refuses a payload that does not match the schema, and an undeclared name', async () => {
      await expect(jobs.send('test.record', { key: '' })).rejects.toBeInstanceOf(JobPayloadError);
      await expect(jobs.send('test.record', { key: 'x', extra: { n: 'no' }, n: 1.5 })).rejects.toThrow(/\/n/);
      await expect(jobs.send('test.nothing', { key: 'x' })).rejects.toThrow(/No job named test.nothing/);
      await expect(jobs.schedule('test.record', '* * * * *', { key: 7 })).rejects.toBeInstanceOf(JobPayloadError);
      // The positive control beside them: the same call with a good payload queues a job.
      expect(await jobs.send('test.record', { key: 'good', n: 2 })).not.toBeNull();
    });

    it('a payload that no longer fits when the job runs fails at once, without retries', async () => {
      // Written past `send` (as an older build's payload would be): the run checks it again.
      const [row] = await db.query<{ id: string }>(
        `INSERT INTO pgboss.job (name, data, retry_limit) VALUES ('test.record', '{"key": 5}', 3) RETURNING id`,
      );
      await until(async () => (await findJob(db, row!.id))?.state === 'failed', 'the job to fail');
      const job = await findJob(db, row!.id);
      expect(job?.retry_count).toBe(0);
      expect((job!.output as { message: string }).message).toMatch(/does not match its schema: \/key/);
    });

    it('starts a job sent for later only after its time', async () => {
      const at = new Date(Date.now() + 2000);
      const id = await jobs.send('test.record', { key: 'later-1' }, { startAfter: at });
      const queued = await findJob(db, id!);
      expect(queued?.state).toBe('created');
      expect(Math.abs(queued!.start_after.getTime() - at.getTime())).toBeLessThan(1000);
      await until(async () => (await runs('later-1')) === 1, 'the later job to run');
      const [ran] = await db.query<{ at: Date }>('SELECT at FROM jobs_test_runs WHERE key = $1', ['later-1']);
      expect(ran!.at.getTime()).toBeGreaterThanOrEqual(queued!.start_after.getTime());
      // Seconds from now work too.
      const inSeconds = await jobs.send('test.record', { key: 'later-2' }, { startAfter: 60 });
      const j2 = await findJob(db, inSeconds!);
      expect(j2!.start_after.getTime() - j2!.created_on.getTime()).toBeGreaterThan(55_000);
    });

    it('queues a singleton key once while its job is queued or running, and again after it finished', async () => {
      const first = await jobs.send('test.gate', { key: 's1' }, { singletonKey: 'case:42:stage:3' });
      expect(first).not.toBeNull();
      expect(await jobs.send('test.gate', { key: 's1' }, { singletonKey: 'case:42:stage:3' })).toBeNull();
      await until(async () => (await findJob(db, first!))?.state === 'active', 'the job to start');
      expect(await jobs.send('test.gate', { key: 's1' }, { singletonKey: 'case:42:stage:3' })).toBeNull();
      // Another key is independent.
      const other = await jobs.send('test.gate', { key: 's2' }, { singletonKey: 'case:42:stage:4' });
      expect(other).not.toBeNull();
      await db.query(`INSERT INTO jobs_test_effects VALUES ('open:s1'), ('open:s2')`);
      await until(async () => (await findJob(db, first!))?.state === 'completed', 'the job to finish');
      expect(await runs('s1')).toBe(1);
      const again = await jobs.send('test.gate', { key: 's1' }, { singletonKey: 'case:42:stage:3' });
      expect(again).not.toBeNull();
      expect(again).not.toBe(first);
    });

    it('retries a failing job, then keeps it failed with its error', async () => {
      const id = await jobs.send('test.flaky', { key: 'flaky-1' });
      await until(async () => (await findJob(db, id!))?.state === 'failed', 'the job to fail for good', 60_000);
      const job = await findJob(db, id!);
      expect(await runs('flaky-1')).toBe(3);
      expect(failures.filter((f) => f.startsWith('flaky-1:'))).toEqual(['flaky-1:0', 'flaky-1:1', 'flaky-1:2']);
      expect(job!.retry_count).toBe(2);
      expect(job!.output).toMatchObject({ name: 'Error', message: 'no luck for flaky-1 on attempt 3' });
    });

    it('sends inside a transaction only when it commits', async () => {
      await expect(
        db.transaction(async (tx) => {
          await jobs.send('test.record', { key: 'tx-rolled-back' }, { tx });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      const id = await db.transaction((tx) => jobs.send('test.record', { key: 'tx-committed' }, { tx }));
      await until(async () => (await runs('tx-committed')) === 1, 'the committed job');
      expect(await findJob(db, id!)).not.toBeNull();
      expect(await runs('tx-rolled-back')).toBe(0);
      expect((await db.query(`SELECT 1 FROM pgboss.job WHERE data->>'key' = 'tx-rolled-back'`)).length).toBe(0);
    });

    it('stops gracefully: a running job finishes, one still running at the timeout goes back to the queue', async () => {
      const other = createJobs(db, { pollingIntervalSeconds: 0.5, stopTimeoutMs: 1000 });
      other.register({
        name: 'test.slow',
        schema: Payload,
        handler: async (p, job) => {
          await db.query('INSERT INTO jobs_test_runs (job, key) VALUES ($1, $2)', [job.id, p.key]);
          if (p.key === 'slow-quick') {
            await until(async () => stopping, 'stop to begin');
            return;
          }
          await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve()));
          await db.query('INSERT INTO jobs_test_runs (job, key) VALUES ($1, $2)', [job.id, 'slow-aborted']);
        },
      });
      let stopping = false;
      await other.start();
      const quick = await other.send('test.slow', { key: 'slow-quick' });
      const stuck = await other.send('test.slow', { key: 'slow-stuck' });
      await until(async () => (await runs('slow-quick')) === 1 && (await runs('slow-stuck')) === 1, 'both to start');
      stopping = true;
      await other.stop();
      expect((await findJob(db, quick!))?.state).toBe('completed');
      const back = await findJob(db, stuck!);
      expect(back).toMatchObject({ state: 'created', started_on: null, retry_count: 0 });
      await until(async () => (await runs('slow-aborted')) === 1, "the stuck handler's signal");
      // Another server picks it up.
      const next = createJobs(db, { pollingIntervalSeconds: 0.5 });
      next.register({
        name: 'test.slow',
        schema: Payload,
        handler: async (p, job) => {
          await db.query('INSERT INTO jobs_test_runs (job, key) VALUES ($1, $2)', [job.id, `${p.key}-again`]);
        },
      });
      await next.start();
      try {
        await until(async () => (await findJob(db, stuck!))?.state === 'completed', 'the returned job to run');
      } finally {
        await next.stop();
      }
      expect(await runs('slow-stuck-again')).toBe(1);
    });
  });
}
