import { DownloadOutlined, LinkOutlined, PlayCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Form,
  Input,
  Modal,
  Row,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { acceptableReason } from '../../../../../server/src/platform/audit/reason.logic';
import { ReasonField } from '../../../ui/reason-field';
import { formatTime } from '../../../ui/time';
import { useDebounced } from '../../../ui/use-debounced';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import {
  type PolicyView,
  RESULT_TABS,
  type ResultRow,
  type ResultTab,
  type RunPolicyView,
  type RunView,
} from '../policy-types';
import { useDoneRuns, useExportResults, useLatestRun, usePolicies, useResults, useStartRun } from '../use-policies';
import { CANDIDATE_COLORS } from '../utils/candidates';
import { ExplanationView } from './explanation-view';

const RUN_COLORS = { queued: 'default', running: 'processing', done: 'success', failed: 'error' } as const;

type Props = { canRun: boolean; canRevealPii: boolean; defaultNodeId: number | null };

/** 政策找人 (/policies): the active policies with their latest run over the chosen area, and a policy's lists. */
export function PoliciesView({ canRun, canRevealPii, defaultNodeId }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [nodeId, setNodeId] = useState<number | null>(defaultNodeId);
  const policies = usePolicies('active');
  const run = useLatestRun(nodeId);
  const start = useStartRun();
  const [openPolicy, setOpenPolicy] = useState<PolicyView | null>(null);
  const latest = run.data ?? null;
  const busy = latest !== null && (latest.status === 'queued' || latest.status === 'running');
  const done = useDoneRuns(nodeId, `${latest?.id ?? 0}:${latest?.status ?? ''}`);
  /** The newest finished run holding a policy, and its figures. */
  const lineOf = (policyId: number): { run: RunView; line: RunPolicyView } | null => {
    for (const r of done.data?.items ?? []) {
      const line = r.policies.find((x) => x.policyId === policyId);
      if (line) return { run: r, line };
    }
    return null;
  };

  const startRun = () => {
    if (nodeId === null) return;
    start.mutate(
      { nodeId },
      {
        onSuccess: () => void message.success(t('policiesUi.list.runStarted')),
        onError: (e) => void message.error(e.message),
      },
    );
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('policiesUi.list.title')}
      </Typography.Title>
      <Space wrap>
        <Typography.Text>{t('policiesUi.list.node')}</Typography.Text>
        <NodeSearchSelect
          value={nodeId}
          onChange={(v) => setNodeId(v)}
          style={{ width: 260 }}
          data-testid="policy-node"
        />
        {canRun ? (
          <Button
            type="primary"
            icon={<PlayCircleOutlined />}
            disabled={nodeId === null || busy}
            loading={start.isPending}
            onClick={startRun}
            data-testid="policy-run"
          >
            {t('policiesUi.list.runAll')}
          </Button>
        ) : null}
      </Space>
      <RunLine run={latest} loading={run.isLoading && nodeId !== null} />
      {policies.isError ? (
        <Alert type="error" showIcon title={t('policiesUi.common.loadFailed', { message: policies.error.message })} />
      ) : null}
      {openPolicy && nodeId !== null ? (
        <PolicyResults
          policy={openPolicy}
          found={lineOf(openPolicy.id)}
          canRevealPii={canRevealPii}
          onBack={() => setOpenPolicy(null)}
        />
      ) : (
        <Row gutter={[16, 16]}>
          {(policies.data?.items ?? []).length === 0 && !policies.isLoading ? (
            <Col span={24}>
              <Typography.Text type="secondary">{t('policiesUi.list.noPolicies')}</Typography.Text>
            </Col>
          ) : null}
          {(policies.data?.items ?? []).map((p) => (
            <Col key={p.id} xs={24} lg={12} xxl={8}>
              <PolicyCard policy={p} counts={lineOf(p.id)?.line ?? null} onOpen={() => setOpenPolicy(p)} />
            </Col>
          ))}
        </Row>
      )}
    </Space>
  );
}

function RunLine({ run, loading }: { run: RunView | null; loading: boolean }) {
  const { t } = useTranslation();
  if (loading) return null;
  if (!run) return <Typography.Text type="secondary">{t('policiesUi.list.noRun')}</Typography.Text>;
  return (
    <Space wrap data-testid="policy-run-status">
      <Badge status={RUN_COLORS[run.status]} text={t(`policiesUi.list.runStatus.${run.status}`)} />
      <Typography.Text type="secondary">
        {t('policiesUi.list.runLine', {
          node: run.nodeName,
          asOf: run.asOf,
          residents: run.residents ?? '—',
          at: formatTime(run.finishedAt ?? run.createdAt),
        })}
      </Typography.Text>
      {run.error ? <Typography.Text type="danger">{run.error}</Typography.Text> : null}
    </Space>
  );
}

function PolicyCard({
  policy,
  counts,
  onOpen,
}: {
  policy: PolicyView;
  counts: RunPolicyView | null;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Card
      title={policy.name}
      extra={
        <Button type="link" onClick={onOpen} data-testid={`policy-open-${policy.code}`}>
          {t('policiesUi.list.open')}
        </Button>
      }
      data-testid={`policy-card-${policy.code}`}
    >
      <Row gutter={8}>
        <Col span={6}>
          <Statistic title={t('policiesUi.list.eligible')} value={counts?.eligible ?? '—'} />
        </Col>
        <Col span={6}>
          <Statistic title={t('policiesUi.list.nearMiss')} value={counts?.nearMiss ?? '—'} />
        </Col>
        <Col span={6}>
          <Statistic title={t('policiesUi.list.newlyEligible')} value={counts?.newlyEligible ?? '—'} />
        </Col>
        <Col span={6}>
          <Statistic title={t('policiesUi.list.noLongerEligible')} value={counts?.noLongerEligible ?? '—'} />
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }} ellipsis={{ rows: 2 }}>
        {t('policiesUi.list.legal')}：{policy.legalRef}
      </Typography.Paragraph>
    </Card>
  );
}

function PolicyResults({
  policy,
  found,
  canRevealPii,
  onBack,
}: {
  policy: PolicyView;
  /** The run the list comes from (null: no finished run over the area holds the policy yet). */
  found: { run: RunView; line: RunPolicyView } | null;
  canRevealPii: boolean;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [tab, setTab] = useState<ResultTab>('eligible');
  const [q, setQ] = useState('');
  const search = useDebounced(q, 300);
  const [page, setPage] = useState(1);
  const runId = found?.run.id ?? null;
  const runVersion = found?.line ?? null;
  const results = useResults(runId, {
    policyId: policy.id,
    outcome: tab,
    page,
    pageSize: 20,
    ...(search.trim() ? { q: search.trim() } : {}),
  });
  const exporter = useExportResults();
  const [askingReason, setAskingReason] = useState(false);
  const version = results.data?.policy.version ?? runVersion?.version ?? policy.version;

  const doExport = (reason: string | null) =>
    runId !== null &&
    exporter.mutate(
      { runId, policyId: policy.id, outcome: tab, reason },
      {
        onSuccess: () => void message.success(t('policiesUi.results.exportDone')),
        onError: (e) => void message.error(e.message),
      },
    );

  const counts = results.data?.policy ?? runVersion;
  const tabCount = (k: ResultTab) =>
    counts
      ? {
          eligible: counts.eligible,
          near_miss: counts.nearMiss,
          new: counts.newlyEligible,
          gone: counts.noLongerEligible,
        }[k]
      : null;

  const columns: ColumnsType<ResultRow> = [
    {
      title: t('policiesUi.results.name'),
      render: (_: unknown, r) => (
        <Space size={4}>
          {r.name}
          {r.isNew ? <Tag color="magenta">{t('policiesUi.results.isNew')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('policiesUi.results.idNumber'), dataIndex: 'idMasked' },
    { title: t('policiesUi.results.sex'), render: (_: unknown, r) => t(`sex.${r.sex}`) },
    { title: t('policiesUi.results.age'), dataIndex: 'age' },
    { title: t('policiesUi.results.place'), dataIndex: 'place', ellipsis: true },
    {
      title: t('policiesUi.results.why'),
      ellipsis: true,
      render: (_: unknown, r) => r.explanation.summary,
    },
    {
      title: t('policiesUi.results.candidate'),
      render: (_: unknown, r) =>
        r.candidate ? (
          <Tag color={CANDIDATE_COLORS[r.candidate.status]}>
            {t(`policiesUi.candidateStatus.${r.candidate.status}`)}
          </Tag>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Card
      data-testid="policy-results"
      title={
        <Space orientation="vertical" size={0}>
          <Space>
            <Typography.Text strong>{policy.name}</Typography.Text>
            <Tag>{t('policiesUi.list.version', { version })}</Tag>
            {found ? (
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {t('policiesUi.list.asOf', { asOf: found.run.asOf })}
              </Typography.Text>
            ) : null}
          </Space>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {t('policiesUi.list.legal')}：{policy.legalRef}
            {policy.legalUrl ? (
              <Typography.Link href={policy.legalUrl} target="_blank" rel="noreferrer" style={{ marginLeft: 8 }}>
                <LinkOutlined />
              </Typography.Link>
            ) : null}
          </Typography.Text>
        </Space>
      }
      extra={<Button onClick={onBack}>{t('policiesUi.list.back')}</Button>}
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          setTab(k as ResultTab);
          setPage(1);
        }}
        items={RESULT_TABS.map((k) => {
          const n = tabCount(k);
          return { key: k, label: `${t(`policiesUi.results.tabs.${k}`)}${n === null ? '' : ` ${n}`}` };
        })}
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('policiesUi.results.search')}
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setPage(1);
          }}
          style={{ width: 220 }}
        />
        <Button
          icon={<DownloadOutlined />}
          loading={exporter.isPending}
          onClick={() => doExport(null)}
          data-testid="policy-export"
        >
          {t('policiesUi.results.export')}
        </Button>
        {canRevealPii ? (
          <Button
            danger
            disabled={runId === null}
            onClick={() => setAskingReason(true)}
            data-testid="policy-export-unmasked"
          >
            {t('policiesUi.results.exportUnmasked')}
          </Button>
        ) : null}
      </Space>
      {results.isError ? (
        <Alert type="error" showIcon title={t('policiesUi.common.loadFailed', { message: results.error.message })} />
      ) : null}
      <Table<ResultRow>
        rowKey="residentId"
        size="small"
        loading={results.isFetching}
        dataSource={results.data?.items ?? []}
        columns={columns}
        expandable={{ expandedRowRender: (r) => <ExplanationView explanation={r.explanation} /> }}
        pagination={{ current: page, pageSize: 20, total: results.data?.total ?? 0, onChange: setPage }}
      />
      <UnmaskDialog
        open={askingReason}
        onCancel={() => setAskingReason(false)}
        onConfirm={(reason) => {
          setAskingReason(false);
          doExport(reason);
        }}
      />
    </Card>
  );
}

/** The reason for an unmasked export, as the reports' export asks it. */
function UnmaskDialog({
  open,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const confirm = async () => {
    const valid = await form.validateFields().catch(() => null);
    if (!valid) return;
    const reason = acceptableReason(valid.reason);
    if (reason === null) return;
    form.resetFields();
    onConfirm(reason);
  };
  return (
    <Modal
      open={open}
      title={t('policiesUi.results.unmaskTitle')}
      okText={t('policiesUi.results.unmaskOk')}
      okButtonProps={{ danger: true, 'data-testid': 'unmask-confirm' } as never}
      cancelText={t('policiesUi.common.cancel')}
      onOk={confirm}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('policiesUi.results.unmaskContent')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical">
        <ReasonField label={t('pii.exportReason')} data-testid="unmask-reason" />
      </Form>
    </Modal>
  );
}
