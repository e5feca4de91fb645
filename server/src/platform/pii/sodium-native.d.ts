// sodium-native 5 ships no type declarations (and there is no @types package for v5). This declares only
// what pii.crypto.ts uses; extend it when another function is needed. Signatures follow the package's
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
    crypto_kdf_derive_from_key(subkey: Bytes, subkeyId: number, ctx: Bytes, key: Bytes): void;
  };

  const sodium: Sodium;
  export default sodium;
}
