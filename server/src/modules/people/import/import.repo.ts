/**
 * SQL of the residents import: the `imports` records, the look-ups a file is checked against, and the
 * set-based load — rows COPYed into a temporary stage, then houses, households, residents and tags written
 * from it in a handful of statements inside the import's one transaction.
 */
import type { Queryable, Tx } from '../../../platform/db/client.js';
import { AppError } from '../../../platform/errors/errors.js';

export type ImportStatus = 'running' | 'validated' | 'committed' | 'failed';

export type ImportRow = {
  id: number;
  county_id: number | null;
  file_name: string;
  status: ImportStatus;
  committed: boolean;
  created_by: number | null;
  /** The area the import was made for ('/' everywhere); null for imports older than migration 008. */
  scope_paths: string[] | null;
  rows_read: number;
  rows_valid: number;
  rows_invalid: number;
  rows_inserted: number;
  rows_updated: number;
  rows_review: number;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
};

export type ImportCounts = {
  rowsRead: number;
  rowsValid: number;
  rowsInvalid: number;
  rowsInserted: number;
  rowsUpdated: number;
  /** Rows that became move-in requests (people registered outside the importer's area); commits only. */
  rowsReview: number;
};

/** The counts of an import before its first row. */
export const ZERO_COUNTS: Readonly<ImportCounts> = {
  rowsRead: 0,
  rowsValid: 0,
  rowsInvalid: 0,
  rowsInserted: 0,
  rowsUpdated: 0,
  rowsReview: 0,
};

const COLS = `id, county_id, file_name, status, committed, created_by, scope_paths, rows_read, rows_valid, rows_invalid,
  rows_inserted, rows_updated, rows_review, error, created_at, finished_at`;

export async function insertImport(
  q: Queryable,
  i: { countyId: number | null; fileName: string; createdBy: number | null; scopePaths: string[] },
): Promise<ImportRow> {
  const rows = await q.query<ImportRow>(
    `INSERT INTO imports (county_id, kind, file_name, status, created_by, scope_paths)
     VALUES ($1, 'residents', $2, 'running', $3, $4) RETURNING ${COLS}`,
    [i.countyId, i.fileName, i.createdBy, i.scopePaths],
  );
  return rows[0]!;
}

export async function findImport(q: Queryable, id: number): Promise<ImportRow | undefined> {
  const rows = await q.query<ImportRow>(`SELECT ${COLS} FROM imports WHERE id = $1`, [id]);
  return rows[0];
}

export async function listImportsOf(q: Queryable, userId: number | null, limit: number): Promise<ImportRow[]> {
  return q.query<ImportRow>(
    `SELECT ${COLS} FROM imports WHERE created_by IS NOT DISTINCT FROM $1 ORDER BY id DESC LIMIT $2`,
    [userId, limit],
  );
}

export async function updateProgress(q: Queryable, id: number, c: ImportCounts): Promise<void> {
  await q.query(
    `UPDATE imports SET rows_read = $2, rows_valid = $3, rows_invalid = $4, rows_inserted = $5, rows_updated = $6,
            rows_review = $7, heartbeat_at = now()
      WHERE id = $1 AND status = 'running'`,
    [id, c.rowsRead, c.rowsValid, c.rowsInvalid, c.rowsInserted, c.rowsUpdated, c.rowsReview],
  );
}

/** Ends a run: its status, counts and error (null clears an earlier one). */
export async function finishImport(
  q: Queryable,
  id: number,
  f: { status: ImportStatus; counts: ImportCounts; error: string | null },
): Promise<void> {
  await q.query(
    `UPDATE imports SET status = $2, committed = ($2 = 'committed'), rows_read = $3, rows_valid = $4,
       rows_invalid = $5, rows_inserted = $6, rows_updated = $7, error = $8, rows_review = $9, finished_at = now()
     WHERE id = $1`,
    [
      id,
      f.status,
      f.counts.rowsRead,
      f.counts.rowsValid,
      f.counts.rowsInvalid,
      f.counts.rowsInserted,
      f.counts.rowsUpdated,
      f.error,
      f.counts.rowsReview,
    ],
  );
}

export async function failImport(q: Queryable, id: number, error: string): Promise<void> {
  await q.query(`UPDATE imports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [id, error]);
}

/** Moves a validated import to running, so that two commits of one import cannot both start. */
export async function claimForCommit(q: Queryable, id: number): Promise<boolean> {
  const rows = await q.query(
    `UPDATE imports SET status = 'running', error = NULL, finished_at = NULL, heartbeat_at = now()
      WHERE id = $1 AND status = 'validated' RETURNING id`,
    [id],
  );
  return rows.length > 0;
}

/**
 * Puts an import that a stop cut short (failed, IMPORT_INTERRUPTED) back to running, for its pass to run again
 * from the kept upload; false when it is not such an import (any more).
 */
export async function claimRerun(q: Queryable, id: number): Promise<boolean> {
  const rows = await q.query(
    `UPDATE imports SET status = 'running', error = NULL, finished_at = NULL, heartbeat_at = now()
      WHERE id = $1 AND status = 'failed' AND error LIKE '{"code":"IMPORT_INTERRUPTED"%' RETURNING id`,
    [id],
  );
  return rows.length > 0;
}

/**
 * Marks failed the imports still `running` whose last sign of life is older than `staleBefore` (null: all of
 * them), except `live` (this process's own); returns their ids.
 */
export async function failInterrupted(
  q: Queryable,
  p: { staleBefore: Date | null; live: number[]; error: string },
): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `UPDATE imports SET status = 'failed', error = $3, finished_at = now()
      WHERE status = 'running' AND ($1::timestamptz IS NULL OR heartbeat_at < $1) AND NOT (id = ANY($2::bigint[]))
      RETURNING id`,
    [p.staleBefore, p.live, p.error],
  );
  return rows.map((r) => r.id);
}

/** Marks failed validated imports (their uploaded file is gone); returns those it changed. */
export async function expireValidated(q: Queryable, ids: number[], error: string): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<{ id: number }>(
    `UPDATE imports SET status = 'failed', error = $2, finished_at = now()
      WHERE id = ANY($1::bigint[]) AND status = 'validated' RETURNING id`,
    [ids, error],
  );
  return rows.map((r) => r.id);
}

export async function hasResidents(q: Queryable): Promise<boolean> {
  return (await q.query('SELECT 1 FROM residents LIMIT 1')).length > 0;
}

/** Where the residents with these ID hashes (hex) are registered now. */
export async function findResidentPaths(
  q: Queryable,
  hashesHex: string[],
): Promise<{ h: string; path: string; id: number; county_id: number }[]> {
  if (hashesHex.length === 0) return [];
  return q.query<{ h: string; path: string; id: number; county_id: number }>(
    `SELECT encode(id_hash, 'hex') AS h, node_path AS path, id, county_id FROM residents
      WHERE id_hash = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest($1::text[]) AS x))`,
    [hashesHex],
  );
}

// ---- The load ------------------------------------------------------------------------------------------

/** A person's own facts, in the order import.direct.ts's writePerson writes them (stage and direct rows alike). */
export const PERSON_COLUMNS = [
  'name',
  'name_pinyin',
  'name_initials',
  'id_sealed',
  'id_hash',
  'id_masked',
  'sex',
  'birth_date',
  'ethnicity',
  'phone_sealed',
  'phone_hash',
  'phone_masked',
  'hukou_address',
  'current_address',
  'moved_in_on',
] as const;

/** Columns of the stage, in the order the runner writes them (binary COPY, see import.stage.ts). */
export const STAGE_COLUMNS = [
  'row_no',
  'county_id',
  'node_id',
  'node_path',
  'room_no',
  'hh_key',
  'household_no',
  'relation',
  'is_head',
  ...PERSON_COLUMNS,
  'tag_ids',
  // Bulk loads only: the house and household the runner resolved (null otherwise).
  'house_id',
  'household_id',
] as const;

export const STAGE_COPY = `COPY import_stage (${STAGE_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT binary)`;

/** One import commits at a time: the set-based steps below look for houses and households they then create. */
export async function lockImports(tx: Tx): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('linli.people.import'))`);
}

/**
 * The temporary tables of a load, dropped at commit: the stage (one batch at a time); the houses and
 * households the import has resolved so far (so a household spread over two batches stays one); the heads of
 * household and hand-set tags of the file, applied once at the end; and the households that already carry a
 * 户号 in the counties imported into (read once: households has no index on the number).
 */
export async function startLoad(tx: Tx, countyIds: number[] | null): Promise<void> {
  // A batch of the stage is ~15 MB; the default 8 MB of buffers for temporary tables would spill it to disk.
  // PostgreSQL refuses the change once the session (a pooled connection, or PGlite's one) has used temporary tables,
  // as the metrics refresh does: then the load keeps the buffers it has rather than fail.
  await tx.exec(`
    DO $$ BEGIN
      PERFORM set_config('temp_buffers', '64MB', true);
    EXCEPTION WHEN invalid_parameter_value OR cant_change_runtime_param THEN NULL;
    END $$`);
  await tx.exec(`
    CREATE TEMP TABLE import_stage (
      row_no integer NOT NULL,
      county_id bigint NOT NULL,
      node_id bigint NOT NULL,
      node_path text NOT NULL,
      room_no text,
      hh_key text,
      household_no text,
      relation text,
      is_head boolean NOT NULL,
      name text NOT NULL,
      name_pinyin text NOT NULL,
      name_initials text NOT NULL,
      id_sealed bytea NOT NULL,
      id_hash bytea NOT NULL,
      id_masked text NOT NULL,
      sex text NOT NULL,
      birth_date date NOT NULL,
      ethnicity text,
      phone_sealed bytea,
      phone_hash bytea,
      phone_masked text,
      hukou_address text,
      current_address text,
      moved_in_on date,
      tag_ids bigint[],
      house_id bigint,
      household_id bigint
    ) ON COMMIT DROP;
    CREATE TEMP TABLE import_house (
      node_id bigint NOT NULL,
      room_no text NOT NULL,
      house_id bigint NOT NULL,
      is_new boolean NOT NULL,
      PRIMARY KEY (node_id, room_no)
    ) ON COMMIT DROP;
    CREATE TEMP TABLE import_hh (hh_key text PRIMARY KEY, household_id bigint NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE import_hh_new (
      hh_key text NOT NULL,
      household_id bigint NOT NULL,
      county_id bigint NOT NULL,
      house_id bigint,
      node_id bigint NOT NULL,
      node_path text NOT NULL,
      household_no text
    ) ON COMMIT DROP;
    CREATE TEMP TABLE import_heads (id_hash bytea NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE import_tags (id_hash bytea NOT NULL, tag_id bigint NOT NULL) ON COMMIT DROP;`);
  await tx.query(
    `CREATE TEMP TABLE import_known_hh ON COMMIT DROP AS
     SELECT county_id, household_no, min(id) AS id FROM households
      WHERE household_no IS NOT NULL AND dissolved_at IS NULL
        AND ($1::bigint[] IS NULL OR county_id = ANY($1::bigint[]))
      GROUP BY county_id, household_no`,
    [countyIds],
  );
  await tx.exec(`CREATE INDEX ON import_known_hh (household_no, county_id); ANALYZE import_known_hh`);
}

/**
 * What an import changes of a resident already stored (`r`), from the row `x` (EXCLUDED in an upsert, the stage
 * row in an update): blank optional cells keep what is stored; the sealed ID is kept.
 */
const assignments = (x: string, importId: string) => `
         county_id = ${x}.county_id,
         node_id = ${x}.node_id,
         node_path = ${x}.node_path,
         house_id = CASE WHEN ${x}.house_id IS NOT NULL OR ${x}.node_id <> r.node_id
                         THEN ${x}.house_id ELSE r.house_id END,
         household_id = CASE WHEN ${x}.household_id IS NOT NULL OR ${x}.node_id <> r.node_id
                             THEN ${x}.household_id ELSE r.household_id END,
         relation = COALESCE(${x}.relation, r.relation),
         name = ${x}.name,
         name_pinyin = ${x}.name_pinyin,
         name_initials = ${x}.name_initials,
         id_masked = ${x}.id_masked,
         sex = ${x}.sex,
         birth_date = ${x}.birth_date,
         ethnicity = COALESCE(${x}.ethnicity, r.ethnicity),
         phone_sealed = CASE WHEN ${x}.phone_hash IS NULL OR ${x}.phone_hash = r.phone_hash
                             THEN r.phone_sealed ELSE ${x}.phone_sealed END,
         phone_hash = COALESCE(${x}.phone_hash, r.phone_hash),
         phone_masked = COALESCE(${x}.phone_masked, r.phone_masked),
         hukou_address = COALESCE(${x}.hukou_address, r.hukou_address),
         current_address = COALESCE(${x}.current_address, r.current_address),
         moved_in_on = COALESCE(${x}.moved_in_on, r.moved_in_on),
         import_id = ${importId},
         updated_at = now()`;

const UPSERT_SET = `ON CONFLICT (id_hash) DO UPDATE SET ${assignments('EXCLUDED', 'EXCLUDED.import_id')}`;

export type BatchResult = { inserted: number; updated: number; houses: number; households: number };

// The look-ups below are written as LATERAL subqueries fenced with OFFSET 0, one index probe per new key:
// without statistics on the temporary tables, the planner would otherwise happily hash whole tables of houses
// or households for every batch, or turn min(id) into a walk along the primary key.

/**
 * Loads one batch (binary COPY data, fields in STAGE_COLUMNS order): houses that are missing, households that are
 * missing (by 户号 within the county, else the house's) with their heads, and every resident upserted by ID hash
 * (an existing person's facts are updated, their sealed ID kept; blank optional cells keep what is stored).
 * Heads of households that already existed, and hand-set tags, are collected for finishLoad.
 */
export async function loadBatch(
  tx: Tx,
  data: Buffer,
  p: { importId: number; rows: number; scopeCondition: string },
): Promise<BatchResult> {
  await tx.exec('TRUNCATE import_stage');
  await tx.copyFrom(STAGE_COPY, data);
  const houses = await tx.query<{ n: number }>(`
    WITH g AS (
      SELECT g.*, h.id AS existing
        FROM (SELECT node_id, room_no, min(county_id) AS county_id, min(node_path) AS node_path
                FROM import_stage s
               WHERE room_no IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM import_house x WHERE x.node_id = s.node_id AND x.room_no = s.room_no)
               GROUP BY node_id, room_no) g
        LEFT JOIN LATERAL (SELECT h.id FROM houses h WHERE h.node_id = g.node_id AND h.room_no = g.room_no OFFSET 0) h
               ON true),
    m AS (
      INSERT INTO import_house (node_id, room_no, house_id, is_new)
      SELECT node_id, room_no, COALESCE(existing, nextval(pg_get_serial_sequence('houses', 'id'))), existing IS NULL
        FROM g
      RETURNING node_id, room_no, house_id, is_new),
    ins AS (
      INSERT INTO houses (id, county_id, node_id, node_path, room_no)
      SELECT m.house_id, g.county_id, g.node_id, g.node_path, g.room_no
        FROM m JOIN g ON g.node_id = m.node_id AND g.room_no = m.room_no
       WHERE m.is_new
      RETURNING 1)
    SELECT count(*)::int AS n FROM ins`);
  // Households new to this batch are only listed here; they are inserted together with their members below.
  await tx.exec(`
    TRUNCATE import_hh_new;
    WITH k AS (
      SELECT DISTINCT ON (hh_key) hh_key, county_id, node_id, node_path, household_no, room_no
        FROM import_stage s
       WHERE hh_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM import_hh x WHERE x.hh_key = s.hh_key)
       ORDER BY hh_key, is_head DESC, row_no),
    r AS (
      SELECT k.*, ih.house_id, COALESCE(xn.id, xh.id) AS existing
        FROM k
        LEFT JOIN import_house ih ON ih.node_id = k.node_id AND ih.room_no = k.room_no
        LEFT JOIN LATERAL (SELECT x.id FROM import_known_hh x
                            WHERE k.household_no IS NOT NULL AND x.household_no = k.household_no
                              AND x.county_id = k.county_id OFFSET 0) xn ON true
        LEFT JOIN LATERAL (SELECT min(x.id) AS id
                             FROM (SELECT x.id FROM households x
                                    WHERE k.household_no IS NULL AND NOT ih.is_new AND x.house_id = ih.house_id
                                      AND x.dissolved_at IS NULL OFFSET 0) x) xh ON true),
    m AS (
      INSERT INTO import_hh (hh_key, household_id)
      SELECT hh_key, COALESCE(existing, nextval(pg_get_serial_sequence('households', 'id'))) FROM r
      RETURNING hh_key, household_id)
    INSERT INTO import_hh_new (hh_key, household_id, county_id, house_id, node_id, node_path, household_no)
    SELECT m.hh_key, m.household_id, r.county_id, r.house_id, r.node_id, r.node_path, r.household_no
      FROM m JOIN r ON r.hh_key = m.hh_key
     WHERE r.existing IS NULL`);
  // One statement, so that the foreign keys between residents and their new households (each way: member →
  // household, household → head) are checked at its end, when both exist: a new household gets its head as it
  // is inserted, instead of an UPDATE of every household afterwards.
  const counts = await tx.query<{ inserted: number; updated: number; households: number }>(
    `WITH up AS (
       INSERT INTO residents AS r (county_id, node_id, node_path, house_id, household_id, relation, name, name_pinyin,
         name_initials, id_sealed, id_hash, id_masked, sex, birth_date, ethnicity, phone_sealed, phone_hash,
         phone_masked, hukou_address, current_address, moved_in_on, import_id)
       SELECT s.county_id, s.node_id, s.node_path, ih.house_id, hh.household_id, s.relation, s.name, s.name_pinyin,
              s.name_initials, s.id_sealed, s.id_hash, s.id_masked, s.sex, s.birth_date, s.ethnicity, s.phone_sealed,
              s.phone_hash, s.phone_masked, s.hukou_address, s.current_address, s.moved_in_on, $1
         FROM import_stage s
         LEFT JOIN import_house ih ON ih.node_id = s.node_id AND ih.room_no = s.room_no
         LEFT JOIN import_hh hh ON hh.hh_key = s.hh_key
        ORDER BY s.row_no
       ${UPSERT_SET}
       WHERE ${p.scopeCondition}
       RETURNING r.id, r.id_hash, r.household_id, (xmax = 0) AS inserted),
     heads AS (
       SELECT DISTINCT ON (up.household_id) up.household_id, up.id
         FROM up JOIN import_stage s ON s.id_hash = up.id_hash
        WHERE s.is_head AND up.household_id IS NOT NULL
        ORDER BY up.household_id, s.row_no),
     hh AS (
       INSERT INTO households (id, county_id, house_id, node_id, node_path, household_no, head_resident_id)
       SELECT n.household_id, n.county_id, n.house_id, n.node_id, n.node_path, n.household_no, heads.id
         FROM import_hh_new n LEFT JOIN heads ON heads.household_id = n.household_id
       RETURNING 1)
     SELECT (SELECT count(*) FROM up WHERE inserted)::int AS inserted,
            (SELECT count(*) FROM up WHERE NOT inserted)::int AS updated,
            (SELECT count(*) FROM hh)::int AS households`,
    [p.importId],
  );
  // Heads of households that existed before this batch are set at the end.
  await tx.exec(`
    INSERT INTO import_heads (id_hash)
    SELECT s.id_hash FROM import_stage s
     WHERE s.is_head AND s.hh_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM import_hh_new n WHERE n.hh_key = s.hh_key);
    INSERT INTO import_tags (id_hash, tag_id)
    SELECT s.id_hash, t.tag_id FROM import_stage s CROSS JOIN LATERAL unnest(s.tag_ids) AS t(tag_id)
     WHERE s.tag_ids IS NOT NULL;`);
  const c = counts[0]!;
  // The file was checked against the database batch by batch; a person registered outside the importer's
  // area in the meantime is not moved (the WHERE above) and the import stops rather than skip them silently.
  if (c.inserted + c.updated !== p.rows) throw new AppError('IMPORT_CHANGED_DURING');
  return { inserted: c.inserted, updated: c.updated, houses: houses[0]!.n, households: c.households };
}

// ---- Bulk loads ---------------------------------------------------------------------------------------

/** The tables a load writes; a bulk load holds them exclusively and drops their upkeep while it runs. */
const BULK_TABLES = ['houses', 'households', 'residents', 'resident_tags'] as const;
/** Tables whose secondary (non-unique) indexes a bulk load builds afresh at its end. */
const BULK_REINDEXED = ['residents', 'resident_tags'] as const;

/** What a bulk load dropped, to be put back as it was, read from the catalogue (not repeated from migrations). */
export type BulkState = {
  indexes: { name: string; def: string }[];
  foreignKeys: { table: string; name: string; def: string }[];
  /** Memory for the index sorts at the end (maintenance_work_mem). */
  sortMemoryMb: number;
};

/**
 * Memory a bulk load's statements may take: on PostgreSQL enough to join, count and sort a million rows
 * without temporary files; PGlite works inside this process's memory, which never shrinks again, so it keeps
 * its defaults there.
 */
function bulkMemory(kind: 'pglite' | 'postgres'): { hashMb: number; sortMb: number } {
  return kind === 'postgres' ? { hashMb: 128, sortMb: 256 } : { hashMb: 4, sortMb: 64 };
}

/**
 * Counts residents up to `limit` (reading at most that many rows), to weigh an import against the table it
 * goes into without counting a table of tens of millions.
 */
export async function countResidentsUpTo(q: Queryable, limit: number): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM residents LIMIT $1) t', [
    limit,
  ]);
  return rows[0]!.n;
}

/**
 * Starts a bulk load: takes the people tables exclusively (readers wait until the import commits), drops the
 * secondary indexes of residents and resident_tags and the foreign keys of the people tables. The primary
 * keys and unique indexes stay: the upsert by ID hash and every look-up of the load use them. Each row then
 * costs a heap insert and two index entries instead of nine index entries and five foreign-key probes; the
 * indexes are built by sorting once at the end and the keys checked by one join each (endBulk). All of it is
 * DDL inside the import's transaction: a failure or rollback leaves the tables exactly as they were.
 */
export async function beginBulk(tx: Tx, kind: 'pglite' | 'postgres'): Promise<BulkState> {
  await tx.exec(`LOCK TABLE ${BULK_TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`);
  // The statements after the load (derived tags, the foreign keys' checks) join and count whole tables:
  // in memory rather than in batches spilled to temporary files.
  const memory = bulkMemory(kind);
  await tx.exec(`SET LOCAL work_mem = '${memory.hashMb}MB'`);
  const indexes = await tx.query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
      ORDER BY c.relname`,
    [[...BULK_REINDEXED]],
  );
  const foreignKeys = await tx.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::regclass[])
      ORDER BY conrelid::regclass::text, conname`,
    [[...BULK_TABLES]],
  );
  for (const fk of foreignKeys) await tx.exec(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${quoteIdent(fk.name)}`);
  if (indexes.length > 0) await tx.exec(`DROP INDEX ${indexes.map((i) => quoteIdent(i.name)).join(', ')}`);
  return { indexes, foreignKeys, sortMemoryMb: memory.sortMb };
}

/**
 * Ends a bulk load: builds the dropped indexes (one sort each), adds the foreign keys back (each validated by
 * one join over the table: a row that breaks one fails the import), and refreshes the planner's statistics.
 */
export async function endBulk(tx: Tx, s: BulkState): Promise<{ indexesMs: number; foreignKeysMs: number }> {
  const t0 = performance.now();
  await tx.exec(`SET LOCAL maintenance_work_mem = '${s.sortMemoryMb}MB'`);
  for (const i of s.indexes) await tx.exec(i.def);
  const t1 = performance.now();
  for (const fk of s.foreignKeys) {
    await tx.exec(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.def}`);
  }
  const t2 = performance.now();
  await tx.exec(`ANALYZE ${BULK_TABLES.join(', ')}`);
  return { indexesMs: t1 - t0, foreignKeysMs: t2 - t1 };
}

/**
 * Refreshes the planner's statistics of the people tables after a load that changed many rows the batch way
 * (a bulk load does it in endBulk). Inside the import's transaction: the new statistics count once it commits.
 * PGlite has no autovacuum to do it later; on PostgreSQL it spares the plans of the next minutes.
 */
export async function analyzePeople(tx: Tx): Promise<void> {
  await tx.exec(`ANALYZE ${BULK_TABLES.join(', ')}`);
}

export type IdTable = 'houses' | 'households' | 'residents';

/**
 * Reserves `n` consecutive ids of a table's sequence; returns the last. Only while the table is held
 * exclusively (beginBulk): nothing else then draws from the sequence between the two calls.
 */
export async function reserveIds(tx: Tx, table: IdTable, n: number): Promise<number> {
  const rows = await tx.query<{ last: number }>(
    `SELECT setval(s, nextval(s) + $2 - 1) AS last FROM pg_get_serial_sequence($1, 'id') AS s`,
    [table, n],
  );
  return Number(rows[0]!.last);
}

/** Gives back the reserved ids from `next` to `last` when they are still the sequence's latest. */
export async function releaseIds(tx: Tx, table: IdTable, next: number, last: number): Promise<void> {
  await tx.query(
    `SELECT setval(s, $2, false) FROM pg_get_serial_sequence($1, 'id') AS s
      WHERE pg_sequence_last_value(s::regclass) = $3`,
    [table, next, last],
  );
}

export type ExistingPlaces = {
  houses: { id: number; node_id: number; room_no: string }[];
  byNumber: { id: number; county_id: number; household_no: string }[];
  byHouse: { id: number; house_id: number }[];
};

/**
 * The houses and living households of the counties imported into (null: all), as a bulk load resolves rows
 * against them: houses by node and room; households by 户号 within the county, and the first of each house.
 * After startLoad (its import_known_hh holds the numbered households).
 */
export async function existingPlaces(tx: Tx, countyIds: number[] | null): Promise<ExistingPlaces> {
  const inCounties = '($1::bigint[] IS NULL OR county_id = ANY($1::bigint[]))';
  const houses = await tx.query<ExistingPlaces['houses'][number]>(
    `SELECT id, node_id, room_no FROM houses WHERE ${inCounties}`,
    [countyIds],
  );
  // Read by startLoad already, for the set-based statements.
  const byNumber = await tx.query<ExistingPlaces['byNumber'][number]>(
    'SELECT county_id, household_no, id FROM import_known_hh',
  );
  const byHouse = await tx.query<ExistingPlaces['byHouse'][number]>(
    `SELECT house_id, min(id) AS id FROM households
      WHERE house_id IS NOT NULL AND dissolved_at IS NULL AND ${inCounties}
      GROUP BY house_id`,
    [countyIds],
  );
  return { houses, byNumber, byHouse };
}

/** Columns of a new resident written directly by a bulk load, in the order import.direct.ts writes them. */
export const DIRECT_RESIDENT_COLUMNS = [
  'id',
  'county_id',
  'node_id',
  'node_path',
  'house_id',
  'household_id',
  'relation',
  ...PERSON_COLUMNS,
  'import_id',
] as const;

/** A bulk batch's rows (binary COPY data for each table; a table with no rows is skipped). */
export type DirectData = { houses: Buffer; households: Buffer; residents: Buffer; tags: Buffer };

const EMPTY_COPY_BYTES = 21; // signature, flags, header extension and trailer: no rows

/**
 * Writes a bulk batch: new houses, households, residents and their hand-set tags by COPY; then residents
 * already stored (the stage, if any rows) upserted with the house and household the runner resolved.
 */
export async function loadDirect(
  tx: Tx,
  d: DirectData,
  existing: { data: Buffer; rows: number; scopeCondition: string; importId: number } | null,
): Promise<{ updated: number; inserted: number }> {
  const copy = async (table: string, cols: readonly string[], data: Buffer) => {
    if (data.length > EMPTY_COPY_BYTES)
      await tx.copyFrom(`COPY ${table} (${cols.join(', ')}) FROM STDIN WITH (FORMAT binary)`, data);
  };
  await copy('houses', ['id', 'county_id', 'node_id', 'node_path', 'room_no'], d.houses);
  await copy(
    'households',
    ['id', 'county_id', 'house_id', 'node_id', 'node_path', 'household_no', 'head_resident_id'],
    d.households,
  );
  await copy('residents', DIRECT_RESIDENT_COLUMNS, d.residents);
  await copy('resident_tags', ['resident_id', 'tag_id', 'county_id', 'node_path', 'source', 'created_by'], d.tags);
  if (!existing) return { inserted: 0, updated: 0 };
  await tx.exec('TRUNCATE import_stage');
  await tx.copyFrom(STAGE_COPY, existing.data);
  // Everyone in the stage is stored already (the runner looked them up under the bulk load's lock): an update
  // by ID hash, which, unlike an upsert, draws no ids from the sequence.
  const updated = await tx.query(
    `UPDATE residents r SET ${assignments('s', '$1')}
       FROM import_stage s WHERE r.id_hash = s.id_hash AND ${existing.scopeCondition}
     RETURNING 1`,
    [existing.importId],
  );
  await tx.exec(`
    INSERT INTO import_heads (id_hash) SELECT s.id_hash FROM import_stage s WHERE s.is_head AND s.hh_key IS NOT NULL;
    INSERT INTO import_tags (id_hash, tag_id)
    SELECT s.id_hash, t.tag_id FROM import_stage s CROSS JOIN LATERAL unnest(s.tag_ids) AS t(tag_id)
     WHERE s.tag_ids IS NOT NULL;`);
  if (updated.length !== existing.rows) throw new AppError('IMPORT_CHANGED_DURING');
  return { inserted: 0, updated: updated.length };
}

/**
 * The end of a bulk load's batches: heads of households written before their head's row, and the existing
 * households it added members to (for the derived tags, see AFFECTED_RESIDENTS).
 */
export async function finishDirect(
  tx: Tx,
  p: { lateHeads: [number, number][]; touched: [string, number][] },
): Promise<void> {
  if (p.lateHeads.length > 0) {
    await tx.query(
      `UPDATE households h SET head_resident_id = x.resident_id, updated_at = now()
         FROM unnest($1::bigint[], $2::bigint[]) AS x(household_id, resident_id)
        WHERE h.id = x.household_id AND h.head_resident_id IS DISTINCT FROM x.resident_id`,
      [p.lateHeads.map((x) => x[0]), p.lateHeads.map((x) => x[1])],
    );
  }
  if (p.touched.length > 0) {
    await tx.query(
      `INSERT INTO import_hh (hh_key, household_id) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (hh_key) DO NOTHING`,
      [p.touched.map((x) => x[0]), p.touched.map((x) => x[1])],
    );
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** After the last batch: heads of households that existed before their batch, then the hand-set tags. */
export async function finishLoad(tx: Tx, p: { createdBy: number | null }): Promise<void> {
  await tx.exec('ANALYZE import_heads; ANALYZE import_tags; ANALYZE import_hh');
  await tx.exec(
    `UPDATE households h SET head_resident_id = r.id, updated_at = now()
       FROM import_heads x JOIN residents r ON r.id_hash = x.id_hash
      WHERE h.id = r.household_id AND h.head_resident_id IS DISTINCT FROM r.id`,
  );
  await tx.query(
    `INSERT INTO resident_tags (resident_id, tag_id, county_id, node_path, source, created_by)
     SELECT r.id, x.tag_id, r.county_id, r.node_path, 'import', $1 FROM import_tags x JOIN residents r ON r.id_hash = x.id_hash
     ON CONFLICT (resident_id, tag_id) DO NOTHING`,
    [p.createdBy],
  );
}

/** Residents whose derived tags the import may have changed: its own, and members of households it touched. */
export const AFFECTED_RESIDENTS = '(r.import_id = $1 OR r.household_id IN (SELECT household_id FROM import_hh))';
