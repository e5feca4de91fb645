import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Form, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { formatTime, shanghaiDayBound } from '../../../ui/time';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import type { AuditFilters } from '../api/audit-api';
import { useAudit } from '../hooks/use-audit';
import { actionLabel, reasonText, targetLabel } from '../utils/audit-labels';
import { AuditDiff, diffSummary } from './audit-diff';
import { ActionPicker, TargetTypePicker, UserPicker } from './audit-filters';

type FilterValues = {
  actor?: string;
  action?: string;
  targetType?: string;
  nodeId?: number | null;
  // antd's RangePicker values (dayjs); only `.format` is used here
  range?: [{ format: (f: string) => string } | null, { format: (f: string) => string } | null] | null;
};

function toFilters(values: FilterValues, pageSize: number): AuditFilters {
  const text = (v?: string) => v?.trim() || undefined;
  const [start, end] = values.range ?? [null, null];
  return {
    actor: text(values.actor),
    action: text(values.action),
    targetType: text(values.targetType),
    nodeId: values.nodeId ?? undefined,
    from: start ? shanghaiDayBound(start.format('YYYY-MM-DD'), 'start') : undefined,
    to: end ? shanghaiDayBound(end.format('YYYY-MM-DD'), 'end') : undefined,
    page: 1,
    pageSize,
  };
}

/** `from`: start at this instant (the workbench links "this week's changes" here). */
export function AuditTable({ from }: { from?: string }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<AuditFilters>({ page: 1, pageSize: 20, from });
  const audit = useAudit(filters);

  const columns: ColumnsType<AuditEntry> = [
    {
      title: t('audit.time'),
      dataIndex: 'at',
      width: 170,
      render: (at: string) => <span className="linli-nowrap">{formatTime(at)}</span>,
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      width: 110,
      ellipsis: true,
      render: (name: string | null, e) => name ?? (e.actorId === null ? t('audit.system') : `#${e.actorId}`),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 150,
      render: (a: string) => (
        <Tag color="blue" title={a}>
          {actionLabel(a, lang)}
        </Tag>
      ),
    },
    {
      title: t('audit.target'),
      key: 'target',
      width: 180,
      ellipsis: true,
      render: (_, e) => (
        <span>
          <Typography.Text type="secondary">{targetLabel(e.targetType, lang)}</Typography.Text>{' '}
          {e.targetLabel ?? (e.targetId ? `#${e.targetId}` : '')}
        </span>
      ),
    },
    {
      title: t('audit.diff'),
      key: 'diff',
      ellipsis: true,
      render: (_, e) => <Typography.Text type="secondary">{diffSummary(e.diff, 2, lang)}</Typography.Text>,
    },
    {
      title: t('audit.reason'),
      dataIndex: 'reason',
      width: 150,
      ellipsis: true,
      render: (r: string | null) => reasonText(r, lang),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Form<FilterValues>
        form={form}
        layout="inline"
        style={{ rowGap: 8 }}
        onFinish={(values) => setFilters(toFilters(values, filters.pageSize))}
        data-testid="audit-filters"
      >
        <Form.Item name="actor">
          <UserPicker />
        </Form.Item>
        <Form.Item name="action">
          <ActionPicker />
        </Form.Item>
        <Form.Item name="targetType">
          <TargetTypePicker />
        </Form.Item>
        <Form.Item name="nodeId">
          <NodeSearchSelect allowClear placeholder={t('audit.node')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="range" initialValue={from ? [dayjs(from), null] : undefined}>
          <DatePicker.RangePicker aria-label={t('audit.dateRange')} style={{ width: 250 }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({ page: 1, pageSize: filters.pageSize });
              }}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      {audit.isError ? <Alert type="error" showIcon title={audit.error.message} /> : null}
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        loading={audit.isFetching}
        columns={columns}
        dataSource={audit.data?.items ?? []}
        tableLayout="fixed"
        scroll={{ x: 1000 }}
        expandable={{
          expandedRowRender: (e) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <AuditDiff diff={e.diff} />
              <Typography.Text type="secondary">
                {[
                  e.reason && `${t('audit.reason')}: ${reasonText(e.reason, lang)}`,
                  e.targetId && `${t('audit.targetId')}: ${e.targetId}`,
                  e.requestId && `${t('audit.requestId')}: ${e.requestId}`,
                  e.ip && `${t('audit.ip')}: ${e.ip}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Typography.Text>
            </Space>
          ),
        }}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: audit.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (count) => t('common.total', { count }),
          onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
        }}
      />
    </Space>
  );
}
