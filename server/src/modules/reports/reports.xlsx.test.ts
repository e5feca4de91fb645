import { PassThrough, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { openXlsxReport } from './reports.xlsx.js';

const columns = [
  { key: 'name', label: '姓名' },
  { key: 'age', label: '年龄' },
];

describe('openXlsxReport', () => {
  it('writes a title, a bold frozen header and rows, neutralising formulas', async () => {
    const out = new PassThrough();
    const bytes = buffer(out);
    const xw = openXlsxReport(out, { sheetName: '高龄老人名单', title: '=标题', columns });
    xw.addBanner('第一网格（2人）');
    xw.addRow(['王秀英', 86]);
    xw.addRow(['=HYPERLINK("x")', null]);
    await xw.finish();

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await bytes) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('高龄老人名单');
    expect(ws.getCell('A1').value).toBe("'=标题");
    expect(ws.getCell('A1').isMerged).toBe(true);
    expect(ws.getRow(2).values).toEqual([undefined, '姓名', '年龄']);
    expect(ws.getCell('A2').font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.getCell('A3').value).toBe('第一网格（2人）');
    expect(ws.getCell('A4').value).toBe('王秀英');
    expect(ws.getCell('B4').value).toBe(86);
    expect(ws.getCell('A5').value).toBe('\'=HYPERLINK("x")');
    expect(ws.getCell('A5').type).toBe(ExcelJS.ValueType.String);
  });

  it('waits for a reader that is behind, and gives up on one that takes nothing', async () => {
    const out = new PassThrough();
    const taken: Buffer[] = [];
    let release: (() => void) | null = null;
    // Takes one chunk, then nothing until released.
    const reader = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        taken.push(chunk);
        if (taken.length === 1) cb();
        else release = cb;
      },
    });
    out.pipe(reader);
    const xw = openXlsxReport(out, { sheetName: 's', title: 't', columns, stallMs: 300 });
    for (let page = 0; page < 3; page++) {
      for (let i = 0; i < 2000; i++) xw.addRow([`name-${page}-${i}-${Math.random().toString(36)}`, i]);
      await xw.waitForRoom();
      if (out.destroyed) break;
    }
    expect(release).not.toBeNull();
    expect(out.destroyed).toBe(true);
  });
});
