import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone, parsePhone } from './phone.logic.js';

describe('parsePhone', () => {
  it('accepts mainland mobiles in the usual spellings', () => {
    for (const raw of [
      '13812345678',
      '138 1234 5678',
      '138-1234-5678',
      '+86 138 1234 5678',
      '+86-13812345678',
      '008613812345678',
      '8613812345678',
      '１３８１２３４５６７８',
      '\u3000138\u30001234\u30005678 ',
    ]) {
      expect(parsePhone(raw), raw).toEqual({ ok: true, value: '13812345678', kind: 'mobile' });
    }
  });

  it('normalizes landlines to area-local, splitting by the real area-code rule', () => {
    const cases: [string, string][] = [
      ['0537-1234567', '0537-1234567'],
      ['05371234567', '0537-1234567'],
      ['(0537) 123 4567', '0537-1234567'],
      ['０５３７－１２３４５６７', '0537-1234567'],
      ['+86 537 1234567', '0537-1234567'],
      ['010-12345678', '010-12345678'],
      ['01012345678', '010-12345678'],
      ['+86 10 1234 5678', '010-12345678'],
      ['021-87654321', '021-87654321'],
      ['0531-87654321', '0531-87654321'],
    ];
    for (const [raw, value] of cases) expect(parsePhone(raw), raw).toEqual({ ok: true, value, kind: 'landline' });
  });

  it('reports empty and format', () => {
    expect(parsePhone('')).toEqual({ ok: false, error: 'empty' });
    expect(parsePhone(' - ')).toEqual({ ok: false, error: 'empty' });
    for (const raw of ['12812345678', '1381234567', '138123456789', '0537-12345', '0537-123456789', 'abc', '110']) {
      expect(parsePhone(raw), raw).toEqual({ ok: false, error: 'format' });
    }
  });

  it('normalizePhone strips separators and the country prefix without validating', () => {
    expect(normalizePhone('+86 (0537) 123-4567')).toBe('05371234567');
    expect(normalizePhone('0086 138 1234 5678')).toBe('13812345678');
    expect(normalizePhone('12 34')).toBe('1234');
  });

  it('a valid number parses to the same value however it is spaced and widened', () => {
    const mobile = fc
      .tuple(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 999_999_999 }))
      .map(([d, rest]) => `1${d}${String(rest).padStart(9, '0')}`);
    fc.assert(
      fc.property(
        mobile,
        fc.array(fc.constantFrom('', ' ', '-', '\u3000'), { minLength: 11, maxLength: 11 }),
        (m, seps) => {
          const messy = Array.from(m, (c, i) => c + (seps[i] ?? '')).join('');
          const wide = messy.replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
          expect(parsePhone(messy)).toEqual({ ok: true, value: m, kind: 'mobile' });
          expect(parsePhone(wide)).toEqual({ ok: true, value: m, kind: 'mobile' });
          expect(parsePhone(`+86 ${messy}`)).toEqual({ ok: true, value: m, kind: 'mobile' });
        },
      ),
      { numRuns: 500 },
    );
  });
});
