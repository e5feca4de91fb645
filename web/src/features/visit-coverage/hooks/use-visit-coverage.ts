import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { CoverageQuery, UnvisitedQuery } from '../../../api-types';
import { fileNameFromDisposition, saveBlob } from '../../reports/utils/download';
import { visitCoverageApi } from '../api/visit-coverage-api';

export const visitCoverageKeys = {
  all: ['visit-coverage'] as const,
  coverage: (query: CoverageQuery) => ['visit-coverage', 'figures', query] as const,
  unvisited: (query: UnvisitedQuery) => ['visit-coverage', 'unvisited', query] as const,
};

export function useCoverage(query: CoverageQuery) {
  return useQuery({
    queryKey: visitCoverageKeys.coverage(query),
    queryFn: ({ signal }) => visitCoverageApi.coverage(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useUnvisited(query: UnvisitedQuery) {
  return useQuery({
    queryKey: visitCoverageKeys.unvisited(query),
    queryFn: ({ signal }) => visitCoverageApi.unvisited(query, signal),
    placeholderData: keepPreviousData,
  });
}

/** Downloads the sheet for the coverage shown. */
export function useCoverageExport() {
  return useMutation({
    mutationFn: async (query: CoverageQuery) => {
      const response = await visitCoverageApi.export(query);
      const name = fileNameFromDisposition(response.headers.get('content-disposition'), 'visit-coverage.xlsx');
      saveBlob(await response.blob(), name);
    },
  });
}
