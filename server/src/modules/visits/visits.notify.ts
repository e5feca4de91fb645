/**
 * What visit tasks tell people through the inbox: a task given to them, and the morning reminder of what is due;
 * link type 'visit_task', opened while the reader may read the task.
 */
import { defineKind, registerLinkResolver } from '../../platform/notify/notify.kinds.js';
import { canReadTask, VISITS_NOTIFY } from './visits.service.js';

const link = (p: Record<string, unknown>) =>
  typeof p.taskId === 'number'
    ? { type: 'visit_task', id: p.taskId, nodePath: typeof p.nodePath === 'string' ? p.nodePath : null }
    : null;

let registered = false;

export function registerVisitNotifications(): void {
  if (registered) return;
  registered = true;
  defineKind({
    kind: VISITS_NOTIFY.assigned,
    title: {
      'zh-CN': '{by} 交给您一项走访任务：{ruleName} — {placeName}（{due} 前）',
      en: '{by} gave you a visit task: {ruleName} — {placeName} (due {due})',
    },
    label: { 'zh-CN': '交给我的走访任务', en: 'Visit tasks given to me' },
    urgency: 'normal',
    link,
  });
  defineKind({
    kind: VISITS_NOTIFY.remind,
    title: {
      'zh-CN': '今日待走访 {dueToday} 项，已超期 {overdue} 项',
      en: 'Visits due today: {dueToday}; overdue: {overdue}',
    },
    label: { 'zh-CN': '每日走访提醒', en: 'Daily visit reminder' },
    urgency: 'normal',
  });
  registerLinkResolver('visit_task', (q, ctx, id) => canReadTask(q, ctx, id));
}
