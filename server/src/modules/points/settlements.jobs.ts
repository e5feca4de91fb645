import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { settleAll } from './settlements.service.js';

export const SETTLE_JOB = 'points.settle';

/** points.settle: the 1st of every month at 02:00 Asia/Shanghai, the month before (idempotent per merchant). */
export async function registerSettlementJobs(jobs: Jobs, deps: { db: Db }, log: FastifyBaseLogger): Promise<void> {
  jobs.register({
    name: SETTLE_JOB,
    schema: Type.Object({}),
    retryLimit: 2,
    expireInSeconds: 1800,
    concurrency: 1,
    handler: async () => {
      const r = await settleAll(deps);
      if (r.failed.length > 0) log.warn(r, 'merchant settlements: some failed');
      else log.info(r, 'merchant settlements');
    },
  });
  await jobs.schedule(SETTLE_JOB, '0 2 1 * *');
}
