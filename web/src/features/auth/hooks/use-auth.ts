import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me } from '../../../api-types';
import { type Lang, setLanguage, storedLanguage } from '../../../i18n';
import { authApi, type Credentials, type MePatch, type PasswordChange } from '../api/auth-api';

export const meQueryKey = ['auth', 'me'] as const;

export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => authApi.me(signal),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/**
 * Signs in. The language picked on the login page wins; a browser with no choice of its own
 * takes the language saved on the account.
 */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) => authApi.login(credentials),
    onSuccess: async (me) => {
      queryClient.removeQueries();
      queryClient.setQueryData<Me>(meQueryKey, me);
      const chosen = storedLanguage();
      if (!chosen) await setLanguage(me.user.locale);
      else if (chosen !== me.user.locale) {
        authApi.updateMe({ locale: chosen }).then(
          (updated) => queryClient.setQueryData<Me>(meQueryKey, updated),
          () => undefined, // remembering the language on the account is a convenience, not worth an error
        );
      }
    },
  });
}

export function useLogout() {
  return useMutation({ mutationFn: () => authApi.logout() });
}

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: MePatch) => authApi.updateMe(patch),
    onSuccess: (me) => queryClient.setQueryData<Me>(meQueryKey, me),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PasswordChange) => authApi.changePassword(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meQueryKey }),
  });
}

/** Marks the notice of `me` (API tokens revoked by a password reset) as read, so it is shown once. */
export function useDismissNotice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => authApi.dismissNotice(),
    onSuccess: () => queryClient.setQueryData<Me>(meQueryKey, (me) => (me ? { ...me, notice: null } : me)),
  });
}

/** Switches the language and, when signed in, saves it on the account, so other devices start in it. */
export function useSwitchLanguage() {
  const queryClient = useQueryClient();
  return async (lang: Lang) => {
    await setLanguage(lang);
    if (queryClient.getQueryData(meQueryKey)) {
      authApi.updateMe({ locale: lang }).then(
        (me) => queryClient.setQueryData<Me>(meQueryKey, me),
        () => undefined,
      );
    }
  };
}
