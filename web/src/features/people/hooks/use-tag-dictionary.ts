import { useMutation } from '@tanstack/react-query';
import type { TagBody, UpdateTagBody } from '../../../api-types';
import { peopleApi } from '../api/people-api';
import { useInvalidatePeople } from './use-people';

export function useCreateTag() {
  const invalidate = useInvalidatePeople();
  return useMutation({ mutationFn: (body: TagBody) => peopleApi.createTag(body), onSuccess: invalidate });
}

export function useUpdateTag() {
  const invalidate = useInvalidatePeople();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: UpdateTagBody }) => peopleApi.updateTag(id, body),
    onSuccess: invalidate,
  });
}

export function useDeleteTag() {
  const invalidate = useInvalidatePeople();
  return useMutation({ mutationFn: (id: number) => peopleApi.deleteTag(id), onSuccess: invalidate });
}

export function useRefreshTags() {
  const invalidate = useInvalidatePeople();
  return useMutation({ mutationFn: () => peopleApi.refreshTags(), onSuccess: invalidate });
}
