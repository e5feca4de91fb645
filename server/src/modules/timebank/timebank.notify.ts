/**
 * What the time bank tells people through the inbox: a service recorded for them to confirm, the volunteer's record
 * confirmed or rejected, a request matched to a volunteer. No link: they open 时间银行 on the phone.
 */
import { defineKind } from '../../platform/notify/notify.kinds.js';

export const TIMEBANK_NOTIFY = {
  confirmAsked: 'timebank.confirm_asked',
  decided: 'timebank.decided',
  matched: 'timebank.matched',
} as const;

let registered = false;

export function registerTimebankNotifications(): void {
  if (registered) return;
  registered = true;
  defineKind({
    kind: TIMEBANK_NOTIFY.confirmAsked,
    title: {
      'zh-CN': '志愿者 {volunteer} 记录了为 {recipient} 服务 {minutes} 分钟，请在“时间银行”确认',
      en: 'Volunteer {volunteer} recorded {minutes} minutes of service to {recipient}: confirm it in Time bank',
    },
    label: { 'zh-CN': '待我确认的时间银行服务', en: 'Time-bank services for me to confirm' },
    urgency: 'normal',
  });
  defineKind({
    kind: TIMEBANK_NOTIFY.decided,
    title: {
      'zh-CN': '您为 {recipient} 的 {minutes} 分钟服务已{outcome}',
      en: 'Your {minutes} minutes of service to {recipient}: {outcomeEn}',
    },
    label: { 'zh-CN': '我的服务记录确认结果', en: 'My service records confirmed or rejected' },
    urgency: 'normal',
  });
  defineKind({
    kind: TIMEBANK_NOTIFY.matched,
    title: {
      'zh-CN': '时间银行需求已匹配给您：{place}，{wanted}，约 {minutes} 分钟',
      en: 'A time-bank request was matched to you: {place}, {wanted}, about {minutes} minutes',
    },
    label: { 'zh-CN': '匹配给我的时间银行需求', en: 'Time-bank requests matched to me' },
    urgency: 'normal',
  });
}
