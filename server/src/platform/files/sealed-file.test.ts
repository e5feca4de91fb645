import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPiiCipher } from '../pii/index.js';
import {
  createFileSealer,
  isPartialName,
  SEALED_CHUNK_BYTES,
  SEALED_HEADER_BYTES,
  SealedFileError,
} from './sealed-file.js';

const sealer = createFileSealer(createPiiCipher(Buffer.alloc(32, 1)).fileKeys);
const otherKey = createFileSealer(createPiiCipher(Buffer.alloc(32, 2)).fileKeys);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linli-sealed-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string) => path.join(dir, name);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Reads a sealed file through the stream, as consumers do. */
async function readAll(p: string, s = sealer): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of s.createReadStream(p)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** A multi-megabyte stream in uneven pieces (as a network upload arrives), holding a known marker. */
function uneven(content: Buffer): Readable {
  return Readable.from(
    (function* () {
      let off = 0;
      let step = 1;
      while (off < content.length) {
        const n = Math.min(content.length - off, (step * 7919) % 100_000 || 1);
        yield content.subarray(off, off + n);
        off += n;
        step++;
      }
    })(),
  );
}

const MARKER = '370323199001011234,13805371234';

function sample(bytes: number): Buffer {
  const b = randomBytes(bytes);
  // Plaintext that would show if anything were written unsealed, in ASCII and in UTF-16.
  b.write(MARKER, 1000, 'latin1');
  b.write(MARKER, bytes - 200, 'utf16le');
  return b;
}

describe('sealed files', () => {
  it('round-trips a multi-megabyte stream, writing no plaintext and mode 0600', async () => {
    const content = sample(5 * 1024 * 1024 + 123);
    const p = file('big.bin');
    await pipeline(uneven(content), sealer.createWriteStream(p));
    const raw = fs.readFileSync(p);
    expect(raw.includes(Buffer.from(MARKER, 'latin1'))).toBe(false);
    expect(raw.includes(Buffer.from(MARKER, 'utf16le'))).toBe(false);
    expect(raw.includes(content.subarray(0, 64))).toBe(false);
    if (process.platform !== 'win32') expect(fs.statSync(p).mode & 0o777).toBe(0o600);
    expect(sha(await readAll(p))).toBe(sha(content));
    expect(await sealer.plainSize(p)).toBe(content.length);
    // Only the finished file is left: the temporary name is gone.
    expect(fs.readdirSync(dir).filter(isPartialName)).toEqual([]);
  });

  it('round-trips empty files and files of exactly whole chunks', async () => {
    for (const size of [0, 1, SEALED_CHUNK_BYTES - 1, SEALED_CHUNK_BYTES, 2 * SEALED_CHUNK_BYTES]) {
      const content = randomBytes(size);
      const p = file(`size-${size}.bin`);
      expect(await sealer.writeFile(p, content)).toBe(size);
      expect((await sealer.readFile(p)).equals(content), String(size)).toBe(true);
      expect(await sealer.plainSize(p), String(size)).toBe(size);
    }
  });

  it('refuses a file with one byte changed, anywhere', async () => {
    const content = sample(3 * SEALED_CHUNK_BYTES + 10);
    const p = file('tamper.bin');
    await sealer.writeFile(p, content);
    const intact = fs.readFileSync(p);
    for (const at of [SEALED_HEADER_BYTES - 1, SEALED_HEADER_BYTES + 5, SEALED_CHUNK_BYTES + 100, intact.length - 1]) {
      const bad = Buffer.from(intact);
      bad[at] = (bad[at] as number) ^ 0x01;
      fs.writeFileSync(p, bad);
      await expect(readAll(p), `byte ${at}`).rejects.toMatchObject({ code: 'SEALED_FILE_TAMPERED' });
    }
    fs.writeFileSync(p, intact);
    expect((await readAll(p)).equals(content)).toBe(true);
  });

  it('refuses a file cut short, at a chunk boundary or inside a chunk, or with bytes added', async () => {
    const content = sample(3 * SEALED_CHUNK_BYTES + 10);
    const p = file('cut.bin');
    await sealer.writeFile(p, content);
    const intact = fs.readFileSync(p);
    const chunk = SEALED_CHUNK_BYTES + 17;
    // Whole chunks dropped from the end: every remaining chunk verifies, but the FINAL one is missing.
    fs.writeFileSync(p, intact.subarray(0, SEALED_HEADER_BYTES + 2 * chunk));
    await expect(readAll(p)).rejects.toMatchObject({ code: 'SEALED_FILE_TRUNCATED' });
    fs.writeFileSync(p, intact.subarray(0, SEALED_HEADER_BYTES));
    await expect(readAll(p)).rejects.toMatchObject({ code: 'SEALED_FILE_TRUNCATED' });
    // Cut inside a chunk: that chunk no longer verifies.
    fs.writeFileSync(p, intact.subarray(0, intact.length - 5));
    await expect(readAll(p)).rejects.toBeInstanceOf(SealedFileError);
    fs.writeFileSync(p, Buffer.concat([intact, Buffer.from('x')]));
    await expect(readAll(p)).rejects.toMatchObject({ code: 'SEALED_FILE_TAMPERED' });
  });

  it('refuses a plain file and a file sealed under another key', async () => {
    const plain = file('plain.csv');
    fs.writeFileSync(plain, MARKER);
    await expect(readAll(plain)).rejects.toMatchObject({ code: 'SEALED_FILE_NOT_SEALED' });
    const p = file('mine.bin');
    await sealer.writeFile(p, 'secret');
    await expect(readAll(p, otherKey)).rejects.toMatchObject({ code: 'SEALED_FILE_TAMPERED' });
    expect((await readAll(p)).toString()).toBe('secret');
  });

  it('opens files sealed before a key rotation while the previous key is configured', async () => {
    const oldKey = Buffer.alloc(32, 1);
    const p = file('rotated.bin');
    await sealer.writeFile(p, 'before rotation');
    const rotated = createFileSealer(createPiiCipher(Buffer.alloc(32, 3), { previous: { 1: oldKey } }).fileKeys);
    expect((await readAll(p, rotated)).toString()).toBe('before rotation');
    const q = file('after.bin');
    await rotated.writeFile(q, 'after rotation');
    await expect(readAll(q)).rejects.toMatchObject({ code: 'SEALED_FILE_UNKNOWN_KEY' });
  });

  it('leaves no file behind when the stream being sealed fails', async () => {
    const p = file('failed.bin');
    const failing = Readable.from(
      (async function* () {
        yield Buffer.alloc(SEALED_CHUNK_BYTES * 2, 1);
        throw new Error('connection lost');
      })(),
    );
    const out = sealer.createWriteStream(p);
    const closed = new Promise((resolve) => out.on('close', resolve));
    await expect(pipeline(failing, out)).rejects.toThrow('connection lost');
    await closed;
    expect(fs.existsSync(p)).toBe(false);
    expect(fs.readdirSync(dir).filter(isPartialName)).toEqual([]);
  });
});
