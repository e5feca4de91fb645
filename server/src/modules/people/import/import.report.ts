/**
 * The two spreadsheets of an import: the template users fill in, and the error report — every bad row as
 * it was in the file (ID and phone numbers masked except the part that is wrong, see import.mask.ts), with its
 * row number and what is wrong, written while the file is read (streaming, so a file full of errors costs disk,
 * not memory). Fix the rows in your own file, or in the report (retyping masked numbers), and import it again:
 * the extra 行号 and 错误 columns are ignored.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '../../../platform/errors/errors.js';
import { neutraliseCell } from '../../../platform/files/spreadsheet.logic.js';
import { type Cell, IMPORT_FIELDS } from './import.logic.js';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0FE' } };
const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };

export const REPORT_LABELS = {
  rowNo: { 'zh-CN': '行号', en: 'Row' },
  error: { 'zh-CN': '错误', en: 'Error' },
  sheet: { 'zh-CN': '错误行', en: 'Rows with errors' },
} as const;

/** The file's own text goes back out neutralised: a cell that would be a formula is shown as text. */
function textSafe<T>(cell: T): T | string {
  return typeof cell === 'string' ? neutraliseCell(cell) : cell;
}

export class ErrorReportWriter {
  private constructor(
    private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter,
    private readonly ws: ExcelJS.Worksheet,
  ) {}

  /** Starts a report into `stream` with the file's own header row between 行号 and 错误. */
  static open(stream: Writable, headers: readonly Cell[], locale: Locale): ErrorReportWriter {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
    const ws = wb.addWorksheet(REPORT_LABELS.sheet[locale], { views: [{ state: 'frozen', ySplit: 1 }] });
    const header = ws.addRow([REPORT_LABELS.rowNo[locale], ...headers.map(textSafe), REPORT_LABELS.error[locale]]);
    header.font = { bold: true };
    header.eachCell((c) => {
      c.fill = HEADER_FILL;
    });
    header.commit();
    return new ErrorReportWriter(wb, ws);
  }

  add(rowNo: number, cells: readonly Cell[], message: string): void {
    this.ws.addRow([rowNo, ...cells.map((c) => (c === undefined ? null : textSafe(c))), message]).commit();
  }

  async close(): Promise<void> {
    this.ws.commit();
    await this.wb.commit();
  }
}

export type TemplateExample = {
  idNumber: string;
  street: string;
  community: string;
  grid: string;
  microGrid: string;
  building: string;
  unit: string;
};

const GENERAL_NOTES = [
  '第一行是表头，从第二行起每行一人；列的顺序不限，表头也可用“也可写作”中的名称，或在导入时指定列映射。',
  '示例行请删除或改成真实数据后再导入。',
  '支持 .xlsx 和 .csv（UTF-8 或 GBK 编码均可）。',
  '先校验后提交：校验会列出每一行的问题并生成错误报告，确认无误后再提交正确的行。',
  '可以重复导入：同一身份证号只会建档一次，再次导入会更新其信息；房屋按“地点 + 房号”自动建立。',
];

/** The import template: a data sheet with the headers and one example row, and a 说明 sheet. */
export async function buildTemplate(example: TemplateExample): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Linli 邻里';
  const ws = wb.addWorksheet('居民信息', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = IMPORT_FIELDS.map((f) => ({
    header: f.header,
    key: f.key,
    width: f.key === 'idNumber' ? 22 : f.key.endsWith('Address') ? 28 : 12,
    // Text format keeps Excel from turning an 18-digit ID number into 3.70323E+17.
    style: f.key === 'idNumber' || f.key === 'phone' || f.key === 'householdNo' ? { numFmt: '@' } : {},
  }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  IMPORT_FIELDS.forEach((f, i) => {
    header.getCell(i + 1).fill = f.required ? REQUIRED_FILL : HEADER_FILL;
  });
  ws.addRow({
    name: '张三',
    idNumber: example.idNumber,
    phone: '13805371234',
    sex: '男',
    ethnicity: '汉族',
    birthDate: `${example.idNumber.slice(6, 10)}-${example.idNumber.slice(10, 12)}-${example.idNumber.slice(12, 14)}`,
    hukouAddress: '',
    currentAddress: '',
    street: example.street,
    community: example.community,
    grid: example.grid,
    microGrid: example.microGrid,
    building: example.building,
    unit: example.unit,
    roomNo: example.building ? '101' : '1',
    householdNo: '',
    relation: '户主',
    tags: '',
    movedInOn: '',
  });

  const notes = wb.addWorksheet('说明');
  notes.columns = [
    { header: '列名', width: 14 },
    { header: '必填', width: 8 },
    { header: '说明', width: 70 },
    { header: '也可写作', width: 40 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const f of IMPORT_FIELDS) notes.addRow([f.header, f.required ? '是' : '', f.note, f.aliases.join('、')]);
  notes.addRow([]);
  for (const line of GENERAL_NOTES) notes.addRow(['', '', line]);
  notes.getColumn(3).alignment = { wrapText: true, vertical: 'top' };

  return Buffer.from(await wb.xlsx.writeBuffer());
}
