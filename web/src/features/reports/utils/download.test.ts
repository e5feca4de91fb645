import { describe, expect, it } from 'vitest';
import { fileNameFromDisposition, formatBytes, readBody } from './download';

describe('fileNameFromDisposition', () => {
  it('prefers the UTF-8 name', () => {
    const header = `attachment; filename="_______-20261124.xlsx"; filename*=UTF-8''${encodeURIComponent('高龄老人名单-20261124.xlsx')}`;
    expect(fileNameFromDisposition(header, 'report.xlsx')).toBe('高龄老人名单-20261124.xlsx');
  });

  it('takes the plain name, quoted or not', () => {
    expect(fileNameFromDisposition('attachment; filename="a b.xlsx"', 'x')).toBe('a b.xlsx');
    expect(fileNameFromDisposition('attachment; filename=report.xlsx', 'x')).toBe('report.xlsx');
  });

  it('falls back when there is no usable name', () => {
    expect(fileNameFromDisposition(null, 'report.xlsx')).toBe('report.xlsx');
    expect(fileNameFromDisposition('attachment', 'report.xlsx')).toBe('report.xlsx');
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''%E0%A4%A", 'report.xlsx')).toBe('report.xlsx');
  });
});

describe('readBody', () => {
  it('reports the bytes received as they arrive', async () => {
    const parts = [new Uint8Array([80, 75]), new Uint8Array([3, 4, 5])];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(part);
        controller.close();
      },
    });
    const seen: number[] = [];
    const blob = await readBody(new Response(stream), (n) => seen.push(n));
    expect(seen).toEqual([2, 5]);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([80, 75, 3, 4, 5]));
  });
});

describe('formatBytes', () => {
  it('uses the largest fitting unit', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2 KB');
    expect(formatBytes(3 * 1024 * 1024 + 100_000)).toBe('3.1 MB');
  });
});
