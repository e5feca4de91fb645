import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hashToken,
  isApiTokenShape,
  isStrongPassword,
  LOCK_MINUTES,
  lockAfterFailure,
  MAX_FAILED_LOGINS,
  newApiToken,
  newSecretToken,
} from './auth.logic.js';

describe('isStrongPassword', () => {
  it('accepts 8 or more characters with letters and digits', () => {
    for (const pw of ['abcdefg1', 'Linli@2026', '1234567a', 'A1b2c3d4']) expect(isStrongPassword(pw), pw).toBe(true);
  });

  it('refuses short passwords and passwords without letters or without digits', () => {
    for (const pw of ['', 'abc1234', 'abcdefgh', '12345678', '!!!!!!!!1', '        ', '密码密码密码密码1']) {
      expect(isStrongPassword(pw), pw).toBe(false);
    }
  });

  it('accepts a passphrase of 16 or more characters without digits', () => {
    expect(isStrongPassword('correct horse battery')).toBe(true);
    expect(isStrongPassword('abcdefghijklmnop')).toBe(true);
    expect(isStrongPassword('abcdefghijklmno')).toBe(false);
  });
});

describe('lockAfterFailure', () => {
  const now = new Date('2026-05-01T00:00:00.000Z');

  it(`does not lock before the ${MAX_FAILED_LOGINS}th failure in a row`, () => {
    for (let before = 0; before < MAX_FAILED_LOGINS - 1; before++) {
      expect(lockAfterFailure(before, now)).toEqual({ failures: before + 1, lockedUntil: null });
    }
  });

  it(`locks for ${LOCK_MINUTES} minutes at the ${MAX_FAILED_LOGINS}th failure and after`, () => {
    const until = new Date(now.getTime() + LOCK_MINUTES * 60_000);
    expect(lockAfterFailure(MAX_FAILED_LOGINS - 1, now)).toEqual({ failures: MAX_FAILED_LOGINS, lockedUntil: until });
    expect(lockAfterFailure(MAX_FAILED_LOGINS + 3, now)).toEqual({
      failures: MAX_FAILED_LOGINS + 4,
      lockedUntil: until,
    });
  });

  it('locks at the fifth failure in a row, for fifteen minutes', () => {
    expect(lockAfterFailure(3, now).lockedUntil).toBeNull();
    expect(lockAfterFailure(4, now).lockedUntil).toEqual(new Date('2026-05-01T00:15:00.000Z'));
  });
});

describe('API tokens', () => {
  it('look like lnl_<8-character prefix>_<43 base64url characters>, with the prefix inside', () => {
    for (let i = 0; i < 200; i++) {
      const { token, prefix } = newApiToken();
      expect(prefix).toMatch(/^[A-Za-z0-9]{8}$/);
      expect(token.startsWith(`lnl_${prefix}_`)).toBe(true);
      expect(token).toHaveLength(4 + 8 + 1 + 43);
      expect(isApiTokenShape(token)).toBe(true);
    }
  });

  it('are different every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newApiToken().token));
    expect(tokens.size).toBe(100);
  });

  it('refuse other shapes, including a session token', () => {
    const good = newApiToken().token;
    for (const bad of [
      '',
      newSecretToken(),
      good.slice(0, -1),
      `${good}A`,
      good.replace('lnl_', 'lnx_'),
      good.replace(/^lnl_(.{8})_/, 'lnl_$1-'),
      `Bearer ${good}`,
      ` ${good}`,
    ]) {
      expect(isApiTokenShape(bad), bad).toBe(false);
    }
  });

  it('accept no string that is not built like one', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => !isApiTokenShape(s) || /^lnl_[A-Za-z0-9]{8}_[\w-]{43}$/.test(s)),
    );
  });
});

describe('secret tokens', () => {
  it('are 256-bit base64url strings', () => {
    const t = newSecretToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t, 'base64url')).toHaveLength(32);
  });

  it('are stored as a 32-byte SHA-256 that is the same for the same token only', () => {
    const t = newSecretToken();
    expect(hashToken(t)).toHaveLength(32);
    expect(hashToken(t).equals(hashToken(t))).toBe(true);
    expect(hashToken(t).equals(hashToken(newSecretToken()))).toBe(false);
    expect(hashToken(t).toString('hex')).not.toContain(Buffer.from(t).toString('hex'));
  });
});
