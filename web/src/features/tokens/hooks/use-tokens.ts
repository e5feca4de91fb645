import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type NewToken, tokensApi } from '../api/tokens-api';

const tokensKey = ['auth', 'tokens'] as const;

export function useTokens(enabled: boolean) {
  return useQuery({ queryKey: tokensKey, queryFn: ({ signal }) => tokensApi.list(signal), enabled });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewToken) => tokensApi.create(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => tokensApi.revoke(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useConfirmPassword() {
  return useMutation({ mutationFn: (password: string) => tokensApi.confirmPassword(password) });
}
