import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateNodeBody, NodeType, UpdateNodeBody } from '../../../api-types';
import { orgApi } from '../api/org-api';

export const orgKeys = {
  all: ['org'] as const,
  roots: () => ['org', 'roots'] as const,
  children: (parentId: number, includeRetired: boolean) => ['org', 'children', parentId, includeRetired] as const,
  node: (id: number) => ['org', 'node', id] as const,
  search: (q: string, type: NodeType | undefined) => ['org', 'search', q, type ?? null] as const,
};

export function useOrgRoots() {
  return useQuery({ queryKey: orgKeys.roots(), queryFn: ({ signal }) => orgApi.roots(signal) });
}

export function useOrgNode(id: number | null) {
  return useQuery({
    queryKey: orgKeys.node(id ?? 0),
    queryFn: ({ signal }) => orgApi.node(id ?? 0, signal),
    enabled: id !== null,
  });
}

export function useOrgSearch(q: string, type?: NodeType) {
  const term = q.trim();
  return useQuery({
    queryKey: orgKeys.search(term, type),
    queryFn: ({ signal }) => orgApi.search(term, type, signal),
    enabled: term.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** Every org change can reshape the tree (counts, order, parents): drop all cached org data. */
function useInvalidateOrg() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: orgKeys.all });
}

export function useCreateOrgNode() {
  const invalidate = useInvalidateOrg();
  return useMutation({ mutationFn: (body: CreateNodeBody) => orgApi.create(body), onSuccess: invalidate });
}

export function useUpdateOrgNode() {
  const invalidate = useInvalidateOrg();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: UpdateNodeBody }) => orgApi.update(id, body),
    onSuccess: invalidate,
  });
}

export function useMoveOrgNode() {
  const invalidate = useInvalidateOrg();
  return useMutation({
    mutationFn: ({ id, parentId }: { id: number; parentId: number }) => orgApi.move(id, parentId),
    onSuccess: invalidate,
  });
}

export function useRetireOrgNode() {
  const invalidate = useInvalidateOrg();
  return useMutation({ mutationFn: (id: number) => orgApi.retire(id), onSuccess: invalidate });
}
