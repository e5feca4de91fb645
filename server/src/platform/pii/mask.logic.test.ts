import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateIdNumber } from './id-number.logic.js';
import { maskIdNumber, maskName, maskPhone } from './mask.logic.js';

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 of an 18-character number', () => {
    expect(maskIdNumber('370323199001011234')).toBe('370323********1234');
    expect(maskIdNumber('37032319900101001X')).toBe('370323********001X');
  });

  it('keeps 6/4 on other lengths and stars short values entirely', () => {
    expect(maskIdNumber('370323900101123')).toBe('370323*****1123');
    expect(maskIdNumber('12345678901')).toBe('123456*8901');
    expect(maskIdNumber('1234567890')).toBe('**********');
    expect(maskIdNumber('')).toBe('');
  });

  it('never reveals more than the kept characters and keeps the length', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789X'), maxLength: 30 }), (id) => {
        const masked = maskIdNumber(id);
        expect(masked.length).toBe(id.length);
        const n = id.length;
        for (let i = 0; i < n; i++) {
          const kept = n > 10 && (i < 6 || i >= n - 4);
          expect(masked.charAt(i)).toBe(kept ? id.charAt(i) : '*');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('hides birth date and sequence of every generated number', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2024-01-01T00:00:00Z'), noInvalidDate: true }),
        (sequence, d) => {
          const id = generateIdNumber({ areaCode: '370323', birthDate: d.toISOString().slice(0, 10), sequence });
          const masked = maskIdNumber(id);
          expect(masked).toBe(`370323********${id.slice(14)}`);
          expect(masked).not.toContain(id.slice(6, 14));
        },
      ),
    );
  });
});

describe('maskPhone', () => {
  it('keeps 3 + 4 digits of a mobile', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
  });

  it('keeps the area code and last 2 digits of a landline', () => {
    expect(maskPhone('0537-1234567')).toBe('0537-*****67');
    expect(maskPhone('010-12345678')).toBe('010-******78');
    expect(maskPhone('05371234567')).toBe('0537-*****67');
  });

  it('keeps only the last 2 characters of something that is not a phone number', () => {
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone('')).toBe('');
  });

  it('never shows the middle digits of a mobile', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 3, max: 9 }), (rest, d) => {
        const m = `1${d}${String(rest).padStart(9, '0')}`;
        const masked = maskPhone(m);
        expect(masked).toHaveLength(11);
        expect(masked.slice(3, 7)).toBe('****');
        expect(masked.slice(0, 3) + masked.slice(7)).toBe(m.slice(0, 3) + m.slice(7));
      }),
    );
  });
});

describe('maskName', () => {
  it('keeps the first and last character', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('张')).toBe('张');
    expect(maskName('')).toBe('');
    expect(maskName('Alice')).toBe('A***e');
    expect(maskName('买买提·艾力')).toBe('买****力');
  });

  it('treats surrogate pairs and combining sequences as one character', () => {
    expect(maskName('𠮷野家')).toBe('𠮷*家');
    expect(maskName('张𠮷')).toBe('张*');
    expect(maskName('𠮷')).toBe('𠮷');
    // é written as e + U+0301, and a CJK character with an ideographic variation selector.
    expect(maskName('Rene\u0301')).toBe('R**e\u0301');
    expect(maskName('葛\u{e0100}小明')).toBe('葛\u{e0100}*明');
    expect(maskName('한\u1100\u1161\u11a8국')).toBe('한*국');
    expect(maskName('甲\u302a乙丙')).toBe('甲\u302a*丙');
  });

  it('never reveals more than the first and last character and keeps the character count', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 12 }), (name) => {
        const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
        const chars = Array.from(seg.segment(name), (s) => s.segment);
        const masked = Array.from(seg.segment(maskName(name)), (s) => s.segment);
        expect(masked.length).toBe(chars.length);
        if (chars.length <= 1) return;
        expect(masked[0]).toBe(chars[0]);
        if (chars.length > 2) expect(masked[masked.length - 1]).toBe(chars[chars.length - 1]);
        const hidden = chars.length > 2 ? masked.slice(1, -1) : masked.slice(1);
        expect(hidden.every((c) => c === '*')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
