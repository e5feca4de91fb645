import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type AuditFilters, auditApi } from '../api/audit-api';

export function useAudit(filters: AuditFilters) {
  return useQuery({
    queryKey: ['audit', filters],
    queryFn: ({ signal }) => auditApi.list(filters, signal),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}
