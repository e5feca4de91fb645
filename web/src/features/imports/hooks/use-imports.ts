import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportEnvelope } from '../../../api-types';
import { importsApi } from '../api/imports-api';

export const importKeys = {
  all: ['imports'] as const,
  list: () => ['imports', 'list'] as const,
  one: (id: number) => ['imports', 'one', id] as const,
};

/** Polled every second while the server works on it (checking or loading rows). */
export const POLL_MS = 1000;

export function useImports() {
  return useQuery({ queryKey: importKeys.list(), queryFn: ({ signal }) => importsApi.list(signal), staleTime: 0 });
}

export function useImport(id: number | null) {
  return useQuery({
    queryKey: importKeys.one(id ?? 0),
    queryFn: ({ signal }) => importsApi.get(id ?? 0, signal).then((r) => r.import),
    enabled: id !== null,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.status === 'running' ? POLL_MS : false),
  });
}

function useSettle() {
  const queryClient = useQueryClient();
  return async ({ import: record }: ImportEnvelope) => {
    queryClient.setQueryData(importKeys.one(record.id), record);
    await queryClient.invalidateQueries({ queryKey: importKeys.list() });
  };
}

export function useUploadImport() {
  const settle = useSettle();
  return useMutation({
    mutationFn: ({ file, nodeId }: { file: File; nodeId: number | null }) => importsApi.upload(file, nodeId),
    onSuccess: settle,
  });
}

/** Abandons a validated import: the server deletes its upload and error report. */
export function useCancelImport() {
  const settle = useSettle();
  return useMutation({ mutationFn: (id: number) => importsApi.cancel(id), onSuccess: settle });
}

/** Runs again an import a server restart cut short (nothing of it was written), from its kept upload. */
export function useRerunImport() {
  const settle = useSettle();
  return useMutation({ mutationFn: (id: number) => importsApi.rerun(id), onSuccess: settle });
}

export function useCommitImport() {
  const settle = useSettle();
  return useMutation({ mutationFn: (id: number) => importsApi.commit(id), onSuccess: settle });
}
