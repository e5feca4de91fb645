import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { expirePoints } from './expiry.service.js';

export const EXPIRE_JOB = 'points.expire';

/** points.expire: daily at 01:10 Asia/Shanghai; idempotent (a key per account and earning year). */
export async function registerExpiryJob(jobs: Jobs, db: Db, log: FastifyBaseLogger): Promise<void> {
  jobs.register({
    name: EXPIRE_JOB,
    schema: Type.Object({}),
    retryLimit: 2,
    expireInSeconds: 1800,
    concurrency: 1,
    handler: async () => {
      const r = await expirePoints(db);
      if (r.transfers > 0) log.info(r, 'points expired');
    },
  });
  await jobs.schedule(EXPIRE_JOB, '10 1 * * *');
}
