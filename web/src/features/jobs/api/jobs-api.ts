import type { JobItem, JobState, Page, QueueSummary } from '../../../api-types';
import { api } from '../../../ui/api';

export type JobFilters = { queue?: string; state: JobState; page: number; pageSize: number };

export const jobsApi = {
  queues: (signal?: AbortSignal) => api.get<{ items: QueueSummary[] }>('/api/jobs/queues', undefined, signal),
  list: (filters: JobFilters, signal?: AbortSignal) => api.get<Page<JobItem>>('/api/jobs', filters, signal),
  retry: (id: string) => api.post<JobItem>(`/api/jobs/${id}/retry`),
  cancel: (id: string) => api.post<JobItem>(`/api/jobs/${id}/cancel`),
};
