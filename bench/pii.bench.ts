/**
 * Cost of sealing + hashing one ID number, as a county-scale import does it for every resident:
 * the libsodium cipher Linli uses (XChaCha20-Poly1305 + keyed BLAKE2b) against the node:crypto baseline
 * (AES-256-GCM + HMAC-SHA256). Run: npx tsx bench/pii.bench.ts [values]
 * The last line printed is one JSON object, for scripts that collect results.
 */
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { createPiiCipher, generateIdNumber } from '../server/src/platform/pii/index.js';

const COUNT = Number(process.argv[2] ?? 200_000);
const AREAS = ['370323', '370829', '110105', '440305', '510104'];

// The same ID numbers for both, generated before timing so only the cryptography is measured.
const ids: string[] = [];
for (let i = 0; i < COUNT; i++) {
  const year = 1930 + (i % 90);
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + (i % 28)).padStart(2, '0');
  ids.push(
    generateIdNumber({
      areaCode: AREAS[i % AREAS.length] as string,
      birthDate: `${year}-${month}-${day}`,
      sequence: i % 1000,
    }),
  );
}

const masterKey = randomBytes(32);
const sodiumCipher = createPiiCipher(masterKey);

const aesKey = randomBytes(32);
const hmacKey = randomBytes(32);
function nodeSeal(plain: string): Buffer {
  // A GCM cipher object cannot be reused with a new IV, so one is created per value, as production code must.
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', aesKey, iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return Buffer.concat([Buffer.of(1), iv, body, c.getAuthTag()]);
}
function nodeHash(normalized: string): Buffer {
  return createHmac('sha256', hmacKey).update('id').update(normalized).digest();
}

let sink = 0;
function run(seal: (s: string) => Buffer, hash: (s: string) => Buffer): number {
  const start = process.hrtime.bigint();
  for (const id of ids) {
    sink += seal(id).length + (hash(id)[0] as number);
  }
  return Number(process.hrtime.bigint() - start) / 1000 / ids.length;
}

const sodiumSeal = (s: string) => sodiumCipher.seal(s);
const sodiumHash = (s: string) => sodiumCipher.hash(s, 'id');

// Warm up both paths (JIT, libsodium init, OpenSSL cipher lookup), then take the best of three rounds so a
// garbage-collection pause or a noisy neighbour does not decide the result.
const warm = ids.slice(0, Math.min(20_000, ids.length));
for (const id of warm) {
  sink += sodiumSeal(id).length + nodeSeal(id).length + sodiumHash(id).length + nodeHash(id).length;
}
let sodiumUs = Number.POSITIVE_INFINITY;
let nodeUs = Number.POSITIVE_INFINITY;
for (let round = 0; round < 3; round++) {
  sodiumUs = Math.min(sodiumUs, run(sodiumSeal, sodiumHash));
  nodeUs = Math.min(nodeUs, run(nodeSeal, nodeHash));
}

// Correctness guard: a benchmark of a broken cipher is worthless.
const probe = ids[0] as string;
if (sodiumCipher.open(sodiumCipher.seal(probe)) !== probe) throw new Error('sodium round trip failed');

const round3 = (x: number) => Math.round(x * 1000) / 1000;
console.log(`values: ${COUNT} (18-character ID numbers), best of 3 rounds, seal + keyed hash per value`);
console.log(`sodium-native XChaCha20-Poly1305 + BLAKE2b : ${round3(sodiumUs)} µs/value`);
console.log(`node:crypto AES-256-GCM + HMAC-SHA256     : ${round3(nodeUs)} µs/value`);
console.log(`ratio node/sodium                         : ${round3(nodeUs / sodiumUs)}×  (checksum ${sink % 997})`);
console.log(
  JSON.stringify({
    bench: 'pii',
    values: COUNT,
    sodium_us: round3(sodiumUs),
    node_crypto_us: round3(nodeUs),
    ratio: round3(nodeUs / sodiumUs),
  }),
);
