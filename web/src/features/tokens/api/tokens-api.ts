import type { ApiToken, CreatedToken, ItemList } from '../../../api-types';
import { api } from '../../../ui/api';

export type NewToken = { name: string; expiresInDays?: number };

export const tokensApi = {
  list: (signal?: AbortSignal) => api.get<ItemList<ApiToken>>('/api/auth/tokens', undefined, signal),
  create: (body: NewToken) => api.post<CreatedToken>('/api/auth/tokens', body),
  revoke: (id: number) => api.delete(`/api/auth/tokens/${id}`),
  /** Enters the password again at this session; the server then allows creating tokens for a few minutes. */
  confirmPassword: (password: string) => api.post<void>('/api/auth/confirm-password', { password }),
};
