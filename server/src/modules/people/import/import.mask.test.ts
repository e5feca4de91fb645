import { describe, expect, it } from 'vitest';
import { IMPORT_FIELD_KEYS, type ImportField } from './import.logic.js';
import { maskIdForReport, maskPhoneForReport, maskReportRow } from './import.mask.js';

const VALID = '370323199001011236';

describe('maskIdForReport', () => {
  it('masks a valid number (the row is wrong elsewhere) like every masked ID: area code and last four', () => {
    expect(maskIdForReport(VALID, null, 'zh-CN')).toBe('370323********1236');
    expect(maskIdForReport(VALID, 'duplicate_in_file', 'zh-CN')).toBe('370323********1236');
  });

  it('keeps the wrong check digit (the last character) visible, and nothing more of the middle', () => {
    expect(maskIdForReport('370323199001011235', 'id_check_digit', 'zh-CN')).toBe('370323********1235');
    // As typed: full-width digits, spaces and a lower-case x are shown in the canonical form.
    expect(maskIdForReport(' ３７０３２３ 19800101123x', 'id_check_digit', 'zh-CN')).toBe('370323********123X');
  });

  it('shows a wrong length with the masked value', () => {
    expect(maskIdForReport('37032319900101123', 'id_length', 'zh-CN')).toBe('370323*******1123（17 位）');
    expect(maskIdForReport('37032319900101123', 'id_length', 'en')).toBe('370323*******1123 (17 characters)');
    // Too short to keep both ends: every digit starred.
    expect(maskIdForReport('370323', 'id_length', 'zh-CN')).toBe('******（6 位）');
  });

  it('keeps the digits of a bad birth date visible and masks the sequence and check digit', () => {
    expect(maskIdForReport('370323199002301234', 'id_birth_date', 'zh-CN')).toBe('37032319900230****');
    expect(maskIdForReport('370323900230123', 'id_birth_date', 'zh-CN')).toBe('370323900230***');
  });

  it('keeps a stray character visible where it stands', () => {
    expect(maskIdForReport('37032319900101O236', 'id_format', 'zh-CN')).toBe('370323********O236');
    expect(maskIdForReport('3703231990O1011236', 'id_format', 'zh-CN')).toBe('370323****O***1236');
    expect(maskIdForReport('37032319X001011236', 'id_format', 'zh-CN')).toBe('370323**X*****1236');
  });

  it('leaves an empty cell empty', () => {
    expect(maskIdForReport('', 'required', 'zh-CN')).toBe('');
  });
});

describe('maskPhoneForReport', () => {
  it('masks a valid number as everywhere', () => {
    expect(maskPhoneForReport('13805371234', null, 'zh-CN')).toBe('138****1234');
    expect(maskPhoneForReport('0537-1234567', null, 'zh-CN')).toBe('0537-*****67');
  });

  it('masks an invalid number with its length, keeping the prefix of a mistyped mobile', () => {
    expect(maskPhoneForReport('1380537123', 'phone_invalid', 'zh-CN')).toBe('138*****23（10 位）');
    expect(maskPhoneForReport('12345', 'phone_invalid', 'zh-CN')).toBe('***45（5 位）');
    expect(maskPhoneForReport('1234', 'phone_invalid', 'en')).toBe('**** (4 characters)');
    expect(maskPhoneForReport('138O5371234', 'phone_invalid', 'zh-CN')).toBe('138O*****34（11 位）');
  });
});

describe('maskReportRow', () => {
  const index = Object.fromEntries(IMPORT_FIELD_KEYS.map((k) => [k, -1])) as Record<ImportField, number>;
  index.name = 0;
  index.idNumber = 1;
  index.phone = 2;

  it('masks the ID and phone cells and the phone quoted in its message; other cells stay as written', () => {
    const out = maskReportRow(
      ['张三', '370323199001011235', '1380537123', '第九网格'],
      index,
      [
        { field: 'idNumber', code: 'id_check_digit' },
        { field: 'phone', code: 'phone_invalid', params: { value: '1380537123' } },
      ],
      'zh-CN',
    );
    expect(out.cells).toEqual(['张三', '370323********1235', '138*****23（10 位）', '第九网格']);
    expect(out.issues).toEqual([
      { field: 'idNumber', code: 'id_check_digit' },
      { field: 'phone', code: 'phone_invalid', params: { value: '138*****23（10 位）' } },
    ]);
  });

  it('masks a valid ID number given as an Excel number, and leaves rows without those columns alone', () => {
    // 370323199001011236 as a double is 370323199001011260 (why such cells are refused as id_number_cell).
    const out = maskReportRow(['李四', 370323199001011260, null], index, [{ field: 'grid', code: 'required' }], 'en');
    expect(out.cells).toEqual(['李四', '370323********1260', null]);
    const none = Object.fromEntries(IMPORT_FIELD_KEYS.map((k) => [k, -1])) as Record<ImportField, number>;
    expect(maskReportRow(['王五'], none, [], 'en').cells).toEqual(['王五']);
  });
});
