import { expect, it } from 'vitest';
import { loadDemoAssessment } from '../../demo/demo-assessment.js';
import { gridsOf, putMetric } from '../../test/assessment-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';

describeEachDb('assessment demo', (env: TestEnv) => {
  it('creates three schemes, scores them, proposes for last quarter, and runs once', async () => {
    const today = '2026-12-07';
    const [grid] = await gridsOf(env.db, env.ids.community!);
    const full: [string, number, number | null][] = [
      ['cases_on_time_rate', 10, 10],
      ['cases_satisfaction', 49, 10],
      ['visits_on_time_rate', 20, 20],
      ['data_freshness', 95, 100],
      ['activities_held', 8, null],
      ['volunteer_hours', 120, null],
    ];
    for (const [metric, num, den] of full) {
      await putMetric(env.db, {
        periodKind: 'quarter',
        periodStart: '2026-07-01',
        kind: 'node',
        id: grid!,
        metric,
        num,
        den,
      });
    }
    const r = await loadDemoAssessment(env.db, today);
    expect(r).not.toBeNull();
    expect(r!.schemes).toBe(3);
    expect(r!.scores).toBeGreaterThan(0);
    const schemes = await env.db.query<{ name: string; subject: string; period_kind: string; honour: string | null }>(
      'SELECT name, subject, period_kind, honour FROM assessment_schemes ORDER BY id',
    );
    expect(schemes).toEqual([
      { name: '网格月度考核', subject: 'grid', period_kind: 'month', honour: null },
      { name: '网格员季度考核', subject: 'worker', period_kind: 'quarter', honour: 'excellent_worker' },
      { name: '红旗网格评选', subject: 'grid', period_kind: 'quarter', honour: 'red_flag_grid' },
    ]);
    const sel = await env.db.query<{ subject_id: number; status: string; score: string }>(
      `SELECT subject_id, status, score::text AS score FROM assessment_selections WHERE period_start = '2026-07-01'`,
    );
    expect(sel).toEqual([{ subject_id: grid, status: 'proposed', score: '100.00' }]);
    expect(r!.proposals).toBe(1);
    const periods = await env.db.query<{ p: string }>(
      `SELECT DISTINCT to_char(period_start, 'YYYY-MM-DD') AS p FROM assessment_scores ORDER BY 1`,
    );
    expect(periods.map((x) => x.p)).toEqual(['2026-07-01', '2026-10-01', '2026-11-01', '2026-12-01']);
    expect(await loadDemoAssessment(env.db, today)).toBeNull();
  });
});
