import type {
  AlarmDetail,
  AlarmEvent,
  AlarmListItem,
  AlarmLiveEvent,
  AlarmOutcome,
  AlarmStatus,
  LadderLevel,
  Severity,
} from '../../../api-types';
import { ALARM_STATUSES, RESOLVE_OUTCOMES, SEVERITIES } from './alarm-filters';

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

const OUTCOMES: readonly AlarmOutcome[] = [...RESOLVE_OUTCOMES, 'auto_cleared'];

/** What the timeline shows of an event's detail, picked from what the server records for each action. */
export type EventDetailParts = {
  /** A note's text, or the note given on acknowledging or resolving. */
  note?: string;
  outcome?: AlarmOutcome;
  /** How many messages a ladder step sent. */
  messages?: number;
  caseId?: number;
  caseNo?: string;
};

export function eventDetailParts(e: Pick<AlarmEvent, 'action' | 'detail'>): EventDetailParts {
  const d = e.detail;
  const parts: EventDetailParts = {};
  const note = [d.text, d.note].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (note) parts.note = note;
  const outcome = OUTCOMES.find((o) => o === d.outcome);
  if (outcome) parts.outcome = outcome;
  if (e.action === 'notified' && typeof d.messages === 'number') parts.messages = d.messages;
  if (e.action === 'case_opened') {
    if (typeof d.caseId === 'number') parts.caseId = d.caseId;
    if (typeof d.caseNo === 'string') parts.caseNo = d.caseNo;
  }
  return parts;
}
