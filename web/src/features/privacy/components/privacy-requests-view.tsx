import { App, Button, Descriptions, Drawer, Form, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrivacyRequestDetail, PrivacyRequestListQuery, PrivacyRequestSummary } from '../../../api-types';
import { formatTime as formatDateTime } from '../../../ui/time';
import { useDecidePrivacyRequest, usePrivacyRequest, usePrivacyRequests } from '../use-privacy';
import { fieldKey } from '../utils';

const STATUS_COLORS = { pending: 'orange', accepted: 'green', rejected: 'default' } as const;
const GROUNDS = ['registration_required', 'statutory_duty', 'others_depend', 'not_held', 'other'] as const;

/** 个人信息申请: the area's requests, pending first by deadline, with the overdue ones marked; a request opens aside. */
export function PrivacyRequestsView({
  openId,
  onOpen,
}: {
  openId: number | null;
  onOpen: (id: number | null) => void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState<PrivacyRequestListQuery>({ status: 'pending', page: 1, pageSize: 20 });
  const list = usePrivacyRequests(query);
  const set = (patch: Partial<PrivacyRequestListQuery>) => setQuery((q) => ({ ...q, page: 1, ...patch }));
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('privacyUi.statusLabel')}
          style={{ width: 140 }}
          value={query.status ?? 'all'}
          onChange={(v: string) => set({ status: v === 'all' ? undefined : (v as PrivacyRequestListQuery['status']) })}
          options={[
            { value: 'all', label: t('privacyUi.filter.all') },
            ...(['pending', 'accepted', 'rejected'] as const).map((s) => ({
              value: s,
              label: t(`privacyUi.status.${s}`),
            })),
          ]}
          data-testid="privacy-status-filter"
        />
        <Select
          aria-label={t('privacyUi.kindLabel')}
          style={{ width: 160 }}
          value={query.kind ?? 'all'}
          onChange={(v: string) => set({ kind: v === 'all' ? undefined : (v as PrivacyRequestListQuery['kind']) })}
          options={[
            { value: 'all', label: t('privacyUi.filter.all') },
            ...(['correction', 'deletion'] as const).map((k) => ({ value: k, label: t(`privacyUi.kind.${k}`) })),
          ]}
        />
        <Space>
          <Switch
            checked={query.overdue === true}
            onChange={(on) => set({ overdue: on ? true : undefined })}
            data-testid="privacy-overdue-filter"
          />
          {t('privacyUi.filter.overdue')}
        </Space>
        <Typography.Text type="secondary">{t('privacyUi.deadlineNote')}</Typography.Text>
      </Space>
      <Table<PrivacyRequestSummary>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('privacyUi.empty') }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: list.data?.total ?? 0,
          onChange: (page, pageSize) => setQuery((q) => ({ ...q, page, pageSize })),
        }}
        onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('privacyUi.resident'), dataIndex: 'residentName' },
          { title: t('privacyUi.place'), dataIndex: 'place' },
          {
            title: t('privacyUi.kindLabel'),
            dataIndex: 'kind',
            render: (k: PrivacyRequestSummary['kind']) => t(`privacyUi.kind.${k}`),
          },
          {
            title: t('privacyUi.changes'),
            render: (_, r) =>
              r.changes
                .map((c) => `${t(fieldKey(c.field))}${r.kind === 'correction' ? `：${c.value ?? '—'}` : ''}`)
                .join('；') || '—',
          },
          {
            title: t('privacyUi.statusLabel'),
            dataIndex: 'status',
            render: (s: PrivacyRequestSummary['status']) => (
              <Tag color={STATUS_COLORS[s]}>{t(`privacyUi.status.${s}`)}</Tag>
            ),
          },
          {
            title: t('privacyUi.dueAt'),
            dataIndex: 'dueAt',
            render: (d: string, r) => (
              <Space>
                {formatDateTime(d)}
                {r.overdue ? <Tag color="red">{t('privacyUi.overdue')}</Tag> : null}
              </Space>
            ),
          },
          { title: t('privacyUi.createdAt'), dataIndex: 'createdAt', render: (d: string) => formatDateTime(d) },
        ]}
      />
      <Drawer
        open={openId !== null}
        width={560}
        title={t('privacyUi.detail')}
        onClose={() => onOpen(null)}
        destroyOnHidden
      >
        {openId !== null ? <PrivacyRequestDetailView id={openId} /> : null}
      </Drawer>
    </>
  );
}

export function PrivacyRequestDetailView({ id }: { id: number }) {
  const { t } = useTranslation();
  const one = usePrivacyRequest(id);
  if (one.isLoading) return null;
  if (one.isError || !one.data)
    return <Typography.Text type="danger">{one.error?.message ?? t('privacyUi.notFound')}</Typography.Text>;
  const r = one.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="privacy-request-detail">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('privacyUi.resident')}>{r.residentName}</Descriptions.Item>
        <Descriptions.Item label={t('privacyUi.place')}>{r.place}</Descriptions.Item>
        <Descriptions.Item label={t('privacyUi.kindLabel')}>{t(`privacyUi.kind.${r.kind}`)}</Descriptions.Item>
        {r.purpose ? <Descriptions.Item label={t('privacyUi.purpose')}>{r.purpose}</Descriptions.Item> : null}
        <Descriptions.Item label={t('privacyUi.statusLabel')}>
          <Tag color={STATUS_COLORS[r.status]}>{t(`privacyUi.status.${r.status}`)}</Tag>
          {r.overdue ? <Tag color="red">{t('privacyUi.overdue')}</Tag> : null}
        </Descriptions.Item>
        <Descriptions.Item label={t('privacyUi.dueAt')}>{formatDateTime(r.dueAt)}</Descriptions.Item>
        <Descriptions.Item label={t('privacyUi.requester')}>{r.requester}</Descriptions.Item>
        <Descriptions.Item label={t('privacyUi.explanation')}>{r.explanation}</Descriptions.Item>
      </Descriptions>
      <ChangesTable request={r} />
      {r.status === 'pending' ? (
        <DecisionForm request={r} />
      ) : (
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('privacyUi.decidedBy')}>{r.decidedBy ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('privacyUi.decidedAt')}>
            {r.decidedAt ? formatDateTime(r.decidedAt) : '—'}
          </Descriptions.Item>
          {r.legalGroundText ? (
            <Descriptions.Item label={t('privacyUi.legalGround')}>{r.legalGroundText}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('privacyUi.note')}>{r.decisionNote ?? '—'}</Descriptions.Item>
        </Descriptions>
      )}
    </Space>
  );
}

function ChangesTable({ request: r }: { request: PrivacyRequestDetail }) {
  const { t } = useTranslation();
  const rows = [
    ...r.changes.map((c) => ({
      key: `f:${c.field}`,
      field: t(fieldKey(c.field)),
      current: (r.before ?? r.current)[c.field] ?? '—',
      proposed: r.kind === 'deletion' ? t('privacyUi.delete') : (c.value ?? '—'),
    })),
    ...r.tags.map((tag) => ({
      key: `t:${tag.id}`,
      field: t('privacyUi.sections.tags'),
      current: tag.held ? tag.name : '—',
      proposed: t('privacyUi.delete'),
    })),
  ];
  if (rows.length === 0) return null;
  return (
    <Table
      size="small"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: t('privacyUi.changes'), dataIndex: 'field' },
        { title: r.before ? t('privacyUi.before') : t('privacyUi.current'), dataIndex: 'current' },
        { title: t('privacyUi.proposed'), dataIndex: 'proposed' },
      ]}
    />
  );
}

function DecisionForm({ request }: { request: PrivacyRequestDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const decide = useDecidePrivacyRequest();
  const [form] = Form.useForm<{ legalGround?: (typeof GROUNDS)[number]; note?: string }>();
  const submit = async (decision: 'accept' | 'reject') => {
    const v = form.getFieldsValue();
    try {
      await decide.mutateAsync({
        id: request.id,
        decision,
        ...(v.legalGround && decision === 'reject' ? { legalGround: v.legalGround } : {}),
        ...(v.note ? { note: v.note } : {}),
      });
      message.success(t('privacyUi.decided'));
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Form form={form} layout="vertical" data-testid="privacy-decision">
      <Form.Item name="legalGround" label={t('privacyUi.legalGround')}>
        <Select
          allowClear
          options={GROUNDS.map((g) => ({ value: g, label: t(`privacyUi.grounds.${g}`) }))}
          data-testid="privacy-ground"
        />
      </Form.Item>
      <Form.Item name="note" label={t('privacyUi.note')}>
        <Input.TextArea rows={3} maxLength={500} data-testid="privacy-note" />
      </Form.Item>
      <Space>
        <Button
          type="primary"
          loading={decide.isPending}
          onClick={() => void submit('accept')}
          data-testid="privacy-accept"
        >
          {t('privacyUi.accept')}
        </Button>
        <Button danger loading={decide.isPending} onClick={() => void submit('reject')} data-testid="privacy-reject">
          {t('privacyUi.reject')}
        </Button>
      </Space>
    </Form>
  );
}
