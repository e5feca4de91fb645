import { describe, expect, it } from 'vitest';
import { explainResult, factKey, residentText, shapeFromLeaves } from './rules.explain.js';
import {
  evaluateRule,
  FAR_COST,
  outcomeOf,
  type PersonFacts,
  parseRule,
  type RuleContext,
  ruleLeaves,
} from './rules.logic.js';

const ctx: RuleContext = {
  tags: new Map([['disabled', '残疾人']]),
  policies: new Map([['old_age', { name: '高龄津贴', rule: null }]]),
};
const policy = {
  name: '高龄津贴',
  legalRef: '《某县高龄老人津贴发放办法》第三条',
  residentText: '津贴按月发放至本人社保卡。',
  handledBy: '民政办',
};

const person: PersonFacts = {
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
  tags: new Set(),
  receiving: new Set(),
};

const andRule = parseRule(
  {
    all: [
      { field: 'age', op: '>=', value: 80 },
      { field: 'hukou_type', op: 'in', value: ['local_urban', 'local_rural'] },
      { not: { policy: 'old_age', state: 'receiving' } },
    ],
  },
  ctx,
  'x',
);
const andLeaves = ruleLeaves(andRule, ctx);

describe('explainResult', () => {
  it('eligible: every condition met, with the values used', () => {
    const e = evaluateRule(andRule, person, () => null);
    const facts = { age: 82, hukou_type: 'local_urban', 'receiving:old_age': false };
    const x = explainResult(andLeaves, e.metMask, 'eligible', facts, 'zh-CN');
    expect(x.failed).toEqual([]);
    expect(x.met.map((m) => [m.index, m.label, m.value, m.valueText, m.negated])).toEqual([
      [0, '年龄 ≥ 80', 82, '82', false],
      [1, '户籍类型 属于 本地城镇、本地农村', 'local_urban', '本地城镇', false],
      [2, '正在享受：高龄津贴', false, '否', true],
    ]);
    expect(explainResult(andLeaves, e.metMask, 'eligible', facts, 'en').met[1]).toMatchObject({
      label: 'Hukou in local urban, local rural',
      valueText: 'local urban',
    });
  });

  it('near miss of an AND rule: exactly the one near false leaf fails; a far or unrecorded value is no near miss', () => {
    const e = evaluateRule(andRule, { ...person, age: 79 }, () => null);
    expect([e.holds, e.costToHold]).toEqual([false, 1]);
    const facts = { age: 79, hukou_type: 'local_urban', 'receiving:old_age': false };
    const x = explainResult(andLeaves, e.metMask, 'near_miss', facts, 'zh-CN');
    expect(x.met.map((m) => m.index)).toEqual([1, 2]);
    expect(x.failed.map((m) => [m.index, m.label, m.value, m.valueText])).toEqual([[0, '年龄 ≥ 80', 79, '79']]);
    // 77 is not near (margin 2 years): not a near miss; explained on demand, every unmet leaf is listed.
    const far = evaluateRule(andRule, { ...person, age: 77 }, () => null);
    expect(far.costToHold).toBe(FAR_COST);
    // A stored near miss is only explained by its near leaf: with a far value nothing qualifies as "one flip away".
    expect(explainResult(andLeaves, far.metMask, 'near_miss', { ...facts, age: 77 }, 'zh-CN').failed).toEqual([]);
    expect(
      explainResult(andLeaves, far.metMask, null, { ...facts, age: 77 }, 'zh-CN').failed.map((m) => m.index),
    ).toEqual([0]);
    // An unrecorded hukou is never near: not a near miss; on demand it reads 未登记.
    const noHukou = evaluateRule(andRule, { ...person, hukou_type: null }, () => null);
    expect(noHukou.costToHold).toBe(FAR_COST);
    const y = explainResult(andLeaves, noHukou.metMask, null, { ...facts, age: 82, hukou_type: null }, 'zh-CN');
    expect(y.failed.map((m) => [m.index, m.value, m.valueText])).toEqual([[1, null, '未登记']]);
    // Receiving already: the negated leaf is never near (not a near miss); on demand it is the unmet leaf.
    const r = evaluateRule(andRule, { ...person, receiving: new Set(['old_age']) }, () => null);
    expect(r.costToHold).toBe(FAR_COST);
    const z = explainResult(andLeaves, r.metMask, null, { 'receiving:old_age': true }, 'zh-CN');
    expect(z.failed.map((m) => [m.index, m.negated])).toEqual([[2, true]]);
  });

  it('near miss of an OR of ANDs: the near missing leaf of each branch one flip away, not far or two-flip branches', () => {
    const rule = parseRule(
      {
        any: [
          {
            all: [
              { field: 'age', op: '>=', value: 84 },
              { field: 'lives_alone', op: '=', value: true },
            ],
          },
          {
            all: [
              { field: 'house_area', op: '>=', value: 65 },
              { field: 'income_band', op: '=', value: 'low' },
            ],
          },
          {
            all: [
              { field: 'household_size', op: '<=', value: 0 },
              { field: 'sex', op: '=', value: 'female' },
            ],
          },
          {
            all: [
              { field: 'sex', op: '=', value: 'male' },
              { field: 'household_elders', op: '>=', value: 1 },
            ],
          },
        ],
      },
      ctx,
    );
    const leaves = ruleLeaves(rule, ctx);
    const e = evaluateRule(rule, person, () => null);
    expect(e).toEqual({ holds: false, metMask: 0b10100010n, costToHold: 1 });
    const facts = {
      age: 82,
      lives_alone: true,
      house_area: 60.5,
      income_band: null,
      household_size: 1,
      sex: 'female',
      household_elders: 1,
    };
    const x = explainResult(leaves, e.metMask, 'near_miss', facts, 'zh-CN');
    expect(x.met.map((m) => m.index)).toEqual([1, 5, 7]);
    // 0 (82 for ≥ 84) and 4 (1 for ≤ 0) are near and each alone makes its branch hold; 2 is near but its branch
    // also misses the income band; 6 (sex) alone would make its branch hold but is never near.
    expect(x.failed.map((m) => m.index)).toEqual([0, 4]);
    // Neither outcome (a stored result never has this, but an explanation on demand may): every unmet leaf.
    expect(explainResult(leaves, e.metMask, null, facts, 'en').failed.map((m) => m.index)).toEqual([0, 2, 3, 4, 6]);
  });

  it('rebuilds the rule shape from leaf paths, and names facts by field, tag and policy', () => {
    const leaves = ruleLeaves(
      parseRule({ not: { any: [{ tag: 'disabled' }, { policy: 'old_age', state: 'eligible' }] } }, ctx),
      ctx,
    );
    expect(shapeFromLeaves(leaves)).toEqual({
      kind: 'not',
      child: {
        kind: 'any',
        children: [
          { kind: 'leaf', index: 0 },
          { kind: 'leaf', index: 1 },
        ],
      },
    });
    expect(leaves.map((l) => factKey(l.condition))).toEqual(['tag:disabled', 'eligible:old_age']);
    expect(factKey({ field: 'age', op: '>', value: 1 })).toBe('age');
  });
});

describe('residentText', () => {
  const e = evaluateRule(andRule, person, () => null);
  const facts = { age: 82, hukou_type: 'local_urban', 'receiving:old_age': false };

  it('zh-CN: legal basis, conditions met in plain words, a possibility decided on review, who handles it, how to object', () => {
    const text = residentText(policy, explainResult(andLeaves, e.metMask, 'eligible', facts, 'zh-CN'), 'zh-CN');
    expect(text).toBe(
      '根据《某县高龄老人津贴发放办法》第三条，您年满80周岁、户籍类型为本地城镇、目前未享受高龄津贴，可能符合高龄津贴的申领条件。是否符合以审核为准。' +
        '津贴按月发放至本人社保卡。如需申请，可由民政办办理，网格员可以协助您。' +
        '以上结果由系统根据已登记的信息比对得出，不会自动为您办理，也不是最终决定：最终由工作人员核实后决定。如您认为信息有误或对结果有异议，可以向网格员或民政办提出，我们将人工复核。',
    );
  });

  it('en, and a near miss names what is missing and how to correct a record', () => {
    const en = residentText(policy, explainResult(andLeaves, e.metMask, 'eligible', facts, 'en'), 'en');
    expect(en).toContain(
      'you are aged 80 or over, hukou local urban, not receiving 高龄津贴 yet, so you may qualify for 高龄津贴',
    );
    expect(en).toContain('a member of staff checks and decides');
    expect(en).toContain('tell your grid worker or 民政办');
    const miss = evaluateRule(andRule, { ...person, age: 78 }, () => null);
    expect(outcomeOf(miss)).toBe('near_miss');
    const zh = residentText(
      { ...policy, handledBy: null, residentText: '' },
      explainResult(andLeaves, miss.metMask, 'near_miss', { ...facts, age: 78 }, 'zh-CN'),
      'zh-CN',
    );
    expect(zh).toBe(
      '根据《某县高龄老人津贴发放办法》第三条，您户籍类型为本地城镇、目前未享受高龄津贴，但尚不满足“年龄 ≥ 80”（登记为78），目前暂不符合高龄津贴的申领条件；如情况有变化或登记信息有误，请告诉我们。' +
        '以上结果由系统根据已登记的信息比对得出，不会自动为您办理，也不是最终决定：最终由工作人员核实后决定。如您认为信息有误或对结果有异议，可以向网格员提出，我们将人工复核。',
    );
  });
});
