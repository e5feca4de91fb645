import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchFile } from '../../ui/api';
import { fileNameFromDisposition, saveBlob } from '../reports/utils/download';
import type {
  Goods,
  MerchantCreate,
  MerchantDetail,
  MerchantPage,
  MerchantStatus,
  RedemptionPage,
  Settlement,
  SettlementDetail,
} from './merchant-types';

export const merchantKeys = {
  all: ['merchants'] as const,
  list: (q: object) => ['merchants', 'list', q] as const,
  detail: (id: number) => ['merchants', 'detail', id] as const,
  goods: (id: number) => ['merchants', 'goods', id] as const,
  redemptions: (id: number) => ['merchants', 'redemptions', id] as const,
  settlements: (id: number) => ['merchants', 'settlements', id] as const,
  settlement: (id: number) => ['merchants', 'settlement', id] as const,
  staffGoods: () => ['merchants', 'staff-goods'] as const,
};

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: merchantKeys.all });
}

export function useMerchants(q: { status?: MerchantStatus; q?: string; page?: number }) {
  return useQuery({
    queryKey: merchantKeys.list(q),
    queryFn: ({ signal }) => api.get<MerchantPage>('/api/points/merchants', { ...q, pageSize: 50 }, signal),
  });
}

export function useMerchant(id: number) {
  return useQuery({
    queryKey: merchantKeys.detail(id),
    queryFn: ({ signal }) => api.get<MerchantDetail>(`/api/points/merchants/${id}`, undefined, signal),
  });
}

export function useMerchantGoods(id: number) {
  return useQuery({
    queryKey: merchantKeys.goods(id),
    queryFn: ({ signal }) => api.get<{ items: Goods[] }>(`/api/points/merchants/${id}/goods`, undefined, signal),
  });
}

export function useMerchantRedemptions(id: number) {
  return useQuery({
    queryKey: merchantKeys.redemptions(id),
    queryFn: ({ signal }) => api.get<RedemptionPage>('/api/points/redemptions', { merchantId: id, limit: 200 }, signal),
  });
}

export function useMerchantSettlements(id: number) {
  return useQuery({
    queryKey: merchantKeys.settlements(id),
    queryFn: ({ signal }) => api.get<{ items: Settlement[] }>('/api/points/settlements', { merchantId: id }, signal),
  });
}

export function useSettlement(id: number | null) {
  return useQuery({
    queryKey: merchantKeys.settlement(id ?? 0),
    enabled: id !== null,
    queryFn: ({ signal }) => api.get<SettlementDetail>(`/api/points/settlements/${id}`, undefined, signal),
  });
}

export function useCreateMerchant() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: MerchantCreate) => api.post<MerchantDetail>('/api/points/merchants', body),
    onSuccess: refresh,
  });
}

export function useUpdateMerchant(id: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: Partial<MerchantCreate> & { status?: MerchantStatus }) =>
      api.patch<MerchantDetail>(`/api/points/merchants/${id}`, body),
    onSuccess: refresh,
  });
}

export function useMemberChange(id: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ userId, remove }: { userId: number; remove?: boolean }) =>
      remove
        ? api.delete<MerchantDetail>(`/api/points/merchants/${id}/members/${userId}`)
        : api.post<MerchantDetail>(`/api/points/merchants/${id}/members`, { userId }),
    onSuccess: refresh,
  });
}

export function useCreateGoods(merchantId: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { name: string; price: number; stock?: number; description?: string | null }) =>
      api.post<Goods>(`/api/points/merchants/${merchantId}/goods`, body),
    onSuccess: refresh,
  });
}

export function useUpdateGoods() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; version: number; price?: number; stock?: number; active?: boolean }) =>
      api.patch<Goods>(`/api/points/goods/${id}`, body),
    onSuccess: refresh,
  });
}

export function useSettle(merchantId: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (period: string) => api.post<Settlement>(`/api/points/merchants/${merchantId}/settlements`, { period }),
    onSuccess: refresh,
  });
}

export function useMarkPaid() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: number) => api.post<Settlement>(`/api/points/settlements/${id}/paid`),
    onSuccess: refresh,
  });
}

export function useExportSettlement() {
  return useMutation({
    mutationFn: async (id: number) => {
      const response = await fetchFile(`/api/points/settlements/${id}/export`);
      saveBlob(
        await response.blob(),
        fileNameFromDisposition(response.headers.get('content-disposition'), 'settlement.xlsx'),
      );
    },
  });
}

/** The merchant's phone: its own goods. */
export function useStaffGoods() {
  return useQuery({
    queryKey: merchantKeys.staffGoods(),
    queryFn: ({ signal }) => api.get<{ items: Goods[] }>('/api/merchant/goods', undefined, signal),
  });
}

export function useUpdateStaffGoods() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; price?: number; stockDelta?: number; active?: boolean }) =>
      api.patch<Goods>(`/api/merchant/goods/${id}`, body),
    onSuccess: refresh,
  });
}
