/**
 * One pass over an import file, shared by the HTTP API, the command line and the benchmark:
 * read (streaming) → find the header → check every row (alone, against the file, against the database) →
 * write the bad rows to the error report → and, when committing, seal and hash the good rows and load them in
 * batches of 20,000: each batch is COPYed (binary) into a temporary stage and written set-based into houses,
 * households and residents (INSERT … ON CONFLICT (id_hash) DO UPDATE), all in one transaction; heads of
 * household, hand-set tags and derived tags follow once at the end.
 *
 * Per row, a dry run on an empty database costs a CSV split, the checks and a few Map look-ups; a commit adds
 * two seals and two keyed hashes (ID, phone), pinyin and one stage row. The database loads one batch while the
 * next is prepared; on PostgreSQL its share (index upkeep and foreign-key checks on residents) dominates.
 */
import os from 'node:os';
import type { Writable } from 'node:stream';
import type { Ctx } from '../../../platform/access/context.js';
import { pathInScope, type Scope, scopeSql } from '../../../platform/access/scope.js';
import type { Db, Queryable, Tx } from '../../../platform/db/client.js';
import { AppError } from '../../../platform/errors/errors.js';
import { cipherRecipe, maskPhone, type PiiCipher } from '../../../platform/pii/index.js';
import { listActiveNodes } from '../../org/org.service.js';
import { ClashGate, type ClashSettings, DEFAULT_ID_CLASH_DAILY_LIMIT, fileMoveInRequest } from '../move-in.service.js';
import * as tagsRepo from '../tags.repo.js';
import { refreshDerivedTags } from '../tags.service.js';
import { IdRowSet } from './import.dedupe.js';
import {
  type DirectBatch as DirectData,
  DirectLoad,
  houseIdOf,
  type PersonColumns,
  writePerson,
} from './import.direct.js';
import { findFlagColumns } from './import.flags.js';
import { checkOccupiedHouses } from './import.households.js';
import {
  checkHouseOnly,
  type HouseColumns,
  type HouseFact,
  houseHeaders,
  isHouseOnly,
  isHousesHeader,
  readHouseCells,
} from './import.houses.js';
import { writeHouseFacts } from './import.houses.repo.js';
import {
  type Cell,
  type ColumnMap,
  cellText,
  chinaToday,
  formatIssues,
  isBlankRow,
  issueText,
  looksLikeHeader,
  mapColumns,
  type RowIssue,
} from './import.logic.js';
import { maskReportRow } from './import.mask.js';
import { PlaceIndex, type PlaceNode } from './import.places.js';
import { type PreparedChunk, type PrepInit, RowPreparer } from './import.prep.js';
import { PrepPool } from './import.prep.pool.js';
import {
  type ImportInput,
  type ReadPosition,
  readRows,
  type SourceInfo,
  type SourceRow,
  sniffFile,
} from './import.reader.js';
import * as repo from './import.repo.js';
import { ErrorReportWriter } from './import.report.js';
import { type CheckedRow, type GoodRow, householdKey, type RowContext, type TagRef } from './import.rows.js';
import { StageWriter } from './import.stage.js';

export type ImportCounts = repo.ImportCounts;
/** Bytes of the file read so far, of its size. */
export type Progress = { bytesRead: number; bytesTotal: number };

export type RunOptions = {
  db: Db;
  pii: PiiCipher;
  ctx: Ctx;
  importId: number;
  /** The file, as a stream (see ImportInput: a sealed upload decrypts as it is read). */
  input: ImportInput;
  fileName: string;
  mapping?: Record<string, string>;
  /** Where rows may go: the importer's `people.import` scope, possibly narrowed to one node. */
  scope: Scope;
  commit: boolean;
  /**
   * Rows naming someone registered outside `scope` become move-in requests at commit, up to the importer's
   * daily limit (default 20); beyond it they are row errors. A dry run does not look: it must not tell such a
   * row from a new person.
   */
  clashes?: ClashSettings;
  /**
   * Opens the stream the error report (.xlsx) is written to, once the first bad row appears (a file with no
   * bad rows gets no report); null writes none. The stream's 'finish' must mean the report is complete.
   */
  errorReport: (() => Writable) | null;
  /** Called as batches pass (at most every `progressMs`); must not use the database while committing. */
  onProgress?: (counts: ImportCounts, progress: Progress) => void | Promise<void>;
  progressMs?: number;
  /** Last step of a commit, inside its transaction (the import record, the audit entry). */
  onCommit?: (tx: Tx, counts: ImportCounts) => Promise<void>;
  /** Rows per batch (default 20,000; tests use tiny batches to cross batch boundaries). */
  batchRows?: number;
  /**
   * Worker threads preparing the rows (check, normalise, seal, hash, pinyin) while this thread reads the file
   * and the database loads; 0 prepares them here. Default: none for a file under PREP_THREADS_MIN_BYTES,
   * else one fewer than the machine's cores (at least one, at most PREP_THREADS_MAX).
   */
  prepWorkers?: number;
  /** Rows prepared together (default PREP_CHUNK_ROWS; tests use tiny chunks to cross chunk boundaries). */
  prepChunkRows?: number;
  /**
   * Benchmark only (the preparation stage alone): the new rows of a bulk load, ready for COPY, go here instead
   * of the database (the batch's buffers are reused once the promise resolves). The caller rolls back.
   */
  loadSink?: (batch: DirectData) => Promise<void>;
  /**
   * A commit of at least this many rows (estimated from the first batch and the file's size) that also adds
   * at least a quarter of the residents already stored is loaded in bulk (see repo.beginBulk). Default 50,000.
   */
  bulkMinRows?: number;
  /** A commit that is not bulk but writes at least this many rows refreshes the statistics (default 10,000). */
  analyzeMinRows?: number;
};

/**
 * Where the time went, in milliseconds: `pass` is reading, checking, sealing and loading (the database's
 * share of it, not overlapped with preparing the next batch, is `loadWait`); `tags` the derived tags.
 */
export type RunTimings = {
  setup: number;
  pass: number;
  lookups: number;
  loadWait: number;
  finish: number;
  tags: number;
  /** Bulk loads only: building the secondary indexes and checking the foreign keys at the end. */
  indexes: number;
  foreignKeys: number;
};

/** A bad row's issue as the screen shows it: the row number, the file's header of the column, what is wrong. */
export type ErrorRow = { row: number; column: string; message: string };

/** Issues of bad rows kept for the screen (the error report has them all). */
export const MAX_ERROR_ROWS = 50;

export type RunResult = ImportCounts & {
  /** A residents file, or a houses file (房屋档案: houses with the heads of their households). */
  kind: 'residents' | 'houses';
  /** The first MAX_ERROR_ROWS issues of bad rows, in file order (ID and phone values masked as in the report). */
  errorRows: ErrorRow[];
  source: SourceInfo;
  /** Whether the commit was loaded in bulk (indexes built and foreign keys checked once at the end). */
  bulk: boolean;
  houses: number;
  households: number;
  timings: RunTimings;
};

/** Rows checked, looked up and loaded together. */
const BATCH_ROWS = 20_000;
const BULK_MIN_ROWS = 50_000;
const ANALYZE_MIN_ROWS = 10_000;
/** A bulk load must add at least this share of the residents already stored: it rebuilds their indexes. */
const BULK_MIN_SHARE = 0.25;
const YIELD_ROWS = 500;
/** Rows prepared together (in a worker thread, or here). */
const PREP_CHUNK_ROWS = 2_000;
/** Files from this size on are prepared in worker threads by default (below it, starting them costs more). */
export const PREP_THREADS_MIN_BYTES = 16 << 20;
const PREP_THREADS_MAX = 4;

/** How many worker threads prepare the rows of a file of `bytes` (see RunOptions.prepWorkers). */
export function defaultPrepWorkers(bytes: number): number {
  if (bytes < PREP_THREADS_MIN_BYTES) return 0;
  return Math.min(PREP_THREADS_MAX, Math.max(1, os.availableParallelism() - 1));
}
/** Rows read before the header must have appeared (title rows above it are skipped). */
const HEADER_SEARCH_ROWS = 10;

type Setup = { nodes: PlaceNode[]; nodesById: Map<number, PlaceNode>; tags: Map<string, TagRef> };

async function loadSetup(q: Queryable, scope: Scope): Promise<Setup> {
  // Places are looked up in the whole of the counties the scope touches, so that a row naming a place
  // outside the importer's area is told so, rather than "not found".
  const nodes = (await listActiveNodes(q, countiesOf(scope))).map(
    (n): PlaceNode => ({
      id: n.id,
      parentId: n.parent_id,
      type: n.type,
      name: n.name,
      path: n.path,
      countyId: n.county_id,
    }),
  );
  const tags = new Map<string, TagRef>();
  for (const t of await tagsRepo.listTags(q)) {
    const ref = { id: t.id, derived: t.rule !== null };
    tags.set(t.code, ref);
    tags.set(t.name.trim(), ref);
  }
  return { nodes, nodesById: new Map(nodes.map((n) => [n.id, n])), tags };
}

function countiesOf(scope: Scope): number[] | null {
  return scope.all ? null : [...new Set(scope.paths.map((p) => Number(p.split('/')[1])))];
}

/**
 * Runs one pass. A dry run (commit false) reads and checks; a commit also loads the good rows, batch by batch
 * (each batch COPYed into the stage and upserted while the next one is prepared), in one transaction: any
 * failure rolls everything back. File errors (empty, unreadable, missing column …) are thrown as AppError.
 */
export async function runImport(o: RunOptions): Promise<RunResult> {
  const timings: RunTimings = {
    setup: 0,
    pass: 0,
    lookups: 0,
    loadWait: 0,
    finish: 0,
    tags: 0,
    indexes: 0,
    foreignKeys: 0,
  };
  let t = performance.now();
  const lap = (k: keyof RunTimings) => {
    const now = performance.now();
    timings[k] += now - t;
    t = now;
  };
  const source = await sniffFile(o.input, o.fileName);
  const setup = await loadSetup(o.db, o.scope);
  lap('setup');
  if (!o.commit) {
    const pass = new Pass(o, o.db, null, setup, timings);
    const counts = await pass.run(source);
    lap('pass');
    const kind = pass.houses ? 'houses' : 'residents';
    return { ...counts, kind, errorRows: pass.errorRows, source, bulk: false, houses: 0, households: 0, timings };
  }
  return o.db.transaction(async (tx) => {
    await repo.lockImports(tx);
    await repo.startLoad(tx, countiesOf(o.scope));
    const pass = new Pass(o, tx, tx, setup, timings);
    const counts = await pass.run(source);
    lap('pass');
    await pass.gate?.reportRefusals(tx, 'import');
    if (pass.direct) {
      await pass.direct.close();
      await repo.finishDirect(tx, pass.direct);
    }
    await repo.finishLoad(tx, { createdBy: pass.createdBy });
    if (pass.houses) pass.loaded.houses += await writeHouseFacts(tx, pass.houses.facts);
    lap('finish');
    await refreshDerivedTags(tx, { where: repo.AFFECTED_RESIDENTS, params: [o.importId] });
    lap('tags');
    if (!pass.bulk && pass.loaded.inserted + pass.loaded.updated >= (o.analyzeMinRows ?? ANALYZE_MIN_ROWS)) {
      await repo.analyzePeople(tx);
    }
    if (pass.bulk) {
      const b = await repo.endBulk(tx, pass.bulk);
      timings.indexes = b.indexesMs;
      timings.foreignKeys = b.foreignKeysMs;
      t = performance.now();
    }
    await o.onCommit?.(tx, counts);
    const { houses, households } = pass.loaded;
    const kind = pass.houses ? 'houses' : 'residents';
    return {
      ...counts,
      kind,
      errorRows: pass.errorRows,
      source,
      bulk: pass.bulk !== null,
      houses,
      households,
      timings,
    };
  });
}

/** A row of a batch; `staged` is where it was written in the stage buffer (commits only). */
type Candidate = {
  source: SourceRow;
  checked: CheckedRow;
  /** The ID number's keyed hash (commits only: a dry run looks nobody up). */
  hash: Buffer | null;
  hashHex: string | null;
  hhKey: string | null;
  staged: [number, number] | null;
  prepared: Prepared;
};

/**
 * A row read and prepared (import.prep.ts): checked on its own; for a commit, with its person's columns in
 * COPY form and its ID number's keyed hash (null unless the row is good on its own).
 */
type Prepared = {
  source: SourceRow;
  checked: CheckedRow;
  /** The chunk's person columns, this row's from `start` to `end` (no view per row: they cost as much). */
  person: Buffer | null;
  start: number;
  end: number;
  /** The chunk's ID hashes, this row's at 32 × `at`. */
  hashes: Uint8Array | null;
  at: number;
};

const personOf = (p: Prepared): PersonColumns => ({ encoded: p.person as Buffer, start: p.start, end: p.end });
const hashOf = (p: Prepared): Buffer =>
  Buffer.from((p.hashes as Uint8Array).buffer, (p.hashes as Uint8Array).byteOffset + p.at * 32, 32);

class Pass {
  readonly loaded: repo.BatchResult = { inserted: 0, updated: 0, houses: 0, households: 0 };
  readonly errorRows: ErrorRow[] = [];
  /** A houses file: where its house columns are, and the houses it describes (written at commit). */
  houses: { cols: HouseColumns; facts: HouseFact[] } | null = null;
  /** A houses file: the context its rows without a head are checked in, on this thread. */
  private houseCtx: RowContext | null = null;
  /** Set when the commit turned out large enough to be loaded in bulk (decided before its first batch). */
  bulk: repo.BulkState | null = null;
  direct: DirectLoad | null = null;
  private bulkDecided = false;
  private sinceYield = 0;
  /** Who the rows are written by (null for the system: the command line, the benchmark). */
  readonly createdBy: number | null;
  private readonly counts: ImportCounts = { ...repo.ZERO_COUNTS };
  /** Commits only: the importer's daily allowance of rows naming people registered elsewhere. */
  readonly gate: ClashGate | null;
  private columns: ColumnMap | null = null;
  /** The file's header row, for the error report (opened at the first bad row). */
  private headerCells: Cell[] = [];
  /** Prepares rows here, or hands them to `pool` (set once the header is known). */
  private preparer: RowPreparer | null = null;
  private pool: PrepPool | null = null;
  /** Chunks being prepared, in file order. */
  private readonly preparing: { rows: SourceRow[]; chunk: Promise<PreparedChunk> }[] = [];
  /** Rows read after the header and not yet handed to preparation. */
  private unprepared: SourceRow[] = [];
  private report: ErrorReportWriter | null = null;
  private readonly seen = new IdRowSet();
  private readonly heads = new Map<string, number>();
  /** The batch the database is loading while the next one is prepared. */
  private loading: Promise<void> | null = null;
  /** Two stage buffers: one being loaded, one being filled. */
  private readonly stages: StageWriter[] = [];
  private batchNo = 0;
  private lastProgress = Date.now();
  private checkDatabase = true;
  private readonly beforeHeader: SourceRow[] = [];
  private pending: Prepared[] = [];
  /** Existing residents may only be updated inside the scope (the access layer writes the condition). */
  private readonly scopeCondition: string;
  private readonly batchRows: number;
  private readonly position: ReadPosition = { bytes: 0 };
  private bytesTotal = 0;

  constructor(
    private readonly o: RunOptions,
    private readonly q: Queryable,
    private readonly tx: Tx | null,
    private readonly setup: Setup,
    private readonly timings: RunTimings,
  ) {
    this.scopeCondition = scopeSql(o.scope, 'r.node_path');
    this.batchRows = o.batchRows ?? BATCH_ROWS;
    this.createdBy = o.ctx.principal.userId > 0 ? o.ctx.principal.userId : null;
    this.gate = tx ? new ClashGate(o.ctx, o.clashes ?? { dailyLimit: DEFAULT_ID_CLASH_DAILY_LIMIT }) : null;
  }

  async run(source: SourceInfo): Promise<ImportCounts> {
    // An empty database cannot hold anyone registered elsewhere (commits are serialised by the lock).
    this.checkDatabase = await repo.hasResidents(this.q);
    this.bytesTotal = this.o.input.size;
    try {
      for await (const batch of readRows(this.o.input, source, this.position)) {
        const rows = this.columns ? batch : this.findHeader(batch, false);
        for (const r of rows) this.unprepared.push(r);
        await this.prepare(false);
      }
      if (!this.columns) for (const r of this.findHeader([], true)) this.unprepared.push(r);
      await this.prepare(true);
      await this.drain(true);
      await this.settleLoad();
      if (this.counts.rowsRead === 0) throw new AppError('IMPORT_FILE_EMPTY', { field: 'file' });
      await this.report?.close();
      this.report = null;
    } finally {
      // A failed pass still closes its report and waits for its load; the caller discards both.
      await this.report?.close().catch(() => undefined);
      await this.loading?.catch(() => undefined);
      await this.pool?.close();
    }
    this.counts.rowsInserted = this.loaded.inserted;
    this.counts.rowsUpdated = this.loaded.updated;
    await this.o.onProgress?.(this.counts, { bytesRead: this.bytesTotal, bytesTotal: this.bytesTotal });
    return this.counts;
  }

  /** Collects rows until the header appears; returns the data rows after it (if found in this batch). */
  private findHeader(batch: SourceRow[], atEnd: boolean): SourceRow[] {
    for (let i = 0; i < batch.length; i++) {
      const r = batch[i] as SourceRow;
      if (isBlankRow(r.cells)) continue;
      if (looksLikeHeader(r.cells)) {
        this.adoptHeader(r.cells);
        return batch.slice(i + 1);
      }
      this.beforeHeader.push(r);
      if (this.beforeHeader.length >= HEADER_SEARCH_ROWS) {
        // No recognisable header: take the first non-blank row, so that the missing column is named.
        const first = this.beforeHeader[0] as SourceRow;
        this.adoptHeader(first.cells);
        return [...this.beforeHeader.slice(1), ...batch.slice(i + 1)];
      }
    }
    if (atEnd && this.beforeHeader.length > 0) {
      const first = this.beforeHeader[0] as SourceRow;
      this.adoptHeader(first.cells);
      return this.beforeHeader.slice(1);
    }
    if (atEnd) throw new AppError('IMPORT_FILE_EMPTY', { field: 'file' });
    return [];
  }

  private adoptHeader(cells: Cell[]): void {
    let headers = cells.map((c) => cellText(c));
    const fileHeaders = headers;
    if (isHousesHeader(headers)) {
      const h = houseHeaders(headers);
      headers = h.headers;
      this.houses = { cols: h.house, facts: [] };
    }
    this.columns = mapColumns(headers, this.o.mapping);
    if (this.houses) {
      // Messages name the file's own headers (户主姓名, 门牌号), not the residents file's.
      for (const [field, i] of Object.entries(this.columns.index)) {
        if (i >= 0) this.columns.label[field as keyof ColumnMap['label']] = (fileHeaders[i] ?? '').trim();
      }
    }
    const now = new Date();
    const init: PrepInit = {
      nodes: this.setup.nodes,
      scope: this.o.scope,
      tags: [...this.setup.tags],
      columns: this.columns,
      flags: findFlagColumns(headers, Object.values(this.columns.index), this.o.mapping),
      ...(this.houses ? { defaultRelation: 'head' as const } : {}),
      today: chinaToday(now),
      now: now.getTime(),
      pii: null,
    };
    if (this.houses) {
      const scope = this.o.scope;
      this.houseCtx = {
        columns: this.columns,
        places: new PlaceIndex(this.setup.nodes, (path) => pathInScope(scope, path)),
        tags: new Map(),
        today: init.today,
        now,
      };
    }
    const pii = this.tx ? this.o.pii : null;
    const recipe = pii ? cipherRecipe(pii) : undefined;
    const workers = this.o.prepWorkers ?? defaultPrepWorkers(this.o.input.size);
    // Threads need the cipher's key material; a cipher that createPiiCipher did not make is used here.
    if (workers > 0 && (pii === null || recipe !== undefined)) {
      this.pool = new PrepPool(workers, { ...init, pii: recipe ?? null }, this.setup.nodesById);
    } else this.preparer = new RowPreparer(init, pii);
    this.headerCells = cells;
  }

  /**
   * Hands the rows read to preparation in chunks, and takes the prepared ones back in order into `pending`
   * (loading them as whole batches gather). With worker threads, a few chunks are kept in preparation while
   * this thread reads and loads; at the end of the file (`final`) every chunk is taken back.
   */
  private async prepare(final: boolean): Promise<void> {
    const ahead = this.pool ? 2 * this.pool.size : 0;
    const size = this.o.prepChunkRows ?? PREP_CHUNK_ROWS;
    while (this.unprepared.length >= size || (final && this.unprepared.length > 0)) {
      const rows = this.unprepared.length > size ? this.unprepared.splice(0, size) : this.unprepared;
      if (rows === this.unprepared) this.unprepared = [];
      const cells = rows.map((r) => r.cells);
      const chunk = this.pool
        ? this.pool.prepare(cells)
        : Promise.resolve((this.preparer as RowPreparer).prepare(cells));
      // Handled when taken back; meanwhile a failure is not an unhandled rejection.
      chunk.catch(() => undefined);
      this.preparing.push({ rows, chunk });
      while (this.preparing.length > ahead) await this.takePrepared();
    }
    if (final) while (this.preparing.length > 0) await this.takePrepared();
  }

  private async takePrepared(): Promise<void> {
    const { rows, chunk: pending } = this.preparing.shift() as { rows: SourceRow[]; chunk: Promise<PreparedChunk> };
    const { checked, person: bytes, starts, hashes } = await pending;
    const person = this.tx ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : null;
    for (let i = 0; i < rows.length; i++) {
      const c = checked[i];
      if (!c) continue;
      const source = rows[i] as SourceRow;
      this.pending.push({
        source,
        checked: c,
        person,
        start: starts[i] as number,
        end: starts[i + 1] as number,
        hashes,
        at: i,
      });
    }
    await this.drain(false);
  }

  private async settleLoad(): Promise<void> {
    if (!this.loading) return;
    const t = performance.now();
    try {
      await this.loading;
    } finally {
      this.loading = null;
      this.timings.loadWait += performance.now() - t;
    }
  }

  /**
   * Checks and loads what has been read: whole batches, or, at the end of the file (`final`), the rest. A
   * streaming bulk load takes every row at once, and at the end sends its last rows.
   */
  private async drain(final: boolean): Promise<void> {
    const min = final ? 1 : this.batchRows;
    while (this.pending.length >= min || (this.streaming() && this.pending.length > 0)) await this.flush();
    if (final && this.streaming() && (this.direct as DirectLoad).rows > 0) await this.ship(this.direct as DirectLoad);
  }

  private async flush(): Promise<void> {
    const tx = this.tx;
    if (tx && !this.bulkDecided) {
      // Decided before anything is loaded or looked up, so that the whole load runs one way.
      this.bulkDecided = true;
      if (await this.worthBulk(Math.min(this.pending.length, this.batchRows))) {
        this.bulk = await repo.beginBulk(tx, this.o.db.kind);
        this.direct = await DirectLoad.open(tx, {
          countyIds: countiesOf(this.o.scope),
          batchRows: this.batchRows,
          importId: this.o.importId,
          createdBy: this.createdBy,
        });
        this.direct.next();
      }
    }
    // A bulk load into a table with nobody in it needs no look-ups: rows stream straight into the load.
    if (this.streaming()) return this.stream();
    const rows = this.pending.length > this.batchRows ? this.pending.slice(0, this.batchRows) : this.pending;
    this.pending = rows === this.pending ? [] : this.pending.slice(this.batchRows);
    const direct = this.direct;
    const candidates: Candidate[] = [];
    const lookups: string[] = [];
    let stage: StageWriter | null = null;
    if (tx) {
      const i = this.batchNo++ % 2;
      stage = this.stages[i] ?? new StageWriter();
      this.stages[i] = stage;
      stage.reset();
    }
    if (direct) {
      await direct.ensure(rows.length);
      direct.next();
    }
    for (const p of rows) {
      if (++this.sinceYield === YIELD_ROWS) await this.letRepliesIn();
      const { source } = p;
      const { checked, good, hhKey } = this.checkInFile(source, p.checked);
      const c: Candidate = { source, checked, hash: null, hashHex: null, hhKey, staged: null, prepared: p };
      // Only a commit looks people up: a dry run that did would tell someone registered elsewhere from a new
      // person, row by row (both are simply good rows to it).
      if (good && tx) {
        c.hash = hashOf(p);
        if (this.checkDatabase) {
          c.hashHex = c.hash.toString('hex');
          lookups.push(c.hashHex);
        }
        if (stage && !direct) c.staged = this.writeStageRow(stage, source.rowNo, good, personOf(p), c.hhKey);
      }
      candidates.push(c);
    }

    // The previous batch had the database to itself while this one was prepared.
    await this.settleLoad();
    const t = performance.now();
    const elsewhere = new Map<string, { id: number; path: string; county_id: number }>();
    const stored = new Set<string>();
    if (lookups.length > 0) {
      for (const r of await repo.findResidentPaths(this.q, lookups)) {
        stored.add(r.h);
        if (!pathInScope(this.o.scope, r.path)) elsewhere.set(r.h, r);
      }
    }
    const dropped: [number, number][] = [];
    // Rows without 户号 at a house that already has a household: no second head or spouse (import.households.ts).
    if (this.checkDatabase) {
      const wrapped = candidates.map((c) => ({
        good: c.checked.issues.length === 0 ? c.checked.row : null,
        issues: c.checked.issues,
        c,
      }));
      for (const w of await checkOccupiedHouses(this.q, this.o.pii, this.o.importId, wrapped)) {
        if (w.c.staged) dropped.push(w.c.staged);
        w.c.staged = null;
      }
    }
    this.timings.lookups += performance.now() - t;

    for (const c of candidates) {
      const holder = c.hashHex === null ? undefined : elsewhere.get(c.hashHex);
      if (holder) {
        // Registered outside the importer's area: not loaded; a move-in request instead, within the day's limit.
        if (c.staged) dropped.push(c.staged);
        if (await this.submitForReview(c.checked.row as GoodRow, holder)) {
          this.counts.rowsValid++;
          this.counts.rowsReview++;
          continue;
        }
        c.checked.issues.push({ field: 'idNumber', code: 'clash_limit' });
      }
      if (c.checked.issues.length === 0) {
        this.counts.rowsValid++;
        const good = c.checked.row;
        // (A houses file's row without a head is valid with no one to load.)
        if (direct && stage && good) {
          if (c.hashHex !== null && stored.has(c.hashHex)) {
            // Stored already: updated through the stage, in the house and household resolved here.
            const house = direct.house(good);
            const householdId = direct.household(good, c.hhKey, house);
            const person = personOf(c.prepared);
            this.writeStageRow(stage, c.source.rowNo, good, person, c.hhKey, houseIdOf(house), householdId);
          } else this.writeDirect(direct, good, c.hhKey, c.prepared);
        }
      } else {
        this.counts.rowsInvalid++;
        this.reportRow(c.source, c.checked.issues);
      }
    }
    if (stage && dropped.length > 0) stage.removeRows(dropped);
    if (direct && stage) {
      const existing =
        stage.rows > 0
          ? { data: stage.finish(), rows: stage.rows, scopeCondition: this.scopeCondition, importId: this.o.importId }
          : null;
      this.startDirectLoad(direct, existing);
    } else if (tx && stage && stage.rows > 0) {
      const batch = { importId: this.o.importId, rows: stage.rows, scopeCondition: this.scopeCondition };
      this.startLoad(repo.loadBatch(tx, stage.finish(), batch));
    }
    await this.reportProgress();
  }

  /** Files a move-in request for a row naming someone registered elsewhere; false beyond the daily limit. */
  private async submitForReview(r: GoodRow, holder: { id: number; path: string; county_id: number }) {
    const tx = this.tx as Tx;
    if (!(await (this.gate as ClashGate).admit(tx))) return false;
    const { pii } = this.o;
    await fileMoveInRequest(tx, this.o.ctx, {
      resident: { id: holder.id, nodePath: holder.path, countyId: holder.county_id },
      typed: {
        name: r.name,
        phone: r.phone === null ? null : { sealed: pii.seal(r.phone), masked: maskPhone(r.phone) },
        ethnicity: r.ethnicity,
        hukouAddress: r.hukouAddress,
        currentAddress: r.currentAddress,
        movedInOn: r.movedInOn,
      },
      dest: {
        nodeId: r.node.id,
        nodePath: r.node.path,
        countyId: r.node.countyId,
        houseId: null,
        roomNo: r.roomNo,
        householdId: null,
        householdNo: r.householdNo,
        relation: r.householdNo || r.roomNo ? r.relation : null,
      },
      source: 'import',
      importId: this.o.importId,
    });
    return true;
  }

  /** Tells the caller how far the pass has got, at most every `progressMs`. */
  private async reportProgress(): Promise<void> {
    if (!this.o.onProgress || Date.now() - this.lastProgress < (this.o.progressMs ?? 500)) return;
    this.lastProgress = Date.now();
    await this.o.onProgress(this.counts, { bytesRead: this.position.bytes, bytesTotal: this.bytesTotal });
  }

  /**
   * A row checked alone and against the rest of the file (an ID number seen before, a second head of one
   * household); `good` is null when anything is wrong with it.
   */
  private checkInFile(
    source: SourceRow,
    checked: CheckedRow,
  ): { checked: CheckedRow; good: GoodRow | null; hhKey: string | null } {
    this.counts.rowsRead++;
    const houses = this.houses;
    const hctx = this.houseCtx;
    if (houses && hctx && isHouseOnly(source.cells, hctx)) {
      // A house without a head: valid with no person to load (checked.row stays null); written at commit.
      const h = checkHouseOnly(source.cells, hctx);
      const facts = readHouseCells(source.cells, houses.cols, h.checked.issues);
      if (h.checked.issues.length === 0 && h.node && h.roomNo) {
        houses.facts.push({ node: h.node, roomNo: h.roomNo, ...facts });
      }
      return { checked: h.checked, good: null, hhKey: null };
    }
    const facts = houses ? readHouseCells(source.cells, houses.cols, checked.issues) : null;
    if (checked.id !== null) {
      const first = this.seen.addOrGet(checked.id, source.rowNo);
      if (first !== undefined) {
        checked.issues.push({ field: 'idNumber', code: 'duplicate_in_file', params: { row: first } });
      }
    }
    const row = checked.issues.length === 0 ? checked.row : null;
    const hhKey = row ? householdKey(row) : null;
    if (row && row.relation === 'head' && hhKey !== null) {
      const earlier = this.heads.get(hhKey);
      if (earlier !== undefined) {
        checked.issues.push({ field: 'relation', code: 'second_head', params: { row: earlier } });
      } else this.heads.set(hhKey, source.rowNo);
    }
    const good = checked.issues.length === 0 ? row : null;
    if (houses && facts && good?.roomNo) houses.facts.push({ node: good.node, roomNo: good.roomNo, ...facts });
    return { checked, good, hhKey };
  }

  /**
   * Lets the database's replies in (every YIELD_ROWS rows): the previous batch's statements run one after
   * another, each sent when the last one's answer has been read, which a busy event loop would hold up.
   */
  private async letRepliesIn(): Promise<void> {
    this.sinceYield = 0;
    if (this.loading) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Whether rows go straight into a bulk load as they are read (nobody stored yet: nothing to look up). */
  private streaming(): boolean {
    return this.direct !== null && !this.checkDatabase;
  }

  /**
   * The streaming bulk load: each row read is checked and written into the load at once (bad ones into the
   * error report), and every `batchRows` good rows are sent to the database while the next ones are written.
   * Nothing of a row outlives its chunk of the file, which keeps the garbage collector's work small.
   */
  private async stream(): Promise<void> {
    const direct = this.direct as DirectLoad;
    const rows = this.pending;
    this.pending = [];
    await direct.ensure(rows.length);
    for (const p of rows) {
      if (++this.sinceYield === YIELD_ROWS) await this.letRepliesIn();
      const { checked, good, hhKey } = this.checkInFile(p.source, p.checked);
      if (!good && checked.issues.length === 0) {
        // A house without a head (houses files): nobody to load.
        this.counts.rowsValid++;
        continue;
      }
      if (!good) {
        this.counts.rowsInvalid++;
        this.reportRow(p.source, checked.issues);
        continue;
      }
      this.counts.rowsValid++;
      this.writeDirect(direct, good, hhKey, p);
      if (direct.rows >= this.batchRows) await this.ship(direct);
    }
    await this.reportProgress();
  }

  /** Sends the rows written so far to the database once it has loaded the previous ones; writing goes on. */
  private async ship(direct: DirectLoad): Promise<void> {
    await this.settleLoad();
    this.startDirectLoad(direct, null);
    direct.next();
  }

  /** Loads a bulk batch (and the stored people of it, `existing`), then tops up the ids for the next ones. */
  private startDirectLoad(direct: DirectLoad, existing: Parameters<typeof repo.loadDirect>[2]): void {
    const batch = direct.end();
    const sink = this.o.loadSink;
    const load = sink && !existing ? sink(batch).then(() => ({ inserted: 0, updated: 0 })) : null;
    this.startLoad(
      (load ?? repo.loadDirect(this.tx as Tx, batch, existing)).then(async (r) => {
        await direct.topUp();
        return {
          inserted: batch.counts.residents + r.inserted,
          updated: r.updated,
          houses: batch.counts.houses,
          households: batch.counts.households,
        };
      }),
    );
  }

  private startLoad(load: Promise<repo.BatchResult>): void {
    this.loading = load.then((r) => {
      this.loaded.inserted += r.inserted;
      this.loaded.updated += r.updated;
      this.loaded.houses += r.houses;
      this.loaded.households += r.households;
      this.counts.rowsInserted = this.loaded.inserted;
      this.counts.rowsUpdated = this.loaded.updated;
    });
    // A failure surfaces at the next settleLoad, not as an unhandled rejection meanwhile.
    this.loading.catch(() => undefined);
  }

  /** A new resident of a bulk load, with its house and household, into the direct COPY data. */
  private writeDirect(direct: DirectLoad, good: GoodRow, hhKey: string | null, p: Prepared): void {
    const house = direct.house(good);
    const householdId = direct.household(good, hhKey, house);
    direct.resident(good, {
      encoded: p.person as Buffer,
      start: p.start,
      end: p.end,
      key: hhKey,
      houseId: houseIdOf(house),
      householdId,
    });
  }

  /**
   * Whether to load in bulk: the file's rows estimated from the share of it read so far, weighed against the
   * residents already stored (counted only up to what would make bulk not worth it).
   */
  private async worthBulk(batchRows: number): Promise<boolean> {
    const min = this.o.bulkMinRows ?? BULK_MIN_ROWS;
    const readShare = this.bytesTotal > 0 ? Math.min(1, this.position.bytes / this.bytesTotal) : 1;
    // Rows read but still in preparation are part of the share read.
    let ahead = this.unprepared.length;
    for (const p of this.preparing) ahead += p.rows.length;
    const estimated = (this.counts.rowsRead + batchRows + ahead) / Math.max(readShare, 1e-6);
    if (estimated < min) return false;
    const limit = Math.ceil(estimated / BULK_MIN_SHARE);
    return (await repo.countResidentsUpTo(this.q, limit + 1)) <= limit;
  }

  /** A bad row into the error report, its ID and phone numbers masked but for what is wrong with them. */
  private reportRow(source: SourceRow, issues: RowIssue[]): void {
    const keep = this.errorRows.length < MAX_ERROR_ROWS;
    if (!this.o.errorReport && !keep) return;
    const locale = this.o.ctx.locale;
    const columns = this.columns as ColumnMap;
    const masked = maskReportRow(source.cells, columns.index, issues, locale);
    for (const i of keep ? masked.issues : []) {
      if (this.errorRows.length >= MAX_ERROR_ROWS) break;
      this.errorRows.push({
        row: source.rowNo,
        column: i.column ?? columns.label[i.field],
        message: issueText(i, locale),
      });
    }
    if (!this.o.errorReport) return;
    this.report ??= ErrorReportWriter.open(this.o.errorReport(), this.headerCells, locale);
    this.report.add(source.rowNo, masked.cells, formatIssues(masked.issues, columns.label, locale));
  }

  /** Writes a good row into the stage (fields in repo.STAGE_COLUMNS order); returns its byte range. */
  private writeStageRow(
    w: StageWriter,
    rowNo: number,
    r: GoodRow,
    person: PersonColumns,
    hhKey: string | null,
    houseId: number | null = null,
    householdId: number | null = null,
  ): [number, number] {
    const start = w.beginRow(repo.STAGE_COLUMNS.length);
    w.int4(rowNo);
    w.int8(r.node.countyId);
    w.int8(r.node.id);
    w.text(r.node.path);
    w.text(r.roomNo);
    w.text(hhKey);
    w.text(r.householdNo);
    w.text(r.relation);
    w.bool(r.relation === 'head');
    writePerson(w, r, person);
    w.int8Array(r.tagIds);
    w.int8(houseId);
    w.int8(householdId);
    return [start, w.length];
  }
}
