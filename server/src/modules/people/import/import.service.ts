/**
 * Use cases of the residents import: upload → validate (in the background) → error report → commit (in the
 * background, one transaction) → progress and results; plus the template, and the same import run in the
 * foreground for the command line. An import belongs to its creator; someone whose `people.import` scope
 * covers every area the creator imports into (their street administrator, a system administrator) sees it too.
 */
import fs from 'node:fs';
import path from 'node:path';
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
import { generateIdNumber, isValidDivisionCode, type PiiCipher } from '../../../platform/pii/index.js';
import { findNodeById, listActiveNodes } from '../../org/org.service.js';
import { DEFAULT_ID_CLASH_DAILY_LIMIT } from '../move-in.service.js';
import * as repo from './import.repo.js';
import { buildTemplate, type TemplateExample } from './import.report.js';
import { type ImportCounts, type Progress, type RunOptions, type RunResult, runImport } from './import.runner.js';
import type { ImportView } from './import.schemas.js';

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

/** What the commit needs to read the stored file again the same way. */
type Sidecar = { fileName: string; stored: string; mapping: Record<string, string> | null; nodeId: number | null };

const ZERO: ImportCounts = {
  rowsRead: 0,
  rowsValid: 0,
  rowsInvalid: 0,
  rowsInserted: 0,
  rowsUpdated: 0,
  rowsReview: 0,
};

// Runs of this process: live counts (the only progress PGlite can show while a commit holds its one
// connection) and the promises, so that tests and shutdown can wait for them.
const live = new Map<number, ImportCounts>();
const running = new Map<number, Promise<void>>();

const storedPath = (deps: ImportDeps, id: number, ext: string) => path.join(deps.uploadDir, `import-${id}${ext}`);
const sidecarPath = (deps: ImportDeps, id: number) => path.join(deps.uploadDir, `import-${id}.json`);
const reportPath = (deps: ImportDeps, id: number) => path.join(deps.uploadDir, `import-${id}.errors.xlsx`);

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
    hasErrorReport: r.status !== 'failed' && fs.existsSync(reportPath(deps, r.id)),
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
  };
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

/** Whether the caller may see an import: its creator, or someone whose import scope covers the creator's. */
async function canSee(db: Db, ctx: Ctx, r: repo.ImportRow): Promise<boolean> {
  if (r.created_by !== null && r.created_by === ctx.principal.userId) return true;
  if (isSystemAdmin(ctx.principal)) return true;
  if (r.created_by === null) return false;
  const mine = scopeFor(ctx.principal, 'people.import');
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

function readSidecar(deps: ImportDeps, id: number): Sidecar {
  try {
    return JSON.parse(fs.readFileSync(sidecarPath(deps, id), 'utf8')) as Sidecar;
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

/**
 * Housekeeping, at start and hourly: imports left `running` by a process that stopped are marked failed
 * (IMPORT_INTERRUPTED: their transaction rolled back, nothing was written), and uploaded files, error reports
 * and leftovers older than IMPORT_FILE_RETENTION_DAYS are deleted; a validated import whose file goes is
 * marked failed (IMPORT_EXPIRED). Imports running in this process are left alone.
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
  let filesRemoved = 0;
  const goneSidecars: number[] = [];
  for (const name of await fs.promises.readdir(deps.uploadDir).catch(() => [] as string[])) {
    const m = /^import-(\d+)\./.exec(name);
    if (!m || running.has(Number(m[1]))) continue;
    const file = path.join(deps.uploadDir, name);
    const st = await fs.promises.stat(file).catch(() => null);
    if (!st?.isFile() || st.mtimeMs >= cutoff) continue;
    await fs.promises.rm(file, { force: true });
    filesRemoved++;
    if (name === `import-${m[1]}.json`) goneSidecars.push(Number(m[1]));
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

async function finishFailed(deps: ImportDeps, id: number, err: unknown): Promise<void> {
  if (!(err instanceof AppError) || err.status >= 500) deps.log?.error({ err, importId: id }, 'import failed');
  await repo
    .finishImport(deps.db, id, { status: 'failed', counts: live.get(id) ?? ZERO, error: storeError(err) })
    .catch((e) => deps.log?.error({ err: e, importId: id }, 'could not record the failed import'));
}

/**
 * Records how far a pass has got, which also says the import is alive (sweepImports). A commit on PGlite
 * skips the table: its one connection is held by the commit's transaction.
 */
async function saveProgress(deps: { db: Db }, id: number, commit: boolean, c: ImportCounts): Promise<void> {
  if (!commit || deps.db.kind === 'postgres') await repo.updateProgress(deps.db, id, c);
}

/** A pass over a stored upload, in the background: progress shown live, the error report written beside it. */
function storedRun(
  deps: ImportDeps,
  ctx: Ctx,
  id: number,
  side: Sidecar,
  scope: Scope,
  commit: boolean,
): RunOptions & { errorReportPath: string } {
  return {
    db: deps.db,
    pii: deps.pii,
    ctx,
    importId: id,
    filePath: path.join(deps.uploadDir, side.stored),
    fileName: side.fileName,
    mapping: side.mapping ?? undefined,
    scope,
    commit,
    clashes: { dailyLimit: deps.idClashDailyLimit ?? DEFAULT_ID_CLASH_DAILY_LIMIT, log: deps.log },
    errorReportPath: `${reportPath(deps, id)}.part`,
    onProgress: async (c) => {
      live.set(id, { ...c });
      await saveProgress(deps, id, commit, c);
    },
  };
}

async function validate(deps: ImportDeps, ctx: Ctx, id: number, side: Sidecar, scope: Scope): Promise<void> {
  const run = storedRun(deps, ctx, id, side, scope, false);
  const tmpReport = run.errorReportPath;
  try {
    const result = await runImport(run);
    await fs.promises.rename(tmpReport, reportPath(deps, id));
    await repo.finishImport(deps.db, id, { status: 'validated', counts: result, error: null });
  } catch (err) {
    await fs.promises.rm(tmpReport, { force: true });
    await finishFailed(deps, id, err);
    await discardUpload(deps, id, side);
  }
}

/**
 * The uploaded file holds ID numbers in plain text: it is kept only while it may still be committed.
 * (The error report, with the bad rows only, stays for the user to fix them, for IMPORT_FILE_RETENTION_DAYS.)
 */
async function discardUpload(deps: ImportDeps, id: number, side: Sidecar): Promise<void> {
  await fs.promises.rm(path.join(deps.uploadDir, side.stored), { force: true });
  await fs.promises.rm(sidecarPath(deps, id), { force: true });
}

/**
 * Stores an uploaded file and starts checking it in the background; poll getImport for progress.
 * `tempPath` is moved into the upload directory.
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
  });
  const ext = (path
    .extname(fileName)
    .toLowerCase()
    .match(/^\.[a-z0-9]{1,5}$/) ?? [''])[0];
  const stored = path.basename(storedPath(deps, rec.id, ext));
  await fs.promises.rename(upload.tempPath, path.join(deps.uploadDir, stored));
  const side: Sidecar = { fileName, stored, mapping: upload.mapping, nodeId: upload.nodeId };
  await fs.promises.writeFile(sidecarPath(deps, rec.id), JSON.stringify(side));
  live.set(rec.id, { ...ZERO });
  track(rec.id, validate(deps, ctx, rec.id, side, scope));
  return toView(rec, ctx.locale, deps);
}

/** @throws FORBIDDEN, IMPORT_NOT_FOUND */
export async function getImport(deps: ImportDeps, ctx: Ctx, id: number): Promise<ImportView> {
  return toView(await visibleImport(deps.db, ctx, id), ctx.locale, deps);
}

/** The caller's most recent imports. @throws FORBIDDEN */
export async function listImports(deps: ImportDeps, ctx: Ctx): Promise<ImportView[]> {
  assertPermission(ctx.principal, 'people.import');
  const rows = await repo.listImportsOf(deps.db, ctx.principal.userId > 0 ? ctx.principal.userId : null, 50);
  return rows.map((r) => toView(r, ctx.locale, deps));
}

/** The error report of the last pass. @throws FORBIDDEN, IMPORT_NOT_FOUND, IMPORT_REPORT_MISSING */
export async function getErrorReportPath(deps: ImportDeps, ctx: Ctx, id: number): Promise<string> {
  const r = await visibleImport(deps.db, ctx, id);
  const p = reportPath(deps, id);
  if (r.status === 'failed' || !fs.existsSync(p)) throw new AppError('IMPORT_REPORT_MISSING');
  return p;
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
  const side = readSidecar(deps, id);
  const { scope, path: scopePath } = await importScope(deps.db, ctx, side.nodeId);
  if (!(await repo.claimForCommit(deps.db, id))) {
    throw new AppError('IMPORT_NOT_VALIDATED');
  }
  live.set(id, { ...ZERO });
  const run = storedRun(deps, ctx, id, side, scope, true);
  const tmpReport = run.errorReportPath;
  const work = (async () => {
    try {
      await runImport({
        ...run,
        onCommit: async (tx, c) => {
          await repo.finishImport(tx, id, { status: 'committed', counts: c, error: null });
          await recordAudit(tx, ctx, auditCommit(id, side.fileName, scopePath, c));
        },
      });
      await fs.promises.rename(tmpReport, reportPath(deps, id));
    } catch (err) {
      await fs.promises.rm(tmpReport, { force: true });
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
  },
): Promise<RunResult & { importId: number }> {
  const { scope, path: scopePath } = await importScope(deps.db, ctx, opts.nodeId ?? null);
  const fileName = path.basename(opts.filePath);
  const rec = await repo.insertImport(deps.db, {
    countyId: countyOfPath(scopePath),
    fileName,
    createdBy: ctx.principal.userId > 0 ? ctx.principal.userId : null,
  });
  try {
    const result = await runImport({
      db: deps.db,
      pii: deps.pii,
      ctx,
      importId: rec.id,
      filePath: opts.filePath,
      fileName,
      mapping: opts.mapping,
      scope,
      commit: opts.commit,
      clashes: { dailyLimit: deps.idClashDailyLimit ?? DEFAULT_ID_CLASH_DAILY_LIMIT },
      errorReportPath: opts.errorReportPath ?? null,
      progressMs: 200,
      batchRows: opts.batchRows,
      bulkMinRows: opts.bulkMinRows,
      onProgress: async (c, p) => {
        opts.onProgress?.(c, p);
        await saveProgress(deps, rec.id, opts.commit, c);
      },
      onCommit: async (tx, c) => {
        await repo.finishImport(tx, rec.id, { status: 'committed', counts: c, error: null });
        await recordAudit(tx, ctx, auditCommit(rec.id, fileName, scopePath, c));
      },
    });
    if (!opts.commit) await repo.finishImport(deps.db, rec.id, { status: 'validated', counts: result, error: null });
    return { ...result, importId: rec.id };
  } catch (err) {
    await repo.finishImport(deps.db, rec.id, { status: 'failed', counts: ZERO, error: storeError(err) });
    throw err;
  }
}

/** The principal of an account, to run the command line as that user. @throws USER_NOT_FOUND */
export async function principalOf(db: Db, username: string): Promise<Ctx['principal']> {
  const principal = await principalOfAccount(db, { username });
  if (!principal) throw new AppError('USER_NOT_FOUND', { field: 'as', params: { username } });
  return principal;
}
