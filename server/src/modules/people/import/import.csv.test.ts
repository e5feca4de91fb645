import { parse as csvParse } from 'csv-parse/sync';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvError, CsvParser, createDecoder, detectDelimiter, detectEncoding } from './import.csv.js';

const SAMPLE = '姓名,身份证号,网格\n张三,370899198506151238,第一网格\n';

describe('detectEncoding', () => {
  it('takes UTF-8 for UTF-8 text, with or without a byte-order mark', () => {
    expect(detectEncoding(Buffer.from(SAMPLE))).toBe('utf-8');
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('name,id\n'))).toBe('utf-8');
  });

  it('falls back to GB18030 (GBK) when the sample is not UTF-8', () => {
    expect(detectEncoding(iconv.encode(SAMPLE, 'gbk'))).toBe('gb18030');
  });

  it('is not fooled by a character cut off at the end of the sample', () => {
    const bytes = Buffer.from(SAMPLE);
    const cut = bytes.subarray(0, bytes.indexOf(Buffer.from('三')) + 1);
    expect(detectEncoding(cut)).toBe('utf-8');
  });

  it('knows UTF-16 by its byte-order mark, and refuses binary data', () => {
    expect(detectEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]))).toBe('utf-16le');
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x41]))).toBe('utf-16be');
    expect(detectEncoding(Buffer.from([0x50, 0x00, 0x01, 0x02]))).toBeNull();
  });
});

describe('createDecoder', () => {
  it('decodes GBK split anywhere, even inside a character, and drops a UTF-8 byte-order mark', () => {
    const gbk = iconv.encode(SAMPLE, 'gbk');
    for (let cut = 0; cut <= gbk.length; cut++) {
      const d = createDecoder('gb18030');
      expect(d.write(gbk.subarray(0, cut)) + d.write(gbk.subarray(cut)) + d.end()).toBe(SAMPLE);
    }
    const d = createDecoder('utf-8');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]);
    expect(d.write(bom.subarray(0, 2)) + d.write(bom.subarray(2)) + d.end()).toBe(SAMPLE);
  });
});

describe('detectDelimiter', () => {
  it('picks the separator of the first line, ignoring quoted text', () => {
    expect(detectDelimiter('a,b,c\n1;2')).toBe(',');
    expect(detectDelimiter('a\tb\tc\n')).toBe('\t');
    expect(detectDelimiter('a;b;"c,d,e"\n')).toBe(';');
  });
});

function parseAll(text: string, delimiter = ',', chunks: number[] = []): string[][] {
  const p = new CsvParser(delimiter);
  const out: string[][] = [];
  let pos = 0;
  for (const size of chunks) {
    out.push(...p.push(text.slice(pos, pos + size)));
    pos += size;
  }
  out.push(...p.push(text.slice(pos)), ...p.end());
  return out;
}

describe('CsvParser', () => {
  it('parses quoted fields with separators, doubled quotes and line breaks', () => {
    expect(parseAll('a,"b,1","say ""hi""","two\nlines"\r\nx,,z')).toEqual([
      ['a', 'b,1', 'say "hi"', 'two\nlines'],
      ['x', '', 'z'],
    ]);
  });

  it('ends lines at \\r\\n, \\n or a lone \\r, and keeps a quote inside an unquoted field', () => {
    expect(parseAll('a,b\r\nc,d\re,f\ng,5"6\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', '5"6'],
    ]);
  });

  it('reports an unterminated quoted field with its record', () => {
    expect(() => parseAll('a,b\n"c,d\n')).toThrow(CsvError);
    expect(() => parseAll('a,b\nc,d\n"e,f\n')).toThrow(expect.objectContaining({ record: 3 }));
  });

  it('gives up on a record that never ends instead of holding the file in memory', () => {
    const p = new CsvParser(',', 100);
    expect(p.push('a,b\n"never closed')).toEqual([['a', 'b']]);
    expect(() => p.push('x'.repeat(200))).toThrow(CsvError);
  });

  const cell = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constantFrom('', '"', ',', '\n', '\r\n', '张三', '"引号"', 'a,b', ' 空格 '),
  );
  const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 });
  const quote = (v: string) => (/[",\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v);

  it('gives back what was written, however the text is cut into chunks', () => {
    fc.assert(
      fc.property(table, fc.array(fc.nat({ max: 20 }), { maxLength: 10 }), (rows, chunks) => {
        const text = `${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
        expect(parseAll(text, ',', chunks)).toEqual(rows);
      }),
    );
  });

  it('agrees with csv-parse on well-formed files', () => {
    fc.assert(
      fc.property(table, (rows) => {
        const text = `${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`;
        expect(parseAll(text)).toEqual(csvParse(text, { relax_column_count: true, skip_empty_lines: false }));
      }),
    );
  });
});
