import { beforeAll, expect, it } from 'vitest';
import { gridsOf, insertScheme, putMetric } from '../../test/assessment-factories.js';
import { describeEachDb, type TestEnv } from '../../test/test-app.js';
import { until } from '../../test/until.js';
import { computeScores } from './scores.service.js';

type Score = {
  subject_id: number;
  group_node_id: number;
  items: { metric: string; value: number | null; marks: number; weight: number }[];
  base: number;
  adjustments: number;
  total: number;
  rank: number;
  group_size: number;
};

describeEachDb('assessment scores (computeScores)', (env: TestEnv) => {
  const MONTH = '2026-10-01';
  let scheme: number;
  let grids: number[];
  const scores = async (schemeId: number, period = MONTH) =>
    env.db.query<Score>(
      `SELECT subject_id, group_node_id, items, base::float8 AS base, adjustments::float8 AS adjustments,
          total::float8 AS total, rank, group_size
        FROM assessment_scores WHERE scheme_id = $1 AND period_start = $2 ORDER BY subject_id`,
      [schemeId, period],
    );

  beforeAll(async () => {
    grids = await gridsOf(env.db, env.ids.community!);
    expect(grids).toHaveLength(5);
    scheme = await insertScheme(env.db, { name: '网格月度考核', subject: 'grid', periodKind: 'month' }, [
      { metric: 'cases_on_time_rate', weight: 60, higherBetter: true, fullAt: 0.95, zeroAt: 0.5 },
      { metric: 'cases_overdue', weight: 40, higherBetter: false, fullAt: 0, zeroAt: 10 },
    ]);
    const m = (i: number, metric: string, num: number, den: number | null) =>
      putMetric(env.db, { periodKind: 'month', periodStart: MONTH, kind: 'node', id: grids[i]!, metric, num, den });
    // G1: 18/20 = 0.9 → 60 × 0.4/0.45 = 53.33; 2 overdue → 40 × 0.8 = 32 → 85.33
    await m(0, 'cases_on_time_rate', 18, 20);
    await m(0, 'cases_overdue', 2, null);
    // G2: 0.95 → 60; 6 overdue → 16 → 76
    await m(1, 'cases_on_time_rate', 19, 20);
    await m(1, 'cases_overdue', 6, null);
    // G3: 1.0 → clamped to 60; 6 overdue → 16 → 76 (tie with G2)
    await m(2, 'cases_on_time_rate', 10, 10);
    await m(2, 'cases_overdue', 6, null);
    // G4: no cases (den null): no value, 0 marks; 12 overdue → clamped to 0 → 0
    await m(3, 'cases_on_time_rate', 0, null);
    await m(3, 'cases_overdue', 12, null);
    // G5: nothing at all → 0
    // another period and kind must not be read
    await putMetric(env.db, {
      periodKind: 'week',
      periodStart: '2026-10-05',
      kind: 'node',
      id: grids[4]!,
      metric: 'cases_overdue',
      num: 0,
      den: null,
    });
  });

  it('scores grids against hand-computed marks, totals and competition ranks (1, 2, 2, 4, 4) within their community', async () => {
    const r = await computeScores(env.db, { schemeId: scheme, periodStart: MONTH });
    // every active grid of the region (each has a parent)
    const [all] = await env.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM org_nodes WHERE type = 'grid' AND status = 'active'`,
    );
    expect(r.subjects).toBe(all!.n);
    expect(r.subjects).toBeGreaterThan(5);
    const mine = (await scores(scheme)).filter((s) => grids.includes(s.subject_id));
    const by = (i: number) => mine.find((s) => s.subject_id === grids[i])!;
    expect(by(0).items).toEqual([
      { metric: 'cases_on_time_rate', value: 0.9, marks: 53.33, weight: 60 },
      { metric: 'cases_overdue', value: 2, marks: 32, weight: 40 },
    ]);
    expect([0, 1, 2, 3, 4].map((i) => by(i).total)).toEqual([85.33, 76, 76, 0, 0]);
    expect([0, 1, 2, 3, 4].map((i) => by(i).rank)).toEqual([1, 2, 2, 4, 4]);
    expect(by(3).items[0]).toEqual({ metric: 'cases_on_time_rate', value: null, marks: 0, weight: 60 });
    expect(by(2).items[0]!.marks).toBe(60);
    for (const s of mine) {
      expect(s.group_node_id).toBe(env.ids.community);
      expect(s.group_size).toBe(5);
    }
  });

  it('adds adjustments capped at ±cap, leaves withdrawn ones out, and recomputes one group under a node path', async () => {
    const [admin] = await env.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'jiedao'`);
    const [g5] = await env.db.query<{ path: string; county_id: number }>(
      'SELECT path, county_id FROM org_nodes WHERE id = $1',
      [grids[4]],
    );
    const add = (subjectId: number, points: number, withdrawn = false) =>
      env.db.query(
        `INSERT INTO assessment_adjustments (scheme_id, period_start, subject_kind, subject_id, county_id, node_path,
            points, reason, created_by, withdrawn_at)
          VALUES ($1, $2, 'node', $3, $4, $5, $6, '测试加分', $7, $8)`,
        [scheme, MONTH, subjectId, g5!.county_id, g5!.path, points, admin!.id, withdrawn ? new Date() : null],
      );
    await add(grids[4]!, 8);
    await add(grids[4]!, 7); // 15 → capped at 10
    await add(grids[1]!, -3);
    await add(grids[2]!, 50, true); // withdrawn: ignored
    const before = await scores(scheme);
    const other = before.filter((s) => !grids.includes(s.subject_id));
    const r = await computeScores(env.db, { schemeId: scheme, periodStart: MONTH, nodePath: g5!.path });
    expect(r.subjects).toBe(5);
    const after = await scores(scheme);
    const by = (i: number) => after.find((s) => s.subject_id === grids[i])!;
    expect(by(4)).toMatchObject({ base: 0, adjustments: 10, total: 10, rank: 4 });
    expect(by(1)).toMatchObject({ base: 76, adjustments: -3, total: 73, rank: 3 });
    expect(by(2)).toMatchObject({ total: 76, adjustments: 0, rank: 2 });
    expect(by(3)).toMatchObject({ total: 0, rank: 5 });
    // the other groups were left as they were
    expect(after.filter((s) => !grids.includes(s.subject_id))).toEqual(other);
  });

  it('scores grid workers within the community above their grid, and refuses a day that does not start a period', async () => {
    const worker = await insertScheme(env.db, { name: '网格员', subject: 'worker', periodKind: 'quarter' }, [
      { metric: 'visits_on_time_rate', weight: 100, higherBetter: true, fullAt: 1, zeroAt: 0 },
    ]);
    const [w] = await env.db.query<{ id: number }>(`SELECT id FROM users WHERE username = 'wangge'`);
    await putMetric(env.db, {
      periodKind: 'quarter',
      periodStart: '2026-07-01',
      kind: 'user',
      id: w!.id,
      metric: 'visits_on_time_rate',
      num: 3,
      den: 4,
    });
    const r = await computeScores(env.db, { schemeId: worker, periodStart: '2026-07-01' });
    expect(r.subjects).toBeGreaterThanOrEqual(1);
    const rows = await scores(worker, '2026-07-01');
    const mine = rows.find((s) => s.subject_id === w!.id)!;
    expect(mine).toMatchObject({ total: 75, group_node_id: env.ids.community, rank: 1 });
    await expect(computeScores(env.db, { schemeId: worker, periodStart: '2026-08-01' })).rejects.toMatchObject({
      code: 'ASSESSMENT_PERIOD_KIND',
    });
  });

  it('job assessment.score scores the active schemes of a period kind, not inactive ones', async () => {
    const active = await insertScheme(env.db, { name: '周考核', subject: 'community', periodKind: 'week' }, [
      { metric: 'cases_closed', weight: 100, higherBetter: true, fullAt: 10, zeroAt: 0 },
    ]);
    const inactive = await insertScheme(env.db, { name: '停用', subject: 'community', periodKind: 'week' }, [
      { metric: 'cases_closed', weight: 100, higherBetter: true, fullAt: 10, zeroAt: 0 },
    ]);
    await env.db.query('UPDATE assessment_schemes SET active = false WHERE id = $1', [inactive]);
    await putMetric(env.db, {
      periodKind: 'week',
      periodStart: '2026-11-30',
      kind: 'node',
      id: env.ids.community!,
      metric: 'cases_closed',
      num: 5,
      den: null,
    });
    await env.jobs.send('assessment.score', { periodKind: 'week', periodStart: '2026-11-30' });
    await until(async () => (await scores(active, '2026-11-30')).length > 0, 'weekly scores');
    const mine = (await scores(active, '2026-11-30')).find((s) => s.subject_id === env.ids.community)!;
    expect(mine).toMatchObject({ total: 50, group_node_id: env.ids.street });
    expect(await scores(inactive, '2026-11-30')).toEqual([]);
  });
});
