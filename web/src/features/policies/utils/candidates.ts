import type { CandidateStatus } from '../policy-types';
import type { CandidateAction } from '../use-policies';

/** Tag colours of candidate statuses in the console. */
export const CANDIDATE_COLORS: Record<CandidateStatus, string> = {
  pending: 'orange',
  confirmed: 'blue',
  rejected: 'default',
  receiving: 'green',
  ended: 'default',
  lapsed: 'default',
};

/**
 * The actions a candidate in a status offers: 核实符合 / 不符合 / 已享受 while pending, 已享受 / 不符合 once
 * confirmed, 终止 while receiving, nothing after. The server decides; this only hides what it would refuse.
 */
export function actionsFor(status: CandidateStatus): CandidateAction[] {
  if (status === 'pending') return ['confirm', 'reject', 'receiving'];
  if (status === 'confirmed') return ['receiving', 'reject'];
  if (status === 'receiving') return ['end'];
  return [];
}
