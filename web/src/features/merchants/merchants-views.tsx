import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../ui/api';
import { NodeSearchSelect } from '../org/components/node-search-select';
import {
  type Goods,
  lastMonth,
  type Merchant,
  type MerchantStatus,
  type RedemptionRow,
  type Settlement,
  yuan,
} from './merchant-types';
import {
  useCreateGoods,
  useCreateMerchant,
  useExportSettlement,
  useMarkPaid,
  useMemberChange,
  useMerchant,
  useMerchantGoods,
  useMerchantRedemptions,
  useMerchantSettlements,
  useMerchants,
  useSettle,
  useUpdateGoods,
  useUpdateMerchant,
} from './use-merchants';

const STATUS_COLOR: Record<MerchantStatus, string> = { active: 'green', suspended: 'orange', closed: 'default' };
const time = (iso: string) => new Date(iso).toLocaleString();
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function MerchantStatusTag({ status }: { status: MerchantStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`merchants.status.${status}`)}</Tag>;
}

/** 兑换商户: the area's merchants; a manager adds one. */
export function MerchantsList({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [status, setStatus] = useState<MerchantStatus | undefined>();
  const [q, setQ] = useState('');
  const [adding, setAdding] = useState(false);
  const list = useMerchants({ ...(status ? { status } : {}), ...(q ? { q } : {}) });
  const columns: ColumnsType<Merchant> = [
    { title: t('merchants.name'), dataIndex: 'name', key: 'name' },
    { title: t('merchants.community'), dataIndex: 'communityName', key: 'community' },
    {
      title: t('merchants.contact'),
      key: 'contact',
      render: (_, m) => [m.contactName, m.phone].filter(Boolean).join(' ') || '—',
    },
    { title: t('merchants.statusLabel'), key: 'status', render: (_, m) => <MerchantStatusTag status={m.status} /> },
    { title: t('merchants.goodsCount'), dataIndex: 'goods', key: 'goods', align: 'right' },
    { title: t('merchants.balance'), dataIndex: 'balance', key: 'balance', align: 'right' },
  ];
  return (
    <Card
      title={t('merchants.title')}
      data-testid="merchants-list"
      extra={
        canManage ? (
          <Button type="primary" onClick={() => setAdding(true)} data-testid="merchant-add">
            {t('merchants.add')}
          </Button>
        ) : null
      }
    >
      <Space style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('merchants.search')} onSearch={setQ} style={{ width: 220 }} />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('merchants.statusLabel')}
          value={status}
          onChange={setStatus}
          options={(['active', 'suspended', 'closed'] as const).map((s) => ({
            value: s,
            label: t(`merchants.status.${s}`),
          }))}
        />
      </Space>
      {list.isError ? <Alert type="error" showIcon message={errText(list.error)} /> : null}
      <Table<Merchant>
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        locale={{ emptyText: <Empty description={t('merchants.empty')} /> }}
        onRow={(m) => ({ onClick: () => navigate(`/points/merchants/${m.id}`), style: { cursor: 'pointer' } })}
        pagination={false}
      />
      {adding ? <MerchantFormModal onClose={() => setAdding(false)} /> : null}
    </Card>
  );
}

type MerchantForm = { nodeId: number; name: string; address?: string; contactName?: string; phone?: string };

function MerchantFormModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<MerchantForm>();
  const create = useCreateMerchant();
  const navigate = useNavigate();
  return (
    <Modal
      open
      title={t('merchants.add')}
      onCancel={onClose}
      confirmLoading={create.isPending}
      onOk={async () => {
        const v = await form.validateFields();
        const m = await create.mutateAsync({
          nodeId: v.nodeId,
          name: v.name,
          address: v.address || null,
          contactName: v.contactName || null,
          phone: v.phone || null,
        });
        onClose();
        navigate(`/points/merchants/${m.id}`);
      }}
    >
      {create.isError ? (
        <Alert type="error" showIcon message={errText(create.error)} style={{ marginBottom: 12 }} />
      ) : null}
      <Form form={form} layout="vertical">
        <Form.Item
          name="nodeId"
          label={t('merchants.node')}
          rules={[{ required: true }]}
          extra={t('merchants.nodeHint')}
        >
          <NodeSearchSelect />
        </Form.Item>
        <Form.Item name="name" label={t('merchants.name')} rules={[{ required: true, max: 60 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="address" label={t('merchants.address')} rules={[{ max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="contactName" label={t('merchants.contactName')} rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label={t('merchants.phone')}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One merchant: its details and the tabs 商品, 店员, 兑换记录, 月结. */
export function MerchantDetailView({ id }: { id: number }) {
  const { t } = useTranslation();
  const merchant = useMerchant(id);
  const update = useUpdateMerchant(id);
  if (merchant.isError) return <Alert type="error" showIcon message={errText(merchant.error)} />;
  const m = merchant.data;
  if (!m) return <Card loading />;
  const manage = m.can.manage;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="merchant-detail">
      <Card
        title={m.name}
        extra={
          manage ? (
            <Select<MerchantStatus>
              value={m.status}
              style={{ width: 120 }}
              onChange={(status) => update.mutate({ status })}
              options={(['active', 'suspended', 'closed'] as const).map((s) => ({
                value: s,
                label: t(`merchants.status.${s}`),
              }))}
              data-testid="merchant-status"
            />
          ) : (
            <MerchantStatusTag status={m.status} />
          )
        }
      >
        {update.isError ? <Alert type="error" showIcon message={errText(update.error)} /> : null}
        <Descriptions column={3} size="small">
          <Descriptions.Item label={t('merchants.community')}>{m.communityName}</Descriptions.Item>
          <Descriptions.Item label={t('merchants.node')}>{m.nodeName}</Descriptions.Item>
          <Descriptions.Item label={t('merchants.address')}>{m.address ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('merchants.contactName')}>{m.contactName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('merchants.phone')}>{m.phone ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('merchants.balance')}>{m.balance}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card>
        <Tabs
          items={[
            { key: 'goods', label: t('merchants.tabs.goods'), children: <GoodsTab merchantId={id} manage={manage} /> },
            {
              key: 'staff',
              label: t('merchants.tabs.staff'),
              children: <StaffTab merchantId={id} manage={manage} staff={m.staff} />,
            },
            {
              key: 'redemptions',
              label: t('merchants.tabs.redemptions'),
              children: <RedemptionsTab merchantId={id} />,
            },
            {
              key: 'settlements',
              label: t('merchants.tabs.settlements'),
              children: <SettlementsTab merchantId={id} manage={manage} />,
            },
          ]}
        />
      </Card>
    </Space>
  );
}

function GoodsTab({ merchantId, manage }: { merchantId: number; manage: boolean }) {
  const { t } = useTranslation();
  const goods = useMerchantGoods(merchantId);
  const update = useUpdateGoods();
  const create = useCreateGoods(merchantId);
  const [form] = Form.useForm<{ name: string; price: number; stock?: number }>();
  const { message } = App.useApp();
  const patch = (g: Goods, body: { price?: number; stock?: number; active?: boolean }) =>
    update.mutate({ id: g.id, version: g.version, ...body }, { onError: (e) => message.error(errText(e)) });
  const columns: ColumnsType<Goods> = [
    { title: t('merchants.goods.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('merchants.goods.price'),
      key: 'price',
      render: (_, g) =>
        manage ? (
          <InputNumber
            min={1}
            precision={0}
            defaultValue={g.price}
            onBlur={(e) => {
              const v = Number(e.target.value);
              if (v > 0 && v !== g.price) patch(g, { price: v });
            }}
          />
        ) : (
          g.price
        ),
    },
    {
      title: t('merchants.goods.stock'),
      key: 'stock',
      render: (_, g) =>
        manage ? (
          <InputNumber
            min={0}
            precision={0}
            defaultValue={g.stock}
            onBlur={(e) => {
              const v = Number(e.target.value);
              if (v >= 0 && v !== g.stock) patch(g, { stock: v });
            }}
          />
        ) : (
          g.stock
        ),
    },
    {
      title: t('merchants.goods.active'),
      key: 'active',
      render: (_, g) => <Switch checked={g.active} disabled={!manage} onChange={(active) => patch(g, { active })} />,
    },
  ];
  return (
    <>
      {manage ? (
        <Form
          form={form}
          layout="inline"
          style={{ marginBottom: 16 }}
          onFinish={(v) =>
            create.mutate(v, { onSuccess: () => form.resetFields(), onError: (e) => message.error(errText(e)) })
          }
        >
          <Form.Item name="name" rules={[{ required: true, max: 60 }]}>
            <Input placeholder={t('merchants.goods.name')} />
          </Form.Item>
          <Form.Item name="price" rules={[{ required: true }]}>
            <InputNumber min={1} precision={0} placeholder={t('merchants.goods.price')} />
          </Form.Item>
          <Form.Item name="stock">
            <InputNumber min={0} precision={0} placeholder={t('merchants.goods.stock')} />
          </Form.Item>
          <Button htmlType="submit" loading={create.isPending}>
            {t('merchants.goods.add')}
          </Button>
        </Form>
      ) : null}
      <Table<Goods>
        rowKey={(g) => `${g.id}-${g.version}`}
        size="small"
        columns={columns}
        dataSource={goods.data?.items ?? []}
        loading={goods.isLoading}
        pagination={false}
        locale={{ emptyText: <Empty description={t('merchants.goods.empty')} /> }}
      />
    </>
  );
}

function StaffTab({
  merchantId,
  manage,
  staff,
}: {
  merchantId: number;
  manage: boolean;
  staff: { userId: number; username: string; displayName: string }[];
}) {
  const { t } = useTranslation();
  const change = useMemberChange(merchantId);
  const [pick, setPick] = useState<number | undefined>();
  const candidates = useQuery({
    queryKey: ['merchants', 'staff-candidates'],
    enabled: manage,
    queryFn: ({ signal }) =>
      api.get<{ items: { id: number; username: string; displayName: string }[] }>(
        '/api/users',
        { role: 'merchant', pageSize: 100 },
        signal,
      ),
  });
  return (
    <>
      {manage ? (
        <Space style={{ marginBottom: 16 }}>
          <Select
            showSearch
            optionFilterProp="label"
            style={{ width: 260 }}
            placeholder={t('merchants.staff.pick')}
            value={pick}
            onChange={setPick}
            options={(candidates.data?.items ?? []).map((u) => ({
              value: u.id,
              label: `${u.displayName}（${u.username}）`,
            }))}
          />
          <Button disabled={!pick} loading={change.isPending} onClick={() => pick && change.mutate({ userId: pick })}>
            {t('merchants.staff.add')}
          </Button>
        </Space>
      ) : null}
      {change.isError ? <Alert type="error" showIcon message={errText(change.error)} /> : null}
      <Table
        rowKey="userId"
        size="small"
        pagination={false}
        dataSource={staff}
        locale={{ emptyText: <Empty description={t('merchants.staff.empty')} /> }}
        columns={[
          { title: t('merchants.staff.name'), dataIndex: 'displayName', key: 'name' },
          { title: t('merchants.staff.username'), dataIndex: 'username', key: 'username' },
          ...(manage
            ? [
                {
                  title: '',
                  key: 'remove',
                  render: (_: unknown, s: { userId: number }) => (
                    <Button size="small" danger onClick={() => change.mutate({ userId: s.userId, remove: true })}>
                      {t('merchants.staff.remove')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

export function RedemptionsTable({ items, loading }: { items: RedemptionRow[]; loading?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table<RedemptionRow>
      rowKey="id"
      size="small"
      loading={loading ?? false}
      dataSource={items}
      pagination={false}
      locale={{ emptyText: <Empty description={t('merchants.redemptions.empty')} /> }}
      columns={[
        { title: t('merchants.redemptions.time'), key: 'time', render: (_, r) => time(r.createdAt) },
        { title: t('merchants.redemptions.resident'), key: 'resident', render: (_, r) => r.residentName ?? '—' },
        {
          title: t('merchants.redemptions.items'),
          key: 'items',
          render: (_, r) => r.items.map((i) => `${i.name}×${i.quantity}`).join('、'),
        },
        { title: t('merchants.redemptions.points'), dataIndex: 'total', key: 'total', align: 'right' },
        { title: t('merchants.redemptions.operator'), dataIndex: 'operatorName', key: 'operator' },
        {
          title: t('merchants.statusLabel'),
          key: 'status',
          render: (_, r) => (
            <Tag color={r.status === 'done' ? 'green' : 'default'}>{t(`merchants.redemptions.${r.status}`)}</Tag>
          ),
        },
      ]}
    />
  );
}

function RedemptionsTab({ merchantId }: { merchantId: number }) {
  const list = useMerchantRedemptions(merchantId);
  return <RedemptionsTable items={list.data?.items ?? []} loading={list.isLoading} />;
}

function SettlementsTab({ merchantId, manage }: { merchantId: number; manage: boolean }) {
  const { t } = useTranslation();
  const list = useMerchantSettlements(merchantId);
  const settle = useSettle(merchantId);
  const paid = useMarkPaid();
  const exp = useExportSettlement();
  const [period, setPeriod] = useState(lastMonth());
  const { message } = App.useApp();
  const columns: ColumnsType<Settlement> = [
    { title: t('merchants.settlements.period'), dataIndex: 'period', key: 'period' },
    { title: t('merchants.settlements.count'), dataIndex: 'redemptions', key: 'n', align: 'right' },
    { title: t('merchants.settlements.points'), dataIndex: 'points', key: 'points', align: 'right' },
    {
      title: t('merchants.settlements.deducted'),
      key: 'deducted',
      align: 'right',
      render: (_, s) => (s.deducted > 0 ? s.deducted : '—'),
    },
    { title: t('merchants.settlements.yuan'), key: 'yuan', align: 'right', render: (_, s) => yuan(s.amountFen) },
    {
      title: t('merchants.statusLabel'),
      key: 'status',
      render: (_, s) => (
        <Tag color={s.status === 'paid' ? 'green' : 'orange'}>{t(`merchants.settlements.${s.status}`)}</Tag>
      ),
    },
    {
      title: '',
      key: 'actions',
      render: (_, s) => (
        <Space>
          <Button size="small" onClick={() => exp.mutate(s.id, { onError: (e) => message.error(errText(e)) })}>
            {t('merchants.settlements.export')}
          </Button>
          {manage && s.status === 'open' ? (
            <Button
              size="small"
              type="primary"
              onClick={() => paid.mutate(s.id, { onError: (e) => message.error(errText(e)) })}
              data-testid="settlement-paid"
            >
              {t('merchants.settlements.markPaid')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];
  return (
    <>
      {manage ? (
        <Space style={{ marginBottom: 16 }}>
          <Input
            value={period}
            onChange={(e) => setPeriod(e.target.value)}
            style={{ width: 120 }}
            placeholder="YYYY-MM"
          />
          <Button
            loading={settle.isPending}
            onClick={() => settle.mutate(period, { onError: (e) => message.error(errText(e)) })}
            data-testid="settle-now"
          >
            {t('merchants.settlements.settle')}
          </Button>
        </Space>
      ) : null}
      <Table<Settlement>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        pagination={false}
        locale={{ emptyText: <Empty description={t('merchants.settlements.empty')} /> }}
      />
    </>
  );
}
