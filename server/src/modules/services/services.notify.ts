/**
 * What the canteen tells a diner through the inbox: a meal ordered for them by someone else (a family member or a
 * worker), and a meal of theirs cancelled by someone else. No link: they open 便民服务 on the phone.
 */
import { defineKind } from '../../platform/notify/notify.kinds.js';

export const SERVICES_NOTIFY = {
  orderedForYou: 'services.meal_ordered',
  cancelledForYou: 'services.meal_cancelled',
} as const;

export function registerServicesNotifications(): void {
  defineKind({
    kind: SERVICES_NOTIFY.orderedForYou,
    title: {
      'zh-CN': '{by} 为您预订了 {day} 的{mealZh}（{canteen}）',
      en: '{by} ordered your {mealEn} on {day} at {canteen}',
    },
    label: { 'zh-CN': '他人为我预订的长者食堂餐食', en: 'Canteen meals others ordered for me' },
    urgency: 'normal',
  });
  defineKind({
    kind: SERVICES_NOTIFY.cancelledForYou,
    title: {
      'zh-CN': '{by} 取消了您 {day} 的{mealZh}（{canteen}）',
      en: '{by} cancelled your {mealEn} on {day} at {canteen}',
    },
    label: { 'zh-CN': '他人为我取消的长者食堂餐食', en: 'Canteen meals others cancelled for me' },
    urgency: 'normal',
  });
}

// Kinds are static registrations: defined when the module loads, so a message can be sent before any route runs.
registerServicesNotifications();
