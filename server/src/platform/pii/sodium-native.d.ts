// sodium-native 5 ships no type declarations (and there is no @types package for v5). This declares only
// what pii.crypto.ts and platform/files use; extend it when another function is needed. Signatures follow the package's
// index.js: output buffers first, `nsec` must be null, functions throw on failure.
declare module 'sodium-native' {
  type Bytes = Uint8Array;

  type Sodium = {
    readonly crypto_aead_xchacha20poly1305_ietf_KEYBYTES: number;
    readonly crypto_aead_xchacha20poly1305_ietf_NPUBBYTES: number;
    readonly crypto_aead_xchacha20poly1305_ietf_ABYTES: number;
    readonly crypto_generichash_BYTES: number;
    readonly crypto_generichash_KEYBYTES: number;
    readonly crypto_kdf_KEYBYTES: number;
    readonly crypto_kdf_CONTEXTBYTES: number;
    readonly crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
    readonly crypto_secretstream_xchacha20poly1305_ABYTES: number;
    readonly crypto_secretstream_xchacha20poly1305_HEADERBYTES: number;
    readonly crypto_secretstream_xchacha20poly1305_KEYBYTES: number;
    readonly crypto_secretstream_xchacha20poly1305_TAG_MESSAGE: number;
    readonly crypto_secretstream_xchacha20poly1305_TAG_FINAL: number;

    randombytes_buf(buffer: Bytes): void;
    sodium_memzero(buffer: Bytes): void;
    sodium_memcmp(a: Bytes, b: Bytes): boolean;

    /** Returns the number of bytes written to `c` (m.byteLength + ABYTES). */
    crypto_aead_xchacha20poly1305_ietf_encrypt(
      c: Bytes,
      m: Bytes,
      ad: Bytes | null,
      nsec: null,
      npub: Bytes,
      k: Bytes,
    ): number;
    /** Throws when the tag does not verify. */
    crypto_aead_xchacha20poly1305_ietf_decrypt(
      m: Bytes,
      nsec: null,
      c: Bytes,
      ad: Bytes | null,
      npub: Bytes,
      k: Bytes,
    ): number;

    crypto_generichash(output: Bytes, input: Bytes, key?: Bytes): void;
    /** Fills `header` (HEADERBYTES) and starts the push `state` (STATEBYTES) under `k` (KEYBYTES). */
    crypto_secretstream_xchacha20poly1305_init_push(state: Bytes, header: Bytes, k: Bytes): void;
    /** Encrypts `m` into `c` (m.byteLength + ABYTES) with `tag`; returns the bytes written. */
    crypto_secretstream_xchacha20poly1305_push(state: Bytes, c: Bytes, m: Bytes, ad: Bytes | null, tag: number): number;
    crypto_secretstream_xchacha20poly1305_init_pull(state: Bytes, header: Bytes, k: Bytes): void;
    /**
     * Decrypts `c` into `m` (c.byteLength - ABYTES) and writes its tag into `tag` (1 byte); returns the bytes
     * written. Throws when the chunk does not verify (modified, out of order, or another key).
     */
    crypto_secretstream_xchacha20poly1305_pull(state: Bytes, m: Bytes, tag: Bytes, c: Bytes, ad: Bytes | null): number;

    crypto_kdf_derive_from_key(subkey: Bytes, subkeyId: number, ctx: Bytes, key: Bytes): void;
  };

  const sodium: Sodium;
  export default sodium;
}
