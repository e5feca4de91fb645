import { CapsuleTabs, ErrorBlock, List, SpinLoading, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { MyTask, TaskKind } from '../../api-types';
import { useMyTasks } from '../../features/my-tasks/hooks/use-my-tasks';
import { dueText, sayDue } from '../../features/my-tasks/utils/due';

const KINDS: TaskKind[] = ['visit', 'case', 'alarm', 'policy', 'verification', 'privacy'];
const KIND_COLOURS: Record<TaskKind, string> = {
  visit: 'success',
  case: 'primary',
  alarm: 'warning',
  policy: 'danger',
  verification: 'default',
  privacy: 'default',
};

/** Tasks as a phone list: kind, title, place or person, due time (red once overdue); a tap opens the item's page. */
export function TaskItems({ items, now = new Date() }: { items: MyTask[]; now?: Date }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <List data-testid="m-task-list">
      {items.map((task) => {
        const due = dueText(task.dueAt, task.overdue, now);
        const late = due.key === 'overdueBy';
        return (
          <List.Item
            key={task.key}
            onClick={() => navigate(task.mobileLink)}
            prefix={
              <Tag color={KIND_COLOURS[task.kind]} fill="outline">
                {t(`tasksMine.kinds.${task.kind}`)}
              </Tag>
            }
            description={
              <span>
                {task.detail ? (
                  <>
                    {task.detail}
                    <br />
                  </>
                ) : null}
                <span
                  className={late ? 'm-task-late' : undefined}
                  data-testid="m-task-due"
                  data-overdue={late ? 'true' : 'false'}
                >
                  {sayDue(due, t)}
                </span>
              </span>
            }
            extra={task.urgent ? <Tag color="danger">{t('tasksMine.urgent')}</Tag> : null}
            data-testid="m-task-item"
            data-task-key={task.key}
            data-case-id={task.kind === 'case' ? task.id : undefined}
          >
            {task.title}
          </List.Item>
        );
      })}
    </List>
  );
}

/** 待办: every kind of task of the caller in one list by deadline, with a kind switch showing the counts. */
export function MyTaskList({ now }: { now?: Date }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<TaskKind | 'all'>('all');
  const all = useMyTasks(null, 100);
  const one = useMyTasks(kind === 'all' ? null : kind, 100, kind !== 'all');
  const shown = kind === 'all' ? all : one;
  const counts = all.data?.counts;
  const items = shown.data?.items ?? [];
  return (
    <div data-testid="m-my-tasks">
      <CapsuleTabs activeKey={kind} onChange={(k) => setKind(k as TaskKind | 'all')}>
        <CapsuleTabs.Tab
          key="all"
          title={<span data-testid="m-tasks-kind-all">{`${t('tasksMine.all')} ${counts?.total ?? 0}`}</span>}
        />
        {KINDS.map((k) => (
          <CapsuleTabs.Tab
            key={k}
            title={
              <span data-testid={`m-tasks-kind-${k}`}>{`${t(`tasksMine.kinds.${k}`)} ${counts?.byKind[k] ?? 0}`}</span>
            }
          />
        ))}
      </CapsuleTabs>
      {counts && counts.overdue > 0 ? (
        <div className="m-task-summary m-task-late" data-testid="m-tasks-overdue">
          {t('tasksMine.overdueCount', { count: counts.overdue })}
        </div>
      ) : null}
      {shown.isLoading ? (
        <div className="m-center-block">
          <SpinLoading color="primary" />
        </div>
      ) : items.length === 0 ? (
        <ErrorBlock status="empty" title={t('tasksMine.empty')} />
      ) : (
        <TaskItems items={items} now={now} />
      )}
    </div>
  );
}
