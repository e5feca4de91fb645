import type { Workbench } from '../../../api-types';
import { api } from '../../../ui/api';

export const workbenchApi = {
  get: (signal?: AbortSignal) => api.get<Workbench>('/api/workbench', undefined, signal),
};
