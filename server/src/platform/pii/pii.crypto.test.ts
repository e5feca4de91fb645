import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createPiiCipher, deriveMasterKey, loadOrCreateKeyFile, PiiError, type PiiErrorCode } from './pii.crypto.js';

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);

function piiCode(fn: () => unknown): PiiErrorCode | 'no error' | 'other error' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return err instanceof PiiError ? err.code : 'other error';
  }
}

describe('seal / open', () => {
  const cipher = createPiiCipher(KEY_A);

  it('round-trips ASCII, Chinese, empty and long text', () => {
    const long = '幸福里社区'.repeat(2000); // larger than the internal scratch buffer
    for (const plain of ['11010519491231002X', '13812345678', '张三 山东省济宁市嘉祥县', '', '𠮷野家', long]) {
      expect(cipher.open(cipher.seal(plain))).toBe(plain);
    }
  });

  it('round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (plain) => {
        const sealed = cipher.seal(plain);
        expect(sealed.length).toBe(1 + 24 + Buffer.byteLength(plain) + 16);
        expect(cipher.open(sealed)).toBe(plain);
      }),
      { numRuns: 1000 },
    );
    // 1000 runs took 6.6 s on a 2-core machine at load 21, past vitest's 5 s default
  }, 30_000);

  it('has the documented layout and does not contain the plaintext', () => {
    const sealed = cipher.seal('11010519491231002X');
    expect(sealed.length).toBe(1 + 24 + 18 + 16);
    expect(sealed[0]).toBe(1);
    expect(cipher.currentVersion).toBe(1);
    expect(sealed.includes(Buffer.from('19491231'))).toBe(false);
  });

  it('seals the same value differently each time', () => {
    const a = cipher.seal('11010519491231002X');
    const b = cipher.seal('11010519491231002X');
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(1, 25).equals(b.subarray(1, 25))).toBe(false);
  });

  it('seals into a buffer at an offset what seal() returns, and refuses a target too short', () => {
    for (const plain of ['11010519491231002X', '张三', '', 'y'.repeat(5000)]) {
      const target = Buffer.alloc(7 + 41 + 3 * plain.length, 0xee);
      const n = cipher.sealInto(plain, target, 7);
      const sealed = target.subarray(7, 7 + n);
      expect(n).toBe(cipher.seal(plain).length);
      expect(cipher.open(sealed)).toBe(plain);
      expect(target[6]).toBe(0xee);
    }
    expect(() => cipher.sealInto('13800000000', Buffer.alloc(40), 0)).toThrow(RangeError);
  });

  it('returned buffers are independent of later calls', () => {
    const a = cipher.seal('first value');
    const copy = Buffer.from(a);
    cipher.seal('second value');
    cipher.hash('third value', 'id');
    cipher.open(cipher.seal('fourth value'));
    expect(a.equals(copy)).toBe(true);
    expect(cipher.open(a)).toBe('first value');
  });

  it('opens a Uint8Array as a database driver may return it', () => {
    const sealed = cipher.seal('13812345678');
    expect(cipher.open(new Uint8Array(sealed))).toBe('13812345678');
  });

  it('detects a change to any byte after the version as PII_TAMPERED', () => {
    const sealed = cipher.seal('11010519491231002X');
    for (let i = 1; i < sealed.length; i++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const bad = Buffer.from(sealed);
        bad[i] = (bad[i] as number) ^ flip;
        expect(
          piiCode(() => cipher.open(bad)),
          `byte ${i} ^ ${flip}`,
        ).toBe('PII_TAMPERED');
      }
    }
  });

  it('detects truncation and extension as PII_TAMPERED', () => {
    const sealed = cipher.seal('13812345678');
    for (let len = 1; len < sealed.length; len++) {
      expect(
        piiCode(() => cipher.open(sealed.subarray(0, len))),
        `length ${len}`,
      ).toBe('PII_TAMPERED');
    }
    expect(piiCode(() => cipher.open(Buffer.concat([sealed, Buffer.of(0)])))).toBe('PII_TAMPERED');
    expect(piiCode(() => cipher.open(Buffer.alloc(0)))).toBe('PII_TAMPERED');
  });

  it('rejects an unknown version byte as PII_UNKNOWN_VERSION', () => {
    const sealed = cipher.seal('13812345678');
    for (const v of [0, 2, 7, 255]) {
      const bad = Buffer.from(sealed);
      bad[0] = v;
      expect(
        piiCode(() => cipher.open(bad)),
        `version ${v}`,
      ).toBe('PII_UNKNOWN_VERSION');
    }
  });

  it('a cipher with another master key cannot open and has another keyCheck', () => {
    const other = createPiiCipher(KEY_B);
    expect(piiCode(() => other.open(cipher.seal('11010519491231002X')))).toBe('PII_TAMPERED');
    expect(other.keyCheck()).not.toBe(cipher.keyCheck());
    expect(cipher.keyCheck()).toMatch(/^[0-9a-f]{64}$/);
    expect(createPiiCipher(Buffer.from(KEY_A)).keyCheck()).toBe(cipher.keyCheck());
  });

  it('rejects master keys that are not 32 bytes', () => {
    expect(piiCode(() => createPiiCipher(Buffer.alloc(16)))).toBe('PII_KEY_INVALID');
    expect(piiCode(() => createPiiCipher(KEY_A, { previous: { 1: Buffer.alloc(31) } }))).toBe('PII_KEY_INVALID');
    expect(piiCode(() => createPiiCipher(KEY_A, { version: 0 }))).toBe('PII_KEY_INVALID');
    expect(piiCode(() => createPiiCipher(KEY_A, { version: 1, previous: { 1: KEY_B } }))).toBe('PII_KEY_INVALID');
  });
});

describe('key rotation', () => {
  const v1 = createPiiCipher(KEY_A);
  const v2 = createPiiCipher(KEY_B, { previous: { 1: KEY_A } });

  it('seals with the new version and still opens the old one', () => {
    expect(v2.currentVersion).toBe(2);
    const old = v1.seal('张三');
    const fresh = v2.seal('李四');
    expect(fresh[0]).toBe(2);
    expect(v2.open(old)).toBe('张三');
    expect(v2.open(fresh)).toBe('李四');
    expect(piiCode(() => v1.open(fresh))).toBe('PII_UNKNOWN_VERSION');
  });

  it('the version byte is authenticated: relabelling a value with another known version fails', () => {
    const relabelled = Buffer.from(v1.seal('张三'));
    relabelled[0] = 2;
    expect(piiCode(() => v2.open(relabelled))).toBe('PII_TAMPERED');
    const back = Buffer.from(v2.seal('李四'));
    back[0] = 1;
    expect(piiCode(() => v2.open(back))).toBe('PII_TAMPERED');
    // Same master key under two versions: the keys match, so only the authenticated version byte can object.
    const same = createPiiCipher(KEY_A, { version: 2, previous: { 1: KEY_A } });
    const sealed = same.seal('王五');
    expect(same.open(sealed)).toBe('王五');
    const relabelledSameKey = Buffer.from(sealed);
    relabelledSameKey[0] = 1;
    expect(piiCode(() => same.open(relabelledSameKey))).toBe('PII_TAMPERED');
  });

  it('accepts an explicit current version', () => {
    const c = createPiiCipher(KEY_B, { version: 9, previous: { 3: KEY_A } });
    expect(c.currentVersion).toBe(9);
    expect(c.seal('x')[0]).toBe(9);
  });
});

describe('hash', () => {
  const a = createPiiCipher(KEY_A);
  const b = createPiiCipher(KEY_B);

  it('is a deterministic 32-byte digest', () => {
    const h = a.hash('11010519491231002X', 'id');
    expect(h).toHaveLength(32);
    expect(a.hash('11010519491231002X', 'id').equals(h)).toBe(true);
    expect(createPiiCipher(Buffer.from(KEY_A)).hash('11010519491231002X', 'id').equals(h)).toBe(true);
  });

  it('hashes into a buffer at an offset what hash() returns', () => {
    const target = Buffer.alloc(40, 0xee);
    a.hashInto('13800000000', 'phone', target, 3);
    expect(target.subarray(3, 35).equals(a.hash('13800000000', 'phone'))).toBe(true);
    expect([target[2], target[35]]).toEqual([0xee, 0xee]);
    expect(() => a.hashInto('x', 'id', target, 9)).toThrow(RangeError);
  });

  it('differs per value, per domain and per key', () => {
    const h = a.hash('13812345678', 'phone');
    expect(a.hash('13812345679', 'phone').equals(h)).toBe(false);
    expect(a.hash('13812345678', 'id').equals(h)).toBe(false);
    expect(a.hash('13812345678', 'phone2').equals(h)).toBe(false);
    expect(b.hash('13812345678', 'phone').equals(h)).toBe(false);
  });

  it('keeps domain and value apart (no ambiguity from concatenation)', () => {
    expect(a.hash('b', 'a').equals(a.hash('', 'ab'))).toBe(false);
    expect(a.hash('ab', '').equals(a.hash('b', 'a'))).toBe(false);
  });

  it('has no collisions over many distinct values', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 20 }), { minLength: 2, maxLength: 50 }), (values) => {
        const digests = new Set(values.map((v) => a.hash(v, 'id').toString('hex')));
        expect(digests.size).toBe(values.length);
      }),
      { numRuns: 200 },
    );
  });

  it('works for more domains than it caches', () => {
    const first = a.hash('v', 'domain-0').toString('hex');
    for (let i = 0; i < 200; i++) a.hash('v', `domain-${i}`);
    expect(a.hash('v', 'domain-0').toString('hex')).toBe(first);
    expect(a.hash('v', 'domain-150').equals(a.hash('v', 'domain-150'))).toBe(true);
  });
});

describe('deriveMasterKey', () => {
  it('derives a stable 32-byte key that depends on the secret', () => {
    const k = deriveMasterKey('correct horse battery staple 42');
    expect(k).toHaveLength(32);
    expect(deriveMasterKey('correct horse battery staple 42').equals(k)).toBe(true);
    expect(deriveMasterKey('correct horse battery staple 43').equals(k)).toBe(false);
    expect(createPiiCipher(k).open(createPiiCipher(deriveMasterKey('correct horse battery staple 42')).seal('x'))).toBe(
      'x',
    );
  });

  it('rejects secrets shorter than 16 characters', () => {
    expect(piiCode(() => deriveMasterKey(''))).toBe('PII_SECRET_TOO_SHORT');
    expect(piiCode(() => deriveMasterKey('123456789012345'))).toBe('PII_SECRET_TOO_SHORT');
    expect(piiCode(() => deriveMasterKey('1234567890123456'))).toBe('no error');
    // Characters, not UTF-16 units: 8 supplementary-plane characters are 16 units but only 8 characters.
    expect(piiCode(() => deriveMasterKey('𠮷'.repeat(8)))).toBe('PII_SECRET_TOO_SHORT');
  });
});

describe('loadOrCreateKeyFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linli-pii-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 0600 key file on first start and loads the same key later', () => {
    const path = join(dir, 'nested', 'linli.key');
    const first = loadOrCreateKeyFile(path);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(`${first.key.toString('hex')}\n`);

    const second = loadOrCreateKeyFile(path);
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
    // No temporary file is left behind.
    expect(readdirSync(join(dir, 'nested'))).toEqual(['linli.key']);
  });

  it('creates a different key in each new file', () => {
    const a = loadOrCreateKeyFile(join(dir, 'a.key'));
    const b = loadOrCreateKeyFile(join(dir, 'b.key'));
    expect(a.key.equals(b.key)).toBe(false);
  });

  it('tightens a key file that others can read, and still loads it', () => {
    const path = join(dir, 'loose.key');
    const hex = 'ab'.repeat(32);
    writeFileSync(path, `${hex}\n`);
    chmodSync(path, 0o644);
    const r = loadOrCreateKeyFile(path);
    expect(r).toEqual({ key: Buffer.from(hex, 'hex'), created: false });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('accepts a key written without the final newline, or in upper case', () => {
    const path = join(dir, 'nonl.key');
    writeFileSync(path, 'AB'.repeat(32), { mode: 0o600 });
    expect(loadOrCreateKeyFile(path).key.equals(Buffer.alloc(32, 0xab))).toBe(true);
  });

  it('gives every instance the same key when several start at once', async () => {
    const path = join(dir, 'race', 'linli.key');
    const module = fileURLToPath(new URL('./pii.crypto.ts', import.meta.url));
    // Every process loads first, then all wait for the same instant, so that they really do race.
    const startAt = Date.now() + 2000;
    const script = `const { loadOrCreateKeyFile } = await import(${JSON.stringify(module)});
      while (Date.now() < ${startAt}) {}
      const r = loadOrCreateKeyFile(${JSON.stringify(path)});
      console.log(JSON.stringify({ key: r.key.toString('hex'), created: r.created }));`;
    const run = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]).then(
        (r) => JSON.parse(r.stdout) as { key: string; created: boolean },
      );
    const results = await Promise.all(Array.from({ length: 6 }, run));
    expect(new Set(results.map((r) => r.key)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(loadOrCreateKeyFile(path).key.toString('hex')).toBe(results[0]?.key);
    expect(readdirSync(join(dir, 'race'))).toEqual(['linli.key']);
  }, 30_000);

  it('rejects a malformed key file, naming it, and does not overwrite it', () => {
    for (const [name, content] of [
      ['short.key', 'abcd\n'],
      ['long.key', `${'ab'.repeat(33)}\n`],
      ['nothex.key', `${'zz'.repeat(32)}\n`],
      ['empty.key', ''],
      ['extra.key', `${'ab'.repeat(32)}\nmore\n`],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, content, { mode: 0o600 });
      let error: unknown;
      try {
        loadOrCreateKeyFile(path);
      } catch (err) {
        error = err;
      }
      expect(error, name).toBeInstanceOf(PiiError);
      expect((error as PiiError).code).toBe('PII_KEY_FILE_INVALID');
      expect((error as PiiError).message).toContain(path);
      expect(readFileSync(path, 'utf8')).toBe(content);
    }
  });
});
