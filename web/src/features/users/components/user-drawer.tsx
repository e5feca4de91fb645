import { CheckCircleOutlined, EditOutlined, KeyOutlined, StopOutlined, UnlockOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { useUnlockUser, useUpdateUser, useUser } from '../hooks/use-users';
import { LinkedResident } from './linked-resident';
import { RevealPhone } from './reveal-phone';
import { EditUserModal, ResetPasswordModal } from './user-dialogs';
import { UserPosts } from './user-posts';
import { isLocked, UserStatusTag } from './user-status';

type Props = {
  userId: number | null;
  canWrite: boolean;
  canRevealPii: boolean;
  onClose: () => void;
};

export function UserDrawer({ userId, canWrite, canRevealPii, onClose }: Props) {
  const { t } = useTranslation();
  const user = useUser(userId);
  return (
    <Drawer
      open={userId !== null}
      onClose={onClose}
      size={560}
      title={user.data ? t('users.detailTitle', { name: user.data.displayName }) : t('common.details')}
      destroyOnHidden
    >
      {user.isLoading ? <Spin style={{ display: 'block', margin: '64px auto' }} /> : null}
      {user.isError ? <Alert type="error" showIcon title={user.error.message} /> : null}
      {user.data ? <UserDetail user={user.data} canWrite={canWrite} canRevealPii={canRevealPii} /> : null}
    </Drawer>
  );
}

function UserDetail({ user, canWrite, canRevealPii }: { user: UserSummary; canWrite: boolean; canRevealPii: boolean }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const update = useUpdateUser();
  const unlock = useUnlockUser();
  const [dialog, setDialog] = useState<'edit' | 'password' | null>(null);
  const locked = isLocked(user);

  const fail = (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown'));
  const setDisabled = (disabled: boolean) =>
    update
      .mutateAsync({ id: user.id, body: { disabled } })
      .then(() => message.success(disabled ? t('users.userDisabled') : t('users.userEnabled')), fail);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="user-detail">
      {canWrite ? (
        <Space wrap>
          <Button icon={<EditOutlined />} onClick={() => setDialog('edit')}>
            {t('users.editProfile')}
          </Button>
          <Button icon={<KeyOutlined />} onClick={() => setDialog('password')}>
            {t('users.resetPassword')}
          </Button>
          {locked ? (
            <Button
              icon={<UnlockOutlined />}
              loading={unlock.isPending}
              onClick={() => unlock.mutateAsync(user.id).then(() => message.success(t('users.unlocked')), fail)}
            >
              {t('users.unlock')}
            </Button>
          ) : null}
          {user.disabled ? (
            <Button icon={<CheckCircleOutlined />} onClick={() => setDisabled(false)}>
              {t('users.enable')}
            </Button>
          ) : (
            <Button
              danger
              icon={<StopOutlined />}
              onClick={() =>
                modal.confirm({
                  title: t('users.disable'),
                  content: t('users.disableConfirm', { name: user.displayName }),
                  okText: t('users.disable'),
                  okButtonProps: { danger: true },
                  cancelText: t('common.cancel'),
                  onOk: () => setDisabled(true),
                })
              }
            >
              {t('users.disable')}
            </Button>
          )}
        </Space>
      ) : null}
      <Descriptions
        bordered
        size="small"
        column={1}
        items={[
          { key: 'username', label: t('users.username'), children: user.username },
          { key: 'displayName', label: t('users.displayName'), children: user.displayName },
          {
            key: 'phone',
            label: t('users.phone'),
            children:
              user.phoneMasked && canRevealPii ? (
                <RevealPhone userId={user.id} masked={user.phoneMasked} />
              ) : (
                (user.phoneMasked ?? t('common.none'))
              ),
          },
          { key: 'homeNode', label: t('users.homeNode'), children: user.homeNodeName ?? t('common.none') },
          { key: 'resident', label: t('users.resident'), children: <LinkedResident user={user} canWrite={canWrite} /> },
          {
            key: 'status',
            label: t('users.status'),
            children: (
              <Space>
                <UserStatusTag user={user} />
                {locked && user.lockedUntil ? (
                  <Typography.Text type="secondary">
                    {t('users.lockedUntil', { time: formatTime(user.lockedUntil) })}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            key: 'lastLoginAt',
            label: t('users.lastLoginAt'),
            children: user.lastLoginAt ? formatTime(user.lastLoginAt) : t('users.never'),
          },
          { key: 'createdAt', label: t('users.createdAt'), children: formatTime(user.createdAt) },
        ]}
      />
      <div>
        <Typography.Title level={5}>{t('users.posts')}</Typography.Title>
        <UserPosts user={user} canWrite={canWrite} />
      </div>
      <EditUserModal user={user} open={dialog === 'edit'} onClose={() => setDialog(null)} />
      <ResetPasswordModal user={user} open={dialog === 'password'} onClose={() => setDialog(null)} />
    </Space>
  );
}
