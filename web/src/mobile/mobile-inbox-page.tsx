import { Button, Empty, List, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useInbox, useMarkAllRead, useMarkRead } from '../features/inbox/hooks/use-inbox';
import { linkPath } from '../features/inbox/utils/link';
import { formatTime } from '../ui/time';

/** 消息 on the phone: the latest messages, tap to read (and open the record when it has a phone page). */
export function MobileInboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const inbox = useInbox({ pageSize: 50 });
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const items = inbox.data?.items ?? [];

  return (
    <div className="m-page" data-testid="m-inbox">
      <div style={{ padding: '8px 12px', textAlign: 'right' }}>
        <Button
          size="small"
          disabled={(inbox.data?.unread ?? 0) === 0}
          loading={markAll.isPending}
          onClick={() => markAll.mutate()}
          data-testid="m-inbox-read-all"
        >
          {t('inbox.markAllRead')}
        </Button>
      </div>
      {items.length === 0 && !inbox.isLoading ? (
        <Empty description={t('inbox.empty')} />
      ) : (
        <List>
          {items.map((m) => (
            <List.Item
              key={m.id}
              data-testid="m-inbox-item"
              description={formatTime(m.createdAt)}
              extra={m.readAt === null ? <Tag color="primary">{t('inbox.unread')}</Tag> : null}
              onClick={() =>
                markRead.mutate(m.id, {
                  onSuccess: (read) => {
                    const path = linkPath(read.link, 'mobile');
                    if (path) navigate(path);
                  },
                })
              }
            >
              <span style={{ fontWeight: m.readAt === null ? 600 : 400 }}>
                {m.urgency === 'urgent' ? <Tag color="danger">{t('inbox.urgent')}</Tag> : null} {m.title}
              </span>
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
