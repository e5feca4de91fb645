import { App, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { UserSummary } from '../../../api-types';
import { useAccess } from '../../auth/hooks/use-access';
import { ResidentSearchSelect } from '../../people/components/resident-search-select';
import { useUpdateUser } from '../hooks/use-users';

/**
 * The resident record an account belongs to (a resident's own household is shown to them on the phone); a
 * manager who reads people may link or unlink it.
 */
export function LinkedResident({ user, canWrite }: { user: UserSummary; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const access = useAccess();
  const update = useUpdateUser();
  const link =
    user.residentId !== null ? (
      <Link to={`/people/residents/${user.residentId}`}>{t('users.residentLink', { id: user.residentId })}</Link>
    ) : (
      <Typography.Text type="secondary">{t('users.noResident')}</Typography.Text>
    );
  if (!canWrite || !access.canReadPeople) return link;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {link}
      <ResidentSearchSelect
        value={null}
        onChange={(residentId) =>
          update.mutateAsync({ id: user.id, body: { residentId } }).then(
            () => message.success(t('users.residentLinked')),
            (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown')),
          )
        }
      />
    </Space>
  );
}
