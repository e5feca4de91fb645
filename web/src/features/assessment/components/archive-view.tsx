import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../ui/api';
import { useDebounced } from '../../../ui/use-debounced';
import { EChart } from '../../case-stats/components/echart';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import type { Archive, ArchiveScore, SubjectKind } from '../assessment-types';
import { useArchive } from '../hooks/use-assessment';
import { formatScore, periodLabel } from '../utils/assessment-format';
import { AdjustmentsTable } from './ranking-view';

/** The line chart of an archive: per scheme, totals (left axis) and ranks (right axis, 1 at the top) by period. */
export function archiveChartOption(scores: readonly ArchiveScore[], language: string, rankLabel: string) {
  const periods = [...new Set(scores.map((s) => s.periodStart))].sort();
  const schemes = [...new Map(scores.map((s) => [s.schemeId, s])).values()];
  const at = (schemeId: number, p: string) => scores.find((s) => s.schemeId === schemeId && s.periodStart === p);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 36, bottom: 40 },
    xAxis: {
      type: 'category',
      data: periods.map((p) => {
        const kind = scores.find((s) => s.periodStart === p)?.periodKind ?? 'month';
        return periodLabel(kind, p, language);
      }),
    },
    yAxis: [
      { type: 'value', min: 0 },
      { type: 'value', inverse: true, minInterval: 1, min: 1 },
    ],
    series: schemes.flatMap((s) => [
      {
        name: s.schemeName,
        type: 'line',
        data: periods.map((p) => at(s.schemeId, p)?.total ?? null),
        connectNulls: true,
      },
      {
        name: `${s.schemeName} · ${rankLabel}`,
        type: 'line',
        yAxisIndex: 1,
        lineStyle: { type: 'dashed' },
        data: periods.map((p) => at(s.schemeId, p)?.rank ?? null),
        connectNulls: true,
      },
    ]),
  };
}

/** One archive: the chart, the scores by period, honours as badges, and the bonus and penalty items with evidence. */
export function ArchiveDetail({ archive }: { archive: Archive }) {
  const { t, i18n } = useTranslation();
  const option = useMemo(
    () => archiveChartOption(archive.scores, i18n.language, t('assessment.rank')),
    [archive.scores, i18n.language, t],
  );
  const scores = [...archive.scores].sort(
    (a, b) => b.periodStart.localeCompare(a.periodStart) || a.schemeId - b.schemeId,
  );
  return (
    <div data-testid="assessment-archive">
      <Typography.Title level={4}>
        {archive.name}
        {archive.parentName ? <Typography.Text type="secondary"> · {archive.parentName}</Typography.Text> : null}
      </Typography.Title>
      <Space wrap style={{ marginBottom: 12 }} data-testid="archive-honours">
        {archive.honours.length === 0 ? (
          <Typography.Text type="secondary">{t('assessment.noHonours')}</Typography.Text>
        ) : (
          archive.honours.map((h) => (
            <Tag
              key={h.id}
              color={h.status === 'approved' || h.status === 'published' ? 'red' : undefined}
              title={h.citation ?? ''}
            >
              {periodLabel('quarter', h.periodStart, i18n.language)} {t(`assessment.honours.${h.honour}`)}
              {h.status === 'published' ? '' : `（${t(`assessment.statuses.${h.status}`)}）`}
            </Tag>
          ))
        )}
      </Space>
      {scores.length === 0 ? (
        <Empty description={t('assessment.noScores')} />
      ) : (
        <>
          <EChart option={option} height={260} data-testid="archive-chart" />
          <Table<ArchiveScore>
            size="small"
            rowKey={(s) => `${s.schemeId}-${s.periodStart}`}
            pagination={false}
            dataSource={scores}
            columns={[
              { title: t('assessment.scheme'), dataIndex: 'schemeName' },
              {
                title: t('assessment.period'),
                key: 'period',
                render: (_, s) => periodLabel(s.periodKind, s.periodStart, i18n.language),
              },
              { title: t('assessment.total'), key: 'total', align: 'right', render: (_, s) => formatScore(s.total) },
              {
                title: t('assessment.rank'),
                key: 'rank',
                align: 'right',
                render: (_, s) => `${s.rank} / ${s.groupSize}`,
              },
            ]}
          />
        </>
      )}
      <Card size="small" title={t('assessment.adjustmentsTitle')} style={{ marginTop: 16 }}>
        <AdjustmentsTable items={archive.adjustments} canManage={false} />
      </Card>
    </div>
  );
}

type UserHit = { id: number; username: string; displayName: string };

/** A grid worker of the caller's area, found by name (GET /api/users?role=grid_worker&q=). */
function WorkerSearch({ value, onChange }: { value: number | null; onChange: (id: number | null) => void }) {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const q = useDebounced(term, 250);
  const users = useQuery({
    queryKey: ['assessment', 'worker-search', q],
    queryFn: ({ signal }) =>
      api.get<{ items: UserHit[] }>('/api/users', { role: 'grid_worker', q, page: 1, pageSize: 20 }, signal),
  });
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      style={{ width: 260 }}
      placeholder={t('assessment.pickWorker')}
      value={value ?? undefined}
      onSearch={setTerm}
      onChange={(id?: number) => onChange(id ?? null)}
      loading={users.isFetching}
      options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
      data-testid="archive-worker"
    />
  );
}

/** 一人一档: a grid worker's or a grid's scores, ranks, honours and adjustments over time. */
export function ArchivesView({ initial }: { initial?: { kind: SubjectKind; id: number } | null }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<SubjectKind>(initial?.kind ?? 'user');
  const [id, setId] = useState<number | null>(initial?.id ?? null);
  const archive = useArchive(id === null ? null : { kind, id });
  return (
    <div data-testid="assessment-archives">
      <Space wrap style={{ marginBottom: 16 }}>
        <Radio.Group
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as SubjectKind);
            setId(null);
          }}
          options={[
            { value: 'user', label: t('assessment.archiveWorker') },
            { value: 'node', label: t('assessment.archiveGrid') },
          ]}
          optionType="button"
        />
        {kind === 'user' ? (
          <WorkerSearch value={id} onChange={setId} />
        ) : (
          <NodeSearchSelect
            style={{ width: 260 }}
            types={['grid']}
            allowClear
            placeholder={t('assessment.pickGrid')}
            value={id}
            onChange={(v) => setId(v)}
          />
        )}
      </Space>
      {archive.isError ? <Alert type="error" showIcon message={archive.error.message} /> : null}
      {id === null ? <Empty description={t('assessment.pickSubject')} /> : null}
      {archive.data ? <ArchiveDetail archive={archive.data} /> : null}
    </div>
  );
}
