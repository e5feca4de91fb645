/**
 * Set-based evaluation of policy rules: every given policy version over every living resident under a node, in SQL
 * (one pass over residents joined to households, houses and tags), writing eligible and near-miss rows with their
 * met_mask and facts into policy_run_results. Tested against the reference evaluator in rules.logic.ts.
 */
import type { Queryable } from '../../platform/db/client.js';
import type { Leaf, Rule } from './rules.logic.js';

// ---- pinned contract ----
export type VersionToRun = { policyId: number; policyCode: string; versionId: number; rule: Rule; leaves: Leaf[] };

export type RunInput = {
  runId: number;
  /** Residents whose node_path starts with this. */
  nodePath: string;
  /** The day ages and dates are evaluated on, 'YYYY-MM-DD'. */
  asOf: string;
  versions: VersionToRun[];
  /** Another policy's current rule by code (for `{ policy, state: 'eligible' }`), already checked for cycles. */
  resolve: (code: string) => Rule | null;
};

export type RunCounts = { versionId: number; eligible: number; nearMiss: number };
// ---- end pinned contract ----

// ---- policies [A1]: implementation ----
/** Evaluates and writes the results of one run; returns the residents evaluated and the counts per version. */
export async function evaluatePolicies(
  _q: Queryable,
  _input: RunInput,
): Promise<{ residents: number; counts: RunCounts[] }> {
  throw new Error('evaluatePolicies: implemented by policies [A1]');
}
// ---- end policies [A1] ----
