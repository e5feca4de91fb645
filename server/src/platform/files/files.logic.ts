/**
 * What an uploaded file is, from its first bytes (never its name or the client's content type), and the limits
 * uploads live within. Pure: no I/O.
 */

export type SniffedType =
  | { kind: 'image'; format: 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'heic' }
  | { kind: 'document'; format: 'pdf' };

/** Bytes of the start of a file needed to tell its type. */
export const SNIFF_BYTES = 64;

const ascii = (b: Uint8Array, at: number, s: string) => {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};

/** HEIF brands that carry HEVC (iPhone photos) and those that carry AV1 (AVIF). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

/** The brands of an ISO-BMFF `ftyp` box: the major brand and the compatible ones. */
function ftypBrands(b: Uint8Array): string[] | null {
  if (!ascii(b, 4, 'ftyp') || b.length < 16) return null;
  const boxSize = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const end = Math.min(b.length, boxSize);
  const brands = [String.fromCharCode(...b.subarray(8, 12))];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(String.fromCharCode(...b.subarray(at, at + 4)));
  return brands;
}

/**
 * The type of a file from its leading bytes (at least SNIFF_BYTES when the file has them), or null when it is
 * none Linli accepts: JPEG, PNG, WebP, GIF, AVIF, HEIC (iPhone) and PDF. Office files are not accepted: a zip
 * signature says nothing about what the archive holds, and a scan or photo covers what offices attach.
 */
export function sniffType(head: Uint8Array): SniffedType | null {
  const b = head;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: 'image', format: 'jpeg' };
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return { kind: 'image', format: 'png' };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return { kind: 'image', format: 'webp' };
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return { kind: 'image', format: 'gif' };
  if (ascii(b, 0, '%PDF-')) return { kind: 'document', format: 'pdf' };
  const brands = ftypBrands(b);
  if (brands) {
    // AV1 first: an AVIF file may list mif1/miaf too, and an iPhone HEIC never lists avif.
    if (brands.some((x) => AVIF_BRANDS.has(x))) return { kind: 'image', format: 'avif' };
    if (brands.some((x) => HEIC_BRANDS.has(x))) return { kind: 'image', format: 'heic' };
    if (brands.includes('mif1') || brands.includes('msf1')) return { kind: 'image', format: 'heic' };
  }
  return null;
}

/** Whether a PDF's bytes end as a whole PDF does (`%%EOF` in its last kilobyte): a cut-off upload does not. */
export function looksCompletePdf(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  return tail.includes('%%EOF');
}

export type FileLimits = {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Files in one upload request. */
  maxFilesPerRequest: number;
  /** Pixels (width × height) an image may declare before it is decoded: a guard against decompression bombs. */
  maxInputPixels: number;
  /** Long side of the stored image. */
  maxSide: number;
  /** Long side of the thumbnail. */
  thumbSide: number;
  /** Uploads not yet attached to a record that one user may hold at once. */
  maxPendingPerUser: number;
  /** Hours an upload may stay unattached before the cleanup removes it. */
  unattachedHours: number;
};

export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxBytes: 15 * 1024 * 1024,
  maxFilesPerRequest: 9,
  // 64 MP: a 600 dpi A4 scan is 35 MP, a phone's full-resolution photo 12-50 MP. Decoding one is ~200 MB.
  maxInputPixels: 64_000_000,
  maxSide: 2048,
  thumbSide: 320,
  maxPendingPerUser: 100,
  unattachedHours: 24,
};

/** The name an upload is kept under: no path, no control characters, at most 200 characters. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return Array.from(clean).slice(0, 200).join('') || 'file';
}

/** `n` bytes for people: "15 MB", "300 KB". */
export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}
