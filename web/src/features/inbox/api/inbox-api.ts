import type { InboxMessage, InboxPage, Preferences, PreferencesBody } from '../../../api-types';
import { api, apiRequest } from '../../../ui/api';

export const inboxApi = {
  list: (query: { unread?: boolean; page?: number; pageSize?: number }, signal?: AbortSignal) =>
    api.get<InboxPage>('/api/inbox', query, signal),
  count: (signal?: AbortSignal) => api.get<{ unread: number }>('/api/inbox/count', undefined, signal),
  read: (id: number) => api.post<InboxMessage>(`/api/inbox/${id}/read`),
  readAll: () => api.post<{ updated: number; unread: number }>('/api/inbox/read-all'),
  preferences: (signal?: AbortSignal) => api.get<Preferences>('/api/inbox/preferences', undefined, signal),
  savePreferences: (body: PreferencesBody) =>
    apiRequest<Preferences>('/api/inbox/preferences', { method: 'PUT', body }),
};
