import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchFile } from '../../ui/api';
import { fileNameFromDisposition, saveBlob } from '../reports/utils/download';
import type {
  AccountListQuery,
  AccountPage,
  AwardInput,
  AwardResult,
  Currency,
  MovementPage,
  MyMovementPage,
  MyPoints,
  ResidentPoints,
  Totals,
  TotalsQuery,
} from './points-types';

/** The ledger's queries, shared by the console (积分账户) and the phone (我的积分). */
export const pointsKeys = {
  all: ['points-ledger'] as const,
  accounts: (q: AccountListQuery) => ['points-ledger', 'accounts', q] as const,
  movements: (id: number, cursor: number | undefined) => ['points-ledger', 'movements', id, cursor ?? null] as const,
  resident: (id: number) => ['points-ledger', 'resident', id] as const,
  totals: (q: TotalsQuery) => ['points-ledger', 'totals', q] as const,
  mine: () => ['points-ledger', 'me'] as const,
  myMovements: (currency: Currency, cursor: number | undefined) =>
    ['points-ledger', 'me', 'movements', currency, cursor ?? null] as const,
};

export function useAccounts(q: AccountListQuery) {
  return useQuery({
    queryKey: pointsKeys.accounts(q),
    queryFn: ({ signal }) => api.get<AccountPage>('/api/points/accounts', { ...q }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useMovements(id: number, cursor?: number) {
  return useQuery({
    queryKey: pointsKeys.movements(id, cursor),
    queryFn: ({ signal }) =>
      api.get<MovementPage>(`/api/points/accounts/${id}/movements`, cursor ? { cursor } : {}, signal),
  });
}

export function useResidentPoints(id: number) {
  return useQuery({
    queryKey: pointsKeys.resident(id),
    queryFn: ({ signal }) => api.get<ResidentPoints>(`/api/points/residents/${id}`, undefined, signal),
  });
}

export function useTotals(q: TotalsQuery) {
  return useQuery({
    queryKey: pointsKeys.totals(q),
    queryFn: ({ signal }) => api.get<Totals>('/api/points/totals', { ...q }, signal),
  });
}

export function useTotalsExport() {
  return useMutation({
    mutationFn: async (q: TotalsQuery) => {
      const response = await fetchFile('/api/points/totals/export', { ...q });
      saveBlob(
        await response.blob(),
        fileNameFromDisposition(response.headers.get('content-disposition'), 'points.xlsx'),
      );
    },
  });
}

export function useMyPoints(enabled = true) {
  return useQuery({
    queryKey: pointsKeys.mine(),
    queryFn: ({ signal }) => api.get<MyPoints>('/api/me/points', undefined, signal),
    enabled,
  });
}

export function useMyMovements(currency: Currency, cursor?: number) {
  return useQuery({
    queryKey: pointsKeys.myMovements(currency, cursor),
    queryFn: ({ signal }) =>
      api.get<MyMovementPage>('/api/me/points/movements', { currency, ...(cursor ? { cursor } : {}) }, signal),
  });
}

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: pointsKeys.all });
}

export function useAward() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: AwardInput) => api.post<AwardResult>('/api/points/awards', body),
    onSuccess: refresh,
  });
}

export function useReverse() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) =>
      api.post<{ transferId: number }>(`/api/points/transfers/${id}/reverse`, { reason }),
    onSuccess: refresh,
  });
}
