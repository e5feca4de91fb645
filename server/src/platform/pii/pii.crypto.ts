/**
 * Sealing of personal data (ID numbers, phone numbers …) at rest, PIPL-style: authenticated encryption so a
 * stolen database or backup shows nothing and a modified value is detected, plus a keyed hash so exact
 * lookup and de-duplication work without decrypting (an unkeyed hash of an ID number could be reversed by
 * enumerating the ~10^10 plausible numbers).
 *
 * Sealed value layout: [version byte][24-byte nonce][ciphertext + 16-byte tag].
 * Version byte → master key. Every version so far uses one suite: XChaCha20-Poly1305-IETF (random 192-bit
 * nonces are safe at any volume, unlike AES-GCM's 96-bit ones) and keyed BLAKE2b-256, both libsodium via
 * sodium-native: seal + hash of an ID number costs ~2.5 µs, about 5× less than node:crypto AES-256-GCM +
 * HMAC-SHA256 on the same machine (bench/pii.bench.ts; the bare library calls differ ~10×). A future suite
 * (e.g. 国密 SM4/SM3 for a commercial-cryptography assessment) would get its own version numbers and a
 * dispatch on the version byte in open().
 */
import { randomFillSync } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import sodium from 'sodium-native';

export type PiiErrorCode =
  | 'PII_TAMPERED'
  | 'PII_UNKNOWN_VERSION'
  | 'PII_SECRET_TOO_SHORT'
  | 'PII_KEY_FILE_INVALID'
  | 'PII_KEY_INVALID';

/** Every failure of this module; `code` is stable, the message is for operators and never holds plaintext. */
export class PiiError extends Error {
  readonly code: PiiErrorCode;

  constructor(code: PiiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PiiError';
    this.code = code;
  }
}

/**
 * Key versions for createPiiCipher. `version` is the byte written into new sealed values (default: 1, or one
 * more than the highest previous version); `previous` maps older versions to their master keys so values
 * sealed before a rotation still open. Rotating also changes hash() and keyCheck(): re-seal and re-hash the
 * stored values, then drop the old key.
 */
export type PiiKeyring = { version?: number; previous?: Record<number, Buffer> };

/** Domains keep the hash of one kind of value from matching another (an ID number typed into a phone field). */
export type PiiHashDomain = 'id' | 'phone' | (string & Record<never, never>);

export type PiiCipher = {
  /** Encrypts UTF-8 text: [version][24-byte nonce][ciphertext + 16-byte tag]. Never deterministic. */
  seal(plain: string): Buffer;
  /**
   * Decrypts a sealed value (a Buffer, or the Uint8Array some drivers return for bytea).
   * @throws PiiError PII_UNKNOWN_VERSION when no key is configured for its version byte,
   *   PII_TAMPERED when it is truncated, modified, or sealed under another key.
   */
  open(sealed: Uint8Array): string;
  /**
   * Keyed BLAKE2b-256 of an already normalized value (parseIdNumber(…).value, parsePhone(…).value) within a
   * domain. Deterministic for a key, so equal values can be found and de-duplicated by equality on this column.
   */
  hash(normalized: string, domain: PiiHashDomain): Buffer;
  /**
   * seal() written into `target` at `offset` (at most SEALED_OVERHEAD_BYTES + 3 × plain.length bytes) rather
   * than into a new Buffer; returns the bytes written. For bulk writers that copy every value anyway.
   * @throws RangeError when `target` is too short
   */
  sealInto(plain: string, target: Uint8Array, offset: number): number;
  /** hash() written into `target` at `offset` (HASH_BYTES bytes). @throws RangeError when `target` is too short */
  hashInto(normalized: string, domain: PiiHashDomain, target: Uint8Array, offset: number): void;
  /** Hex keyed hash of a fixed constant: store it at first start; a different value later means a wrong key. */
  keyCheck(): string;
  /**
   * The keys sealed files (platform/files) are written with: a subkey of each master key, by version, so files
   * sealed before a key rotation still open while the previous key is configured.
   */
  readonly fileKeys: { current: number; key(version: number): Uint8Array | undefined };
  readonly currentVersion: number;
};

const KEY_BYTES = 32;
const NONCE_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES; // 24
const TAG_BYTES = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES; // 16
const HEADER_BYTES = 1 + NONCE_BYTES;
const HASH_BYTES = 32;
/** A sealed value's bytes beyond its UTF-8 plaintext: version byte, nonce and tag. */
export const SEALED_OVERHEAD_BYTES = HEADER_BYTES + TAG_BYTES;
export const PII_HASH_BYTES = HASH_BYTES;
const KDF_CONTEXT = Buffer.from('linlipii'); // crypto_kdf_CONTEXTBYTES = 8
const SUBKEY_ENCRYPT = 1;
const SUBKEY_HASH = 2;
const SUBKEY_KEY_CHECK = 3;
const SUBKEY_FILES = 4;
const KEY_CHECK_INPUT = Buffer.from('linli-pii-key-check-v1');
// Callers may pass arbitrary domains; cap the per-domain key cache so that cannot grow without bound.
const MAX_CACHED_DOMAINS = 64;
// Values are short (names, ID and phone numbers, addresses). Encoding them into one reused buffer, through
// views made once per length, keeps the hot path of a county-scale import nearly free of allocations.
const SCRATCH_BYTES = 4096;
const CACHED_VIEWS = 256;

// randombytes_buf is a getrandom() system call each time, which cost about as much as the encryption itself
// for a 24-byte nonce. Nonces are public and each is used once, so drawing them 256 at a time changes nothing
// about their security. They come from node:crypto's CSPRNG (OpenSSL's DRBG, seeded by the kernel): filling
// the pool there takes about 6 µs against about 40 µs for getrandom() of the same 6 KB.
const NONCES_PER_DRAW = 256;
const noncePool = Buffer.alloc(NONCE_BYTES * NONCES_PER_DRAW);
const nonceViews = Array.from({ length: NONCES_PER_DRAW }, (_, i) =>
  noncePool.subarray(i * NONCE_BYTES, (i + 1) * NONCE_BYTES),
);
let nextNonce = NONCES_PER_DRAW;

function takeNonce(): Buffer {
  if (nextNonce === NONCES_PER_DRAW) {
    randomFillSync(noncePool);
    nextNonce = 0;
  }
  return nonceViews[nextNonce++] as Buffer;
}

function subkey(master: Buffer, id: number): Buffer {
  const k = Buffer.alloc(KEY_BYTES);
  sodium.crypto_kdf_derive_from_key(k, id, KDF_CONTEXT, master);
  return k;
}

function checkMasterKey(key: unknown, what: string): asserts key is Buffer {
  if (!(key instanceof Uint8Array) || key.byteLength !== KEY_BYTES) {
    throw new PiiError('PII_KEY_INVALID', `${what} must be ${KEY_BYTES} bytes`);
  }
}

function checkVersion(v: number): void {
  if (!Number.isInteger(v) || v < 1 || v > 255) {
    throw new PiiError('PII_KEY_INVALID', `key version must be an integer in 1..255, got ${v}`);
  }
}

/**
 * Builds the sealing service from a 32-byte master key (see deriveMasterKey and loadOrCreateKeyFile).
 * Subkeys are derived with crypto_kdf (context `linlipii`): 1 encrypts, 2 hashes, 3 makes the key check,
 * 4 seals files, so no two purposes ever share key material.
 * @throws PiiError PII_KEY_INVALID for a key that is not 32 bytes or a version outside 1..255 / used twice.
 */
export function createPiiCipher(masterKey: Buffer, opts?: PiiKeyring): PiiCipher {
  checkMasterKey(masterKey, 'PII master key');
  const previous = opts?.previous ?? {};
  const encryptKeys = new Map<number, Buffer>();
  const fileKeys = new Map<number, Buffer>();
  const additionalData = new Map<number, Buffer>();
  let highest = 0;
  for (const [v, key] of Object.entries(previous)) {
    const version = Number(v);
    checkVersion(version);
    checkMasterKey(key, `PII master key version ${version}`);
    encryptKeys.set(version, subkey(key, SUBKEY_ENCRYPT));
    fileKeys.set(version, subkey(key, SUBKEY_FILES));
    highest = Math.max(highest, version);
  }
  const currentVersion = opts?.version ?? highest + 1;
  checkVersion(currentVersion);
  if (encryptKeys.has(currentVersion)) {
    throw new PiiError('PII_KEY_INVALID', `key version ${currentVersion} is both current and previous`);
  }
  encryptKeys.set(currentVersion, subkey(masterKey, SUBKEY_ENCRYPT));
  fileKeys.set(currentVersion, subkey(masterKey, SUBKEY_FILES));
  // The version byte is authenticated as additional data, so relabelling a value with another version fails.
  for (const version of encryptKeys.keys()) additionalData.set(version, Buffer.of(version));

  const encryptKey = encryptKeys.get(currentVersion) as Buffer;
  const ad = additionalData.get(currentVersion) as Buffer;
  const hashKey = subkey(masterKey, SUBKEY_HASH);
  const domainKeys = new Map<string, Buffer>();
  const scratch = Buffer.alloc(SCRATCH_BYTES);
  const scratchViews = Array.from({ length: CACHED_VIEWS + 1 }, (_, n) => scratch.subarray(0, n));
  // Ciphertext of short values, before it is copied into the sealed value (public data: no need to wipe).
  const cipherOut = Buffer.alloc(CACHED_VIEWS);
  const cipherViews = Array.from({ length: CACHED_VIEWS + 1 }, (_, n) => cipherOut.subarray(0, n));
  const hashOut = Buffer.alloc(HASH_BYTES);

  // A view of the first n bytes of the scratch buffer (n <= SCRATCH_BYTES).
  function scratchView(n: number): Buffer {
    return n <= CACHED_VIEWS ? (scratchViews[n] as Buffer) : scratch.subarray(0, n);
  }

  const keyCheckHex = (() => {
    const out = Buffer.alloc(HASH_BYTES);
    const k = subkey(masterKey, SUBKEY_KEY_CHECK);
    sodium.crypto_generichash(out, KEY_CHECK_INPUT, k);
    sodium.sodium_memzero(k);
    return out.toString('hex');
  })();

  // Encodes into the scratch buffer when it surely fits (a UTF-16 unit is at most 3 UTF-8 bytes). ID and phone
  // numbers are ASCII: copied a character at a time, they skip a call into Buffer#write.
  function encode(s: string): Buffer {
    const n = s.length;
    if (n <= CACHED_VIEWS) {
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        scratch[i] = c;
      }
      if (i === n) return scratchViews[n] as Buffer;
    }
    if (n * 3 <= SCRATCH_BYTES) return scratchView(scratch.write(s, 0, 'utf8'));
    return Buffer.from(s, 'utf8');
  }

  // The plaintext also lives on as a JS string, but a scratch buffer would keep the last value for the life of
  // the process (and in any core dump); wiping it costs a few nanoseconds.
  function wipe(m: Buffer): void {
    if (m.buffer !== scratch.buffer) return;
    // A loop beats Buffer#fill's argument checks for the short values this sees.
    for (let i = 0; i < m.length; i++) scratch[i] = 0;
  }

  // Writes [version][nonce][ciphertext + tag] of the encoded plaintext `m` at `offset`; returns its length.
  function sealEncoded(m: Buffer, target: Uint8Array, offset: number): number {
    const clen = m.length + TAG_BYTES;
    if (offset < 0 || offset + HEADER_BYTES + clen > target.length) throw new RangeError('seal: target too short');
    target[offset] = currentVersion;
    const nonce = takeNonce();
    target.set(nonce, offset + 1);
    if (clen <= CACHED_VIEWS) {
      // Encrypting into a reused view and copying is cheaper than making a view of the target for every value.
      const c = cipherViews[clen] as Buffer;
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(c, m, ad, null, nonce, encryptKey);
      target.set(c, offset + HEADER_BYTES);
    } else {
      const c = target.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + clen);
      sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(c, m, ad, null, nonce, encryptKey);
    }
    return HEADER_BYTES + clen;
  }

  function domainKey(domain: string): Buffer {
    let k = domainKeys.get(domain);
    if (k === undefined) {
      k = Buffer.alloc(HASH_BYTES);
      sodium.crypto_generichash(k, Buffer.from(domain, 'utf8'), hashKey);
      if (domainKeys.size < MAX_CACHED_DOMAINS) domainKeys.set(domain, k);
    }
    return k;
  }

  const cipher: PiiCipher = {
    currentVersion,
    fileKeys: { current: currentVersion, key: (version) => fileKeys.get(version) },

    seal(plain) {
      const m = encode(plain);
      try {
        const out = Buffer.allocUnsafe(HEADER_BYTES + m.length + TAG_BYTES);
        sealEncoded(m, out, 0);
        return out;
      } finally {
        wipe(m);
      }
    },

    sealInto(plain, target, offset) {
      const m = encode(plain);
      try {
        return sealEncoded(m, target, offset);
      } finally {
        wipe(m);
      }
    },

    open(sealed) {
      if (sealed.byteLength === 0) throw new PiiError('PII_TAMPERED', 'sealed value is empty');
      const version = sealed[0] as number;
      const key = encryptKeys.get(version);
      if (key === undefined) {
        throw new PiiError('PII_UNKNOWN_VERSION', `no PII key configured for version ${version}`);
      }
      const mlen = sealed.byteLength - HEADER_BYTES - TAG_BYTES;
      if (mlen < 0) throw new PiiError('PII_TAMPERED', 'sealed value is truncated');
      const m = mlen <= SCRATCH_BYTES ? scratchView(mlen) : Buffer.allocUnsafe(mlen);
      try {
        sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
          m,
          null,
          sealed.subarray(HEADER_BYTES),
          additionalData.get(version) as Buffer,
          sealed.subarray(1, HEADER_BYTES),
          key,
        );
        return m.toString('utf8');
      } catch (err) {
        throw new PiiError('PII_TAMPERED', 'sealed value failed authentication (modified, or another key)', {
          cause: err,
        });
      } finally {
        m.fill(0);
      }
    },

    hash(normalized, domain) {
      const m = encode(normalized);
      const out = Buffer.allocUnsafe(HASH_BYTES);
      sodium.crypto_generichash(out, m, domainKey(domain));
      wipe(m);
      return out;
    },

    hashInto(normalized, domain, target, offset) {
      if (offset < 0 || offset + HASH_BYTES > target.length) throw new RangeError('hashInto: target too short');
      const m = encode(normalized);
      sodium.crypto_generichash(hashOut, m, domainKey(domain));
      wipe(m);
      target.set(hashOut, offset);
    },

    keyCheck() {
      return keyCheckHex;
    },
  };
  recipes.set(cipher, { masterKey: Buffer.from(masterKey), keyring: opts ? { ...opts } : undefined });
  return cipher;
}

/** What a cipher was made from, so that a worker thread can make the same one (see cipherRecipe). */
export type PiiCipherRecipe = { masterKey: Buffer; keyring: PiiKeyring | undefined };
const recipes = new WeakMap<PiiCipher, PiiCipherRecipe>();

/**
 * The key material a cipher was built from, for worker threads of this process that seal and hash on its
 * behalf (the bulk import's row preparation): `createPiiCipher(r.masterKey, r.keyring)` there makes an
 * equivalent cipher. Never to be logged, stored or sent outside the process. Undefined for an object that
 * createPiiCipher did not make.
 */
export function cipherRecipe(c: PiiCipher): PiiCipherRecipe | undefined {
  return recipes.get(c);
}

const MIN_SECRET_CHARS = 16;
// crypto_generichash keys must be 16..64 bytes; the label is zero-padded to 32.
const MASTER_DERIVATION_KEY = Buffer.alloc(KEY_BYTES);
MASTER_DERIVATION_KEY.write('linli-master-v1', 'utf8');

/**
 * Turns the operator secret (LINLI_SECRET) into the 32-byte master key with keyed BLAKE2b.
 * Not a password hash (crypto_pwhash/Argon2) on purpose: the secret is meant to be machine-generated and
 * high-entropy (`openssl rand -hex 32`), so a deliberately slow KDF would add about a second to every start
 * and test run without making such a secret harder to guess. Do not use a memorable phrase.
 * @throws PiiError PII_SECRET_TOO_SHORT when the secret has fewer than 16 characters.
 */
export function deriveMasterKey(secret: string): Buffer {
  if (Array.from(secret).length < MIN_SECRET_CHARS) {
    throw new PiiError('PII_SECRET_TOO_SHORT', `LINLI_SECRET must have at least ${MIN_SECRET_CHARS} characters`);
  }
  const key = Buffer.alloc(KEY_BYTES);
  sodium.crypto_generichash(key, Buffer.from(secret, 'utf8'), MASTER_DERIVATION_KEY);
  return key;
}

const KEY_FILE_CONTENT = /^([0-9a-f]{64})\r?\n?$/i;

function readKeyFile(path: string): Buffer {
  // Windows has no POSIX modes to tighten.
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const m = KEY_FILE_CONTENT.exec(readFileSync(path, 'utf8'));
  if (!m) {
    throw new PiiError('PII_KEY_FILE_INVALID', `PII key file ${path} must hold 64 hex characters (a 32-byte key)`);
  }
  return Buffer.from(m[1] as string, 'hex');
}

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}

/**
 * Loads the master key from a key file, or creates one (random 32 bytes as 64 hex characters and a newline,
 * mode 0600) when there is none. An existing file readable by group or others is chmod-ed to 0600 and still
 * used. Safe when several instances start at once: the file appears complete or not at all (written under a
 * temporary name, then hard-linked into place), and the loser of the race loads the winner's key.
 * @throws PiiError PII_KEY_FILE_INVALID when the file exists but does not hold a key.
 */
export function loadOrCreateKeyFile(path: string): { key: Buffer; created: boolean } {
  try {
    return { key: readKeyFile(path), created: false };
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = Buffer.alloc(KEY_BYTES);
  sodium.randombytes_buf(key);
  const content = `${key.toString('hex')}\n`;
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, path);
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return { key: readKeyFile(path), created: false };
    // Filesystems without hard links: fall back to exclusive create (not atomic, but still never overwrites).
    if (!isErrno(err, 'EPERM') && !isErrno(err, 'ENOTSUP') && !isErrno(err, 'EOPNOTSUPP')) throw err;
    try {
      writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
    } catch (err2) {
      if (isErrno(err2, 'EEXIST')) return { key: readKeyFile(path), created: false };
      throw err2;
    }
  } finally {
    unlinkSync(tmp);
  }
  return { key, created: true };
}
