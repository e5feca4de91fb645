import type { CaseStats, CaseStatsQuery } from '../../../api-types';
import { api, fetchFile } from '../../../ui/api';

export const caseStatsApi = {
  stats: (query: CaseStatsQuery, signal?: AbortSignal) => api.get<CaseStats>('/api/cases/stats', query, signal),
  /** The same figures as an .xlsx (Content-Disposition names the file). */
  export: (query: CaseStatsQuery, signal?: AbortSignal) => fetchFile('/api/cases/stats.xlsx', query, signal),
};
