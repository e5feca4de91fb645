import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, fetchFile } from '../../ui/api';
import { fileNameFromDisposition, saveBlob } from '../reports/utils/download';
import type {
  CandidateDetail,
  CandidateListQuery,
  CandidatePage,
  CandidateView,
  PolicyCreate,
  PolicyFieldsView,
  PolicyList,
  PolicyPatch,
  PolicyVersionList,
  PolicyView,
  ResultPage,
  ResultsQuery,
  RunPage,
  RunView,
  ValidateResult,
} from './policy-types';

/** The policies API (政策找人): every path in one place. */
export const POLICY_API = {
  policies: '/api/policies',
  policy: (id: number) => `/api/policies/${id}`,
  status: (id: number) => `/api/policies/${id}/status`,
  versions: (id: number) => `/api/policies/${id}/versions`,
  fields: '/api/policies/fields',
  validate: '/api/policies/validate',
  runs: '/api/policies/runs',
  run: (id: number) => `/api/policies/runs/${id}`,
  results: (runId: number) => `/api/policies/runs/${runId}/results`,
  export: (runId: number) => `/api/policies/runs/${runId}/export.xlsx`,
  candidates: '/api/policies/candidates',
  candidate: (id: number) => `/api/policies/candidates/${id}`,
  candidateAction: (id: number, action: CandidateAction) => `/api/policies/candidates/${id}/${action}`,
} as const;

export type CandidateAction = 'confirm' | 'reject' | 'receiving' | 'end';

export const policyKeys = { all: ['policies'] as const };

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: policyKeys.all });
}

export function usePolicies(status?: 'draft' | 'active' | 'retired') {
  return useQuery({
    queryKey: ['policies', 'list', status ?? null],
    queryFn: ({ signal }) => api.get<PolicyList>(POLICY_API.policies, { status }, signal),
  });
}

export function usePolicyFields(enabled = true) {
  return useQuery({
    queryKey: ['policies', 'fields'],
    enabled,
    staleTime: 60_000,
    queryFn: ({ signal }) => api.get<PolicyFieldsView>(POLICY_API.fields, undefined, signal),
  });
}

export function usePolicyVersions(id: number | null) {
  return useQuery({
    queryKey: ['policies', 'versions', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api.get<PolicyVersionList>(POLICY_API.versions(id as number), undefined, signal),
  });
}

/** Checks a rule on the server: its leaves with labels, or an ApiError naming `rule.…`. */
export function validateRule(rule: unknown, code?: string) {
  return api.post<ValidateResult>(POLICY_API.validate, code ? { rule, code } : { rule });
}

export function useSavePolicy() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: PolicyCreate | PolicyPatch }) =>
      id === null
        ? api.post<PolicyView>(POLICY_API.policies, body)
        : api.patch<PolicyView>(POLICY_API.policy(id), body),
    onSuccess: refresh,
  });
}

export function useSetPolicyStatus() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, status }: { id: number; status: 'draft' | 'active' | 'retired' }) =>
      api.post<PolicyView>(POLICY_API.status(id), { status }),
    onSuccess: refresh,
  });
}

/** The latest run over a node (any policy), polled while it is queued or running. */
export function useLatestRun(nodeId: number | null) {
  return useQuery({
    queryKey: ['policies', 'runs', 'latest', nodeId],
    enabled: nodeId !== null,
    queryFn: async ({ signal }) => {
      const page = await api.get<RunPage>(POLICY_API.runs, { nodeId, page: 1, pageSize: 1 }, signal);
      return page.items[0] ?? null;
    },
    refetchInterval: (query) => {
      const run = query.state.data;
      return run && (run.status === 'queued' || run.status === 'running') ? 2000 : false;
    },
  });
}

/**
 * The finished runs over a node, newest first (a run covers every active policy or one): a policy's figures come
 * from the newest that holds it. `refreshKey` (the latest run's id and status) refetches once a run finishes.
 */
export function useDoneRuns(nodeId: number | null, refreshKey: string) {
  return useQuery({
    queryKey: ['policies', 'runs', 'done', nodeId, refreshKey],
    enabled: nodeId !== null,
    queryFn: ({ signal }) =>
      api.get<RunPage>(POLICY_API.runs, { nodeId, status: 'done', page: 1, pageSize: 50 }, signal),
  });
}

export function useStartRun() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { nodeId: number; policyId?: number }) => api.post<RunView>(POLICY_API.runs, body),
    onSuccess: refresh,
  });
}

export function useResults(runId: number | null, query: ResultsQuery) {
  return useQuery({
    queryKey: ['policies', 'results', runId, query],
    enabled: runId !== null,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.get<ResultPage>(POLICY_API.results(runId as number), { ...query }, signal),
  });
}

export function useExportResults() {
  return useMutation({
    mutationFn: async (q: {
      runId: number;
      policyId: number;
      outcome?: ResultsQuery['outcome'];
      nodeId?: number;
      reason?: string | null;
    }) => {
      const { reason, runId, ...rest } = q;
      const response = await fetchFile(POLICY_API.export(runId), {
        ...rest,
        ...(reason ? { unmasked: '1', reason } : {}),
      });
      saveBlob(
        await response.blob(),
        fileNameFromDisposition(response.headers.get('content-disposition'), 'policy.xlsx'),
      );
    },
  });
}

export function useCandidates(query: CandidateListQuery) {
  return useQuery({
    queryKey: ['policies', 'candidates', query],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.get<CandidatePage>(POLICY_API.candidates, { ...query }, signal),
  });
}

export function useCandidate(id: number | null) {
  return useQuery({
    queryKey: ['policies', 'candidate', id],
    enabled: id !== null,
    queryFn: ({ signal }) => api.get<CandidateDetail>(POLICY_API.candidate(id as number), undefined, signal),
  });
}

export type CandidateActionInput =
  | { id: number; action: 'confirm'; version: number; note?: string }
  | { id: number; action: 'reject' | 'end'; version: number; reason: string }
  | { id: number; action: 'receiving'; version: number; since: string };

export function useCandidateAction() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: CandidateActionInput) => {
      const { id, action, ...body } = input;
      return api.post<CandidateView>(POLICY_API.candidateAction(id, action), body);
    },
    onSuccess: refresh,
  });
}
