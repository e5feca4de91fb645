import { describe, expect, it } from 'vitest';
import { zhCN } from '../i18n/zh-CN';
import { pointsPageTitle } from './points-titles';

const lookup = (key: string) =>
  key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], zhCN);

describe('pointsPageTitle', () => {
  it('titles each points and volunteering page, the longer path first', () => {
    expect(pointsPageTitle('/m/points')).toBe('myPoints.title');
    expect(pointsPageTitle('/m/deliberation/topics/3')).toBe('deliberation.mobile.title');
    expect(pointsPageTitle('/m/notices')).toBe('notices.mobile.title');
    expect(pointsPageTitle('/m/services')).toBe('services.title');
    expect(pointsPageTitle('/m/machinery')).toBe('machinery.mobile.title');
    expect(pointsPageTitle('/m/privacy')).toBe('privacyUi.myData');
    // the worker's decision page on a privacy request is not the resident's 我的数据
    expect(pointsPageTitle('/m/privacy/requests/4')).toBeNull();
    expect(pointsPageTitle('/m/points/redeem')).toBe('redeem.showTitle');
    expect(pointsPageTitle('/m/merchant')).toBe('redeem.entry');
    expect(pointsPageTitle('/m/merchant/goods')).toBe('merchants.mobile.title');
    expect(pointsPageTitle('/m/activities/12/organise')).toBe('volunteers.activitiesTitle');
    expect(pointsPageTitle('/m/timebank')).toBe('timebank.title');
    expect(pointsPageTitle('/m/partner')).toBe('partners.entry');
    expect(pointsPageTitle('/m/garbage')).toBe('earning.garbage.entry');
    // policies and assessment: a candidate's page is titled apart from the list
    expect(pointsPageTitle('/m/policies')).toBe('policiesUi.mobile.title');
    expect(pointsPageTitle('/m/policies/candidates/7')).toBe('policiesUi.mobile.detail');
    expect(pointsPageTitle('/m/assessment')).toBe('assessment.mineTitle');
  });

  it('leaves other pages to their own titles', () => {
    expect(pointsPageTitle('/m')).toBeNull();
    expect(pointsPageTitle('/m/visits')).toBeNull();
    expect(pointsPageTitle('/m/pointsx')).toBeNull();
  });

  it('names keys that exist in the messages', () => {
    for (const path of ['/m/points', '/m/points/redeem', '/m/merchant', '/m/merchant/goods', '/m/garbage'])
      expect(typeof lookup(pointsPageTitle(path)!)).toBe('string');
    for (const path of ['/m/policies', '/m/policies/candidates/7', '/m/assessment'])
      expect(typeof lookup(pointsPageTitle(path)!)).toBe('string');
    for (const path of ['/m/activities', '/m/timebank', '/m/partner'])
      expect(typeof lookup(pointsPageTitle(path)!)).toBe('string');
  });
});
