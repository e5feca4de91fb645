import type { MyTasks, TaskKind } from '../../../api-types';
import { api } from '../../../ui/api';

export const myTasksApi = {
  mine: (query: { kind?: TaskKind; limit?: number }, signal?: AbortSignal) =>
    api.get<MyTasks>('/api/tasks/mine', query, signal),
};
