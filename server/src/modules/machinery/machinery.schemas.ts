import { type Static, Type } from 'typebox';
import { Id, Nullable, Paging, Strict, Text, Timestamp } from '../../platform/http/schemas.js';
import { BOOKING_STATUSES, DEMAND_STATUSES, MACHINE_STATUSES, MACHINE_TYPES, OWNER_KINDS } from './machinery.logic.js';

/**
 * Farm machinery sharing (农机共享): owners, machines, farmers' demands, bookings (the schedule), dispatch, monthly
 * usage statistics; the farmer's and the owner's phone views.
 */

const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
/** 亩 with at most one decimal. */
const Mu = Type.Number({ exclusiveMinimum: 0, maximum: 100000, multipleOf: 0.1 });
const MachineType = Type.Enum([...MACHINE_TYPES]);

export const IdParams = Strict({ id: Id });

// ---- owners ----------------------------------------------------------------------------------------------------

export const OwnerCreate = Strict({
  nodeId: Id,
  name: Text({ minLength: 1, maxLength: 80, trim: true }),
  kind: Type.Enum([...OWNER_KINDS]),
  contactName: Type.Optional(Nullable(Text({ maxLength: 50, trim: true }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  partnerOrgId: Type.Optional(Nullable(Id)),
});
export type OwnerCreate = Static<typeof OwnerCreate>;

export const Owner = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  name: Type.String(),
  kind: Type.Enum([...OWNER_KINDS]),
  contactName: Nullable(Type.String()),
  phone: Nullable(Type.String({ description: 'masked' })),
  partnerOrgId: Nullable(Type.Integer()),
  machines: Type.Integer(),
  createdAt: Timestamp,
});
export type Owner = Static<typeof Owner>;
export const OwnerList = Type.Object({ items: Type.Array(Owner) });
export type OwnerList = Static<typeof OwnerList>;

// ---- machines --------------------------------------------------------------------------------------------------

export const MachineCreate = Strict({
  ownerId: Id,
  nodeId: Id,
  type: MachineType,
  name: Text({ minLength: 1, maxLength: 80, trim: true }),
  capacityMu: Mu,
  /** Yuan per 亩, two decimals at most. */
  pricePerMu: Type.Number({ minimum: 0, maximum: 100000, multipleOf: 0.01 }),
  lat: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
  lng: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
});
export type MachineCreate = Static<typeof MachineCreate>;

export const MachinePatch = Strict({
  name: Type.Optional(Text({ minLength: 1, maxLength: 80, trim: true })),
  capacityMu: Type.Optional(Mu),
  pricePerMu: Type.Optional(Type.Number({ minimum: 0, maximum: 100000, multipleOf: 0.01 })),
  status: Type.Optional(Type.Enum([...MACHINE_STATUSES])),
});
export type MachinePatch = Static<typeof MachinePatch>;

export const Machine = Type.Object({
  id: Type.Integer(),
  ownerId: Type.Integer(),
  ownerName: Type.String(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  type: MachineType,
  name: Type.String(),
  capacityMu: Type.Number(),
  pricePerMu: Type.Number(),
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  status: Type.Enum([...MACHINE_STATUSES]),
});
export type Machine = Static<typeof Machine>;
export const MachineList = Type.Object({ items: Type.Array(Machine) });
export type MachineList = Static<typeof MachineList>;
export const MachineListQuery = Strict({
  type: Type.Optional(MachineType),
  status: Type.Optional(Type.Enum([...MACHINE_STATUSES])),
  ownerId: Type.Optional(Id),
});
export type MachineListQuery = Static<typeof MachineListQuery>;

// ---- demands ---------------------------------------------------------------------------------------------------

const DemandFields = {
  place: Text({ minLength: 1, maxLength: 100, trim: true }),
  crop: Text({ minLength: 1, maxLength: 30, trim: true }),
  machineType: MachineType,
  areaMu: Mu,
  windowStart: DateStr,
  windowEnd: DateStr,
  note: Type.Optional(Nullable(Text({ maxLength: 200, trim: true }))),
};

/** A worker posts for a farmer: the village, and the farmer (a resident of the village, or a name). */
export const DemandCreate = Strict({
  nodeId: Id,
  residentId: Type.Optional(Nullable(Id)),
  farmerName: Type.Optional(Text({ minLength: 1, maxLength: 50, trim: true })),
  ...DemandFields,
});
export type DemandCreate = Static<typeof DemandCreate>;

/** A farmer posts for their own field, in their own village. */
export const MyDemandCreate = Strict(DemandFields);
export type MyDemandCreate = Static<typeof MyDemandCreate>;

export const BookingBrief = Type.Object({
  id: Type.Integer(),
  machineId: Type.Integer(),
  machineName: Type.String(),
  ownerName: Type.String(),
  start: DateStr,
  end: DateStr,
  status: Type.Enum([...BOOKING_STATUSES]),
  areaDoneMu: Nullable(Type.Number()),
  costYuan: Type.Number(),
});

export const Demand = Type.Object({
  id: Type.Integer(),
  nodeId: Type.Integer(),
  nodeName: Type.String(),
  residentId: Nullable(Type.Integer()),
  farmerName: Type.String({ description: 'masked unless it is the caller’s own' }),
  place: Type.String(),
  crop: Type.String(),
  machineType: MachineType,
  areaMu: Type.Number(),
  windowStart: DateStr,
  windowEnd: DateStr,
  note: Nullable(Type.String()),
  status: Type.Enum([...DEMAND_STATUSES]),
  booking: Nullable(BookingBrief),
  createdAt: Timestamp,
});
export type Demand = Static<typeof Demand>;
export const DemandPage = Type.Object({ items: Type.Array(Demand), total: Type.Integer() });
export type DemandPage = Static<typeof DemandPage>;
export const DemandListQuery = Strict({
  status: Type.Optional(Type.Enum([...DEMAND_STATUSES])),
  /** Demands whose window meets [from, to]. */
  from: Type.Optional(DateStr),
  to: Type.Optional(DateStr),
  ...Paging,
});
export type DemandListQuery = Static<typeof DemandListQuery>;
export const MyDemandList = Type.Object({ items: Type.Array(Demand) });
export type MyDemandList = Static<typeof MyDemandList>;

export const MatchView = Type.Object({
  machineId: Type.Integer(),
  machineName: Type.String(),
  ownerName: Type.String(),
  nodeName: Type.String(),
  place: Type.Enum(['village', 'town']),
  start: DateStr,
  end: DateStr,
  days: Type.Integer(),
  capacityMu: Type.Number(),
  pricePerMu: Type.Number(),
  costYuan: Type.Number(),
});
export type MatchView = Static<typeof MatchView>;
export const MatchList = Type.Object({ items: Type.Array(MatchView) });
export type MatchList = Static<typeof MatchList>;

// ---- bookings --------------------------------------------------------------------------------------------------

export const BookingCreate = Strict({ demandId: Id, machineId: Id, start: DateStr, end: DateStr });
export type BookingCreate = Static<typeof BookingCreate>;

export const Booking = Type.Object({
  id: Type.Integer(),
  machineId: Type.Integer(),
  machineName: Type.String(),
  machineType: MachineType,
  ownerId: Type.Integer(),
  ownerName: Type.String(),
  demandId: Type.Integer(),
  villageName: Type.String(),
  farmerName: Type.String({ description: 'masked' }),
  place: Type.String(),
  crop: Type.String(),
  start: DateStr,
  end: DateStr,
  areaMu: Type.Number(),
  pricePerMu: Type.Number(),
  status: Type.Enum([...BOOKING_STATUSES]),
  areaDoneMu: Nullable(Type.Number()),
  revenueYuan: Nullable(Type.Number()),
  completedAt: Nullable(Timestamp),
});
export type Booking = Static<typeof Booking>;
export const BookingList = Type.Object({ items: Type.Array(Booking) });
export type BookingList = Static<typeof BookingList>;
export const BookingListQuery = Strict({
  machineId: Type.Optional(Id),
  from: Type.Optional(DateStr),
  to: Type.Optional(DateStr),
  status: Type.Optional(Type.Enum([...BOOKING_STATUSES])),
});
export type BookingListQuery = Static<typeof BookingListQuery>;
export const CompleteBody = Strict({ areaDoneMu: Type.Number({ minimum: 0, maximum: 100000, multipleOf: 0.1 }) });
export type CompleteBody = Static<typeof CompleteBody>;

export const DispatchBody = Strict({
  /** Only demands of this village or town (a node the caller manages); every one in scope when left out. */
  nodeId: Type.Optional(Id),
});
export type DispatchBody = Static<typeof DispatchBody>;
export const DispatchResult = Type.Object({
  booked: Type.Array(Booking),
  unassigned: Type.Array(Type.Object({ demandId: Type.Integer(), reason: Type.Enum(['no_machine', 'no_slot']) })),
});
export type DispatchResult = Static<typeof DispatchResult>;

// ---- statistics ------------------------------------------------------------------------------------------------

export const StatsQuery = Strict({ month: Month });
export type StatsQuery = Static<typeof StatsQuery>;
export const StatsRow = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  bookings: Type.Integer(),
  areaDoneMu: Type.Number(),
  revenueYuan: Type.Number(),
});
export type StatsRow = Static<typeof StatsRow>;
export const Stats = Type.Object({
  month: Month,
  total: Type.Object({ bookings: Type.Integer(), areaDoneMu: Type.Number(), revenueYuan: Type.Number() }),
  byMachine: Type.Array(StatsRow),
  byOwner: Type.Array(StatsRow),
  byVillage: Type.Array(StatsRow),
});
export type Stats = Static<typeof Stats>;
