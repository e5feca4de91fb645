import { describe, expect, it } from 'vitest';
import { claimCan, claimRefusal, creditCodeCheckChar, normaliseCreditCode } from './partners.logic.js';

describe('credit code (统一社会信用代码)', () => {
  it('accepts published codes and computes their check character', () => {
    // 国家市场监督管理总局's example and a well-known registration
    expect(normaliseCreditCode('91350100M000100Y43')).toBe('91350100M000100Y43');
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(normaliseCreditCode('91110000802100433B')).toBe('91110000802100433B');
  });

  it('normalises spaces and lower case', () => {
    expect(normaliseCreditCode(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
  });

  it('refuses a wrong check character, a wrong length and letters that are not used', () => {
    expect(normaliseCreditCode('91350100M000100Y44')).toBeNull();
    expect(normaliseCreditCode('91350100M000100Y4')).toBeNull();
    expect(normaliseCreditCode('91350100M000100Y433')).toBeNull();
    expect(normaliseCreditCode('91350100I000100Y43')).toBeNull();
    expect(creditCodeCheckChar('9135010OM000100Y4')).toBeNull();
  });

  it('maps a remainder of 0 to the character 0', () => {
    // find a body whose check character is '0' by varying the last character
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const hit = [...chars].map((c) => `9137080000000000${c}`).find((b) => creditCodeCheckChar(b) === '0');
    expect(hit).toBeDefined();
    expect(normaliseCreditCode(`${hit}0`)).toBe(`${hit}0`);
  });
});

describe('claims', () => {
  const open = { status: 'open' as const, closesOn: null, maxClaims: 2, activeClaims: 1 };
  it('refuses a closed, past or full project', () => {
    expect(claimRefusal(open, '2026-12-07')).toBeNull();
    expect(claimRefusal({ ...open, status: 'closed' }, '2026-12-07')).toBe('PARTNER_PROJECT_CLOSED');
    expect(claimRefusal({ ...open, closesOn: '2026-12-06' }, '2026-12-07')).toBe('PARTNER_PROJECT_CLOSED');
    expect(claimRefusal({ ...open, closesOn: '2026-12-07' }, '2026-12-07')).toBeNull();
    expect(claimRefusal({ ...open, activeClaims: 2 }, '2026-12-07')).toBe('PARTNER_PROJECT_FULL');
  });
  it('allows a delivery until confirmed and a withdrawal only before any delivery', () => {
    expect(claimCan('claimed')).toEqual({ deliver: true, withdraw: true });
    expect(claimCan('delivered')).toEqual({ deliver: true, withdraw: false });
    expect(claimCan('confirmed')).toEqual({ deliver: false, withdraw: false });
    expect(claimCan('withdrawn')).toEqual({ deliver: false, withdraw: false });
  });
});
