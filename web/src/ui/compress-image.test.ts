import { describe, expect, it } from 'vitest';
import { fitWithin, jpegName } from './compress-image';

describe('fitWithin', () => {
  it('shrinks the long side to the limit and keeps the proportions', () => {
    expect(fitWithin(4032, 3024, 2048)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin(3024, 4032, 2048)).toEqual({ width: 1536, height: 2048 });
  });

  it('never enlarges a small picture', () => {
    expect(fitWithin(640, 480, 2048)).toEqual({ width: 640, height: 480 });
  });
});

describe('jpegName', () => {
  it('names the re-encoded photo .jpg', () => {
    expect(jpegName('IMG_4242.HEIC')).toBe('IMG_4242.jpg');
    expect(jpegName('低保证明.png')).toBe('低保证明.jpg');
    expect(jpegName('scan')).toBe('scan.jpg');
    expect(jpegName('.png')).toBe('photo.jpg');
  });
});
