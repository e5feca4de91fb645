import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { runEarners } from './earners.service.js';

export const EARN_JOB = 'points.earn';

/** points.earn: the automatic earners every 5 minutes (idempotent; a slot replaced by the next one, not retried). */
export async function registerEarningJobs(jobs: Jobs, db: Db, log: FastifyBaseLogger): Promise<void> {
  jobs.register({
    name: EARN_JOB,
    schema: Type.Object({}),
    retryLimit: 0,
    expireInSeconds: 600,
    concurrency: 1,
    handler: async () => {
      const r = await runEarners(db);
      if (r.cases + r.visits > 0) log.info(r, 'points earned automatically');
    },
  });
  await jobs.schedule(EARN_JOB, '*/5 * * * *');
}
