import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  ballotRefusal,
  canMoveDecision,
  hiddenByReports,
  isVoteOpen,
  latestVoterBirthDate,
  mayShowResults,
  moderate,
  quorumRequired,
  REPORTS_TO_HIDE,
  tally,
  unitKey,
  type VoteRule,
} from './deliberation.logic.js';

const day = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** Plays a stream of ballots through the rules, as the service does, and returns those that counted. */
function play(
  rule: VoteRule,
  attempts: { residentId: number; householdId: number | null }[],
): { counted: { residentId: number; householdId: number | null }[]; refusals: string[] } {
  const residentIds = new Set<number>();
  const unitKeys = new Set<string>();
  const counted: { residentId: number; householdId: number | null }[] = [];
  const refusals: string[] = [];
  const v = { status: 'open' as const, deadline: new Date('2100-01-01'), rule };
  for (const a of attempts) {
    const r = ballotRefusal(v, new Date('2026-12-07'), a, { residentIds, unitKeys });
    if (r) {
      refusals.push(r);
      continue;
    }
    residentIds.add(a.residentId);
    unitKeys.add(unitKey(rule, a.residentId, a.householdId));
    counted.push(a);
  }
  return { counted, refusals };
}

// residents 1..30, each in a fixed household (resident % 7, or none for multiples of 5)
const voter = fc
  .integer({ min: 1, max: 30 })
  .map((id) => ({ residentId: id, householdId: id % 5 === 0 ? null : id % 7 }));

describe('ballots', () => {
  it('per_household: at most one ballot per household, the first member’s, and every resident at most once', () => {
    fc.assert(
      fc.property(fc.array(voter, { maxLength: 60 }), (attempts) => {
        const { counted } = play('per_household', attempts);
        const households = counted.filter((c) => c.householdId !== null).map((c) => c.householdId);
        expect(new Set(households).size).toBe(households.length);
        expect(new Set(counted.map((c) => c.residentId)).size).toBe(counted.length);
        // the first attempt of each household is the one that counted
        for (const c of counted) {
          if (c.householdId === null) continue;
          const first = attempts.find((a) => a.householdId === c.householdId);
          expect(first?.residentId).toBe(c.residentId);
        }
      }),
    );
  });

  it('per_resident: every distinct resident counts once, a second try is refused as already voted', () => {
    fc.assert(
      fc.property(fc.array(voter, { maxLength: 60 }), (attempts) => {
        const { counted, refusals } = play('per_resident', attempts);
        expect(counted.length).toBe(new Set(attempts.map((a) => a.residentId)).size);
        expect(refusals.every((r) => r === 'already_voted')).toBe(true);
        expect(counted.length + refusals.length).toBe(attempts.length);
      }),
    );
  });

  it('refuses every ballot after the deadline or once closed, and takes one just before the deadline', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (after) => {
        const deadline = new Date('2026-12-07T12:00:00Z');
        const empty = { residentIds: new Set<number>(), unitKeys: new Set<string>() };
        const v = { status: 'open' as const, deadline, rule: 'per_resident' as const };
        const at = new Date(deadline.getTime() + after);
        expect(ballotRefusal(v, at, { residentId: 1, householdId: 1 }, empty)).toBe('over');
        expect(ballotRefusal(v, new Date(deadline.getTime() - 1), { residentId: 1, householdId: 1 }, empty)).toBe(null);
        expect(
          ballotRefusal(
            { ...v, status: 'closed' },
            new Date(deadline.getTime() - 1000),
            { residentId: 1, householdId: 1 },
            empty,
          ),
        ).toBe('over');
      }),
    );
  });
});

describe('tally and quorum', () => {
  it('counts every ballot for a known option once, and the quorum is met exactly when turnout reaches it', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 200 }),
        fc.integer({ min: 0, max: 300 }),
        fc.oneof(
          fc.record({ kind: fc.constant('share' as const), value: fc.double({ min: 0, max: 1, noNaN: true }) }),
          fc.record({ kind: fc.constant('count' as const), value: fc.integer({ min: 0, max: 100 }) }),
        ),
        (options, ballots, eligible, quorum) => {
          const t = tally(options, ballots, eligible, quorum);
          const known = ballots.filter((b) => options.includes(b)).length;
          expect(t.turnout).toBe(known);
          expect(t.counts.reduce((s, c) => s + c.count, 0)).toBe(known);
          expect(t.quorumMet).toBe(known > 0 && known >= t.required);
          if (t.quorumMet) {
            const max = Math.max(...t.counts.map((c) => c.count));
            expect(t.leading.length).toBeGreaterThan(0);
            for (const id of t.leading) expect(t.counts.find((c) => c.optionId === id)?.count).toBe(max);
          } else expect(t.leading).toEqual([]);
        },
      ),
    );
  });

  it('a share quorum is monotone in the eligible count and never above it', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (share, n) => {
        const r = quorumRequired('share', share, n);
        expect(r).toBeLessThanOrEqual(n);
        expect(quorumRequired('share', share, n + 1)).toBeGreaterThanOrEqual(r);
      }),
    );
    expect(quorumRequired('share', 0.5, 10)).toBe(5);
    expect(quorumRequired('share', 0.5, 11)).toBe(6);
    expect(quorumRequired('count', 3, 1)).toBe(3);
  });
});

describe('secrecy', () => {
  it('a secret vote shows results only once over; an open vote always', () => {
    expect(mayShowResults('secret', false)).toBe(false);
    expect(mayShowResults('secret', true)).toBe(true);
    expect(mayShowResults('open', false)).toBe(true);
    const deadline = new Date('2026-12-07T12:00:00Z');
    expect(isVoteOpen({ status: 'open', deadline }, new Date('2026-12-07T11:59:59Z'))).toBe(true);
    expect(isVoteOpen({ status: 'open', deadline }, deadline)).toBe(false);
  });
});

describe('voting age', () => {
  it('born on or before latestVoterBirthDate(day) is exactly 18 or older that day', () => {
    fc.assert(
      fc.property(day, day, (birth, today) => {
        fc.pre(birth <= today);
        expect(ageOn(birth, today) >= 18).toBe(birth <= latestVoterBirthDate(today));
      }),
    );
  });
});

describe('moderation and decisions', () => {
  it('hides a comment at the report threshold unless a worker reviewed it', () => {
    expect(hiddenByReports('visible', REPORTS_TO_HIDE - 1, false)).toBe(false);
    expect(hiddenByReports('visible', REPORTS_TO_HIDE, false)).toBe(true);
    expect(hiddenByReports('visible', REPORTS_TO_HIDE + 5, true)).toBe(false);
    expect(moderate('hidden', 'restore')).toBe('visible');
    expect(moderate('visible', 'restore')).toBe(null);
    expect(moderate('visible', 'remove')).toBe('removed');
    expect(moderate('removed', 'restore')).toBe(null);
  });

  it('decisions only move forward', () => {
    expect(canMoveDecision('open', 'in_progress')).toBe(true);
    expect(canMoveDecision('in_progress', 'done')).toBe(true);
    expect(canMoveDecision('open', 'done')).toBe(true);
    expect(canMoveDecision('done', 'open')).toBe(false);
    expect(canMoveDecision('in_progress', 'in_progress')).toBe(false);
  });
});
