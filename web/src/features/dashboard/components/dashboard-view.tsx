import { FundProjectionScreenOutlined } from '@ant-design/icons';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Col,
  Empty,
  Result,
  Row,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { Dashboard } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { useDashboard } from '../hooks/use-dashboard';
import {
  barOption,
  childrenOption,
  percent,
  pyramidOption,
  stagePieOption,
  trendOption,
} from '../utils/dashboard-charts';
import { bigScreenPath, dashboardPath, kpisOf } from '../utils/dashboard-view-model';
import { DashChart } from './dash-chart';

/** The chart labels in the reader's language. */
export function useChartLabels() {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      male: t('dashboard.charts.male'),
      female: t('dashboard.charts.female'),
      created: t('dashboard.charts.created'),
      closed: t('dashboard.charts.closed'),
      population: t('dashboard.children.population'),
      openCases: t('dashboard.children.openCases'),
      alarmsOpen: t('dashboard.children.alarmsOpen'),
    }),
    [t],
  );
}

/** 驾驶舱 of a node (or the caller's own area): loads it and shows it, or says it is not there. */
export function DashboardView({ nodeId }: { nodeId?: number }) {
  const { t } = useTranslation();
  const query = useDashboard(nodeId === undefined ? {} : { nodeId });
  if (query.isError) {
    const notFound = isApiError(query.error) && query.error.status === 404;
    return notFound ? (
      <Result status="404" title="404" subTitle={t('dashboard.notFound')} data-testid="dashboard-not-found" />
    ) : (
      <Alert type="error" title={t('dashboard.loadFailed')} />
    );
  }
  if (!query.data) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  return <DashboardFigures d={query.data} />;
}

/** The figures themselves (rendered from an answer; the page test renders this with a mocked one). */
export function DashboardFigures({ d }: { d: Dashboard }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const labels = useChartLabels();
  const kpis = kpisOf(d, (value) => t('dashboard.hours', { value }));
  const drill = (i: number) => {
    const child = d.children[i];
    if (child) navigate(dashboardPath(child.id));
  };
  const options = useMemo(
    () => ({
      pyramid: pyramidOption(d, labels),
      groups: barOption(d.population.groups.map((g) => ({ name: g.name, value: g.value }))),
      stages: stagePieOption(d),
      categories: barOption(d.cases.byCategory, false, '#faad14'),
      trend: trendOption(d, labels),
      alarms: barOption(
        d.alarms.byKind.map((k) => ({
          name: t(`dashboard.alarmKind.${k.kind}`, { defaultValue: k.kind }),
          value: k.value,
        })),
        false,
        '#ff4d4f',
      ),
      children: childrenOption(d, labels),
    }),
    [d, labels, t],
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Row justify="space-between" align="middle">
        <Breadcrumb
          data-testid="dashboard-breadcrumb"
          items={d.node.crumbs.map((c, i) => ({
            key: c.id,
            title:
              c.clickable && i < d.node.crumbs.length - 1 ? (
                <Link to={dashboardPath(c.id)}>{c.name}</Link>
              ) : (
                <span>{c.name}</span>
              ),
          }))}
        />
        <Space>
          <Typography.Text type="secondary">{t('dashboard.lastMonth', { month: d.lastMonth })}</Typography.Text>
          <Button icon={<FundProjectionScreenOutlined />} onClick={() => navigate(bigScreenPath(d.node.id))}>
            {t('dashboard.bigScreen')}
          </Button>
        </Space>
      </Row>
      <Row gutter={[12, 12]} data-testid="dashboard-kpis">
        {kpis.map((k) => (
          <Col key={k.key} xs={12} sm={8} md={6} xl={4}>
            <Card size="small" hoverable={k.link !== null} data-testid={`kpi-${k.key}`}>
              {k.link ? (
                <Link to={k.link} data-testid={`kpi-link-${k.key}`}>
                  <Statistic title={t(`dashboard.kpi.${k.key}`)} value={k.value} />
                </Link>
              ) : (
                <Statistic title={t(`dashboard.kpi.${k.key}`)} value={k.value} />
              )}
              {k.hint ? <Typography.Text type="secondary">{t(`dashboard.source.${k.hint}`)}</Typography.Text> : null}
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('dashboard.charts.ageBands')}>
            <DashChart option={options.pyramid} height={260} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('dashboard.charts.groups')}>
            <Space wrap style={{ marginBottom: 8 }}>
              {d.population.groups.map((g) =>
                g.link ? (
                  <Link key={g.code} to={g.link}>
                    <Tag color={g.sensitive ? 'purple' : 'blue'}>
                      {g.name} {g.value}
                    </Tag>
                  </Link>
                ) : (
                  <Tag key={g.code}>
                    {g.name} {g.value}
                  </Tag>
                ),
              )}
            </Space>
            <DashChart option={options.groups} height={220} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('dashboard.charts.stages')}>
            {d.cases.byStage.length ? (
              <DashChart
                option={options.stages}
                height={260}
                onItemClick={(i) => {
                  const link = d.cases.byStage[i]?.link;
                  if (link) navigate(link);
                }}
              />
            ) : (
              <Empty description={t('dashboard.empty')} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('dashboard.charts.categories')}>
            <DashChart
              option={options.categories}
              height={260}
              onItemClick={(i) => {
                const link = d.cases.byCategory[i]?.link;
                if (link) navigate(link);
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('dashboard.charts.trend')}>
            <DashChart option={options.trend} height={260} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('dashboard.charts.alarms')}>
            <Space wrap style={{ marginBottom: 8 }}>
              <Typography.Text>
                {t('dashboard.kpi.ackRate')}: {percent(d.alarms.ackRate.value)}
              </Typography.Text>
              <Typography.Text>
                {t('dashboard.kpi.tasksOverdue')}:{' '}
                {d.visits.tasksOverdue.link ? (
                  <Link to={d.visits.tasksOverdue.link}>{d.visits.tasksOverdue.value}</Link>
                ) : (
                  d.visits.tasksOverdue.value
                )}
              </Typography.Text>
            </Space>
            <DashChart
              option={options.alarms}
              height={200}
              onItemClick={(i) => {
                const link = d.alarms.byKind[i]?.link;
                if (link) navigate(link);
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('dashboard.charts.rankings')} data-testid="dashboard-rankings">
            <Rankings d={d} />
          </Card>
        </Col>
      </Row>
      {d.children.length > 0 ? (
        <Card size="small" title={t('dashboard.charts.children')} extra={t('dashboard.children.drill')}>
          <DashChart
            option={options.children}
            height={280}
            onItemClick={drill}
            data-testid="dashboard-children-chart"
          />
          <Table
            data-testid="dashboard-children"
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={d.children}
            onRow={(_, i) => ({ onClick: () => drill(i ?? -1), style: { cursor: 'pointer' } })}
            columns={[
              {
                title: t('dashboard.children.name'),
                dataIndex: 'name',
                render: (name: string, c) => <Link to={dashboardPath(c.id)}>{name}</Link>,
              },
              { title: t('dashboard.children.population'), dataIndex: 'population', align: 'right' },
              { title: t('dashboard.children.openCases'), dataIndex: 'openCases', align: 'right' },
              { title: t('dashboard.children.overdue'), dataIndex: 'overdue', align: 'right' },
              {
                title: t('dashboard.children.coverage'),
                dataIndex: 'coverage',
                align: 'right',
                render: (v: number | null) => percent(v),
              },
              { title: t('dashboard.children.alarmsOpen'), dataIndex: 'alarmsOpen', align: 'right' },
            ]}
          />
        </Card>
      ) : null}
    </Space>
  );
}

function Rankings({ d }: { d: Dashboard }) {
  const { t } = useTranslation();
  const r = d.rankings;
  if (!r) return <Empty description={t('dashboard.rankings.none')} />;
  const list = (title: string, rows: NonNullable<Dashboard['rankings']>['top']) => (
    <div>
      <Typography.Text strong>{title}</Typography.Text>
      <ol style={{ listStyle: 'none', padding: 0, margin: '4px 0 0' }}>
        {rows.map((row) => (
          <li
            key={`${row.rank}-${row.name}`}
            style={{ display: 'flex', justifyContent: 'space-between', padding: '2px 0' }}
          >
            <span>
              {row.rank}/{row.groupSize} {row.name}
            </span>
            <span>{t('dashboard.rankings.score', { total: row.total })}</span>
          </li>
        ))}
      </ol>
    </div>
  );
  return (
    <>
      <Typography.Text type="secondary">
        {t('dashboard.rankings.period', { scheme: r.scheme.name, period: r.scheme.periodStart })}
      </Typography.Text>
      <Row gutter={12}>
        <Col span={12}>{list(t('dashboard.rankings.top'), r.top)}</Col>
        <Col span={12}>{list(t('dashboard.rankings.bottom'), r.bottom)}</Col>
      </Row>
    </>
  );
}
