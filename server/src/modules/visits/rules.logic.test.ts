import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/errors.js';
import {
  assertNoCycle,
  detectCycle,
  eventWindowStart,
  periodContaining,
  periodReasonKey,
  type RuleShape,
  reasonKeys,
  shanghaiDay,
  shanghaiMidnight,
  validateRule,
} from './rules.logic.js';
import { PERIOD_UNITS, type PeriodUnit } from './visits.schemas.js';

const periodic: RuleShape = {
  kind: 'periodic',
  tagId: 1,
  every: 1,
  unit: 'week',
  trigger: null,
  triggerTagId: null,
  triggerCategoryId: null,
  triggerOutcome: null,
  triggerRuleId: null,
  dueHours: null,
  assignee: 'grid_worker',
  target: 'resident',
};
const event: RuleShape = { ...periodic, kind: 'event', tagId: null, every: null, unit: null, dueHours: 24 };

function codeOf(fn: () => void): { code: string; field?: string; params?: Record<string, unknown> } | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { code: e.code, field: e.field, params: e.params as Record<string, unknown> };
  }
}

describe('validateRule', () => {
  it('accepts a well-formed periodic rule and each event trigger with its parameter', () => {
    expect(codeOf(() => validateRule(periodic))).toBeNull();
    expect(codeOf(() => validateRule({ ...event, trigger: 'tag_added', triggerTagId: 3 }))).toBeNull();
    expect(codeOf(() => validateRule({ ...event, trigger: 'resident_deceased' }))).toBeNull();
    expect(codeOf(() => validateRule({ ...event, trigger: 'case_category', triggerCategoryId: 2 }))).toBeNull();
    expect(codeOf(() => validateRule({ ...event, trigger: 'alarm_outcome', triggerOutcome: 'help_given' }))).toBeNull();
    expect(
      codeOf(() =>
        validateRule({ ...event, trigger: 'visit_outcome', triggerRuleId: 4, triggerOutcome: 'needs_help' }),
      ),
    ).toBeNull();
  });

  it('refuses a frequency of zero on the field every', () => {
    expect(codeOf(() => validateRule({ ...periodic, every: 0 }))).toMatchObject({
      code: 'VISIT_RULE_FREQUENCY_INVALID',
      field: 'every',
    });
  });

  it('names the missing field of each kind and trigger', () => {
    const field = (r: RuleShape) => codeOf(() => validateRule(r))?.field;
    expect(field({ ...periodic, tagId: null })).toBe('tagId');
    expect(field({ ...periodic, every: null })).toBe('every');
    expect(field({ ...periodic, unit: null })).toBe('unit');
    expect(field({ ...event, trigger: null })).toBe('trigger');
    expect(field({ ...event, trigger: 'tag_added', dueHours: null, triggerTagId: 1 })).toBe('dueHours');
    expect(field({ ...event, trigger: 'tag_added' })).toBe('triggerTagId');
    expect(field({ ...event, trigger: 'case_category' })).toBe('triggerCategoryId');
    expect(field({ ...event, trigger: 'alarm_outcome', triggerOutcome: 'needs_help' })).toBe('triggerOutcome');
    expect(field({ ...event, trigger: 'visit_outcome', triggerOutcome: 'well' })).toBe('triggerRuleId');
    expect(field({ ...event, trigger: 'resident_deceased', tagId: 1 })).toBe('tagId');
  });
});

describe('detectCycle', () => {
  const rules = [
    { id: 1, code: 'a', triggerRuleId: 2 },
    { id: 2, code: 'b', triggerRuleId: 3 },
    { id: 3, code: 'c', triggerRuleId: 1 },
    { id: 4, code: 'd', triggerRuleId: 1 },
    { id: 5, code: 'e', triggerRuleId: null },
  ];

  it('returns the chain of codes of a cycle through the rule', () => {
    expect(detectCycle(rules, 1)).toEqual(['a', 'b', 'c', 'a']);
    expect(detectCycle(rules, 5)).toBeNull();
    // d leads into a cycle that does not pass through d: not d's doing
    expect(detectCycle(rules, 4)).toBeNull();
  });

  it('refuses with VISIT_RULE_CYCLE on triggerRuleId naming the chain', () => {
    expect(codeOf(() => assertNoCycle(rules, 2))).toEqual({
      code: 'VISIT_RULE_CYCLE',
      field: 'triggerRuleId',
      params: { chain: 'b → c → a → b' },
    });
  });

  it('finds no cycle in any chain that ends (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (n) => {
        // a line 1 → 2 → … → n → null
        const line = Array.from({ length: n }, (_, i) => ({
          id: i + 1,
          code: `r${i + 1}`,
          triggerRuleId: i + 1 < n ? i + 2 : null,
        }));
        for (const r of line) expect(detectCycle(line, r.id)).toBeNull();
        // closing it makes every member part of one cycle of n + 1 codes
        const ring = line.map((r) => (r.id === n ? { ...r, triggerRuleId: 1 } : r));
        for (const r of ring) expect(detectCycle(ring, r.id)).toHaveLength(n + 1);
      }),
    );
  });
});

describe('periods (Asia/Shanghai)', () => {
  it('starts weeks on Monday and aligns fortnights to Monday 2024-01-01', () => {
    expect(periodContaining('2026-12-09', 1, 'week').start).toBe('2026-12-07'); // a Wednesday → Monday
    expect(periodContaining('2026-12-13', 1, 'week').start).toBe('2026-12-07'); // Sunday
    expect(periodContaining('2026-12-14', 1, 'week').start).toBe('2026-12-14');
    expect(periodContaining('2024-01-14', 2, 'week')).toMatchObject({ start: '2024-01-01', next: '2024-01-15' });
    expect(periodContaining('2023-12-31', 2, 'week')).toMatchObject({ start: '2023-12-18', next: '2024-01-01' });
  });

  it('aligns months, quarters and years to the calendar', () => {
    expect(periodContaining('2026-02-28', 1, 'month')).toMatchObject({ start: '2026-02-01', next: '2026-03-01' });
    expect(periodContaining('2026-05-15', 1, 'quarter')).toMatchObject({ start: '2026-04-01', next: '2026-07-01' });
    expect(periodContaining('2026-11-30', 2, 'month')).toMatchObject({ start: '2026-11-01', next: '2027-01-01' });
    expect(periodContaining('2026-06-30', 1, 'year')).toMatchObject({ start: '2026-01-01', next: '2027-01-01' });
    expect(periodContaining('2026-06-30', 6, 'month')).toMatchObject({ start: '2026-01-01', next: '2026-07-01' });
  });

  it('is due at the period’s last moment, Shanghai time', () => {
    const p = periodContaining('2026-12-09', 1, 'week');
    expect(p.due.toISOString()).toBe('2026-12-13T15:59:59.999Z'); // 2026-12-13 23:59:59.999 +08:00
    expect(periodReasonKey(p)).toBe('p:2026-12-07');
  });

  it('reads the day in Shanghai: 16:30 UTC is the next day there', () => {
    expect(shanghaiDay(new Date('2026-12-06T16:30:00Z'))).toBe('2026-12-07');
    expect(shanghaiDay(new Date('2026-12-06T15:59:59Z'))).toBe('2026-12-06');
    expect(shanghaiMidnight('2026-12-07').toISOString()).toBe('2026-12-06T16:00:00.000Z');
  });

  const day = fc
    .integer({ min: Date.UTC(2000, 0, 1) / 86_400_000, max: Date.UTC(2100, 0, 1) / 86_400_000 })
    .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
  const unit = fc.constantFrom<PeriodUnit>(...PERIOD_UNITS);
  const every = fc.integer({ min: 1, max: 366 });

  it('contains the day, and the next period starts where it ends (property)', () => {
    fc.assert(
      fc.property(day, every, unit, (d, n, u) => {
        const p = periodContaining(d, n, u);
        expect(p.start <= d && d < p.next).toBe(true);
        expect(periodContaining(p.start, n, u).start).toBe(p.start);
        expect(periodContaining(p.next, n, u).start).toBe(p.next);
        // the last day still belongs to it
        const last = shanghaiDay(p.due);
        expect(periodContaining(last, n, u).start).toBe(p.start);
        expect(p.due.getTime() + 1).toBe(shanghaiMidnight(p.next).getTime());
      }),
    );
  });

  it('gives every day of a period the same period (property)', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 8 }), unit, fc.integer({ min: 0, max: 400 }), (d, n, u, k) => {
        const p = periodContaining(d, n, u);
        const other = shanghaiDay(new Date(shanghaiMidnight(p.start).getTime() + k * 86_400_000 + 3_600_000));
        if (other < p.next) expect(periodContaining(other, n, u)).toEqual(p);
        else expect(periodContaining(other, n, u).start >= p.next).toBe(true);
      }),
    );
  });

  it('has weeks of 7·n days starting on a Monday (property)', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 52 }), (d, n) => {
        const p = periodContaining(d, n, 'week');
        expect(new Date(`${p.start}T00:00:00Z`).getUTCDay()).toBe(1);
        expect((Date.parse(p.next) - Date.parse(p.start)) / 86_400_000).toBe(7 * n);
      }),
    );
  });
});

describe('reason keys and event windows', () => {
  it('keys events as the table says', () => {
    expect(reasonKeys.tag(new Date(1_700_000_000_123))).toBe('tag:1700000000123');
    expect(reasonKeys.case(12)).toBe('case:12');
    expect(reasonKeys.alarm(3)).toBe('alarm:3');
    expect(reasonKeys.visit(9)).toBe('visit:9');
    expect(reasonKeys.deceased()).toBe('deceased');
  });

  it('looks back at most 7 days, and never before the rule existed', () => {
    const now = new Date('2026-12-10T00:00:00Z');
    expect(eventWindowStart(new Date('2020-01-01T00:00:00Z'), now).toISOString()).toBe('2026-12-03T00:00:00.000Z');
    expect(eventWindowStart(new Date('2026-12-09T00:00:00Z'), now).toISOString()).toBe('2026-12-09T00:00:00.000Z');
  });
});
