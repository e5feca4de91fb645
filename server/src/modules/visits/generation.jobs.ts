import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { generateVisitTasks } from './generation.service.js';

export const GENERATE_JOB = 'visits.generate';
export const EVENTS_JOB = 'visits.events';

/**
 * visits.generate: every rule, daily at 00:20 Asia/Shanghai (the new day's periods) — main.ts also runs it once at
 * start; visits.events: event rules every 5 minutes, and withdrawals (joins driven from what changed); reassignment
 * of older open tasks is left to the daily run. Both idempotent (the tasks' unique key), a
 * slot replaced by the next one rather than retried behind it.
 */
export async function registerVisitJobs(jobs: Jobs, db: Db, log: FastifyBaseLogger): Promise<void> {
  jobs.register({
    name: GENERATE_JOB,
    schema: Type.Object({}),
    retryLimit: 2,
    expireInSeconds: 900,
    concurrency: 1,
    handler: async () => {
      const r = await generateVisitTasks(db);
      log.info(r, 'visit tasks generated');
    },
  });
  jobs.register({
    name: EVENTS_JOB,
    schema: Type.Object({}),
    retryLimit: 0,
    expireInSeconds: 600,
    concurrency: 1,
    handler: async () => {
      const r = await generateVisitTasks(db, { only: 'event' });
      if (r.created + r.withdrawn + r.reassigned > 0) log.info(r, 'visit tasks from events');
    },
  });
  await jobs.schedule(GENERATE_JOB, '20 0 * * *');
  await jobs.schedule(EVENTS_JOB, '*/5 * * * *');
}
