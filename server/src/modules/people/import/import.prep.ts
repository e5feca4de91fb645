/**
 * The preparation of an import's rows — check and normalise (checkRow), and for a commit the person's columns
 * of the binary COPY (name and pinyin, ID and phone sealed, hashed and masked …) — in a form that runs the
 * same in a worker thread (import.prep.worker.ts) as in the runner's own thread. It needs nothing but the
 * row: what depends on other rows (the same ID twice, two heads of a household, houses and households, ids)
 * or on the database stays with the runner, which takes the prepared chunks back in file order.
 */
import { pathInScope, type Scope } from '../../../platform/access/scope.js';
import { createPiiCipher, PII_HASH_BYTES, type PiiCipher, type PiiCipherRecipe } from '../../../platform/pii/index.js';
import { writePerson } from './import.direct.js';
import type { Cell, ColumnMap } from './import.logic.js';
import { isBlankRow } from './import.logic.js';
import { createNamePinyin, type NamePinyin } from './import.pinyin.js';
import { PlaceIndex, type PlaceNode } from './import.places.js';
import { type CheckedRow, checkRow, type GoodRow, type RowContext, type TagRef } from './import.rows.js';
import { StageWriter } from './import.stage.js';

/** What a preparer needs, in a form a worker thread can be sent (structured clone). */
export type PrepInit = {
  nodes: PlaceNode[];
  scope: Scope;
  tags: [string, TagRef][];
  columns: ColumnMap;
  /** Yes/no columns (see RowContext). */
  flags?: RowContext['flags'];
  /** A houses file's rows are heads of household (see RowContext). */
  defaultRelation?: RowContext['defaultRelation'];
  today: string;
  /** The pass's clock (ms since the epoch): every row is checked against the same "now". */
  now: number;
  /** Commits only: the cipher the person's columns are sealed and hashed with (null for a dry run). */
  pii: PiiCipherRecipe | null;
};

/**
 * A chunk of rows prepared, in their order: `checked[i]` null for a blank row. For a commit, each good row's
 * person columns (see writePerson) lie in `person` from `starts[i]` to `starts[i + 1]` (an empty range for a
 * row that is not good) and its ID number's keyed hash at `hashes[32 i …]`.
 */
export type PreparedChunk = {
  checked: (CheckedRow | null)[];
  person: Uint8Array;
  starts: Int32Array;
  hashes: Uint8Array;
};

/**
 * A prepared chunk as it crosses between threads. Copying objects between threads (structured clone) cost
 * as much as preparing them: good rows travel as one string instead, fields split by FIELD and rows by ROW,
 * with the field names once (`keys`; see encodeValue); bad rows, and any row a value of which would not
 * survive that (a separator inside a text), are cloned as they are (`other`).
 */
export type WireChunk = {
  /** Per row: 0 blank, 1 good (next in `good`), 2 next in `other`. */
  kinds: Uint8Array;
  keys: string[];
  good: string;
  other: CheckedRow[];
  person: Uint8Array;
  starts: Int32Array;
  hashes: Uint8Array;
};

/** Rows of text cells travel as one string (see encodeRows); anything else is cloned. */
export type WireRows = string | Cell[][];

/** A StageWriter's batch starts with the COPY signature; the person's columns are what follows it. */
const SIGNATURE_BYTES = 19;
const FIELD = '\u001f';
const ROW = '\u001e';
const BLANK = 0;
const GOOD = 1;
const OTHER = 2;

const plain = (s: string) => s.indexOf(FIELD) < 0 && s.indexOf(ROW) < 0;

/** Rows to send to a worker: one string when every cell is separator-free text, else the rows themselves. */
export function encodeRows(rows: readonly (readonly Cell[])[]): WireRows {
  const lines: string[] = new Array(rows.length);
  let separators = 0;
  for (let i = 0; i < rows.length; i++) {
    const cells = rows[i] as readonly Cell[];
    // An empty row would come back as one empty cell: clone (both are blank, but keep them as they were).
    if (cells.length === 0) return rows as Cell[][];
    for (let j = 0; j < cells.length; j++) if (typeof cells[j] !== 'string') return rows as Cell[][];
    lines[i] = cells.join(FIELD);
    separators += cells.length - 1;
  }
  const text = lines.join(ROW);
  // A separator inside a cell shows as one too many (counted once over the whole chunk, not per cell).
  return count(text, FIELD) === separators && count(text, ROW) === rows.length - 1 ? text : (rows as Cell[][]);
}

function count(s: string, c: string): number {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
  return n;
}

export function decodeRows(w: WireRows): Cell[][] {
  if (typeof w !== 'string') return w;
  if (w === '') return [];
  return w.split(ROW).map((line) => line.split(FIELD));
}

/**
 * One field of a good row: a text as it is (the usual case: no copy on either side), anything else after
 * TAGGED and a letter for its type; null when it cannot travel as text.
 */
function encodeValue(k: string, v: unknown): string | null {
  if (typeof v === 'string') return plain(v) && v.charCodeAt(0) !== 0 ? v : null;
  if (v === null) return '\u0000n';
  if (v === undefined) return '\u0000u';
  if (typeof v === 'number') return `\u0000d${v}`;
  if (typeof v === 'boolean') return v ? '\u0000t' : '\u0000f';
  if (Array.isArray(v)) return v.every((x) => typeof x === 'number') ? `\u0000a${v.join(',')}` : null;
  if (k === 'node' && typeof (v as { id?: unknown }).id === 'number') return `\u0000o${(v as PlaceNode).id}`;
  return null;
}

function decodeValue(f: string, nodes: ReadonlyMap<number, PlaceNode>): unknown {
  if (f.charCodeAt(0) !== 0) return f;
  switch (f.charCodeAt(1)) {
    case 110: // n
      return null;
    case 117: // u
      return undefined;
    case 100: // d
      return Number(f.slice(2));
    case 116: // t
      return true;
    case 102: // f
      return false;
    case 97: // a
      return f.length === 2 ? [] : f.slice(2).split(',').map(Number);
    default: // o: a place, by id
      return nodes.get(Number(f.slice(2)));
  }
}

/** A prepared chunk in its wire form (in the worker). */
export function toWire(chunk: PreparedChunk): WireChunk {
  const n = chunk.checked.length;
  const kinds = new Uint8Array(n);
  let keys: string[] | null = null;
  const lines: string[] = [];
  const other: CheckedRow[] = [];
  const fields: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = chunk.checked[i];
    if (!c) continue;
    const row = c.issues.length === 0 && c.row !== null && c.id === c.row.id ? c.row : null;
    let line: string | null = null;
    if (row) {
      keys ??= Object.keys(row);
      const own = Object.keys(row);
      if (own.length === keys.length && own.every((k, j) => k === (keys as string[])[j])) {
        fields.length = 0;
        for (const k of own) {
          const f = encodeValue(k, (row as Record<string, unknown>)[k]);
          if (f === null) break;
          fields.push(f);
        }
        if (fields.length === own.length) line = fields.join(FIELD);
      }
    }
    if (line !== null) {
      kinds[i] = GOOD;
      lines.push(line);
    } else {
      kinds[i] = OTHER;
      other.push(c);
    }
  }
  return { ...chunk, checked: undefined, kinds, keys: keys ?? [], good: lines.join(ROW), other } as WireChunk;
}

type RowDecoder = (f: string[], d: typeof decodeValue, nodes: ReadonlyMap<number, PlaceNode>) => GoodRow;
const decoders = new Map<string, RowDecoder>();
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Builds good rows from their fields with one object literal of the fields' names (compiled once per set of
 * names): assigning names one by one through a variable is several times slower, for every row of a file.
 */
function rowDecoder(keys: string[]): RowDecoder {
  const id = keys.join(',');
  let d = decoders.get(id);
  if (!d) {
    if (keys.every((k) => IDENTIFIER.test(k))) {
      const body = `return { ${keys.map((k, i) => `${k}: d(f[${i}], nodes)`).join(', ')} };`;
      d = new Function('f', 'd', 'nodes', body) as RowDecoder;
    } else {
      d = (f, dv, nodes) => {
        const row: Record<string, unknown> = {};
        for (let k = 0; k < keys.length; k++) row[keys[k] as string] = dv(f[k] as string, nodes);
        return row as GoodRow;
      };
    }
    decoders.set(id, d);
  }
  return d;
}

/** A prepared chunk back from its wire form (in the runner), its places taken from the runner's own index. */
export function fromWire(w: WireChunk, nodes: ReadonlyMap<number, PlaceNode>): PreparedChunk {
  const n = w.kinds.length;
  const checked: (CheckedRow | null)[] = new Array(n);
  const lines = w.good === '' ? [] : w.good.split(ROW);
  const decode = rowDecoder(w.keys);
  let g = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const kind = w.kinds[i];
    if (kind === BLANK) checked[i] = null;
    else if (kind === OTHER) {
      const c = w.other[o++] as CheckedRow;
      restoreNode(c, nodes);
      checked[i] = c;
    } else {
      const good = decode((lines[g++] as string).split(FIELD), decodeValue, nodes);
      checked[i] = { issues: [], id: good.id, row: good };
    }
  }
  return { checked, person: w.person, starts: w.starts, hashes: w.hashes };
}

/** A cloned row keeps the runner's own PlaceNode (the one its index and maps know). */
function restoreNode(c: CheckedRow, nodes: ReadonlyMap<number, PlaceNode>): void {
  if (c.row?.node) c.row.node = nodes.get(c.row.node.id) as PlaceNode;
}

export class RowPreparer {
  private readonly ctx: RowContext;
  private readonly pinyin: (name: string) => NamePinyin = createNamePinyin();
  private readonly writer = new StageWriter(1 << 20);

  /** `pii` for a commit (null: a dry run). */
  constructor(
    init: PrepInit,
    private readonly pii: PiiCipher | null,
  ) {
    const { scope } = init;
    this.ctx = {
      columns: init.columns,
      places: new PlaceIndex(init.nodes, (path) => pathInScope(scope, path)),
      tags: new Map(init.tags),
      flags: init.flags,
      ...(init.defaultRelation ? { defaultRelation: init.defaultRelation } : {}),
      today: init.today,
      now: new Date(init.now),
    };
  }

  /** A preparer in a worker thread, from what its parent sent. */
  static fromInit(init: PrepInit): RowPreparer {
    const pii = init.pii ? createPiiCipher(Buffer.from(init.pii.masterKey), init.pii.keyring) : null;
    return new RowPreparer(init, pii);
  }

  prepare(rows: readonly (readonly Cell[])[]): PreparedChunk {
    const n = rows.length;
    const checked: (CheckedRow | null)[] = new Array(n);
    const starts = new Int32Array(n + 1);
    const hashes = new Uint8Array(this.pii ? n * PII_HASH_BYTES : 0);
    const w = this.writer;
    w.reset();
    for (let i = 0; i < n; i++) {
      const cells = rows[i] as readonly Cell[];
      starts[i] = w.length - SIGNATURE_BYTES;
      if (isBlankRow(cells)) {
        checked[i] = null;
        continue;
      }
      const c = checkRow(cells, this.ctx);
      checked[i] = c;
      const good = c.issues.length === 0 ? c.row : null;
      if (!good || !this.pii) continue;
      const hash = this.pii.hash(good.id, 'id');
      hashes.set(hash, i * PII_HASH_BYTES);
      writePerson(w, good, { pii: this.pii, pinyin: this.pinyin(good.name), idHash: hash });
    }
    starts[n] = w.length - SIGNATURE_BYTES;
    // A copy of its own, so that it can be handed to the other thread (the writer's memory is reused).
    const person = new Uint8Array(starts[n] as number);
    person.set(w.view(SIGNATURE_BYTES, w.length));
    return { checked, person, starts, hashes };
  }
}
