import { describe, expect, it } from 'vitest';
import {
  type ActivityState,
  CHECKIN_WINDOW_MS,
  checkinCodeFor,
  checkinQrValue,
  checkinRefusal,
  checkinWindow,
  currentCheckinCode,
  parseCheckinInput,
  placesLeft,
  signupRefusal,
  verifyCheckinCode,
  withdrawRefusal,
} from './activities.logic.js';

const secret = 'a1b2c3d4e5f6';
const at = (iso: string) => new Date(iso);

describe('check-in code', () => {
  const now = at('2026-12-07T10:00:30Z');

  it('is six digits, the same within a window and different in the next', () => {
    const { code, expiresAt } = currentCheckinCode(secret, 7, now);
    expect(code).toMatch(/^\d{6}$/);
    expect(currentCheckinCode(secret, 7, new Date(now.getTime() + 1000)).code).toBe(code);
    expect(expiresAt.getTime() % CHECKIN_WINDOW_MS).toBe(0);
    expect(expiresAt.getTime() - now.getTime()).toBeLessThanOrEqual(CHECKIN_WINDOW_MS);
    const next = checkinCodeFor(secret, 7, checkinWindow(now) + 1);
    const other = [1, 2, 3].map((k) => checkinCodeFor(secret, 7, checkinWindow(now) + k));
    expect(other.some((c) => c !== code)).toBe(true);
    expect(next).toMatch(/^\d{6}$/);
  });

  it('depends on the secret and the activity', () => {
    const w = checkinWindow(now);
    const codes = new Set([checkinCodeFor(secret, 7, w), checkinCodeFor('other', 7, w), checkinCodeFor(secret, 8, w)]);
    expect(codes.size).toBe(3);
  });

  it('accepts the current and the previous window, not older ones nor other activities', () => {
    const w = checkinWindow(now);
    expect(verifyCheckinCode(secret, 7, checkinCodeFor(secret, 7, w), now)).toBe(true);
    expect(verifyCheckinCode(secret, 7, checkinCodeFor(secret, 7, w - 1), now)).toBe(true);
    expect(verifyCheckinCode(secret, 7, checkinCodeFor(secret, 7, w - 2), now)).toBe(false);
    // a photo of the QR taken 5 minutes ago
    const old = currentCheckinCode(secret, 7, new Date(now.getTime() - 5 * 60_000)).code;
    expect(verifyCheckinCode(secret, 7, old, now)).toBe(false);
    expect(verifyCheckinCode(secret, 8, checkinCodeFor(secret, 7, w), now)).toBe(false);
    expect(verifyCheckinCode(secret, 7, 'abc', now)).toBe(false);
  });

  it('reads the QR value or the typed digits', () => {
    expect(parseCheckinInput(checkinQrValue(7, '012345'), 7)).toBe('012345');
    expect(parseCheckinInput(' 012345 ', 7)).toBe('012345');
    expect(parseCheckinInput(checkinQrValue(8, '012345'), 7)).toBeNull();
    expect(parseCheckinInput('12345', 7)).toBeNull();
    const code = currentCheckinCode(secret, 7, now).code;
    expect(verifyCheckinCode(secret, 7, checkinQrValue(7, code), now)).toBe(true);
  });
});

describe('sign-up rules', () => {
  const a: ActivityState = {
    status: 'published',
    startsAt: at('2026-12-08T01:00:00Z'),
    endsAt: at('2026-12-08T03:00:00Z'),
    capacity: 2,
    taken: 1,
  };
  const before = at('2026-12-07T10:00:00Z');

  it('lets a resident sign up before the start while places are left', () => {
    expect(signupRefusal(a, null, before)).toBeNull();
    expect(signupRefusal(a, 'cancelled', before)).toBeNull();
    expect(placesLeft(a)).toBe(1);
    expect(placesLeft({ capacity: null, taken: 5 })).toBeNull();
  });

  it('refuses full, already signed up, after the start, cancelled and ended', () => {
    expect(signupRefusal({ ...a, taken: 2 }, null, before)).toBe('ACTIVITY_FULL');
    expect(signupRefusal(a, 'signed_up', before)).toBe('ACTIVITY_ALREADY_SIGNED_UP');
    expect(signupRefusal(a, null, a.startsAt)).toBe('ACTIVITY_SIGNUP_CLOSED');
    expect(signupRefusal({ ...a, status: 'cancelled' }, null, before)).toBe('ACTIVITY_CANCELLED');
    expect(signupRefusal({ ...a, status: 'ended' }, null, before)).toBe('ACTIVITY_ENDED');
  });

  it('lets a sign-up be withdrawn only before the start', () => {
    expect(withdrawRefusal(a, 'signed_up', before)).toBeNull();
    expect(withdrawRefusal(a, null, before)).toBe('ACTIVITY_NOT_SIGNED_UP');
    expect(withdrawRefusal(a, 'signed_up', a.startsAt)).toBe('ACTIVITY_SIGNUP_CLOSED');
  });

  it('opens check-in 30 minutes before the start and closes it at the end', () => {
    expect(checkinRefusal(a, 'signed_up', at('2026-12-08T00:29:59Z'))).toBe('ACTIVITY_CHECKIN_NOT_OPEN');
    expect(checkinRefusal(a, 'signed_up', at('2026-12-08T00:30:00Z'))).toBeNull();
    expect(checkinRefusal(a, 'signed_up', at('2026-12-08T03:00:00Z'))).toBeNull();
    expect(checkinRefusal(a, 'signed_up', at('2026-12-08T03:00:01Z'))).toBe('ACTIVITY_CHECKIN_CLOSED');
    expect(checkinRefusal(a, null, at('2026-12-08T01:00:00Z'))).toBe('ACTIVITY_CHECKIN_NOT_SIGNED_UP');
    expect(checkinRefusal(a, 'cancelled', at('2026-12-08T01:00:00Z'))).toBe('ACTIVITY_CHECKIN_NOT_SIGNED_UP');
    expect(checkinRefusal({ ...a, status: 'cancelled' }, 'signed_up', at('2026-12-08T01:00:00Z'))).toBe(
      'ACTIVITY_CANCELLED',
    );
  });
});
