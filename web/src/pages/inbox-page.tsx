import { Button, Card, List, Segmented, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { PreferencesForm } from '../features/inbox/components/preferences-form';
import { useInbox, useMarkAllRead, useMarkRead } from '../features/inbox/hooks/use-inbox';
import { linkPath } from '../features/inbox/utils/link';
import { formatTime } from '../ui/time';

/** 消息: every user's inbox (mark read, mark all read, open the record) and their notification settings. */
export function InboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState(1);
  const inbox = useInbox({ unread: unreadOnly, page, pageSize: 20 });
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('inbox.title')}
        extra={
          <Space>
            <Segmented
              value={unreadOnly ? 'unread' : 'all'}
              onChange={(v) => {
                setUnreadOnly(v === 'unread');
                setPage(1);
              }}
              options={[
                { value: 'all', label: t('inbox.all') },
                { value: 'unread', label: t('inbox.unread') },
              ]}
            />
            <Button
              onClick={() => markAll.mutate()}
              loading={markAll.isPending}
              disabled={(inbox.data?.unread ?? 0) === 0}
              data-testid="inbox-read-all"
            >
              {t('inbox.markAllRead')}
            </Button>
          </Space>
        }
      >
        <List
          loading={inbox.isLoading}
          dataSource={inbox.data?.items ?? []}
          locale={{ emptyText: t('inbox.empty') }}
          data-testid="inbox-list"
          pagination={
            (inbox.data?.total ?? 0) > 20
              ? { current: page, pageSize: 20, total: inbox.data?.total ?? 0, onChange: setPage }
              : false
          }
          renderItem={(m) => {
            const path = linkPath(m.link, 'console');
            return (
              <List.Item
                data-testid="inbox-row"
                actions={[
                  m.readAt === null ? (
                    <Button key="read" type="link" size="small" onClick={() => markRead.mutate(m.id)}>
                      {t('inbox.markRead')}
                    </Button>
                  ) : null,
                  path ? (
                    <Button
                      key="open"
                      type="link"
                      size="small"
                      onClick={() => markRead.mutate(m.id, { onSuccess: () => navigate(path) })}
                    >
                      {t('inbox.open')}
                    </Button>
                  ) : null,
                ].filter(Boolean)}
              >
                <List.Item.Meta
                  title={
                    <Typography.Text strong={m.readAt === null}>
                      {m.urgency === 'urgent' ? <Tag color="red">{t('inbox.urgent')}</Tag> : null}
                      {m.title}
                    </Typography.Text>
                  }
                  description={formatTime(m.createdAt)}
                />
              </List.Item>
            );
          }}
        />
      </Card>
      <Card title={t('inbox.settings')}>
        <PreferencesForm />
      </Card>
    </Space>
  );
}
