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
  rows_read: number;
  rows_valid: number;
  rows_invalid: number;
  rows_inserted: number;
  rows_updated: number;
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
};

const COLS = `id, county_id, file_name, status, committed, created_by, rows_read, rows_valid, rows_invalid,
  rows_inserted, rows_updated, error, created_at, finished_at`;

export async function insertImport(
  q: Queryable,
  i: { countyId: number | null; fileName: string; createdBy: number | null },
): Promise<ImportRow> {
  const rows = await q.query<ImportRow>(
    `INSERT INTO imports (county_id, kind, file_name, status, created_by)
     VALUES ($1, 'residents', $2, 'running', $3) RETURNING ${COLS}`,
    [i.countyId, i.fileName, i.createdBy],
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
    `UPDATE imports SET rows_read = $2, rows_valid = $3, rows_invalid = $4, rows_inserted = $5, rows_updated = $6
      WHERE id = $1 AND status = 'running'`,
    [id, c.rowsRead, c.rowsValid, c.rowsInvalid, c.rowsInserted, c.rowsUpdated],
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
       rows_invalid = $5, rows_inserted = $6, rows_updated = $7, error = $8, finished_at = now()
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
    ],
  );
}

export async function failImport(q: Queryable, id: number, error: string): Promise<void> {
  await q.query(`UPDATE imports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [id, error]);
}

/** Moves a validated import to running, so that two commits of one import cannot both start. */
export async function claimForCommit(q: Queryable, id: number): Promise<boolean> {
  const rows = await q.query(
    `UPDATE imports SET status = 'running', error = NULL, finished_at = NULL
      WHERE id = $1 AND status = 'validated' RETURNING id`,
    [id],
  );
  return rows.length > 0;
}

export async function hasResidents(q: Queryable): Promise<boolean> {
  return (await q.query('SELECT 1 FROM residents LIMIT 1')).length > 0;
}

/** Where the residents with these ID hashes (hex) are registered now. */
export async function findResidentPaths(q: Queryable, hashesHex: string[]): Promise<{ h: string; path: string }[]> {
  if (hashesHex.length === 0) return [];
  return q.query<{ h: string; path: string }>(
    `SELECT encode(id_hash, 'hex') AS h, node_path AS path FROM residents
      WHERE id_hash = ANY(ARRAY(SELECT decode(x, 'hex') FROM unnest($1::text[]) AS x))`,
    [hashesHex],
  );
}

// ---- The load ------------------------------------------------------------------------------------------

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
  'tag_ids',
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
  // (Takes effect only before the session's first temporary table; harmless otherwise.)
  await tx.exec(`SET LOCAL temp_buffers = '64MB'`);
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
      tag_ids bigint[]
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
       ON CONFLICT (id_hash) DO UPDATE SET
         county_id = EXCLUDED.county_id,
         node_id = EXCLUDED.node_id,
         node_path = EXCLUDED.node_path,
         house_id = CASE WHEN EXCLUDED.house_id IS NOT NULL OR EXCLUDED.node_id <> r.node_id
                         THEN EXCLUDED.house_id ELSE r.house_id END,
         household_id = CASE WHEN EXCLUDED.household_id IS NOT NULL OR EXCLUDED.node_id <> r.node_id
                             THEN EXCLUDED.household_id ELSE r.household_id END,
         relation = COALESCE(EXCLUDED.relation, r.relation),
         name = EXCLUDED.name,
         name_pinyin = EXCLUDED.name_pinyin,
         name_initials = EXCLUDED.name_initials,
         id_masked = EXCLUDED.id_masked,
         sex = EXCLUDED.sex,
         birth_date = EXCLUDED.birth_date,
         ethnicity = COALESCE(EXCLUDED.ethnicity, r.ethnicity),
         phone_sealed = CASE WHEN EXCLUDED.phone_hash IS NULL OR EXCLUDED.phone_hash = r.phone_hash
                             THEN r.phone_sealed ELSE EXCLUDED.phone_sealed END,
         phone_hash = COALESCE(EXCLUDED.phone_hash, r.phone_hash),
         phone_masked = COALESCE(EXCLUDED.phone_masked, r.phone_masked),
         hukou_address = COALESCE(EXCLUDED.hukou_address, r.hukou_address),
         current_address = COALESCE(EXCLUDED.current_address, r.current_address),
         moved_in_on = COALESCE(EXCLUDED.moved_in_on, r.moved_in_on),
         import_id = EXCLUDED.import_id,
         updated_at = now()
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

/** After the last batch: heads of households that existed before their batch, then the hand-set tags. */
export async function finishLoad(tx: Tx, p: { createdBy: number | null }): Promise<void> {
  await tx.exec('ANALYZE import_heads; ANALYZE import_tags; ANALYZE import_hh');
  await tx.exec(
    `UPDATE households h SET head_resident_id = r.id, updated_at = now()
       FROM import_heads x JOIN residents r ON r.id_hash = x.id_hash
      WHERE h.id = r.household_id AND h.head_resident_id IS DISTINCT FROM r.id`,
  );
  await tx.query(
    `INSERT INTO resident_tags (resident_id, tag_id, county_id, source, created_by)
     SELECT r.id, x.tag_id, r.county_id, 'import', $1 FROM import_tags x JOIN residents r ON r.id_hash = x.id_hash
     ON CONFLICT (resident_id, tag_id) DO NOTHING`,
    [p.createdBy],
  );
}

/** Residents whose derived tags the import may have changed: its own, and members of households it touched. */
export const AFFECTED_RESIDENTS = '(r.import_id = $1 OR r.household_id IN (SELECT household_id FROM import_hh))';
