/**
 * Demo assessment (考核排名): three schemes — 网格月度考核 (grids, monthly), 网格员季度考核 (grid workers, quarterly,
 * honour 优秀网格员), 红旗网格评选 (grids, quarterly, honour 红旗网格) — scored over the metric values the metrics demo
 * wrote (it runs before this one) for the current and previous month and quarter, and one proposal round for the
 * last quarter. Once (system_settings); scoring later is the nightly job's.
 */

import { periodStartOf, shanghaiToday, shiftPeriod } from '../modules/assessment/assessment.logic.js';
import type { SchemeCreate } from '../modules/assessment/assessment.schemas.js';
import { createScheme, propose } from '../modules/assessment/assessment.service.js';
import { computeScores } from '../modules/assessment/scores.service.js';
import { systemCtx } from '../platform/access/context.js';
import type { Db } from '../platform/db/client.js';

const SETTING = 'demo_assessment';

const SCHEMES: SchemeCreate[] = [
  {
    name: '网格月度考核',
    subject: 'grid',
    periodKind: 'month',
    adjustmentCap: 10,
    items: [
      { metric: 'cases_on_time_rate', weight: 30, fullAt: 0.95, zeroAt: 0.6 },
      { metric: 'cases_overdue', weight: 15, fullAt: 0, zeroAt: 10 },
      { metric: 'visits_on_time_rate', weight: 25, fullAt: 0.95, zeroAt: 0.5 },
      { metric: 'household_coverage', weight: 15, fullAt: 0.9, zeroAt: 0.3 },
      { metric: 'data_freshness', weight: 15, fullAt: 0.9, zeroAt: 0.4 },
    ],
  },
  {
    name: '网格员季度考核',
    subject: 'worker',
    periodKind: 'quarter',
    honour: 'excellent_worker',
    honourQuota: 1,
    honourMinScore: 75,
    adjustmentCap: 10,
    items: [
      { metric: 'visits_on_time_rate', weight: 35, fullAt: 0.95, zeroAt: 0.5 },
      { metric: 'household_coverage', weight: 25, fullAt: 0.9, zeroAt: 0.3 },
      { metric: 'cases_on_time_rate', weight: 25, fullAt: 0.95, zeroAt: 0.6 },
      { metric: 'alarms_ack_rate', weight: 15, fullAt: 0.95, zeroAt: 0.5 },
    ],
  },
  {
    name: '红旗网格评选',
    subject: 'grid',
    periodKind: 'quarter',
    honour: 'red_flag_grid',
    honourQuota: 1,
    honourMinScore: 80,
    adjustmentCap: 5,
    items: [
      { metric: 'cases_on_time_rate', weight: 25, fullAt: 0.95, zeroAt: 0.6 },
      { metric: 'cases_satisfaction', weight: 20, fullAt: 4.8, zeroAt: 3 },
      { metric: 'visits_on_time_rate', weight: 20, fullAt: 0.95, zeroAt: 0.5 },
      { metric: 'data_freshness', weight: 15, fullAt: 0.9, zeroAt: 0.4 },
      { metric: 'activities_held', weight: 10, fullAt: 6, zeroAt: 0 },
      { metric: 'volunteer_hours', weight: 10, fullAt: 100, zeroAt: 0 },
    ],
  },
];

export async function loadDemoAssessment(
  db: Db,
  today = shanghaiToday(),
): Promise<{ schemes: number; scores: number; proposals: number } | null> {
  if ((await db.query('SELECT 1 FROM system_settings WHERE key = $1', [SETTING])).length > 0) return null;
  const ctx = systemCtx('demo');
  let scores = 0;
  let proposals = 0;
  for (const body of SCHEMES) {
    const s = await createScheme(db, ctx, body);
    const current = periodStartOf(s.periodKind, today);
    for (const periodStart of [shiftPeriod(s.periodKind, current, 1), current]) {
      scores += (await computeScores(db, { schemeId: s.id, periodStart })).subjects;
    }
    if (s.honour) {
      proposals += (await propose(db, ctx, { schemeId: s.id, periodStart: shiftPeriod('quarter', current, 1) }))
        .proposed;
    }
  }
  await db.query('INSERT INTO system_settings (key, value) VALUES ($1, $2)', [SETTING, JSON.stringify({ today })]);
  return { schemes: SCHEMES.length, scores, proposals };
}
