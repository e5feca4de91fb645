import type { MyHousehold } from '../../../api-types';
import { api } from '../../../ui/api';

export const meApi = {
  household: (signal?: AbortSignal) => api.get<MyHousehold>('/api/me/household', undefined, signal),
};
