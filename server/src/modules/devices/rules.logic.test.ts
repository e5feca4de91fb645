import { describe, expect, it } from 'vitest';
import { evaluateMessage, mergeOverride, type StoredRule } from './rules.logic.js';

const heart: StoredRule = {
  id: 1,
  code: 'heart_rate',
  kind: 'threshold',
  params: { metric: 'heart_rate', below: 45, above: 120 },
  severity: 'major',
  autoResolve: false,
  enabled: true,
};
const sos: StoredRule = { ...heart, id: 2, code: 'sos', kind: 'event', params: { events: ['sos'] } };
const at = new Date('2026-12-07T08:00:00Z');

describe('mergeOverride', () => {
  it("lays the person's params over the rule's, keeping the rest", () => {
    expect(mergeOverride(heart, { params: { above: 130 }, enabled: true })?.params).toEqual({
      metric: 'heart_rate',
      below: 45,
      above: 130,
    });
  });
  it('leaves out a rule switched off for the person, or altogether', () => {
    expect(mergeOverride(heart, { params: {}, enabled: false })).toBeNull();
    expect(mergeOverride({ ...heart, enabled: false })).toBeNull();
    expect(mergeOverride(heart)?.id).toBe(1);
  });
});

describe('evaluateMessage', () => {
  const rules = [mergeOverride(heart)!, mergeOverride(sos)!];
  it('fires a threshold rule on a value beyond either bound, not on one within', () => {
    expect(evaluateMessage(rules, { ts: at, values: { heart_rate: 150 } })).toEqual([
      { ruleId: 1, at, detail: { metric: 'heart_rate', value: 150, above: 120 } },
    ]);
    expect(evaluateMessage(rules, { ts: at, values: { heart_rate: 40 } })[0]?.detail).toMatchObject({ below: 45 });
    expect(evaluateMessage(rules, { ts: at, values: { heart_rate: 120 } })).toEqual([]);
  });
  it('fires an event rule on its event only', () => {
    expect(evaluateMessage(rules, { ts: at, event: 'sos' })).toEqual([{ ruleId: 2, at, detail: { event: 'sos' } }]);
    expect(evaluateMessage(rules, { ts: at, event: 'low_battery' })).toEqual([]);
  });
});
