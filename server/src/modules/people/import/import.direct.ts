/**
 * The bulk load's direct path: new residents, and the houses and households they need, written straight into
 * their tables by binary COPY, with ids taken from blocks reserved from the tables' sequences. Houses and
 * households are resolved here, in memory, the same way the set-based statements of import.repo.ts resolve
 * them for a small import (a house by its node and room number; a household by its 户号 within the county,
 * else the first living household of an existing house, else a new one; a new household's facts from its
 * head's row when the head is in the same batch, else from its first row).
 *
 * Only for bulk loads (repo.beginBulk): the people tables are then held exclusively, so the existing houses
 * and households read at the start stay true, nobody else takes ids from their sequences, and no foreign key
 * or secondary index has to be maintained row by row. People already stored go through the stage and its
 * upsert instead (the runner decides which is which).
 */
import type { Tx } from '../../../platform/db/client.js';
import { maskIdNumber, maskPhone, type PiiCipher } from '../../../platform/pii/index.js';
import type { NamePinyin } from './import.pinyin.js';
import * as repo from './import.repo.js';
import type { GoodRow } from './import.rows.js';
import { StageWriter } from './import.stage.js';

type Table = repo.IdTable;

/** The person's columns of a row, written by writePerson ahead of time (import.prep.ts): `encoded[start, end)`. */
export type PersonColumns = { encoded: Buffer; start: number; end: number };

/**
 * A person's own facts (repo.PERSON_COLUMNS): name and its pinyin, the ID number sealed, hashed and masked,
 * sex, birth date, ethnicity, the phone sealed, hashed and masked, addresses, the move-in date. `idHash` when
 * the ID's hash is at hand already (for the look-ups); otherwise it is hashed here.
 */
export function writePerson(
  w: StageWriter,
  r: GoodRow,
  o: { pii: PiiCipher; pinyin: NamePinyin; idHash: Buffer | null } | PersonColumns,
): void {
  if ('encoded' in o) {
    w.raw(o.encoded, o.start, o.end);
    return;
  }
  w.text(r.name);
  w.text(o.pinyin.full);
  w.text(o.pinyin.initials);
  w.sealed(o.pii, r.id);
  if (o.idHash) w.bytes(o.idHash);
  else w.hashed(o.pii, r.id, 'id');
  w.text(maskIdNumber(r.id));
  w.text(r.sex);
  w.date(r.birthDate);
  w.text(r.ethnicity);
  if (r.phone !== null) {
    w.sealed(o.pii, r.phone);
    w.hashed(o.pii, r.phone, 'phone');
    w.text(maskPhone(r.phone));
  } else {
    w.bytes(null);
    w.bytes(null);
    w.text(null);
  }
  w.text(r.hukouAddress);
  w.text(r.currentAddress);
  w.date(r.movedInOn);
}

/** Ids of one table, reserved in blocks ahead of need; what is left at the end goes back to the sequence. */
class IdPool {
  private next = 0;
  private last = -1;

  constructor(
    private readonly tx: Tx,
    readonly table: Table,
    private readonly block: number,
  ) {}

  get available(): number {
    return this.last - this.next + 1;
  }

  /** Makes sure `n` ids are at hand, reserving more when they are not. */
  async ensure(n: number): Promise<void> {
    if (this.available < n) await this.reserve(Math.max(n, this.block));
  }

  take(): number {
    if (this.next > this.last) throw new Error(`no ${this.table} id reserved`);
    return this.next++;
  }

  private async reserve(n: number): Promise<void> {
    const last = await repo.reserveIds(this.tx, this.table, n);
    // Blocks follow one another: nobody else draws from the sequence while the table is held.
    if (this.available > 0 && this.last + 1 === last - n + 1) this.last = last;
    else {
      this.next = last - n + 1;
      this.last = last;
    }
  }

  /** Gives the ids not used back to the sequence (when nobody has drawn after them). */
  async release(): Promise<void> {
    if (this.last < 0) return;
    await repo.releaseIds(this.tx, this.table, this.next, this.last);
  }
}

type NewHousehold = {
  id: number;
  countyId: number;
  houseId: number | null;
  nodeId: number;
  nodePath: string;
  householdNo: string | null;
  headId: number | null;
  /** Whether the facts above come from the head's row (a later row of the batch does not replace them). */
  fromHead: boolean;
};

/** Rows of one batch for the four tables. */
/**
 * A house as the load knows it, in one number (no object per house): 0 none, the id of a house that existed,
 * or minus the id of one this import created.
 */
export type HouseRef = number;
/** The id of a house reference, or null for none. */
export const houseIdOf = (h: HouseRef): number | null => (h === 0 ? null : Math.abs(h));

type Writers = { houses: StageWriter; households: StageWriter; residents: StageWriter; tags: StageWriter };

export type DirectBatch = { houses: Buffer; households: Buffer; residents: Buffer; tags: Buffer; counts: Counts };
type Counts = { residents: number; houses: number; households: number };

export class DirectLoad {
  private readonly pools: Record<Table, IdPool>;
  /** Node id → room → house (see HouseRef). */
  private readonly houses = new Map<number, Map<string, HouseRef>>();
  /** Households resolved so far, by household key (see householdKey). */
  private readonly households = new Map<string, number>();
  /** Existing households: by county and 户号; the first living one of each house. */
  private readonly byNumber: Map<string, number>;
  private readonly byHouse: Map<number, number>;
  /** Households that existed before the import and got members from it (their derived tags may change). */
  readonly touched: [string, number][] = [];
  /** Heads whose household was written before their row: [household id, resident id]. */
  readonly lateHeads: [number, number][] = [];
  private readonly writers: Writers[] = [];
  private w: Writers | null = null;
  private batchNew = new Map<string, NewHousehold>();
  private counts: Counts = { residents: 0, houses: 0, households: 0 };
  private batchNo = 0;

  private constructor(
    tx: Tx,
    existing: repo.ExistingPlaces,
    private readonly batchRows: number,
    private readonly importId: number,
    private readonly createdBy: number | null,
  ) {
    const block = Math.max(4 * batchRows, 1000);
    this.pools = {
      houses: new IdPool(tx, 'houses', block),
      households: new IdPool(tx, 'households', block),
      residents: new IdPool(tx, 'residents', block),
    };
    for (const h of existing.houses) this.roomsOf(h.node_id).set(h.room_no, h.id);
    this.byNumber = new Map(existing.byNumber.map((h) => [`${h.county_id}\u0001${h.household_no}`, h.id]));
    this.byHouse = new Map(existing.byHouse.map((h) => [h.house_id, h.id]));
  }

  /** Reads the houses and households of the counties imported into (null: all). */
  static async open(
    tx: Tx,
    o: { countyIds: number[] | null; batchRows: number; importId: number; createdBy: number | null },
  ): Promise<DirectLoad> {
    const existing = await repo.existingPlaces(tx, o.countyIds);
    return new DirectLoad(tx, existing, o.batchRows, o.importId, o.createdBy);
  }

  /** Ids for up to `rows` more new rows of each table are at hand (reserving more when they are not). */
  async ensure(rows: number): Promise<void> {
    for (const p of Object.values(this.pools)) await p.ensure(rows);
  }

  /**
   * Keeps ids for three more batches at hand. Run right after a batch's load, on the same connection (one
   * statement at a time): the batch written meanwhile, and the next, then never need a reservation while a
   * load is using the connection.
   */
  async topUp(): Promise<void> {
    await this.ensure(3 * this.batchRows);
  }

  /** Residents written into the current batch. */
  get rows(): number {
    return this.counts.residents;
  }

  /** Starts a batch in a fresh set of writers (the other set may still be loading). */
  next(): void {
    const i = this.batchNo++ % 2;
    const w = this.writers[i] ?? {
      houses: new StageWriter(1 << 20),
      households: new StageWriter(1 << 20),
      residents: new StageWriter(),
      tags: new StageWriter(1 << 16),
    };
    this.writers[i] = w;
    for (const x of Object.values(w)) x.reset();
    this.w = w;
    this.batchNew = new Map();
    this.counts = { residents: 0, houses: 0, households: 0 };
  }

  private roomsOf(nodeId: number): Map<string, HouseRef> {
    let rooms = this.houses.get(nodeId);
    if (!rooms) {
      rooms = new Map();
      this.houses.set(nodeId, rooms);
    }
    return rooms;
  }

  /** The house of a row (created when missing); 0 for a row without a room number. */
  house(r: GoodRow): HouseRef {
    if (r.roomNo === null) return 0;
    const rooms = this.roomsOf(r.node.id);
    const known = rooms.get(r.roomNo);
    if (known !== undefined) return known;
    const id = this.pools.houses.take();
    rooms.set(r.roomNo, -id);
    const w = (this.w as Writers).houses;
    w.beginRow(5);
    w.int8(id);
    w.int8(r.node.countyId);
    w.int8(r.node.id);
    w.text(r.node.path);
    w.text(r.roomNo);
    this.counts.houses++;
    return -id;
  }

  /**
   * The household of a row with household key `key` (null: none), found or created, and whether it was created
   * in this batch (its head is then written with it).
   */
  household(r: GoodRow, key: string | null, house: HouseRef): number | null {
    if (key === null) return null;
    const known = this.households.get(key);
    if (known !== undefined) {
      const fresh = this.batchNew.get(key);
      if (fresh && !fresh.fromHead && r.relation === 'head') this.adoptFacts(fresh, r, house);
      return known;
    }
    let existing: number | undefined;
    if (r.householdNo !== null) existing = this.byNumber.get(`${r.node.countyId}\u0001${r.householdNo}`);
    else if (house > 0) existing = this.byHouse.get(house);
    if (existing !== undefined) {
      this.households.set(key, existing);
      this.touched.push([key, existing]);
      return existing;
    }
    const hh: NewHousehold = {
      id: this.pools.households.take(),
      countyId: 0,
      houseId: null,
      nodeId: 0,
      nodePath: '',
      householdNo: null,
      headId: null,
      fromHead: false,
    };
    this.adoptFacts(hh, r, house);
    this.households.set(key, hh.id);
    this.batchNew.set(key, hh);
    // A later household without a 户号 in the same existing house finds this one, as it would in the table.
    if (house > 0 && !this.byHouse.has(house)) this.byHouse.set(house, hh.id);
    return hh.id;
  }

  private adoptFacts(hh: NewHousehold, r: GoodRow, house: HouseRef): void {
    hh.countyId = r.node.countyId;
    hh.houseId = houseIdOf(house);
    hh.nodeId = r.node.id;
    hh.nodePath = r.node.path;
    hh.householdNo = r.householdNo;
    hh.fromHead = r.relation === 'head';
  }

  /**
   * Writes a new resident (and the tags set by hand in the file); returns its id. `key` is the row's
   * household key, `householdId` what household() gave for it.
   */
  resident(
    r: GoodRow,
    o: (
      | {
          pii: PiiCipher;
          /** The ID's keyed hash when already computed (for the look-ups); else it is computed here. */
          idHash: Buffer | null;
          pinyin: NamePinyin;
        }
      | PersonColumns
    ) & {
      key: string | null;
      houseId: number | null;
      householdId: number | null;
    },
  ): number {
    const id = this.pools.residents.take();
    const w = (this.w as Writers).residents;
    w.beginRow(repo.DIRECT_RESIDENT_COLUMNS.length);
    w.int8(id);
    w.int8(r.node.countyId);
    w.int8(r.node.id);
    w.text(r.node.path);
    w.int8(o.houseId);
    w.int8(o.householdId);
    w.text(r.relation);
    writePerson(w, r, o);
    w.int8(this.importId);
    this.counts.residents++;
    if (r.relation === 'head' && o.key !== null && o.householdId !== null) {
      const fresh = this.batchNew.get(o.key);
      if (fresh) fresh.headId = id;
      else this.lateHeads.push([o.householdId, id]);
    }
    const t = (this.w as Writers).tags;
    for (const tagId of r.tagIds) {
      t.beginRow(6);
      t.int8(id);
      t.int8(tagId);
      t.int8(r.node.countyId);
      t.text(r.node.path);
      t.text('import');
      t.int8(this.createdBy);
    }
    return id;
  }

  /** After a batch's rows: its new households, and the batch's COPY data (views valid until its next use). */
  end(): DirectBatch {
    const w = this.w as Writers;
    for (const hh of this.batchNew.values()) {
      w.households.beginRow(7);
      w.households.int8(hh.id);
      w.households.int8(hh.countyId);
      w.households.int8(hh.houseId);
      w.households.int8(hh.nodeId);
      w.households.text(hh.nodePath);
      w.households.text(hh.householdNo);
      w.households.int8(hh.headId);
    }
    this.counts.households = this.batchNew.size;
    return {
      houses: w.houses.finish(),
      households: w.households.finish(),
      residents: w.residents.finish(),
      tags: w.tags.finish(),
      counts: { ...this.counts },
    };
  }

  /** After the last batch: unused ids go back to their sequences. */
  async close(): Promise<void> {
    for (const p of Object.values(this.pools)) await p.release();
  }
}
