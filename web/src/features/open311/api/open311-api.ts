import type { CreatedOpen311Client, CreateOpen311ClientBody, ItemList, Open311Client } from '../../../api-types';
import { api } from '../../../ui/api';

export const open311Api = {
  list: (signal?: AbortSignal) => api.get<ItemList<Open311Client>>('/api/cases/open311-clients', undefined, signal),
  create: (body: CreateOpen311ClientBody) => api.post<CreatedOpen311Client>('/api/cases/open311-clients', body),
  revoke: (id: number) => api.delete<Open311Client>(`/api/cases/open311-clients/${id}`),
};
