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
  /**
   * Receives PostgreSQL notifications (`NOTIFY channel, 'payload'`, sent by any connection and by other
   * instances on the same database, after their transaction commits). PostgreSQL: one dedicated connection per
   * `Db`, reconnected after a loss; PGlite: its own `listen`. Resolves to the unsubscribe function.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

const CHANNEL_RE = /^[a-z_][a-z0-9_]{0,62}$/;

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// bigint ids stay below 2^53 for any realistic region, so numbers are safe and match the API's JSON.
pg.types.setTypeParser(INT8_OID, (v: string) => Number(v));

/** The PGlite behind each `Db` opened by `openPglite`, for `dumpPglite`. */
const pgliteOf = new WeakMap<Db, PGlite>();

/**
 * `loadDataDir`: start from a data directory dumped by `dumpPglite` (the tests' prepared databases) instead of an
 * empty one.
 */
export async function openPglite(dataDir: string | undefined, opts: { loadDataDir?: Blob } = {}): Promise<Db> {
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const lite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    parsers: { [INT8_OID]: (v: string) => Number(v), [NUMERIC_OID]: (v: string) => v },
  });
  const query = async <T>(sql: string, params?: readonly unknown[]) =>
    (await lite.query<T>(sql, params as unknown[] | undefined)).rows;
  // PGlite is one connection: a statement sent outside a transaction waits for it to end.
  const inTransaction = new AsyncLocalStorage<true>();
  const db: Db = {
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
    async listen(channel, onPayload) {
      if (!CHANNEL_RE.test(channel)) throw new Error(`invalid channel ${channel}`);
      const unsubscribe = await lite.listen(channel, onPayload);
      return async () => {
        await unsubscribe();
      };
    },
    async close() {
      await lite.close();
    },
  };
  pgliteOf.set(db, lite);
  return db;
}

/** A PGlite database's data directory as an uncompressed tarball, for `openPglite(…, { loadDataDir })`. */
export async function dumpPglite(db: Db): Promise<Blob> {
  const lite = pgliteOf.get(db);
  if (!lite) throw new Error('dumpPglite: not a database opened by openPglite');
  return lite.dumpDataDir('none');
}

export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Requests see their own errors.
  });
  const client = await pool.connect();
  client.release();
  const listener = createListener(url);
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
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * LISTEN needs a connection of its own that stays open (a pooled one would be handed to other queries). It is
 * opened at the first `listen` and, when lost, reopened after a second with every channel listened to again.
 */
function createListener(url: string) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closed = false;

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    c.on('error', () => {
      // Reported by 'end' below, which reconnects.
    });
    c.on('end', () => {
      if (client !== c) return;
      client = null;
      connecting = null;
      if (!closed && handlers.size > 0) setTimeout(() => void ensure().catch(() => undefined), 1000).unref();
    });
    await c.connect();
    for (const ch of handlers.keys()) await c.query(`LISTEN ${ch}`);
    client = c;
    return c;
  };
  const ensure = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= connect().catch((err) => {
      connecting = null;
      if (!closed) setTimeout(() => void ensure().catch(() => undefined), 1000).unref();
      throw err;
    });
    return connecting;
  };

  return {
    async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
      if (!CHANNEL_RE.test(channel)) throw new Error(`invalid channel ${channel}`);
      let set = handlers.get(channel);
      const isNew = !set;
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(onPayload);
      const c = await ensure();
      if (isNew && client === c) await c.query(`LISTEN ${channel}`);
      return async () => {
        set.delete(onPayload);
        if (set.size > 0 || handlers.get(channel) !== set) return;
        handlers.delete(channel);
        await client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      };
    },
    async close(): Promise<void> {
      closed = true;
      const c = client;
      client = null;
      handlers.clear();
      await c?.end().catch(() => undefined);
    },
  };
}

export async function openDb(cfg: { databaseUrl: string | undefined; pgliteDir: string }): Promise<Db> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl) : openPglite(cfg.pgliteDir);
}
