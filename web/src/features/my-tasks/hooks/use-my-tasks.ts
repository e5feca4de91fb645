import { useQuery } from '@tanstack/react-query';
import type { TaskKind } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { myTasksApi } from '../api/my-tasks-api';

/** Titles come in the reader's language, so the language is part of the key. */
export const myTasksKeys = {
  all: ['tasks', 'mine'] as const,
  list: (kind: TaskKind | null, limit: number) => ['tasks', 'mine', currentLanguage(), kind, limit] as const,
};

/** The caller's tasks (every kind, or one), most pressing first, with the counts of all of them. */
export function useMyTasks(kind: TaskKind | null = null, limit = 100, enabled = true) {
  return useQuery({
    queryKey: myTasksKeys.list(kind, limit),
    queryFn: ({ signal }) => myTasksApi.mine(kind ? { kind, limit } : { limit }, signal),
    refetchInterval: 60_000,
    enabled,
  });
}
