/**
 * Where file bytes live, addressed by the SHA-256 of their content: a small interface so that an
 * S3-compatible store can be added by configuration later without touching the callers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type FileSealer, isPartialName } from './sealed-file.js';

export type FileStore = {
  /** Stores `bytes` under `sha256` (the caller computed it); storing the same content again is harmless. */
  put(sha256: string, bytes: Buffer): Promise<void>;
  /** The bytes stored under `sha256`, or null when there are none. */
  get(sha256: string): Promise<Buffer | null>;
  exists(sha256: string): Promise<boolean>;
  /** Removes the bytes; removing what is not there is no error. */
  delete(sha256: string): Promise<void>;
  /** Every hash stored (for tests and housekeeping). */
  list(): Promise<string[]>;
};

const SHA_RE = /^[0-9a-f]{64}$/;

function checkSha(sha256: string): string {
  // The hash becomes a path: anything but 64 hex digits is a bug, never a file name.
  if (!SHA_RE.test(sha256)) throw new Error(`not a sha256: ${sha256.slice(0, 80)}`);
  return sha256;
}

/**
 * The default store: `<dir>/ab/cd/<sha256>` on the local disk. Files are personal data (scans of certificates,
 * photos of people and homes), so each is a sealed file (platform/files/sealed-file.ts: encrypted, written under
 * a `.partial` name and renamed when complete, so a reader never sees half a file).
 */
export function createLocalFileStore(opts: { dir: string; sealer: FileSealer }): FileStore {
  const { dir, sealer } = opts;
  const pathOf = (sha: string) => path.join(dir, sha.slice(0, 2), sha.slice(2, 4), checkSha(sha));
  return {
    async put(sha256, bytes) {
      const p = pathOf(sha256);
      await fs.promises.mkdir(path.dirname(p), { recursive: true, mode: 0o700 });
      await sealer.writeFile(p, bytes);
    },
    async get(sha256) {
      try {
        return await sealer.readFile(pathOf(sha256));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async exists(sha256) {
      return fs.promises.access(pathOf(sha256)).then(
        () => true,
        () => false,
      );
    },
    async delete(sha256) {
      await fs.promises.rm(pathOf(sha256), { force: true });
    },
    async list() {
      const out: string[] = [];
      const walk = async (d: string, depth: number) => {
        const entries = await fs.promises.readdir(d, { withFileTypes: true }).catch(() => []);
        for (const e of entries) {
          if (depth < 2 && e.isDirectory()) await walk(path.join(d, e.name), depth + 1);
          else if (depth === 2 && e.isFile() && SHA_RE.test(e.name) && !isPartialName(e.name)) out.push(e.name);
        }
      };
      await walk(dir, 0);
      return out.sort();
    },
  };
}
