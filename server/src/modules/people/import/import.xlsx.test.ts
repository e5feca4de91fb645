import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileSealer } from '../../../platform/files/sealed-file.js';
import { createPiiCipher } from '../../../platform/pii/index.js';
import { readRows, sealedFileInput, sniffFile } from './import.reader.js';
import { SCRATCH_PREFIX } from './import.xlsx.js';

const files = createFileSealer(createPiiCipher(Buffer.alloc(32, 5)).fileKeys);

describe('reading a sealed .xlsx upload', () => {
  let dir: string;
  let tmp: string;
  const savedTmp = process.env.TMPDIR;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-xlsx-test-'));
    tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    process.env.TMPDIR = tmp;
  });
  afterAll(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('parks a worksheet stored before the shared strings sealed, never in the system temp directory', async () => {
    // exceljs (like Excel) stores the worksheets before the shared strings: the sheet must wait.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('居民');
    ws.addRow(['姓名', '联系电话']);
    for (let i = 0; i < 3000; i++) ws.addRow([`居民${i}`, 13905370000 + i]);
    const upload = path.join(dir, 'import-1.xlsx');
    await files.writeFile(upload, Buffer.from(await wb.xlsx.writeBuffer()));
    const input = await sealedFileInput(upload, files, dir);
    const info = await sniffFile(input, 'a.xlsx');
    expect(info.format).toBe('xlsx');

    const rows: unknown[][] = [];
    let parked: string[] | null = null;
    for await (const batch of readRows(input, info)) {
      if (parked === null) {
        // While the parked sheet is read: sealed in the import's directory, and nothing in the temp directory.
        parked = fs.readdirSync(dir).filter((n) => n.startsWith(SCRATCH_PREFIX));
        expect(fs.readdirSync(tmp)).toEqual([]);
        for (const n of parked) {
          const raw = fs.readFileSync(path.join(dir, n));
          expect(raw.subarray(0, 7).toString()).toBe('LNLSEAL');
          expect(raw.includes(Buffer.from('13905370042'))).toBe(false);
        }
      }
      for (const r of batch) rows.push(r.cells);
    }
    expect(parked).toHaveLength(1);
    expect(rows).toHaveLength(3001);
    expect(rows[43]).toEqual(['居民42', 13905370042]);
    // Gone once read.
    expect(fs.readdirSync(dir).filter((n) => n.startsWith(SCRATCH_PREFIX))).toEqual([]);
    // 3,000 rows sealed, parked and read back: more than the default 5 s on a busy 2-core machine.
  }, 30_000);
});
