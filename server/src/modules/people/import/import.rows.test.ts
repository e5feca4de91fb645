import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convert15To18, generateIdNumber } from '../../../platform/pii/index.js';
import { type Cell, mapColumns } from './import.logic.js';
import { PlaceIndex } from './import.places.js';
import { checkRow, householdKey, type RowContext } from './import.rows.js';
import { HEADER, samplePlaces } from './import.test-fixtures.js';

const HEADERS = HEADER;
const now = new Date('2026-01-10T04:00:00Z');
const ctx: RowContext = {
  columns: mapColumns(HEADERS),
  places: new PlaceIndex(samplePlaces(), (p) => p.startsWith('/1/2/10/')),
  tags: new Map([
    ['党员', { id: 7, derived: false }],
    ['低保户', { id: 8, derived: false }],
    ['高龄老人', { id: 2, derived: true }],
  ]),
  today: '2026-01-10',
  now,
};
const ID = generateIdNumber({ areaCode: '370899', birthDate: '1985-06-15', sequence: 123, sex: 'male' });

function row(over: Partial<Record<(typeof HEADERS)[number], Cell>> = {}): Cell[] {
  const base: Record<string, Cell> = {
    姓名: '张三',
    身份证号: ID,
    联系电话: '13805371234',
    性别: '男',
    出生日期: '1985-06-15',
    社区: '东关社区',
    网格: '第一网格',
    楼栋: '1号楼',
    单元: '1单元',
    房号: '101',
    户号: '',
    与户主关系: '户主',
    标签: '',
    ...over,
  };
  return HEADERS.map((h) => base[h]);
}

const codes = (cells: Cell[]) => checkRow(cells, ctx).issues.map((i) => `${i.field}:${i.code}`);

describe('checkRow', () => {
  it('accepts a complete row and normalises it', () => {
    const r = checkRow(row({ 标签: '党员、高龄老人' }), ctx);
    expect(r.issues).toEqual([]);
    expect(r.row).toMatchObject({
      id: ID,
      birthDate: '1985-06-15',
      sex: 'male',
      name: '张三',
      phone: '13805371234',
      roomNo: '101',
      relation: 'head',
      // The derived tag is left to its rule, without complaint.
      tagIds: [7],
    });
    expect(r.row?.node.id).toBe(16);
    expect(householdKey(r.row!)).toBe('h:16:101');
    expect(householdKey({ ...r.row!, householdNo: 'H1' })).toBe('n:1:H1');
  });

  it('reports every problem of a row, each with its column', () => {
    expect(codes(row({ 姓名: '', 身份证号: ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0') }))).toEqual([
      'name:required',
      'idNumber:id_check_digit',
    ]);
    expect(codes(row({ 出生日期: '1985-06-16', 性别: '女' }))).toEqual([
      'birthDate:birth_mismatch',
      'sex:sex_mismatch',
    ]);
    expect(codes(row({ 出生日期: '1985-02-30' }))).toEqual(['birthDate:date_invalid']);
    expect(codes(row({ 联系电话: '12345' }))).toEqual(['phone:phone_invalid']);
    expect(codes(row({ 与户主关系: '邻居', 标签: '党员,贫困户' }))).toEqual([
      'relation:relation_invalid',
      'tags:tag_unknown',
    ]);
    expect(codes(row({ 网格: '' }))).toEqual(['grid:required']);
    expect(codes(row({ 楼栋: '9号楼' }))).toEqual(['building:place_not_found']);
    expect(codes(row({ 社区: '西关社区', 楼栋: '1号楼', 单元: '' }))).toEqual(['community:place_out_of_scope']);
    expect(codes(row({ 身份证号: 3.70899198506151e17 }))).toEqual(['idNumber:id_number_cell']);
    expect(codes(row({ 房号: 'x'.repeat(21) }))).toEqual(['roomNo:too_long']);
  });

  it('accepts a birth date written any usual way, or as an Excel serial number', () => {
    for (const d of ['1985/6/15', '19850615', '1985年6月15日', 31213, '31213'])
      expect(codes(row({ 出生日期: d })), String(d)).toEqual([]);
  });

  const idArb = fc
    .record({
      area: fc.constantFrom('370899', '110105', '440305', '510104', '650102'),
      day: fc.date({
        min: new Date('1901-01-01T00:00:00Z'),
        max: new Date('2025-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      sequence: fc.integer({ min: 0, max: 999 }),
    })
    .map((r) =>
      generateIdNumber({ areaCode: r.area, birthDate: r.day.toISOString().slice(0, 10), sequence: r.sequence }),
    );
  const fullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

  it('normalises ID numbers as typed (full-width digits, spaces of every kind, lower-case x) to one form', () => {
    fc.assert(
      fc.property(
        idArb,
        fc.array(fc.nat({ max: 18 }), { maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        (id, gaps, wide, lower) => {
          let typed = wide ? fullWidth(id) : id;
          if (lower) typed = typed.replace('X', 'x').replace('Ｘ', 'ｘ');
          for (const g of gaps)
            typed = `${typed.slice(0, g)}${[' ', '\u3000', '\u200b', '\t'][g % 4]}${typed.slice(g)}`;
          const r = checkRow(row({ 身份证号: ` ${typed} `, 性别: '', 出生日期: '' }), ctx);
          expect(r.issues).toEqual([]);
          expect(r.id).toBe(id);
          expect(r.row?.birthDate).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
        },
      ),
    );
  });

  it('converts 15-digit ID numbers to their 18-character form', () => {
    fc.assert(
      fc.property(
        idArb.filter((id) => id.startsWith('19', 6)),
        (id18) => {
          const id15 = id18.slice(0, 6) + id18.slice(8, 17);
          expect(convert15To18(id15)).toBe(id18);
          const r = checkRow(row({ 身份证号: id15, 性别: '', 出生日期: '' }), ctx);
          expect(r.issues).toEqual([]);
          expect(r.id).toBe(id18);
        },
      ),
    );
  });

  it('normalises phone numbers as typed to one form', () => {
    const mobile = fc
      .tuple(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 999_999_999 }))
      .map(([b, n]) => `1${b}${String(n).padStart(9, '0')}`);
    fc.assert(
      fc.property(
        mobile,
        fc.constantFrom('', '+86', '+86 ', '0086', '86'),
        fc.boolean(),
        fc.boolean(),
        (m, prefix, dashed, wide) => {
          let typed = dashed ? `${m.slice(0, 3)}-${m.slice(3, 7)} ${m.slice(7)}` : m;
          typed = prefix + typed;
          if (wide) typed = fullWidth(typed).replace('+', '＋');
          const r = checkRow(row({ 联系电话: typed }), ctx);
          expect(r.issues).toEqual([]);
          expect(r.row?.phone).toBe(m);
        },
      ),
    );
    expect(checkRow(row({ 联系电话: '(0537) 123-4567' }), ctx).row?.phone).toBe('0537-1234567');
    expect(checkRow(row({ 联系电话: 13805371234 }), ctx).row?.phone).toBe('13805371234');
  });
});
