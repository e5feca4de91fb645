import { describe, expect, it } from 'vitest';
import type { Me } from '../../api-types';
import { i18n } from '../../i18n';
import { checkinResultText } from '../../mobile/garbage/mobile-garbage-page';
import { failOnRenderWarnings, renderView } from '../../test/render-view';
import { PointsRulesView } from './points-rules-views';
import { type EarningRule, type GarbageCheckin, type PointsSettings, pointsKeys } from './use-points-rules';

const me = {
  permissions: ['points.read', 'points.manage', 'points.config'],
  modules: ['points'],
  posts: [{ nodeId: null, nodeName: null }],
} as unknown as Me;

const rule = (over: Partial<EarningRule>): EarningRule => ({
  id: 1,
  code: 'case_confirmed',
  name: '随手拍被受理',
  description: null,
  trigger: 'case_confirmed',
  activityType: null,
  currency: 'points',
  amount: 10,
  dailyCap: 30,
  monthlyCap: null,
  enabled: true,
  builtin: true,
  version: 1,
  credited: 120,
  updatedAt: '2026-12-07T01:00:00.000Z',
  ...over,
});

const settings: PointsSettings = {
  householdMode: 'sum',
  expiryPolicy: 'none',
  expiryYears: 1,
  conductEnabled: false,
  pointsPerYuan: 100,
  version: 1,
  updatedAt: '2026-12-07T01:00:00.000Z',
};

describe('earning rules page', () => {
  failOnRenderWarnings();

  it('lists each rule with its trigger, amount, caps and switch, and the settings card', () => {
    const rules = [
      rule({}),
      rule({
        id: 2,
        code: 'activity_choir',
        name: '合唱',
        trigger: 'activity',
        activityType: 'choir',
        amount: 5,
        dailyCap: null,
        credited: 0,
      }),
    ];
    const html = renderView(me, <PointsRulesView />, (c) => {
      c.setQueryData(pointsKeys.rules, rules);
      c.setQueryData(pointsKeys.settings, settings);
    });
    for (const text of [
      '积分规则',
      '随手拍被受理',
      '每日 30 · 每月 不限',
      '10 积分',
      '合唱',
      'choir',
      '参加活动',
      '积分设置',
    ]) {
      expect(html).toContain(text);
    }
    expect(html).toContain('data-testid="earning-toggle-case_confirmed"');
  });

  it('the check-in answer says what was credited, or why nothing was', () => {
    const t = i18n.t.bind(i18n);
    const c = (over: Partial<GarbageCheckin>) =>
      ({ credited: 0, outcome: 'credited', quality: 'good', ...over }) as GarbageCheckin;
    expect(checkinResultText(t, c({ credited: 2, outcome: 'credited' }))).toBe('已记 2 积分');
    expect(checkinResultText(t, c({ credited: 1, outcome: 'capped' }))).toBe('已记 1 积分（达到上限）');
    expect(checkinResultText(t, c({ outcome: 'capped' }))).toBe('今日积分已达上限，本次不计分');
    expect(checkinResultText(t, c({ outcome: 'rule_off' }))).toBe('打卡规则未启用，本次不计分');
    expect(checkinResultText(t, c({ quality: 'fair', outcome: 'not_good' }))).toBe('已记录，未达标不计分');
  });
});
