/** Farm machinery sharing's API shapes (农机共享), from the server's TypeBox schemas as types only. */

export { MACHINE_TYPES, type MachineType } from '../../../../server/src/modules/machinery/machinery.logic';
export type {
  Booking,
  BookingCreate,
  BookingList,
  Demand,
  DemandCreate,
  DemandPage,
  DispatchResult,
  Machine,
  MachineCreate,
  MachineList,
  MachinePatch,
  MatchList,
  MatchView,
  MyDemandCreate,
  MyDemandList,
  Owner,
  OwnerCreate,
  OwnerList,
  Stats,
  StatsRow as StatsRowView,
} from '../../../../server/src/modules/machinery/machinery.schemas';
