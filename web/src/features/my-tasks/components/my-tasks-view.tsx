import { Alert, Card, Empty, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { MyTask, MyTasks, TaskKind } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { useMyTasks } from '../hooks/use-my-tasks';
import { dueText, sayDue } from '../utils/due';

const KINDS: TaskKind[] = ['visit', 'case', 'alarm', 'policy', 'verification', 'privacy'];
const KIND_COLOURS: Record<TaskKind, string> = {
  visit: 'green',
  case: 'blue',
  alarm: 'orange',
  policy: 'purple',
  verification: 'cyan',
  privacy: 'magenta',
};

/** One task: kind, title (a click opens the item's page), where or whom, and when it is due (red once overdue). */
function TaskRow({ task, now }: { task: MyTask; now: Date }) {
  const { t } = useTranslation();
  const due = dueText(task.dueAt, task.overdue, now);
  const late = due.key === 'overdueBy';
  return (
    <Link
      to={task.link}
      className="my-task"
      data-testid="my-task"
      data-task-key={task.key}
      style={{
        color: 'inherit',
        display: 'flex',
        alignItems: 'center',
        gap: 12,
        padding: '12px 0',
        borderBottom: '1px solid #f0f0f0',
        cursor: 'pointer',
      }}
    >
      <div style={{ flex: 1, minWidth: 0 }}>
        <Space size={4} wrap>
          <Tag color={KIND_COLOURS[task.kind]}>{t(`tasksMine.kinds.${task.kind}`)}</Tag>
          {task.urgent ? <Tag color="red">{t('tasksMine.urgent')}</Tag> : null}
          <Typography.Text strong>{task.title}</Typography.Text>
        </Space>
        <div>
          <Space size={12} wrap>
            {task.detail ? <Typography.Text type="secondary">{task.detail}</Typography.Text> : null}
            <Typography.Text
              type={late ? 'danger' : 'secondary'}
              strong={late}
              title={task.dueAt ? formatTime(task.dueAt) : undefined}
              data-testid="my-task-due"
              data-overdue={late ? 'true' : 'false'}
            >
              {sayDue(due, t)}
            </Typography.Text>
          </Space>
        </div>
      </div>
      <Typography.Link>{task.action}</Typography.Link>
    </Link>
  );
}

/** The kind chips: 全部 and each kind with its count; the overdue count beside them. */
function KindChips({
  counts,
  kind,
  onChange,
}: {
  counts: MyTasks['counts'] | undefined;
  kind: TaskKind | null;
  onChange: (k: TaskKind | null) => void;
}) {
  const { t } = useTranslation();
  const chip = (k: TaskKind | null, label: string, n: number) => (
    <Tag.CheckableTag
      key={k ?? 'all'}
      checked={kind === k}
      onChange={() => onChange(k)}
      data-testid={`my-tasks-chip-${k ?? 'all'}`}
    >
      {`${label} ${n}`}
    </Tag.CheckableTag>
  );
  return (
    <Space size={8} wrap data-testid="my-tasks-chips">
      {chip(null, t('tasksMine.all'), counts?.total ?? 0)}
      {KINDS.map((k) => chip(k, t(`tasksMine.kinds.${k}`), counts?.byKind[k] ?? 0))}
      {counts && counts.overdue > 0 ? (
        <Tag color="red" data-testid="my-tasks-overdue">
          {t('tasksMine.overdueCount', { count: counts.overdue })}
        </Tag>
      ) : null}
    </Space>
  );
}

/** 我的任务: visit tasks, cases to accept or handle and alarms to acknowledge, in one list by deadline. */
export function MyTasksView({ now = new Date() }: { now?: Date }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<TaskKind | null>(null);
  const all = useMyTasks(null, 200);
  const one = useMyTasks(kind, 200, kind !== null);
  const shown = kind ? one : all;
  const items = shown.data?.items ?? [];
  const listed = kind ? (all.data?.counts.byKind[kind] ?? items.length) : (all.data?.counts.total ?? items.length);
  return (
    <Card title={t('tasksMine.title')} data-testid="my-tasks">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('tasksMine.hint')}</Typography.Text>
        <KindChips counts={all.data?.counts} kind={kind} onChange={setKind} />
        {shown.isError ? <Alert type="error" showIcon message={(shown.error as Error).message} /> : null}
        {shown.isLoading ? (
          <Spin style={{ display: 'block', margin: '48px auto' }} />
        ) : items.length === 0 ? (
          <Empty description={t('tasksMine.empty')} />
        ) : (
          <div data-testid="my-tasks-list">
            {items.map((task) => (
              <TaskRow key={task.key} task={task} now={now} />
            ))}
          </div>
        )}
        {listed > items.length && items.length > 0 ? (
          <Typography.Text type="secondary">{t('tasksMine.more', { count: listed - items.length })}</Typography.Text>
        ) : null}
      </Space>
    </Card>
  );
}
