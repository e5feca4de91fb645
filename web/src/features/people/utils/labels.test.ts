import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../../i18n/en';
import { zhCN } from '../../../i18n/zh-CN';
import { describeRule } from './labels';

const i18n = i18next.createInstance();

beforeAll(async () => {
  await i18n.init({
    lng: 'zh-CN',
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    interpolation: { escapeValue: false },
  });
});

describe('describeRule', () => {
  const elderlyAlone = {
    all: [
      { fact: 'age' as const, op: '>=' as const, value: 80 },
      { fact: 'household_size' as const, op: '=' as const, value: 1 },
    ],
  };

  it('reads a rule as a sentence', () => {
    expect(describeRule(i18n.getFixedT('zh-CN'), elderlyAlone)).toBe('年龄 ≥ 80 且 户内人数 = 1');
    expect(describeRule(i18n.getFixedT('en'), elderlyAlone)).toBe('Age ≥ 80 and Household size = 1');
  });

  it('names sex and status values and the ≠ comparison', () => {
    const rule = {
      all: [
        { fact: 'sex', op: '=', value: 'female' },
        { fact: 'status', op: '!=', value: 'deceased' },
      ],
    };
    expect(describeRule(i18n.getFixedT('zh-CN'), rule)).toBe('性别 = 女 且 状态 ≠ 已死亡');
  });

  it('shows a fact it does not know as the server wrote it', () => {
    expect(describeRule(i18n.getFixedT('zh-CN'), { all: [{ fact: 'income', op: '<', value: 800 }] })).toBe(
      'income < 800',
    );
  });
});
