import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  DatePicker,
  Progress,
  Segmented,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Coverage, CoverageQuery, CoverageRow, CoverageWorkerRow, UnvisitedHousehold } from '../../../api-types';
import { useCoverage, useCoverageExport, useUnvisited } from '../hooks/use-visit-coverage';
import { canDrill, overdueLink, ratePercent, rateStatus, rateText } from '../utils/coverage-format';

type Period = NonNullable<CoverageQuery['period']>;
type Figures = Coverage['totals'];
const MONTH_CHOICES = [1, 3, 6, 12, 24] as const;

function RateBar({ rate }: { rate: number | null }) {
  return (
    <Space size="small" style={{ minWidth: 140 }}>
      <Progress
        percent={ratePercent(rate)}
        status={rateStatus(rate)}
        showInfo={false}
        size="small"
        style={{ width: 80 }}
      />
      <span>{rateText(rate)}</span>
    </Space>
  );
}

/** 走访覆盖: figures per child area (click to drill down) and per worker, the households not visited, the export. */
export function VisitCoverageView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [period, setPeriod] = useState<Period>('week');
  const [at, setAt] = useState<string | null>(null);
  const [months, setMonths] = useState(6);
  const [trail, setTrail] = useState<{ id: number; name: string }[]>([]);
  const [page, setPage] = useState(1);
  const nodeId = trail.at(-1)?.id;
  const query: CoverageQuery = useMemo(
    () => ({ period, ...(at ? { at } : {}), ...(nodeId ? { nodeId } : {}), ...(months !== 6 ? { months } : {}) }),
    [period, at, nodeId, months],
  );
  const coverage = useCoverage(query);
  const unvisited = useUnvisited({ ...(nodeId ? { nodeId } : {}), months, page, pageSize: 20 });
  const exporter = useCoverageExport();
  const data = coverage.data;

  const drill = (row: CoverageRow) => {
    if (!data) return;
    setTrail((tr) => [
      ...(tr.length === 0 ? [{ id: data.nodeId, name: data.nodeName }] : tr),
      { id: row.nodeId, name: row.nodeName },
    ]);
    setPage(1);
  };
  const backTo = (i: number) => {
    setTrail((tr) => tr.slice(0, i + 1));
    setPage(1);
  };

  const figureColumns = <T extends Figures | CoverageWorkerRow>(overdueHref: (row: T) => string): ColumnsType<T> => [
    { title: t('visitCoverage.required'), dataIndex: 'required', align: 'right' },
    { title: t('visitCoverage.doneOnTime'), dataIndex: 'doneOnTime', align: 'right' },
    { title: t('visitCoverage.doneLate'), dataIndex: 'doneLate', align: 'right' },
    {
      title: t('visitCoverage.overdue'),
      dataIndex: 'overdue',
      align: 'right',
      render: (v: number, row) =>
        v > 0 ? (
          <Link to={overdueHref(row)} style={{ color: '#cf1322' }}>
            {v}
          </Link>
        ) : (
          v
        ),
    },
    {
      title: t('visitCoverage.onTimeRate'),
      dataIndex: 'onTimeRate',
      render: (v: number | null) => <RateBar rate={v} />,
      sorter: (a, b) => (a.onTimeRate ?? -1) - (b.onTimeRate ?? -1),
    },
    { title: t('visitCoverage.visits'), dataIndex: 'visits', align: 'right' },
  ];

  const period2 = data ? { from: data.from, to: data.to } : { from: '', to: '' };
  const rowColumns: ColumnsType<CoverageRow> = [
    {
      title: t('visitCoverage.area'),
      dataIndex: 'nodeName',
      render: (name: string, row) =>
        canDrill(row.nodeType) ? (
          <Button type="link" size="small" onClick={() => drill(row)} data-testid={`coverage-drill-${row.nodeId}`}>
            {name}
          </Button>
        ) : (
          name
        ),
    },
    ...figureColumns<CoverageRow>((row) => overdueLink(row.nodeId, period2)),
    { title: t('visitCoverage.households'), dataIndex: 'households', align: 'right' },
    { title: t('visitCoverage.householdsUnvisited', { months }), dataIndex: 'householdsUnvisited', align: 'right' },
  ];
  const workerColumns: ColumnsType<CoverageWorkerRow> = [
    { title: t('visitCoverage.worker'), dataIndex: 'name' },
    ...figureColumns<CoverageWorkerRow>((row) => overdueLink(data?.nodeId ?? 0, period2, row.userId)),
  ];
  const unvisitedColumns: ColumnsType<UnvisitedHousehold> = [
    { title: t('visitCoverage.head'), dataIndex: 'headName', render: (v: string | null) => v ?? '—' },
    { title: t('visitCoverage.place'), dataIndex: 'placeLabel' },
    { title: t('visitCoverage.members'), dataIndex: 'members', align: 'right' },
    {
      title: t('visitCoverage.lastVisitedAt'),
      dataIndex: 'lastVisitedAt',
      render: (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD') : t('visitCoverage.never')),
    },
  ];

  const exportSheet = () => exporter.mutate(query, { onError: (e) => message.error(e.message || t('errors.unknown')) });
  const crumbs = trail.length > 0 ? trail : data ? [{ id: data.nodeId, name: data.nodeName }] : [];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="linli-toolbar">
        <Space wrap size="middle">
          <Segmented<Period>
            value={period}
            onChange={(p) => {
              setPeriod(p);
              setAt(null);
            }}
            options={[
              { value: 'week', label: t('visitCoverage.week') },
              { value: 'month', label: t('visitCoverage.month') },
            ]}
            data-testid="coverage-period"
          />
          <DatePicker
            picker={period}
            allowClear
            value={at ? dayjs(at) : data ? dayjs(data.from) : null}
            onChange={(v) => setAt(v ? v.format('YYYY-MM-DD') : null)}
            data-testid="coverage-at"
          />
          <Space size="small">
            <span>{t('visitCoverage.monthsLabel')}</span>
            <Select<number>
              value={months}
              onChange={(m) => {
                setMonths(m);
                setPage(1);
              }}
              options={MONTH_CHOICES.map((m) => ({ value: m, label: t('visitCoverage.months', { count: m }) }))}
              style={{ width: 110 }}
              data-testid="coverage-months"
            />
          </Space>
        </Space>
        <Button
          icon={<DownloadOutlined />}
          loading={exporter.isPending}
          onClick={exportSheet}
          data-testid="coverage-export"
        >
          {t('visitCoverage.export')}
        </Button>
      </div>
      {coverage.isError ? <Alert type="error" showIcon title={coverage.error.message} /> : null}
      {data ? (
        <Space wrap>
          <Breadcrumb
            items={crumbs.map((c, i) => ({
              key: c.id,
              title:
                i < crumbs.length - 1 ? (
                  <Typography.Link onClick={() => backTo(i)}>{c.name}</Typography.Link>
                ) : (
                  <strong>{c.name}</strong>
                ),
            }))}
          />
          <Typography.Text type="secondary">
            {t('visitCoverage.periodRange', { from: data.from, to: data.to })}
          </Typography.Text>
        </Space>
      ) : null}
      <Typography.Text type="secondary">{t('visitCoverage.definitions')}</Typography.Text>
      {data?.rows.length ? (
        <Table<CoverageRow>
          rowKey="nodeId"
          size="small"
          loading={coverage.isFetching}
          columns={rowColumns}
          dataSource={data.rows}
          pagination={false}
          scroll={{ x: 1000 }}
          data-testid="coverage-rows"
          summary={() => (
            <Table.Summary fixed>
              <Table.Summary.Row>
                <Table.Summary.Cell index={0}>
                  <strong>{t('visitCoverage.total')}</strong>
                </Table.Summary.Cell>
                {(['required', 'doneOnTime', 'doneLate', 'overdue'] as const).map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 1} align="right">
                    <strong>{data.totals[k]}</strong>
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={5}>
                  <RateBar rate={data.totals.onTimeRate} />
                </Table.Summary.Cell>
                {(['visits', 'households', 'householdsUnvisited'] as const).map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 6} align="right">
                    <strong>{data.totals[k]}</strong>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          )}
        />
      ) : data ? (
        <Typography.Text data-testid="coverage-totals">
          {t('visitCoverage.totalsLine', {
            required: data.totals.required,
            doneOnTime: data.totals.doneOnTime,
            overdue: data.totals.overdue,
            rate: rateText(data.totals.onTimeRate),
            households: data.totals.households,
            unvisited: data.totals.householdsUnvisited,
          })}
        </Typography.Text>
      ) : null}
      <Typography.Title level={5}>{t('visitCoverage.byWorker')}</Typography.Title>
      <Table<CoverageWorkerRow>
        rowKey={(w) => w.userId ?? 0}
        size="small"
        loading={coverage.isFetching}
        columns={workerColumns}
        dataSource={data?.workers ?? []}
        pagination={false}
        data-testid="coverage-workers"
      />
      <Typography.Title level={5}>{t('visitCoverage.unvisitedTitle', { count: months })}</Typography.Title>
      <Table<UnvisitedHousehold>
        rowKey="householdId"
        size="small"
        loading={unvisited.isFetching}
        columns={unvisitedColumns}
        dataSource={unvisited.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: 20,
          total: unvisited.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        data-testid="coverage-unvisited"
      />
    </Space>
  );
}
