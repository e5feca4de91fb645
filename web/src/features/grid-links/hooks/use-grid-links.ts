import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { gridLinksApi, type LinkFilters } from '../api/grid-links-api';

export const gridLinkKeys = {
  all: ['grid-links'] as const,
  list: (f: LinkFilters) => ['grid-links', 'list', f] as const,
  tree: (nodeId: number | null) => ['grid-links', 'tree', nodeId] as const,
  gaps: (nodeId: number | null, withoutParty: boolean, page: number) =>
    ['grid-links', 'gaps', nodeId, withoutParty, page] as const,
};

export function useGridLinks(f: LinkFilters) {
  return useQuery({
    queryKey: gridLinkKeys.list(f),
    queryFn: ({ signal }) => gridLinksApi.list(f, signal),
    placeholderData: keepPreviousData,
  });
}

export function useGridLinkTree(nodeId: number | null) {
  return useQuery({ queryKey: gridLinkKeys.tree(nodeId), queryFn: ({ signal }) => gridLinksApi.tree(nodeId, signal) });
}

export function useGridLinkGaps(nodeId: number | null, withoutParty: boolean, page: number, enabled = true) {
  return useQuery({
    queryKey: gridLinkKeys.gaps(nodeId, withoutParty, page),
    queryFn: ({ signal }) => gridLinksApi.gaps({ nodeId, withoutParty, page, pageSize: 50 }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Any change refreshes every view of the links (list, tree, gaps). */
function useLinkChange<Args, Result>(change: (args: Args) => Promise<Result>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: () => client.invalidateQueries({ queryKey: gridLinkKeys.all }),
  });
}

export const useCreateGridLinks = () => useLinkChange(gridLinksApi.create);
export const useUpdateGridLink = () =>
  useLinkChange((a: { id: number; validTo: string | null; note: string | null }) =>
    gridLinksApi.update(a.id, { validTo: a.validTo, note: a.note }),
  );
export const useEndGridLink = () =>
  useLinkChange((a: { id: number; reason: string }) => gridLinksApi.end(a.id, a.reason));
