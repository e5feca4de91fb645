import { describe, expect, it } from 'vitest';
import { deliverAfter, renderTemplate, secretHint, signBody, verifySignature } from './notify.logic.js';

describe('renderTemplate', () => {
  it('fills placeholders from the payload and leaves unknown ones visible', () => {
    expect(renderTemplate('{user} 超出上限 {refused} 条', { user: '网格员', refused: 3 })).toBe('网格员 超出上限 3 条');
    expect(renderTemplate('{missing} and {obj}', { obj: { a: 1 } })).toBe('{missing} and {obj}');
  });
});

describe('deliverAfter', () => {
  // 2026-12-06T15:30Z is 23:30 in Asia/Shanghai.
  const lateEvening = new Date('2026-12-06T15:30:00Z');
  it('holds a message arriving in quiet hours across midnight until their end', () => {
    expect(deliverAfter(lateEvening, { start: '22:00', end: '07:00' }).toISOString()).toBe('2026-12-06T23:00:00.000Z');
  });
  it('lets a message outside quiet hours go at once, and treats equal start and end as none', () => {
    expect(deliverAfter(lateEvening, { start: '08:00', end: '20:00' })).toBe(lateEvening);
    expect(deliverAfter(lateEvening, { start: '08:00', end: '08:00' })).toBe(lateEvening);
    expect(deliverAfter(lateEvening, null)).toBe(lateEvening);
  });
  it('holds within a same-day period', () => {
    // 13:10 Shanghai, quiet 12:00–14:00 → 14:00 Shanghai = 06:00Z.
    expect(deliverAfter(new Date('2026-12-06T05:10:00Z'), { start: '12:00', end: '14:00' }).toISOString()).toBe(
      '2026-12-06T06:00:00.000Z',
    );
  });
});

describe('webhook signatures', () => {
  it('verifies its own signature and refuses another body or secret', () => {
    const sig = signBody('s3cret', '{"a":1}');
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('s3cret', '{"a":1}', sig)).toBe(true);
    expect(verifySignature('s3cret', '{"a":2}', sig)).toBe(false);
    expect(verifySignature('other', '{"a":1}', sig)).toBe(false);
    expect(verifySignature('s3cret', '{"a":1}', undefined)).toBe(false);
  });
  it('shows only the last four characters of a secret', () => {
    expect(secretHint('abcdefgh1234')).toBe('****1234');
    expect(secretHint('abc')).toBe('****');
  });
});
