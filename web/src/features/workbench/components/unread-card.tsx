import { Badge, Card, Empty, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { formatTime } from '../../../ui/time';
import { useMarkRead, useUnreadMessages } from '../hooks/use-unread';
import { messageLink } from '../utils/message-link';

/** 未读消息: the newest unread messages of the reader's inbox; opening one marks it read. */
export function UnreadCard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const unread = useUnreadMessages();
  const markRead = useMarkRead();
  const total = unread.data?.unread ?? 0;
  return (
    <Card
      title={
        <span>
          {t('workbench.unread')} <Badge count={total} overflowCount={999} />
        </span>
      }
      loading={unread.isLoading}
      data-testid="workbench-unread"
    >
      {unread.data && unread.data.items.length > 0 ? (
        <List
          size="small"
          dataSource={unread.data.items}
          renderItem={(message) => {
            const to = messageLink(message.link);
            return (
              <List.Item extra={<Typography.Text type="secondary">{formatTime(message.createdAt)}</Typography.Text>}>
                <Typography.Link
                  type={message.urgency === 'urgent' ? 'danger' : undefined}
                  onClick={() =>
                    markRead.mutate(message.id, {
                      onSuccess: () => {
                        if (to) navigate(to);
                      },
                    })
                  }
                >
                  {message.title}
                </Typography.Link>
              </List.Item>
            );
          }}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.noUnread')} />
      )}
    </Card>
  );
}
