import type {
  AlarmDetail,
  AlarmListItem,
  AlarmLiveEvent,
  AlarmStatus,
  LadderLevel,
  Severity,
} from '../../../api-types';
import { ALARM_STATUSES, SEVERITIES } from './alarm-filters';

/** antd tag colours: red for what needs someone now, down to gold for a warning. */
export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: 'red',
  major: 'volcano',
  minor: 'orange',
  warning: 'gold',
};

export const STATUS_COLOR: Record<AlarmStatus, string> = {
  active: 'error',
  acknowledged: 'processing',
  resolved: 'default',
};

/** Most severe first; within a severity, the most recent trigger first. */
export function compareAlarms(a: AlarmListItem, b: AlarmListItem): number {
  const bySeverity = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
  return bySeverity || b.lastAt.localeCompare(a.lastAt);
}

/** A frame of the live `alarms` topic (anything else is ignored). */
export function isAlarmLiveEvent(data: unknown): data is AlarmLiveEvent {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Record<string, unknown>;
  return (
    typeof d.alarmId === 'number' &&
    (ALARM_STATUSES as readonly unknown[]).includes(d.status) &&
    (SEVERITIES as readonly unknown[]).includes(d.severity) &&
    (d.change === 'raised' || d.change === 'updated')
  );
}

export type LadderRow = {
  level: LadderLevel;
  afterMin: number;
  /** When the step falls due: the alarm's first trigger plus the step's delay. */
  dueAt: string;
  /** When this level was notified (from the timeline), or null. */
  notifiedAt: string | null;
  /** notified; pending (will be notified at dueAt if nobody acknowledges); stopped (acknowledged first). */
  state: 'notified' | 'pending' | 'stopped';
};

/**
 * The escalation ladder as the detail shows it: every step, whether and when its level was notified. The ladder
 * stops at acknowledgment, so steps not reached by then are `stopped`.
 */
export function ladderRows(
  alarm: Pick<AlarmDetail, 'firstAt' | 'ladder' | 'events' | 'acknowledgedAt' | 'resolvedAt'>,
): LadderRow[] {
  const start = new Date(alarm.firstAt).getTime();
  const stoppedAt = alarm.acknowledgedAt ?? alarm.resolvedAt;
  return alarm.ladder.map((step) => {
    const dueAt = new Date(start + step.afterMin * 60_000).toISOString();
    const notified = alarm.events.find(
      (e) => (e.action === 'notified' || e.action === 'escalated') && e.level === step.level,
    );
    const state: LadderRow['state'] = notified ? 'notified' : stoppedAt ? 'stopped' : 'pending';
    return { level: step.level, afterMin: step.afterMin, dueAt, notifiedAt: notified?.at ?? null, state };
  });
}

/** The one line the list shows under an alarm's summary: the place, and the watched person when there is one. */
export function placeLine(a: Pick<AlarmListItem, 'placeName' | 'houseLabel' | 'residentName'>): string {
  return [a.placeName, a.houseLabel, a.residentName].filter(Boolean).join(' · ');
}

/**
 * A timeline event's detail as one line: a note's text as it is, anything else as `key: value` pairs of its plain
 * values (nested objects are left out; the timeline is for people, not a dump).
 */
export function eventDetailText(detail: Record<string, unknown>): string {
  for (const key of ['text', 'note']) {
    const value = detail[key];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return Object.entries(detail)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}
