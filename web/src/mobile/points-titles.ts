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
  | 'assessment.mineTitle'
  // the residents' side: 议事协商, 通知公告, 便民服务, 农机共享, 我的数据
  | 'deliberation.mobile.title'
  | 'notices.mobile.title'
  | 'services.title'
  | 'machinery.mobile.title'
  | 'privacyUi.myData';

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
  [/^\/m\/deliberation(\/|$)/, 'deliberation.mobile.title'],
  [/^\/m\/notices(\/|$)/, 'notices.mobile.title'],
  [/^\/m\/services(\/|$)/, 'services.title'],
  [/^\/m\/machinery(\/|$)/, 'machinery.mobile.title'],
  [/^\/m\/privacy$/, 'privacyUi.myData'],
];

export function pointsPageTitle(pathname: string): PointsTitle | null {
  return TITLES.find(([re]) => re.test(pathname))?.[1] ?? null;
}
