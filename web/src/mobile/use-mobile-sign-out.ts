import { useQueryClient } from '@tanstack/react-query';
import { Dialog, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useLogout } from '../features/auth/hooks/use-auth';

/** Asks, signs out, and returns to the phone login page. */
export function useMobileSignOut() {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = async () => {
    const confirmed = await Dialog.confirm({
      content: t('mobile.logoutConfirm'),
      confirmText: t('auth.logout'),
      cancelText: t('common.cancel'),
    });
    if (!confirmed) return;
    logout.mutate(undefined, {
      onSettled: () => {
        navigate('/m/login', { replace: true });
        queryClient.removeQueries();
        Toast.show({ content: t('auth.loggedOut') });
      },
    });
  };
  return { signOut, isPending: logout.isPending };
}
