/**
 * Sealed files: personal data that must touch the disk (uploads, error reports, later photos and
 * attachments) is written encrypted and authenticated as it streams, and read back as a stream that fails
 * loudly when a byte was changed, added or cut off. Nothing is ever written in plain text.
 *
 * Layout: `LNLSEAL` magic, a format byte (1), the key version byte, the 24-byte secretstream header, then
 * chunks of libsodium's crypto_secretstream_xchacha20poly1305: every chunk but the last holds exactly
 * CHUNK_BYTES of plaintext (tag MESSAGE), the last one fewer (possibly none) and the tag FINAL. A file that
 * ends before its FINAL chunk was cut short; one with bytes after it was added to. Chunks are bound to their
 * order by the secretstream state, so they cannot be reordered, dropped or repeated either.
 *
 * Writing goes to `<path>.<random>.partial` (mode 0600) and is renamed onto `path` only once the FINAL chunk
 * is on disk: a reader never sees half a file, and a crash leaves only a `.partial` name for housekeeping
 * (isPartialName) to remove.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sodium from 'sodium-native';

export type SealedFileErrorCode =
  | 'SEALED_FILE_TAMPERED'
  | 'SEALED_FILE_TRUNCATED'
  | 'SEALED_FILE_NOT_SEALED'
  | 'SEALED_FILE_UNKNOWN_KEY';

/** Every failure of reading a sealed file; the message names the file, never its content. */
export class SealedFileError extends Error {
  readonly code: SealedFileErrorCode;

  constructor(code: SealedFileErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SealedFileError';
    this.code = code;
  }
}

/** The keys files are sealed with: new files use `current`; older versions still open while their key is known. */
export type SealedFileKeys = { current: number; key(version: number): Uint8Array | undefined };

export type FileSealer = {
  /**
   * A stream that seals what is written to it into `path`. 'finish' comes only after the file is complete
   * under its final name; on an error or destroy() the partial file is removed (by the time the stream emits
   * 'close') and `path` is left untouched.
   */
  createWriteStream(path: string): Writable;
  /** Seals a whole stream (or buffer) into `path`; resolves with the plaintext bytes written. */
  writeFile(path: string, source: Buffer | string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number>;
  /**
   * The plaintext of `path`, streaming. The stream errors with SealedFileError when the file was modified
   * (SEALED_FILE_TAMPERED), cut short (SEALED_FILE_TRUNCATED), is not a sealed file or was sealed under a key
   * that is not here; bytes already emitted before the error must then be discarded.
   */
  createReadStream(path: string): Readable;
  /** The whole plaintext of `path` (for small files). @throws SealedFileError */
  readFile(path: string): Promise<Buffer>;
  /** The plaintext size of a sealed file, from its size alone (exact for an intact file). */
  plainSize(path: string): Promise<number>;
};

const MAGIC = Buffer.from('LNLSEAL');
const FORMAT = 1;
const SS_HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES; // 24
const ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES; // 17
const STATE_BYTES = sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES;
const TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
const TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
const KEY_BYTES = sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES;
/** Bytes before the first chunk. */
export const SEALED_HEADER_BYTES = MAGIC.length + 2 + SS_HEADER;
/** Plaintext bytes per chunk (the last chunk holds fewer). */
export const SEALED_CHUNK_BYTES = 64 * 1024;
const SEALED_CHUNK = SEALED_CHUNK_BYTES + ABYTES;
/** Files being written carry this suffix until they are complete. */
export const PARTIAL_SUFFIX = '.partial';

/** Whether a directory entry is a sealed file still being written (or left behind by a crash). */
export function isPartialName(name: string): boolean {
  return name.endsWith(PARTIAL_SUFFIX);
}

function checkKey(key: Uint8Array | undefined, version: number): Uint8Array {
  if (!(key instanceof Uint8Array) || key.byteLength !== KEY_BYTES) {
    throw new SealedFileError('SEALED_FILE_UNKNOWN_KEY', `no file key of ${KEY_BYTES} bytes for version ${version}`);
  }
  return key;
}

/** The plaintext size of a sealed file of `fileBytes` bytes (see the layout above). */
export function plainSizeOf(fileBytes: number): number {
  const body = fileBytes - SEALED_HEADER_BYTES;
  if (body < ABYTES) return 0;
  const fullChunks = Math.floor(body / SEALED_CHUNK);
  return body - (fullChunks + 1) * ABYTES;
}

class SealedWriteStream extends Writable {
  private fh: fs.promises.FileHandle | null = null;
  private readonly temp: string;
  private readonly state = Buffer.alloc(STATE_BYTES);
  private readonly pending = Buffer.alloc(SEALED_CHUNK_BYTES);
  private filled = 0;
  private done = false;

  constructor(
    private readonly path: string,
    private readonly keys: SealedFileKeys,
  ) {
    super();
    this.temp = `${path}.${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    (async () => {
      const version = this.keys.current;
      const key = checkKey(this.keys.key(version), version);
      this.fh = await fs.promises.open(this.temp, 'wx', 0o600);
      const header = Buffer.alloc(SEALED_HEADER_BYTES);
      MAGIC.copy(header, 0);
      header[MAGIC.length] = FORMAT;
      header[MAGIC.length + 1] = version;
      sodium.crypto_secretstream_xchacha20poly1305_init_push(this.state, header.subarray(MAGIC.length + 2), key);
      await this.fh.write(header);
    })().then(() => callback(), callback);
  }

  /** Seals `m` as one chunk and writes it. */
  private async push(m: Buffer, tag: number): Promise<void> {
    const c = Buffer.allocUnsafe(m.length + ABYTES);
    sodium.crypto_secretstream_xchacha20poly1305_push(this.state, c, m, null, tag);
    await (this.fh as fs.promises.FileHandle).write(c);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    (async () => {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(chunk.length - off, SEALED_CHUNK_BYTES - this.filled);
        chunk.copy(this.pending, this.filled, off, off + n);
        this.filled += n;
        off += n;
        if (this.filled === SEALED_CHUNK_BYTES) {
          await this.push(this.pending, TAG_MESSAGE);
          this.filled = 0;
        }
      }
    })().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    (async () => {
      const fh = this.fh as fs.promises.FileHandle;
      await this.push(this.pending.subarray(0, this.filled), TAG_FINAL);
      this.pending.fill(0);
      await fh.sync();
      await fh.close();
      this.fh = null;
      await fs.promises.rename(this.temp, this.path);
      this.done = true;
    })().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.pending.fill(0);
    const fh = this.fh;
    this.fh = null;
    // An open file can be unlinked: remove it first, then close.
    try {
      if (!this.done) fs.rmSync(this.temp, { force: true });
    } catch (e) {
      error ??= e as Error;
    }
    (fh?.close() ?? Promise.resolve()).then(
      () => callback(error),
      (e: Error) => callback(error ?? e),
    );
  }
}

async function* openSealed(path: string, keys: SealedFileKeys): AsyncGenerator<Buffer> {
  const fh = await fs.promises.open(path, 'r');
  try {
    const header = Buffer.alloc(SEALED_HEADER_BYTES);
    const { bytesRead } = await fh.read(header, 0, header.length, 0);
    if (bytesRead < SEALED_HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new SealedFileError('SEALED_FILE_NOT_SEALED', `${path} is not a sealed file`);
    }
    if (header[MAGIC.length] !== FORMAT) {
      throw new SealedFileError('SEALED_FILE_NOT_SEALED', `${path} has an unknown sealed-file format`);
    }
    const version = header[MAGIC.length + 1] as number;
    const key = checkKey(keys.key(version), version);
    const state = Buffer.alloc(STATE_BYTES);
    sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header.subarray(MAGIC.length + 2), key);
    const tag = Buffer.alloc(1);
    let position = SEALED_HEADER_BYTES;
    for (;;) {
      const c = Buffer.allocUnsafe(SEALED_CHUNK);
      const { bytesRead: n } = await fh.read(c, 0, SEALED_CHUNK, position);
      position += n;
      if (n === 0) throw new SealedFileError('SEALED_FILE_TRUNCATED', `${path} ends before its last chunk`);
      if (n < ABYTES) throw new SealedFileError('SEALED_FILE_TRUNCATED', `${path} ends inside a chunk`);
      const m = Buffer.allocUnsafe(n - ABYTES);
      try {
        sodium.crypto_secretstream_xchacha20poly1305_pull(state, m, tag, c.subarray(0, n), null);
      } catch (err) {
        throw new SealedFileError(
          'SEALED_FILE_TAMPERED',
          `${path} failed authentication (modified, cut inside a chunk, or sealed with another key)`,
          { cause: err },
        );
      }
      if (tag[0] === TAG_FINAL) {
        const extra = await fh.read(Buffer.alloc(1), 0, 1, position);
        if (extra.bytesRead > 0) throw new SealedFileError('SEALED_FILE_TAMPERED', `${path} has bytes after its end`);
        if (m.length > 0) yield m;
        return;
      }
      if (n < SEALED_CHUNK) throw new SealedFileError('SEALED_FILE_TRUNCATED', `${path} ends before its last chunk`);
      yield m;
    }
  } finally {
    await fh.close();
  }
}

/** A sealer for files under the given keys (see PiiCipher.fileKeys). */
export function createFileSealer(keys: SealedFileKeys): FileSealer {
  const sealer: FileSealer = {
    createWriteStream: (path) => new SealedWriteStream(path, keys),

    async writeFile(path, source) {
      const out = new SealedWriteStream(path, keys);
      let bytes = 0;
      const input = typeof source === 'string' || Buffer.isBuffer(source) ? [Buffer.from(source)] : source;
      const counted = Readable.from(
        (async function* () {
          for await (const chunk of input) {
            bytes += chunk.byteLength;
            yield chunk;
          }
        })(),
        { objectMode: false },
      );
      await pipeline(counted, out);
      return bytes;
    },

    createReadStream: (path) => Readable.from(openSealed(path, keys), { objectMode: false }),

    async readFile(path) {
      const parts: Buffer[] = [];
      for await (const chunk of openSealed(path, keys)) parts.push(chunk);
      return Buffer.concat(parts);
    },

    async plainSize(path) {
      return plainSizeOf((await fs.promises.stat(path)).size);
    },
  };
  return sealer;
}
