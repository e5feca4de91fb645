/** Pure helpers of the volunteer pages: the skill and activity-type codes, what a resident may do when. */
import type { MyActivity } from './volunteer-types';

/** The skill codes (labels: volunteers.skills.<code>), as the server's skills.ts lists them. */
export const SKILL_CODES = [
  'companionship',
  'meals',
  'cleaning',
  'hospital',
  'haircut',
  'repairs',
  'shopping',
  'legal',
  'counselling',
  'tutoring',
  'bathing',
  'walking',
  'medical',
  'tech',
  'other',
] as const;

export const ACTIVITY_TYPES = [
  'health_walk',
  'choir',
  'garbage_sorting',
  'volunteer_service',
  'elderly_care',
  'culture',
  'other',
] as const;

const CHECKIN_OPENS_BEFORE_MS = 30 * 60_000;

/** What the phone offers on an activity now: sign up, withdraw, check in, or nothing. */
export function residentActions(a: MyActivity, now: number): { signUp: boolean; withdraw: boolean; checkIn: boolean } {
  const starts = Date.parse(a.startsAt);
  const ends = Date.parse(a.endsAt);
  const open = a.status === 'published';
  const signed = a.myStatus === 'signed_up';
  return {
    signUp: open && now < starts && !signed && a.myStatus !== 'attended' && a.placesLeft !== 0,
    withdraw: open && now < starts && signed,
    checkIn: open && signed && a.checkedInAt === null && now >= starts - CHECKIN_OPENS_BEFORE_MS && now <= ends,
  };
}

/** The six digits of a scanned QR value (LINLI-ACT:<id>:<code>) or typed code; null when it is neither. */
export function codeFromScan(text: string, activityId: number): string | null {
  const s = text.trim();
  const m = /^LINLI-ACT:(\d+):(\d{6})$/.exec(s);
  if (m) return Number(m[1]) === activityId ? m[2]! : null;
  return /^\d{6}$/.test(s) ? s : null;
}

/** A reward for display: points as they are, hours from minutes. */
export function rewardValue(amount: number | null, currency: string): number | null {
  if (amount === null) return null;
  return currency === 'hours' ? Math.round((amount / 60) * 10) / 10 : amount;
}

/** The new-team form's values as POST /api/volunteers/teams's body (a leader only when one was chosen). */
export function teamCreateBody<K extends string>(v: {
  nodeId: number;
  name: string;
  kind: K;
  description?: string | null;
  leaderUserId?: number | null;
}): { nodeId: number; name: string; kind: K; description?: string; leaderUserId?: number } {
  const description = (v.description ?? '').trim();
  return {
    nodeId: v.nodeId,
    name: v.name.trim(),
    kind: v.kind,
    ...(description ? { description } : {}),
    ...(v.leaderUserId ? { leaderUserId: v.leaderUserId } : {}),
  };
}
