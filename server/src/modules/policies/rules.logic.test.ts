import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/errors.js';
import { ageOn } from '../people/people.logic.js';
import {
  addDays,
  evaluateRule,
  FAR_COST,
  type FieldCondition,
  fieldNear,
  MAX_DEPTH,
  MAX_LEAVES,
  nearCondition,
  nearMargin,
  outcomeOf,
  type PersonFacts,
  parseRule,
  type Rule,
  type RuleContext,
  ruleLeaves,
} from './rules.logic.js';

const ctx: RuleContext = {
  tags: new Map([
    ['disabled', '残疾人'],
    ['veteran', '退役军人'],
  ]),
  policies: new Map<string, { name: string; rule: Rule | null }>([
    ['old_age', { name: '高龄津贴', rule: { field: 'age', op: '>=', value: 80 } }],
    ['b_ref_c', { name: '政策B', rule: { policy: 'c_ref_a', state: 'eligible' } }],
    ['c_ref_a', { name: '政策C', rule: { all: [{ policy: 'a_self', state: 'eligible' }] } }],
    ['no_rule', { name: '未定义', rule: null }],
  ]),
};

function refused(raw: unknown, selfCode?: string): AppError {
  try {
    parseRule(raw, ctx, selfCode);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error(`accepted: ${JSON.stringify(raw)}`);
}

const age = (op: string, value: unknown) => ({ field: 'age', op, value });

describe('parseRule refuses, naming the field', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['not an object', 'age > 80', 'rule', /object expected/],
    ['a list at the root', [age('>', 80)], 'rule', /object expected/],
    ['an empty all', { all: [] }, 'rule.all', /empty list/],
    ['an empty any', { any: [] }, 'rule.any', /empty list/],
    ['all not a list', { all: { field: 'age' } }, 'rule.all', /list expected/],
    ['an unknown key beside all', { all: [age('>', 80)], note: 'x' }, 'rule.note', /unknown key "note"/],
    ['an unknown key in a leaf', { all: [{ ...age('>', 80), unit: 'y' }] }, 'rule.all.0.unit', /unknown key "unit"/],
    ['an unknown node', { some: [] }, 'rule.some', /unknown key "some"/],
    [
      'an unknown field',
      { all: [age('>', 1), { field: 'agee', op: '>', value: 80 }] },
      'rule.all.1.field',
      /unknown field "agee"/,
    ],
    ['an unknown operator', { field: 'age', op: '=>', value: 80 }, 'rule.op', /unknown operator/],
    [
      'an operator the type does not take',
      { any: [{ not: { field: 'sex', op: '>', value: 'male' } }] },
      'rule.any.0.not.op',
      /not for enum/,
    ],
    ['between on a boolean', { field: 'lives_alone', op: '!=', value: true }, 'rule.op', /not for boolean/],
    ['a number as text', { all: [age('>=', 60), age('>', 'abc')] }, 'rule.all.1.value', /number expected/],
    ['a number below min', age('>', -1), 'rule.value', /below minimum 0/],
    ['a number above max', { field: 'disability_grade', op: '=', value: 5 }, 'rule.value', /above maximum 4/],
    ['a fractional age', age('>=', 60.5), 'rule.value', /whole number/],
    [
      'an enum value not listed',
      { field: 'hukou_type', op: '=', value: 'urban' },
      'rule.value',
      /unknown value "urban"/,
    ],
    [
      'an enum value in a list',
      { field: 'hukou_type', op: 'in', value: ['local_urban', 'x'] },
      'rule.value.1',
      /unknown value "x"/,
    ],
    ['a date that is not real', { field: 'moved_in_on', op: '>', value: '2023-02-29' }, 'rule.value', /date expected/],
    ['a date in another form', { field: 'birth_date', op: '<', value: '1950/01/01' }, 'rule.value', /date expected/],
    ['between not a pair', age('between', [60]), 'rule.value', /\[low, high\]/],
    ['between reversed', age('between', [80, 60]), 'rule.value', /low above high/],
    ['between with a wrong type', age('between', [60, 'x']), 'rule.value.1', /number expected/],
    ['in with an empty list', { field: 'income_band', op: 'in', value: [] }, 'rule.value', /non-empty list/],
    ['in with a scalar', { field: 'income_band', op: 'not_in', value: 'low' }, 'rule.value', /non-empty list/],
    [
      'in with more than 50',
      age(
        'in',
        Array.from({ length: 51 }, (_, i) => i),
      ),
      'rule.value',
      /more than 50/,
    ],
    ['a value with is_null', { field: 'hukou_type', op: 'is_null', value: 'x' }, 'rule.value', /no value expected/],
    ['no value', { field: 'hukou_type', op: '=' }, 'rule.value', /value expected/],
    ['a boolean as text', { field: 'lives_alone', op: '=', value: 'true' }, 'rule.value', /true or false/],
    ['an empty text', { field: 'ethnicity', op: '=', value: ' ' }, 'rule.value', /text expected/],
    ['an unknown tag', { all: [{ tag: 'disabld' }] }, 'rule.all.0.tag', /unknown tag "disabld"/],
    ['an unknown policy', { not: { policy: 'nope', state: 'eligible' } }, 'rule.not.policy', /unknown policy "nope"/],
    ['a bad state', { policy: 'old_age', state: 'granted' }, 'rule.state', /unknown state "granted"/],
  ];
  it.each(cases)('%s', (_name, raw, field, detail) => {
    const err = refused(raw);
    expect(err.code).toBe('POLICY_RULE_INVALID');
    expect(err.field).toBe(field);
    expect(String(err.params.detail)).toMatch(detail);
  });

  it('more than MAX_LEAVES leaves, and deeper than MAX_DEPTH', () => {
    const many = { any: Array.from({ length: MAX_LEAVES + 1 }, () => age('>', 1)) };
    const err = refused(many);
    expect([err.code, err.field, err.params.detail]).toEqual([
      'POLICY_RULE_INVALID',
      `rule.any.${MAX_LEAVES}`,
      `more than ${MAX_LEAVES} conditions`,
    ]);
    // Exactly MAX_LEAVES is accepted.
    expect(ruleLeaves(parseRule({ any: many.any.slice(1) }, ctx), ctx)).toHaveLength(MAX_LEAVES);
    let deep: unknown = age('>', 1);
    for (let i = 1; i < MAX_DEPTH; i++) deep = { not: deep };
    expect(() => parseRule(deep, ctx)).not.toThrow();
    const tooDeep = refused({ not: deep });
    expect(tooDeep.field).toBe(`rule${'.not'.repeat(MAX_DEPTH)}`);
    expect(tooDeep.params.detail).toBe(`deeper than ${MAX_DEPTH}`);
  });

  it('a reference to itself or a cycle through other policies is POLICY_RULE_CYCLE with the path', () => {
    const self = refused({ all: [age('>', 1), { policy: 'a_self', state: 'eligible' }] }, 'a_self');
    expect([self.code, self.params.path]).toEqual(['POLICY_RULE_CYCLE', 'a_self → a_self']);
    const through = refused({ any: [{ policy: 'b_ref_c', state: 'eligible' }] }, 'a_self');
    expect([through.code, through.params.path]).toEqual(['POLICY_RULE_CYCLE', 'a_self → b_ref_c → c_ref_a → a_self']);
    // The same references from another policy are no cycle; 'receiving' never cycles (it reads stored candidates).
    expect(() => parseRule({ policy: 'b_ref_c', state: 'eligible' }, ctx, 'other')).not.toThrow();
    expect(() => parseRule({ not: { policy: 'a_self', state: 'receiving' } }, ctx, 'a_self')).not.toThrow();
    expect(() => parseRule({ policy: 'b_ref_c', state: 'receiving' }, ctx, 'c_ref_a')).not.toThrow();
  });
});

describe('parseRule normalises', () => {
  it('keeps only the rule, de-duplicates in-lists, and accepts every kind of node', () => {
    const rule = parseRule(
      {
        all: [
          age('>=', 80),
          { field: 'hukou_type', op: 'in', value: ['local_urban', 'local_rural', 'local_urban'] },
          { any: [{ tag: 'disabled' }, { field: 'lives_alone', op: '=', value: true }] },
          { not: { policy: 'old_age', state: 'receiving' } },
          { field: 'disability_grade', op: 'not_null' },
          { field: 'birth_date', op: 'between', value: ['1940-02-29', '1950-12-31'] },
        ],
      },
      ctx,
    );
    expect(rule).toEqual({
      all: [
        { field: 'age', op: '>=', value: 80 },
        { field: 'hukou_type', op: 'in', value: ['local_urban', 'local_rural'] },
        { any: [{ tag: 'disabled' }, { field: 'lives_alone', op: '=', value: true }] },
        { not: { policy: 'old_age', state: 'receiving' } },
        { field: 'disability_grade', op: 'not_null' },
        { field: 'birth_date', op: 'between', value: ['1940-02-29', '1950-12-31'] },
      ],
    });
  });
});

describe('ruleLeaves', () => {
  it('numbers leaves depth-first with paths and labels in both languages', () => {
    const rule = parseRule(
      {
        all: [
          age('>=', 80),
          { field: 'hukou_type', op: 'in', value: ['local_urban', 'local_rural'] },
          { any: [{ tag: 'disabled' }, { not: { policy: 'old_age', state: 'receiving' } }] },
          { policy: 'old_age', state: 'eligible' },
          { field: 'income_band', op: 'is_null' },
          age('between', [60, 79]),
          { field: 'lives_alone', op: '=', value: true },
        ],
      },
      ctx,
    );
    const leaves = ruleLeaves(rule, ctx);
    expect(leaves.map((l) => [l.index, l.path, l.kind, l.zh, l.en])).toEqual([
      [0, 'all.0', 'field', '年龄 ≥ 80', 'Age ≥ 80'],
      [1, 'all.1', 'field', '户籍类型 属于 本地城镇、本地农村', 'Hukou in local urban, local rural'],
      [2, 'all.2.any.0', 'tag', '持有标签：残疾人', 'Holds tag: 残疾人'],
      [3, 'all.2.any.1.not', 'policy', '正在享受：高龄津贴', 'Receiving: 高龄津贴'],
      [4, 'all.3', 'policy', '符合政策：高龄津贴', 'Eligible for: 高龄津贴'],
      [5, 'all.4', 'field', '收入档次 未登记', 'Income band not recorded'],
      [6, 'all.5', 'field', '年龄 介于 60 和 79 之间', 'Age between 60 and 79'],
      [7, 'all.6', 'field', '独居：是', 'Lives alone: yes'],
    ]);
    expect(leaves[3]!.condition).toEqual({ policy: 'old_age', state: 'receiving' });
    expect(ruleLeaves({ field: 'sex', op: '!=', value: 'male' }, ctx).map((l) => [l.path, l.zh])).toEqual([
      ['', '性别 ≠ 男'],
    ]);
  });
});

const base: PersonFacts = {
  age: 82,
  sex: 'female',
  birth_date: '1944-05-01',
  ethnicity: '汉族',
  hukou_type: 'local_urban',
  income_band: null,
  disability_grade: null,
  relation: 'head',
  moved_in_on: null,
  household_size: 1,
  lives_alone: true,
  household_minors: 0,
  household_elders: 1,
  house_use: 'owner_occupied',
  house_area: 60.5,
  tags: new Set(['veteran']),
  receiving: new Set(),
};
const none = () => null;

describe('evaluateRule (the reference)', () => {
  it('holds, met_mask and the cost to hold: a failing tag cannot be flipped, a near number can', () => {
    const rule: Rule = {
      all: [
        { field: 'age', op: '>=', value: 80 },
        { field: 'hukou_type', op: 'in', value: ['local_urban', 'local_rural'] },
        { tag: 'disabled' },
      ],
    };
    // Only the tag fails, and a tag is never near: not a near miss.
    expect(evaluateRule(rule, base, none)).toEqual({ holds: false, metMask: 0b011n, costToHold: FAR_COST });
    expect(evaluateRule(rule, { ...base, tags: new Set(['disabled']) }, none)).toEqual({
      holds: true,
      metMask: 0b111n,
      costToHold: 0,
    });
    expect(evaluateRule(rule, { ...base, age: 70, hukou_type: 'nonlocal' }, none)).toEqual({
      holds: false,
      metMask: 0n,
      costToHold: 3 * FAR_COST,
    });
  });

  it("near misses of 'age >= 80 AND hukou local': 78 and 79 are near, 77 and any younger are not", () => {
    const rule: Rule = {
      all: [
        { field: 'age', op: '>=', value: 80 },
        { field: 'hukou_type', op: 'in', value: ['local_urban', 'local_rural'] },
      ],
    };
    const at = (age: number, hukou: string | null = 'local_urban') =>
      outcomeOf(evaluateRule(rule, { ...base, age, hukou_type: hukou }, none));
    expect([at(80), at(79), at(78), at(77), at(50), at(0)]).toEqual([
      'eligible',
      'near_miss',
      'near_miss',
      null,
      null,
      null,
    ]);
    // The hukou is never near: a non-local (or unrecorded) 85-year-old is not a near miss.
    expect([at(85, 'nonlocal'), at(85, null), at(79, 'nonlocal')]).toEqual([null, null, null]);
    expect(evaluateRule(rule, { ...base, age: 79 }, none)).toEqual({ holds: false, metMask: 0b10n, costToHold: 1 });
    // Two near leaves failing is two flips.
    const two: Rule = {
      all: [
        { field: 'age', op: '>=', value: 80 },
        { field: 'household_size', op: '>=', value: 3 },
      ],
    };
    expect(evaluateRule(two, { ...base, age: 79, household_size: 2 }, none).costToHold).toBe(2);
  });
  it('NULL semantics: a comparison with a value not recorded is false, != and not_in too; is_null tests recording', () => {
    const f = { ...base, income_band: null, disability_grade: null };
    const holds = (r: Rule) => evaluateRule(r, f, none).holds;
    expect(holds({ field: 'income_band', op: '=', value: 'low' })).toBe(false);
    expect(holds({ field: 'income_band', op: '!=', value: 'low' })).toBe(false);
    expect(holds({ field: 'income_band', op: 'not_in', value: ['low'] })).toBe(false);
    expect(holds({ field: 'disability_grade', op: '<', value: 4 })).toBe(false);
    expect(holds({ field: 'income_band', op: 'is_null' })).toBe(true);
    expect(holds({ field: 'income_band', op: 'not_null' })).toBe(false);
    // `not` is plain negation of the two-valued leaf.
    expect(holds({ not: { field: 'income_band', op: '=', value: 'low' } })).toBe(true);
    expect(holds({ field: 'hukou_type', op: '!=', value: 'nonlocal' })).toBe(true);
  });

  it('cost through not, any and policy references: leaves under a not are never near', () => {
    // not (all [a, b]) with both held: a held leaf cannot be flipped to false.
    const r: Rule = { not: { all: [{ field: 'age', op: '>=', value: 80 }, { tag: 'veteran' }] } };
    expect(evaluateRule(r, base, none)).toEqual({ holds: false, metMask: 0b11n, costToHold: FAR_COST });
    // not (age < 84) at 82: the leaf holds; even though 82 is within 2 of 84, under a not it is never near.
    expect(evaluateRule({ not: { field: 'age', op: '<', value: 84 } }, base, none).costToHold).toBe(FAR_COST);
    // not (not (age >= 84)) at 82: failing and near, but under a not: never near.
    expect(evaluateRule({ not: { not: { field: 'age', op: '>=', value: 84 } } }, base, none).costToHold).toBe(FAR_COST);
    // any: the cheapest branch (the second one misses only age ≥ 84 at 82).
    const any: Rule = {
      any: [
        { all: [{ tag: 'disabled' }, { field: 'sex', op: '=', value: 'female' }] },
        { all: [{ field: 'age', op: '>=', value: 84 }, { tag: 'veteran' }] },
      ],
    };
    expect(evaluateRule(any, base, none)).toEqual({ holds: false, metMask: 0b1010n, costToHold: 1 });
    expect(evaluateRule(any, { ...base, age: 81 }, none).costToHold).toBe(FAR_COST);
    // A policy reference is one leaf (its referenced rule's holds), never near.
    const ref: Rule = {
      all: [{ policy: 'old_age', state: 'eligible' }, { not: { policy: 'old_age', state: 'receiving' } }],
    };
    const resolve = (c: string) => ctx.policies.get(c)?.rule ?? null;
    expect(evaluateRule(ref, base, resolve)).toEqual({ holds: true, metMask: 0b01n, costToHold: 0 });
    expect(evaluateRule(ref, { ...base, receiving: new Set(['old_age']) }, resolve)).toEqual({
      holds: false,
      metMask: 0b11n,
      costToHold: FAR_COST,
    });
    // old_age is age ≥ 80: at 79 the reference fails, but it is one leaf that is never near.
    expect(evaluateRule(ref, { ...base, age: 79 }, resolve).costToHold).toBe(FAR_COST);
    expect(evaluateRule({ policy: 'no_rule', state: 'eligible' }, base, resolve).holds).toBe(false);
    expect(outcomeOf({ holds: false, metMask: 0n, costToHold: 2 })).toBeNull();
    expect(outcomeOf({ holds: false, metMask: 0n, costToHold: FAR_COST })).toBeNull();
    expect(outcomeOf({ holds: false, metMask: 0n, costToHold: 1 })).toBe('near_miss');
    expect(outcomeOf({ holds: true, metMask: 1n, costToHold: 0 })).toBe('eligible');
  });

  it('age is whole years on the day: born 29 February turns a year older on 1 March in a common year', () => {
    const at = (day: string) => ({ ...base, birth_date: '1944-02-29', age: ageOn('1944-02-29', day) });
    const r: Rule = { field: 'age', op: '>=', value: 81 };
    expect(evaluateRule(r, at('2025-02-28'), none).holds).toBe(false);
    expect(evaluateRule(r, at('2025-03-01'), none).holds).toBe(true);
  });
});

describe('nearMargin / nearCondition / fieldNear (the one rule of margins)', () => {
  it('margins: age 2 years, dates 180 days, other numbers max(1, 10% of |bound|), others never', () => {
    expect(nearMargin('age', 80)).toBe(2);
    expect(nearMargin('birth_date', '2020-01-01')).toBe(180);
    expect(nearMargin('moved_in_on', '2020-01-01')).toBe(180);
    expect(nearMargin('house_area', 50)).toBe(5);
    expect(nearMargin('house_area', 88.25)).toBe(8.83);
    expect(nearMargin('house_area', 5)).toBe(1);
    expect(nearMargin('house_area', 0)).toBe(1);
    expect(nearMargin('household_size', 30)).toBe(3);
    expect(nearMargin('disability_grade', 2)).toBe(1);
    expect(nearMargin('hukou_type', 'local_urban')).toBeNull();
    expect(nearMargin('lives_alone', true)).toBeNull();
    expect(nearMargin('ethnicity', '汉族')).toBeNull();
  });

  it('widened conditions per operator', () => {
    const w = (c: FieldCondition) => nearCondition(c);
    expect(w({ field: 'age', op: '>=', value: 80 })).toEqual({ field: 'age', op: '>=', value: 78 });
    expect(w({ field: 'age', op: '>', value: 80 })).toEqual({ field: 'age', op: '>', value: 78 });
    expect(w({ field: 'age', op: '<', value: 18 })).toEqual({ field: 'age', op: '<', value: 20 });
    expect(w({ field: 'age', op: '<=', value: 18 })).toEqual({ field: 'age', op: '<=', value: 20 });
    expect(w({ field: 'age', op: '=', value: 60 })).toEqual({ field: 'age', op: 'between', value: [58, 62] });
    expect(w({ field: 'house_area', op: 'between', value: [50, 100] })).toEqual({
      field: 'house_area',
      op: 'between',
      value: [45, 110],
    });
    expect(w({ field: 'moved_in_on', op: '>=', value: '2020-01-01' })).toEqual({
      field: 'moved_in_on',
      op: '>=',
      value: '2019-07-05',
    });
    expect(w({ field: 'birth_date', op: '=', value: '2024-02-29' })).toEqual({
      field: 'birth_date',
      op: 'between',
      value: ['2023-09-02', '2024-08-27'],
    });
    for (const c of [
      { field: 'age', op: '!=', value: 80 },
      { field: 'age', op: 'in', value: [80] },
      { field: 'age', op: 'not_in', value: [80] },
      { field: 'age', op: 'is_null' },
      { field: 'house_area', op: 'not_null' },
      { field: 'hukou_type', op: '=', value: 'nonlocal' },
      { field: 'income_band', op: 'in', value: ['low'] },
      { field: 'lives_alone', op: '=', value: true },
      { field: 'moved_in_on', op: '!=', value: '2020-01-01' },
    ] as FieldCondition[])
      expect(w(c), JSON.stringify(c)).toBeNull();
  });

  it('fieldNear: a failing value within the margin; a held value, a far value and null are not near', () => {
    const ge80: FieldCondition = { field: 'age', op: '>=', value: 80 };
    expect([80, 79, 78, 77].map((a) => fieldNear(ge80, a))).toEqual([false, true, true, false]);
    const gt80: FieldCondition = { field: 'age', op: '>', value: 80 };
    expect([81, 80, 79, 78].map((a) => fieldNear(gt80, a))).toEqual([false, true, true, false]);
    const lt60: FieldCondition = { field: 'age', op: '<', value: 60 };
    expect([59, 60, 61, 62].map((a) => fieldNear(lt60, a))).toEqual([false, true, true, false]);
    const area: FieldCondition = { field: 'house_area', op: '<=', value: 50 };
    expect([50, 50.01, 55, 55.01].map((a) => fieldNear(area, a))).toEqual([false, true, true, false]);
    const eq: FieldCondition = { field: 'household_size', op: '=', value: 3 };
    expect([1, 2, 3, 4, 5].map((a) => fieldNear(eq, a))).toEqual([false, true, false, true, false]);
    const moved: FieldCondition = { field: 'moved_in_on', op: '<', value: '2020-01-01' };
    expect(
      ['2019-12-31', '2020-01-01', addDays('2020-01-01', 179), '2020-06-29'].map((d) => fieldNear(moved, d)),
    ).toEqual([false, true, true, false]);
    expect(addDays('2020-01-01', 179)).toBe('2020-06-28');
    expect(fieldNear(ge80, null)).toBe(false);
    expect(fieldNear({ field: 'hukou_type', op: '=', value: 'nonlocal' }, 'local_urban')).toBe(false);
  });
});

// ---- property: the evaluator against a tiny independent oracle -------------------------------------------------
// Rules over tags t0…t5 (never near) and age bounds `age >= k` / `age < k` (near within 2 years). The oracle gives
// each leaf occurrence its own flip price — held: FAR_COST; failing: 1 when near (by its own arithmetic) and under
// no negation, else FAR_COST — and takes the cheapest of all 2^n flip sets that make the rule hold (brute recursion).

type B = { t: number } | { ge: number } | { lt: number } | { and: B[] } | { or: B[] } | { neg: B };
const bArb: fc.Arbitrary<B> = fc.letrec<{ b: B }>((tie) => ({
  b: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: 0, max: 5 }).map((t) => ({ t })),
    fc.integer({ min: 74, max: 86 }).map((ge) => ({ ge })),
    fc.integer({ min: 74, max: 86 }).map((lt) => ({ lt })),
    fc.array(tie('b'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })),
    fc.array(tie('b'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })),
    tie('b').map((neg) => ({ neg })),
  ),
})).b;
const toRule = (b: B): Rule =>
  't' in b
    ? { tag: `t${b.t}` }
    : 'ge' in b
      ? { field: 'age', op: '>=', value: b.ge }
      : 'lt' in b
        ? { field: 'age', op: '<', value: b.lt }
        : 'and' in b
          ? { all: b.and.map(toRule) }
          : 'or' in b
            ? { any: b.or.map(toRule) }
            : { not: toRule(b.neg) };
type Occ = { held: boolean; near: boolean; negated: boolean };
/** Leaves as occurrences (each occurrence its own variable), depth-first, with the oracle's own truth and nearness. */
const occurrences = (b: B, held: number[], age: number, negated = false): Occ[] => {
  if ('t' in b) return [{ held: held.includes(b.t), near: false, negated }];
  if ('ge' in b) return [{ held: age >= b.ge, near: age < b.ge && b.ge - age <= 2, negated }];
  if ('lt' in b) return [{ held: age < b.lt, near: age >= b.lt && age - b.lt < 2, negated }];
  if ('and' in b) return b.and.flatMap((c) => occurrences(c, held, age, negated));
  if ('or' in b) return b.or.flatMap((c) => occurrences(c, held, age, negated));
  return occurrences(b.neg, held, age, true);
};
function oracleHolds(b: B, vals: boolean[], pos: { i: number }): boolean {
  if ('t' in b || 'ge' in b || 'lt' in b) return vals[pos.i++]!;
  if ('and' in b) return b.and.map((c) => oracleHolds(c, vals, pos)).every(Boolean);
  if ('or' in b) return b.or.map((c) => oracleHolds(c, vals, pos)).some(Boolean);
  return !oracleHolds(b.neg, vals, pos);
}

describe('evaluateRule agrees with a brute-force oracle (property)', () => {
  it('holds, met_mask and costToHold (cheapest set of leaf flips; only near leaves outside a not cost 1)', () => {
    const outcomes = { eligible: 0, near: 0, other: 0 };
    fc.assert(
      fc.property(bArb, fc.subarray([0, 1, 2, 3, 4, 5]), fc.integer({ min: 72, max: 88 }), (b, held, age) => {
        const occ = occurrences(b, held, age);
        fc.pre(occ.length <= 12);
        const vals = occ.map((o) => o.held);
        const facts = { ...base, age, tags: new Set(held.map((t) => `t${t}`)) };
        const e = evaluateRule(toRule(b), facts, none);
        expect(e.holds).toBe(oracleHolds(b, vals, { i: 0 }));
        expect(e.metMask).toBe(vals.reduce((m, v, i) => (v ? m | (1n << BigInt(i)) : m), 0n));
        // Cheapest flips: try every subset of occurrences.
        let best = Number.POSITIVE_INFINITY;
        for (let s = 0; s < 1 << occ.length; s++) {
          const flipped = vals.map((v, i) => (s & (1 << i) ? !v : v));
          if (!oracleHolds(b, flipped, { i: 0 })) continue;
          let cost = 0;
          occ.forEach((o, i) => {
            if (s & (1 << i)) cost += !o.held && o.near && !o.negated ? 1 : FAR_COST;
          });
          best = Math.min(best, cost);
        }
        expect(e.costToHold).toBe(best);
        const out = outcomeOf(e);
        expect(out).toBe(best === 0 ? 'eligible' : best === 1 ? 'near_miss' : null);
        if (out === 'eligible') outcomes.eligible++;
        else if (out === 'near_miss') outcomes.near++;
        else outcomes.other++;
      }),
      { numRuns: 400 },
    );
    // The property saw all three outcomes (it is not vacuous).
    expect(outcomes.eligible).toBeGreaterThan(10);
    expect(outcomes.near).toBeGreaterThan(10);
    expect(outcomes.other).toBeGreaterThan(10);
  });
});
