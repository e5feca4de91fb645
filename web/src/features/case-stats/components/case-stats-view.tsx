import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Segmented, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseStats, CaseStatsItem, CaseStatsQuery } from '../../../api-types';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { useCaseStats, useCaseStatsExport } from '../hooks/use-case-stats';
import { statsChartOption } from '../utils/chart-option';
import { EChart } from './echart';

type GroupBy = NonNullable<CaseStatsQuery['groupBy']>;
const GROUP_BYS: GroupBy[] = ['grid', 'community', 'department', 'category', 'month'];

type Figures = CaseStats['totals'];
const COUNTS = [
  'received',
  'opened',
  'due',
  'closed',
  'closedOnTime',
  'onTimeRate',
  'rework',
  'overdue',
  'supervised',
  'ratingCount',
  'satisfaction',
] as const satisfies readonly (keyof Figures)[];

function show(key: (typeof COUNTS)[number], f: Figures): string | number {
  const v = f[key];
  if (v === null) return '—';
  if (key === 'onTimeRate') return `${(v * 100).toFixed(1)}%`;
  if (key === 'satisfaction') return v.toFixed(2);
  return v;
}

/** 事件统计: figures per grid, community, department, category or month, a chart, and the Excel export. */
export function CaseStatsView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [groupBy, setGroupBy] = useState<GroupBy>('grid');
  const [range, setRange] = useState<[string, string] | null>(null);
  const [nodeId, setNodeId] = useState<number | null>(null);
  const query: CaseStatsQuery = useMemo(
    () => ({
      groupBy,
      ...(range ? { from: range[0], to: range[1] } : {}),
      ...(nodeId ? { nodeId } : {}),
    }),
    [groupBy, range, nodeId],
  );
  const stats = useCaseStats(query);
  const exporter = useCaseStatsExport();
  const data = stats.data;

  const option = useMemo(
    () =>
      data
        ? statsChartOption(data, {
            received: t('caseStats.received'),
            closed: t('caseStats.closed'),
            overdue: t('caseStats.overdue'),
            onTimeRate: t('caseStats.onTimeRate'),
          })
        : null,
    [data, t],
  );

  const columns: ColumnsType<CaseStatsItem> = [
    { title: t(`caseStats.groupBy.${groupBy}`), dataIndex: 'label', fixed: 'left', width: 200 },
    ...COUNTS.map((key) => ({
      title: t(`caseStats.${key}`),
      key,
      align: 'right' as const,
      sorter: (a: CaseStatsItem, b: CaseStatsItem) => (a[key] ?? -1) - (b[key] ?? -1),
      render: (_: unknown, row: CaseStatsItem) => show(key, row),
    })),
  ];

  const exportSheet = () => exporter.mutate(query, { onError: (e) => message.error(e.message || t('errors.unknown')) });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="linli-toolbar">
        <Space wrap size="middle">
          <Segmented<GroupBy>
            value={groupBy}
            onChange={setGroupBy}
            options={GROUP_BYS.map((g) => ({ value: g, label: t(`caseStats.groupBy.${g}`) }))}
            data-testid="case-stats-group"
          />
          <DatePicker.RangePicker
            allowClear
            value={range ? [dayjs(range[0]), dayjs(range[1])] : data ? [dayjs(data.from), dayjs(data.to)] : null}
            onChange={(v) => setRange(v?.[0] && v[1] ? [v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')] : null)}
            data-testid="case-stats-range"
          />
          <NodeSearchSelect
            allowClear
            placeholder={t('caseStats.area')}
            style={{ width: 240 }}
            value={nodeId}
            onChange={setNodeId}
          />
        </Space>
        <Button
          icon={<DownloadOutlined />}
          loading={exporter.isPending}
          onClick={exportSheet}
          data-testid="case-stats-export"
        >
          {t('caseStats.export')}
        </Button>
      </div>
      {stats.isError ? <Alert type="error" showIcon title={stats.error.message} /> : null}
      <Typography.Text type="secondary">{t('caseStats.definitions')}</Typography.Text>
      {option ? <EChart option={option} data-testid="case-stats-chart" /> : null}
      <Table<CaseStatsItem>
        rowKey="key"
        size="small"
        loading={stats.isFetching}
        columns={columns}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: 1200 }}
        data-testid="case-stats-table"
        summary={() =>
          data ? (
            <Table.Summary fixed>
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t('caseStats.total')}</strong>
                </Table.Summary.Cell>
                {COUNTS.map((key, i) => (
                  <Table.Summary.Cell key={key} index={i + 1} align="right">
                    <strong>{show(key, data.totals)}</strong>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
    </Space>
  );
}
