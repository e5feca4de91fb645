import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  checkBooking,
  type DayRange,
  type DemandFacts,
  daysNeeded,
  findSlot,
  MACHINE_TYPES,
  type MachineFacts,
  matchDemand,
  monthBounds,
  overlaps,
  placeRank,
  scheduleDemands,
  spanDays,
  tenths,
} from './machinery.logic.js';

const T1 = '/1/10/';
const V = { a: '/1/10/100/', b: '/1/10/101/', c: '/1/20/200/' } as const;
const BASE = '2026-06-01';

describe('daysNeeded', () => {
  it('rounds up to whole days and counts tenths exactly', () => {
    expect(daysNeeded(100, 50)).toBe(2);
    expect(daysNeeded(100.1, 50)).toBe(3);
    expect(daysNeeded(0.3, 0.1)).toBe(3);
    expect(daysNeeded(1, 80)).toBe(1);
  });
});

describe('findSlot', () => {
  const w = { start: '2026-06-01', end: '2026-06-10' };
  it('takes the first free run of days inside the window', () => {
    expect(findSlot([], w, 3)).toEqual({ start: '2026-06-01', end: '2026-06-03' });
    expect(findSlot([{ start: '2026-06-02', end: '2026-06-04' }], w, 2)).toEqual({
      start: '2026-06-05',
      end: '2026-06-06',
    });
  });
  it('finds nothing when the free days are too short or the window too narrow', () => {
    expect(findSlot([{ start: '2026-06-03', end: '2026-06-08' }], w, 3)).toBeNull();
    expect(findSlot([], w, 11)).toBeNull();
  });
  it('starts no earlier than notBefore', () => {
    expect(findSlot([], w, 2, '2026-06-09')).toEqual({ start: '2026-06-09', end: '2026-06-10' });
    expect(findSlot([], w, 3, '2026-06-09')).toBeNull();
  });
});

describe('placeRank', () => {
  it('prefers the same village, then the same town, and refuses other towns', () => {
    expect(placeRank(V.a, V.a, T1)).toBe(0);
    expect(placeRank(V.b, V.a, T1)).toBe(1);
    expect(placeRank(V.c, V.a, T1)).toBeNull();
  });
});

describe('matchDemand', () => {
  const demand: DemandFacts = {
    id: 1,
    machineType: 'harvester',
    areaMu: 120,
    window: { start: '2026-06-01', end: '2026-06-05' },
    villagePath: V.a,
    townPath: T1,
  };
  const m = (id: number, path: string, over: Partial<MachineFacts> = {}): MachineFacts => ({
    id,
    type: 'harvester',
    capacityMu: 60,
    priceFen: 8000,
    status: 'available',
    path,
    ...over,
  });
  it('puts the village’s own machine first, then the town’s, cheaper before dearer, and leaves out the rest', () => {
    const machines = [m(1, V.b, { priceFen: 5000 }), m(2, V.a), m(3, V.b), m(4, V.c), m(5, V.a, { type: 'drone' })];
    const got = matchDemand(demand, machines, () => []);
    expect(got.map((x) => x.machineId)).toEqual([2, 1, 3]);
    expect(got[0]).toMatchObject({ rank: 0, days: 2, slot: { start: '2026-06-01', end: '2026-06-02' } });
    expect(got[0]!.costFen).toBe(960_000);
  });
  it('leaves out machines under maintenance and those with no free days', () => {
    const busy = (id: number): DayRange[] => (id === 2 ? [{ start: '2026-06-01', end: '2026-06-04' }] : []);
    expect(matchDemand(demand, [m(1, V.a, { status: 'maintenance' }), m(2, V.a)], busy)).toEqual([]);
  });
});

describe('checkBooking', () => {
  const demand: DemandFacts = {
    id: 1,
    machineType: 'tractor',
    areaMu: 100,
    window: { start: '2026-06-01', end: '2026-06-05' },
    villagePath: V.a,
    townPath: T1,
  };
  const machine: MachineFacts = {
    id: 1,
    type: 'tractor',
    capacityMu: 50,
    priceFen: 100,
    status: 'available',
    path: V.a,
  };
  it('accepts a long enough slot inside the window on a free machine', () => {
    expect(checkBooking(demand, machine, { start: '2026-06-02', end: '2026-06-03' }, [])).toBeNull();
  });
  it('names what is wrong', () => {
    const ok = { start: '2026-06-02', end: '2026-06-03' };
    expect(checkBooking(demand, machine, { start: '2026-06-02', end: '2026-06-02' }, [])).toBe(
      'MACHINERY_CAPACITY_SHORT',
    );
    expect(checkBooking(demand, machine, { start: '2026-05-31', end: '2026-06-01' }, [])).toBe(
      'MACHINERY_OUTSIDE_WINDOW',
    );
    expect(checkBooking(demand, machine, ok, [{ start: '2026-06-03', end: '2026-06-09' }])).toBe(
      'MACHINERY_BOOKING_OVERLAP',
    );
    expect(checkBooking(demand, { ...machine, path: V.c }, ok, [])).toBe('MACHINERY_TOO_FAR');
    expect(checkBooking(demand, { ...machine, type: 'drone' }, ok, [])).toBe('MACHINERY_TYPE_MISMATCH');
    expect(checkBooking(demand, { ...machine, status: 'retired' }, ok, [])).toBe('MACHINERY_MACHINE_UNAVAILABLE');
  });
});

describe('monthBounds', () => {
  it('gives the month and the next month’s first day, across a year end', () => {
    expect(monthBounds('2026-06')).toEqual({ from: '2026-06-01', to: '2026-07-01' });
    expect(monthBounds('2026-12')).toEqual({ from: '2026-12-01', to: '2027-01-01' });
  });
});

// ---- the dispatcher, property-based ------------------------------------------------------------------------------

const PATHS = [V.a, V.b, V.c];
const TYPES = MACHINE_TYPES.slice(0, 2);

const machineArb = fc.record({
  type: fc.constantFrom(...TYPES),
  capacityMu: fc.integer({ min: 5, max: 1000 }).map((n) => n / 10),
  priceFen: fc.integer({ min: 0, max: 20000 }),
  status: fc.constantFrom('available', 'available', 'available', 'maintenance' as const),
  path: fc.constantFrom(...PATHS),
});
const demandArb = fc.record({
  machineType: fc.constantFrom(...TYPES),
  areaMu: fc.integer({ min: 1, max: 3000 }).map((n) => n / 10),
  startOffset: fc.integer({ min: 0, max: 20 }),
  length: fc.integer({ min: 0, max: 10 }),
  villagePath: fc.constantFrom(V.a, V.b, V.c),
});
const busyArb = fc.array(
  fc.record({
    machine: fc.nat(),
    startOffset: fc.integer({ min: 0, max: 30 }),
    length: fc.integer({ min: 0, max: 5 }),
  }),
  { maxLength: 15 },
);

const townOf = (village: string) => (village.startsWith(T1) ? T1 : '/1/20/');

const scenario = fc
  .tuple(
    fc.array(machineArb, { minLength: 0, maxLength: 8 }),
    fc.array(demandArb, { minLength: 0, maxLength: 25 }),
    busyArb,
  )
  .map(([ms, ds, bs]) => {
    const machines: MachineFacts[] = ms.map((m, i) => ({ ...m, id: i + 1 }));
    const demands: DemandFacts[] = ds.map((d, i) => ({
      id: i + 1,
      machineType: d.machineType,
      areaMu: d.areaMu,
      window: { start: addDays(BASE, d.startOffset), end: addDays(BASE, d.startOffset + d.length) },
      villagePath: d.villagePath,
      townPath: townOf(d.villagePath),
    }));
    // existing bookings: kept only where they do not overlap one already kept (as the database guarantees)
    const busy = new Map<number, DayRange[]>();
    if (machines.length > 0) {
      for (const b of bs) {
        const id = (b.machine % machines.length) + 1;
        const r = { start: addDays(BASE, b.startOffset), end: addDays(BASE, b.startOffset + b.length) };
        const list = busy.get(id) ?? [];
        if (!list.some((x) => overlaps(x, r))) busy.set(id, [...list, r]);
      }
    }
    return { machines, demands, busy };
  });

describe('scheduleDemands (property-based)', () => {
  it('never gives a machine two overlapping bookings, counting those it already had', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { assignments } = scheduleDemands(s);
        const byMachine = new Map<number, DayRange[]>();
        for (const [id, rs] of s.busy) byMachine.set(id, [...rs]);
        for (const a of assignments) byMachine.set(a.machineId, [...(byMachine.get(a.machineId) ?? []), a.slot]);
        for (const ranges of byMachine.values()) {
          for (let i = 0; i < ranges.length; i++)
            for (let j = i + 1; j < ranges.length; j++) expect(overlaps(ranges[i]!, ranges[j]!)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('respects capacity, the window, the type, the place and the machine’s status', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { assignments } = scheduleDemands(s);
        for (const a of assignments) {
          const d = s.demands.find((x) => x.id === a.demandId)!;
          const m = s.machines.find((x) => x.id === a.machineId)!;
          expect(spanDays(a.slot) * tenths(m.capacityMu)).toBeGreaterThanOrEqual(tenths(d.areaMu));
          expect(a.slot.start >= d.window.start && a.slot.end <= d.window.end).toBe(true);
          expect(a.slot.start <= a.slot.end).toBe(true);
          expect(m.type).toBe(d.machineType);
          expect(m.status).toBe('available');
          expect(placeRank(m.path, d.villagePath, d.townPath)).not.toBeNull();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('answers for every demand exactly once, and leaves one unassigned only when no nearby machine had room', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { assignments, unassigned } = scheduleDemands(s);
        const ids = [...assignments.map((a) => a.demandId), ...unassigned.map((u) => u.demandId)].sort((a, b) => a - b);
        expect(ids).toEqual(s.demands.map((d) => d.id));
        // the final calendar: had a free slot existed for an unassigned demand, the dispatcher would have taken it
        const final = new Map<number, DayRange[]>();
        for (const [id, rs] of s.busy) final.set(id, [...rs]);
        for (const a of assignments) final.set(a.machineId, [...(final.get(a.machineId) ?? []), a.slot]);
        for (const u of unassigned) {
          const d = s.demands.find((x) => x.id === u.demandId)!;
          expect(matchDemand(d, s.machines, (id) => final.get(id) ?? [])).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('assigns each demand to the nearest place that had room when its turn came', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { assignments } = scheduleDemands(s);
        for (const a of assignments) {
          const d = s.demands.find((x) => x.id === a.demandId)!;
          const m = s.machines.find((x) => x.id === a.machineId)!;
          if (placeRank(m.path, d.villagePath, d.townPath) === 1) {
            // a machine of the village itself was busy (or unfit) then, so none of them is free now either
            const fromVillage = matchDemand(
              d,
              s.machines.filter((x) => x.path === d.villagePath),
              (id) => [...(s.busy.get(id) ?? []), ...assignments.filter((b) => b.machineId === id).map((b) => b.slot)],
            );
            expect(fromVillage).toEqual([]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
