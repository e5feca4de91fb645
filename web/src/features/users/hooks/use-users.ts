import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateUserBody, Role, UpdateUserBody, UserSummary } from '../../../api-types';
import { type UserFilters, usersApi } from '../api/users-api';

export const userKeys = {
  all: ['users'] as const,
  list: (filters: UserFilters) => ['users', 'list', filters] as const,
  detail: (id: number) => ['users', 'detail', id] as const,
};

export function useUsers(filters: UserFilters) {
  return useQuery({
    queryKey: userKeys.list(filters),
    queryFn: ({ signal }) => usersApi.list(filters, signal),
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: number | null) {
  return useQuery({
    queryKey: userKeys.detail(id ?? 0),
    queryFn: ({ signal }) => usersApi.get(id ?? 0, signal),
    enabled: id !== null,
  });
}

/** After a change the server answers the new user; put it in the cache and refresh the lists. */
function useUserChange<Args, Result>(change: (args: Args) => Promise<Result>, id?: (args: Args) => number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async (result, args) => {
      if (isUser(result)) queryClient.setQueryData(userKeys.detail(result.id), result);
      else if (id) await queryClient.invalidateQueries({ queryKey: userKeys.detail(id(args)) });
      await queryClient.invalidateQueries({ queryKey: ['users', 'list'] });
    },
  });
}

function isUser(value: unknown): value is UserSummary {
  return typeof value === 'object' && value !== null && 'username' in value && 'posts' in value;
}

export function useCreateUser() {
  return useUserChange((body: CreateUserBody) => usersApi.create(body));
}

export function useUpdateUser() {
  return useUserChange(
    ({ id, body }: { id: number; body: UpdateUserBody }) => usersApi.update(id, body),
    (a) => a.id,
  );
}

export function useResetPassword() {
  return useMutation({
    mutationFn: ({ id, newPassword }: { id: number; newPassword: string }) => usersApi.resetPassword(id, newPassword),
  });
}

export function useUnlockUser() {
  return useUserChange(
    (id: number) => usersApi.unlock(id),
    (id) => id,
  );
}

export function useAddPost() {
  return useUserChange(
    ({ id, nodeId, role }: { id: number; nodeId: number | null; role: Role }) => usersApi.addPost(id, { nodeId, role }),
    (a) => a.id,
  );
}

export function useRemovePost() {
  return useUserChange(
    ({ id, postId }: { id: number; postId: number }) => usersApi.removePost(id, postId),
    (a) => a.id,
  );
}

export function useRevealPhone() {
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) => usersApi.revealPhone(id, reason),
  });
}
