import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { creditEndedActivities } from './activities.service.js';

export const CREDIT_JOB = 'volunteers.credit';

/** volunteers.credit: every 10 minutes, credits activities that have ended (idempotent: the ledger keys). */
export async function registerActivityJobs(jobs: Jobs, db: Db, log: FastifyBaseLogger): Promise<void> {
  jobs.register({
    name: CREDIT_JOB,
    schema: Type.Object({}),
    retryLimit: 1,
    expireInSeconds: 600,
    concurrency: 1,
    handler: async () => {
      const r = await creditEndedActivities(db);
      if (r.activities > 0) log.info(r, 'activities credited');
    },
  });
  await jobs.schedule(CREDIT_JOB, '*/10 * * * *');
}
