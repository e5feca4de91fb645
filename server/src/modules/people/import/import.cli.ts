/**
 * `npm run linli -- import residents <file> [--commit] [--as <username>] [--error-report <out.xlsx>]`:
 * the same import as the API, in the foreground, with a progress bar on stderr and a summary on stdout.
 * It acts as a system administrator unless --as names an account (whose scope then applies).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Ctx, systemCtx } from '../../../platform/access/context.js';
import type { Db } from '../../../platform/db/client.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { PiiCipher } from '../../../platform/pii/index.js';
import type { ImportCounts, Progress } from './import.runner.js';
import { importFile, principalOf } from './import.service.js';

export type ImportCommandArgs = {
  kind: string | undefined;
  file: string | undefined;
  commit: boolean;
  as?: string;
  errorReport?: string;
  mapping?: string;
  node?: string;
};

export type ImportCommandIo = {
  out: (line: string) => void;
  /** Raw writes to stderr (the progress bar redraws its line with \r on a terminal). */
  err: (text: string) => void;
  isTTY: boolean;
};

export const IMPORT_USAGE =
  'npm run linli -- import residents <file.xlsx|file.csv> [--commit] [--as <username>] [--error-report <out.xlsx>]\n' +
  '                 [--mapping \'{"表头":"字段"}\'] [--node <nodeId>]';

const fmt = (n: number) => n.toLocaleString('en-US');

function bar(progress: Progress, counts: ImportCounts, started: number): string {
  const seconds = Math.max((Date.now() - started) / 1000, 0.001);
  const rate = Math.round(counts.rowsRead / seconds);
  const share = progress.bytesTotal > 0 ? Math.min(progress.bytesRead / progress.bytesTotal, 1) : 0;
  const width = 30;
  const done = Math.round(share * width);
  return (
    `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${String(Math.round(share * 100)).padStart(3)}%  ` +
    `${fmt(counts.rowsRead)} rows  ${fmt(rate)} rows/s  ${seconds.toFixed(1)} s`
  );
}

/** Runs the command; returns the process exit code (0 done, 1 file or data error, 2 usage). */
export async function importCommand(
  deps: { db: Db; pii: PiiCipher },
  args: ImportCommandArgs,
  io: ImportCommandIo,
): Promise<number> {
  if (args.kind !== 'residents' || !args.file) {
    io.out(`Usage: ${IMPORT_USAGE}`);
    return 2;
  }
  const filePath = path.resolve(args.file);
  if (!fs.existsSync(filePath)) {
    io.out(`No such file: ${filePath}`);
    return 2;
  }
  let mapping: Record<string, string> | undefined;
  if (args.mapping) {
    try {
      mapping = JSON.parse(args.mapping) as Record<string, string>;
    } catch {
      throw new AppError('IMPORT_MAPPING_INVALID', { field: 'mapping' });
    }
  }
  const ctx: Ctx = systemCtx('cli');
  if (args.as) ctx.principal = await principalOf(deps.db, args.as);

  const started = Date.now();
  let lastDraw = started;
  const draw = (progress: Progress, counts: ImportCounts, final = false) => {
    const now = Date.now();
    if (!final && now - lastDraw < (io.isTTY ? 200 : 5000)) return;
    lastDraw = now;
    io.err(
      io.isTTY ? `\r${bar(progress, counts, started)}${final ? '\n' : ''}` : `${bar(progress, counts, started)}\n`,
    );
  };
  const result = await importFile(deps, ctx, {
    filePath,
    commit: args.commit,
    errorReportPath: args.errorReport ? path.resolve(args.errorReport) : null,
    mapping,
    nodeId: args.node ? Number(args.node) : null,
    onProgress: (c, p) => draw(p, c),
  });
  draw({ bytesRead: 1, bytesTotal: 1 }, result, true);

  const seconds = (Date.now() - started) / 1000;
  io.out(
    `${args.commit ? 'Import' : 'Dry run'} #${result.importId} of ${path.basename(filePath)} (${result.source.format}${result.source.encoding ? `, ${result.source.encoding}` : ''}) as ${ctx.principal.username}`,
  );
  if (result.kind === 'houses') io.out('  a houses file (房屋档案): each row a house with the head of its household');
  io.out(`  rows read   ${fmt(result.rowsRead)}`);
  io.out(`  valid       ${fmt(result.rowsValid)}`);
  io.out(`  invalid     ${fmt(result.rowsInvalid)}`);
  io.out(`  inserted    ${fmt(result.rowsInserted)}`);
  io.out(`  updated     ${fmt(result.rowsUpdated)}`);
  if (result.rowsReview > 0) io.out(`  for review  ${fmt(result.rowsReview)} (move-in requests to their communities)`);
  io.out(
    `  time        ${seconds.toFixed(1)} s (${fmt(Math.round(result.rowsRead / Math.max(seconds, 0.001)))} rows/s)`,
  );
  if (result.bulk) io.out('  loaded in bulk (people tables locked while it ran; indexes rebuilt at the end)');
  if (args.errorReport && result.rowsInvalid > 0) io.out(`  error report ${path.resolve(args.errorReport)}`);
  if (!args.commit)
    io.out(
      result.rowsValid > 0
        ? '  Nothing written (dry run); add --commit to load the valid rows.'
        : '  Nothing written (dry run).',
    );
  return 0;
}
