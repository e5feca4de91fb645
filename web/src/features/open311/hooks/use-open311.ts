import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateOpen311ClientBody } from '../../../api-types';
import { open311Api } from '../api/open311-api';

const clientsKey = ['cases', 'open311-clients'] as const;

export function useOpen311Clients() {
  return useQuery({ queryKey: clientsKey, queryFn: ({ signal }) => open311Api.list(signal) });
}

export function useCreateOpen311Client() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateOpen311ClientBody) => open311Api.create(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clientsKey }),
  });
}

export function useRevokeOpen311Client() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => open311Api.revoke(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: clientsKey }),
  });
}
