import ExcelJS from 'exceljs';

/** Every row of a workbook's first sheet as text cells (empty string for an empty cell), row 1 first. */
export async function readSheetRows(file: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('the workbook has no sheet');
  const rows: string[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const cell = ws.getRow(r).getCell(c);
      // a merged title reads as its value in every cell it spans: keep it in the first one only
      cells.push(cell.isMerged && cell.master.address !== cell.address ? '' : cell.text);
    }
    rows.push(cells);
  }
  return rows;
}

/** Rows below a header row as objects keyed by the header's cells. */
export function byHeader(rows: string[][], headerRow: number): Record<string, string>[] {
  const header = rows[headerRow - 1];
  if (!header) throw new Error(`no header in row ${headerRow}`);
  return rows.slice(headerRow).map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])));
}

/** An 18-digit ID number (17 digits and a digit or X) anywhere in a cell. */
export const FULL_ID_NUMBER = /(?<![\dX])\d{17}[\dX](?![\dX])/i;
/** A whole mainland mobile number anywhere in a cell. */
export const FULL_MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
