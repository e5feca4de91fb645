import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { CaseStatsQuery } from '../../../api-types';
import { fileNameFromDisposition, saveBlob } from '../../reports/utils/download';
import { caseStatsApi } from '../api/case-stats-api';

export const caseStatsKeys = {
  all: ['case-stats'] as const,
  stats: (query: CaseStatsQuery) => ['case-stats', query] as const,
};

export function useCaseStats(query: CaseStatsQuery) {
  return useQuery({
    queryKey: caseStatsKeys.stats(query),
    queryFn: ({ signal }) => caseStatsApi.stats(query, signal),
    placeholderData: keepPreviousData,
  });
}

/** Downloads the sheet for the query shown. */
export function useCaseStatsExport() {
  return useMutation({
    mutationFn: async (query: CaseStatsQuery) => {
      const response = await caseStatsApi.export(query);
      const name = fileNameFromDisposition(response.headers.get('content-disposition'), 'case-stats.xlsx');
      saveBlob(await response.blob(), name);
    },
  });
}
