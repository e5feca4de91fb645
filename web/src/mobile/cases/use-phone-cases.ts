import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FileView } from '../../api-types';
import { api } from '../../ui/api';
import { compressImage } from '../../ui/compress-image';
import type {
  ActionBodies,
  CaseCategory,
  CaseDetail,
  CaseList,
  CaseListQuery,
  CaseSummary,
  CommunityMap,
  ReportCaseBody,
} from './case-types';

export const phoneCaseKeys = {
  all: ['phone-cases'] as const,
  categories: () => ['phone-cases', 'categories'] as const,
  list: (query: CaseListQuery) => ['phone-cases', 'list', query] as const,
  detail: (id: number) => ['phone-cases', 'detail', id] as const,
  similar: (query: SimilarParams | null) => ['phone-cases', 'similar', query] as const,
  map: (nodeId: number | null) => ['phone-cases', 'map', nodeId] as const,
};

export function useCaseCategories() {
  return useQuery({
    queryKey: phoneCaseKeys.categories(),
    queryFn: ({ signal }) =>
      api.get<{ items: CaseCategory[] }>('/api/cases/categories', undefined, signal).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

export function useCaseList(query: CaseListQuery, enabled = true) {
  return useQuery({
    queryKey: phoneCaseKeys.list(query),
    queryFn: ({ signal }) => api.get<CaseList>('/api/cases', { ...query }, signal),
    enabled,
  });
}

export function useCase(id: number) {
  return useQuery({
    queryKey: phoneCaseKeys.detail(id),
    queryFn: ({ signal }) => api.get<CaseDetail>(`/api/cases/${id}`, undefined, signal),
  });
}

export type SimilarParams = { categoryId: number; houseId?: number; nodeId?: number; lat?: number; lng?: number };

/** Open cases of the same category nearby (GET /api/cases/similar): shown before the resident sends theirs. */
export function useSimilarCases(params: SimilarParams | null) {
  return useQuery({
    queryKey: phoneCaseKeys.similar(params),
    queryFn: ({ signal }) =>
      api.get<{ items: CaseSummary[] }>('/api/cases/similar', { ...params }, signal).then((r) => r.items),
    enabled: params !== null,
  });
}

/** The grid map of the caller's community (or the community of `nodeId`). */
export function useCommunityMap(nodeId: number | null = null, enabled = true) {
  return useQuery({
    queryKey: phoneCaseKeys.map(nodeId),
    queryFn: ({ signal }) => api.get<CommunityMap>('/api/cases/map', { nodeId }, signal),
    enabled,
    staleTime: 10 * 60_000,
  });
}

/** One photo shrunk on the device (≤ 2048 px JPEG) and uploaded, not yet attached to anything. */
export async function uploadPhoto(file: File): Promise<FileView> {
  const form = new FormData();
  const small = await compressImage(file);
  form.append('file', small, small.name);
  const uploaded = await api.upload<{ items: FileView[] }>('/api/files', form);
  const first = uploaded.items[0];
  if (!first) throw new Error('upload answered no file');
  return first;
}

export function useReportCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReportCaseBody) => api.post<CaseDetail>('/api/cases', body),
    onSuccess: (data) => {
      queryClient.setQueryData(phoneCaseKeys.detail(data.id), data);
      void queryClient.invalidateQueries({ queryKey: ['phone-cases', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['phone-cases', 'similar'] });
    },
  });
}

/** The phone's actions; each is POST /api/cases/:id/<route>. */
export type PhoneAction = keyof ActionBodies;
const ROUTE: Record<PhoneAction, string> = {
  accept: 'accept',
  note: 'notes',
  handle: 'handle',
  escalate: 'escalate',
  return: 'return',
  reopen: 'reopen',
  verify: 'verify',
  rate: 'rate',
};

/** An action with its body (the body's shape follows the action). */
export type ActionInput = { [A in PhoneAction]: { action: A; body: ActionBodies[A] } }[PhoneAction];

export function useCaseAction(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ActionInput) => api.post<CaseDetail>(`/api/cases/${id}/${ROUTE[input.action]}`, input.body),
    onSuccess: (data) => {
      queryClient.setQueryData(phoneCaseKeys.detail(id), data);
      void queryClient.invalidateQueries({ queryKey: ['phone-cases', 'list'] });
    },
  });
}
