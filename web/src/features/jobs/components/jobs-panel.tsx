import { App, Button, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobItem, JobState, QueueSummary } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import type { JobFilters } from '../api/jobs-api';
import { useCancelJob, useJobList, useQueues, useRetryJob } from '../hooks/use-jobs';

export const STATES: readonly JobState[] = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'];

const STATE_COLOR: Record<JobState, string> = {
  created: 'default',
  retry: 'orange',
  active: 'processing',
  completed: 'green',
  cancelled: 'default',
  failed: 'red',
};

const CANCELLABLE: readonly JobState[] = ['created', 'retry', 'active'];

function JobDetail({ job }: { job: JobItem }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="small">
      {job.error?.stack && (
        <div>
          <Typography.Text strong>{t('jobs.stack')}</Typography.Text>
          <pre className="linli-pre">{job.error.stack}</pre>
        </div>
      )}
      <div>
        <Typography.Text strong>{t('jobs.payload')}</Typography.Text>{' '}
        <Typography.Text type="secondary">{t('jobs.payloadHint')}</Typography.Text>
        <pre className="linli-pre">{JSON.stringify(job.payload, null, 2)}</pre>
      </div>
      <Typography.Text type="secondary">
        {t('jobs.id')}: {job.id}
        {job.singletonKey ? ` · ${t('jobs.singletonKey')}: ${job.singletonKey}` : ''}
      </Typography.Text>
    </Space>
  );
}

export function JobsPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queues = useQueues();
  const [filters, setFilters] = useState<JobFilters>({ state: 'failed', page: 1, pageSize: 20 });
  const jobs = useJobList(filters);
  const retry = useRetryJob();
  const cancel = useCancelJob();

  const show = (queue: string | undefined, state: JobState) => setFilters({ ...filters, queue, state, page: 1 });
  const act = (action: typeof retry, id: string, done: string) =>
    action.mutate(id, {
      onSuccess: () => message.success(done),
      onError: (e) => message.error(e.message),
    });

  const queueColumns: ColumnsType<QueueSummary> = [
    {
      title: t('jobs.queue'),
      dataIndex: 'name',
      render: (name: string) => <Typography.Text code>{name}</Typography.Text>,
    },
    {
      title: t('jobs.cron'),
      dataIndex: 'cron',
      width: 140,
      render: (cron: string | null) => (cron ? <Typography.Text code>{cron}</Typography.Text> : t('common.none')),
    },
    ...STATES.map((state) => ({
      title: t(`jobs.states.${state}`),
      key: state,
      width: 90,
      align: 'right' as const,
      render: (_: unknown, q: QueueSummary) =>
        q.counts[state] > 0 ? (
          <Button type="link" size="small" onClick={() => show(q.name, state)} data-testid={`count-${q.name}-${state}`}>
            <span style={state === 'failed' ? { color: '#cf1322', fontWeight: 600 } : undefined}>
              {q.counts[state]}
            </span>
          </Button>
        ) : (
          <Typography.Text type="secondary">0</Typography.Text>
        ),
    })),
  ];

  const jobColumns: ColumnsType<JobItem> = [
    {
      title: t('jobs.time'),
      key: 'time',
      width: 170,
      render: (_, j) => <span className="linli-nowrap">{formatTime(j.completedAt ?? j.startedAt ?? j.createdAt)}</span>,
    },
    { title: t('jobs.queue'), dataIndex: 'queue', width: 180, ellipsis: true },
    {
      title: t('jobs.state'),
      dataIndex: 'state',
      width: 90,
      render: (s: JobState) => <Tag color={STATE_COLOR[s]}>{t(`jobs.states.${s}`)}</Tag>,
    },
    {
      title: t('jobs.attempts'),
      key: 'attempts',
      width: 80,
      render: (_, j) => `${j.retryCount + 1} / ${j.retryLimit + 1}`,
    },
    {
      title: t('jobs.error'),
      key: 'error',
      ellipsis: true,
      render: (_, j) => (j.error ? <Typography.Text type="danger">{j.error.message}</Typography.Text> : ''),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, j) => (
        <Space size="small">
          {j.state === 'failed' && (
            <Popconfirm title={t('jobs.retryConfirm')} onConfirm={() => act(retry, j.id, t('jobs.retried'))}>
              <Button size="small" loading={retry.isPending && retry.variables === j.id}>
                {t('jobs.retry')}
              </Button>
            </Popconfirm>
          )}
          {CANCELLABLE.includes(j.state) && (
            <Popconfirm title={t('jobs.cancelConfirm')} onConfirm={() => act(cancel, j.id, t('jobs.cancelled'))}>
              <Button size="small" danger loading={cancel.isPending && cancel.variables === j.id}>
                {t('jobs.cancel')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Table<QueueSummary>
        rowKey="name"
        size="small"
        loading={queues.isLoading}
        columns={queueColumns}
        dataSource={queues.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('jobs.noQueues') }}
        data-testid="job-queues"
      />
      <Space wrap>
        <Select
          allowClear
          style={{ width: 220 }}
          placeholder={t('jobs.allQueues')}
          value={filters.queue}
          onChange={(queue?: string) => show(queue, filters.state)}
          options={(queues.data?.items ?? []).map((q) => ({ value: q.name, label: q.name }))}
          aria-label={t('jobs.queue')}
        />
        <Select<JobState>
          style={{ width: 140 }}
          value={filters.state}
          onChange={(state) => show(filters.queue, state)}
          options={STATES.map((s) => ({ value: s, label: t(`jobs.states.${s}`) }))}
          aria-label={t('jobs.state')}
        />
      </Space>
      <Table<JobItem>
        rowKey="id"
        size="small"
        loading={jobs.isLoading}
        columns={jobColumns}
        dataSource={jobs.data?.items ?? []}
        expandable={{ expandedRowRender: (j) => <JobDetail job={j} /> }}
        locale={{ emptyText: t('jobs.noJobs') }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: jobs.data?.total ?? 0,
          showTotal: (count) => t('common.total', { count }),
          onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
        }}
        data-testid="job-list"
      />
    </Space>
  );
}
