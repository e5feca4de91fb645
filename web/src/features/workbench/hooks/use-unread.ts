import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { inboxApi } from '../api/inbox-api';

export function useUnreadMessages() {
  return useQuery({ queryKey: ['inbox', 'unread'], queryFn: ({ signal }) => inboxApi.unread(signal), staleTime: 0 });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => inboxApi.markRead(id),
    onSuccess: () => client.invalidateQueries({ queryKey: ['inbox'] }),
  });
}
