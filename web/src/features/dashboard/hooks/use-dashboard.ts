import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DashboardQuery } from '../../../api-types';
import { dashboardApi } from '../api/dashboard-api';

export const dashboardKeys = {
  all: ['dashboard'] as const,
  node: (query: DashboardQuery) => ['dashboard', query] as const,
};

/** The dashboard of a node (or the caller's own area); `refreshMs` polls it (the big screen: every 60 s). */
export function useDashboard(query: DashboardQuery, refreshMs?: number) {
  return useQuery({
    queryKey: dashboardKeys.node(query),
    queryFn: ({ signal }) => dashboardApi.get(query, signal),
    placeholderData: keepPreviousData,
    retry: false,
    ...(refreshMs ? { refetchInterval: refreshMs } : {}),
  });
}
