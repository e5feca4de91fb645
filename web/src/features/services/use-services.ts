import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Canteen,
  CanteenCreate,
  EntryCreate,
  EntryUpdate,
  MealCounts,
  MealOrder,
  MealOrderCreate,
  Menu,
  MenuCreate,
  MyCanteen,
  MyOrderCreate,
  ServiceEntry,
  SubsidiesPut,
} from '../../api-types';
import { api, apiRequest } from '../../ui/api';

/** 便民服务: the queries and changes of the directory and the elder canteen (server/src/modules/services). */

export const servicesKeys = {
  all: ['services'] as const,
  entries: (q: object) => ['services', 'entries', q] as const,
  canteens: () => ['services', 'canteens'] as const,
  menus: (id: number, from: string, to: string) => ['services', 'menus', id, from, to] as const,
  counts: (id: number, day: string) => ['services', 'counts', id, day] as const,
  orders: (q: object) => ['services', 'orders', q] as const,
  me: () => ['services', 'me'] as const,
  myEntries: () => ['services', 'me', 'entries'] as const,
  myOrders: () => ['services', 'me', 'orders'] as const,
};

export function useEntries(q: { category?: string } = {}) {
  return useQuery({
    queryKey: servicesKeys.entries(q),
    queryFn: ({ signal }) =>
      api.get<{ items: ServiceEntry[] }>('/api/services/entries', q, signal).then((r) => r.items),
  });
}

export function useCanteens() {
  return useQuery({
    queryKey: servicesKeys.canteens(),
    queryFn: ({ signal }) =>
      api.get<{ items: Canteen[] }>('/api/services/canteens', undefined, signal).then((r) => r.items),
  });
}

export function useMenus(canteenId: number | null, from: string, to: string) {
  return useQuery({
    queryKey: servicesKeys.menus(canteenId ?? 0, from, to),
    queryFn: ({ signal }) =>
      api
        .get<{ items: Menu[] }>(`/api/services/canteens/${canteenId}/menus`, { from, to }, signal)
        .then((r) => r.items),
    enabled: canteenId !== null,
  });
}

export function useMealCounts(canteenId: number | null, day: string) {
  return useQuery({
    queryKey: servicesKeys.counts(canteenId ?? 0, day),
    queryFn: ({ signal }) => api.get<MealCounts>(`/api/services/canteens/${canteenId}/counts`, { day }, signal),
    enabled: canteenId !== null,
  });
}

export function useOrders(q: { canteenId?: number; day?: string }) {
  return useQuery({
    queryKey: servicesKeys.orders(q),
    queryFn: ({ signal }) => api.get<{ items: MealOrder[] }>('/api/services/orders', q, signal).then((r) => r.items),
  });
}

export function useMyCanteen(enabled = true) {
  return useQuery({
    queryKey: servicesKeys.me(),
    queryFn: ({ signal }) => api.get<MyCanteen>('/api/me/services/canteen', undefined, signal),
    enabled,
  });
}

export function useMyEntries(enabled = true) {
  return useQuery({
    queryKey: servicesKeys.myEntries(),
    queryFn: ({ signal }) =>
      api.get<{ items: ServiceEntry[] }>('/api/me/services/entries', undefined, signal).then((r) => r.items),
    enabled,
  });
}

export function useMyOrders(enabled = true) {
  return useQuery({
    queryKey: servicesKeys.myOrders(),
    queryFn: ({ signal }) =>
      api.get<{ items: MealOrder[] }>('/api/me/services/orders', undefined, signal).then((r) => r.items),
    enabled,
  });
}

type Change =
  | { kind: 'createEntry'; body: EntryCreate }
  | { kind: 'updateEntry'; id: number; body: EntryUpdate }
  | { kind: 'deleteEntry'; id: number }
  | { kind: 'createCanteen'; body: CanteenCreate }
  | { kind: 'putSubsidies'; id: number; body: SubsidiesPut }
  | { kind: 'createMenu'; id: number; body: MenuCreate }
  | { kind: 'createOrder'; body: MealOrderCreate }
  | { kind: 'cancelOrder'; id: number }
  | { kind: 'createMyOrder'; body: MyOrderCreate }
  | { kind: 'cancelMyOrder'; id: number };

function send(c: Change): Promise<unknown> {
  switch (c.kind) {
    case 'createEntry':
      return api.post('/api/services/entries', c.body);
    case 'updateEntry':
      return api.patch(`/api/services/entries/${c.id}`, c.body);
    case 'deleteEntry':
      return api.delete(`/api/services/entries/${c.id}`);
    case 'createCanteen':
      return api.post('/api/services/canteens', c.body);
    case 'putSubsidies':
      return apiRequest(`/api/services/canteens/${c.id}/subsidies`, { method: 'PUT', body: c.body });
    case 'createMenu':
      return api.post(`/api/services/canteens/${c.id}/menus`, c.body);
    case 'createOrder':
      return api.post('/api/services/orders', c.body);
    case 'cancelOrder':
      return api.post(`/api/services/orders/${c.id}/cancel`);
    case 'createMyOrder':
      return api.post('/api/me/services/orders', c.body);
    case 'cancelMyOrder':
      return api.post(`/api/me/services/orders/${c.id}/cancel`);
  }
}

/** Every change of the services pages; on success every services query is refetched. */
export function useServicesChange() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => qc.invalidateQueries({ queryKey: servicesKeys.all }),
  });
}
