/**
 * Spreadsheets as offices have them, read the way an upload is read (sealed, decrypted as a stream): the
 * committed fixtures of several writers, each read 25 times, and always the same rows.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors/errors.js';
import { createFileSealer } from '../../../platform/files/sealed-file.js';
import { createPiiCipher } from '../../../platform/pii/index.js';
import { RESIDENT_ROWS } from './fixtures/fixture-rows.js';
import { cellText } from './import.logic.js';
import { readRows, sealedFileInput, sniffFile } from './import.reader.js';
import { OLE2_MAGIC } from './import.xls.js';
import { zipEntries } from './import.xlsx.js';

const require = createRequire(import.meta.url);
const unzip = require('unzipper') as { Parse(o: { forceStream: boolean }): NodeJS.ReadWriteStream };

const files = createFileSealer(createPiiCipher(Buffer.alloc(32, 9)).fileKeys);
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The fixture's rows as text, trailing blanks dropped (writers differ on empty cells and numbers). */
function asText(rows: unknown[][]): string[][] {
  return rows.map((r) => {
    const t = r.map((c) => cellText(c as string | number | null | undefined));
    while (t.length > 0 && t[t.length - 1] === '') t.pop();
    return t;
  });
}

describe('spreadsheets written by several tools, uploaded again and again', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-formats-test-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const expected = asText(RESIDENT_ROWS);
  const cases = [
    ['residents.exceljs.xlsx', 'xlsx'],
    ['residents.sheetjs.xlsx', 'xlsx'],
    ['residents.libreoffice.xlsx', 'xlsx'],
    ['residents.quirks.xlsx', 'xlsx'],
    ['residents.sheetjs.xls', 'xls'],
    ['residents.libreoffice.xls', 'xls'],
    ['residents.et', 'xls'],
  ] as const;

  it.each(cases)('%s is read 25 times out of 25, every row every time', async (name, format) => {
    const bytes = fs.readFileSync(path.join(fixtures, name));
    const upload = path.join(dir, `upload-${name}`);
    await files.writeFile(upload, bytes);
    for (let i = 0; i < 25; i++) {
      const input = await sealedFileInput(upload, files, dir);
      const info = await sniffFile(input, name);
      expect(info.format).toBe(format);
      const rows: unknown[][] = [];
      for await (const batch of readRows(input, info)) for (const r of batch) rows.push(r.cells);
      expect(asText(rows), `${name}, reading ${i + 1}`).toEqual(expected);
    }
    // Nothing parked is left behind.
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('scratch-'))).toEqual([]);
  });
});

describe('the entries of a zip, to a reader that takes its time', () => {
  // unzipper emits 'end' once its input is consumed, with entries still queued: a reader busy with one entry
  // (parking a worksheet) lost the rest, xl/workbook.xml among them, and the file was refused.
  it.each(['residents.exceljs.xlsx', 'residents.sheetjs.xlsx', 'residents.quirks.xlsx'])(
    '%s: every entry of the central directory arrives, however slow the reader',
    async (name) => {
      const bytes = fs.readFileSync(path.join(fixtures, name));
      let expected = 0;
      for (let i = bytes.indexOf(0x50); i !== -1; i = bytes.indexOf(0x50, i + 1)) {
        if (bytes.readUInt32LE(Math.min(i, bytes.length - 4)) === 0x02014b50) expected++;
      }
      expect(expected).toBeGreaterThan(5);
      for (const delayMs of [0, 5, 20]) {
        const zip = unzip.Parse({ forceStream: true });
        Readable.from([bytes]).pipe(zip);
        const seen: string[] = [];
        for await (const entry of zipEntries(zip as unknown as Readable)) {
          seen.push(entry.path);
          await new Promise((r) => setTimeout(r, delayMs));
          entry.autodrain();
        }
        expect(seen, `${name}, ${delayMs} ms per entry`).toHaveLength(expected);
        expect(seen).toContain('xl/workbook.xml');
      }
    },
  );
});

describe('files that are not what they are named', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-formats-bad-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const refusal = async (name: string, bytes: Buffer) => {
    const upload = path.join(dir, `u-${name}`);
    await files.writeFile(upload, bytes);
    const input = await sealedFileInput(upload, files, dir);
    try {
      const info = await sniffFile(input, name);
      for await (const _ of readRows(input, info)) {
        // reading
      }
    } catch (err) {
      return err;
    }
    return null;
  };

  it('refuses an OLE2 file that holds no workbook, and a cut-off .xlsx, saying why underneath', async () => {
    const ole = await refusal('人口.xls', Buffer.concat([OLE2_MAGIC, Buffer.alloc(2000, 1)]));
    expect(ole).toBeInstanceOf(AppError);
    expect((ole as AppError).code).toBe('IMPORT_FILE_UNREADABLE');
    expect((ole as AppError).cause).toBeInstanceOf(Error);

    const whole = fs.readFileSync(path.join(fixtures, 'residents.exceljs.xlsx'));
    const cut = await refusal('人口.xlsx', whole.subarray(0, Math.floor(whole.length / 2)));
    expect((cut as AppError).code).toBe('IMPORT_FILE_UNREADABLE');
    expect(String((cut as AppError).cause)).not.toBe('undefined');

    const text = await refusal('人口.et', Buffer.from('姓名,身份证号\n'));
    expect((text as AppError).code).toBe('IMPORT_FILE_UNREADABLE');
    expect(String((text as AppError).cause)).toContain('named as a spreadsheet');
  });
});
