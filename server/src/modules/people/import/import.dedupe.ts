/**
 * The set of ID numbers already seen in a file, with the row each was first seen on, in 12 bytes a slot
 * instead of the ~100 a Map of strings costs: a 5-million-row file stays within a few dozen megabytes.
 * An 18-character ID number is fixed by its first 17 digits (the 18th is their check character), kept as
 * two 32-bit halves.
 */
export class IdRowSet {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1;
    while (cap < initialCapacity * 2) cap <<= 1;
    this.slots = new Uint32Array(cap * 3);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Records `id` (canonical 18-character form) as first seen on `row`; returns the earlier row when it was
   * already there (and keeps that one).
   */
  addOrGet(id: string, row: number): number | undefined {
    // The first digit is a province code (1..8), so hi is never 0 and 0 marks an empty slot.
    const hi = Number(id.slice(0, 9));
    const lo = Number(id.slice(9, 17));
    let i = this.hashOf(hi, lo) & this.mask;
    const s = this.slots;
    for (;;) {
      const h = s[i * 3] as number;
      if (h === 0) break;
      if (h === hi && s[i * 3 + 1] === lo) return s[i * 3 + 2];
      i = (i + 1) & this.mask;
    }
    s[i * 3] = hi;
    s[i * 3 + 1] = lo;
    s[i * 3 + 2] = row;
    if (++this.count * 2 > this.mask + 1) this.grow();
    return undefined;
  }

  private hashOf(hi: number, lo: number): number {
    let h = Math.imul(hi ^ 0x9e3779b9, 0x85ebca6b) ^ lo;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Uint32Array(cap * 3);
    this.mask = cap - 1;
    for (let j = 0; j < old.length; j += 3) {
      const hi = old[j] as number;
      if (hi === 0) continue;
      const lo = old[j + 1] as number;
      let i = this.hashOf(hi, lo) & this.mask;
      while (this.slots[i * 3] !== 0) i = (i + 1) & this.mask;
      this.slots[i * 3] = hi;
      this.slots[i * 3 + 1] = lo;
      this.slots[i * 3 + 2] = old[j + 2] as number;
    }
  }
}
