import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type {
  CaseDetail,
  CaseListQuery,
  CreateDepartmentBody,
  RateBody,
  ReportCaseBody,
  UpdateDepartmentBody,
} from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { subscribeTopic } from '../../../ui/live-topics';
import {
  type ActionBodies,
  type ConsoleAction,
  casesApi,
  type SimilarQuery,
  type WhistleAction,
  type WhistleBodies,
} from '../api/cases-api';
import { isCaseChange } from '../utils/case-board';

/** Names come in the reader's language (stages and categories are data), so the language is part of the keys. */
export const caseKeys = {
  all: ['cases'] as const,
  lists: ['cases', 'list'] as const,
  list: (query: CaseListQuery) => ['cases', 'list', currentLanguage(), query] as const,
  detail: (id: number) => ['cases', 'detail', id, currentLanguage()] as const,
  details: (id: number) => ['cases', 'detail', id] as const,
  categories: () => ['cases', 'categories', currentLanguage()] as const,
  stages: () => ['cases', 'stages', currentLanguage()] as const,
  departments: (nodeId?: number) => ['cases', 'departments', nodeId ?? null] as const,
  similar: (q: SimilarQuery) => ['cases', 'similar', q] as const,
};

/**
 * A page of the board at a time (the server pages by cursor). stageCounts come with the first page only, and only
 * when the query asks for them (`counts`: the kanban's column heads).
 */
export function useCaseList(query: CaseListQuery) {
  return useInfiniteQuery({
    queryKey: caseKeys.list(query),
    queryFn: ({ signal, pageParam }) => {
      if (!pageParam) return casesApi.list(query, signal);
      const { counts: _counts, ...rest } = query;
      return casesApi.list({ ...rest, after: pageParam }, signal);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.nextAfter ?? undefined,
  });
}

export function useCase(id: number | null) {
  return useQuery({
    queryKey: caseKeys.detail(id ?? 0),
    queryFn: ({ signal }) => casesApi.get(id ?? 0, signal),
    enabled: id !== null,
  });
}

export function useCaseCategories() {
  return useQuery({
    queryKey: caseKeys.categories(),
    queryFn: ({ signal }) => casesApi.categories(signal).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

export function useCaseStages() {
  return useQuery({
    queryKey: caseKeys.stages(),
    queryFn: ({ signal }) => casesApi.stages(signal).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

/** Departments the caller may dispatch or whistle to (for a case: those at or above its node), or belongs to. */
export function useDepartments(nodeId?: number, enabled = true) {
  return useQuery({
    queryKey: caseKeys.departments(nodeId),
    queryFn: ({ signal }) => casesApi.departments(nodeId, signal).then((r) => r.items),
    enabled,
  });
}

export function useSimilarCases(query: SimilarQuery | null) {
  return useQuery({
    queryKey: caseKeys.similar(query ?? { categoryId: 0 }),
    queryFn: ({ signal }) => casesApi.similar(query as SimilarQuery, signal).then((r) => r.items),
    enabled: query !== null,
  });
}

/** Every change answers the case as it now is: put it in the cache and refresh the lists. */
function useCaseChange<Args>(change: (args: Args) => Promise<CaseDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKeys.detail(detail.id), detail);
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
    },
  });
}

export function useCaseAction() {
  return useCaseChange((args: { id: number; action: ConsoleAction; body: ActionBodies[ConsoleAction] }) =>
    casesApi.act(args.id, args.action, args.body),
  );
}

export function useRateCase() {
  return useCaseChange((args: { id: number } & RateBody) => {
    const { id, ...body } = args;
    return casesApi.rate(id, body);
  });
}

export function useWhistleAction() {
  return useCaseChange(
    (args: { id: number; whistleId: number; action: WhistleAction; body: WhistleBodies[WhistleAction] }) =>
      casesApi.actOnWhistle(args.id, args.whistleId, args.action, args.body),
  );
}

export function useReportCase() {
  return useCaseChange((body: ReportCaseBody) => casesApi.report(body));
}

export function useUploadCasePhotos() {
  return useMutation({ mutationFn: (files: readonly File[]) => casesApi.upload(files) });
}

export function useSaveDepartment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: { id: number; body: UpdateDepartmentBody } | { id: null; body: CreateDepartmentBody }) =>
      args.id === null ? casesApi.createDepartment(args.body) : casesApi.updateDepartment(args.id, args.body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['cases', 'departments'] }),
  });
}

/**
 * Keeps the board and an open case current from the live stream's `cases` topic (`{ id, stage, supervision }`,
 * sent for every change in the reader's area). Bursts (a sweep marking many cases) refresh once.
 */
export function useLiveCases(onChange?: (id: number) => void) {
  const queryClient = useQueryClient();
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const changed = new Set<number>();
    const flush = () => {
      timer = null;
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
      for (const id of changed) {
        void queryClient.invalidateQueries({ queryKey: caseKeys.details(id) });
        callback.current?.(id);
      }
      changed.clear();
    };
    const unsubscribe = subscribeTopic('cases', (data) => {
      if (!isCaseChange(data)) return;
      changed.add(data.id);
      timer ??= setTimeout(flush, 400);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [queryClient]);
}
