import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CurrentPatrol,
  FindingCaseCreate,
  FindingInput,
  PatrolDetail,
  PatrolEnd,
  PatrolFinding,
  PatrolListQuery,
  PatrolPage,
} from '../../api-types';
import { api } from '../../ui/api';

/** The patrol log's queries, shared by the console (list, detail) and the phone (current patrol). */
export const patrolKeys = {
  all: ['patrols'] as const,
  list: (query: PatrolListQuery) => ['patrols', 'list', query] as const,
  detail: (id: number) => ['patrols', 'detail', id] as const,
  current: () => ['patrols', 'current'] as const,
};

export function usePatrols(query: PatrolListQuery) {
  return useQuery({
    queryKey: patrolKeys.list(query),
    queryFn: ({ signal }) => api.get<PatrolPage>('/api/patrols', { ...query }, signal),
  });
}

export function usePatrol(id: number) {
  return useQuery({
    queryKey: patrolKeys.detail(id),
    queryFn: ({ signal }) => api.get<PatrolDetail>(`/api/patrols/${id}`, undefined, signal),
  });
}

export function useCurrentPatrol() {
  return useQuery({
    queryKey: patrolKeys.current(),
    queryFn: ({ signal }) => api.get<CurrentPatrol>('/api/patrols/current', undefined, signal).then((r) => r.patrol),
  });
}

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: patrolKeys.all });
}

export function useStartPatrol() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { clientId: string; nodeId?: number }) => api.post<PatrolDetail>('/api/patrols', body),
    onSuccess: refresh,
  });
}

export function useEndPatrol() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: PatrolEnd }) =>
      api.post<PatrolDetail>(`/api/patrols/${id}/end`, body),
    onSuccess: refresh,
  });
}

export function useAddFinding() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ patrolId, body }: { patrolId: number; body: FindingInput }) =>
      api.post<PatrolFinding>(`/api/patrols/${patrolId}/findings`, body),
    onSuccess: refresh,
  });
}

export function useFindingCase() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ findingId, body }: { findingId: number; body: FindingCaseCreate }) =>
      api.post<PatrolFinding>(`/api/patrols/findings/${findingId}/case`, body),
    onSuccess: refresh,
  });
}
