import { DownloadOutlined, QuestionCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Button, DatePicker, Segmented, Select, Space, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { MetricCatalogueItem, MetricFigure, MetricPeriodKind, MetricsQuery, MetricsRow } from '../../../api-types';
import { useAccess } from '../../auth/hooks/use-access';
import { useMetricCatalogue, useMetricsExport, useMetricsRefresh, useMetricsTable } from '../hooks/use-metrics';
import { formatFigure, periodStartOf, shanghaiToday } from '../utils/metrics-format';

const KINDS: MetricPeriodKind[] = ['week', 'month', 'quarter'];

export type MetricsViewProps = {
  /** Initial state (tests, links). */
  initial?: { periodKind?: MetricPeriodKind; periodStart?: string; nodeId?: number };
};

/** 考核指标: children × chosen metrics of a node for a period; drill down by row; figures link to their lists. */
export function MetricsView({ initial }: MetricsViewProps) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const access = useAccess();
  const [periodKind, setPeriodKind] = useState<MetricPeriodKind>(initial?.periodKind ?? 'month');
  const [periodStart, setPeriodStart] = useState<string>(
    initial?.periodStart ?? periodStartOf(initial?.periodKind ?? 'month', shanghaiToday()),
  );
  const [nodeId, setNodeId] = useState<number | undefined>(initial?.nodeId);
  const [chosen, setChosen] = useState<string[]>([]);
  const catalogue = useMetricCatalogue();
  const items = catalogue.data?.items ?? [];
  const byCode = useMemo(() => new Map(items.map((m) => [m.code, m])), [items]);
  const query: MetricsQuery = {
    periodKind,
    periodStart,
    ...(nodeId ? { nodeId } : {}),
    ...(chosen.length > 0 ? { metrics: chosen.join(',') } : {}),
  };
  const table = useMetricsTable(query);
  const refresh = useMetricsRefresh();
  const exporter = useMetricsExport();
  const data = table.data;
  const isGrid = data?.node.type === 'grid';

  const figureCell = (def: MetricCatalogueItem | undefined, f: MetricFigure | undefined) => {
    if (!f || !def) return '—';
    const text = formatFigure(def.kind, f.value);
    const title = f.den !== null ? `${f.num ?? 0} / ${f.den}` : undefined;
    const shown = title ? <Tooltip title={title}>{text}</Tooltip> : text;
    return f.link && f.value !== null ? <Link to={f.link}>{shown}</Link> : shown;
  };

  const codes = data?.metrics ?? [];
  const columns: ColumnsType<MetricsRow> = [
    {
      title: isGrid ? t('metrics.workers') : t('metrics.name'),
      dataIndex: 'name',
      key: 'name',
      fixed: 'left',
      render: (name: string, row) =>
        row.subjectKind === 'node' && row.subjectId !== data?.node.id ? (
          <Button type="link" size="small" onClick={() => setNodeId(row.subjectId)} title={t('metrics.drill')}>
            {name}
          </Button>
        ) : (
          name
        ),
    },
    ...codes.map((code, i) => {
      const def = byCode.get(code);
      return {
        title: (
          <Space size={4}>
            {def?.label ?? code}
            {def ? (
              <Tooltip title={def.doc}>
                <QuestionCircleOutlined />
              </Tooltip>
            ) : null}
          </Space>
        ),
        key: code,
        align: 'right' as const,
        render: (_: unknown, row: MetricsRow) => figureCell(def, row.figures[i]),
      };
    }),
  ];

  const rows = data ? [...data.children, { ...data.self, name: `${data.self.name}（${t('metrics.total')}）` }] : [];
  const picker = periodKind === 'week' ? 'week' : periodKind === 'month' ? 'month' : 'quarter';

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('metrics.intro')}</Typography.Paragraph>
      <Space wrap>
        <Segmented<MetricPeriodKind>
          value={periodKind}
          options={KINDS.map((k) => ({ value: k, label: t(`metrics.${k}`) }))}
          onChange={(k) => {
            setPeriodKind(k);
            setPeriodStart(periodStartOf(k, periodStart));
          }}
        />
        <DatePicker
          picker={picker}
          allowClear={false}
          value={dayjs(periodStart)}
          onChange={(d) => {
            if (d) setPeriodStart(periodStartOf(periodKind, d.format('YYYY-MM-DD')));
          }}
          aria-label={t('metrics.period')}
        />
        <Select
          mode="multiple"
          allowClear
          style={{ minWidth: 280 }}
          placeholder={t('metrics.metricsPicker')}
          value={chosen}
          onChange={setChosen}
          options={items.map((m) => ({ value: m.code, label: m.label }))}
        />
        <Button
          icon={<DownloadOutlined />}
          loading={exporter.isPending}
          onClick={() => exporter.mutate(query, { onError: (e) => message.error(e.message) })}
        >
          {t('metrics.export')}
        </Button>
        {access.canConfigureAssessment ? (
          <Button
            icon={<ReloadOutlined />}
            loading={refresh.isPending}
            onClick={() =>
              refresh.mutate(
                { periodKind, periodStart },
                {
                  onSuccess: (r) =>
                    message.success(t('metrics.refreshed', { rows: r.rows, seconds: (r.millis / 1000).toFixed(1) })),
                  onError: (e) => message.error(e.message),
                },
              )
            }
          >
            {t('metrics.refresh')}
          </Button>
        ) : null}
      </Space>
      {data ? (
        <Breadcrumb
          items={data.breadcrumb.map((n) => ({
            key: n.id,
            title:
              n.id === data.node.id ? (
                n.name
              ) : (
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setNodeId(n.id)}>
                  {n.name}
                </Button>
              ),
          }))}
        />
      ) : null}
      {table.error ? <Alert type="error" showIcon message={table.error.message} /> : null}
      <Typography.Text type="secondary" data-testid="metrics-refreshed">
        {data?.refreshedAt
          ? t('metrics.refreshedAt', {
              at: new Date(data.refreshedAt).toLocaleString(i18n.language, { timeZone: 'Asia/Shanghai' }),
            })
          : t('metrics.notRefreshed')}
      </Typography.Text>
      <Table<MetricsRow>
        data-testid="metrics-rows"
        size="small"
        rowKey={(r) => `${r.subjectKind}:${r.subjectId}`}
        loading={table.isFetching}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('metrics.empty') }}
      />
    </Space>
  );
}
