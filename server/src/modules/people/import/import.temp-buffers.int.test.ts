import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../platform/db/client.js';
import { createTestDb, testDbKinds } from '../../../test/test-db.js';
import { startLoad } from './import.repo.js';

// A load sets temp_buffers for its stage; PostgreSQL refuses that once the session has used temporary tables (the
// metrics refresh does, on the pooled connection the import later gets), which made every import commit fail.
for (const kind of testDbKinds()) {
  describe(`an import load after the session has used temporary tables [${kind}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      ({ db, drop } = await createTestDb(kind));
    });
    afterAll(async () => {
      await drop?.();
    });

    it('starts its stage instead of failing on temp_buffers', async () => {
      const staged = await db.transaction(async (tx) => {
        await tx.exec('CREATE TEMP TABLE earlier (a int) ON COMMIT DROP; INSERT INTO earlier VALUES (1)');
        expect(await tx.query<{ a: number }>('SELECT a FROM earlier')).toEqual([{ a: 1 }]);
        await startLoad(tx, null);
        return tx.query<{ n: number }>('SELECT count(*)::int AS n FROM import_stage');
      });
      expect(staged).toEqual([{ n: 0 }]);
    });
  });
}
