import type {
  MetricCatalogueItem,
  MetricRefreshBody,
  MetricRefreshItem,
  MetricsQuery,
  MetricsResult,
} from '../../../api-types';
import { api, fetchFile } from '../../../ui/api';

export const metricsApi = {
  catalogue: (signal?: AbortSignal) =>
    api.get<{ items: MetricCatalogueItem[] }>('/api/metrics/catalogue', undefined, signal),
  table: (query: MetricsQuery, signal?: AbortSignal) => api.get<MetricsResult>('/api/metrics', query, signal),
  refreshes: (signal?: AbortSignal) =>
    api.get<{ items: MetricRefreshItem[] }>('/api/metrics/refreshes', undefined, signal),
  refresh: (body: MetricRefreshBody) =>
    api.post<{ periodKind: string; periodStart: string; rows: number; millis: number; scoring: boolean }>(
      '/api/metrics/refresh',
      body,
    ),
  /** The table as an .xlsx (Content-Disposition names the file). */
  export: (query: MetricsQuery) => fetchFile('/api/metrics/export', query),
};
