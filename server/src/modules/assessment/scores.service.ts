/**
 * Scores: a scheme's items over metric_values, plus the adjustments added by hand (capped), ranked within groups,
 * written to assessment_scores. Run by the job `assessment.score` after `metrics.refresh`, and after an adjustment.
 */
import type { Db } from '../../platform/db/client.js';

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
/** Computes (or recomputes) the scores and ranks of one scheme and period; returns how many subjects were scored. */
export async function computeScores(_db: Db, _input: ComputeScoresInput): Promise<{ subjects: number }> {
  throw new Error('computeScores: implemented by assessment [C1]');
}
// ---- end assessment [C1] ----
