/**
 * Old Excel (.xls, BIFF8) and WPS (.et) workbooks: both are OLE2 compound files (D0 CF 11 E0 A1 B1 1A E1), read
 * by SheetJS (`@e965/xlsx`, its current npm republish). A BIFF8 sheet holds at most 65,536 rows, so reading the
 * whole file into memory stays small; the rows then go through the same pipeline as every other format.
 */
import * as XLSX from '@e965/xlsx';
import { replaceUnsafeText } from '../../../platform/http/input.plugin.js';
import type { Cell } from './import.logic.js';

/** The first bytes of an OLE2 compound file: .xls, .et (and .doc, .msi … which hold no workbook). */
export const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export function isOle2(head: Buffer): boolean {
  return head.length >= OLE2_MAGIC.length && head.subarray(0, OLE2_MAGIC.length).equals(OLE2_MAGIC);
}

/** A cell as SheetJS gives it (raw: numbers stay numbers, dates stay serial numbers as in .xlsx). */
function xlsCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return replaceUnsafeText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  return null;
}

/**
 * The rows of the first worksheet whose name `skip` does not match, with their row numbers as the spreadsheet
 * shows them (blank rows included). Throws (the caller reports the file as unreadable, with this as the cause)
 * when the file is no workbook or has no such sheet.
 */
export function readXlsRows(bytes: Buffer, skip: RegExp): { rowNo: number; cells: Cell[] }[] {
  const wb = XLSX.read(bytes, { type: 'buffer', cellDates: false, cellFormula: false, cellStyles: false });
  const name = wb.SheetNames.find((n) => !skip.test(n.trim()));
  const sheet = name === undefined ? undefined : wb.Sheets[name];
  if (!sheet) throw new Error(`no worksheet to read (sheets: ${wb.SheetNames.join(', ') || 'none'})`);
  const ref = sheet['!ref'];
  if (!ref) return [];
  const range = XLSX.utils.decode_range(ref);
  const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null, blankrows: true });
  return rows.map((r, i) => {
    const cells: Cell[] = new Array(range.s.c + r.length).fill(null);
    for (let c = 0; c < r.length; c++) cells[range.s.c + c] = xlsCell(r[c]);
    return { rowNo: range.s.r + i + 1, cells };
  });
}
