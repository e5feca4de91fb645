/**
 * Deliberation's pure rules (no I/O): who counts as one voter, when a vote takes ballots, quorum and the tally,
 * when results may be shown, comment moderation and the decision workflow.
 */

export type VoteRule = 'per_resident' | 'per_household';
export type Secrecy = 'secret' | 'open';
export type QuorumKind = 'share' | 'count';
export type CommentStatus = 'visible' | 'hidden' | 'removed';
export type DecisionStatus = 'open' | 'in_progress' | 'done';

/** Reports that hide a comment pending review. */
export const REPORTS_TO_HIDE = 3;
/** The age from which a resident may vote. */
export const VOTING_AGE = 18;

/**
 * The unit that holds one ballot: the resident, or under per_household their household (a resident without a
 * household is a household of one).
 */
export function unitKey(rule: VoteRule, residentId: number, householdId: number | null): string {
  return rule === 'per_household' && householdId !== null ? `h:${householdId}` : `r:${residentId}`;
}

/** Whether a vote takes ballots at `now`: open and before its deadline. */
export function isVoteOpen(v: { status: 'open' | 'closed'; deadline: Date }, now: Date): boolean {
  return v.status === 'open' && now.getTime() < v.deadline.getTime();
}

/** Whether the vote is over: closed by a worker, or its deadline passed. */
export function isVoteOver(v: { status: 'open' | 'closed'; deadline: Date }, now: Date): boolean {
  return !isVoteOpen(v, now);
}

/** Results of an open (named) vote may be shown while it runs; a secret vote's only once it is over. */
export function mayShowResults(secrecy: Secrecy, over: boolean): boolean {
  return secrecy === 'open' || over;
}

/** Ballots needed for the quorum: a share of the eligible units (rounded up) or a fixed count. */
export function quorumRequired(kind: QuorumKind, value: number, eligible: number): number {
  if (kind === 'count') return Math.max(0, Math.ceil(value));
  return Math.max(0, Math.ceil(Math.min(1, Math.max(0, value)) * eligible - 1e-9));
}

export type Tally = {
  counts: { optionId: number; count: number }[];
  turnout: number;
  eligible: number;
  required: number;
  quorumMet: boolean;
  /** The option(s) with most ballots when the quorum is met and there is at least one ballot. */
  leading: number[];
};

/** Counts ballots by option (ballots naming an unknown option are ignored) and checks the quorum. */
export function tally(
  optionIds: readonly number[],
  ballots: readonly number[],
  eligible: number,
  quorum: { kind: QuorumKind; value: number },
): Tally {
  const counts = new Map<number, number>(optionIds.map((id) => [id, 0]));
  let turnout = 0;
  for (const b of ballots) {
    const c = counts.get(b);
    if (c === undefined) continue;
    counts.set(b, c + 1);
    turnout += 1;
  }
  const required = quorumRequired(quorum.kind, quorum.value, eligible);
  const quorumMet = turnout >= required && turnout > 0;
  const max = Math.max(0, ...counts.values());
  const leading = quorumMet && max > 0 ? optionIds.filter((id) => counts.get(id) === max) : [];
  return {
    counts: optionIds.map((id) => ({ optionId: id, count: counts.get(id) ?? 0 })),
    turnout,
    eligible,
    required,
    quorumMet,
    leading,
  };
}

/**
 * Casting one ballot: refused when the vote is over, when this resident voted, or (per_household) when a member
 * of the household voted first. Returns the reason, or null when the ballot counts.
 */
export function ballotRefusal(
  v: { status: 'open' | 'closed'; deadline: Date; rule: VoteRule },
  now: Date,
  voter: { residentId: number; householdId: number | null },
  cast: { residentIds: ReadonlySet<number>; unitKeys: ReadonlySet<string> },
): 'over' | 'already_voted' | 'household_voted' | null {
  if (!isVoteOpen(v, now)) return 'over';
  if (cast.residentIds.has(voter.residentId)) return 'already_voted';
  if (cast.unitKeys.has(unitKey(v.rule, voter.residentId, voter.householdId))) return 'household_voted';
  return null;
}

/** Moderation of one comment by a worker. */
export type ModerationAction = 'hide' | 'restore' | 'remove';

export function moderate(status: CommentStatus, action: ModerationAction): CommentStatus | null {
  if (status === 'removed') return null;
  if (action === 'hide') return status === 'visible' ? 'hidden' : null;
  if (action === 'restore') return status === 'hidden' ? 'visible' : null;
  return 'removed';
}

/** A comment is hidden pending review when its reports reach the threshold (unless a worker has reviewed it). */
export function hiddenByReports(status: CommentStatus, reports: number, reviewed: boolean): boolean {
  return status === 'visible' && !reviewed && reports >= REPORTS_TO_HIDE;
}

const DECISION_ORDER: Record<DecisionStatus, number> = { open: 0, in_progress: 1, done: 2 };

/** Decisions move forward only: open → in progress → done (open → done when it is settled at once). */
export function canMoveDecision(from: DecisionStatus, to: DecisionStatus): boolean {
  return DECISION_ORDER[to] > DECISION_ORDER[from];
}

/** Whole years of age on `day` (YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = day.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** The latest birth date of a voter on `day`: born on or before it, they are 18 or older. */
export function latestVoterBirthDate(day: string): string {
  const [y, m, d] = day.split('-') as [string, string, string];
  const year = Number(y) - VOTING_AGE;
  // 29 February: someone born on 29 Feb turns 18 on 1 March in a common year, so 28 Feb is the latest date
  const dd = m === '02' && d === '29' ? '28' : d;
  return `${String(year).padStart(4, '0')}-${m}-${dd}`;
}

/** Whether a topic at `topicPath` is above (or at) a resident's record at `recordPath`. */
export function topicReaches(topicPath: string, recordPath: string): boolean {
  return recordPath.startsWith(topicPath);
}
