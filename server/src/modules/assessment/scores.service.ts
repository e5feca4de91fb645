/**
 * Scores: a scheme's items over metric_values, plus the adjustments added by hand (capped), ranked within groups,
 * written to assessment_scores. Run by the job `assessment.score` after `metrics.refresh`, and after an adjustment.
 */
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { COUNT_METRICS, isPeriodStart } from './assessment.logic.js';
import { findSchemeRow } from './assessment.repo.js';
import { recomputeScores } from './scores.repo.js';

// ---- pinned contract ----
export type ComputeScoresInput = {
  schemeId: number;
  /** The period's first day (of the scheme's period kind). */
  periodStart: string;
  /** Only subjects under this path (default: all). */
  nodePath?: string;
};
// ---- end pinned contract ----

// ---- assessment [C1]: implementation ----
/**
 * Computes (or recomputes) the scores and ranks of one scheme and period; returns how many subjects were scored.
 * Set-based (one DELETE and one INSERT … SELECT in one transaction, `scores.repo.ts`); with `nodePath`, every
 * ranking group lying under it or holding it is recomputed whole, so ranks stay those of the whole group.
 * @throws ASSESSMENT_SCHEME_NOT_FOUND, ASSESSMENT_PERIOD_KIND (periodStart is not a first day of the scheme's kind)
 */
export async function computeScores(db: Db, input: ComputeScoresInput): Promise<{ subjects: number }> {
  return db.transaction((tx) => computeScoresIn(tx, input));
}

/** computeScores inside the caller's transaction (after an adjustment, in the same transaction). */
export async function computeScoresIn(q: Queryable, input: ComputeScoresInput): Promise<{ subjects: number }> {
  const scheme = await findSchemeRow(q, input.schemeId);
  if (!scheme) throw new AppError('ASSESSMENT_SCHEME_NOT_FOUND');
  if (!isPeriodStart(scheme.period_kind, input.periodStart)) {
    throw new AppError('ASSESSMENT_PERIOD_KIND', {
      field: 'periodStart',
      params: { periodKind: scheme.period_kind },
    });
  }
  const subjects = await recomputeScores(q, {
    schemeId: scheme.id,
    subject: scheme.subject,
    periodKind: scheme.period_kind,
    periodStart: input.periodStart,
    nodePath: input.nodePath ?? null,
    countMetrics: COUNT_METRICS,
  });
  return { subjects };
}
// ---- end assessment [C1] ----
