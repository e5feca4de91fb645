/**
 * Turns an upload's bytes into what is stored: images decoded and re-encoded by sharp (orientation applied,
 * every metadata block — EXIF with GPS, XMP, ICC comments — left behind, long side at most `maxSide`) with a
 * thumbnail; PDFs kept as sent once they look whole. Anything else, or anything sharp cannot read, is an
 * AppError naming the file; nothing here touches the disk or the database.
 */
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import { AppError } from '../errors/errors.js';
import { type FileLimits, looksCompletePdf, sniffType } from './files.logic.js';

export type Variant = { bytes: Buffer; sha256: string; mime: string };

export type ProcessedFile = {
  kind: 'image' | 'document';
  main: Variant & { width: number | null; height: number | null };
  thumb: Variant | null;
};

const sha256Of = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function variant(bytes: Buffer, mime: string): Variant {
  return { bytes, mime, sha256: sha256Of(bytes) };
}

/**
 * @throws FILE_TYPE_UNSUPPORTED (not an accepted type by its content), FILE_HEIC_UNSUPPORTED (an iPhone HEIC photo
 *   this build of sharp cannot decode), FILE_IMAGE_TOO_LARGE (more pixels than `maxInputPixels`), FILE_UNREADABLE
 *   (damaged or cut short)
 */
export async function processUpload(
  bytes: Buffer,
  name: string,
  limits: FileLimits,
  field = 'file',
): Promise<ProcessedFile> {
  const type = sniffType(bytes.subarray(0, 64));
  if (!type) throw new AppError('FILE_TYPE_UNSUPPORTED', { field, params: { name } });
  if (type.kind === 'document') {
    if (!looksCompletePdf(bytes)) throw new AppError('FILE_UNREADABLE', { field, params: { name } });
    return { kind: 'document', main: { ...variant(bytes, 'application/pdf'), width: null, height: null }, thumb: null };
  }
  const unreadable = (err: unknown) =>
    type.format === 'heic'
      ? new AppError('FILE_HEIC_UNSUPPORTED', { field, params: { name }, cause: err })
      : new AppError('FILE_UNREADABLE', { field, params: { name }, cause: err });
  const options = { limitInputPixels: limits.maxInputPixels, failOn: 'error' as const };
  let meta: Metadata;
  try {
    // The header only (no pixels are decoded), read without the limit so the refusal can say how large.
    meta = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch (err) {
    throw unreadable(err);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  // Checked from the header before anything is decoded: a small file may declare a picture of billions of pixels.
  if (width * height > limits.maxInputPixels) {
    throw new AppError('FILE_IMAGE_TOO_LARGE', {
      field,
      params: { name, width, height, limit: Math.floor(limits.maxInputPixels / 1_000_000) },
    });
  }
  try {
    const alpha = meta.hasAlpha === true;
    // No withMetadata()/keepExif(): sharp writes none of the input's metadata; autoOrient turns the pixels first.
    const out = sharp(bytes, { ...options, autoOrient: true }).resize({
      width: limits.maxSide,
      height: limits.maxSide,
      fit: 'inside',
      withoutEnlargement: true,
    });
    const main = await (alpha ? out.png({ compressionLevel: 9 }) : out.jpeg({ quality: 85 })).toBuffer({
      resolveWithObject: true,
    });
    const thumb = await sharp(main.data)
      .resize({ width: limits.thumbSide, height: limits.thumbSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 75 })
      .toBuffer();
    return {
      kind: 'image',
      main: {
        ...variant(main.data, alpha ? 'image/png' : 'image/jpeg'),
        width: main.info.width,
        height: main.info.height,
      },
      thumb: variant(thumb, 'image/jpeg'),
    };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unreadable(err);
  }
}
