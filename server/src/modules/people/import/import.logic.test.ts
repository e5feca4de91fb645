import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors/errors.js';
import {
  excelSerialToDate,
  fieldForHeader,
  formatIssue,
  IMPORT_FIELDS,
  looksLikeHeader,
  mapColumns,
  normalizeName,
  parseDate,
  parseSex,
  splitTags,
} from './import.logic.js';

const codeOf = (fn: () => unknown): { code: string; params: Record<string, unknown> } => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, params: err.params };
    throw err;
  }
  throw new Error('did not throw');
};

describe('fieldForHeader', () => {
  it('accepts the template headers, the field codes and common aliases', () => {
    for (const f of IMPORT_FIELDS) {
      expect(fieldForHeader(f.header)).toBe(f.key);
      expect(fieldForHeader(f.key)).toBe(f.key);
      for (const a of f.aliases) expect(fieldForHeader(a), a).toBe(f.key);
    }
  });

  it('ignores required-marks, notes in brackets, spaces and full-width letters', () => {
    expect(fieldForHeader('姓名*')).toBe('name');
    expect(fieldForHeader(' 身份证号码（必填） ')).toBe('idNumber');
    expect(fieldForHeader('出生日期(yyyy-mm-dd)')).toBe('birthDate');
    expect(fieldForHeader('联 系 电 话')).toBe('phone');
    expect(fieldForHeader('【必填】网格')).toBe('grid');
    expect(fieldForHeader('ＩＤＮＵＭＢＥＲ')).toBe('idNumber');
    expect(fieldForHeader('序号')).toBeUndefined();
  });
});

describe('mapColumns', () => {
  it('finds each field by the header the file uses, and keeps that header for messages', () => {
    const m = mapColumns(['序号', '居民姓名', '公民身份号码', '手机号', '村', '所属网格', '门牌号']);
    expect(m.index.name).toBe(1);
    expect(m.index.idNumber).toBe(2);
    expect(m.index.phone).toBe(3);
    expect(m.index.community).toBe(4);
    expect(m.index.grid).toBe(5);
    expect(m.index.roomNo).toBe(6);
    expect(m.index.building).toBe(-1);
    expect(m.label.idNumber).toBe('公民身份号码');
    expect(m.label.building).toBe('楼栋');
  });

  it('applies an explicit mapping (by code or template header) over the aliases, and "" ignores a column', () => {
    const m = mapColumns(['人名', '证件', '格子', '关系'], { 人名: 'name', 证件: '身份证号', 格子: 'grid', 关系: '' });
    expect(m.index.name).toBe(0);
    expect(m.index.idNumber).toBe(1);
    expect(m.index.grid).toBe(2);
    expect(m.index.relation).toBe(-1);
  });

  it('names the first missing required column', () => {
    expect(codeOf(() => mapColumns(['身份证号', '网格']))).toEqual({
      code: 'IMPORT_COLUMN_MISSING',
      params: { column: '姓名' },
    });
    expect(codeOf(() => mapColumns(['姓名', '网格'])).params).toEqual({ column: '身份证号' });
    expect(codeOf(() => mapColumns(['姓名', '身份证号', '社区'])).params).toEqual({ column: '网格' });
  });

  it('refuses two columns for one field, and a mapping that names an unknown field or header', () => {
    expect(codeOf(() => mapColumns(['姓名', '名字', '身份证号', '网格'])).code).toBe('IMPORT_COLUMN_DUPLICATE');
    expect(codeOf(() => mapColumns(['姓名', '身份证号', '网格'], { 姓名: 'nickname' })).code).toBe(
      'IMPORT_MAPPING_FIELD_UNKNOWN',
    );
    expect(codeOf(() => mapColumns(['姓名', '身份证号', '网格'], { 住址: 'currentAddress' })).code).toBe(
      'IMPORT_MAPPING_HEADER_UNKNOWN',
    );
  });

  it('tells a header row from a title row above it', () => {
    expect(looksLikeHeader(['泗源县居民信息登记表'])).toBe(false);
    expect(looksLikeHeader(['姓名', '身份证号', '网格'])).toBe(true);
    expect(looksLikeHeader([1, null, '姓名'])).toBe(false);
  });
});

describe('parseDate', () => {
  it('reads the ways dates are written', () => {
    for (const s of [
      '2024-01-05',
      '2024/1/5',
      '2024.1.5',
      '20240105',
      '2024年1月5日',
      '2024年01月05日',
      '２０２４－０１－０５',
    ]) {
      expect(parseDate(s), s).toBe('2024-01-05');
    }
    expect(parseDate('2024-01-05 08:30:00')).toBe('2024-01-05');
    expect(parseDate('2024/1/5 0:00')).toBe('2024-01-05');
  });

  it('reads Excel serial numbers, as numbers and as digits', () => {
    expect(parseDate(45296)).toBe('2024-01-05');
    expect(parseDate('45296')).toBe('2024-01-05');
    expect(parseDate(45296.75)).toBe('2024-01-05');
    expect(parseDate(1)).toBe('1900-01-01');
    expect(parseDate(59)).toBe('1900-02-28');
    // Excel's fictitious 1900-02-29.
    expect(parseDate(60)).toBeNull();
    expect(parseDate(61)).toBe('1900-03-01');
  });

  it('refuses dates that do not exist and text that is not a date', () => {
    for (const s of ['2023-02-29', '2024-13-01', '2024-00-10', '20241301', '昨天', '2024-1', '', '0', '-5']) {
      expect(parseDate(s), s).toBeNull();
    }
  });

  it('round-trips every day through its Excel serial number', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-03-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          const serial = Math.round((Date.parse(day) - Date.UTC(1899, 11, 30)) / 86_400_000);
          expect(excelSerialToDate(serial)).toBe(day);
          expect(parseDate(day.replace(/-/g, ''))).toBe(day);
        },
      ),
    );
  });
});

describe('cells', () => {
  it('reads sex in Chinese, English and GB/T 2261 codes', () => {
    expect(parseSex('男')).toBe('male');
    expect(parseSex(' 女性 ')).toBe('female');
    expect(parseSex('M')).toBe('male');
    expect(parseSex('2')).toBe('female');
    expect(parseSex('未知')).toBeUndefined();
  });

  it('splits tags on ， , 、 and ;', () => {
    expect(splitTags('党员，低保户、残疾人;志愿者；党员, ')).toEqual(['党员', '低保户', '残疾人', '志愿者']);
    expect(splitTags('  ')).toEqual([]);
  });

  it('removes spaces inside Chinese names but keeps one between words of others', () => {
    expect(normalizeName(' 张　三 ')).toBe('张三');
    expect(normalizeName('买买提·艾力')).toBe('买买提·艾力');
    expect(normalizeName(' John   Smith ')).toBe('John Smith');
  });

  it('words an issue with the column as the file names it', () => {
    const labels = mapColumns(['姓名', '公民身份号码', '网格']).label;
    expect(formatIssue({ field: 'idNumber', code: 'id_check_digit' }, labels, 'zh-CN')).toBe(
      '公民身份号码：校验位不正确，请核对号码',
    );
    expect(formatIssue({ field: 'idNumber', code: 'duplicate_in_file', params: { row: 3 } }, labels, 'en')).toBe(
      '公民身份号码: is the same person as row 3',
    );
  });
});
