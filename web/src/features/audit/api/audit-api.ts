import type { AuditEntry, Page } from '../../../api-types';
import { api } from '../../../ui/api';

export type AuditFilters = {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  nodeId?: number;
  /** UTC ISO instants */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
};

export const auditApi = {
  list: (filters: AuditFilters, signal?: AbortSignal) => api.get<Page<AuditEntry>>('/api/audit', filters, signal),
};
