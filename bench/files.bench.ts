/**
 * bench:files — what an upload costs the server: `processUpload` (sniff, header check, decode with orientation,
 * resize to 2048 px, JPEG, thumbnail, hashes) on a phone's full-size photo and on one the phone page already
 * shrank, next to a bare sharp decode of the same bytes measured in the same run as the floor. Prints one JSON
 * line per input with the median milliseconds, the sizes in and out, and the peak RSS.
 *
 *   npx tsx bench/files.bench.ts [-- --runs 9]
 */
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEFAULT_FILE_LIMITS } from '../server/src/platform/files/files.logic.js';
import { processUpload } from '../server/src/platform/files/files.process.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const RUNS = Number(values.runs);

/** A photo with fine detail everywhere (compresses like a real one, not like a flat colour). */
async function photo(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 7 + y * 3) & 255;
      raw[i + 1] = ((x ^ y) * 5) & 255;
      raw[i + 2] = ((i * 2654435761) >>> 24) & 63;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 92 })
    .toBuffer();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

for (const [label, w, h] of [
  ['phone_12mp', 4032, 3024],
  ['shrunk_on_phone', 2048, 1536],
] as const) {
  const input = await photo(w, h);
  let out = { main: 0, thumb: 0 };
  const processMs: number[] = [];
  const decodeMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    processMs.push(
      await time(async () => {
        const r = await processUpload(input, 'bench.jpg', DEFAULT_FILE_LIMITS);
        out = { main: r.main.bytes.length, thumb: r.thumb?.bytes.length ?? 0 };
      }),
    );
    decodeMs.push(await time(() => sharp(input).raw().toBuffer()));
  }
  console.log(
    JSON.stringify({
      bench: 'files',
      input: label,
      pixels: w * h,
      in_bytes: input.length,
      out_bytes: out.main,
      thumb_bytes: out.thumb,
      process_ms_p50: Math.round(median(processMs)),
      decode_only_ms_p50: Math.round(median(decodeMs)),
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}
