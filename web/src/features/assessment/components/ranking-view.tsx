import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
  type UploadFile,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../ui/api';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { formatTime } from '../../../ui/time';
import { EChart } from '../../case-stats/components/echart';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import type { Adjustment, RankingGroup, RankingRow, Scheme, ScoreItem } from '../assessment-types';
import {
  useAddAdjustment,
  useAdjustments,
  useRankings,
  useSchemes,
  useWithdrawAdjustment,
} from '../hooks/use-assessment';
import {
  formatScore,
  formatSigned,
  formatValueOf,
  metricLabel,
  periodLabel,
  rankTrend,
  totalTrend,
} from '../utils/assessment-format';
import { EvidencePicker, evidenceIds } from './evidence-picker';
import { SchemePeriodPicker } from './scheme-period-picker';

/** A trend as a coloured tag ('↑3'), or nothing without a previous period. */
export function TrendTag({ text, colour }: { text: string; colour: 'green' | 'red' | 'default' }) {
  if (!text) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tag color={colour === 'default' ? undefined : colour} style={{ marginInlineEnd: 4 }}>
      {text}
    </Tag>
  );
}

/** A subject's items: the metric, its value as the catalogue's kind says, the marks out of the weight. */
export function ScoreItems({ items }: { items: readonly ScoreItem[] }) {
  const { t, i18n } = useTranslation();
  return (
    <Table<ScoreItem>
      size="small"
      rowKey="metric"
      pagination={false}
      dataSource={[...items]}
      columns={[
        { title: t('assessment.metric'), key: 'metric', render: (_, i) => metricLabel(i.metric, i18n.language) },
        {
          title: t('assessment.value'),
          key: 'value',
          align: 'right',
          render: (_, i) => formatValueOf(i.metric, i.value),
        },
        {
          title: t('assessment.marksOfWeight'),
          key: 'marks',
          align: 'right',
          render: (_, i) => `${formatScore(i.marks)} / ${formatScore(i.weight)}`,
        },
      ]}
      data-testid="assessment-items"
    />
  );
}

/** The bar chart of a group's totals, best first. */
export function totalsChartOption(group: RankingGroup) {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 60 },
    xAxis: { type: 'category', data: group.subjects.map((r) => r.name), axisLabel: { rotate: 30 } },
    // no floor at 0: a total below zero (penalties over no marks) shows as a bar downwards
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: group.subjects.map((r) => r.total), itemStyle: { color: '#c0392b' } }],
  };
}

type AdjustTarget = { row: RankingRow; scheme: Scheme; periodStart: string };

function AdjustmentModal({ target, onClose }: { target: AdjustTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ points: number; reason: string; evidence?: UploadFile[] }>();
  const add = useAddAdjustment();
  const cap = target?.scheme.adjustmentCap ?? 0;
  const submit = async () => {
    if (!target) return;
    const values = await validValues(form);
    if (!values) return;
    try {
      await add.mutateAsync({
        schemeId: target.scheme.id,
        periodStart: target.periodStart,
        subjectKind: target.row.subjectKind,
        subjectId: target.row.subjectId,
        points: values.points,
        reason: values.reason.trim(),
        evidenceFileIds: evidenceIds(values.evidence),
      });
      message.success(t('assessment.adjustmentSaved'));
      form.resetFields();
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, ['points', 'reason', 'evidenceFileIds'])) {
        message.error(isApiError(error) ? error.message : t('errors.unknown'));
      }
    }
  };
  return (
    <Modal
      open={target !== null}
      title={target ? t('assessment.adjustFor', { name: target.row.name }) : ''}
      okText={t('common.save')}
      confirmLoading={add.isPending}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="points"
          label={t('assessment.points')}
          extra={t('assessment.capHint', { cap: formatScore(cap) })}
          rules={[
            { required: true, message: t('common.required', { field: t('assessment.points') }) },
            {
              validator: (_, v: number | null) =>
                v === 0 ? Promise.reject(new Error(t('assessment.pointsNotZero'))) : Promise.resolve(),
            },
          ]}
        >
          <InputNumber min={-cap} max={cap} step={0.5} style={{ width: 160 }} data-testid="adjust-points" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('assessment.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('assessment.reasonHint') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="adjust-reason" />
        </Form.Item>
        <Form.Item name="evidence" label={t('assessment.evidence')} valuePropName="value">
          <EvidencePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function WithdrawModal({ adjustment, onClose }: { adjustment: Adjustment | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const withdraw = useWithdrawAdjustment();
  const submit = async () => {
    if (!adjustment) return;
    const values = await validValues(form);
    if (!values) return;
    try {
      await withdraw.mutateAsync({ id: adjustment.id, reason: values.reason.trim() });
      message.success(t('assessment.withdrawn'));
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, ['reason']))
        message.error(isApiError(error) ? error.message : t('errors.unknown'));
    }
  };
  return (
    <Modal
      open={adjustment !== null}
      title={t('assessment.withdraw')}
      confirmLoading={withdraw.isPending}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t('assessment.withdrawReason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('assessment.reasonHint') }]}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Links to the evidence files of an adjustment. */
export function EvidenceLinks({ files }: { files: Adjustment['evidence'] }) {
  if (files.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space wrap size={4}>
      {files.map((f) => (
        <a key={f.id} href={f.url} target="_blank" rel="noreferrer">
          {f.name}
        </a>
      ))}
    </Space>
  );
}

/** The bonus and penalty items of a period, with who added them and why; a manager may withdraw one. */
export function AdjustmentsTable({
  items,
  canManage,
  onWithdraw,
}: {
  items: readonly Adjustment[];
  canManage: boolean;
  onWithdraw?: (a: Adjustment) => void;
}) {
  const { t } = useTranslation();
  const columns: ColumnsType<Adjustment> = [
    { title: t('assessment.subject'), dataIndex: 'subjectName' },
    {
      title: t('assessment.points'),
      key: 'points',
      align: 'right',
      render: (_, a) => (
        <Typography.Text delete={a.withdrawnAt !== null} type={a.points < 0 ? 'danger' : 'success'}>
          {formatSigned(a.points)}
        </Typography.Text>
      ),
    },
    { title: t('assessment.reason'), dataIndex: 'reason' },
    { title: t('assessment.evidence'), key: 'evidence', render: (_, a) => <EvidenceLinks files={a.evidence} /> },
    {
      title: t('assessment.addedBy'),
      key: 'by',
      render: (_, a) => `${a.createdByName} · ${formatTime(a.createdAt)}`,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, a) =>
        a.withdrawnAt !== null ? (
          <Tag>{t('assessment.withdrawnTag')}</Tag>
        ) : canManage ? (
          <Button size="small" type="link" danger onClick={() => onWithdraw?.(a)}>
            {t('assessment.withdraw')}
          </Button>
        ) : null,
    },
  ];
  return (
    <Table<Adjustment>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={[...items]}
      columns={columns}
      locale={{ emptyText: t('assessment.noAdjustments') }}
      data-testid="assessment-adjustments"
    />
  );
}

/** One ranking group: a bar chart of totals and the ranked table, rows expandable to their items. */
export function RankingGroupCard({
  group,
  canManage,
  onAdjust,
}: {
  group: RankingGroup;
  canManage: boolean;
  onAdjust: (row: RankingRow) => void;
}) {
  const { t } = useTranslation();
  const option = useMemo(() => totalsChartOption(group), [group]);
  const columns: ColumnsType<RankingRow> = [
    { title: t('assessment.rank'), key: 'rank', width: 70, render: (_, r) => `${r.rank} / ${r.groupSize}` },
    {
      title: t('assessment.name'),
      key: 'name',
      render: (_, r) => (
        <a href={`/assessment/archives?${r.subjectKind}=${r.subjectId}`}>
          {r.name}
          {r.gridName ? <Typography.Text type="secondary">（{r.gridName}）</Typography.Text> : null}
        </a>
      ),
    },
    { title: t('assessment.total'), key: 'total', align: 'right', render: (_, r) => <b>{formatScore(r.total)}</b> },
    { title: t('assessment.base'), key: 'base', align: 'right', render: (_, r) => formatScore(r.base) },
    {
      title: t('assessment.adjustments'),
      key: 'adjustments',
      align: 'right',
      render: (_, r) => formatSigned(r.adjustments),
    },
    {
      title: t('assessment.change'),
      key: 'change',
      render: (_, r) => {
        const rank = rankTrend(r.rank, r.previousRank);
        const total = totalTrend(r.total, r.previousTotal);
        // no previous period: one dash, not one per trend
        if (!rank.text && !total.text) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <span data-testid="assessment-trend">
            <TrendTag {...rank} />
            <TrendTag {...total} />
          </span>
        );
      },
    },
  ];
  if (canManage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => (
        <Button size="small" onClick={() => onAdjust(r)}>
          {t('assessment.adjust')}
        </Button>
      ),
    });
  }
  return (
    <Card title={group.groupName} size="small" style={{ marginBottom: 16 }} data-testid="assessment-group">
      <EChart option={option} height={220} data-testid="assessment-chart" />
      <Table<RankingRow>
        size="small"
        rowKey={(r) => `${r.subjectKind}-${r.subjectId}`}
        pagination={false}
        dataSource={group.subjects}
        columns={columns}
        expandable={{ expandedRowRender: (r) => <ScoreItems items={r.items} /> }}
      />
    </Card>
  );
}

/** 考核排名: a scheme and period, the caller's area (or a node under it), the ranked groups and the period's adjustments. */
export function RankingView({
  canManage,
  defaultNodeId,
  initial,
}: {
  canManage: boolean;
  defaultNodeId: number | null;
  /** A scheme and period to open with (from the address: ?scheme=&period=). */
  initial?: { schemeId: number | null; periodStart: string | null };
}) {
  const { t, i18n } = useTranslation();
  const schemes = useSchemes();
  const [schemeId, setSchemeId] = useState<number | null>(initial?.schemeId ?? null);
  const [periodStart, setPeriodStart] = useState<string | null>(initial?.periodStart ?? null);
  const [nodeId, setNodeId] = useState<number | null>(null);
  const [adjustTarget, setAdjustTarget] = useState<AdjustTarget | null>(null);
  const [withdrawing, setWithdrawing] = useState<Adjustment | null>(null);
  const onPick = useCallback((s: number | null, p: string | null) => {
    setSchemeId(s);
    setPeriodStart(p);
  }, []);
  const scheme = schemes.data?.items.find((s) => s.id === schemeId) ?? null;
  const rankings = useRankings({ schemeId, periodStart, nodeId: nodeId ?? defaultNodeId });
  const adjustments = useAdjustments({ schemeId, periodStart });

  return (
    <div data-testid="assessment-ranking">
      <Space wrap style={{ marginBottom: 16 }}>
        <SchemePeriodPicker
          schemes={schemes.data?.items ?? []}
          schemeId={schemeId}
          periodStart={periodStart}
          onChange={onPick}
        />
        <NodeSearchSelect
          style={{ width: 240 }}
          allowClear
          placeholder={t('assessment.nodeAll')}
          value={nodeId}
          onChange={(id) => setNodeId(id)}
        />
      </Space>
      {schemes.isError || rankings.isError ? (
        <Alert
          type="error"
          showIcon
          message={(schemes.error ?? rankings.error)?.message ?? t('common.loadFailed')}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {schemes.data && schemes.data.items.length === 0 ? <Empty description={t('assessment.noSchemes')} /> : null}
      {scheme && periodStart ? (
        <Typography.Paragraph type="secondary">
          {t('assessment.rankingHint', {
            scheme: scheme.name,
            period: periodLabel(scheme.periodKind, periodStart, i18n.language),
            cap: formatScore(scheme.adjustmentCap),
          })}
        </Typography.Paragraph>
      ) : null}
      {rankings.data && rankings.data.groups.length === 0 ? <Empty description={t('assessment.noScores')} /> : null}
      {rankings.data?.groups.map((g) => (
        <RankingGroupCard
          key={g.groupNodeId}
          group={g}
          canManage={canManage}
          onAdjust={(row) => scheme && periodStart && setAdjustTarget({ row, scheme, periodStart })}
        />
      ))}
      {scheme && periodStart ? (
        <Card size="small" title={t('assessment.adjustmentsTitle')}>
          <AdjustmentsTable items={adjustments.data?.items ?? []} canManage={canManage} onWithdraw={setWithdrawing} />
        </Card>
      ) : null}
      <AdjustmentModal target={adjustTarget} onClose={() => setAdjustTarget(null)} />
      <WithdrawModal adjustment={withdrawing} onClose={() => setWithdrawing(null)} />
    </div>
  );
}
