import { describe, expect, it } from 'vitest';
import { parkReviewAt, reminderLeadMs, type SlaCase, slaPlan, stepApplies, stepKey } from './sla.logic.js';

const M = 60_000;
const H = 60 * M;
const T = new Date('2026-03-09T02:00:00Z');
const at = (ms: number) => new Date(T.getTime() + ms);

const base: SlaCase = {
  id: 7,
  stage: 'dispatched',
  dispatchedAt: T,
  acceptedAt: null,
  responseDueAt: at(2 * H),
  handleDueAt: at(10 * H),
  handledAt: null,
  verifyDueAt: null,
  parkedUntil: null,
  supervision: 0,
  overdue: false,
};

describe('reminderLeadMs', () => {
  it('is a fifth of the span, at least 5 minutes and at most 4 hours', () => {
    expect(reminderLeadMs(T, at(10 * H))).toBe(2 * H);
    expect(reminderLeadMs(T, at(15 * M))).toBe(5 * M);
    expect(reminderLeadMs(T, at(100 * H))).toBe(4 * H);
    expect(reminderLeadMs(null, at(H))).toBe(H);
  });
});

describe('slaPlan', () => {
  it('arms the response, reminder and handling steps of a dispatched case', () => {
    expect(slaPlan(base, [])).toEqual([
      { step: 'response', due: at(2 * H), runAt: at(2 * H) },
      { step: 'remind', due: at(10 * H), runAt: at(8 * H) },
      { step: 'handle', due: at(10 * H), runAt: at(10 * H) },
    ]);
  });
  it('drops the response once accepted, and arms each open whistle of a whistled case', () => {
    const plan = slaPlan({ ...base, stage: 'whistled', acceptedAt: T }, [
      { id: 1, status: 'pending', dueAt: at(5 * H) },
      { id: 2, status: 'reported', dueAt: at(5 * H) },
    ]);
    expect(plan.map((p) => [p.step, p.whistleId])).toEqual([
      ['remind', undefined],
      ['handle', undefined],
      ['whistle', 1],
    ]);
  });
  it('arms nothing for a handled, parked or closed case', () => {
    for (const stage of ['handled', 'parked', 'closed', 'reported', 'escalated']) {
      expect(slaPlan({ ...base, stage, acceptedAt: T }, [])).toEqual([]);
    }
  });
});

describe('stepApplies', () => {
  const none = { done: false };
  it('applies each step only at its time, for the deadline the case still has, once', () => {
    expect(stepApplies(base, 'response', at(2 * H), at(2 * H - 1), none)).toBe(false);
    expect(stepApplies(base, 'response', at(2 * H), at(2 * H), none)).toBe(true);
    expect(stepApplies(base, 'response', at(2 * H), at(2 * H), { done: true })).toBe(false);
    expect(stepApplies(base, 'response', at(3 * H), at(4 * H), none)).toBe(false);
    expect(stepApplies(base, 'remind', at(10 * H), at(7 * H), none)).toBe(false);
    expect(stepApplies(base, 'remind', at(10 * H), at(9 * H), none)).toBe(true);
    expect(stepApplies(base, 'remind', at(10 * H), at(10 * H), none)).toBe(false);
    expect(stepApplies(base, 'handle', at(10 * H), at(10 * H), none)).toBe(true);
    expect(stepApplies({ ...base, supervision: 2, overdue: true }, 'handle', at(10 * H), at(11 * H), none)).toBe(false);
    expect(stepApplies({ ...base, stage: 'handled', handledAt: at(H) }, 'handle', at(10 * H), at(11 * H), none)).toBe(
      false,
    );
  });
  it('reviews a parked case on its date from the start of work, and chases an open whistle only', () => {
    const parked = { ...base, stage: 'parked', parkedUntil: '2026-03-10' };
    const review = parkReviewAt('2026-03-10');
    expect(review.toISOString()).toBe('2026-03-10T01:00:00.000Z');
    expect(
      stepApplies(parked, 'park_review', review, new Date(review.getTime() - 1), { done: false, reviewAt: review }),
    ).toBe(false);
    expect(stepApplies(parked, 'park_review', review, review, { done: false, reviewAt: review })).toBe(true);
    const whistled = { ...base, stage: 'whistled' };
    const w = { id: 3, status: 'accepted', dueAt: at(5 * H) };
    expect(stepApplies(whistled, 'whistle', at(5 * H), at(5 * H), { done: false, whistle: w })).toBe(true);
    expect(
      stepApplies(whistled, 'whistle', at(5 * H), at(5 * H), { done: false, whistle: { ...w, status: 'reported' } }),
    ).toBe(false);
  });
  it('arms and applies the verification deadline of a handled case only while it waits for verification', () => {
    const handled = { ...base, stage: 'handled', acceptedAt: T, handledAt: at(H), verifyDueAt: at(9 * H) };
    expect(slaPlan(handled, [])).toEqual([{ step: 'verify', due: at(9 * H), runAt: at(9 * H) }]);
    expect(stepApplies(handled, 'verify', at(9 * H), at(9 * H - 1), none)).toBe(false);
    expect(stepApplies(handled, 'verify', at(9 * H), at(9 * H), none)).toBe(true);
    expect(stepApplies(handled, 'verify', at(9 * H), at(9 * H), { done: true })).toBe(false);
    expect(stepApplies(handled, 'verify', at(8 * H), at(9 * H), none)).toBe(false);
    expect(stepApplies({ ...handled, stage: 'closed' }, 'verify', at(9 * H), at(10 * H), none)).toBe(false);
    expect(slaPlan({ ...handled, stage: 'closed' }, [])).toEqual([]);
  });
  it('keys a mark by case, step, deadline and whistle', () => {
    expect(stepKey(7, 'whistle', at(0), 3)).toBe('7:whistle:2026-03-09T02:00:00.000Z:3');
    expect(stepKey(7, 'park_review', '2026-03-10')).toBe('7:park_review:2026-03-10');
  });
});
