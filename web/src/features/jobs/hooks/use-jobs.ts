import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type JobFilters, jobsApi } from '../api/jobs-api';

/** Counts move while jobs run: refreshed every 5 s while the page is open. */
export const REFRESH_MS = 5000;

export function useQueues() {
  return useQuery({
    queryKey: ['jobs', 'queues'],
    queryFn: ({ signal }) => jobsApi.queues(signal),
    refetchInterval: REFRESH_MS,
    staleTime: 0,
  });
}

export function useJobList(filters: JobFilters) {
  return useQuery({
    queryKey: ['jobs', 'list', filters],
    queryFn: ({ signal }) => jobsApi.list(filters, signal),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
    staleTime: 0,
  });
}

function useJobAction(fn: (id: string) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['jobs'] }),
  });
}

export const useRetryJob = () => useJobAction(jobsApi.retry);
export const useCancelJob = () => useJobAction(jobsApi.cancel);
