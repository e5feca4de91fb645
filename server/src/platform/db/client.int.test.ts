import { describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds } from '../../test/test-db.js';

for (const kind of testDbKinds()) {
  describe(`Db [${kind}]`, () => {
    it('bulk-loads CSV with COPY inside a transaction, bytea as hex', async () => {
      const { db, drop } = await createTestDb(kind);
      try {
        await db.exec('CREATE TABLE copy_probe (id int, name text, blob bytea)');
        await db.transaction(async (tx) => {
          await tx.copyFrom(
            'COPY copy_probe (id, name, blob) FROM STDIN WITH (FORMAT csv)',
            '1,"张三, 甲",\\x0102ff\n2,李四,\n',
          );
        });
        const rows = await db.query<{ id: number; name: string; blob: Uint8Array | null }>(
          'SELECT id, name, blob FROM copy_probe ORDER BY id',
        );
        expect(rows.map((r) => [r.id, r.name, r.blob ? Buffer.from(r.blob).toString('hex') : null])).toEqual([
          [1, '张三, 甲', '0102ff'],
          [2, '李四', null],
        ]);
      } finally {
        await drop();
      }
    });

    it('rolls a transaction back when its function throws', async () => {
      const { db, drop } = await createTestDb(kind);
      try {
        await db.exec('CREATE TABLE tx_probe (id int)');
        await expect(
          db.transaction(async (tx) => {
            await tx.query('INSERT INTO tx_probe VALUES (1)');
            throw new Error('stop');
          }),
        ).rejects.toThrow('stop');
        expect(await db.query('SELECT * FROM tx_probe')).toEqual([]);
      } finally {
        await drop();
      }
    });
  });
}
