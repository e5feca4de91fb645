/** What activities tell residents through the inbox: what an attended activity credited them, a cancellation. */
import { defineKind } from '../../platform/notify/notify.kinds.js';
import { ACTIVITY_NOTIFY } from './activities.service.js';

let registered = false;

export function registerVolunteerNotifications(): void {
  if (registered) return;
  registered = true;
  defineKind({
    kind: ACTIVITY_NOTIFY.credited,
    title: {
      'zh-CN': '感谢参加「{title}」，已获得 {amount} {unit}',
      en: 'Thank you for joining “{title}”: you earned {amount} {unitEn}',
    },
    label: { 'zh-CN': '活动积分到账', en: 'Points for activities attended' },
    urgency: 'normal',
  });
  defineKind({
    kind: ACTIVITY_NOTIFY.cancelled,
    title: { 'zh-CN': '您报名的活动「{title}」已取消', en: 'The activity “{title}” you signed up for was cancelled' },
    label: { 'zh-CN': '报名活动取消', en: 'Activities cancelled' },
    urgency: 'normal',
  });
}
