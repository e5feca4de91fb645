import { createHash, randomBytes } from 'node:crypto';

/** Consecutive failed logins that lock an account, and for how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

/** At least 8 characters with letters and digits; long passphrases pass without digits. */
export function isStrongPassword(pw: string): boolean {
  if (pw.length >= 16) return true;
  return pw.length >= 8 && /[A-Za-z]/.test(pw) && /\d/.test(pw);
}

/** Session and API tokens are 256-bit random strings; only their SHA-256 is stored. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

const API_TOKEN_RE = /^lnl_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export function newApiToken(): { token: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
  return { token: `lnl_${prefix}_${newSecretToken()}`, prefix };
}

export function isApiTokenShape(token: string): boolean {
  return API_TOKEN_RE.test(token);
}

/** Whether a failed login locks the account, given the failures before it. */
export function lockAfterFailure(previousFailures: number, now: Date): { failures: number; lockedUntil: Date | null } {
  const failures = previousFailures + 1;
  return {
    failures,
    lockedUntil: failures >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null,
  };
}
