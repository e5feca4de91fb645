import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadDemoAccounts, loadDemoRegion } from '../../demo/demo-region.js';
import type { Db } from '../../platform/db/client.js';
import { createJobs, type Jobs } from '../../platform/jobs/index.js';
import { createPiiCipher } from '../../platform/pii/index.js';
import { caseMarks, inboxOf, insertSlaCase, slaEvents } from '../../test/cases-sla-fixtures.js';
import { createTestDb, testDbKinds } from '../../test/test-db.js';
import { until } from '../../test/until.js';
import { seedReferenceData } from '../index.js';
import { armSla, OVERDUE, registerSlaJobs, SLA_JOB, SLA_SWEEP_JOB, sweepSla } from './cases.sla.js';

/**
 * Two app instances on one database, each with its own jobs: an overdue case is escalated (marked red, its
 * handler and the community told) exactly once, however many jobs and sweeps both instances run for it.
 */
for (const kind of testDbKinds()) {
  describe(`cases SLA across two instances [${kind}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    const instances: { app: FastifyInstance; jobs: Jobs; dir: string }[] = [];
    const pii = createPiiCipher(randomBytes(32));
    let grid = 0;

    beforeAll(async () => {
      ({ db, drop } = await createTestDb(kind));
      await seedReferenceData(db);
      grid = (await loadDemoRegion(db)).ids.grid!;
      await loadDemoAccounts(db, pii);
      for (let i = 0; i < 2; i++) {
        const jobs = createJobs(db, { pollingIntervalSeconds: 0.5, cron: false, stopTimeoutMs: 2000, concurrency: 4 });
        const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'linli-sla-'));
        const app = await buildApp({ db, pii, broker: null, jobs, files: { dir } });
        // The core's routes plugin declares the SLA jobs; until it is part of the app, declare them here.
        if (!jobs.names().includes(SLA_JOB)) await registerSlaJobs(jobs, { db });
        await app.ready();
        await jobs.start();
        instances.push({ app, jobs, dir });
      }
    });

    afterAll(async () => {
      for (const i of instances) {
        await i.app.close();
        await i.jobs.stop();
        await fs.promises.rm(i.dir, { recursive: true, force: true });
      }
      await drop?.();
    });

    it('declares the SLA job and its five-minute sweep on each instance', async () => {
      for (const i of instances) expect(i.jobs.names()).toEqual(expect.arrayContaining([SLA_JOB, SLA_SWEEP_JOB]));
      const rows = await db.query<{ cron: string }>(`SELECT cron FROM pgboss.schedule WHERE name = $1`, [
        SLA_SWEEP_JOB,
      ]);
      expect(rows).toEqual([{ cron: '*/5 * * * *' }]);
    });

    it('escalates an overdue case once although both instances run its jobs and sweeps', async () => {
      const now = Date.now();
      const due = new Date(now - 60_000);
      const id = await insertSlaCase(db, {
        nodeId: grid,
        stage: 'handling',
        handlerUsername: 'wangge',
        dispatchedAt: new Date(now - 3_600_000),
        acceptedAt: new Date(now - 3_000_000),
        responseDueAt: new Date(now - 3_000_000),
        handleDueAt: due,
      });
      const shequBefore = (await inboxOf(db, 'shequ', OVERDUE)).length;
      const [a, b] = [instances[0]!, instances[1]!];
      // Both arm the case (the singleton key lets one job through), then each also queues the same step without
      // a key, so both instances run handlers for it at about the same time, while both sweep.
      await db.transaction((tx) => armSla(tx, a.jobs, id));
      await db.transaction((tx) => armSla(tx, b.jobs, id));
      const payload = { caseId: id, step: 'handle', due: due.toISOString() };
      for (let n = 0; n < 3; n++) {
        await a.jobs.send(SLA_JOB, payload);
        await b.jobs.send(SLA_JOB, payload);
      }
      const sweeps = await Promise.all([sweepSla(db), sweepSla(db)]);
      await until(
        async () =>
          (
            await db.query(
              `SELECT 1 FROM pgboss.job WHERE name = $1 AND data->>'caseId' = $2 AND state <> 'completed' LIMIT 1`,
              [SLA_JOB, String(id)],
            )
          ).length === 0,
        'every SLA job of the case to complete',
      );
      const ran = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'caseId' = $2 AND data->>'step' = 'handle'`,
        [SLA_JOB, String(id)],
      );
      expect(ran[0]!.n).toBe(7);
      expect(sweeps.reduce((s, n) => s + n, 0)).toBeLessThanOrEqual(1);
      const marks = (await slaEvents(db, id)).filter((e) => e.data.step === 'handle');
      expect(marks).toHaveLength(1);
      expect(marks[0]).toMatchObject({ action: 'supervise', note: '处置超时，红色督办' });
      expect(await caseMarks(db, id)).toMatchObject({ supervision: 2, overdue: true });
      const told = (await inboxOf(db, 'shequ', OVERDUE)).slice(shequBefore);
      expect(told.filter((m) => m.link_id === id)).toHaveLength(1);
      expect((await inboxOf(db, 'wangge', OVERDUE)).filter((m) => m.link_id === id)).toHaveLength(1);
    });

    it('runs an armed job when its deadline comes, on whichever instance fetches it', async () => {
      const now = Date.now();
      const due = new Date(now + 2_000);
      const id = await insertSlaCase(db, {
        nodeId: grid,
        stage: 'dispatched',
        dispatchedAt: new Date(now - 3_600_000),
        responseDueAt: due,
        handleDueAt: new Date(now + 86_400_000),
      });
      await db.transaction((tx) => armSla(tx, instances[1]!.jobs, id));
      const queued = await db.query<{ step: string }>(
        `SELECT data->>'step' AS step FROM pgboss.job WHERE name = $1 AND data->>'caseId' = $2 ORDER BY 1`,
        [SLA_JOB, String(id)],
      );
      expect(queued.map((q) => q.step)).toEqual(['handle', 'remind', 'response']);
      expect((await slaEvents(db, id)).length).toBe(0);
      await until(async () => (await caseMarks(db, id)).supervision === 1, 'the response deadline to be marked');
      expect((await slaEvents(db, id)).map((e) => e.data.step)).toEqual(['response']);
      expect(Date.now()).toBeGreaterThanOrEqual(due.getTime());
    });
  });
}
