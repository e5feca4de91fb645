import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type {
  PartnerClaim,
  PartnerDelivery,
  PartnerDeliveryCreate,
  PartnerDeliveryPage,
  PartnerMe,
  PartnerOpenProjects,
  PartnerOrg,
  PartnerOrgApply,
  PartnerOrgPage,
  PartnerProject,
  PartnerProjectCreate,
  PartnerProjectDetail,
  PartnerProjectPage,
} from './partner-types';

/** The partners module's queries: the console's (area) and the partner's own (phone). */
export const partnerKeys = { all: ['partners'] as const };

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: partnerKeys.all });
}

export function usePartnerOrgs(query: { status?: string; page?: number }) {
  return useQuery({
    queryKey: ['partners', 'orgs', query],
    queryFn: ({ signal }) => api.get<PartnerOrgPage>('/api/partners/orgs', { ...query }, signal),
  });
}

export function usePartnerProjects(query: { status?: string; page?: number }) {
  return useQuery({
    queryKey: ['partners', 'projects', query],
    queryFn: ({ signal }) => api.get<PartnerProjectPage>('/api/partners/projects', { ...query }, signal),
  });
}

export function usePartnerProject(id: number | null) {
  return useQuery({
    queryKey: ['partners', 'project', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api.get<PartnerProjectDetail>(`/api/partners/projects/${id}`, undefined, signal),
  });
}

export function usePartnerDeliveries(query: { status?: string; page?: number }) {
  return useQuery({
    queryKey: ['partners', 'deliveries', query],
    queryFn: ({ signal }) => api.get<PartnerDeliveryPage>('/api/partners/deliveries', { ...query }, signal),
  });
}

export function useReviewOrg() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: number; decision: 'approve' | 'reject'; note?: string }) =>
      api.post<PartnerOrg>(`/api/partners/orgs/${id}/review`, { decision, ...(note ? { note } : {}) }),
    onSuccess: refresh,
  });
}

export function useSuspendOrg() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: number) => api.post<PartnerOrg>(`/api/partners/orgs/${id}/suspend`, {}),
    onSuccess: refresh,
  });
}

export function useCreateProject() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: PartnerProjectCreate) => api.post<PartnerProject>('/api/partners/projects', body),
    onSuccess: refresh,
  });
}

export function useCloseProject() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: number) => api.post<PartnerProjectDetail>(`/api/partners/projects/${id}/close`, {}),
    onSuccess: refresh,
  });
}

export function useReviewDelivery() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: number; decision: 'confirm' | 'reject'; note?: string }) =>
      api.post<PartnerDelivery>(`/api/partners/deliveries/${id}/review`, { decision, ...(note ? { note } : {}) }),
    onSuccess: refresh,
  });
}

// ---- the partner's own ----

export function usePartnerMe(enabled = true) {
  return useQuery({
    queryKey: ['partners', 'me'],
    enabled,
    queryFn: ({ signal }) => api.get<PartnerMe>('/api/partner/me', undefined, signal),
  });
}

export function useOpenProjects(enabled = true) {
  return useQuery({
    queryKey: ['partners', 'open'],
    enabled,
    queryFn: ({ signal }) => api.get<PartnerOpenProjects>('/api/partner/projects', undefined, signal),
  });
}

export function useApplyOrg() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: PartnerOrgApply) => api.post<PartnerOrg>('/api/partner/apply', body),
    onSuccess: refresh,
  });
}

export function useClaimProject() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, plan }: { id: number; plan?: string }) =>
      api.post<PartnerClaim>(`/api/partner/projects/${id}/claim`, plan ? { plan } : {}),
    onSuccess: refresh,
  });
}

export function useWithdrawClaim() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: number) => api.post<PartnerClaim>(`/api/partner/claims/${id}/withdraw`, {}),
    onSuccess: refresh,
  });
}

export function useAddDelivery() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ claimId, body }: { claimId: number; body: PartnerDeliveryCreate }) =>
      api.post<PartnerDelivery>(`/api/partner/claims/${claimId}/deliveries`, body),
    onSuccess: refresh,
  });
}
