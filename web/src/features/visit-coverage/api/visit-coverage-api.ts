import type { Coverage, CoverageQuery, UnvisitedPage, UnvisitedQuery } from '../../../api-types';
import { api, fetchFile } from '../../../ui/api';

export const visitCoverageApi = {
  coverage: (query: CoverageQuery, signal?: AbortSignal) => api.get<Coverage>('/api/visits/coverage', query, signal),
  unvisited: (query: UnvisitedQuery, signal?: AbortSignal) =>
    api.get<UnvisitedPage>('/api/visits/unvisited', query, signal),
  /** The same figures as an .xlsx (Content-Disposition names the file). */
  export: (query: CoverageQuery, signal?: AbortSignal) => fetchFile('/api/visits/coverage/export', query, signal),
};
