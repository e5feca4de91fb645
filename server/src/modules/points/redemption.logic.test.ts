import { describe, expect, it } from 'vitest';
import { basketTotal, codeState, hashCode, mergeBasket, newCode, parseCode } from './redemption.logic.js';

describe('redemption codes', () => {
  it('makes 8 digits and hashes them with sha256', () => {
    for (let i = 0; i < 200; i++) expect(newCode()).toMatch(/^[0-9]{8}$/);
    expect(hashCode('12345678').toString('hex')).toBe(
      'ef797c8118f02dfb649607dd5d3f8c7623048c9c063d532cc95c5ed7a898a64f',
    );
  });
  it('parses typed and scanned codes and refuses anything else', () => {
    expect(parseCode('linli:redeem:01234567')).toBe('01234567');
    expect(parseCode(' 0123 4567 ')).toBe('01234567');
    expect(parseCode('1234567')).toBeNull();
    expect(parseCode('linli:redeem:abcdefgh')).toBeNull();
    expect(parseCode('123456789')).toBeNull();
  });
  it('says whether a code is active, expired or used', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    expect(codeState({ usedAt: null, expiresAt: new Date('2026-12-07T10:01:00Z'), redemptionId: null }, now)).toBe(
      'active',
    );
    expect(codeState({ usedAt: null, expiresAt: now, redemptionId: null }, now)).toBe('expired');
    expect(codeState({ usedAt: now, expiresAt: new Date('2026-12-07T10:01:00Z'), redemptionId: 3 }, now)).toBe('used');
  });
});

describe('baskets', () => {
  it('merges the same goods and sorts by id (the lock order)', () => {
    expect(
      mergeBasket([
        { goodsId: 9, quantity: 1 },
        { goodsId: 2, quantity: 2 },
        { goodsId: 9, quantity: 3 },
      ]),
    ).toEqual([
      { goodsId: 2, quantity: 2 },
      { goodsId: 9, quantity: 4 },
    ]);
  });
  it('totals prices times quantities', () => {
    expect(
      basketTotal([
        { price: 30, quantity: 2 },
        { price: 5, quantity: 1 },
      ]),
    ).toBe(65);
    expect(basketTotal([])).toBe(0);
  });
});
