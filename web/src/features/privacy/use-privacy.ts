import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  PrivacyCreateRequestBody,
  PrivacyDecisionBody,
  PrivacyMyData,
  PrivacyMyRequest,
  PrivacyRequestDetail,
  PrivacyRequestListQuery,
  PrivacyRequestPage,
} from '../../api-types';
import { api, fetchFile } from '../../ui/api';
import { fileNameFromDisposition, saveBlob } from '../reports/utils/download';

/** The privacy API (个人信息权利): every path in one place. */
export const PRIVACY_API = {
  myData: '/api/me/privacy',
  copy: '/api/me/privacy/copy',
  myRequests: '/api/me/privacy/requests',
  requests: '/api/privacy/requests',
  request: (id: number) => `/api/privacy/requests/${id}`,
  decision: (id: number) => `/api/privacy/requests/${id}/decision`,
} as const;

export const privacyKeys = { all: ['privacy'] as const };

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: privacyKeys.all });
}

/** "My data" (each read is audited on the server). */
export function useMyData(enabled = true) {
  return useQuery({
    queryKey: ['privacy', 'mine'],
    queryFn: ({ signal }) => api.get<PrivacyMyData>(PRIVACY_API.myData, undefined, signal),
    enabled,
  });
}

export function useDownloadCopy() {
  return useMutation({
    mutationFn: async (format: 'json' | 'xlsx') => {
      const response = await fetchFile(PRIVACY_API.copy, { format });
      saveBlob(
        await response.blob(),
        fileNameFromDisposition(response.headers.get('content-disposition'), `my-data.${format}`),
      );
    },
  });
}

export function useCreateMyRequest() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: PrivacyCreateRequestBody) => api.post<PrivacyMyRequest>(PRIVACY_API.myRequests, body),
    onSuccess: refresh,
  });
}

export function usePrivacyRequests(query: PrivacyRequestListQuery) {
  return useQuery({
    queryKey: ['privacy', 'list', query],
    queryFn: ({ signal }) =>
      api.get<PrivacyRequestPage>(PRIVACY_API.requests, query as Record<string, string | number | boolean>, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePrivacyRequest(id: number | null) {
  return useQuery({
    queryKey: ['privacy', 'one', id],
    queryFn: ({ signal }) => api.get<PrivacyRequestDetail>(PRIVACY_API.request(id!), undefined, signal),
    enabled: id !== null,
  });
}

export function useDecidePrivacyRequest() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, ...body }: PrivacyDecisionBody & { id: number }) =>
      api.post<PrivacyRequestDetail>(PRIVACY_API.decision(id), body),
    onSuccess: refresh,
  });
}
