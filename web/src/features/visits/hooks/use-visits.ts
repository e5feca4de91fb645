import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  VisitCaseCreate,
  VisitListQuery,
  VisitRuleCreate,
  VisitRulePatch,
  VisitTaskListQuery,
} from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { usersApi } from '../../users/api/users-api';
import { userKeys } from '../../users/hooks/use-users';
import { visitsApi } from '../api/visits-api';

/** Reasons, rule and tag names come in the reader's language, so the language is part of the keys. */
export const visitKeys = {
  all: ['visits'] as const,
  rules: () => ['visits', 'rules', currentLanguage()] as const,
  allRules: ['visits', 'rules'] as const,
  taskLists: ['visits', 'tasks', 'list'] as const,
  taskList: (query: VisitTaskListQuery) => ['visits', 'tasks', 'list', currentLanguage(), query] as const,
  tasks: (id: number) => ['visits', 'tasks', 'detail', id] as const,
  task: (id: number) => ['visits', 'tasks', 'detail', id, currentLanguage()] as const,
  visitLists: ['visits', 'records', 'list'] as const,
  visitList: (query: VisitListQuery) => ['visits', 'records', 'list', currentLanguage(), query] as const,
  visits: (id: number) => ['visits', 'records', 'detail', id] as const,
  visit: (id: number) => ['visits', 'records', 'detail', id, currentLanguage()] as const,
};

export function useVisitRules(enabled = true) {
  return useQuery({
    queryKey: visitKeys.rules(),
    queryFn: ({ signal }) => visitsApi.rules(signal).then((r) => r.items),
    staleTime: 60_000,
    enabled,
  });
}

export function useVisitTasks(query: VisitTaskListQuery) {
  return useQuery({
    queryKey: visitKeys.taskList(query),
    queryFn: ({ signal }) => visitsApi.tasks(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useVisitTask(id: number | null) {
  return useQuery({
    queryKey: visitKeys.task(id ?? 0),
    queryFn: ({ signal }) => visitsApi.task(id ?? 0, signal),
    enabled: id !== null,
  });
}

export function useVisits(query: VisitListQuery, enabled = true) {
  return useQuery({
    queryKey: visitKeys.visitList(query),
    queryFn: ({ signal }) => visitsApi.visits(query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useVisit(id: number | null) {
  return useQuery({
    queryKey: visitKeys.visit(id ?? 0),
    queryFn: ({ signal }) => visitsApi.visit(id ?? 0, signal),
    enabled: id !== null,
  });
}

/** A rule change (or a generation run) may add, withdraw or move tasks: rules and task lists refresh. */
function useRefreshAfterRules() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: visitKeys.allRules });
    void queryClient.invalidateQueries({ queryKey: visitKeys.taskLists });
  };
}

export function useCreateVisitRule() {
  const refresh = useRefreshAfterRules();
  return useMutation({ mutationFn: (body: VisitRuleCreate) => visitsApi.createRule(body), onSuccess: refresh });
}

/** A refusal (someone changed the rule first) refreshes the list too, so the next try starts from what is there. */
export function useUpdateVisitRule() {
  const refresh = useRefreshAfterRules();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: VisitRulePatch }) => visitsApi.updateRule(id, body),
    onSuccess: refresh,
    onError: refresh,
  });
}

export function useGenerateVisitTasks() {
  const refresh = useRefreshAfterRules();
  return useMutation({ mutationFn: () => visitsApi.generate(), onSuccess: refresh });
}

/** Reassigning or withdrawing changes the task and the lists it is in; either way (or refused) they refresh. */
function useTaskChange<Args extends { id: number }>(change: (args: Args) => Promise<unknown>) {
  const queryClient = useQueryClient();
  const refresh = (id: number) => {
    void queryClient.invalidateQueries({ queryKey: visitKeys.tasks(id) });
    void queryClient.invalidateQueries({ queryKey: visitKeys.taskLists });
  };
  return useMutation({
    mutationFn: change,
    onSuccess: (_result, args) => refresh(args.id),
    onError: (_error, args) => refresh(args.id),
  });
}

export function useAssignVisitTask() {
  return useTaskChange((args: { id: number; assigneeId: number }) =>
    visitsApi.assign(args.id, { assigneeId: args.assigneeId }),
  );
}

export function useWithdrawVisitTask() {
  return useTaskChange((args: { id: number; note: string }) => visitsApi.withdraw(args.id, { note: args.note }));
}

export function useOpenVisitCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: { id: number; body: VisitCaseCreate }) => visitsApi.openCase(args.id, args.body),
    onSuccess: (_result, args) => {
      void queryClient.invalidateQueries({ queryKey: visitKeys.visits(args.id) });
      void queryClient.invalidateQueries({ queryKey: visitKeys.visitLists });
      // the task page lists its visits with their case
      void queryClient.invalidateQueries({ queryKey: ['visits', 'tasks', 'detail'] });
    },
  });
}

/**
 * Accounts for a picker (the users list, shared with the users page's cache): those of an area (the reassign
 * picker: `areaId` null waits for the area), or of the reader's whole scope (`areaId` undefined: the filter).
 */
export function useAssignableUsers(areaId: number | null | undefined, q: string, enabled = true) {
  const filters = { ...(areaId ? { nodeId: areaId } : {}), ...(q ? { q } : {}), page: 1, pageSize: 50 };
  return useQuery({
    queryKey: userKeys.list(filters),
    queryFn: ({ signal }) => usersApi.list(filters, signal),
    enabled: enabled && areaId !== null,
    placeholderData: keepPreviousData,
  });
}
