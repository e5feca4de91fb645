import type { Db } from '../../platform/db/client.js';
import { periodStartOf, shanghaiDay, shiftPeriod } from './metrics.logic.js';
import { refreshMetrics } from './metrics.service.js';

/**
 * Demo: at the first start (no refresh recorded yet), the figures of the last 3 months, the current month and the
 * current quarter, so that the metrics page and the rankings have something to show before the nightly job runs.
 * @returns the periods computed (null when already done)
 */
export async function loadDemoMetrics(db: Db, now = new Date()): Promise<{ periods: number; rows: number } | null> {
  const done = await db.query('SELECT 1 FROM metric_refreshes LIMIT 1');
  if (done.length > 0) return null;
  const today = shanghaiDay(now);
  const month = periodStartOf('month', today);
  const periods = [
    ...[-3, -2, -1, 0].map((n) => ({ periodKind: 'month' as const, periodStart: shiftPeriod('month', month, n) })),
    { periodKind: 'quarter' as const, periodStart: periodStartOf('quarter', today) },
  ];
  let rows = 0;
  for (const p of periods) rows += (await refreshMetrics(db, p)).rows;
  return { periods: periods.length, rows };
}
