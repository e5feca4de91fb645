import { PrinterOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { formatTime } from '../../../ui/time';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { CANDIDATE_STATUSES, type CandidateDetail, type CandidateStatus, type CandidateView } from '../policy-types';
import { type CandidateAction, useCandidate, useCandidateAction, useCandidates, usePolicies } from '../use-policies';
import { actionsFor, CANDIDATE_COLORS } from '../utils/candidates';
import { ExplanationView } from './explanation-view';
import { PrintView } from './print-view';

/** 政策待办 (/policies/candidates): candidates in scope with filters, and a drawer per candidate (`?id=`). */
export function CandidatesView({ canConfirm }: { canConfirm: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [status, setStatus] = useState<CandidateStatus | undefined>('pending');
  const [policyId, setPolicyId] = useState<number | undefined>();
  const [nodeId, setNodeId] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const candidates = useCandidates({
    ...(status ? { status } : {}),
    ...(policyId ? { policyId } : {}),
    ...(nodeId ? { nodeId } : {}),
    page,
    pageSize: 20,
  });
  const policies = usePolicies();
  const openId = Number(params.get('id')) || null;
  const open = (id: number | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (id === null) next.delete('id');
        else next.set('id', String(id));
        return next;
      },
      { replace: true },
    );

  const columns: ColumnsType<CandidateView> = [
    {
      title: t('policiesUi.candidates.person'),
      render: (_: unknown, c) => (
        <Space orientation="vertical" size={0}>
          <Typography.Link onClick={() => open(c.id)} data-testid={`candidate-${c.id}`}>
            {c.name}
          </Typography.Link>
          <Typography.Text type="secondary">
            {t(`sex.${c.sex}`)} · {c.age} · {c.idMasked}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('policiesUi.candidates.policy'), dataIndex: 'policyName' },
    { title: t('policiesUi.results.place'), dataIndex: 'place', ellipsis: true },
    {
      title: t('policiesUi.candidates.status'),
      render: (_: unknown, c) => (
        <Tag color={CANDIDATE_COLORS[c.status]}>{t(`policiesUi.candidateStatus.${c.status}`)}</Tag>
      ),
    },
    { title: t('policiesUi.candidates.foundAt'), render: (_: unknown, c) => formatTime(c.foundAt) },
    { title: t('policiesUi.candidates.dueAt'), render: (_: unknown, c) => formatTime(c.dueAt) || '—' },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('policiesUi.candidates.title')}
      </Typography.Title>
      <Space wrap>
        <Select<CandidateStatus | 'all'>
          style={{ width: 150 }}
          value={status ?? 'all'}
          aria-label={t('policiesUi.candidates.status')}
          onChange={(v) => {
            setStatus(v === 'all' ? undefined : v);
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('policiesUi.candidates.allStatuses') },
            ...CANDIDATE_STATUSES.map((s) => ({ value: s, label: t(`policiesUi.candidateStatus.${s}`) })),
          ]}
        />
        <Select<number | 'all'>
          style={{ width: 200 }}
          value={policyId ?? 'all'}
          aria-label={t('policiesUi.candidates.policy')}
          onChange={(v) => {
            setPolicyId(v === 'all' ? undefined : v);
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('policiesUi.candidates.allPolicies') },
            ...(policies.data?.items ?? []).map((p) => ({ value: p.id, label: p.name })),
          ]}
        />
        <NodeSearchSelect
          value={nodeId}
          allowClear
          style={{ width: 240 }}
          placeholder={t('policiesUi.candidates.node')}
          onChange={(v) => {
            setNodeId(v);
            setPage(1);
          }}
        />
      </Space>
      {candidates.isError ? (
        <Alert type="error" showIcon title={t('policiesUi.common.loadFailed', { message: candidates.error.message })} />
      ) : null}
      <Table<CandidateView>
        rowKey="id"
        loading={candidates.isLoading}
        dataSource={candidates.data?.items ?? []}
        columns={columns}
        locale={{ emptyText: t('policiesUi.candidates.empty') }}
        pagination={{ current: page, pageSize: 20, total: candidates.data?.total ?? 0, onChange: setPage }}
      />
      <Drawer
        open={openId !== null}
        size={640}
        title={t('policiesUi.candidates.detail')}
        onClose={() => open(null)}
        destroyOnHidden
      >
        {openId !== null ? <CandidateDetailView id={openId} canConfirm={canConfirm} /> : null}
      </Drawer>
    </Space>
  );
}

export function CandidateDetailView({ id, canConfirm }: { id: number; canConfirm: boolean }) {
  const { t } = useTranslation();
  const candidate = useCandidate(id);
  const [printing, setPrinting] = useState(false);
  if (candidate.isLoading) return <Spin />;
  if (candidate.isError || !candidate.data) {
    return <Alert type="error" showIcon title={candidate.error?.message ?? t('policiesUi.candidates.notFound')} />;
  }
  const c = candidate.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="candidate-detail">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('policiesUi.candidates.person')}>
          {c.name}（{t(`sex.${c.sex}`)}，{c.age}）{c.idMasked}
        </Descriptions.Item>
        <Descriptions.Item label={t('policiesUi.results.place')}>{c.place}</Descriptions.Item>
        <Descriptions.Item label={t('policiesUi.candidates.policy')}>{c.policyName}</Descriptions.Item>
        <Descriptions.Item label={t('policiesUi.candidates.legalRef')}>{c.legalRef}</Descriptions.Item>
        {c.handledBy ? (
          <Descriptions.Item label={t('policiesUi.candidates.handledBy')}>{c.handledBy}</Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('policiesUi.candidates.status')}>
          <Tag color={CANDIDATE_COLORS[c.status]}>{t(`policiesUi.candidateStatus.${c.status}`)}</Tag>
          {c.decidedAt
            ? t('policiesUi.candidates.decidedBy', { name: c.decidedByName ?? '—', at: formatTime(c.decidedAt) })
            : null}
          {c.reason ? <Typography.Text type="secondary">（{c.reason}）</Typography.Text> : null}
        </Descriptions.Item>
      </Descriptions>
      <div>
        <Typography.Title level={5}>{t('policiesUi.candidates.explanation')}</Typography.Title>
        <ExplanationView explanation={c.explanation} />
      </div>
      <div>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('policiesUi.candidates.residentText')}
          </Typography.Title>
          <Button icon={<PrinterOutlined />} onClick={() => setPrinting(true)} data-testid="candidate-print">
            {t('policiesUi.candidates.print')}
          </Button>
        </Space>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }} data-testid="resident-text">
          {c.residentText}
        </Typography.Paragraph>
      </div>
      {canConfirm ? <CandidateActions candidate={c} /> : null}
      <div>
        <Typography.Title level={5}>{t('policiesUi.candidates.history')}</Typography.Title>
        <Timeline
          items={c.history.map((h) => ({
            content: (
              <Space orientation="vertical" size={0}>
                <Typography.Text>
                  {formatTime(h.at)} {h.actorName ?? ''} {h.action}
                </Typography.Text>
                {h.reason ? <Typography.Text type="secondary">{h.reason}</Typography.Text> : null}
              </Space>
            ),
          }))}
        />
      </div>
      {printing ? (
        <PrintView
          title={`${c.policyName} · ${t('policiesUi.candidates.residentText')}`}
          lines={[
            `${c.name}：`,
            c.residentText,
            `${t('policiesUi.candidates.legalRef')}：${c.legalRef}`,
            ...(c.handledBy ? [`${t('policiesUi.candidates.handledBy')}：${c.handledBy}`] : []),
          ]}
          onDone={() => setPrinting(false)}
        />
      ) : null}
    </Space>
  );
}

type ActionForm = { reason?: string; since?: Dayjs; note?: string };

/** 核实符合 / 不符合 (reason) / 已享受 (date) / 终止 (reason), as the candidate's status allows. */
export function CandidateActions({ candidate }: { candidate: CandidateDetail | CandidateView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const act = useCandidateAction();
  const [asking, setAsking] = useState<CandidateAction | null>(null);
  const [form] = Form.useForm<ActionForm>();
  const actions = actionsFor(candidate.status);
  if (actions.length === 0) return null;

  const run = (action: CandidateAction, v: ActionForm) => {
    const base = { id: candidate.id, version: candidate.version };
    const input =
      action === 'confirm'
        ? { ...base, action, ...(v.note ? { note: v.note } : {}) }
        : action === 'receiving'
          ? { ...base, action, since: (v.since as Dayjs).format('YYYY-MM-DD') }
          : { ...base, action, reason: v.reason ?? '' };
    act.mutate(input, {
      onSuccess: () => {
        void message.success(t('policiesUi.candidates.done'));
        setAsking(null);
        form.resetFields();
      },
      onError: (e) => void message.error(e.message),
    });
  };

  return (
    <>
      <Space wrap data-testid="candidate-actions">
        {actions.map((a) => (
          <Button
            key={a}
            type={a === 'confirm' ? 'primary' : 'default'}
            danger={a === 'reject' || a === 'end'}
            onClick={() => setAsking(a)}
            data-testid={`candidate-${a}`}
          >
            {t(`policiesUi.candidates.${a}`)}
          </Button>
        ))}
      </Space>
      <Modal
        open={asking !== null}
        title={asking ? t(`policiesUi.candidates.${asking}`) : ''}
        okText={t('policiesUi.common.save')}
        cancelText={t('policiesUi.common.cancel')}
        confirmLoading={act.isPending}
        okButtonProps={{ 'data-testid': 'candidate-action-ok' } as never}
        onCancel={() => setAsking(null)}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null);
          if (v && asking) run(asking, v);
        }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {asking === 'reject' || asking === 'end' ? (
            <Form.Item
              name="reason"
              label={t('policiesUi.candidates.reason')}
              rules={[{ required: true, whitespace: true, message: t('policiesUi.candidates.reasonRequired') }]}
            >
              <Input.TextArea rows={3} maxLength={500} data-testid="candidate-reason" />
            </Form.Item>
          ) : null}
          {asking === 'receiving' ? (
            <Form.Item
              name="since"
              label={t('policiesUi.candidates.since')}
              rules={[{ required: true, message: t('policiesUi.candidates.sinceRequired') }]}
            >
              <DatePicker data-testid="candidate-since" />
            </Form.Item>
          ) : null}
          {asking === 'confirm' ? (
            <Form.Item name="note" label={t('policiesUi.candidates.note')}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}
