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
  | 'partners.entry';

const TITLES: readonly [RegExp, PointsTitle][] = [
  [/^\/m\/points\/redeem(\/|$)/, 'redeem.showTitle'],
  [/^\/m\/points(\/|$)/, 'myPoints.title'],
  [/^\/m\/merchant\/goods(\/|$)/, 'merchants.mobile.title'],
  [/^\/m\/merchant(\/|$)/, 'redeem.entry'],
  [/^\/m\/garbage(\/|$)/, 'earning.garbage.entry'],
  [/^\/m\/activities(\/|$)/, 'volunteers.activitiesTitle'],
  [/^\/m\/timebank(\/|$)/, 'timebank.title'],
  [/^\/m\/partner(\/|$)/, 'partners.entry'],
];

export function pointsPageTitle(pathname: string): PointsTitle | null {
  return TITLES.find(([re]) => re.test(pathname))?.[1] ?? null;
}
