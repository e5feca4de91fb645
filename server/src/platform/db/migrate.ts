import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './client.js';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export type Migration = { version: number; name: string; sql: string; checksum: string };

export class MigrationError extends Error {}

/** Numbered files `NNN_name.sql`, in order; a gap or a duplicate number is a mistake worth stopping for. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((file, i) => {
    const m = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) throw new MigrationError(`Migration file name must look like 001_name.sql: ${file}`);
    const version = Number(m[1]);
    if (version !== i + 1) throw new MigrationError(`Migration ${file} is out of sequence (expected ${i + 1})`);
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    return { version, name: m[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so two instances starting
 * together apply each migration once. A landed migration whose file changed stops the start.
 */
export async function migrate(
  db: Db,
  opts: { dir?: string; onApply?: (m: Migration) => void } = {},
): Promise<Migration[]> {
  const migrations = readMigrations(opts.dir);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7405110)');
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = await tx.query<{ version: number; checksum: string; name: string }>(
      'SELECT version, checksum, name FROM schema_migrations ORDER BY version',
    );
    const known = new Map(applied.map((a) => [a.version, a]));
    for (const a of applied) {
      const m = migrations.find((x) => x.version === a.version);
      if (!m) throw new MigrationError(`Database has migration ${a.version} (${a.name}) that this build does not know`);
      if (m.checksum !== a.checksum)
        throw new MigrationError(`Migration ${a.version} (${a.name}) was edited after it was applied`);
    }
    const done: Migration[] = [];
    for (const m of migrations) {
      if (known.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      opts.onApply?.(m);
      done.push(m);
    }
    return done;
  });
}
