import fs from 'node:fs';
import type { Db } from '../db/client.js';
import { createPiiCipher, deriveMasterKey, loadOrCreateKeyFile, type PiiCipher } from './pii.crypto.js';

export class KeyError extends Error {}

const KEY_CHECK_SETTING = 'pii_key_check';

/**
 * Finds the master key (LINLI_SECRET, else the key file beside the data) and proves it is the key the
 * database was sealed with. A database that already holds sealed data never gets a fresh key: that
 * would write values no one could read again, so the start stops with an explanation instead.
 */
export async function openPiiCipher(
  db: Db,
  opts: { secret: string | undefined; keyFile: string },
): Promise<{ cipher: PiiCipher; source: 'env' | 'file' | 'new-file' }> {
  const stored = await db.query<{ value: { check: string } }>('SELECT value FROM system_settings WHERE key = $1', [
    KEY_CHECK_SETTING,
  ]);
  const known = stored[0]?.value.check;
  let key: Buffer;
  let source: 'env' | 'file' | 'new-file';
  if (opts.secret) {
    key = deriveMasterKey(opts.secret);
    source = 'env';
  } else if (fs.existsSync(opts.keyFile) || !known) {
    const loaded = loadOrCreateKeyFile(opts.keyFile);
    key = loaded.key;
    source = loaded.created ? 'new-file' : 'file';
  } else {
    throw new KeyError(
      `This database holds personal data sealed with a key that is not here. Set LINLI_SECRET to the secret it was created with, or restore the key file ${opts.keyFile} (see docs/operations.md, "Keys").`,
    );
  }
  const cipher = createPiiCipher(key);
  const check = cipher.keyCheck();
  if (known && known !== check) {
    throw new KeyError(
      `The personal-data key (${source === 'env' ? 'LINLI_SECRET' : opts.keyFile}) is not the key this database was sealed with. Refusing to start, so nothing unreadable is written (see docs/operations.md, "Keys").`,
    );
  }
  if (!known) {
    await db.query('INSERT INTO system_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      KEY_CHECK_SETTING,
      JSON.stringify({ check, createdAt: new Date().toISOString() }),
    ]);
  }
  return { cipher, source };
}
