/**
 * What the alarms tell people through the inbox (the ladder's steps, an acknowledgment), and how a message opens its
 * alarm: link type 'alarm', opened while the reader may read it (devices.read over its node, or family).
 */
import { defineKind, registerLinkResolver } from '../../platform/notify/notify.kinds.js';
import { ALARM_NOTIFY, canReadAlarm } from './alarms.service.js';

const link = (p: Record<string, unknown>) =>
  typeof p.alarmId === 'number'
    ? { type: 'alarm', id: p.alarmId, nodePath: typeof p.nodePath === 'string' ? p.nodePath : null }
    : null;

let registered = false;

export function registerAlarmNotifications(): void {
  if (registered) return;
  registered = true;
  defineKind({
    kind: ALARM_NOTIFY.raised,
    title: {
      'zh-CN': '预警：{residentName} {placeName} — {summaryZh}',
      en: 'Alarm: {residentName} {placeName} — {summaryEn}',
    },
    label: { 'zh-CN': '设备预警（家属与网格员）', en: 'Device alarms (family and grid workers)' },
    urgency: 'urgent',
    link,
  });
  defineKind({
    kind: ALARM_NOTIFY.escalated,
    title: {
      'zh-CN': '预警无人确认，已上报：{placeName} — {summaryZh}',
      en: 'Alarm not acknowledged, escalated: {placeName} — {summaryEn}',
    },
    label: { 'zh-CN': '升级的设备预警', en: 'Escalated device alarms' },
    urgency: 'urgent',
    link,
  });
  defineKind({
    kind: ALARM_NOTIFY.acknowledged,
    title: {
      'zh-CN': '{by} 已确认预警：{placeName} — {summaryZh}',
      en: '{by} acknowledged the alarm: {placeName} — {summaryEn}',
    },
    label: { 'zh-CN': '预警已有人确认', en: 'Alarm acknowledged by someone' },
    urgency: 'normal',
    link,
  });
  registerLinkResolver('alarm', (q, ctx, id) => canReadAlarm(q, ctx, id));
}
