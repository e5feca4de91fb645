/**
 * Photos are shrunk on the device before they are uploaded: a phone's 12-50 MP picture becomes a JPEG whose long
 * side is at most 2048 px (what the server keeps anyway), drawn with its orientation applied. It saves the
 * resident's mobile data and the wait, and turns an iPhone's HEIC photo — which the browser can decode but the
 * server cannot — into JPEG. Anything the browser cannot draw (a PDF) is sent as it is; the server judges it.
 */

export const UPLOAD_MAX_SIDE = 2048;
export const UPLOAD_JPEG_QUALITY = 0.85;

/** The size of a `width` × `height` picture fitted within `maxSide` on its long side, never enlarged. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height, 1));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The name a re-encoded photo is sent under: the same, ending in .jpg. */
export function jpegName(name: string): string {
  const base = name.replace(/\.[^./\\]*$/, '');
  return `${base || 'photo'}.jpg`;
}

const isPicture = (file: File) => file.type.startsWith('image/') || /\.(heic|heif)$/i.test(file.name);

/** A JPEG of the photo at most `maxSide` px long (orientation applied); the file itself when it is no picture. */
export async function compressImage(file: File, opts: { maxSide?: number; quality?: number } = {}): Promise<File> {
  if (!isPicture(file) || file.type === 'image/gif') return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  try {
    const size = fitWithin(bitmap.width, bitmap.height, opts.maxSide ?? UPLOAD_MAX_SIDE);
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return file;
    // JPEG has no transparency: what was see-through becomes white, as on paper.
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, size.width, size.height);
    ctx.drawImage(bitmap, 0, 0, size.width, size.height);
    const blob = await new Promise<Blob | null>((resolve) =>
      canvas.toBlob(resolve, 'image/jpeg', opts.quality ?? UPLOAD_JPEG_QUALITY),
    );
    if (!blob) return file;
    return new File([blob], jpegName(file.name), { type: 'image/jpeg', lastModified: file.lastModified });
  } finally {
    bitmap.close();
  }
}
