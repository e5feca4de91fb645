/**
 * Use cases of the residents import: upload → validate (in the background) → error report → commit (in the
 * background, one transaction) → progress and results; plus the template, and the same import run in the
 * foreground for the command line. An import belongs to its creator; someone whose `people.import` scope
 * covers every area the creator imports into (their street administrator, a system administrator) sees it too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Ctx } from '../../../platform/access/context.js';
import {
  assertCan,
  assertPermission,
  can,
  isSystemAdmin,
  pathInScope,
  type Scope,
  scopeFor,
} from '../../../platform/access/scope.js';
import { recordAudit } from '../../../platform/audit/audit.js';
import { principalOfAccount } from '../../../platform/auth/auth.service.js';
import type { Db } from '../../../platform/db/client.js';
import { AppError, type ErrorCode, formatError, type Locale } from '../../../platform/errors/errors.js';
import { createFileSealer, type FileSealer, isPartialName } from '../../../platform/files/sealed-file.js';
import { generateIdNumber, isValidDivisionCode, type PiiCipher } from '../../../platform/pii/index.js';
import { findNodeById, listActiveNodes } from '../../org/org.service.js';
import { DEFAULT_ID_CLASH_DAILY_LIMIT } from '../move-in.service.js';
import { plainFileInput, sealedFileInput } from './import.reader.js';
import * as repo from './import.repo.js';
import { buildTemplate, type TemplateExample } from './import.report.js';
import {
  type ErrorRow,
  type ImportCounts,
  type Progress,
  type RunOptions,
  type RunResult,
  runImport,
} from './import.runner.js';
import type { ImportView } from './import.schemas.js';
import { SCRATCH_PREFIX } from './import.xlsx.js';

export type ImportLog = {
  error(obj: unknown, msg?: string): void;
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
};

export type ImportDeps = {
  db: Db;
  pii: PiiCipher;
  uploadDir: string;
  log?: ImportLog;
  /** Rows naming people registered outside the importer's area that may become move-in requests per day. */
  idClashDailyLimit?: number;
};

const sealers = new WeakMap<PiiCipher, FileSealer>();

/** Uploads, their sidecars, error reports and scratch files are all sealed under the PII key's file subkey. */
function filesOf(pii: PiiCipher): FileSealer {
  let f = sealers.get(pii);
  if (!f) {
    f = createFileSealer(pii.fileKeys);
    sealers.set(pii, f);
  }
  return f;
}

/** The sealed stream an upload is received into (see startImport), from the HTTP layer. */
export function createUploadStream(deps: ImportDeps, file: string): Writable {
  return filesOf(deps.pii).createWriteStream(file);
}

/** What the commit needs to read the stored file again the same way. */
type Sidecar = { fileName: string; stored: string; mapping: Record<string, string> | null; nodeId: number | null };

// Runs of this process: live counts (the only progress PGlite can show while a commit holds its one
// connection) and the promises, so that tests and shutdown can wait for them.
const live = new Map<number, ImportCounts>();
const running = new Map<number, Promise<void>>();

const storedPath = (deps: ImportDeps, id: number, ext: string) => path.join(deps.uploadDir, `import-${id}${ext}`);
const sidecarPath = (deps: ImportDeps, id: number) => path.join(deps.uploadDir, `import-${id}.json`);
const reportPath = (deps: ImportDeps, id: number) => path.join(deps.uploadDir, `import-${id}.errors.xlsx`);
/** The first bad rows for the screen (sealed; kept and removed with the report). */
const errorRowsPath = (deps: ImportDeps, id: number) => path.join(deps.uploadDir, `import-${id}.errors.json`);

async function saveErrorRows(deps: ImportDeps, id: number, rows: ErrorRow[]): Promise<void> {
  if (rows.length > 0) await filesOf(deps.pii).writeFile(errorRowsPath(deps, id), JSON.stringify(rows));
}

/** The first bad rows of the last pass; none when it found none (or they expired with the report). */
async function readErrorRows(deps: ImportDeps, r: repo.ImportRow): Promise<ErrorRow[]> {
  if (!hasReport(deps, r)) return [];
  try {
    return JSON.parse((await filesOf(deps.pii).readFile(errorRowsPath(deps, r.id))).toString('utf8')) as ErrorRow[];
  } catch {
    return [];
  }
}

type StoredError = { code: ErrorCode; field?: string; params?: Record<string, string | number> };

function storeError(err: unknown): string {
  const e: StoredError =
    err instanceof AppError && err.status < 500
      ? { code: err.code, ...(err.field ? { field: err.field } : {}), params: err.params }
      : { code: 'INTERNAL', params: { requestId: '-' } };
  return JSON.stringify(e);
}

function toView(r: repo.ImportRow, locale: Locale, deps: ImportDeps): ImportView {
  const counts = r.status === 'running' ? (live.get(r.id) ?? null) : null;
  let error: ImportView['error'] = null;
  if (r.error) {
    try {
      const e = JSON.parse(r.error) as StoredError;
      error = { code: e.code, message: formatError(e.code, locale, e.params), ...(e.field ? { field: e.field } : {}) };
    } catch {
      error = { code: 'INTERNAL', message: r.error };
    }
  }
  return {
    id: r.id,
    status: r.status,
    fileName: r.file_name,
    rowsRead: counts?.rowsRead ?? r.rows_read,
    rowsValid: counts?.rowsValid ?? r.rows_valid,
    rowsInvalid: counts?.rowsInvalid ?? r.rows_invalid,
    rowsInserted: counts?.rowsInserted ?? r.rows_inserted,
    rowsUpdated: counts?.rowsUpdated ?? r.rows_updated,
    rowsReview: counts?.rowsReview ?? r.rows_review,
    error,
    hasErrorReport: hasReport(deps, r),
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
  };
}

/** A pass that found bad rows wrote a report; nothing else has one (a file error, a clean file, a run). */
function hasReport(deps: ImportDeps, r: repo.ImportRow): boolean {
  return (
    (r.status === 'validated' || r.status === 'committed') &&
    r.rows_invalid > 0 &&
    fs.existsSync(reportPath(deps, r.id))
  );
}

/**
 * Where the caller may import: their `people.import` scope, or one node inside it.
 * @throws FORBIDDEN without people.import; ORG_NODE_NOT_FOUND, OUT_OF_SCOPE for a node outside it
 */
async function importScope(db: Db, ctx: Ctx, nodeId: number | null): Promise<{ scope: Scope; path: string | null }> {
  assertPermission(ctx.principal, 'people.import');
  if (nodeId === null) {
    const scope = scopeFor(ctx.principal, 'people.import');
    return { scope, path: scope.all ? null : (scope.paths[0] ?? null) };
  }
  const node = await findNodeById(db, nodeId);
  if (!node || node.status !== 'active' || !can(ctx.principal, 'org.read', node.path)) {
    throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  }
  assertCan(ctx.principal, 'people.import', node.path);
  return { scope: { all: false, paths: [node.path] }, path: node.path };
}

const countyOfPath = (p: string | null) => (p === null ? null : Number(p.split('/')[1]));

/** The paths an import's area is stored as: its scope's, or '/' for everywhere. */
const scopePathsOf = (scope: Scope): string[] => (scope.all ? ['/'] : scope.paths);

/**
 * Whether the caller may see an import: its creator, or someone whose import scope covers the creator's — and in
 * either case only while the caller may import over the whole area it was made for (someone who moved to another
 * community no longer reaches the rows they uploaded). Imports older than migration 008 have no recorded area.
 */
async function canSee(db: Db, ctx: Ctx, r: repo.ImportRow): Promise<boolean> {
  if (isSystemAdmin(ctx.principal)) return true;
  const mine = scopeFor(ctx.principal, 'people.import');
  if (r.scope_paths !== null && !(r.scope_paths.length > 0 && r.scope_paths.every((p) => pathInScope(mine, p))))
    return false;
  if (r.created_by !== null && r.created_by === ctx.principal.userId) return true;
  if (r.created_by === null) return false;
  const creator = await principalOfAccount(db, { id: r.created_by });
  if (!creator) return false;
  const theirs = scopeFor({ ...ctx.principal, grants: creator.grants }, 'people.import');
  if (theirs.all || theirs.paths.length === 0) return false;
  return theirs.paths.every((p) => pathInScope(mine, p));
}

/** @throws FORBIDDEN, IMPORT_NOT_FOUND (also for an import the caller may not see) */
async function visibleImport(db: Db, ctx: Ctx, id: number): Promise<repo.ImportRow> {
  assertPermission(ctx.principal, 'people.import');
  const r = await repo.findImport(db, id);
  if (!r || !(await canSee(db, ctx, r))) throw new AppError('IMPORT_NOT_FOUND');
  return r;
}

async function readSidecar(deps: ImportDeps, id: number): Promise<Sidecar> {
  try {
    return JSON.parse((await filesOf(deps.pii).readFile(sidecarPath(deps, id))).toString('utf8')) as Sidecar;
  } catch (err) {
    throw new AppError('IMPORT_NOT_FOUND', { cause: err });
  }
}

function track(id: number, work: Promise<void>): void {
  const p = work.finally(() => {
    running.delete(id);
    live.delete(id);
  });
  running.set(id, p);
}

/** Days an upload waiting for its commit, and an error report (it holds the bad rows as written), are kept. */
export const IMPORT_FILE_RETENTION_DAYS = 7;
/** An import of another process with no progress for this long is taken for dead. */
const STALE_IMPORT_MINUTES = 30;
/** A file being written (an upload arriving, a report) untouched for this long was left by a crash. */
const STALE_PARTIAL_MINUTES = 30;
/** A parked worksheet is read while its import runs; one this old was left by a crash. */
const STALE_SCRATCH_HOURS = 24;

/**
 * Housekeeping, at start and hourly: imports left `running` by a process that stopped are marked failed
 * (IMPORT_INTERRUPTED: their transaction rolled back, nothing was written); uploads of imports that are over
 * (committed, failed) or that no import row owns are deleted; so are files left half-written by a crash
 * (`.partial`, `incoming-`, `scratch-` names) once untouched for a while; and uploaded files, error reports
 * and leftovers older than IMPORT_FILE_RETENTION_DAYS: a validated import whose file goes is marked failed
 * (IMPORT_EXPIRED, abandoned). Imports running in this process are left alone.
 */
export async function sweepImports(
  deps: ImportDeps,
  o: { atStart: boolean; now?: Date },
): Promise<{ interrupted: number[]; expired: number[]; filesRemoved: number }> {
  const now = (o.now ?? new Date()).getTime();
  const mine = [...running.keys()];
  // PGlite belongs to one process: when it starts, no import of anyone else can be running.
  const staleBefore = o.atStart && deps.db.kind === 'pglite' ? null : new Date(now - STALE_IMPORT_MINUTES * 60_000);
  const interrupted = await repo.failInterrupted(deps.db, {
    staleBefore,
    live: mine,
    error: JSON.stringify({ code: 'IMPORT_INTERRUPTED' } satisfies StoredError),
  });
  const cutoff = now - IMPORT_FILE_RETENTION_DAYS * 86_400_000;
  const partialCutoff = now - STALE_PARTIAL_MINUTES * 60_000;
  const scratchCutoff = now - STALE_SCRATCH_HOURS * 3_600_000;
  let filesRemoved = 0;
  const goneSidecars: number[] = [];
  const statuses = new Map<number, repo.ImportStatus | null>();
  const statusOf = async (id: number) => {
    if (!statuses.has(id)) statuses.set(id, (await repo.findImport(deps.db, id))?.status ?? null);
    return statuses.get(id) ?? null;
  };
  for (const name of await fs.promises.readdir(deps.uploadDir).catch(() => [] as string[])) {
    const m = /^import-(\d+)\./.exec(name);
    const id = m ? Number(m[1]) : null;
    if (id !== null && running.has(id)) continue;
    const file = path.join(deps.uploadDir, name);
    const st = await fs.promises.stat(file).catch(() => null);
    if (!st?.isFile()) continue;
    let remove: boolean;
    if (isPartialName(name) || name.startsWith('incoming-')) remove = st.mtimeMs < partialCutoff;
    else if (name.startsWith(SCRATCH_PREFIX)) remove = st.mtimeMs < scratchCutoff;
    else if (id === null) continue;
    else {
      const status = await statusOf(id);
      const isUpload = !name.startsWith(`import-${id}.errors.`);
      remove =
        status === null ||
        st.mtimeMs < cutoff ||
        // A failed import has nothing to offer any more (a process that died left its files); a committed
        // one keeps its report for the user until it expires, but not its upload.
        status === 'failed' ||
        (isUpload && status === 'committed');
    }
    if (!remove) continue;
    await fs.promises.rm(file, { force: true });
    filesRemoved++;
    if (id !== null && name === `import-${id}.json`) goneSidecars.push(id);
  }
  const expired = await repo.expireValidated(
    deps.db,
    goneSidecars,
    JSON.stringify({ code: 'IMPORT_EXPIRED', params: { days: IMPORT_FILE_RETENTION_DAYS } } satisfies StoredError),
  );
  if (interrupted.length + expired.length + filesRemoved > 0) {
    deps.log?.info({ interrupted, expired, filesRemoved }, 'import housekeeping');
  }
  return { interrupted, expired, filesRemoved };
}

/** Resolves when the background work of an import in this process has finished (tests, shutdown). */
export async function whenImportSettled(id: number): Promise<void> {
  await running.get(id);
}

/** Waits for every background import of this process. */
export async function whenAllImportsSettled(): Promise<void> {
  await Promise.allSettled([...running.values()]);
}

/** What lies under an error (its causes, innermost last), for the log: never shown to users. */
export function causeChain(err: unknown): string[] {
  const out: string[] = [];
  for (let e = (err as { cause?: unknown })?.cause; e !== undefined && e !== null && out.length < 5; ) {
    out.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

async function finishFailed(deps: ImportDeps, id: number, err: unknown): Promise<void> {
  if (!(err instanceof AppError) || err.status >= 500) deps.log?.error({ err, importId: id }, 'import failed');
  // A file refused as unreadable says why in the log (a damaged zip, no worksheet, an encrypted workbook …).
  else if (err.code === 'IMPORT_FILE_UNREADABLE') {
    deps.log?.warn({ importId: id, code: err.code, cause: causeChain(err) }, 'import file refused');
  }
  await repo
    .finishImport(deps.db, id, { status: 'failed', counts: live.get(id) ?? repo.ZERO_COUNTS, error: storeError(err) })
    .catch((e) => deps.log?.error({ err: e, importId: id }, 'could not record the failed import'));
}

/**
 * Records how far a pass has got, which also says the import is alive (sweepImports). A commit on PGlite
 * skips the table: its one connection is held by the commit's transaction.
 */
async function saveProgress(deps: { db: Db }, id: number, commit: boolean, c: ImportCounts): Promise<void> {
  if (!commit || deps.db.kind === 'postgres') await repo.updateProgress(deps.db, id, c);
}

/**
 * A pass over a stored upload, in the background: the sealed file decrypted as it is read, progress shown live,
 * the error report (if any row is bad) sealed beside it. The previous pass's report goes first.
 */
async function storedRun(
  deps: ImportDeps,
  ctx: Ctx,
  id: number,
  side: Sidecar,
  scope: Scope,
  commit: boolean,
): Promise<RunOptions> {
  const files = filesOf(deps.pii);
  const report = reportPath(deps, id);
  await fs.promises.rm(report, { force: true });
  await fs.promises.rm(errorRowsPath(deps, id), { force: true });
  return {
    db: deps.db,
    pii: deps.pii,
    ctx,
    importId: id,
    input: await sealedFileInput(path.join(deps.uploadDir, side.stored), files, deps.uploadDir),
    fileName: side.fileName,
    mapping: side.mapping ?? undefined,
    scope,
    commit,
    clashes: { dailyLimit: deps.idClashDailyLimit ?? DEFAULT_ID_CLASH_DAILY_LIMIT, log: deps.log },
    errorReport: () => files.createWriteStream(report),
    onProgress: async (c) => {
      live.set(id, { ...c });
      await saveProgress(deps, id, commit, c);
    },
  };
}

async function validate(deps: ImportDeps, ctx: Ctx, id: number, side: Sidecar, scope: Scope): Promise<void> {
  try {
    const result = await runImport(await storedRun(deps, ctx, id, side, scope, false));
    await saveErrorRows(deps, id, result.errorRows);
    await repo.finishImport(deps.db, id, { status: 'validated', counts: result, error: null });
  } catch (err) {
    await fs.promises.rm(reportPath(deps, id), { force: true });
    await fs.promises.rm(errorRowsPath(deps, id), { force: true });
    await finishFailed(deps, id, err);
    await discardUpload(deps, id, side);
  }
}

/**
 * The uploaded file holds every row's ID and phone numbers (sealed): it is kept only while the import may still
 * be committed. (The error report, masked and with the bad rows only, stays for the user to fix them, for
 * IMPORT_FILE_RETENTION_DAYS.)
 */
async function discardUpload(deps: ImportDeps, id: number, side: Pick<Sidecar, 'stored'>): Promise<void> {
  await fs.promises.rm(path.join(deps.uploadDir, side.stored), { force: true });
  await fs.promises.rm(sidecarPath(deps, id), { force: true });
}

/**
 * Stores an uploaded file and starts checking it in the background; poll getImport for progress.
 * `tempPath`, a sealed file in the upload directory (createUploadStream), is renamed to the import's name.
 * @throws FORBIDDEN, ORG_NODE_NOT_FOUND, OUT_OF_SCOPE (nodeId)
 */
export async function startImport(
  deps: ImportDeps,
  ctx: Ctx,
  upload: { tempPath: string; fileName: string; mapping: Record<string, string> | null; nodeId: number | null },
): Promise<ImportView> {
  const { scope, path: scopePath } = await importScope(deps.db, ctx, upload.nodeId);
  const fileName = path.basename(upload.fileName).slice(0, 200) || 'upload';
  const rec = await repo.insertImport(deps.db, {
    countyId: countyOfPath(scopePath),
    fileName,
    createdBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
    scopePaths: scopePathsOf(scope),
  });
  const ext = (path
    .extname(fileName)
    .toLowerCase()
    .match(/^\.[a-z0-9]{1,5}$/) ?? [''])[0];
  const stored = path.basename(storedPath(deps, rec.id, ext));
  await fs.promises.rename(upload.tempPath, path.join(deps.uploadDir, stored));
  const side: Sidecar = { fileName, stored, mapping: upload.mapping, nodeId: upload.nodeId };
  await filesOf(deps.pii).writeFile(sidecarPath(deps, rec.id), JSON.stringify(side));
  live.set(rec.id, { ...repo.ZERO_COUNTS });
  track(rec.id, validate(deps, ctx, rec.id, side, scope));
  return toView(rec, ctx.locale, deps);
}

/** @throws FORBIDDEN, IMPORT_NOT_FOUND */
export async function getImport(deps: ImportDeps, ctx: Ctx, id: number): Promise<ImportView> {
  const r = await visibleImport(deps.db, ctx, id);
  return { ...toView(r, ctx.locale, deps), errorRows: await readErrorRows(deps, r) };
}

/** The caller's most recent imports. @throws FORBIDDEN */
export async function listImports(deps: ImportDeps, ctx: Ctx): Promise<ImportView[]> {
  assertPermission(ctx.principal, 'people.import');
  const rows = await repo.listImportsOf(deps.db, ctx.principal.userId > 0 ? ctx.principal.userId : null, 50);
  const seen = await Promise.all(rows.map((r) => canSee(deps.db, ctx, r)));
  return rows.filter((_, i) => seen[i]).map((r) => toView(r, ctx.locale, deps));
}

/**
 * The error report of the last pass, decrypted as it is sent (the stream errors if the file was tampered with).
 * @throws FORBIDDEN, IMPORT_NOT_FOUND, IMPORT_REPORT_NONE (no bad rows: no report),
 *   IMPORT_REPORT_MISSING (still running, failed, or expired)
 */
export async function getErrorReport(deps: ImportDeps, ctx: Ctx, id: number): Promise<Readable> {
  const r = await visibleImport(deps.db, ctx, id);
  if ((r.status === 'validated' || r.status === 'committed') && r.rows_invalid === 0) {
    throw new AppError('IMPORT_REPORT_NONE');
  }
  if (!hasReport(deps, r)) throw new AppError('IMPORT_REPORT_MISSING');
  return filesOf(deps.pii).createReadStream(reportPath(deps, id));
}

/**
 * Abandons a validated import: it can no longer be committed, and its upload and error report are deleted at
 * once. Audited (`people.import.cancel`).
 * @throws FORBIDDEN, IMPORT_NOT_FOUND, IMPORT_NOT_CANCELLABLE (running, committed or already failed)
 */
export async function cancelImport(deps: ImportDeps, ctx: Ctx, id: number): Promise<ImportView> {
  const r = await visibleImport(deps.db, ctx, id);
  if (r.status !== 'validated') throw new AppError('IMPORT_NOT_CANCELLABLE');
  const side = await readSidecar(deps, id);
  const { path: scopePath } = await importScope(deps.db, ctx, side.nodeId);
  const cancelled = await deps.db.transaction(async (tx) => {
    const ids = await repo.expireValidated(
      tx,
      [id],
      JSON.stringify({ code: 'IMPORT_CANCELLED' } satisfies StoredError),
    );
    if (ids.length === 0) return false;
    await recordAudit(tx, ctx, {
      action: 'people.import.cancel',
      targetType: 'import',
      targetId: id,
      targetLabel: r.file_name,
      scopePath,
      countyId: countyOfPath(scopePath),
    });
    return true;
  });
  // Committed or cancelled by someone else meanwhile.
  if (!cancelled) throw new AppError('IMPORT_NOT_CANCELLABLE');
  const stored = (await fs.promises.readdir(deps.uploadDir)).filter((n) => n.startsWith(`import-${id}.`));
  for (const name of stored) await fs.promises.rm(path.join(deps.uploadDir, name), { force: true });
  const after = await repo.findImport(deps.db, id);
  return toView(after ?? r, ctx.locale, deps);
}

function auditCommit(id: number, fileName: string, scopePath: string | null, c: ImportCounts) {
  return {
    action: 'people.import',
    targetType: 'import',
    targetId: id,
    targetLabel: fileName,
    scopePath,
    countyId: countyOfPath(scopePath),
    diff: {
      rowsRead: [null, c.rowsRead],
      rowsValid: [null, c.rowsValid],
      rowsInvalid: [null, c.rowsInvalid],
      rowsInserted: [null, c.rowsInserted],
      rowsUpdated: [null, c.rowsUpdated],
      rowsReview: [null, c.rowsReview],
    } satisfies Record<string, [unknown, unknown]>,
  };
}

/**
 * Loads the good rows of a validated import (the stored file is read and checked again: the database may
 * have changed since) in the background, in one transaction. Poll getImport for the result.
 * @throws FORBIDDEN, IMPORT_NOT_FOUND, IMPORT_NOT_VALIDATED (still running, failed or already committed)
 */
export async function commitImport(deps: ImportDeps, ctx: Ctx, id: number): Promise<ImportView> {
  const r = await visibleImport(deps.db, ctx, id);
  if (r.status !== 'validated') throw new AppError('IMPORT_NOT_VALIDATED');
  const side = await readSidecar(deps, id);
  const { scope, path: scopePath } = await importScope(deps.db, ctx, side.nodeId);
  if (!(await repo.claimForCommit(deps.db, id))) {
    throw new AppError('IMPORT_NOT_VALIDATED');
  }
  live.set(id, { ...repo.ZERO_COUNTS });
  const work = (async () => {
    try {
      const result = await runImport({
        ...(await storedRun(deps, ctx, id, side, scope, true)),
        onCommit: async (tx, c) => {
          await repo.finishImport(tx, id, { status: 'committed', counts: c, error: null });
          await recordAudit(tx, ctx, auditCommit(id, side.fileName, scopePath, c));
        },
      });
      await saveErrorRows(deps, id, result.errorRows);
    } catch (err) {
      await fs.promises.rm(reportPath(deps, id), { force: true });
      await fs.promises.rm(errorRowsPath(deps, id), { force: true });
      await finishFailed(deps, id, err);
    } finally {
      await discardUpload(deps, id, side);
    }
  })();
  track(id, work);
  return toView({ ...r, status: 'running', error: null, finished_at: null }, ctx.locale, deps);
}

/** The template, with an example row placed in the caller's own area. @throws FORBIDDEN */
export async function getTemplate(deps: ImportDeps, ctx: Ctx): Promise<Buffer> {
  const { scope } = await importScope(deps.db, ctx, null);
  const countyIds = scope.all ? null : [...new Set(scope.paths.map((p) => countyOfPath(p) as number))];
  const nodes = await listActiveNodes(deps.db, countyIds);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const inScope = nodes.filter((n) => pathInScope(scope, n.path));
  const place =
    inScope.find((n) => n.type === 'unit') ??
    inScope.find((n) => n.type === 'micro_grid') ??
    inScope.find((n) => n.type === 'grid');
  const example: TemplateExample = {
    idNumber: '',
    street: '',
    community: '',
    grid: '',
    microGrid: '',
    building: '',
    unit: '',
  };
  let county = '';
  for (let n = place; n; n = n.parent_id === null ? undefined : byId.get(n.parent_id)) {
    if (n.type === 'street' || n.type === 'town') example.street = n.name;
    else if (n.type === 'community' || n.type === 'village') example.community = n.name;
    else if (n.type === 'grid') example.grid = n.name;
    else if (n.type === 'micro_grid') example.microGrid = n.name;
    else if (n.type === 'building') example.building = n.name;
    else if (n.type === 'unit') example.unit = n.name;
    else if (n.type === 'county') county = n.code ?? '';
  }
  if (!place) Object.assign(example, { community: '东关社区', grid: '第一网格', building: '1号楼', unit: '1单元' });
  example.idNumber = generateIdNumber({
    areaCode: isValidDivisionCode(county) ? county : '370899',
    birthDate: '1985-06-15',
    sequence: 123,
    sex: 'male',
  });
  return buildTemplate(example);
}

/**
 * Runs an import in the foreground, for the command line and the benchmark: a record in `imports`, one pass
 * (a dry run, or a commit in one transaction), the error report written where asked.
 * @throws FORBIDDEN, ORG_NODE_NOT_FOUND, OUT_OF_SCOPE, and the file errors of the pass (IMPORT_FILE_EMPTY …)
 */
export async function importFile(
  deps: { db: Db; pii: PiiCipher; idClashDailyLimit?: number },
  ctx: Ctx,
  opts: {
    filePath: string;
    commit: boolean;
    errorReportPath?: string | null;
    mapping?: Record<string, string>;
    nodeId?: number | null;
    onProgress?: (c: ImportCounts, p: Progress) => void;
    batchRows?: number;
    bulkMinRows?: number;
    analyzeMinRows?: number;
    prepWorkers?: number;
    prepChunkRows?: number;
    loadSink?: RunOptions['loadSink'];
    /** Inside the commit's transaction, before it commits (tests: what the transaction holds). */
    onCommit?: RunOptions['onCommit'];
  },
): Promise<RunResult & { importId: number }> {
  const { scope, path: scopePath } = await importScope(deps.db, ctx, opts.nodeId ?? null);
  const fileName = path.basename(opts.filePath);
  const rec = await repo.insertImport(deps.db, {
    countyId: countyOfPath(scopePath),
    fileName,
    createdBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
    scopePaths: scopePathsOf(scope),
  });
  const reportTo = opts.errorReportPath ?? null;
  try {
    const result = await runImport({
      db: deps.db,
      pii: deps.pii,
      ctx,
      importId: rec.id,
      // The operator's own file is read where it is; anything the reader must park is sealed.
      input: await plainFileInput(opts.filePath, filesOf(deps.pii)),
      fileName,
      mapping: opts.mapping,
      scope,
      commit: opts.commit,
      clashes: { dailyLimit: deps.idClashDailyLimit ?? DEFAULT_ID_CLASH_DAILY_LIMIT },
      // The report the operator asked for, where they asked (masked like every report; readable by them only).
      errorReport: reportTo === null ? null : () => fs.createWriteStream(reportTo, { mode: 0o600 }),
      progressMs: 200,
      batchRows: opts.batchRows,
      bulkMinRows: opts.bulkMinRows,
      analyzeMinRows: opts.analyzeMinRows,
      prepWorkers: opts.prepWorkers,
      prepChunkRows: opts.prepChunkRows,
      loadSink: opts.loadSink,
      onProgress: async (c, p) => {
        opts.onProgress?.(c, p);
        await saveProgress(deps, rec.id, opts.commit, c);
      },
      onCommit: async (tx, c) => {
        await repo.finishImport(tx, rec.id, { status: 'committed', counts: c, error: null });
        await recordAudit(tx, ctx, auditCommit(rec.id, fileName, scopePath, c));
        await opts.onCommit?.(tx, c);
      },
    });
    if (!opts.commit) await repo.finishImport(deps.db, rec.id, { status: 'validated', counts: result, error: null });
    return { ...result, importId: rec.id };
  } catch (err) {
    await repo.finishImport(deps.db, rec.id, { status: 'failed', counts: repo.ZERO_COUNTS, error: storeError(err) });
    throw err;
  }
}

/** The principal of an account, to run the command line as that user. @throws USER_NOT_FOUND */
export async function principalOf(db: Db, username: string): Promise<Ctx['principal']> {
  const principal = await principalOfAccount(db, { username });
  if (!principal) throw new AppError('USER_NOT_FOUND', { field: 'as', params: { username } });
  return principal;
}
