import { BellOutlined } from '@ant-design/icons';
import { App, Badge, Button, Empty, List, Popover, Space, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { InboxMessage } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { useInbox, useInboxCount, useLiveInbox, useMarkAllRead, useMarkRead } from '../hooks/use-inbox';
import { linkPath } from '../utils/link';

/** The bell in the console header: the unread count, live; the latest messages in a dropdown. */
export function InboxBell() {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  const [open, setOpen] = useState(false);
  const count = useInboxCount();
  const latest = useInbox({ pageSize: 6 });
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const navigate = useNavigate();
  const onMessage = useCallback(
    (m: InboxMessage) => {
      if (m.urgency === 'urgent') notification.warning({ message: t('inbox.urgent'), description: m.title });
    },
    [notification, t],
  );
  useLiveInbox(onMessage);
  const unread = count.data?.unread ?? 0;

  const openMessage = (m: InboxMessage) => {
    markRead.mutate(m.id, {
      onSuccess: (read) => {
        setOpen(false);
        navigate(linkPath(read.link, 'console') ?? '/inbox');
      },
    });
  };

  const content = (
    <div style={{ width: 360 }} data-testid="inbox-dropdown">
      {latest.data && latest.data.items.length > 0 ? (
        <List
          size="small"
          dataSource={latest.data.items}
          renderItem={(m) => (
            <List.Item style={{ cursor: 'pointer' }} onClick={() => openMessage(m)} data-testid="inbox-item">
              <Space direction="vertical" size={0} style={{ width: '100%' }}>
                <Typography.Text strong={m.readAt === null}>
                  {m.urgency === 'urgent' ? <Tag color="red">{t('inbox.urgent')}</Tag> : null}
                  {m.title}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(m.createdAt)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.empty')} />
      )}
      <Space style={{ width: '100%', justifyContent: 'space-between', marginTop: 8 }}>
        <Button size="small" disabled={unread === 0} loading={markAll.isPending} onClick={() => markAll.mutate()}>
          {t('inbox.markAllRead')}
        </Button>
        <Button
          size="small"
          type="link"
          onClick={() => {
            setOpen(false);
            navigate('/inbox');
          }}
        >
          {t('inbox.viewAll')}
        </Button>
      </Space>
    </div>
  );

  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Button type="text" aria-label={t('inbox.bell', { count: unread })} data-testid="inbox-bell">
        <Badge count={unread} size="small" data-testid="inbox-count" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
