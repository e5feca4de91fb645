import type {
  GridLink,
  GridLinkCreate,
  GridLinkCreated,
  GridLinkGapPage,
  GridLinkPage,
  GridLinkPatch,
  GridLinkTree,
  LinkKind,
} from '../../../../../server/src/modules/visits/links.schemas';
import { api } from '../../../ui/api';

export type { GridLink, GridLinkGapPage, GridLinkPage, GridLinkTree, LinkKind };

export type LinkFilters = {
  nodeId?: number | null;
  kind?: LinkKind | null;
  userId?: number | null;
  activeOnly: boolean;
  page: number;
  pageSize: number;
};

/** Drops empty filters (the server refuses null). */
function query(filters: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(filters)) if (v !== null && v !== undefined && v !== '') out[k] = v as never;
  return out;
}

export const gridLinksApi = {
  list: (f: LinkFilters, signal?: AbortSignal) => api.get<GridLinkPage>('/api/grid-links', query(f), signal),
  tree: (nodeId: number | null, signal?: AbortSignal) =>
    api.get<GridLinkTree>('/api/grid-links/tree', query({ nodeId }), signal),
  gaps: (f: { nodeId?: number | null; withoutParty?: boolean; page: number; pageSize: number }, signal?: AbortSignal) =>
    api.get<GridLinkGapPage>('/api/grid-links/gaps', query(f), signal),
  create: (body: GridLinkCreate) => api.post<GridLinkCreated>('/api/grid-links', body),
  update: (id: number, body: GridLinkPatch) => api.patch<GridLink>(`/api/grid-links/${id}`, body),
  end: (id: number, reason: string) => api.post<GridLink>(`/api/grid-links/${id}/end`, { reason }),
};
