import { Card } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccess } from '../features/auth/hooks/use-access';
import { CreateUserModal } from '../features/users/components/create-user-modal';
import { UserDrawer } from '../features/users/components/user-drawer';
import { UsersTable } from '../features/users/components/users-table';

export function UsersPage() {
  const { t } = useTranslation();
  const access = useAccess();
  const [openId, setOpenId] = useState<number | null>(null);
  const [isCreating, setCreating] = useState(false);
  return (
    <Card title={t('users.title')}>
      <UsersTable canWrite={access.canWriteUsers} onOpen={setOpenId} onCreate={() => setCreating(true)} />
      <UserDrawer
        userId={openId}
        canWrite={access.canWriteUsers}
        canRevealPii={access.canRevealPii}
        onClose={() => setOpenId(null)}
      />
      {access.canWriteUsers ? (
        <CreateUserModal
          open={isCreating}
          isHomeNodeOptional={access.hasGlobalScope}
          onClose={() => setCreating(false)}
          onCreated={(user) => {
            setCreating(false);
            setOpenId(user.id);
          }}
        />
      ) : null}
    </Card>
  );
}
