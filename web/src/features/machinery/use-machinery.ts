import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchFile } from '../../ui/api';
import { fileNameFromDisposition, saveBlob } from '../reports/utils/download';
import type {
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
  MyDemandCreate,
  MyDemandList,
  Owner,
  OwnerCreate,
  OwnerList,
  Stats,
} from './machinery-types';

/** The farm machinery API (农机共享): every path in one place. */
export const MACHINERY_API = {
  owners: '/api/machinery/owners',
  machines: '/api/machinery/machines',
  machine: (id: number) => `/api/machinery/machines/${id}`,
  demands: '/api/machinery/demands',
  matches: (id: number) => `/api/machinery/demands/${id}/matches`,
  bookings: '/api/machinery/bookings',
  complete: (id: number) => `/api/machinery/bookings/${id}/complete`,
  cancel: (id: number) => `/api/machinery/bookings/${id}/cancel`,
  dispatch: '/api/machinery/dispatch',
  stats: '/api/machinery/stats',
  statsExport: '/api/machinery/stats/export',
  myDemands: '/api/me/machinery/demands',
  mySchedule: '/api/me/machinery/schedule',
} as const;

const KEY = ['machinery'] as const;

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: KEY });
}

export const useOwners = () =>
  useQuery({
    queryKey: [...KEY, 'owners'],
    queryFn: ({ signal }) => api.get<OwnerList>(MACHINERY_API.owners, undefined, signal),
  });

export const useMachines = () =>
  useQuery({
    queryKey: [...KEY, 'machines'],
    queryFn: ({ signal }) => api.get<MachineList>(MACHINERY_API.machines, undefined, signal),
  });

export const useDemands = (status: Demand['status'] | undefined, page: number) =>
  useQuery({
    queryKey: [...KEY, 'demands', status ?? null, page],
    queryFn: ({ signal }) => api.get<DemandPage>(MACHINERY_API.demands, { status, page, pageSize: 20 }, signal),
  });

export const useMatches = (demandId: number | null) =>
  useQuery({
    queryKey: [...KEY, 'matches', demandId],
    enabled: demandId !== null,
    queryFn: ({ signal }) => api.get<MatchList>(MACHINERY_API.matches(demandId as number), undefined, signal),
  });

export const useBookings = (query: { from?: string; to?: string; machineId?: number }) =>
  useQuery({
    queryKey: [...KEY, 'bookings', query],
    queryFn: ({ signal }) => api.get<BookingList>(MACHINERY_API.bookings, { ...query }, signal),
  });

export const useStats = (month: string) =>
  useQuery({
    queryKey: [...KEY, 'stats', month],
    queryFn: ({ signal }) => api.get<Stats>(MACHINERY_API.stats, { month }, signal),
  });

export const useMyDemands = () =>
  useQuery({
    queryKey: [...KEY, 'mine'],
    queryFn: ({ signal }) => api.get<MyDemandList>(MACHINERY_API.myDemands, undefined, signal),
  });

export const useMySchedule = () =>
  useQuery({
    queryKey: [...KEY, 'schedule'],
    queryFn: ({ signal }) => api.get<BookingList>(MACHINERY_API.mySchedule, undefined, signal),
  });

/** Every change of this module, each refreshing the module's queries. */
export function useMachineryActions() {
  const refresh = useRefresh();
  const opts = { onSuccess: () => refresh() };
  return {
    createOwner: useMutation({ mutationFn: (b: OwnerCreate) => api.post<Owner>(MACHINERY_API.owners, b), ...opts }),
    createMachine: useMutation({
      mutationFn: (b: MachineCreate) => api.post<Machine>(MACHINERY_API.machines, b),
      ...opts,
    }),
    updateMachine: useMutation({
      mutationFn: ({ id, body }: { id: number; body: MachinePatch }) =>
        api.patch<Machine>(MACHINERY_API.machine(id), body),
      ...opts,
    }),
    createDemand: useMutation({ mutationFn: (b: DemandCreate) => api.post<Demand>(MACHINERY_API.demands, b), ...opts }),
    book: useMutation({ mutationFn: (b: BookingCreate) => api.post<Booking>(MACHINERY_API.bookings, b), ...opts }),
    complete: useMutation({
      mutationFn: ({ id, areaDoneMu }: { id: number; areaDoneMu: number }) =>
        api.post<Booking>(MACHINERY_API.complete(id), { areaDoneMu }),
      ...opts,
    }),
    cancel: useMutation({ mutationFn: (id: number) => api.post<Booking>(MACHINERY_API.cancel(id)), ...opts }),
    dispatch: useMutation({
      mutationFn: (nodeId?: number) =>
        api.post<DispatchResult>(MACHINERY_API.dispatch, nodeId === undefined ? {} : { nodeId }),
      ...opts,
    }),
    postMine: useMutation({
      mutationFn: (b: MyDemandCreate) => api.post<Demand>(MACHINERY_API.myDemands, b),
      ...opts,
    }),
  };
}

export async function downloadStats(month: string): Promise<void> {
  const response = await fetchFile(MACHINERY_API.statsExport, { month });
  saveBlob(
    await response.blob(),
    fileNameFromDisposition(response.headers.get('content-disposition'), `machinery-${month}.xlsx`),
  );
}
