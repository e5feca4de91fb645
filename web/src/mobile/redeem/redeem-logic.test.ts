import { describe, expect, it } from 'vitest';
import { basketItems, basketTotal, countdown, parseCode, qrValue, secondsLeft, spaced } from './redeem-logic';

describe('redeem logic', () => {
  it('reads scanned and typed codes', () => {
    expect(parseCode(qrValue('01234567'))).toBe('01234567');
    expect(parseCode('0123 4567')).toBe('01234567');
    expect(parseCode('0123456')).toBeNull();
    expect(parseCode('https://example.com')).toBeNull();
    expect(spaced('01234567')).toBe('0123 4567');
  });
  it('counts down', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(secondsLeft('2026-12-07T10:02:00Z', now)).toBe(120);
    expect(secondsLeft('2026-12-07T09:59:00Z', now)).toBe(0);
    expect(countdown(119)).toBe('1:59');
    expect(countdown(5)).toBe('0:05');
  });
  it('totals the basket and lists its items', () => {
    const goods = [
      { id: 1, price: 30 },
      { id: 2, price: 200 },
    ];
    expect(basketTotal({ 1: 2, 2: 1 }, goods)).toBe(260);
    expect(basketTotal({}, goods)).toBe(0);
    expect(basketItems({ 1: 2, 2: 0 })).toEqual([{ goodsId: 1, quantity: 2 }]);
  });
});
