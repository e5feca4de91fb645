import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../../platform/db/client.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { nightlyPeriods, shanghaiDay } from './metrics.logic.js';
import { PeriodKindSchema } from './metrics.schemas.js';
import { REFRESH_JOB, refreshAndScore } from './metrics.service.js';

/**
 * metrics.refresh: with { periodKind, periodStart }, one period (sent by POST /api/metrics/refresh); without, the
 * nightly run (03:00 Asia/Shanghai): the current and previous week, month and quarter. Idempotent (each period's
 * rows are replaced in one transaction). After each period, assessment.score is sent when declared.
 */
export async function registerMetricsJobs(jobs: Jobs, db: Db, log: FastifyBaseLogger): Promise<void> {
  jobs.register({
    name: REFRESH_JOB,
    schema: Type.Object(
      { periodKind: Type.Optional(PeriodKindSchema), periodStart: Type.Optional(Type.String({ format: 'date' })) },
      { additionalProperties: false },
    ),
    retryLimit: 2,
    expireInSeconds: 1800,
    concurrency: 1,
    handler: async (payload) => {
      const periods =
        payload.periodKind && payload.periodStart
          ? [{ periodKind: payload.periodKind, periodStart: payload.periodStart }]
          : nightlyPeriods(shanghaiDay(new Date()));
      for (const p of periods) {
        const r = await refreshAndScore(db, jobs, p);
        log.info({ ...p, ...r }, 'metrics refreshed');
      }
    },
  });
  await jobs.schedule(REFRESH_JOB, '0 3 * * *');
}
