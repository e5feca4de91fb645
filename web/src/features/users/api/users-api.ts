import type { CreateUserBody, Page, Role, UpdateUserBody, UserSummary } from '../../../api-types';
import { api } from '../../../ui/api';

export type UserFilters = {
  q?: string;
  nodeId?: number | null;
  role?: Role | null;
  page: number;
  pageSize: number;
};

export const usersApi = {
  list: (filters: UserFilters, signal?: AbortSignal) => api.get<Page<UserSummary>>('/api/users', filters, signal),
  get: (id: number, signal?: AbortSignal) => api.get<UserSummary>(`/api/users/${id}`, undefined, signal),
  create: (body: CreateUserBody) => api.post<UserSummary>('/api/users', body),
  update: (id: number, body: UpdateUserBody) => api.patch<UserSummary>(`/api/users/${id}`, body),
  resetPassword: (id: number, newPassword: string) =>
    api.post<void>(`/api/users/${id}/reset-password`, { newPassword }),
  unlock: (id: number) => api.post<unknown>(`/api/users/${id}/unlock`),
  addPost: (id: number, post: { nodeId: number | null; role: Role }) =>
    api.post<UserSummary>(`/api/users/${id}/posts`, post),
  removePost: (id: number, postId: number) => api.delete<UserSummary>(`/api/users/${id}/posts/${postId}`),
  revealPhone: (id: number, reason: string) =>
    api.post<{ value: string }>(`/api/users/${id}/reveal`, { field: 'phone', reason }),
};
