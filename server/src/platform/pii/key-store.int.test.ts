import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, testDbKinds } from '../../test/test-db.js';
import type { Db } from '../db/client.js';
import { KeyError, openPiiCipher } from './key-store.js';

const SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
const OTHER_SECRET = '27ae41e4649b934ca495991b7852b855';

for (const kind of testDbKinds()) {
  describe(`openPiiCipher [${kind}]`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let dir: string;
    let keyFile: string;

    beforeAll(async () => {
      ({ db, drop } = await createTestDb(kind));
    });
    afterAll(async () => {
      await drop();
    });
    beforeEach(async () => {
      // Each test starts from a database that has never seen a key, and an empty data directory.
      await db.query(`DELETE FROM system_settings WHERE key = 'pii_key_check'`);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-key-'));
      keyFile = path.join(dir, 'data', 'linli.key');
    });
    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const storedCheck = async () =>
      (await db.query<{ value: { check: string } }>(`SELECT value FROM system_settings WHERE key = 'pii_key_check'`))[0]
        ?.value.check;

    it('creates a key file readable by the owner only on a new database, and remembers its check', async () => {
      const { cipher, source } = await openPiiCipher(db, { secret: undefined, keyFile });
      expect(source).toBe('new-file');
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
      expect(await storedCheck()).toBe(cipher.keyCheck());
    });

    it('reopens with the same key file and reads what was sealed before', async () => {
      const first = await openPiiCipher(db, { secret: undefined, keyFile });
      const sealed = first.cipher.seal('13805371005');
      const second = await openPiiCipher(db, { secret: undefined, keyFile });
      expect(second.source).toBe('file');
      expect(second.cipher.keyCheck()).toBe(first.cipher.keyCheck());
      expect(second.cipher.open(sealed)).toBe('13805371005');
      expect(second.cipher.hash('13805371005', 'phone').equals(first.cipher.hash('13805371005', 'phone'))).toBe(true);
    });

    it('refuses a LINLI_SECRET that is not the key the database was sealed with', async () => {
      await openPiiCipher(db, { secret: undefined, keyFile });
      const before = await storedCheck();
      await expect(openPiiCipher(db, { secret: SECRET, keyFile })).rejects.toThrow(KeyError);
      await expect(openPiiCipher(db, { secret: SECRET, keyFile })).rejects.toThrow(/LINLI_SECRET/);
      expect(await storedCheck()).toBe(before);
    });

    it('refuses a second secret on a database created with a first one', async () => {
      await openPiiCipher(db, { secret: SECRET, keyFile });
      await expect(openPiiCipher(db, { secret: OTHER_SECRET, keyFile })).rejects.toThrow(KeyError);
    });

    it('refuses to make a fresh key when the key file is gone but the database holds a key check', async () => {
      await openPiiCipher(db, { secret: undefined, keyFile });
      fs.rmSync(keyFile);
      await expect(openPiiCipher(db, { secret: undefined, keyFile })).rejects.toThrow(KeyError);
      await expect(openPiiCipher(db, { secret: undefined, keyFile })).rejects.toThrow(keyFile);
      expect(fs.existsSync(keyFile)).toBe(false);
    });

    it('refuses a key file that holds another key', async () => {
      await openPiiCipher(db, { secret: undefined, keyFile });
      fs.writeFileSync(keyFile, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
      await expect(openPiiCipher(db, { secret: undefined, keyFile })).rejects.toThrow(KeyError);
    });

    it('accepts the same LINLI_SECRET again, without writing a key file', async () => {
      const first = await openPiiCipher(db, { secret: SECRET, keyFile });
      const second = await openPiiCipher(db, { secret: SECRET, keyFile });
      expect([first.source, second.source]).toEqual(['env', 'env']);
      expect(second.cipher.keyCheck()).toBe(first.cipher.keyCheck());
      expect(second.cipher.open(first.cipher.seal('370323199001010016'))).toBe('370323199001010016');
      expect(await storedCheck()).toBe(first.cipher.keyCheck());
      expect(fs.existsSync(keyFile)).toBe(false);
    });
  });
}
