import { describe, expect, it } from 'vitest';
import { cipherRecipe, createPiiCipher } from '../../../platform/pii/index.js';
import { type Cell, mapColumns } from './import.logic.js';
import { decodeRows, encodeRows, fromWire, type PrepInit, RowPreparer, toWire } from './import.prep.js';
import { PrepPool } from './import.prep.pool.js';
import { HEADER, newId, samplePlaces } from './import.test-fixtures.js';

const nodes = samplePlaces();
const nodesById = new Map(nodes.map((n) => [n.id, n]));
const pii = createPiiCipher(Buffer.alloc(32, 9));
const init: PrepInit = {
  nodes,
  scope: { all: false, paths: ['/1/2/10/'] },
  tags: [
    ['党员', { id: 7, derived: false }],
    ['低保户', { id: 8, derived: false }],
  ],
  columns: mapColumns(HEADER),
  today: '2026-01-10',
  now: Date.parse('2026-01-10T04:00:00Z'),
  pii: null,
};
const place = ['东关社区', '第一网格', '1号楼', '1单元'];

/** Good rows, bad rows, a blank row, a separator inside a cell, a number cell (as a spreadsheet gives). */
function rows(): Cell[][] {
  return [
    ['张三', newId(), '13805371234', '男', '', ...place, '101', 'H-1', '户主', '党员,低保户'],
    ['李四', newId('1988-02-02', 'female'), '', '女', '', ...place, '101', 'H-1', '配偶', ''],
    ['', '', '', '', '', '', '', '', '', '', '', '', ''],
    ['坏行', '123', '', '', '', ...place, '', '', '', ''],
    ['王\u001f五', newId('1990-03-03'), '', '', '', ...place, '102', '', '户主', ''],
    ['赵六', newId('1991-04-04'), 13805370000, '', '', ...place, '103', '', '户主', ''],
    ['钱七', newId('1950-05-05'), '', '', '', '东关社区', '第二网格', '', '', '', '', '', ''],
  ];
}

/** What a prepared chunk says, with each person's columns as bytes whose sealed parts vary (nonces). */
function summary(c: ReturnType<RowPreparer['prepare']>) {
  return c.checked.map((x, i) => ({
    checked: x,
    personBytes: (c.starts[i + 1] as number) - (c.starts[i] as number),
  }));
}

describe('import row preparation across threads', () => {
  it('crosses as one string when it can, and comes back equal to an inline preparation', () => {
    const r = rows();
    const plain = r.filter((x) => x.every((c) => typeof c === 'string' && !c.includes('\u001f')));
    expect(typeof encodeRows(plain)).toBe('string');
    expect(decodeRows(encodeRows(plain))).toEqual(plain);
    // A number cell or a separator in a text: the rows are sent as they are.
    expect(encodeRows(r)).toBe(r);

    const inline = new RowPreparer(init, pii).prepare(r);
    const wire = toWire(new RowPreparer(init, pii).prepare(r));
    // The good rows travel as text; the bad one and the one with a separator are cloned.
    expect([...wire.kinds]).toEqual([1, 1, 0, 2, 2, 1, 1]);
    const back = fromWire(structuredClone(wire), nodesById);
    expect(summary(back)).toEqual(summary(inline));
    // The places are the runner's own objects again, not copies.
    expect(back.checked[0]?.row?.node).toBe(nodesById.get(inline.checked[0]?.row?.node.id as number));
    expect(inline.checked[0]?.row?.tagIds).toEqual([7, 8]);
    expect(inline.checked[3]?.issues.length).toBeGreaterThan(0);
    // Keyed hashes are deterministic: equal across the two preparations.
    expect(Buffer.from(back.hashes)).toEqual(Buffer.from(inline.hashes));
  });

  it('prepares in worker threads, in order, what the runner would have prepared itself', async () => {
    const recipe = cipherRecipe(pii);
    expect(recipe).toBeDefined();
    const pool = new PrepPool(2, { ...init, pii: recipe ?? null }, nodesById);
    try {
      const chunks = [rows(), rows().slice(0, 2), rows().slice(3)];
      const results = await Promise.all(chunks.map((c) => pool.prepare(c)));
      for (const [i, c] of chunks.entries()) {
        expect(summary(results[i] as ReturnType<RowPreparer['prepare']>)).toEqual(
          summary(new RowPreparer(init, pii).prepare(c)),
        );
      }
      // Sealed under the same key: this thread opens what a worker sealed.
      const first = results[0] as ReturnType<RowPreparer['prepare']>;
      const person = Buffer.from(first.person.subarray(first.starts[0], first.starts[1]));
      // Fields: name, pinyin, initials, then the sealed ID number (each an int32 length and its bytes).
      let p = 0;
      for (let f = 0; f < 3; f++) p += 4 + person.readInt32BE(p);
      const sealedId = person.subarray(p + 4, p + 4 + person.readInt32BE(p));
      expect(pii.open(sealedId)).toBe(first.checked[0]?.row?.id);
    } finally {
      await pool.close();
    }
    await expect(pool.prepare(rows())).rejects.toThrow(/closed/);
    // Starting threads that load TypeScript takes seconds on a busy machine.
  }, 60_000);
});
