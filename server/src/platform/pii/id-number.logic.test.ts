import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeCheckDigit,
  convert15To18,
  generateIdNumber,
  isValidDivisionCode,
  normalizeIdNumber,
  parseIdNumber,
} from './id-number.logic.js';

const TODAY = new Date('2024-06-15T04:00:00Z');
const PROVINCES = [
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82,
];

const areaCode = fc
  .tuple(fc.constantFrom(...PROVINCES), fc.integer({ min: 0, max: 9999 }))
  .map(([p, rest]) => `${p}${String(rest).padStart(4, '0')}`);
const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2024-06-15T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const sex = fc.constantFrom('male' as const, 'female' as const);
const validId = fc
  .record({ areaCode, birthDate, sequence: fc.integer({ min: 0, max: 999 }), sex })
  .map((p) => ({ ...p, id: generateIdNumber(p) }));
// Births 1900-1999, the only ones a 15-digit number can hold.
const validId20thCentury = fc
  .record({
    areaCode,
    birthDate: fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('1999-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    sequence: fc.integer({ min: 0, max: 999 }),
    sex,
  })
  .map((p) => ({ ...p, id: generateIdNumber(p) }));

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';

describe('known examples', () => {
  it('accepts 11010519491231002X (female, born 1949-12-31)', () => {
    expect(parseIdNumber('11010519491231002X', { today: TODAY })).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      areaCode: '110105',
    });
  });

  it('accepts a male number and computes its check digit', () => {
    expect(computeCheckDigit('11010519491231001')).toBe('1');
    const r = parseIdNumber('110105194912310011', { today: TODAY });
    expect(r.ok && r.sex).toBe('male');
  });

  it('reports a wrong check digit as check_digit', () => {
    expect(parseIdNumber('110105194912310021', { today: TODAY })).toEqual({ ok: false, error: 'check_digit' });
    expect(parseIdNumber('110105194912310012', { today: TODAY })).toEqual({ ok: false, error: 'check_digit' });
  });

  it('converts the 15-digit 110105491231002 to 11010519491231002X', () => {
    expect(convert15To18('110105491231002')).toBe('11010519491231002X');
    const r = parseIdNumber('110105491231002', { today: TODAY });
    expect(r).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      areaCode: '110105',
    });
  });

  it('rejects a birth date in the future, before 1900, or not on the calendar as birth_date', () => {
    const future = `11010520990101001`;
    expect(parseIdNumber(future + computeCheckDigit(future), { today: TODAY })).toEqual({
      ok: false,
      error: 'birth_date',
    });
    for (const first17 of ['11010518991231001', '11010520230229001', '11010519901301001', '11010519900431001']) {
      expect(parseIdNumber(first17 + computeCheckDigit(first17), { today: TODAY })).toEqual({
        ok: false,
        error: 'birth_date',
      });
    }
    const leapDay = '11010520000229001';
    expect(parseIdNumber(leapDay + computeCheckDigit(leapDay), { today: TODAY }).ok).toBe(true);
  });

  it('takes "today" in Asia/Shanghai: born on the Beijing date that is still tomorrow in UTC', () => {
    const first17 = '11010520240616001';
    const id = first17 + computeCheckDigit(first17);
    // 2024-06-15T17:00Z is 2024-06-16 01:00 in Beijing.
    expect(parseIdNumber(id, { today: new Date('2024-06-15T17:00:00Z') }).ok).toBe(true);
    expect(parseIdNumber(id, { today: new Date('2024-06-15T15:00:00Z') })).toEqual({
      ok: false,
      error: 'birth_date',
    });
  });

  it('rejects an unknown province as area', () => {
    const first17 = '99010519491231002';
    expect(parseIdNumber(first17 + computeCheckDigit(first17), { today: TODAY })).toEqual({ ok: false, error: 'area' });
    expect(parseIdNumber('990105491231002', { today: TODAY })).toEqual({ ok: false, error: 'area' });
    const first17b = '00010519491231002';
    expect(parseIdNumber(first17b + computeCheckDigit(first17b), { today: TODAY })).toEqual({
      ok: false,
      error: 'area',
    });
  });

  it('reports empty, length and format', () => {
    expect(parseIdNumber('')).toEqual({ ok: false, error: 'empty' });
    expect(parseIdNumber(' \u3000\t')).toEqual({ ok: false, error: 'empty' });
    expect(parseIdNumber('1101051949123100')).toEqual({ ok: false, error: 'length' });
    expect(parseIdNumber('11010519491231002X1')).toEqual({ ok: false, error: 'length' });
    expect(parseIdNumber('1101051949123100XX')).toEqual({ ok: false, error: 'format' });
    expect(parseIdNumber('11010519491231002Y')).toEqual({ ok: false, error: 'format' });
    expect(parseIdNumber('11010549123100X')).toEqual({ ok: false, error: 'format' });
    expect(parseIdNumber('11010５19491231002X').ok).toBe(true);
  });

  it('normalizes full-width digits, ｘ/Ｘ, lowercase x and every kind of space', () => {
    expect(normalizeIdNumber(' １１０１０５ １９４９１２３１\u3000００２ｘ\n')).toBe('11010519491231002X');
    expect(normalizeIdNumber('11010519491231002Ｘ')).toBe('11010519491231002X');
    expect(normalizeIdNumber('110105\u200b19491231002x')).toBe('11010519491231002X');
  });

  it('validates division codes by shape and province', () => {
    expect(isValidDivisionCode('370323')).toBe(true);
    expect(isValidDivisionCode('820000')).toBe(true);
    expect(isValidDivisionCode('990323')).toBe(false);
    expect(isValidDivisionCode('37032')).toBe(false);
    expect(isValidDivisionCode('37032a')).toBe(false);
  });

  it('refuses to generate from bad parameters', () => {
    expect(() => generateIdNumber({ areaCode: '990000', birthDate: '1990-01-01', sequence: 1 })).toThrow(RangeError);
    expect(() => generateIdNumber({ areaCode: '370323', birthDate: '1990-02-30', sequence: 1 })).toThrow(RangeError);
    expect(() => generateIdNumber({ areaCode: '370323', birthDate: '1990-01-01', sequence: 1000 })).toThrow(RangeError);
    expect(() => generateIdNumber({ areaCode: '370323', birthDate: '1990-01-01', sequence: 1.5 })).toThrow(RangeError);
    expect(() => computeCheckDigit('1234')).toThrow(RangeError);
    expect(() => convert15To18('11010519491231002X')).toThrow(RangeError);
  });

  it('keeps the sequence when its parity already matches, and moves it by one otherwise', () => {
    expect(
      generateIdNumber({ areaCode: '370323', birthDate: '1990-01-01', sequence: 123, sex: 'male' }).slice(14, 17),
    ).toBe('123');
    expect(
      generateIdNumber({ areaCode: '370323', birthDate: '1990-01-01', sequence: 123, sex: 'female' }).slice(14, 17),
    ).toBe('122');
    expect(
      generateIdNumber({ areaCode: '370323', birthDate: '1990-01-01', sequence: 998, sex: 'male' }).slice(14, 17),
    ).toBe('999');
    expect(
      generateIdNumber({ areaCode: '370323', birthDate: '1990-01-01', sequence: 0, sex: 'male' }).slice(14, 17),
    ).toBe('001');
  });
});

describe('properties', () => {
  it('every generated number parses, with its birth date, sex and area code', () => {
    fc.assert(
      fc.property(validId, ({ id, areaCode, birthDate, sex }) => {
        expect(id).toMatch(/^\d{17}[\dX]$/);
        expect(parseIdNumber(id, { today: TODAY })).toEqual({ ok: true, value: id, birthDate, sex, areaCode });
      }),
      { numRuns: 2000 },
    );
  });

  it('changing any single character of a valid number makes it invalid', () => {
    fc.assert(
      fc.property(validId, fc.nat(17), fc.nat(10), ({ id }, pos, pick) => {
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const current = id.charAt(pos);
        const others = alphabet.replace(current, '');
        const replacement = others.charAt(pick % others.length);
        const mutated = id.slice(0, pos) + replacement + id.slice(pos + 1);
        expect(parseIdNumber(mutated, { today: TODAY }).ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('every single-character change of one number is rejected (exhaustive)', () => {
    const id = '11010519491231002X';
    let tried = 0;
    for (let pos = 0; pos < 18; pos++) {
      for (const c of pos === 17 ? '0123456789X' : '0123456789') {
        if (c === id.charAt(pos)) continue;
        tried++;
        expect(parseIdNumber(id.slice(0, pos) + c + id.slice(pos + 1), { today: TODAY }).ok).toBe(false);
      }
    }
    expect(tried).toBe(17 * 9 + 10);
    // The one equivalent change: a lowercase x.
    expect(parseIdNumber('11010519491231002x', { today: TODAY }).ok).toBe(true);
  });

  it('15 → 18 conversion keeps area, birth date and sex', () => {
    fc.assert(
      fc.property(validId20thCentury, ({ id, areaCode, birthDate, sex }) => {
        const id15 = id.slice(0, 6) + id.slice(8, 17);
        expect(convert15To18(id15)).toBe(id);
        expect(parseIdNumber(id15, { today: TODAY })).toEqual({ ok: true, value: id, birthDate, sex, areaCode });
      }),
      { numRuns: 1000 },
    );
  });

  it('full-width characters, lowercase x and spaces normalize to the clean ASCII form', () => {
    fc.assert(
      fc.property(
        validId,
        fc.array(fc.boolean(), { minLength: 18, maxLength: 18 }),
        fc.array(fc.constantFrom('', '', ' ', '\u3000', '\t', '\u00a0'), { minLength: 19, maxLength: 19 }),
        ({ id }, wide, gaps) => {
          let messy = gaps[0] ?? '';
          for (let i = 0; i < 18; i++) {
            const c = id.charAt(i);
            let out: string;
            if (c === 'X') out = wide[i] ? 'ｘ' : 'x';
            else out = wide[i] ? (FULL_WIDTH_DIGITS[Number(c)] ?? c) : c;
            messy += out + (gaps[i + 1] ?? '');
          }
          expect(normalizeIdNumber(messy)).toBe(id);
          expect(parseIdNumber(messy, { today: TODAY })).toEqual(parseIdNumber(id, { today: TODAY }));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('gives plain 18-character input the same answer as the same input with a space in front', () => {
    // A leading space sends a number through normalisation; plain digits take a shorter path that must agree.
    const digits = fc.array(fc.constantFrom(...'0123456789'), { minLength: 17, maxLength: 17 }).map((a) => a.join(''));
    const nearlyValid = fc
      .tuple(validId, fc.integer({ min: 0, max: 17 }), fc.constantFrom(...'0123456789X'))
      .map(([{ id }, i, c]) => id.slice(0, i) + c + id.slice(i + 1));
    const plain = fc.oneof(
      validId.map((v) => v.id),
      nearlyValid,
      fc.tuple(digits, fc.constantFrom(...'0123456789X')).map(([a, b]) => a + b),
      fc
        .tuple(fc.constantFrom(...PROVINCES), fc.integer({ min: 1890, max: 2030 }), fc.integer({ min: 0, max: 13 }))
        .chain(([p, y, m]) =>
          fc.integer({ min: 0, max: 32 }).map((d) => {
            const first17 = `${p}0101${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}123`;
            return first17 + computeCheckDigit(first17);
          }),
        ),
    );
    fc.assert(
      fc.property(plain, (id) => {
        expect(parseIdNumber(id, { today: TODAY })).toEqual(parseIdNumber(` ${id}`, { today: TODAY }));
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = parseIdNumber(s, { today: TODAY });
        if (r.ok) expect(r.value).toMatch(/^\d{17}[\dX]$/);
      }),
      { numRuns: 2000 },
    );
  });
});
