import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPiiCipher } from '../../../platform/pii/index.js';
import { StageWriter } from './import.stage.js';

/** Reads back the fields of binary COPY data: each row as a list of raw field bytes (null for NULL). */
function readCopy(buf: Buffer): (Buffer | null)[][] {
  expect(buf.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  let p = 19;
  const rows: (Buffer | null)[][] = [];
  for (;;) {
    const n = buf.readInt16BE(p);
    p += 2;
    if (n === -1) break;
    const row: (Buffer | null)[] = [];
    for (let i = 0; i < n; i++) {
      const len = buf.readInt32BE(p);
      p += 4;
      row.push(len === -1 ? null : buf.subarray(p, p + len));
      if (len > 0) p += len;
    }
    rows.push(row);
  }
  expect(p).toBe(buf.length);
  return rows;
}

describe('StageWriter', () => {
  it('writes PostgreSQL binary COPY fields', () => {
    const w = new StageWriter(16);
    w.beginRow(8);
    w.int4(42);
    w.int8(2 ** 40 + 5);
    w.text('张三');
    w.text(null);
    w.bool(true);
    w.date('2000-01-02');
    w.int8Array([7, 8]);
    w.int8(null);
    const [row] = readCopy(w.finish());
    expect(row).toHaveLength(8);
    expect(row![7]).toBeNull();
    expect(row![0]!.readInt32BE(0)).toBe(42);
    expect(row![1]!.readBigInt64BE(0)).toBe(BigInt(2 ** 40 + 5));
    expect(row![2]!.toString('utf8')).toBe('张三');
    expect(row![3]).toBeNull();
    expect([...row![4]!]).toEqual([1]);
    // Days since 2000-01-01.
    expect(row![5]!.readInt32BE(0)).toBe(1);
    const arr = row![6]!;
    expect([arr.readInt32BE(0), arr.readInt32BE(4), arr.readInt32BE(8), arr.readInt32BE(12)]).toEqual([1, 0, 20, 2]);
    expect(arr.readBigInt64BE(24)).toBe(7n);
    expect(arr.readBigInt64BE(36)).toBe(8n);
  });

  it('encodes text exactly as Buffer#write does, lone surrogates and long strings included', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0x7ff }),
      fc.integer({ min: 0x800, max: 0xffff }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
    );
    const text = fc.array(unit, { maxLength: 80 }).map((codes) => String.fromCharCode(...codes));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), (values) => {
        const w = new StageWriter(8);
        w.beginRow(values.length);
        for (const v of values) w.text(v);
        const [row] = readCopy(w.finish());
        expect(row!.map((b) => Buffer.from(b!).toString('hex'))).toEqual(
          values.map((v) => Buffer.from(v, 'utf8').toString('hex')),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('writes dates as days since 2000-01-01', () => {
    const w = new StageWriter(8);
    w.beginRow(2);
    w.date('1899-12-31');
    w.date('2024-02-29');
    const [row] = readCopy(w.finish());
    expect(row!.map((b) => b!.readInt32BE(0))).toEqual([-36_525, 8_825]);
  });

  it('seals and hashes in place what bytes(pii.seal(…)) and bytes(pii.hash(…)) would write', () => {
    const pii = createPiiCipher(Buffer.alloc(32, 3));
    const values = ['11010519491231002X', '13800000000', '张三', '', 'x'.repeat(300), '\ud800'];
    const w = new StageWriter(8);
    w.beginRow(values.length * 2 + 2);
    for (const v of values) {
      w.sealed(pii, v);
      w.hashed(pii, v, 'phone');
    }
    w.sealed(pii, null);
    w.hashed(pii, null, 'id');
    const [row] = readCopy(w.finish());
    values.forEach((v, i) => {
      const sealed = row![2 * i]!;
      expect(sealed.length).toBe(pii.seal(v).length);
      expect(pii.open(sealed)).toBe(pii.open(pii.seal(v)));
      expect(row![2 * i + 1]!.equals(pii.hash(v, 'phone'))).toBe(true);
    });
    expect(row!.slice(-2)).toEqual([null, null]);
  });

  it('drops rows by their byte ranges and starts over on reset', () => {
    const w = new StageWriter(8);
    const ranges: [number, number][] = [];
    for (let i = 0; i < 5; i++) {
      const start = w.beginRow(1);
      w.text(`row ${i}`);
      ranges.push([start, w.length]);
    }
    w.removeRows([ranges[1]!, ranges[3]!]);
    expect(w.rows).toBe(3);
    expect(readCopy(w.finish()).map((r) => r[0]!.toString())).toEqual(['row 0', 'row 2', 'row 4']);
    w.reset();
    w.beginRow(1);
    w.int4(1);
    expect(readCopy(w.finish())).toHaveLength(1);
  });
});
