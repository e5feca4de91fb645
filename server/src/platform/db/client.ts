import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** What repositories need: run a parameterised statement and get rows back. A transaction is one too. */
export type Queryable = {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
};

export type Tx = Queryable & {
  /** Parameterless, possibly multi-statement SQL. */
  exec(sql: string): Promise<void>;
  /**
   * Bulk load: `copySql` is `COPY table (cols) FROM STDIN WITH (FORMAT csv)`; `data` is the CSV text.
   * Runs inside the transaction (node-postgres: pg-copy-streams; PGlite: COPY from a blob).
   */
  copyFrom(copySql: string, data: string | Buffer): Promise<void>;
};

/** pg-boss's `db` option: any SQL, rows of every statement of a multi-statement text. */
export type SqlResult = { rows: Record<string, unknown>[] };

export type Db = Queryable & {
  readonly kind: 'pglite' | 'postgres';
  /** PostgreSQL's URL (services that keep their own pool, e.g. pg-boss); null on PGlite. */
  readonly connectionString: string | null;
  /**
   * Raw SQL for libraries that bring their own statements (pg-boss): with values, one parameterised
   * statement; without, possibly several (PGlite: `exec`), returning the rows of every statement in order.
   * On PGlite, calling it from inside a `transaction` callback throws (it would wait for that transaction).
   */
  executeSql(text: string, values?: readonly unknown[]): Promise<SqlResult>;
  /** Runs `fn` in one transaction; inside it use only `tx`. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Parameterless, possibly multi-statement SQL (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
};

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// bigint ids stay below 2^53 for any realistic region, so numbers are safe and match the API's JSON.
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));

export async function openPglite(dataDir: string | undefined): Promise<Db> {
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const lite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    parsers: { [INT8_OID]: (v: string) => Number(v), [NUMERIC_OID]: (v: string) => v },
  });
  const query = async <T>(sql: string, params?: readonly unknown[]) =>
    (await lite.query<T>(sql, params as unknown[] | undefined)).rows;
  // PGlite is one connection: a statement sent outside a transaction waits for it to end.
  const inTransaction = new AsyncLocalStorage<true>();
  return {
    kind: 'pglite',
    connectionString: null,
    query,
    async executeSql(text, values) {
      if (inTransaction.getStore())
        throw new Error('executeSql called inside a transaction on PGlite: it would wait for that transaction');
      if (values && values.length > 0) {
        return { rows: (await lite.query<Record<string, unknown>>(text, values as unknown[])).rows };
      }
      try {
        const results = await lite.exec(text);
        return { rows: results.flatMap((r) => r.rows as Record<string, unknown>[]) };
      } catch (err) {
        // A failed multi-statement text that opened its own transaction (BEGIN; …; COMMIT) leaves it open on
        // the one connection: end it, so that the next statement does not run in an aborted transaction.
        await lite.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    async transaction(fn) {
      return lite.transaction(async (tx) =>
        inTransaction.run(true, () =>
          fn({
            query: async <T>(sql: string, params?: readonly unknown[]) =>
              (await tx.query<T>(sql, params as unknown[])).rows,
            exec: async (sql: string) => {
              await tx.exec(sql);
            },
            copyFrom: async (copySql: string, data: string | Buffer) => {
              await tx.query(copySql.replace(/FROM\s+STDIN/i, "FROM '/dev/blob'"), [], { blob: new Blob([data]) });
            },
          }),
        ),
      );
    },
    async exec(sql) {
      await lite.exec(sql);
    },
    async close() {
      await lite.close();
    },
  };
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Requests see their own errors.
  });
  const client = await pool.connect();
  client.release();
  const query = async <T>(sql: string, params?: readonly unknown[]) =>
    (await pool.query(sql, params as unknown[] | undefined)).rows as T[];
  return {
    kind: 'postgres',
    connectionString: url,
    query,
    async executeSql(text, values) {
      const res = (await pool.query(text, values as unknown[] | undefined)) as unknown as
        | pg.QueryResult
        | pg.QueryResult[];
      return { rows: (Array.isArray(res) ? res : [res]).flatMap((r) => r.rows) };
    },
    async transaction(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn({
          query: async <T>(sql: string, params?: readonly unknown[]) =>
            (await c.query(sql, params as unknown[] | undefined)).rows as T[],
          exec: async (sql: string) => {
            await c.query(sql);
          },
          copyFrom: async (copySql: string, data: string | Buffer) => {
            const stream = c.query(copyFrom(copySql));
            await pipeline(Readable.from([typeof data === 'string' ? Buffer.from(data) : data]), stream);
          },
        });
        await c.query('COMMIT');
        return result;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}

export async function openDb(cfg: { databaseUrl: string | undefined; pgliteDir: string }): Promise<Db> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl) : openPglite(cfg.pgliteDir);
}
