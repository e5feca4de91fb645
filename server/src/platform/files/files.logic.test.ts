import { describe, expect, it } from 'vitest';
import { cleanFileName, formatBytes, looksCompletePdf, sniffType } from './files.logic.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const ftyp = (major: string, ...compatible: string[]) => {
  const body = bytes('ftyp', major, [0, 0, 0, 0], ...compatible);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length + 4);
  return Buffer.concat([size, body, Buffer.alloc(16)]);
};

describe('sniffType', () => {
  it('tells the accepted types by their first bytes', () => {
    expect(sniffType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ kind: 'image', format: 'jpeg' });
    expect(sniffType(bytes([0x89], 'PNG\r\n\x1a\n'))).toEqual({ kind: 'image', format: 'png' });
    expect(sniffType(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toEqual({ kind: 'image', format: 'webp' });
    expect(sniffType(bytes('GIF89a'))).toEqual({ kind: 'image', format: 'gif' });
    expect(sniffType(bytes('GIF87a'))).toEqual({ kind: 'image', format: 'gif' });
    expect(sniffType(bytes('%PDF-1.7\n'))).toEqual({ kind: 'document', format: 'pdf' });
  });

  it('tells AVIF from an iPhone HEIC by the ftyp brands', () => {
    expect(sniffType(ftyp('avif', 'mif1', 'miaf'))).toEqual({ kind: 'image', format: 'avif' });
    expect(sniffType(ftyp('mif1', 'avif'))).toEqual({ kind: 'image', format: 'avif' });
    expect(sniffType(ftyp('heic', 'mif1', 'heic'))).toEqual({ kind: 'image', format: 'heic' });
    expect(sniffType(ftyp('mif1', 'heic'))).toEqual({ kind: 'image', format: 'heic' });
    // An MP4 video is ISO-BMFF too, and no picture.
    expect(sniffType(ftyp('isom', 'mp41'))).toBeNull();
  });

  it('refuses what it does not accept, whatever the name says', () => {
    expect(sniffType(bytes('hello, this is text'))).toBeNull();
    expect(sniffType(bytes('PK', [3, 4]))).toBeNull(); // docx, xlsx, zip
    expect(sniffType(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(sniffType(bytes('II*', [0]))).toBeNull(); // TIFF
    expect(sniffType(Buffer.alloc(0))).toBeNull();
    expect(sniffType(bytes([0xff, 0xd8]))).toBeNull();
  });
});

describe('looksCompletePdf', () => {
  it('wants %%EOF near the end', () => {
    expect(looksCompletePdf(bytes('%PDF-1.4\n...\n%%EOF\n'))).toBe(true);
    expect(looksCompletePdf(bytes('%PDF-1.4\n1 0 obj<<'))).toBe(false);
  });
});

describe('cleanFileName', () => {
  it('keeps the last path segment without control characters', () => {
    expect(cleanFileName('C:\\Users\\me\\低保证明.jpg')).toBe('低保证明.jpg');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc.png')).toBe('abc.png');
    expect(cleanFileName('')).toBe('file');
    expect(cleanFileName(undefined)).toBe('file');
    expect(Array.from(cleanFileName('照'.repeat(300)))).toHaveLength(200);
  });
});

describe('formatBytes', () => {
  it('says MB and KB', () => {
    expect(formatBytes(15 * 1024 * 1024)).toBe('15 MB');
    expect(formatBytes(300 * 1024)).toBe('300 KB');
  });
});
