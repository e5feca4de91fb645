import type {
  CreateNodeBody,
  ItemList,
  NodeType,
  OrgNode,
  OrgNodeDetail,
  OrgSearchHit,
  UpdateNodeBody,
} from '../../../api-types';
import { api } from '../../../ui/api';

export const orgApi = {
  roots: (signal?: AbortSignal) => api.get<ItemList<OrgNode>>('/api/org/roots', undefined, signal),
  children: (parentId: number, includeRetired: boolean, signal?: AbortSignal) =>
    api.get<ItemList<OrgNode>>('/api/org/nodes', { parentId, includeRetired }, signal),
  node: (id: number, signal?: AbortSignal) => api.get<OrgNodeDetail>(`/api/org/nodes/${id}`, undefined, signal),
  search: (q: string, type: NodeType | undefined, signal?: AbortSignal) =>
    api.get<ItemList<OrgSearchHit>>('/api/org/search', { q, type }, signal),
  create: (body: CreateNodeBody) => api.post<OrgNodeDetail>('/api/org/nodes', body),
  update: (id: number, body: UpdateNodeBody) => api.patch<OrgNodeDetail>(`/api/org/nodes/${id}`, body),
  move: (id: number, parentId: number) => api.post<OrgNodeDetail>(`/api/org/nodes/${id}/move`, { parentId }),
  retire: (id: number) => api.post<OrgNodeDetail>(`/api/org/nodes/${id}/retire`),
};
