import {
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Segmented,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MoveInFact, MoveInQuery, MoveInRequest } from '../../../api-types';
import { reasonRule } from '../../../ui/reason-field';
import { formatTime } from '../../../ui/time';
import { useDecideMoveIn, useMoveIns } from '../hooks/use-people';

type Box = NonNullable<MoveInQuery['box']>;
type StatusFilter = NonNullable<MoveInQuery['status']> | 'all';

const STATUS_COLOR = { pending: 'processing', accepted: 'success', declined: 'default' } as const;
const FACTS: MoveInFact[] = ['name', 'phone', 'ethnicity', 'hukouAddress', 'currentAddress'];

function StatusTag({ status }: { status: MoveInRequest['status'] }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`moveIns.status.${status}`)}</Tag>;
}

/** The facts the requester typed that the holder may adopt (only those filled in). */
function submittedFacts(r: MoveInRequest): { fact: MoveInFact; value: string }[] {
  const review = r.review;
  if (!review) return [];
  const values: Record<MoveInFact, string | null> = {
    name: r.name,
    phone: review.phoneMasked,
    ethnicity: review.ethnicity,
    hukouAddress: review.hukouAddress,
    currentAddress: review.currentAddress,
  };
  return FACTS.flatMap((fact) => (values[fact] ? [{ fact, value: values[fact] as string }] : []));
}

function AcceptDialog({ request, onClose }: { request: MoveInRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const decide = useDecideMoveIn();
  const [adopt, setAdopt] = useState<MoveInFact[]>([]);
  const [note, setNote] = useState('');
  const facts = submittedFacts(request);
  const factLabel = (fact: MoveInFact) => (fact === 'name' ? t('people.name') : t(`moveIns.${fact}`));
  const submit = () =>
    decide.mutate(
      { id: request.id, accept: { adopt, ...(note.trim() ? { note: note.trim() } : {}) } },
      {
        onSuccess: () => {
          message.success(t('moveIns.accepted'));
          onClose();
        },
        onError: (error) => message.error(error.message),
      },
    );
  return (
    <Modal
      open
      title={t('moveIns.acceptTitle', { name: request.review?.resident.name ?? request.name })}
      okText={t('moveIns.accept')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={decide.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('moveIns.acceptHelp', { place: request.destPlace })}</Typography.Paragraph>
      {facts.length > 0 ? (
        <Form layout="vertical">
          <Form.Item label={t('moveIns.adopt')}>
            <Checkbox.Group
              value={adopt}
              onChange={(v) => setAdopt(v as MoveInFact[])}
              options={facts.map(({ fact, value }) => ({ value: fact, label: `${factLabel(fact)}：${value}` }))}
              style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
            />
          </Form.Item>
          <Form.Item label={t('moveIns.note')}>
            <Input maxLength={200} value={note} onChange={(e) => setNote(e.target.value)} />
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}

function DeclineDialog({ request, onClose }: { request: MoveInRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const decide = useDecideMoveIn();
  const [form] = Form.useForm<{ reason: string }>();
  const submit = async () => {
    const { reason } = await form.validateFields();
    decide.mutate(
      { id: request.id, decline: { reason: reason.trim() } },
      {
        onSuccess: () => {
          message.success(t('moveIns.declined'));
          onClose();
        },
        onError: (error) => message.error(error.message),
      },
    );
  };
  return (
    <Modal
      open
      title={t('moveIns.declineTitle')}
      okText={t('moveIns.decline')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={decide.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('moveIns.declineReason')}
          extra={t('moveIns.declineReasonHelp')}
          rules={[reasonRule(t('pii.reasonTooShort'))]}
        >
          <Input.TextArea maxLength={200} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RequestsTable({ box }: { box: Box }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StatusFilter>(box === 'incoming' ? 'pending' : 'all');
  const [page, setPage] = useState(1);
  const [dialog, setDialog] = useState<{ kind: 'accept' | 'decline'; request: MoveInRequest } | null>(null);
  const query: MoveInQuery = { box, page, pageSize: 20, ...(status === 'all' ? {} : { status }) };
  const list = useMoveIns(query);
  const incoming = box === 'incoming';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Segmented<StatusFilter>
        value={status}
        onChange={(v) => {
          setStatus(v);
          setPage(1);
        }}
        options={(['pending', 'accepted', 'declined', 'all'] as const).map((s) => ({
          value: s,
          label: s === 'all' ? t('moveIns.all') : t(`moveIns.status.${s}`),
        }))}
      />
      <Table<MoveInRequest>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('moveIns.empty') }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
        scroll={{ x: incoming ? 1380 : 900 }}
        data-testid={`move-ins-${box}`}
        expandable={
          incoming
            ? {
                expandedRowRender: (r) =>
                  r.review ? (
                    <Descriptions size="small" column={2}>
                      <Descriptions.Item label={t('moveIns.phone')}>{r.review.phoneMasked ?? '—'}</Descriptions.Item>
                      <Descriptions.Item label={t('moveIns.ethnicity')}>{r.review.ethnicity ?? '—'}</Descriptions.Item>
                      <Descriptions.Item label={t('moveIns.hukouAddress')}>
                        {r.review.hukouAddress ?? '—'}
                      </Descriptions.Item>
                      <Descriptions.Item label={t('moveIns.currentAddress')}>
                        {r.review.currentAddress ?? '—'}
                      </Descriptions.Item>
                      <Descriptions.Item label={t('moveIns.movedInOn')}>{r.review.movedInOn ?? '—'}</Descriptions.Item>
                      {r.review.declineReason ? (
                        <Descriptions.Item label={t('moveIns.declineReason')}>
                          {r.review.declineReason}
                        </Descriptions.Item>
                      ) : null}
                    </Descriptions>
                  ) : null,
              }
            : undefined
        }
        columns={[
          { title: t('moveIns.name'), dataIndex: 'name', width: 110 },
          ...(incoming
            ? [
                {
                  title: t('moveIns.stored'),
                  key: 'stored',
                  width: 300,
                  render: (_: unknown, r: MoveInRequest) =>
                    r.review
                      ? `${r.review.resident.name}（${r.review.resident.idMasked}）${r.review.resident.place}`
                      : '',
                },
                {
                  title: t('moveIns.requester'),
                  key: 'requester',
                  width: 90,
                  render: (_: unknown, r: MoveInRequest) => r.review?.requesterName,
                },
              ]
            : []),
          {
            title: t('moveIns.destination'),
            key: 'dest',
            width: 260,
            render: (_: unknown, r: MoveInRequest) => [r.destPlace, r.roomNo].filter(Boolean).join(' '),
          },
          {
            title: t('moveIns.source'),
            dataIndex: 'source',
            width: 90,
            render: (s: MoveInRequest['source']) =>
              s === 'import' ? t('moveIns.sourceImport') : t('moveIns.sourceApi'),
          },
          { title: t('moveIns.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatTime(v) },
          {
            title: t('moveIns.statusLabel'),
            dataIndex: 'status',
            width: 100,
            render: (s: MoveInRequest['status']) => <StatusTag status={s} />,
          },
          {
            title: t('moveIns.decidedAt'),
            dataIndex: 'decidedAt',
            width: 160,
            render: (v: string | null) => (v ? formatTime(v) : '—'),
          },
          ...(incoming
            ? [
                {
                  title: '',
                  key: 'actions',
                  width: 160,
                  fixed: 'right' as const,
                  render: (_: unknown, r: MoveInRequest) =>
                    r.status === 'pending' ? (
                      <Space>
                        <Button size="small" type="primary" onClick={() => setDialog({ kind: 'accept', request: r })}>
                          {t('moveIns.accept')}
                        </Button>
                        <Button size="small" danger onClick={() => setDialog({ kind: 'decline', request: r })}>
                          {t('moveIns.decline')}
                        </Button>
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {dialog?.kind === 'accept' ? <AcceptDialog request={dialog.request} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'decline' ? <DeclineDialog request={dialog.request} onClose={() => setDialog(null)} /> : null}
    </Space>
  );
}

/** 迁入申请: 待我审核 (people the caller's community holds) and 我提交的 (the caller's own, status only). */
export function MoveInRequests() {
  const { t } = useTranslation();
  return (
    <Card title={t('moveIns.title')}>
      <Typography.Paragraph type="secondary">{t('moveIns.intro')}</Typography.Paragraph>
      <Tabs
        items={[
          { key: 'incoming', label: t('moveIns.incoming'), children: <RequestsTable box="incoming" /> },
          { key: 'outgoing', label: t('moveIns.outgoing'), children: <RequestsTable box="outgoing" /> },
        ]}
      />
    </Card>
  );
}
