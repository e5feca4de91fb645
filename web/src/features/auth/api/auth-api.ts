import type { Me } from '../../../api-types';
import { api, apiRequest } from '../../../ui/api';

export type Credentials = { username: string; password: string };
export type PasswordChange = { currentPassword: string; newPassword: string };
export type MePatch = { displayName?: string; locale?: Me['user']['locale'] };

export const authApi = {
  me: (signal?: AbortSignal) => api.get<Me>('/api/auth/me', undefined, signal),
  login: (body: Credentials) => apiRequest<Me>('/api/auth/login', { method: 'POST', body, isAuthAttempt: true }),
  logout: () => api.post<void>('/api/auth/logout'),
  updateMe: (body: MePatch) => api.patch<Me>('/api/auth/me', body),
  changePassword: (body: PasswordChange) => api.post<void>('/api/auth/password', body),
  dismissNotice: () => api.delete('/api/auth/me/notice'),
};
