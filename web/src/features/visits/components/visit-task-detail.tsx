import './visits.css';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Result, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { VisitTaskDetail } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { formatTime } from '../../../ui/time';
import { useAccess } from '../../auth/hooks/use-access';
import { useVisitTask } from '../hooks/use-visits';
import { ReassignModal, WithdrawModal } from './task-action-modals';
import { VisitsTable } from './visit-parts';
import { CategoryTag, TaskStateTag } from './visit-tags';

type Member = VisitTaskDetail['members'][number];

function Facts({ task }: { task: VisitTaskDetail }) {
  const { t } = useTranslation();
  const access = useAccess();
  const subject =
    task.residentId && task.residentName ? (
      access.canReadPeople ? (
        <Link to={`/people/residents/${task.residentId}`}>{task.residentName}</Link>
      ) : (
        task.residentName
      )
    ) : (
      t('visits.household')
    );
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="visit-task-facts">
      <Descriptions.Item label={t('visits.col.subject')}>{subject}</Descriptions.Item>
      <Descriptions.Item label={t('visits.place')}>{task.placeLabel}</Descriptions.Item>
      <Descriptions.Item label={t('visits.col.rule')}>
        <Space size={4} wrap>
          <CategoryTag category={task.category} />
          <span>{task.ruleName}</span>
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('visits.col.reason')}>{task.reason}</Descriptions.Item>
      <Descriptions.Item label={t('visits.col.assignee')}>
        {task.assigneeName ?? t('visits.unassigned')}
        <Typography.Text type="secondary"> · {t(`visits.assigneeKind.${task.assigneeKind}`)}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('visits.col.dueAt')}>
        <Typography.Text type={task.status === 'open' && task.overdue ? 'danger' : undefined}>
          {formatTime(task.dueAt)}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('visits.period')}>{task.periodStart ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('visits.attemptsLabel')}>{task.attempts}</Descriptions.Item>
      <Descriptions.Item label={t('visits.createdAt')}>{formatTime(task.createdAt)}</Descriptions.Item>
      <Descriptions.Item label={t('visits.closedAt')}>
        {task.status === 'done'
          ? formatTime(task.doneAt)
          : task.status === 'withdrawn'
            ? formatTime(task.withdrawnAt)
            : '—'}
      </Descriptions.Item>
      {task.status === 'withdrawn' ? (
        <Descriptions.Item label={t('visits.withdrawnLabel')} span="filled">
          {task.withdrawnReason ? t(`visits.withdrawReason.${task.withdrawnReason}`) : '—'}
          {task.withdrawnNote ? `：${task.withdrawnNote}` : ''}
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}

function Members({ members }: { members: Member[] }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('visits.members')} data-testid="visit-task-members">
      <Table<Member>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={members}
        locale={{ emptyText: t('visits.noMembers') }}
        columns={[
          { title: t('visits.memberName'), dataIndex: 'name' },
          { title: t('visits.memberAge'), dataIndex: 'age', width: 70 },
          { title: t('visits.memberRelation'), dataIndex: 'relation', render: (r: string | null) => r ?? '—' },
          {
            title: t('visits.memberTags'),
            key: 'tags',
            render: (_, m) => (m.tags.length ? m.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—'),
          },
        ]}
      />
    </Card>
  );
}

/** A visit task (/visits/tasks/:id): who and why, the deadline, the household, the visits, and what may be done. */
export function VisitTaskDetailView({ id }: { id: number }) {
  const { t } = useTranslation();
  const task = useVisitTask(id);
  const [dialog, setDialog] = useState<'assign' | 'withdraw' | null>(null);

  if (task.isLoading) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  if (task.error || !task.data) {
    const notFound = isApiError(task.error) && (task.error.status === 404 || task.error.status === 403);
    return (
      <Result
        status={notFound ? '404' : 'warning'}
        title={notFound ? t('visits.taskNotFound') : (task.error?.message ?? t('errors.unknown'))}
        extra={<Link to="/visits/tasks">{t('visits.backToTasks')}</Link>}
      />
    );
  }
  const v = task.data;
  const open = v.status === 'open';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="visit-task-detail">
      <Link to="/visits/tasks">
        <ArrowLeftOutlined /> {t('visits.backToTasks')}
      </Link>
      <Card
        title={
          <Space wrap>
            <TaskStateTag task={v} />
            <span data-testid="visit-task-title">{`${v.residentName ?? t('visits.household')} · ${v.ruleName}`}</span>
          </Space>
        }
        extra={
          <Space wrap>
            {open && v.can.assign ? (
              <Button onClick={() => setDialog('assign')} data-testid="visit-task-detail-assign">
                {t('visits.actions.assign')}
              </Button>
            ) : null}
            {open && v.can.withdraw ? (
              <Button danger onClick={() => setDialog('withdraw')} data-testid="visit-task-detail-withdraw">
                {t('visits.actions.withdraw')}
              </Button>
            ) : null}
          </Space>
        }
      >
        {open && v.can.visit ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('visits.recordOnPhone')}
            action={
              <a href={`/m/visits/${v.id}`} data-testid="visit-task-phone-link">
                {t('visits.openOnPhone')}
              </a>
            }
          />
        ) : null}
        <Facts task={v} />
      </Card>
      <Members members={v.members} />
      <Card size="small" title={t('visits.taskVisits')} data-testid="visit-task-visits">
        <VisitsTable items={v.visits} compact data-testid="visit-task-visits-table" />
      </Card>
      {v.lastVisits.length > 0 ? (
        <Card size="small" title={t('visits.lastVisits')} data-testid="visit-task-last-visits">
          <VisitsTable items={v.lastVisits} compact data-testid="visit-task-last-visits-table" />
        </Card>
      ) : null}
      <ReassignModal task={dialog === 'assign' ? v : null} onClose={() => setDialog(null)} />
      <WithdrawModal task={dialog === 'withdraw' ? v : null} onClose={() => setDialog(null)} />
    </Space>
  );
}
