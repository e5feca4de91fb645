import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutraliseCell } from './reports.logic.js';
import type { CellValue } from './reports.schemas.js';

/**
 * Writes one report sheet as a streamed .xlsx: a title row, a bold frozen header row, then rows as they
 * come, each committed at once (exceljs WorkbookWriter, inline strings) so memory does not grow with the
 * number of rows. `waitForRoom` lets the producer pause while the output is behind.
 */
export type XlsxReportWriter = {
  addRow(values: readonly CellValue[]): void;
  /** A bold row spanning the sheet, e.g. a group heading. */
  addBanner(text: string): void;
  /** Resolves once the compressor and the output have taken what was written (or the output is gone). */
  waitForRoom(): Promise<void>;
  finish(): Promise<void>;
};

/** The parts of exceljs's streaming writer used to follow its compressor (not in its type definitions). */
type Internals = { stream?: { pipes?: NodeJS.EventEmitter[] } };
type Drainable = NodeJS.EventEmitter & {
  writableNeedDrain?: boolean;
  destroyed?: boolean;
  /** readable-stream 2 (archiver's), which predates writableNeedDrain. */
  _writableState?: { needDrain?: boolean };
};

function needsDrain(s: Drainable): boolean {
  return s.writableNeedDrain ?? s._writableState?.needDrain ?? false;
}

/** Resolves on the first of the events (true), or after `ms` (false); removes everything it set up. */
function firstOf(waits: [NodeJS.EventEmitter, string][], ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (happened: boolean) => {
      clearTimeout(timer);
      for (const [e, name] of waits) e.off(name, onEvent);
      resolve(happened);
    };
    const onEvent = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    for (const [e, name] of waits) e.once(name, onEvent);
  });
}

/** How long an export waits for a reader that takes nothing before giving up on it. */
export const STALL_MS = 120_000;

function toCell(v: CellValue): string | number | null {
  return typeof v === 'string' ? neutraliseCell(v) : v;
}

function columnWidth(label: string, key: string): number {
  const wide: Record<string, number> = {
    idNumber: 22,
    phone: 15,
    currentAddress: 30,
    hukouAddress: 30,
    address: 30,
    tags: 24,
    contacts: 32,
    residents: 24,
    residentsDetail: 48,
    members: 24,
    headIdNumber: 22,
  };
  return wide[key] ?? Math.max(8, Math.min(30, [...label].length * 2 + 2));
}

export function openXlsxReport(
  out: Writable,
  opts: {
    sheetName: string;
    title: string;
    columns: readonly { key: string; label: string }[];
    /** Give up on a reader that takes nothing for this long (default STALL_MS). */
    stallMs?: number;
  },
): XlsxReportWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(opts.sheetName.slice(0, 31).replace(/[\\/?*[\]:]/g, '_') || 'Sheet1', {
    views: [{ state: 'frozen', ySplit: 2 }],
  });
  const n = Math.max(1, opts.columns.length);
  ws.columns = opts.columns.map((c) => ({ key: c.key, width: columnWidth(c.label, c.key) }));
  let rowNo = 0;
  const plain: Partial<ExcelJS.Style> = {};

  const banner = (text: string, size: number) => {
    rowNo++;
    const row = ws.addRow([neutraliseCell(text)]);
    row.font = { bold: true, size };
    if (n > 1) ws.mergeCells(rowNo, 1, rowNo, n);
    row.commit();
  };

  banner(opts.title, 14);
  rowNo++;
  const header = ws.addRow(opts.columns.map((c) => neutraliseCell(c.label)));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  header.commit();

  return {
    addRow(values) {
      rowNo++;
      const row = ws.addRow(values.map(toCell));
      // exceljs gives every cell a style object of its own and serialises each to find its style id; one
      // shared object is looked up once (half the time of an export goes there otherwise).
      row.eachCell((c) => {
        c.style = plain;
      });
      row.commit();
    },
    addBanner(text) {
      banner(text, 11);
    },
    async waitForRoom() {
      // Let the compressor's callbacks run: a database that answers without real I/O (PGlite, in this thread)
      // would otherwise let the whole sheet pile up uncompressed before the first byte goes out.
      await new Promise((resolve) => setImmediate(resolve));
      // exceljs hands the sheet's XML to the zip entry stream without waiting; that stream's buffer is where a
      // slow client makes data pile up, so wait for it (and for the output itself) to drain. A closed output
      // ends the wait; a reader that takes nothing for `stallMs` is given up (the output is destroyed), so a
      // stalled connection cannot hold an export forever.
      const entry = (ws as unknown as Internals).stream?.pipes?.[0] as Drainable | undefined;
      for (const s of [entry, out as Drainable]) {
        if (!s || !needsDrain(s) || out.destroyed) continue;
        const drained = await firstOf(
          [
            [s, 'drain'],
            [out, 'close'],
          ],
          opts.stallMs ?? STALL_MS,
        );
        if (!drained && !out.destroyed) out.destroy();
      }
    },
    async finish() {
      ws.commit();
      await wb.commit();
    },
  };
}
