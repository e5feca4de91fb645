import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MetricRefreshBody, MetricsQuery } from '../../../api-types';
import { fileNameFromDisposition, saveBlob } from '../../reports/utils/download';
import { metricsApi } from '../api/metrics-api';

export const metricsKeys = {
  all: ['metrics'] as const,
  catalogue: ['metrics', 'catalogue'] as const,
  table: (query: MetricsQuery) => ['metrics', 'table', query] as const,
};

export function useMetricCatalogue() {
  return useQuery({
    queryKey: metricsKeys.catalogue,
    queryFn: ({ signal }) => metricsApi.catalogue(signal),
    staleTime: 3_600_000,
  });
}

export function useMetricsTable(query: MetricsQuery) {
  return useQuery({
    queryKey: metricsKeys.table(query),
    queryFn: ({ signal }) => metricsApi.table(query, signal),
    placeholderData: keepPreviousData,
  });
}

/** Queues the recomputation of a period (administrators). */
export function useMetricsRefresh() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: MetricRefreshBody) => metricsApi.refresh(body),
    onSuccess: () => client.invalidateQueries({ queryKey: metricsKeys.all }),
  });
}

/** Downloads the sheet of the table shown. */
export function useMetricsExport() {
  return useMutation({
    mutationFn: async (query: MetricsQuery) => {
      const response = await metricsApi.export(query);
      const name = fileNameFromDisposition(response.headers.get('content-disposition'), 'metrics.xlsx');
      saveBlob(await response.blob(), name);
    },
  });
}
