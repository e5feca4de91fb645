import type { InboxPage } from '../../../api-types';
import { api } from '../../../ui/api';

/** The few inbox calls the workbench's unread card needs (the inbox pages have their own). */
export const inboxApi = {
  unread: (signal?: AbortSignal) => api.get<InboxPage>('/api/inbox', { unread: true, pageSize: 5 }, signal),
  markRead: (id: number) => api.post<unknown>(`/api/inbox/${id}/read`),
};
