import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Pure rules of activities: the rotating check-in code, and which sign-up, cancellation and check-in are allowed
 * when. The services read the rows and the clock and throw the code these return.
 */

/** The check-in code changes every 2 minutes; the current and the previous window are accepted. */
export const CHECKIN_WINDOW_MS = 2 * 60 * 1000;
/** Check-in opens this long before the start and closes at the end. */
export const CHECKIN_OPENS_BEFORE_MS = 30 * 60 * 1000;
/** What the organiser's QR code carries: `LINLI-ACT:<activityId>:<code>`; the phone may also type the code. */
export const QR_PREFIX = 'LINLI-ACT:';

export function checkinWindow(now: Date): number {
  return Math.floor(now.getTime() / CHECKIN_WINDOW_MS);
}

/** The six-digit code of an activity for a time window: HMAC-SHA256 of the window under the activity's secret. */
export function checkinCodeFor(secret: string, activityId: number, window: number): string {
  const mac = createHmac('sha256', secret).update(`${activityId}:${window}`).digest();
  return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

/** The code to show now, and when it stops being the current one. */
export function currentCheckinCode(secret: string, activityId: number, now: Date): { code: string; expiresAt: Date } {
  const w = checkinWindow(now);
  return { code: checkinCodeFor(secret, activityId, w), expiresAt: new Date((w + 1) * CHECKIN_WINDOW_MS) };
}

/** The value drawn in the QR code. */
export function checkinQrValue(activityId: number, code: string): string {
  return `${QR_PREFIX}${activityId}:${code}`;
}

/** The six digits out of what was scanned or typed (the QR value or the code itself), or null. */
export function parseCheckinInput(input: string, activityId: number): string | null {
  const s = input.trim();
  if (s.startsWith(QR_PREFIX)) {
    const [id, code] = s.slice(QR_PREFIX.length).split(':');
    if (Number(id) !== activityId || !code || !/^\d{6}$/.test(code)) return null;
    return code;
  }
  return /^\d{6}$/.test(s) ? s : null;
}

/** Whether what was scanned or typed is the code of the current or the previous window. */
export function verifyCheckinCode(secret: string, activityId: number, input: string, now: Date): boolean {
  const code = parseCheckinInput(input, activityId);
  if (code === null) return false;
  const w = checkinWindow(now);
  return [w, w - 1].some((x) => timingSafeEqual(Buffer.from(checkinCodeFor(secret, activityId, x)), Buffer.from(code)));
}

export type ActivityState = {
  status: 'published' | 'ended' | 'cancelled';
  startsAt: Date;
  endsAt: Date;
  capacity: number | null;
  /** Sign-ups that hold a place (signed up, attended). */
  taken: number;
};

export type SignupState = 'signed_up' | 'cancelled' | 'attended' | 'no_show' | null;

export type ActivityRefusal =
  | 'ACTIVITY_CANCELLED'
  | 'ACTIVITY_ENDED'
  | 'ACTIVITY_SIGNUP_CLOSED'
  | 'ACTIVITY_ALREADY_SIGNED_UP'
  | 'ACTIVITY_FULL'
  | 'ACTIVITY_NOT_SIGNED_UP'
  | 'ACTIVITY_CHECKIN_NOT_SIGNED_UP'
  | 'ACTIVITY_CHECKIN_NOT_OPEN'
  | 'ACTIVITY_CHECKIN_CLOSED';

/** Places left (null: no limit). */
export function placesLeft(a: Pick<ActivityState, 'capacity' | 'taken'>): number | null {
  return a.capacity === null ? null : Math.max(0, a.capacity - a.taken);
}

/** Why a resident may not sign up now, or null. */
export function signupRefusal(a: ActivityState, mine: SignupState, now: Date): ActivityRefusal | null {
  if (a.status === 'cancelled') return 'ACTIVITY_CANCELLED';
  if (a.status === 'ended') return 'ACTIVITY_ENDED';
  if (now.getTime() >= a.startsAt.getTime()) return 'ACTIVITY_SIGNUP_CLOSED';
  if (mine === 'signed_up' || mine === 'attended') return 'ACTIVITY_ALREADY_SIGNED_UP';
  if (placesLeft(a) === 0) return 'ACTIVITY_FULL';
  return null;
}

/** Why a resident may not withdraw their sign-up now, or null. */
export function withdrawRefusal(a: ActivityState, mine: SignupState, now: Date): ActivityRefusal | null {
  if (a.status === 'cancelled') return 'ACTIVITY_CANCELLED';
  if (a.status === 'ended') return 'ACTIVITY_ENDED';
  if (mine !== 'signed_up') return 'ACTIVITY_NOT_SIGNED_UP';
  if (now.getTime() >= a.startsAt.getTime()) return 'ACTIVITY_SIGNUP_CLOSED';
  return null;
}

/** Why a resident may not check in now (before the code is looked at), or null. */
export function checkinRefusal(a: ActivityState, mine: SignupState, now: Date): ActivityRefusal | null {
  if (a.status === 'cancelled') return 'ACTIVITY_CANCELLED';
  if (a.status === 'ended') return 'ACTIVITY_CHECKIN_CLOSED';
  if (mine !== 'signed_up') return 'ACTIVITY_CHECKIN_NOT_SIGNED_UP';
  if (now.getTime() < a.startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS) return 'ACTIVITY_CHECKIN_NOT_OPEN';
  if (now.getTime() > a.endsAt.getTime()) return 'ACTIVITY_CHECKIN_CLOSED';
  return null;
}
