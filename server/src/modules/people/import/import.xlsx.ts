/**
 * exceljs's streaming .xlsx reader, kept from writing personal data to disk in plain text.
 *
 * A worksheet can only be read once the shared strings (and the workbook's relationships) are known, and Excel
 * and WPS store the worksheets *before* the shared strings in the zip. exceljs then copies each such worksheet,
 * unencrypted, into a file under the OS temporary directory and reads it back at the end (the `tmp` package;
 * a crash leaves it there). This reader does the same with a sealed file in the import's own directory, which
 * housekeeping removes if a crash leaves it behind. The rest is exceljs's own `parse`, but for how the zip's
 * entries are taken (zipEntries below).
 *
 * Why a valid .xlsx was sometimes refused (9 uploads of 22 of one file): unzipper 0.10's streaming Parse emits
 * 'end' as soon as its *input* is consumed, while entries it has already parsed may still wait in its readable
 * buffer; exceljs's iterateStream stops at that 'end'. Whenever the reader was busy with one entry (parking a
 * worksheet, reading the shared strings) long enough for unzipper to reach the end of the zip, the entries after
 * it were dropped, typically xl/workbook.xml (exceljs and SheetJS store it after the worksheets) — and the
 * workbook then had no worksheet to read. zipEntries reads the entries off the stream until its real end.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FileSealer } from '../../../platform/files/sealed-file.js';

const require = createRequire(import.meta.url);
const unzip = require('unzipper') as { Parse(o: { forceStream: boolean }): NodeJS.ReadWriteStream };
const iterateStream = require('exceljs/lib/utils/iterate-stream.js') as (
  stream: NodeJS.ReadableStream,
) => AsyncIterable<Buffer>;

/** Where a reader may park what it must read later: sealed files in `dir`. */
export type Scratch = { files: FileSealer; dir: string };

/** Names of parked worksheets (housekeeping removes stray ones). */
export const SCRATCH_PREFIX = 'scratch-';

type ZipEntry = Readable & { path: string; autodrain(): void };
type Event = { eventType: string; value: unknown };
// The parts of exceljs's WorkbookReader that its `parse` uses (not in its type declarations).
type ReaderInternals = {
  input: Readable;
  sharedStrings?: unknown[];
  workbookRels?: unknown[];
  _parseRels(entry: ZipEntry): Promise<void>;
  _parseWorkbook(entry: ZipEntry): Promise<void>;
  _parseSharedStrings(entry: ZipEntry): AsyncGenerator<Event>;
  _parseStyles(entry: ZipEntry): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<Buffer>, sheetNo: string): Generator<Event>;
  _parseHyperlinks(iterator: AsyncIterable<Buffer>, sheetNo: string): Generator<Event>;
};

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;
const SHEET_RELS = /^xl\/worksheets\/_rels\/sheet(\d+)\.xml\.rels$/;

/** exceljs's WorkbookReader whose deferred worksheets wait in sealed scratch files instead of plain temp files. */
export function createXlsxReader(
  input: Readable,
  options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>,
  scratch: Scratch,
): ExcelJS.stream.xlsx.WorkbookReader {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, options);
  const self = reader as unknown as ReaderInternals;
  (reader as unknown as { parse: () => AsyncGenerator<Event> }).parse = async function* parse() {
    const zip = unzip.Parse({ forceStream: true }) as unknown as Readable & NodeJS.WritableStream;
    // pipe() does not pass the input's errors on (a sealed upload that fails its check): the zip would wait forever.
    self.input.once('error', (err) => zip.destroy(err));
    self.input.pipe(zip);
    const waiting: { sheetNo: string; file: string; written: Promise<void> }[] = [];
    try {
      for await (const entry of zipEntries(zip)) {
        const sheetNo = SHEET.exec(entry.path)?.[1];
        const relsOf = SHEET_RELS.exec(entry.path)?.[1];
        if (entry.path === 'xl/_rels/workbook.xml.rels') await self._parseRels(entry);
        else if (entry.path === 'xl/workbook.xml') await self._parseWorkbook(entry);
        else if (entry.path === 'xl/sharedStrings.xml') yield* self._parseSharedStrings(entry);
        else if (entry.path === 'xl/styles.xml') await self._parseStyles(entry);
        else if (sheetNo !== undefined) {
          if (self.sharedStrings && self.workbookRels) yield* self._parseWorksheet(iterateStream(entry), sheetNo);
          else {
            const file = path.join(scratch.dir, `${SCRATCH_PREFIX}${randomUUID()}`);
            // The sealed file is complete only once renamed (after an fsync): waiting for that here, with the
            // zip parser paused, lost its last entry (unzipper 0.10); so only the entry's end is awaited now.
            const out = scratch.files.createWriteStream(file);
            const written = new Promise<void>((resolve, reject) => {
              out.once('error', reject);
              out.once('finish', resolve);
            });
            written.catch(() => undefined);
            waiting.push({ sheetNo, file, written });
            await new Promise<void>((resolve, reject) => {
              entry.once('error', reject);
              entry.once('end', resolve);
              entry.pipe(out);
            });
          }
        } else if (relsOf !== undefined) {
          yield* self._parseHyperlinks(iterateStream(entry), relsOf);
        }
        entry.autodrain();
      }
      for (const { sheetNo, file, written } of waiting) {
        await written;
        yield* self._parseWorksheet(iterateStream(scratch.files.createReadStream(file)), sheetNo);
      }
    } finally {
      for (const { file } of waiting) await fs.promises.rm(file, { force: true });
    }
  };
  return reader;
}

/**
 * The entries of unzipper's Parse stream, every one of them: taken with read() until the stream's own end (its
 * push(null)), not until the premature 'end' event it emits once its input is consumed (see the header).
 */
export async function* zipEntries(zip: Readable): AsyncGenerator<ZipEntry> {
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const onError = (err: unknown) => {
    failure ??= err ?? new Error('zip stream failed');
    notify();
  };
  zip.on('readable', notify);
  zip.on('error', onError);
  try {
    for (;;) {
      const entry = zip.read() as ZipEntry | null;
      if (entry !== null) {
        yield entry;
        continue;
      }
      if (failure !== null) throw failure;
      if ((zip as unknown as { _readableState: { ended: boolean } })._readableState.ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    zip.off('readable', notify);
    // An error after we stopped reading (the rest drained) must not crash the process.
    zip.off('error', onError);
    zip.on('error', () => undefined);
  }
}
