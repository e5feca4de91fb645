/**
 * The phone header's title for the points and volunteering pages (and so their back arrow), or null for another
 * page: 我的积分, 出示兑换码, 扫码兑换, 商品管理, 垃圾分类打卡, 志愿活动, 时间银行, 合伙人.
 */
export type PointsTitle =
  | 'myPoints.title'
  | 'redeem.showTitle'
  | 'redeem.entry'
  | 'merchants.mobile.title'
  | 'earning.garbage.entry'
  | 'volunteers.activitiesTitle'
  | 'timebank.title'
  | 'partners.entry'
  // policies [A3], assessment [C2]: 政策待办 (the list and a candidate), 我的考核
  | 'policiesUi.mobile.title'
  | 'policiesUi.mobile.detail'
  | 'assessment.mineTitle';

const TITLES: readonly [RegExp, PointsTitle][] = [
  [/^\/m\/points\/redeem(\/|$)/, 'redeem.showTitle'],
  [/^\/m\/points(\/|$)/, 'myPoints.title'],
  [/^\/m\/merchant\/goods(\/|$)/, 'merchants.mobile.title'],
  [/^\/m\/merchant(\/|$)/, 'redeem.entry'],
  [/^\/m\/garbage(\/|$)/, 'earning.garbage.entry'],
  [/^\/m\/activities(\/|$)/, 'volunteers.activitiesTitle'],
  [/^\/m\/timebank(\/|$)/, 'timebank.title'],
  [/^\/m\/partner(\/|$)/, 'partners.entry'],
  [/^\/m\/policies\/candidates\/\d+$/, 'policiesUi.mobile.detail'],
  [/^\/m\/policies(\/|$)/, 'policiesUi.mobile.title'],
  [/^\/m\/assessment(\/|$)/, 'assessment.mineTitle'],
];

export function pointsPageTitle(pathname: string): PointsTitle | null {
  return TITLES.find(([re]) => re.test(pathname))?.[1] ?? null;
}
