import './visits.css';
import { Alert, Button, Card, Checkbox, Col, Row, Segmented, Select, Space, Statistic, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { VisitTaskListItem } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { useDebounced } from '../../../ui/use-debounced';
import { useAccess } from '../../auth/hooks/use-access';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { useUser } from '../../users/hooks/use-users';
import { useAssignableUsers, useVisitRules, useVisitTasks } from '../hooks/use-visits';
import {
  TASK_STATUS_FILTERS,
  type TaskFilters,
  type TaskStatusFilter,
  toTaskListQuery,
  withFilter,
} from '../utils/visit-filters';
import { RULE_CATEGORIES } from '../utils/visit-labels';
import { ReassignModal, WithdrawModal } from './task-action-modals';
import { CategoryTag, TaskStateTag } from './visit-tags';

type Props = { filters: TaskFilters; onChange: (filters: TaskFilters) => void };
type CountKey = 'open' | 'overdue' | 'dueThisWeek';
const COUNT_KEYS: readonly CountKey[] = ['open', 'overdue', 'dueThisWeek'];

/** 走访人: an account of the reader's scope, searched by name (for those who may list accounts). */
function AssigneeFilter({ value, onChange }: { value?: number; onChange: (value: number | undefined) => void }) {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const q = useDebounced(term, 250).trim();
  const users = useAssignableUsers(undefined, q);
  // the chosen account keeps its name while the search lists others
  const chosen = useUser(value ?? null);
  const items = users.data?.items ?? [];
  const options = items.map((u) => ({ value: u.id, label: u.displayName }));
  if (value && chosen.data && !items.some((u) => u.id === value))
    options.unshift({ value, label: chosen.data.displayName });
  return (
    <Select<number>
      allowClear
      placeholder={t('visits.filters.assignee')}
      style={{ width: 160 }}
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      loading={users.isFetching}
      options={options}
      data-testid="visit-task-filter-assignee"
    />
  );
}

function TaskFiltersBar({ filters, onChange }: Props) {
  const { t } = useTranslation();
  const access = useAccess();
  const rules = useVisitRules();
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      <Segmented<TaskStatusFilter>
        value={filters.status}
        onChange={(v) => onChange(withFilter(filters, 'status', v))}
        options={TASK_STATUS_FILTERS.map((s) => ({ value: s, label: t(`visits.statusFilter.${s}`) }))}
        data-testid="visit-task-status-filter"
      />
      <Space wrap size={[8, 8]} data-testid="visit-task-filters">
        <Select
          allowClear
          placeholder={t('visits.filters.category')}
          style={{ width: 130 }}
          value={filters.category}
          options={RULE_CATEGORIES.map((c) => ({ value: c, label: t(`visits.category.${c}`) }))}
          onChange={(v) => onChange(withFilter(filters, 'category', v))}
          data-testid="visit-task-filter-category"
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('visits.filters.rule')}
          style={{ width: 180 }}
          loading={rules.isLoading}
          value={filters.ruleId}
          options={(rules.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          onChange={(v) => onChange(withFilter(filters, 'ruleId', v))}
          data-testid="visit-task-filter-rule"
        />
        <NodeSearchSelect
          allowClear
          placeholder={t('visits.filters.node')}
          style={{ width: 200 }}
          value={filters.nodeId ?? null}
          onChange={(v) => onChange(withFilter(filters, 'nodeId', v))}
        />
        <Checkbox
          checked={filters.mine ?? false}
          onChange={(e) => onChange(withFilter(filters, 'mine', e.target.checked))}
          data-testid="visit-task-filter-mine"
        >
          {t('visits.filters.mine')}
        </Checkbox>
        {access.canReadUsers ? (
          <AssigneeFilter value={filters.assigneeId} onChange={(v) => onChange(withFilter(filters, 'assigneeId', v))} />
        ) : filters.assigneeId ? (
          <Button size="small" onClick={() => onChange(withFilter(filters, 'assigneeId', undefined))}>
            {t('visits.filters.clearAssignee')}
          </Button>
        ) : null}
      </Space>
    </Space>
  );
}

/**
 * 走访任务: the visit tasks of the caller's area, with the counts in the header; managers (visits.manage) reassign
 * or withdraw an open task from its row.
 */
export function VisitTasksList({ filters, onChange }: Props) {
  const { t } = useTranslation();
  const access = useAccess();
  const query = useMemo(() => toTaskListQuery(filters), [filters]);
  const list = useVisitTasks(query);
  const [assigning, setAssigning] = useState<VisitTaskListItem | null>(null);
  const [withdrawing, setWithdrawing] = useState<VisitTaskListItem | null>(null);
  const counts = list.data?.counts;
  const countFilter = (key: CountKey): TaskFilters =>
    key === 'dueThisWeek' ? { ...filters, status: 'open', page: 1 } : { ...filters, status: key, page: 1 };

  return (
    <Card title={t('visits.tasksTitle')}>
      <Typography.Paragraph type="secondary">{t('visits.tasksIntro')}</Typography.Paragraph>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Row gutter={16} data-testid="visit-task-counts">
          {COUNT_KEYS.map((key) => (
            <Col xs={8} md={4} key={key}>
              <button
                type="button"
                className="linli-visit-count"
                onClick={() => onChange(countFilter(key))}
                data-testid={`visit-count-${key}`}
              >
                <Statistic
                  title={t(`visits.counts.${key}`)}
                  value={counts?.[key] ?? '—'}
                  styles={{ content: key === 'overdue' && counts?.overdue ? { color: '#cf1322' } : {} }}
                />
              </button>
            </Col>
          ))}
        </Row>
        <TaskFiltersBar filters={filters} onChange={onChange} />
        {list.error ? <Alert type="error" showIcon title={list.error.message} /> : null}
        <Table<VisitTaskListItem>
          rowKey="id"
          size="middle"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: t('visits.noTasks') }}
          scroll={{ x: 1100 }}
          data-testid="visit-tasks-table"
          pagination={{
            current: filters.page,
            pageSize: filters.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) =>
              onChange({ ...filters, page: pageSize === filters.pageSize ? page : 1, pageSize }),
          }}
          columns={[
            {
              title: t('visits.col.state'),
              key: 'state',
              width: 90,
              render: (_, task) => <TaskStateTag task={task} />,
            },
            {
              title: t('visits.col.subject'),
              key: 'subject',
              width: 300,
              render: (_, task) => (
                <div>
                  <Link to={`/visits/tasks/${task.id}`} data-testid="visit-task-link">
                    {task.residentName ?? t('visits.household')}
                  </Link>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {task.placeLabel}
                    </Typography.Text>
                  </div>
                </div>
              ),
            },
            {
              title: t('visits.col.reason'),
              key: 'reason',
              width: 240,
              render: (_, task) => (
                <Space size={4} wrap>
                  <CategoryTag category={task.category} />
                  <span>{task.reason}</span>
                </Space>
              ),
            },
            {
              title: t('visits.col.assignee'),
              key: 'assignee',
              width: 140,
              render: (_, task) =>
                task.assigneeId && task.assigneeName ? (
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0 }}
                    title={t('visits.filters.byAssignee')}
                    onClick={() => onChange(withFilter(filters, 'assigneeId', task.assigneeId ?? undefined))}
                  >
                    {task.assigneeName}
                  </Button>
                ) : (
                  <Typography.Text type="warning">{task.assigneeName ?? t('visits.unassigned')}</Typography.Text>
                ),
            },
            {
              title: t('visits.col.dueAt'),
              key: 'dueAt',
              width: 170,
              render: (_, task) => (
                <Typography.Text type={task.status === 'open' && task.overdue ? 'danger' : undefined}>
                  {formatTime(task.dueAt)}
                </Typography.Text>
              ),
            },
            {
              title: t('visits.col.progress'),
              key: 'progress',
              width: 170,
              render: (_, task) =>
                task.status === 'done'
                  ? t('visits.doneAt', { at: formatTime(task.doneAt) })
                  : task.status === 'withdrawn'
                    ? task.withdrawnReason
                      ? t(`visits.withdrawReason.${task.withdrawnReason}`)
                      : '—'
                    : task.attempts > 0
                      ? t('visits.attempts', { count: task.attempts })
                      : '—',
            },
            ...(access.canManageVisits
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 140,
                    fixed: 'right' as const,
                    render: (_: unknown, task: VisitTaskListItem) =>
                      task.status === 'open' ? (
                        <Space size={4}>
                          <Button size="small" onClick={() => setAssigning(task)} data-testid="visit-task-assign">
                            {t('visits.actions.assign')}
                          </Button>
                          <Button
                            size="small"
                            danger
                            onClick={() => setWithdrawing(task)}
                            data-testid="visit-task-withdraw"
                          >
                            {t('visits.actions.withdraw')}
                          </Button>
                        </Space>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      </Space>
      <ReassignModal task={assigning} onClose={() => setAssigning(null)} />
      <WithdrawModal task={withdrawing} onClose={() => setWithdrawing(null)} />
    </Card>
  );
}
