/**
 * Reads an uploaded file as rows of cells, streaming, whatever its size: .xlsx through exceljs's streaming
 * reader (first worksheet that is not an instructions sheet), .xls/.et (OLE2, BIFF8: at most 65,536 rows) whole
 * through SheetJS, anything else as CSV in the detected encoding. The format is told by content, not by name.
 * Memory stays bounded by one chunk of the file plus one batch of rows (and, for .xlsx, its shared strings).
 * The file comes as a stream (a sealed upload decrypting as it is read, or the operator's own file), never
 * needing a plain copy on disk.
 */
import fs from 'node:fs';
import os from 'node:os';
import { type Readable, Transform } from 'node:stream';
import { AppError } from '../../../platform/errors/errors.js';
import type { FileSealer } from '../../../platform/files/sealed-file.js';
import { replaceUnsafeText } from '../../../platform/http/input.plugin.js';
import {
  CsvError,
  CsvParser,
  createDecoder,
  detectDelimiter,
  detectEncoding,
  type TextEncoding,
} from './import.csv.js';
import type { Cell } from './import.logic.js';
import { isOle2, readXlsRows } from './import.xls.js';
import { createXlsxReader, type Scratch } from './import.xlsx.js';

export type SourceRow = { rowNo: number; cells: Cell[] };
export type SourceInfo = { format: 'csv' | 'xlsx' | 'xls'; encoding: TextEncoding | null };

/**
 * A file to import: its size in bytes (for progress), a fresh stream of its bytes from the start on each
 * open(), and where parts that must be read twice may wait (sealed).
 */
export type ImportInput = { size: number; open(): Readable; scratch: Scratch };

const CHUNK_BYTES = 1 << 20;
const XLSX_BATCH = 2000;
const INSTRUCTION_SHEETS = /^(说明|填写说明|导入说明|使用说明|instructions?|readme)$/i;
const HEAD_BYTES = 64 * 1024;
/** An .xls is read whole: BIFF8 holds 65,536 rows of 256 columns, far less than this in practice. */
const XLS_MAX_BYTES = 64 * 1024 * 1024;

/** A file refused as unreadable, with what was wrong for the log (the user reads only the refusal). */
function unreadable(cause: unknown): AppError {
  return new AppError('IMPORT_FILE_UNREADABLE', { field: 'file', cause });
}

/** A plain file (the command line's own file): read in place; scratch files sealed in the OS temp directory. */
export async function plainFileInput(filePath: string, files: FileSealer): Promise<ImportInput> {
  const { size } = await fs.promises.stat(filePath);
  return {
    size,
    open: () => fs.createReadStream(filePath, { highWaterMark: CHUNK_BYTES }),
    scratch: { files, dir: os.tmpdir() },
  };
}

/** A sealed file (an upload), decrypted as it is read. */
export async function sealedFileInput(filePath: string, files: FileSealer, scratchDir: string): Promise<ImportInput> {
  return {
    size: await files.plainSize(filePath),
    open: () => files.createReadStream(filePath),
    scratch: { files, dir: scratchDir },
  };
}

async function readHead(input: ImportInput, bytes: number): Promise<Buffer> {
  const stream = input.open();
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      n += (chunk as Buffer).length;
      if (n >= bytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

/**
 * Decides how to read a file from its first bytes (not its name): a zip is .xlsx; an OLE2 compound file is .xls
 * or WPS .et; a file named as a spreadsheet that is neither, or binary data, is unreadable; the rest is CSV text.
 * @throws IMPORT_FILE_EMPTY for a file with no bytes, IMPORT_FILE_UNREADABLE
 */
export async function sniffFile(input: ImportInput, fileName: string): Promise<SourceInfo> {
  const head = await readHead(input, HEAD_BYTES);
  if (head.length === 0) throw new AppError('IMPORT_FILE_EMPTY', { field: 'file' });
  const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  if (isZip) return { format: 'xlsx', encoding: null };
  if (isOle2(head)) return { format: 'xls', encoding: null };
  if (/\.(xlsx|xlsm|xls|et|ett|xlt)$/i.test(fileName)) {
    throw unreadable(new Error(`named as a spreadsheet, but starts with ${head.subarray(0, 8).toString('hex')}`));
  }
  const encoding = detectEncoding(head);
  if (encoding === null) throw unreadable(new Error('binary content, neither a spreadsheet nor text'));
  return { format: 'csv', encoding };
}

/** How far reading has got, in bytes of the file (for progress bars). */
export type ReadPosition = { bytes: number };

/** Rows of the file in batches, blank rows included (the caller skips them and finds the header). */
export async function* readRows(
  input: ImportInput,
  info: SourceInfo,
  position: ReadPosition = { bytes: 0 },
): AsyncGenerator<SourceRow[]> {
  if (info.format === 'xlsx') yield* readXlsx(input, position);
  else if (info.format === 'xls') yield* readXls(input, position);
  else yield* readCsv(input, info.encoding ?? 'utf-8', position);
}

async function* readXls(input: ImportInput, position: ReadPosition): AsyncGenerator<SourceRow[]> {
  if (input.size > XLS_MAX_BYTES) throw unreadable(new Error(`an .xls of ${input.size} bytes is too large to read`));
  const parts: Buffer[] = [];
  for await (const chunk of input.open()) {
    parts.push(chunk as Buffer);
    position.bytes += (chunk as Buffer).length;
  }
  let rows: SourceRow[];
  try {
    rows = readXlsRows(Buffer.concat(parts), INSTRUCTION_SHEETS);
  } catch (err) {
    throw unreadable(err);
  }
  for (let i = 0; i < rows.length; i += XLSX_BATCH) yield rows.slice(i, i + XLSX_BATCH);
}

function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

async function* readCsv(
  input: ImportInput,
  encoding: TextEncoding,
  position: ReadPosition,
): AsyncGenerator<SourceRow[]> {
  const decoder = createDecoder(encoding);
  let parser: CsvParser | null = null;
  let rowNo = 0;
  const toRows = (records: string[][]): SourceRow[] => {
    const rows = new Array<SourceRow>(records.length);
    for (let i = 0; i < records.length; i++) rows[i] = { rowNo: ++rowNo, cells: records[i] as string[] };
    return rows;
  };
  try {
    for await (const chunk of input.open()) {
      position.bytes += (chunk as Buffer).length;
      // A decoder never yields a lone surrogate; NUL it passes through, and the database cannot store it: it
      // becomes U+FFFD, which the row check reports as an unreadable character in its row and column.
      const text = withoutNul(decoder.write(chunk as Buffer));
      if (text === '') continue;
      parser ??= new CsvParser(detectDelimiter(text));
      const rows = toRows(parser.push(text));
      if (rows.length > 0) yield rows;
    }
    const tail = withoutNul(decoder.end());
    parser ??= new CsvParser(detectDelimiter(tail));
    const rows = toRows([...parser.push(tail), ...parser.end()]);
    if (rows.length > 0) yield rows;
  } catch (err) {
    if (err instanceof CsvError) {
      throw new AppError('IMPORT_CSV_MALFORMED', { field: 'file', params: { row: err.record } });
    }
    throw err;
  }
}

type XlsxValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | { richText?: { text?: string }[]; result?: unknown; text?: unknown; error?: string };

/**
 * A cell of the streaming reader as text or a number (dates stay serial numbers: styles are not read). NUL and
 * lone surrogates (which XML character references can smuggle in) become U+FFFD, reported by the row check.
 */
export function xlsxCell(v: XlsxValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return replaceUnsafeText(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (Array.isArray(v.richText)) return replaceUnsafeText(v.richText.map((r) => r.text ?? '').join(''));
  if ('result' in v) return xlsxCell(v.result as XlsxValue);
  if ('error' in v) return null;
  if ('text' in v) return xlsxCell(v.text as XlsxValue);
  return null;
}

async function* readXlsx(input: ImportInput, position: ReadPosition): AsyncGenerator<SourceRow[]> {
  const file = input.open();
  const counted = file.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        position.bytes += chunk.length;
        done(null, chunk);
      },
    }),
  );
  const reader = createXlsxReader(
    counted,
    { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' },
    input.scratch,
  );
  let sawSheet = false;
  try {
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name?: string }).name ?? '';
      if (INSTRUCTION_SHEETS.test(name.trim())) continue;
      sawSheet = true;
      let batch: SourceRow[] = [];
      for await (const row of sheet) {
        const values = row.values as XlsxValue[];
        // row.values is 1-based and sparse; merged cells other than a range's first cell carry no value.
        const cells: Cell[] = new Array(Math.max(0, values.length - 1));
        for (let i = 1; i < values.length; i++) cells[i - 1] = xlsxCell(values[i]);
        batch.push({ rowNo: row.number, cells });
        if (batch.length >= XLSX_BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      break;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unreadable(err);
  } finally {
    file.destroy();
    counted.destroy();
  }
  if (!sawSheet) throw unreadable(new Error('the workbook has no worksheet to read'));
}
