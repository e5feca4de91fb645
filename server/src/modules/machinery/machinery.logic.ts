/**
 * Farm machinery sharing (农机共享), the pure rules: days a job needs, free slots in a machine's calendar, matching
 * a demand to machines by place and date window, and the dispatcher that assigns many demands to machines without
 * ever double-booking one. No I/O: the service feeds these from the database and the database's exclusion
 * constraint holds the same "no overlap" rule a second time.
 */

export const MACHINE_TYPES = ['tractor', 'harvester', 'transplanter', 'drone', 'rotary_tiller', 'seeder'] as const;
export type MachineType = (typeof MACHINE_TYPES)[number];
export const MACHINE_STATUSES = ['available', 'maintenance', 'retired'] as const;
export type MachineStatus = (typeof MACHINE_STATUSES)[number];
export const OWNER_KINDS = ['cooperative', 'alliance', 'household', 'company'] as const;
export const DEMAND_STATUSES = ['open', 'booked', 'done', 'cancelled'] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];
export const BOOKING_STATUSES = ['booked', 'done', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Whole days, both ends included, as `YYYY-MM-DD`. */
export type DayRange = { start: string; end: string };

/** The longest date window a demand may ask for (a season). */
export const MAX_WINDOW_DAYS = 120;

const DAY_MS = 86_400_000;

export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

export function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return dayString(dayNumber(day) + n);
}

/** Days from `start` to `end`, both included. */
export function spanDays(r: DayRange): number {
  return dayNumber(r.end) - dayNumber(r.start) + 1;
}

export function overlaps(a: DayRange, b: DayRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Tenths of a 亩 (areas and capacities carry one decimal), so that the arithmetic is exact. */
export function tenths(mu: number): number {
  return Math.round(mu * 10);
}

/** Whole days a machine of `capacityMu` 亩 a day needs for `areaMu` 亩. */
export function daysNeeded(areaMu: number, capacityMu: number): number {
  return Math.max(1, Math.ceil(tenths(areaMu) / tenths(capacityMu)));
}

/**
 * The first `days`-long run of days inside `window` (from `notBefore` on, if later) that overlaps none of `busy`;
 * null when there is none.
 */
export function findSlot(
  busy: readonly DayRange[],
  window: DayRange,
  days: number,
  notBefore?: string,
): DayRange | null {
  const from = Math.max(dayNumber(window.start), notBefore ? dayNumber(notBefore) : Number.NEGATIVE_INFINITY);
  const last = dayNumber(window.end) - days + 1;
  const spans = busy.map((b) => [dayNumber(b.start), dayNumber(b.end)] as const).sort((x, y) => x[0] - y[0]);
  let s = from;
  while (s <= last) {
    const e = s + days - 1;
    const clash = spans.find(([bs, be]) => bs <= e && s <= be);
    if (!clash) return { start: dayString(s), end: dayString(e) };
    s = clash[1] + 1;
  }
  return null;
}

/** 0: the machine is kept in the field's village; 1: in another village of the same town; null: farther. */
export function placeRank(machinePath: string, villagePath: string, townPath: string | null): 0 | 1 | null {
  if (machinePath.startsWith(villagePath)) return 0;
  if (townPath !== null && machinePath.startsWith(townPath)) return 1;
  return null;
}

export type MachineFacts = {
  id: number;
  type: MachineType;
  capacityMu: number;
  priceFen: number;
  status: MachineStatus;
  /** Materialized path of the machine's village. */
  path: string;
};

export type DemandFacts = {
  id: number;
  machineType: MachineType;
  areaMu: number;
  window: DayRange;
  /** The field's village and its town (the village's parent). */
  villagePath: string;
  townPath: string | null;
};

export type Match = {
  machineId: number;
  rank: 0 | 1;
  slot: DayRange;
  days: number;
  /** Price of the whole job in fen. */
  costFen: number;
};

/** Price of `areaMu` 亩 at `priceFen` a 亩, rounded to the fen. */
export function costFen(areaMu: number, priceFen: number): number {
  return Math.round((tenths(areaMu) * priceFen) / 10);
}

/**
 * Machines that can do the demand: the right type, available, in the village or its town, with a free run of
 * days inside the window long enough for the area at the machine's capacity. Nearest first, then earliest, then
 * cheapest, then by id (a stable order).
 */
export function matchDemand(
  demand: DemandFacts,
  machines: readonly MachineFacts[],
  busyOf: (machineId: number) => readonly DayRange[],
  notBefore?: string,
): Match[] {
  const out: Match[] = [];
  for (const m of machines) {
    if (m.type !== demand.machineType || m.status !== 'available') continue;
    const rank = placeRank(m.path, demand.villagePath, demand.townPath);
    if (rank === null) continue;
    const days = daysNeeded(demand.areaMu, m.capacityMu);
    const slot = findSlot(busyOf(m.id), demand.window, days, notBefore);
    if (!slot) continue;
    out.push({ machineId: m.id, rank, slot, days, costFen: costFen(demand.areaMu, m.priceFen) });
  }
  return out.sort(
    (a, b) =>
      a.rank - b.rank || a.slot.start.localeCompare(b.slot.start) || a.costFen - b.costFen || a.machineId - b.machineId,
  );
}

export type Assignment = { demandId: number; machineId: number; slot: DayRange };
export type Unassigned = { demandId: number; reason: 'no_machine' | 'no_slot' };
export type Schedule = { assignments: Assignment[]; unassigned: Unassigned[] };

/**
 * The dispatcher: demands with the earliest deadline first (then the earliest start, then by id) each take their
 * best match given the bookings already made, existing ones (`busy`) and those of this run. A machine never gets
 * two overlapping bookings; each booking lies inside its demand's window and is long enough for the area at the
 * machine's capacity. `no_machine`: no machine of the type nearby at all; `no_slot`: there are such machines but
 * none has enough free days in the window.
 */
export function scheduleDemands(input: {
  machines: readonly MachineFacts[];
  demands: readonly DemandFacts[];
  busy: ReadonlyMap<number, readonly DayRange[]>;
  notBefore?: string;
}): Schedule {
  const busy = new Map<number, DayRange[]>();
  for (const [id, ranges] of input.busy) busy.set(id, [...ranges]);
  const busyOf = (id: number) => busy.get(id) ?? [];
  const order = [...input.demands].sort(
    (a, b) => a.window.end.localeCompare(b.window.end) || a.window.start.localeCompare(b.window.start) || a.id - b.id,
  );
  const assignments: Assignment[] = [];
  const unassigned: Unassigned[] = [];
  for (const d of order) {
    const best = matchDemand(d, input.machines, busyOf, input.notBefore)[0];
    if (!best) {
      const anyNearby = input.machines.some(
        (m) =>
          m.type === d.machineType && m.status === 'available' && placeRank(m.path, d.villagePath, d.townPath) !== null,
      );
      unassigned.push({ demandId: d.id, reason: anyNearby ? 'no_slot' : 'no_machine' });
      continue;
    }
    busy.set(best.machineId, [...busyOf(best.machineId), best.slot]);
    assignments.push({ demandId: d.id, machineId: best.machineId, slot: best.slot });
  }
  return { assignments, unassigned };
}

export type BookingRefusal =
  | 'MACHINERY_MACHINE_UNAVAILABLE'
  | 'MACHINERY_TYPE_MISMATCH'
  | 'MACHINERY_TOO_FAR'
  | 'MACHINERY_OUTSIDE_WINDOW'
  | 'MACHINERY_CAPACITY_SHORT'
  | 'MACHINERY_BOOKING_OVERLAP';

/** Why a booking of `machine` for `demand` over `slot` cannot be made, or null when it can. */
export function checkBooking(
  demand: DemandFacts,
  machine: MachineFacts,
  slot: DayRange,
  busy: readonly DayRange[],
): BookingRefusal | null {
  if (machine.status !== 'available') return 'MACHINERY_MACHINE_UNAVAILABLE';
  if (machine.type !== demand.machineType) return 'MACHINERY_TYPE_MISMATCH';
  if (placeRank(machine.path, demand.villagePath, demand.townPath) === null) return 'MACHINERY_TOO_FAR';
  if (slot.start < demand.window.start || slot.end > demand.window.end) return 'MACHINERY_OUTSIDE_WINDOW';
  if (spanDays(slot) * tenths(machine.capacityMu) < tenths(demand.areaMu)) return 'MACHINERY_CAPACITY_SHORT';
  if (busy.some((b) => overlaps(b, slot))) return 'MACHINERY_BOOKING_OVERLAP';
  return null;
}

/** Revenue of a finished job: the area done at the booked price. */
export function revenueFen(areaDoneMu: number, priceFen: number): number {
  return costFen(areaDoneMu, priceFen);
}

/** `YYYY-MM` → its first day and the first day of the next month (Asia/Shanghai calendar days). */
export function monthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, to: `${next}-01` };
}
