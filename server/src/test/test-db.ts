import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { type Db, openPglite, openPostgres } from '../platform/db/client.js';
import { migrate } from '../platform/db/migrate.js';

export type TestDbKind = 'pglite' | 'postgres';

/** The system administrator `admin`'s password in the tests' databases. */
export const ADMIN_PASSWORD = 'Admin@12345';

/** PGlite always; PostgreSQL too when DATABASE_URL is set (CI sets it). */
export function testDbKinds(): TestDbKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** What a stage of the prepared databases holds: migrations only, or the demo region and accounts too. */
export type TestDbStage = 'migrated' | 'demo';

/**
 * The databases prepared once per run by the integration tests' global setup (./int-global-setup.ts), passed to
 * the test processes in LINLI_TEST_TEMPLATES: a PGlite data directory dumped to a file and a PostgreSQL template
 * database per stage, the PII key the demo accounts were sealed with, and the demo's node ids. Copying one takes a
 * fraction of a second; migrating and loading the demo anew took 3 s (PostgreSQL) to 9 s (PGlite) per suite.
 */
export type TestTemplates = {
  pglite: Record<TestDbStage, string>;
  postgres: Record<TestDbStage, string> | null;
  piiKey: string;
  ids: Record<string, number>;
};

export const TEMPLATES_ENV = 'LINLI_TEST_TEMPLATES';

export function testTemplates(): TestTemplates | null {
  const raw = process.env[TEMPLATES_ENV];
  return raw ? (JSON.parse(raw) as TestTemplates) : null;
}

async function newPostgresDb(template: string | null): Promise<{ db: Db; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  const name = `linli_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), { max: 5 });
  return {
    db,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * A fresh, migrated database: an in-memory PGlite, or a new database on the PostgreSQL server named
 * by DATABASE_URL, dropped again by `drop()`. Copied from the run's prepared databases when there are some
 * (`stage` 'demo': with the demo region and accounts too); otherwise migrated here.
 */
export async function createTestDb(
  kind: TestDbKind,
  stage: TestDbStage = 'migrated',
): Promise<{ db: Db; drop: () => Promise<void> }> {
  const templates = testTemplates();
  if (kind === 'pglite') {
    if (templates) {
      const tarball = new Blob([await fs.promises.readFile(templates.pglite[stage])]);
      const db = await openPglite(undefined, { loadDataDir: tarball });
      return { db, drop: () => db.close() };
    }
    if (stage !== 'migrated') throw new Error(`no prepared ${stage} database: run under the integration project`);
    const db = await openPglite(undefined);
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  if (templates?.postgres) return newPostgresDb(templates.postgres[stage]);
  if (stage !== 'migrated') throw new Error(`no prepared ${stage} database: run under the integration project`);
  const made = await newPostgresDb(null);
  await migrate(made.db);
  return made;
}
