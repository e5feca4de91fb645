import { DownOutlined, KeyOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Dropdown, type MenuProps, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../../api-types';
import { postLabel } from '../../../ui/labels';

type Props = {
  me: Me;
  canManageTokens: boolean;
  onChangePassword: () => void;
  onTokens: () => void;
  onLogout: () => void;
};

export function AccountMenu({ me, canManageTokens, onChangePassword, onTokens, onLogout }: Props) {
  const { t } = useTranslation();
  const firstPost = me.posts[0];
  const items: MenuProps['items'] = [
    {
      key: 'posts',
      type: 'group',
      label: t('auth.myPosts'),
      children:
        me.posts.length > 0
          ? me.posts.map((post) => ({ key: `post-${post.id}`, label: postLabel(t, post), disabled: true }))
          : [{ key: 'no-posts', label: t('auth.noPosts'), disabled: true }],
    },
    { type: 'divider' },
    { key: 'password', icon: <LockOutlined />, label: t('auth.changePassword'), onClick: onChangePassword },
    ...(canManageTokens ? [{ key: 'tokens', icon: <KeyOutlined />, label: t('auth.tokens'), onClick: onTokens }] : []),
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), danger: true, onClick: onLogout },
  ];
  return (
    <Dropdown menu={{ items }} trigger={['click']} placement="bottomRight">
      <button type="button" className="linli-account" data-testid="account-menu">
        <Space size={8}>
          <Avatar size="small" icon={<UserOutlined />} />
          <Typography.Text strong>{me.user.displayName}</Typography.Text>
          {firstPost ? (
            <Tag color="blue" variant="filled" className="linli-account-post">
              {postLabel(t, firstPost)}
              {me.posts.length > 1 ? ` +${me.posts.length - 1}` : ''}
            </Tag>
          ) : null}
          <DownOutlined style={{ fontSize: 10 }} />
        </Space>
      </button>
    </Dropdown>
  );
}
