import type { HealthObservation, VisitOutcome, VisitTaskListItem } from './visit-types';

/** The three outcomes, in the order of the form's big buttons. */
export const OUTCOMES: readonly VisitOutcome[] = ['well', 'needs_help', 'not_home'];

/** The category a "needs help" case gets unless the visitor picks another: 养老助残. */
export const HELP_CATEGORY_CODE = 'care';

export type TaskGroups<T> = { overdue: T[]; today: T[]; week: T[]; later: T[] };

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** The start of `now`'s day and the end of its week (Monday to Sunday) in Asia/Shanghai (UTC+8, no DST). */
export function dayAndWeek(now: Date): { dayStart: number; dayEnd: number; weekEnd: number } {
  const local = now.getTime() + SHANGHAI_MS;
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS - SHANGHAI_MS;
  // 1970-01-01 was a Thursday: days since a Monday
  const weekday = (Math.floor(local / DAY_MS) + 3) % 7;
  return { dayStart, dayEnd: dayStart + DAY_MS, weekEnd: dayStart + (7 - weekday) * DAY_MS };
}

/**
 * A worker's open tasks as the phone lists them: overdue, due today, due later this week, later; each soonest
 * first (the overdue ones, the longest overdue first).
 */
export function groupTasks<T extends Pick<VisitTaskListItem, 'dueAt' | 'overdue'>>(
  items: readonly T[],
  now: Date,
): TaskGroups<T> {
  const { dayEnd, weekEnd } = dayAndWeek(now);
  const groups: TaskGroups<T> = { overdue: [], today: [], week: [], later: [] };
  const sorted = [...items].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  for (const task of sorted) {
    const due = Date.parse(task.dueAt);
    if (task.overdue || due < now.getTime()) groups.overdue.push(task);
    else if (due < dayEnd) groups.today.push(task);
    else if (due < weekEnd) groups.week.push(task);
    else groups.later.push(task);
  }
  return groups;
}

/** The person and place of a task, for a card or the queue. */
export const taskLabel = (task: Pick<VisitTaskListItem, 'residentName' | 'placeLabel'>) =>
  task.residentName ? `${task.residentName} · ${task.placeLabel}` : task.placeLabel;

/** The form's health fields as typed (strings from inputs, choices). */
export type HealthDraft = {
  systolic?: string;
  diastolic?: string;
  heartRate?: string;
  temperature?: string;
  bloodSugar?: string;
  mood?: HealthObservation['mood'];
  mobility?: HealthObservation['mobility'];
};

const RANGES = {
  systolic: [40, 300, true],
  diastolic: [20, 200, true],
  heartRate: [20, 250, true],
  temperature: [30, 45, false],
  bloodSugar: [1, 40, false],
} as const;

export type HealthResult = { health: HealthObservation | undefined; invalid: (keyof typeof RANGES)[] };

/**
 * The health observation to send: empty fields left out, nothing at all → undefined; a number out of the server's
 * range (or a fraction where a whole number is asked) is named in `invalid` so the form can say which.
 */
export function healthOf(draft: HealthDraft): HealthResult {
  const health: HealthObservation = {};
  const invalid: (keyof typeof RANGES)[] = [];
  for (const key of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
    const text = draft[key]?.trim();
    if (!text) continue;
    const [min, max, whole] = RANGES[key];
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
      invalid.push(key);
    } else {
      health[key] = value;
    }
  }
  if (draft.mood) health.mood = draft.mood;
  if (draft.mobility) health.mobility = draft.mobility;
  return { health: Object.keys(health).length > 0 ? health : undefined, invalid };
}

/** A new clientId for a visit (crypto.randomUUID where there is one; a RFC 4122 v4 from getRandomValues else). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The visit pages' titles (grid work [H]) for the phone's navigation bar, or null for another page. */
export type VisitsTitle =
  | 'mobileVisits.title'
  | 'mobileVisits.detailTitle'
  | 'mobileVisits.adhocTitle'
  | 'mobileVisits.links.title';

export function visitsPageTitle(pathname: string): VisitsTitle | null {
  if (/^\/m\/visits\/\d+/.test(pathname)) return 'mobileVisits.detailTitle';
  if (pathname.startsWith('/m/visits')) return 'mobileVisits.title';
  if (pathname.startsWith('/m/visit/new')) return 'mobileVisits.adhocTitle';
  if (pathname.startsWith('/m/links')) return 'mobileVisits.links.title';
  return null;
}
