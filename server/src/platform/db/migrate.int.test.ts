import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds } from '../../test/test-db.js';
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from './migrate.js';

describe('readMigrations', () => {
  it('reads numbered files in order without gaps', () => {
    const ms = readMigrations();
    expect(ms.length).toBeGreaterThan(0);
    expect(ms.map((m) => m.version)).toEqual(ms.map((_, i) => i + 1));
  });

  it('refuses a gap in the numbering', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-mig-'));
    fs.writeFileSync(path.join(dir, '001_a.sql'), 'SELECT 1;');
    fs.writeFileSync(path.join(dir, '003_c.sql'), 'SELECT 1;');
    expect(() => readMigrations(dir)).toThrow(MigrationError);
  });
});

for (const kind of testDbKinds()) {
  describe(`migrate [${kind}]`, () => {
    it('applies every migration to an empty database, then nothing the second time', async () => {
      const { db, drop } = await createTestDb(kind); // createTestDb already migrated once
      try {
        const applied = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(applied.map((a) => a.version)).toEqual(readMigrations().map((m) => m.version));
        expect(await migrate(db)).toEqual([]);
        const tables = await db.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
        );
        expect(tables.map((t) => t.table_name)).toEqual(
          expect.arrayContaining([
            'org_nodes',
            'users',
            'posts',
            'sessions',
            'api_tokens',
            'audit_log',
            'system_settings',
          ]),
        );
      } finally {
        await drop();
      }
    });

    it('stops when a landed migration was edited', async () => {
      const { db, drop } = await createTestDb(kind);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-mig-'));
      for (const f of fs.readdirSync(MIGRATIONS_DIR)) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(dir, f));
      fs.appendFileSync(path.join(dir, '001_foundation.sql'), '\n-- edited\n');
      try {
        await expect(migrate(db, { dir })).rejects.toThrow(/edited after it was applied/);
      } finally {
        await drop();
      }
    });
  });
}
