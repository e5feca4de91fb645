import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ErrorReportWriter } from './import.report.js';

async function writeReport(headers: string[], rows: (string | number | null)[][]): Promise<ExcelJS.Worksheet> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  const report = ErrorReportWriter.open(out, headers, 'zh-CN');
  rows.forEach((cells, i) => {
    report.add(i + 2, cells, '姓名：不能为空');
  });
  await report.close();
  await done;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('ErrorReportWriter', () => {
  it('writes the file’s own cells back as text, never as a formula (tab and CR included)', async () => {
    const ws = await writeReport(
      ['姓名', '=cmd'],
      [
        ['=HYPERLINK("http://x","点我")', '\t=1+1'],
        ['\r@SUM(A1)', '张三'],
      ],
    );
    const values = [1, 2, 3].map((r) => [2, 3].map((c) => ws.getRow(r).getCell(c).value));
    expect(values).toEqual([
      ['姓名', "'=cmd"],
      ['\'=HYPERLINK("http://x","点我")', "'\t=1+1"],
      // XML reads a carriage return back as a line feed; the quote in front is what matters
      ["'\n@SUM(A1)", '张三'],
    ]);
    let formulas = 0;
    ws.eachRow((row) => {
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas += 1;
      });
    });
    expect(formulas).toBe(0);
    expect(ws.getRow(2).getCell(1).value).toBe(2);
    expect(ws.getRow(2).getCell(4).value).toBe('姓名：不能为空');
  });
});
