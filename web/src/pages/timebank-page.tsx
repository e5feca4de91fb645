import { App, Button, Card, Empty, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NewRequestDrawer, NewServiceDrawer } from '../features/timebank/timebank-forms';
import { reasonLabel, skillLabel, whenText } from '../features/timebank/timebank-labels';
import {
  hoursOf,
  type RequestStatus,
  type ServiceRecord,
  type ServiceStatus,
  type TimebankRequest,
  useCandidates,
  useTimebankAction,
  useTimebankRequests,
  useTimebankServices,
  useTimebankStats,
} from '../features/timebank/use-timebank';

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const SERVICE_COLORS: Record<ServiceStatus, string> = { pending: 'gold', confirmed: 'green', rejected: 'default' };
const REQUEST_COLORS: Record<RequestStatus, string> = {
  open: 'blue',
  matched: 'gold',
  done: 'green',
  cancelled: 'default',
};

/** 时间银行 (/volunteers/timebank): service records to confirm, requests with candidates to match, statistics. */
export function TimebankPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('timebank.title')} data-testid="timebank-page">
      <Typography.Paragraph type="secondary">{t('timebank.intro')}</Typography.Paragraph>
      <Tabs
        items={[
          { key: 'services', label: t('timebank.tabs.services'), children: <ServicesTab /> },
          { key: 'requests', label: t('timebank.tabs.requests'), children: <RequestsTab /> },
          { key: 'stats', label: t('timebank.tabs.stats'), children: <StatsTab /> },
        ]}
      />
    </Card>
  );
}

function ServicesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<ServiceStatus | undefined>('pending');
  const list = useTimebankServices(status ? { status } : {});
  const action = useTimebankAction();
  const [rejecting, setRejecting] = useState<ServiceRecord | null>(null);
  const [recording, setRecording] = useState(false);
  const [reason, setReason] = useState('');
  const run = (path: string, body: unknown, done: string) =>
    action.mutate(
      { path, body },
      { onSuccess: () => message.success(done), onError: (e) => message.error(errorText(e)) },
    );
  const columns: ColumnsType<ServiceRecord> = [
    { title: t('timebank.servedAt'), dataIndex: 'servedAt', render: (v: string) => whenText(v) },
    { title: t('timebank.volunteer'), dataIndex: 'volunteerName' },
    { title: t('timebank.recipient'), dataIndex: 'recipientName' },
    { title: t('timebank.serviceType'), dataIndex: 'serviceType', render: (v: string) => skillLabel(v) },
    {
      title: t('timebank.duration'),
      dataIndex: 'minutes',
      render: (m: number) => t('timebank.minutes', { minutes: m }),
    },
    {
      title: t('timebank.payer'),
      dataIndex: 'payer',
      render: (p: 'community' | 'requester') => t(`timebank.payers.${p}`),
    },
    {
      title: t('timebank.status'),
      dataIndex: 'status',
      render: (s: ServiceStatus, r) => (
        <Space direction="vertical" size={0}>
          <Tag color={SERVICE_COLORS[s]}>{t(`timebank.serviceStatus.${s}`)}</Tag>
          {r.rejectReason ? <Typography.Text type="secondary">{r.rejectReason}</Typography.Text> : null}
        </Space>
      ),
    },
    {
      title: '',
      key: 'actions',
      render: (_, r) =>
        r.status === 'pending' ? (
          <Space>
            <Button
              size="small"
              type="primary"
              data-testid={`timebank-confirm-${r.id}`}
              loading={action.isPending}
              onClick={() => run(`/api/timebank/services/${r.id}/confirm`, undefined, t('timebank.confirmed'))}
            >
              {t('timebank.confirm')}
            </Button>
            <Button size="small" danger onClick={() => setRejecting(r)}>
              {t('timebank.reject')}
            </Button>
          </Space>
        ) : null,
    },
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 160 }}
          value={status ?? 'all'}
          onChange={(v) => setStatus(v === 'all' ? undefined : (v as ServiceStatus))}
          options={[
            { value: 'all', label: t('timebank.all') },
            ...(['pending', 'confirmed', 'rejected'] as const).map((s) => ({
              value: s,
              label: t(`timebank.serviceStatus.${s}`),
            })),
          ]}
        />
        <Button type="primary" data-testid="timebank-new-service-open" onClick={() => setRecording(true)}>
          {t('timebank.newService')}
        </Button>
      </Space>
      <NewServiceDrawer open={recording} onClose={() => setRecording(false)} />
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('timebank.empty')} /> }}
      />
      <Modal
        open={rejecting !== null}
        title={t('timebank.rejectReason')}
        onCancel={() => setRejecting(null)}
        okButtonProps={{ disabled: reason.trim().length === 0, danger: true }}
        okText={t('timebank.reject')}
        onOk={() => {
          if (rejecting)
            run(`/api/timebank/services/${rejecting.id}/reject`, { reason: reason.trim() }, t('timebank.rejected'));
          setRejecting(null);
          setReason('');
        }}
      >
        <Input.TextArea
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('timebank.rejectReasonRequired')}
        />
      </Modal>
    </>
  );
}

function RequestsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<RequestStatus | undefined>('open');
  const list = useTimebankRequests(status ? { status } : {});
  const [matching, setMatching] = useState<TimebankRequest | null>(null);
  const [filing, setFiling] = useState(false);
  const action = useTimebankAction();
  const columns: ColumnsType<TimebankRequest> = [
    { title: t('timebank.wantedAt'), dataIndex: 'wantedAt', render: (v: string) => whenText(v) },
    { title: t('timebank.beneficiary'), dataIndex: 'beneficiaryName' },
    { title: t('timebank.serviceType'), dataIndex: 'serviceType', render: (v: string) => skillLabel(v) },
    {
      title: t('timebank.duration'),
      dataIndex: 'minutes',
      render: (m: number) => t('timebank.minutes', { minutes: m }),
    },
    { title: t('timebank.place'), dataIndex: 'place' },
    {
      title: t('timebank.payer'),
      dataIndex: 'payFrom',
      render: (p: 'community' | 'requester') => t(`timebank.payers.${p}`),
    },
    {
      title: t('timebank.status'),
      dataIndex: 'status',
      render: (s: RequestStatus, r) => (
        <Space>
          <Tag color={REQUEST_COLORS[s]}>{t(`timebank.requestStatus.${s}`)}</Tag>
          {r.volunteerName ?? null}
        </Space>
      ),
    },
    {
      title: '',
      key: 'actions',
      render: (_, r) =>
        r.status === 'open' || r.status === 'matched' ? (
          <Space>
            <Button
              size="small"
              type="primary"
              data-testid={`timebank-candidates-${r.id}`}
              onClick={() => setMatching(r)}
            >
              {t('timebank.candidates')}
            </Button>
            <Button
              size="small"
              onClick={() =>
                action.mutate(
                  { path: `/api/timebank/requests/${r.id}/cancel` },
                  {
                    onSuccess: () => message.success(t('timebank.cancelled')),
                    onError: (e) => message.error(errorText(e)),
                  },
                )
              }
            >
              {t('timebank.cancel')}
            </Button>
          </Space>
        ) : null,
    },
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 160 }}
          value={status ?? 'all'}
          onChange={(v) => setStatus(v === 'all' ? undefined : (v as RequestStatus))}
          options={[
            { value: 'all', label: t('timebank.all') },
            ...(['open', 'matched', 'done', 'cancelled'] as const).map((s) => ({
              value: s,
              label: t(`timebank.requestStatus.${s}`),
            })),
          ]}
        />
        <Button type="primary" data-testid="timebank-new-request-open" onClick={() => setFiling(true)}>
          {t('timebank.newRequest')}
        </Button>
      </Space>
      <NewRequestDrawer open={filing} onClose={() => setFiling(false)} />
      <Table
        rowKey="id"
        size="small"
        loading={list.isLoading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('timebank.empty')} /> }}
      />
      <Modal
        open={matching !== null}
        title={t('timebank.candidates')}
        footer={null}
        onCancel={() => setMatching(null)}
        width={720}
      >
        {matching ? <Candidates request={matching} onDone={() => setMatching(null)} /> : null}
      </Modal>
    </>
  );
}

function Candidates({ request, onDone }: { request: TimebankRequest; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useCandidates(request.id);
  const action = useTimebankAction();
  return (
    <Table
      rowKey="residentId"
      size="small"
      loading={list.isLoading}
      pagination={false}
      dataSource={list.data?.items ?? []}
      locale={{ emptyText: <Empty description={t('timebank.noCandidates')} /> }}
      columns={[
        { title: t('timebank.rank'), dataIndex: 'rank', width: 60 },
        { title: t('timebank.volunteer'), dataIndex: 'name' },
        {
          title: '',
          key: 'reasons',
          render: (_, c) => (
            <Space wrap size={4}>
              {c.reasons.map((r) => (
                <Tag key={`${r.code}-${r.place ?? ''}`} color={r.code === 'recent_no_shows' ? 'red' : undefined}>
                  {reasonLabel(r)}
                </Tag>
              ))}
            </Space>
          ),
        },
        {
          title: '',
          key: 'match',
          render: (_, c) => (
            <Button
              size="small"
              type="primary"
              data-testid={`timebank-match-${c.residentId}`}
              disabled={request.volunteerResidentId === c.residentId}
              onClick={() =>
                action.mutate(
                  { path: `/api/timebank/requests/${request.id}/match`, body: { volunteerResidentId: c.residentId } },
                  {
                    onSuccess: () => {
                      message.success(t('timebank.matched'));
                      onDone();
                    },
                    onError: (e) => message.error(errorText(e)),
                  },
                )
              }
            >
              {t('timebank.match')}
            </Button>
          ),
        },
      ]}
    />
  );
}

function StatsTab() {
  const { t } = useTranslation();
  const stats = useTimebankStats();
  const data = stats.data;
  if (!data) return <Table loading />;
  if (data.communities.length === 0) return <Empty description={t('timebank.stats.empty')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Table
        rowKey="nodeId"
        size="small"
        pagination={false}
        dataSource={data.communities}
        columns={[
          { title: t('timebank.stats.community'), dataIndex: 'name' },
          { title: t('timebank.stats.deposited'), dataIndex: 'depositedMinutes', render: (m: number) => hoursOf(m) },
          { title: t('timebank.stats.withdrawn'), dataIndex: 'withdrawnMinutes', render: (m: number) => hoursOf(m) },
          { title: t('timebank.stats.services'), dataIndex: 'services' },
          { title: t('timebank.stats.openRequests'), dataIndex: 'openRequests' },
        ]}
      />
      <Typography.Title level={5}>{t('timebank.stats.topVolunteers')}</Typography.Title>
      <Table
        rowKey="residentId"
        size="small"
        pagination={false}
        dataSource={data.topVolunteers}
        columns={[
          { title: t('timebank.volunteer'), dataIndex: 'name' },
          { title: t('timebank.stats.deposited'), dataIndex: 'minutes', render: (m: number) => hoursOf(m) },
          { title: t('timebank.stats.services'), dataIndex: 'services' },
        ]}
      />
    </Space>
  );
}
