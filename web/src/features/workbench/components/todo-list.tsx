import { Badge, Card, Empty, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { TodoGroup } from '../../../api-types';
import { formatTime } from '../../../ui/time';

/** What waits for the reader, one group per to-do source; a source with nothing waiting is left out. */
export function TodoList({ groups }: { groups: TodoGroup[] }) {
  const { t } = useTranslation();
  const waiting = groups.filter((g) => g.total > 0);
  return (
    <Card title={t('workbench.todos')} data-testid="workbench-todos">
      {waiting.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('workbench.noTodos')} />
      ) : (
        waiting.map((group) => (
          <div key={group.id} className="linli-workbench-section" data-testid={`todo-${group.id}`}>
            <Typography.Title level={5}>
              {group.title} <Badge count={group.total} overflowCount={999} />
            </Typography.Title>
            <List
              size="small"
              dataSource={group.items}
              renderItem={(item) => (
                <List.Item extra={<Typography.Text type="secondary">{formatTime(item.at)}</Typography.Text>}>
                  <List.Item.Meta
                    title={item.link ? <Link to={item.link}>{item.title}</Link> : item.title}
                    description={item.detail}
                  />
                </List.Item>
              )}
            />
            {group.link && group.total > group.items.length ? (
              <Link to={group.link}>{t('workbench.more', { total: group.total })}</Link>
            ) : null}
          </div>
        ))
      )}
    </Card>
  );
}
