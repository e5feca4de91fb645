import { describe, expect, it } from 'vitest';
import { generateIdNumber } from '../../../platform/pii/index.js';
import { findFlagColumns, isNoTag, parseYesNo } from './import.flags.js';
import { type Cell, formatIssues, mapColumns } from './import.logic.js';
import { PlaceIndex } from './import.places.js';
import { checkRow, type RowContext } from './import.rows.js';
import { samplePlaces } from './import.test-fixtures.js';

const HEADERS = ['姓名', '身份证号', '网格', '社区', '标签', '是否低保', '是否残疾', '是否优抚对象', '是否失独'];
const columns = mapColumns(HEADERS);
const ctx: RowContext = {
  columns,
  places: new PlaceIndex(samplePlaces(), (p) => p.startsWith('/1/2/10/')),
  tags: new Map([
    ['党员', { id: 7, derived: false }],
    ['志愿者', { id: 9, derived: false }],
    ['low_income', { id: 20, derived: false }],
    ['disabled', { id: 21, derived: false }],
    ['entitled_group', { id: 22, derived: false }],
    ['bereaved_family', { id: 23, derived: false }],
  ]),
  flags: findFlagColumns(HEADERS, Object.values(columns.index)),
  today: '2026-01-10',
  now: new Date('2026-01-10T04:00:00Z'),
};
const ID = generateIdNumber({ areaCode: '370899', birthDate: '1985-06-15', sequence: 123, sex: 'male' });
const row = (tags: Cell, flags: Cell[]): Cell[] => ['张三', ID, '第一网格', '东关社区', tags, ...flags];

describe('yes/no columns and "no tag"', () => {
  it('finds the four yes/no columns and the tags they set', () => {
    expect(ctx.flags?.map((f) => [f.label, f.tag])).toEqual([
      ['是否低保', 'low_income'],
      ['是否残疾', 'disabled'],
      ['是否优抚对象', 'entitled_group'],
      ['是否失独', 'bereaved_family'],
    ]);
    // Not when the caller's mapping names the column.
    expect(findFlagColumns(HEADERS, [], { 是否低保: '' }).map((f) => f.tag)).not.toContain('low_income');
  });

  it('reads 是/否 and the ways offices write them', () => {
    for (const y of ['是', 'Y', 'y', 'yes', '1', '√', '✓', 'ｙ']) expect(parseYesNo(y), y).toBe(true);
    for (const n of ['否', '无', 'N', 'no', '0', '×', '', ' ']) expect(parseYesNo(n), n).toBe(false);
    expect(parseYesNo('也许')).toBeUndefined();
  });

  it('sets the tags of the 是 columns, none for 否, and reads 否/无 in the tags column as no tag', () => {
    const r = checkRow(row('无', ['是', '否', '√', 1]), ctx);
    expect(r.issues).toEqual([]);
    expect(r.row?.tagIds).toEqual([20, 22, 23]);
    const none = checkRow(row('否', ['否', 'N', '', 0]), ctx);
    expect(none.issues).toEqual([]);
    expect(none.row?.tagIds).toEqual([]);
    for (const t of ['否', '无', '暂无', '—', 'none']) expect(isNoTag(t), t).toBe(true);
    expect(isNoTag('党员')).toBe(false);
  });

  it('splits several tags on , ， 、 ; and ；', () => {
    const r = checkRow(row('党员，志愿者;党员；志愿者、党员,志愿者', ['', '', '', '']), ctx);
    expect(r.issues).toEqual([]);
    expect(r.row?.tagIds).toEqual([7, 9]);
  });

  it('reports an unreadable yes/no cell under its own column, in both languages', () => {
    const r = checkRow(row('', ['也许', '是', '', '']), ctx);
    expect(r.row).toBeNull();
    expect(r.issues).toEqual([
      { field: 'tags', column: '是否低保', code: 'yes_no_invalid', params: { value: '也许' } },
    ]);
    expect(formatIssues(r.issues, columns.label, 'zh-CN')).toBe(
      '是否低保：“也许”应为 是 或 否（也可写 Y/N、1/0、√，留空即否）',
    );
    expect(formatIssues(r.issues, columns.label, 'en')).toContain('是否低保: “也许” must be 是 or 否');
  });

  it('names a missing tag of a yes/no column (a dictionary without 失独家庭)', () => {
    const tags = new Map(ctx.tags);
    tags.delete('bereaved_family');
    const r = checkRow(row('', ['', '', '', '是']), { ...ctx, tags });
    expect(r.issues.map((i) => [i.column, i.code])).toEqual([['是否失独', 'tag_unknown']]);
  });
});

describe('an ID number Excel stored as a number', () => {
  const idCtx: RowContext = { ...ctx, flags: [] };
  it.each([
    ['a numeric cell with its last digits gone', Number(ID.slice(0, 15)) * 1000],
    ['the number as Excel shows it', '3.70899E+17'],
    ['all 15 digits Excel keeps', '3.70899198506151E+17'],
  ])('%s is told so, with how to fix it', (_, cell) => {
    const r = checkRow(['张三', cell, '第一网格', '东关社区', '', '', '', '', ''], idCtx);
    expect(r.issues).toEqual([{ field: 'idNumber', code: 'id_number_cell' }]);
    expect(formatIssues(r.issues, columns.label, 'zh-CN')).toContain('请把这一列设为“文本”格式，再重新输入这些号码');
    expect(formatIssues(r.issues, columns.label, 'en')).toContain(
      'format the column as text and enter the numbers again',
    );
  });
});
