import type { Db } from '../platform/db/client.js';

/** Fixtures of assessment [C1]: schemes and metric values straight into the tables. */

/** A scheme straight into the tables (the API's checks are tested in assessment.int.test.ts). */
export async function insertScheme(
  db: Db,
  s: { name: string; subject: string; periodKind: string; cap?: number; honour?: string | null },
  items: { metric: string; weight: number; higherBetter: boolean; fullAt: number; zeroAt: number }[],
): Promise<number> {
  const [r] = await db.query<{ id: number }>(
    `INSERT INTO assessment_schemes (name, subject, period_kind, adjustment_cap, honour, honour_quota, honour_min_score)
      VALUES ($1, $2, $3, $4, $5, 1, 70) RETURNING id`,
    [s.name, s.subject, s.periodKind, s.cap ?? 10, s.honour ?? null],
  );
  for (const [i, it] of items.entries()) {
    await db.query(
      `INSERT INTO assessment_scheme_items (scheme_id, metric, weight, higher_better, full_at, zero_at, sort)
        VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [r!.id, it.metric, it.weight, it.higherBetter, it.fullAt, it.zeroAt, i],
    );
  }
  return r!.id;
}

/** A metric value row, as part B's refresh would write it. */
export async function putMetric(
  db: Db,
  v: {
    periodKind: string;
    periodStart: string;
    kind: 'node' | 'user';
    id: number;
    metric: string;
    num: number;
    den: number | null;
  },
): Promise<void> {
  const [n] =
    v.kind === 'node'
      ? await db.query<{ county_id: number; path: string }>('SELECT county_id, path FROM org_nodes WHERE id = $1', [
          v.id,
        ])
      : await db.query<{ county_id: number; path: string }>(
          `SELECT n.county_id, n.path FROM posts p JOIN org_nodes n ON n.id = p.node_id
            WHERE p.user_id = $1 AND p.role = 'grid_worker' ORDER BY p.id LIMIT 1`,
          [v.id],
        );
  await db.query(
    `INSERT INTO metric_values (period_kind, period_start, subject_kind, subject_id, metric, county_id, node_path, num, den)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (period_kind, period_start, subject_kind, subject_id, metric) DO UPDATE SET num = $8, den = $9`,
    [v.periodKind, v.periodStart, v.kind, v.id, v.metric, n!.county_id, n!.path, v.num, v.den],
  );
}

export async function gridsOf(db: Db, communityId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT id FROM org_nodes WHERE parent_id = $1 AND type = 'grid' ORDER BY code, id`,
    [communityId],
  );
  return rows.map((r) => r.id);
}
