import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../ui/api';
import type {
  Adjustment,
  AdjustmentBody,
  AdjustmentPage,
  Archive,
  Rankings,
  Scheme,
  SchemeCreate,
  SchemeList,
  SchemePatch,
  SelectionPage,
  SubjectKind,
} from '../assessment-types';

/** Every assessment query starts with this key, so a change refreshes them all. */
export const assessmentKeys = { all: ['assessment'] as const };

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: assessmentKeys.all });
}

export function useSchemes(enabled = true) {
  return useQuery({
    queryKey: ['assessment', 'schemes'],
    enabled,
    queryFn: ({ signal }) => api.get<SchemeList>('/api/assessment/schemes', undefined, signal),
  });
}

export function useRankings(query: { schemeId: number | null; periodStart: string | null; nodeId: number | null }) {
  return useQuery({
    queryKey: ['assessment', 'rankings', query],
    enabled: query.schemeId !== null && query.periodStart !== null,
    queryFn: ({ signal }) => api.get<Rankings>('/api/assessment/rankings', { ...query }, signal),
  });
}

export function useAdjustments(query: { schemeId: number | null; periodStart: string | null }) {
  return useQuery({
    queryKey: ['assessment', 'adjustments', query],
    enabled: query.schemeId !== null && query.periodStart !== null,
    queryFn: ({ signal }) =>
      api.get<AdjustmentPage>(
        '/api/assessment/adjustments',
        { ...query, includeWithdrawn: true, pageSize: 200 },
        signal,
      ),
  });
}

export function useAddAdjustment() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: AdjustmentBody) => api.post<Adjustment>('/api/assessment/adjustments', body),
    onSuccess: refresh,
  });
}

export function useWithdrawAdjustment() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) =>
      api.post<Adjustment>(`/api/assessment/adjustments/${id}/withdraw`, { reason }),
    onSuccess: refresh,
  });
}

export function useSelections(query: { schemeId: number | null; periodStart: string | null }) {
  return useQuery({
    queryKey: ['assessment', 'selections', query],
    enabled: query.schemeId !== null && query.periodStart !== null,
    queryFn: ({ signal }) => api.get<SelectionPage>('/api/assessment/selections', { ...query, pageSize: 200 }, signal),
  });
}

export type SelectionAction =
  | { kind: 'propose'; schemeId: number; periodStart: string }
  | { kind: 'nominate'; id: number; citation: string; version: number }
  | { kind: 'approve'; id: number; version: number }
  | { kind: 'decline'; id: number; reason: string; version: number }
  | { kind: 'publish'; schemeId: number; periodStart: string; levelNodeId: number }
  | {
      kind: 'add';
      schemeId: number;
      periodStart: string;
      subjectKind: SubjectKind;
      subjectId: number;
      citation: string;
    };

/** The selection steps: propose from the scores, nominate (citation), add by hand, approve, decline, publish. */
export function selectionRequest(action: SelectionAction): { path: string; body: Record<string, unknown> } {
  switch (action.kind) {
    case 'propose':
      return {
        path: '/api/assessment/selections/propose',
        body: { schemeId: action.schemeId, periodStart: action.periodStart },
      };
    case 'nominate':
      return {
        path: `/api/assessment/selections/${action.id}/nominate`,
        body: { citation: action.citation, version: action.version },
      };
    case 'approve':
      return { path: `/api/assessment/selections/${action.id}/approve`, body: { version: action.version } };
    case 'decline':
      return {
        path: `/api/assessment/selections/${action.id}/decline`,
        body: { reason: action.reason, version: action.version },
      };
    case 'publish':
      return {
        path: '/api/assessment/selections/publish',
        body: { schemeId: action.schemeId, periodStart: action.periodStart, levelNodeId: action.levelNodeId },
      };
    case 'add': {
      const { kind: _kind, ...body } = action;
      return { path: '/api/assessment/selections', body };
    }
  }
}

export function useSelectionAction() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (action: SelectionAction) => {
      const { path, body } = selectionRequest(action);
      return api.post<unknown>(path, body);
    },
    onSuccess: refresh,
  });
}

export function useArchive(subject: { kind: SubjectKind; id: number } | null) {
  return useQuery({
    queryKey: ['assessment', 'archive', subject],
    enabled: subject !== null,
    queryFn: ({ signal }) =>
      api.get<Archive>(
        `/api/assessment/archives/${subject!.kind === 'user' ? 'user' : 'node'}/${subject!.id}`,
        undefined,
        signal,
      ),
  });
}

export function useSaveScheme() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (save: { id: null; body: SchemeCreate } | { id: number; body: SchemePatch }) =>
      save.id === null
        ? api.post<Scheme>('/api/assessment/schemes', save.body)
        : api.patch<Scheme>(`/api/assessment/schemes/${save.id}`, save.body),
    onSuccess: refresh,
  });
}
