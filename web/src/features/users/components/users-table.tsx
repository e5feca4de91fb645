import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, UserSummary } from '../../../api-types';
import { postLabel } from '../../../ui/labels';
import { formatTime } from '../../../ui/time';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import type { UserFilters } from '../api/users-api';
import { useUsers } from '../hooks/use-users';
import { RoleSelect, UserStatusTag } from './user-status';

type Props = {
  canWrite: boolean;
  onOpen: (id: number) => void;
  onCreate: () => void;
};

export function UsersTable({ canWrite, onOpen, onCreate }: Props) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<UserFilters>({ page: 1, pageSize: 20 });
  const users = useUsers(filters);
  const patch = (next: Partial<UserFilters>) => setFilters((f) => ({ ...f, ...next, page: next.page ?? 1 }));

  const columns: ColumnsType<UserSummary> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      render: (username: string, user) => (
        <Typography.Link onClick={() => onOpen(user.id)} data-testid={`user-${username}`}>
          {username}
        </Typography.Link>
      ),
    },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    {
      title: t('users.phone'),
      dataIndex: 'phoneMasked',
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('users.posts'),
      dataIndex: 'posts',
      render: (posts: UserSummary['posts']) =>
        posts.length === 0 ? (
          <Typography.Text type="secondary">{t('users.noPosts')}</Typography.Text>
        ) : (
          <Space size={[4, 4]} wrap>
            {posts.map((post) => (
              <Tag key={post.id}>{postLabel(t, post)}</Tag>
            ))}
          </Space>
        ),
    },
    { title: t('users.homeNode'), dataIndex: 'homeNodeName', render: (v: string | null) => v ?? t('common.none') },
    { title: t('users.status'), key: 'status', render: (_, user) => <UserStatusTag user={user} /> },
    {
      title: t('users.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      render: (v: string | null) => (v ? formatTime(v) : t('users.never')),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="linli-toolbar">
        <Space wrap>
          <Input.Search
            allowClear
            placeholder={t('users.searchPlaceholder')}
            style={{ width: 240 }}
            onSearch={(q) => patch({ q: q.trim() || undefined })}
            aria-label={t('common.search')}
          />
          <NodeSearchSelect
            allowClear
            placeholder={t('users.filterNode')}
            style={{ width: 240 }}
            value={filters.nodeId ?? null}
            onChange={(nodeId) => patch({ nodeId })}
          />
          <RoleSelect
            allowClear
            placeholder={t('users.filterRole')}
            style={{ width: 180 }}
            value={filters.role ?? null}
            onChange={(role: Role | null) => patch({ role })}
          />
        </Space>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={onCreate}>
            {t('users.create')}
          </Button>
        ) : null}
      </div>
      {users.isError ? <Alert type="error" showIcon title={users.error.message} /> : null}
      <Table<UserSummary>
        rowKey="id"
        size="middle"
        loading={users.isFetching}
        columns={columns}
        dataSource={users.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        onRow={(user) => ({ onDoubleClick: () => onOpen(user.id) })}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: users.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (count) => t('common.total', { count }),
          onChange: (page, pageSize) => patch({ page, pageSize }),
        }}
      />
    </Space>
  );
}
