import type { Dashboard, DashboardQuery } from '../../../api-types';
import { api } from '../../../ui/api';

export const dashboardApi = {
  get: (query: DashboardQuery, signal?: AbortSignal) => api.get<Dashboard>('/api/dashboard', query, signal),
};
