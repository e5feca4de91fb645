import type { FastifyBaseLogger } from 'fastify';
import { Type } from 'typebox';
import { systemCtx } from '../../platform/access/context.js';
import type { Db } from '../../platform/db/client.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { isPeriodStart, type PeriodKind, periodStartOf, shanghaiToday, shiftPeriod } from './assessment.logic.js';
import * as repo from './assessment.repo.js';
import { propose } from './assessment.service.js';
import { computeScores } from './scores.service.js';

export const SCORE_JOB = 'assessment.score';

const Payload = Type.Object(
  {
    periodKind: Type.Optional(Type.Enum(['week', 'month', 'quarter'])),
    periodStart: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);

/**
 * Scores every active scheme of a period kind for one period (`periodStart`), or, without it, for the current and
 * the previous period (Asia/Shanghai); without `periodKind`, every kind. On a quarter's first day (nightly run) the
 * honour schemes propose for the quarter just ended. Returns the subjects scored.
 */
export async function runScoring(
  db: Db,
  p: { periodKind?: PeriodKind; periodStart?: string },
  today = shanghaiToday(),
): Promise<number> {
  let subjects = 0;
  const kinds: PeriodKind[] = p.periodKind ? [p.periodKind] : ['week', 'month', 'quarter'];
  for (const kind of kinds) {
    const current = periodStartOf(kind, today);
    const periods = p.periodStart ? [p.periodStart] : [current, shiftPeriod(kind, current, 1)];
    for (const scheme of await repo.listSchemeRows(db, { active: true, periodKind: kind })) {
      for (const periodStart of periods) {
        if (!isPeriodStart(kind, periodStart)) continue;
        subjects += (await computeScores(db, { schemeId: scheme.id, periodStart })).subjects;
      }
      if (!p.periodStart && kind === 'quarter' && scheme.honour && isPeriodStart('quarter', today)) {
        await propose(db, systemCtx('assessment.score'), {
          schemeId: scheme.id,
          periodStart: shiftPeriod('quarter', today, 1),
        });
      }
    }
  }
  return subjects;
}

/** assessment.score: nightly at 03:30 Asia/Shanghai (after metrics.refresh); metrics may also send it. */
export async function registerAssessmentJobs(jobs: Jobs, db: Db, log: FastifyBaseLogger): Promise<void> {
  jobs.register({
    name: SCORE_JOB,
    schema: Payload,
    retryLimit: 2,
    expireInSeconds: 1800,
    concurrency: 1,
    handler: async (payload) => {
      const subjects = await runScoring(db, payload as { periodKind?: PeriodKind; periodStart?: string });
      log.info({ ...payload, subjects }, 'assessment scores computed');
    },
  });
  await jobs.schedule(SCORE_JOB, '30 3 * * *', {});
}
