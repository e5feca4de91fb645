import type { AlarmListItem, AlarmOutcome, Me, Severity } from '../../api-types';
import { shanghaiDayBound } from '../../ui/time';

/** Most severe first (the server's vocabulary, SEVERITIES, is in this order). */
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3 };

type Sortable = Pick<AlarmListItem, 'id' | 'severity' | 'status' | 'lastAt'>;

/**
 * The order of an alarm list on the phone: the most severe first; within a severity those nobody has acknowledged
 * yet before those in hand; then the newest (last triggered) first; the id breaks ties so the order is stable.
 */
export function compareAlarms(a: Sortable, b: Sortable): number {
  const bySeverity = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
  if (bySeverity !== 0) return bySeverity;
  const byStatus = statusRank(a.status) - statusRank(b.status);
  if (byStatus !== 0) return byStatus;
  const byTime = Date.parse(b.lastAt) - Date.parse(a.lastAt);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return b.id - a.id;
}

const statusRank = (s: AlarmListItem['status']) => (s === 'active' ? 0 : s === 'acknowledged' ? 1 : 2);

export function sortAlarms<T extends Sortable>(items: readonly T[]): T[] {
  return [...items].sort(compareAlarms);
}

/** The outcomes a person may choose on resolving, in the order the phone offers them. */
export const RESOLVE_OUTCOMES = ['person_safe', 'false_alarm', 'help_given', 'emergency_called'] as const;
export type ResolveOutcome = (typeof RESOLVE_OUTCOMES)[number];

/** The i18n key of an outcome's label (auto_cleared is the system's own: a rule that resolved by itself). */
export function outcomeLabelKey(outcome: AlarmOutcome): `mobileAlarms.outcomes.${AlarmOutcome}` {
  return `mobileAlarms.outcomes.${outcome}`;
}

/** The i18n key of a severity's label. */
export function severityLabelKey(severity: Severity): `mobileAlarms.severities.${Severity}` {
  return `mobileAlarms.severities.${severity}`;
}

/** antd-mobile tag colours by severity. */
export const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: 'danger',
  major: 'warning',
  minor: 'primary',
  warning: 'default',
};

/**
 * A `tel:` link for a phone number, or null when the number cannot be dialled as shown: a masked number
 * (138****1234) has no link; spaces, dashes, dots and brackets are dropped; a leading + is kept.
 */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const trimmed = phone.trim();
  if (/[*•xX×]/.test(trimmed)) return null;
  const compact = trimmed.replace(/[\s\-().]/g, '');
  if (!/^\+?\d{3,20}$/.test(compact)) return null;
  return `tel:${compact}`;
}

/** What the phone offers an account for alarms, from /api/auth/me (the server decides each action again). */
export type AlarmAccess = {
  /** 预警: the open alarms of the worker's area. */
  canRead: boolean;
  /** Acknowledge and resolve (grid, community, street workers). */
  canHandle: boolean;
};

export function alarmAccess(me: Pick<Me, 'permissions' | 'modules'> | undefined | null): AlarmAccess {
  const on = Boolean(me?.modules.includes('devices'));
  return {
    canRead: on && Boolean(me?.permissions.includes('devices.read')),
    canHandle: on && Boolean(me?.permissions.includes('alarms.handle')),
  };
}

/** Open alarms: not yet resolved. */
export const isOpen = (a: Pick<AlarmListItem, 'status'>) => a.status !== 'resolved';

/** The calendar day a date picker chose (its local date parts), as YYYY-MM-DD. */
export function pickedDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** 外出 until a day: to the end of that day in Asia/Shanghai (the family picks the day the person comes home). */
export function awayUntilOf(day: string): string {
  return shanghaiDayBound(day, 'end');
}
