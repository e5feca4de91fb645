/** The reminder a month before points expire (December, Asia/Shanghai): once per account and year. */
import { defineKind } from '../../platform/notify/notify.kinds.js';

export const EXPIRING_KIND = 'points.expiring';

let registered = false;

export function registerExpiryNotifications(): void {
  if (registered) return;
  registered = true;
  defineKind({
    kind: EXPIRING_KIND,
    title: {
      'zh-CN': '您有 {points} 积分将于 {year} 年底过期，请尽快使用',
      en: '{points} of your points expire at the end of {year}: use them soon',
    },
    label: { 'zh-CN': '积分即将过期', en: 'Points about to expire' },
    urgency: 'normal',
  });
}
