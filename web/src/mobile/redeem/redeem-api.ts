import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';

/** The redemption API's answers (server/src/modules/points/redemption.schemas.ts). */
export type CodeIssued = { id: number; code: string; expiresAt: string; balance: number };
export type RedemptionItem = { goodsId: number; name: string; price: number; quantity: number };
export type Redemption = {
  id: number;
  merchantId: number;
  merchantName: string;
  residentName: string | null;
  items: RedemptionItem[];
  total: number;
  status: 'done' | 'reversed';
  operatorName: string;
  createdAt: string;
  balanceAfter?: number;
  can?: { refund: boolean };
};
export type CodeStatus = {
  id: number;
  state: 'active' | 'expired' | 'used';
  expiresAt: string;
  balance: number;
  redemption: Redemption | null;
};
export type CounterGoods = { id: number; name: string; description: string | null; price: number; stock: number };
export type CounterMerchant = { id: number; name: string; status: string; member: boolean; goods: CounterGoods[] };
export type LookupResult = { residentName: string; balance: number; expiresAt: string };

export const redeemKeys = {
  code: (id: number) => ['redeem', 'code', id] as const,
  counter: ['redeem', 'counter'] as const,
  today: ['redeem', 'today'] as const,
};

export const issueCode = () => api.post<CodeIssued>('/api/me/points/codes');

/** The code's state, polled every 2 s while it is active. */
export function useCodeStatus(id: number | null) {
  return useQuery({
    queryKey: redeemKeys.code(id ?? 0),
    queryFn: ({ signal }) => api.get<CodeStatus>(`/api/me/points/codes/${id}`, undefined, signal),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data?.state === 'used' ? false : 2000),
  });
}

export function useCounter() {
  return useQuery({
    queryKey: redeemKeys.counter,
    queryFn: ({ signal }) => api.get<{ merchants: CounterMerchant[] }>('/api/merchant/counter', undefined, signal),
  });
}

export function useTodayRedemptions(enabled: boolean) {
  return useQuery({
    queryKey: redeemKeys.today,
    queryFn: ({ signal }) =>
      api.get<{ day: string; items: Redemption[]; total: number }>('/api/merchant/redemptions', undefined, signal),
    enabled,
  });
}

export const lookupCode = (code: string) => api.post<LookupResult>('/api/merchant/redeem/lookup', { code });

export function useRedeem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      code: string;
      merchantId: number;
      items: { goodsId: number; quantity: number }[];
      clientId: string;
    }) => api.post<Redemption>('/api/merchant/redeem', body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: redeemKeys.counter });
      void qc.invalidateQueries({ queryKey: redeemKeys.today });
    },
  });
}

export function useRefund() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) =>
      api.post<Redemption>(`/api/points/redemptions/${id}/refund`, { reason }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: redeemKeys.counter });
      void qc.invalidateQueries({ queryKey: redeemKeys.today });
    },
  });
}
