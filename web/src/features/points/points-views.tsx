import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getAccess } from '../../access';
import { currentLanguage } from '../../i18n';
import { useSignedInUser } from '../auth/hooks/use-access';
import { amountText, awardAmount, canReverse, signedText } from './points-logic';
import type { AccountItem, AccountListQuery, Currency, Movement, Totals, TotalsQuery } from './points-types';
import {
  useAccounts,
  useAward,
  useMovements,
  useResidentPoints,
  useReverse,
  useTotals,
  useTotalsExport,
} from './use-points';

/** The reader's language, for amounts in hours and minutes. */
const lang = () => currentLanguage();

const time = (iso: string) => new Date(iso).toLocaleString();
const CURRENCIES: Currency[] = ['points', 'hours', 'conduct'];
const KINDS = ['resident', 'household', 'merchant', 'organisation', 'issuer'] as const;

/** 账户: the area's accounts with filters; a row opens its passbook, a resident's row their points. */
export function AccountsTable({
  query,
  onChange,
  onOpen,
  onResident,
}: {
  query: AccountListQuery;
  onChange: (q: AccountListQuery) => void;
  onOpen: (a: AccountItem) => void;
  onResident: (residentId: number) => void;
}) {
  const { t } = useTranslation();
  const list = useAccounts(query);
  const columns: ColumnsType<AccountItem> = [
    { title: t('pointsLedger.owner'), dataIndex: 'label', key: 'label' },
    { title: t('pointsLedger.kind'), key: 'kind', render: (_, a) => t(`pointsLedger.accountKinds.${a.kind}`) },
    { title: t('pointsLedger.community'), dataIndex: 'communityName', key: 'community' },
    {
      title: t('pointsLedger.currency'),
      key: 'currency',
      render: (_, a) => t(`pointsLedger.currencies.${a.currency}`),
    },
    {
      title: t('pointsLedger.balance'),
      key: 'balance',
      align: 'right',
      render: (_, a) => amountText(a.balance, a.currency, lang()),
    },
    {
      title: '',
      key: 'actions',
      render: (_, a) => (
        <Space>
          <Button size="small" onClick={() => onOpen(a)}>
            {t('pointsLedger.passbook')}
          </Button>
          {a.residentId !== null ? (
            <Button size="small" onClick={() => onResident(a.residentId!)}>
              {t('pointsLedger.openResident')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];
  return (
    <div data-testid="points-accounts">
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search
          allowClear
          style={{ width: 240 }}
          placeholder={t('pointsLedger.search')}
          defaultValue={query.q}
          onSearch={(q) => onChange({ ...query, q: q || undefined, cursor: undefined })}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('pointsLedger.kind')}
          value={query.kind}
          onChange={(kind?: AccountListQuery['kind']) => onChange({ ...query, kind, cursor: undefined })}
          options={KINDS.map((k) => ({ value: k, label: t(`pointsLedger.accountKinds.${k}`) }))}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('pointsLedger.currency')}
          value={query.currency}
          onChange={(currency?: Currency) => onChange({ ...query, currency, cursor: undefined })}
          options={CURRENCIES.map((c) => ({ value: c, label: t(`pointsLedger.currencies.${c}`) }))}
        />
      </Space>
      {list.isError ? <Alert type="error" showIcon title={list.error.message} /> : null}
      <Table<AccountItem>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        locale={{ emptyText: <Empty description={t('pointsLedger.empty')} /> }}
        pagination={false}
      />
      {list.data?.nextCursor ? (
        <Button style={{ marginTop: 12 }} onClick={() => onChange({ ...query, cursor: list.data.nextCursor! })}>
          {t('pointsLedger.more')}
        </Button>
      ) : null}
    </div>
  );
}

/** A passbook's rows: kind, reason, counterpart, signed amount, balance after; managers may reverse some. */
export function MovementsTable({
  items,
  currency,
  canManage,
}: {
  items: readonly Movement[];
  currency: Currency;
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reverse = useReverse();
  const [reason, setReason] = useState('');
  const columns: ColumnsType<Movement> = [
    { title: t('pointsLedger.time'), key: 'at', render: (_, m) => time(m.at) },
    {
      title: t('pointsLedger.kind'),
      key: 'kind',
      render: (_, m) => (
        <Space size={4}>
          {t(`pointsLedger.transferKinds.${m.kind}`, { defaultValue: m.kind })}
          {m.reversedById !== null ? <Tag>{t('pointsLedger.reversed')}</Tag> : null}
        </Space>
      ),
    },
    { title: t('pointsLedger.reason'), dataIndex: 'reason', key: 'reason' },
    { title: t('pointsLedger.counterpart'), key: 'cp', render: (_, m) => m.counterpart.label },
    {
      title: t('pointsLedger.amount'),
      key: 'amount',
      align: 'right',
      render: (_, m) => (
        <span style={{ color: m.amount > 0 ? '#389e0d' : '#cf1322' }}>{signedText(m.amount, currency, lang())}</span>
      ),
    },
    {
      title: t('pointsLedger.balanceAfter'),
      key: 'after',
      align: 'right',
      render: (_, m) => amountText(m.balanceAfter, currency, lang()),
    },
  ];
  if (canManage)
    columns.push({
      title: '',
      key: 'reverse',
      render: (_, m) =>
        canReverse(m) ? (
          <Popconfirm
            title={t('pointsLedger.reverseReason')}
            description={<Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />}
            okButtonProps={{ disabled: reason.trim().length < 2, loading: reverse.isPending }}
            onConfirm={() =>
              reverse.mutateAsync({ id: m.transferId, reason: reason.trim() }).then(
                () => {
                  setReason('');
                  message.success(t('pointsLedger.reverseDone'));
                },
                (e: Error) => message.error(e.message),
              )
            }
          >
            <Button size="small" danger data-testid={`reverse-${m.transferId}`}>
              {t('pointsLedger.reverse')}
            </Button>
          </Popconfirm>
        ) : null,
    });
  return (
    <Table<Movement>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={[...items]}
      pagination={false}
      locale={{ emptyText: <Empty description={t('pointsLedger.noMovements')} /> }}
    />
  );
}

/** An account's passbook, newest first, page by page. */
export function PassbookView({ accountId }: { accountId: number }) {
  const { t } = useTranslation();
  const me = useSignedInUser();
  const canManage = me ? getAccess(me).canManagePoints : false;
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const page = useMovements(accountId, cursor);
  if (page.isError) return <Alert type="error" showIcon title={page.error.message} />;
  const data = page.data;
  return (
    <div data-testid="points-passbook">
      {data ? (
        <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('pointsLedger.owner')}>{data.account.label}</Descriptions.Item>
          <Descriptions.Item label={t('pointsLedger.balance')}>
            {amountText(data.account.balance, data.account.currency, lang())}
          </Descriptions.Item>
        </Descriptions>
      ) : null}
      <MovementsTable items={data?.items ?? []} currency={data?.account.currency ?? 'points'} canManage={canManage} />
      <Space style={{ marginTop: 12 }}>
        {cursor !== undefined ? <Button onClick={() => setCursor(undefined)}>↑</Button> : null}
        {data?.nextCursor ? (
          <Button onClick={() => setCursor(data.nextCursor!)}>{t('pointsLedger.more')}</Button>
        ) : null}
      </Space>
    </div>
  );
}

/** The award / deduct form (points.manage). */
export function AwardForm({ residentId }: { residentId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const award = useAward();
  const [form] = Form.useForm<{
    direction: 'award' | 'deduct';
    currency: Currency;
    value: number;
    reason: string;
    ruleCode?: string;
  }>();
  return (
    <Form
      form={form}
      layout="inline"
      initialValues={{ direction: 'award', currency: 'points' }}
      data-testid="points-award-form"
      onFinish={(v) => {
        const amount = awardAmount(v.direction, v.value);
        if (amount === null) return;
        award
          .mutateAsync({
            residentId,
            currency: v.currency,
            amount,
            reason: v.reason.trim(),
            ...(v.ruleCode?.trim() && v.direction === 'award' ? { ruleCode: v.ruleCode.trim() } : {}),
          })
          .then(
            (r) => {
              message.success(t('pointsLedger.awarded', { balance: r.balance }));
              form.resetFields(['value', 'reason']);
            },
            (e: Error) => message.error(e.message),
          );
      }}
    >
      <Form.Item name="direction">
        <Radio.Group
          options={[
            { value: 'award', label: t('pointsLedger.award') },
            { value: 'deduct', label: t('pointsLedger.deduct') },
          ]}
        />
      </Form.Item>
      <Form.Item name="currency">
        <Select
          style={{ width: 110 }}
          options={CURRENCIES.map((c) => ({ value: c, label: t(`pointsLedger.currencies.${c}`) }))}
        />
      </Form.Item>
      <Form.Item name="value" rules={[{ required: true }]}>
        <InputNumber min={1} precision={0} placeholder={t('pointsLedger.amount')} />
      </Form.Item>
      <Form.Item name="reason" rules={[{ required: true, min: 2, max: 200 }]}>
        <Input placeholder={t('pointsLedger.reason')} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="ruleCode">
        <Input placeholder={t('pointsLedger.rule')} style={{ width: 200 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={award.isPending}>
        {t('pointsLedger.submit')}
      </Button>
    </Form>
  );
}

/** 居民积分: a resident's balances, household, recent movements; the award form for managers. */
export function ResidentPointsView({ residentId }: { residentId: number }) {
  const { t } = useTranslation();
  const me = useSignedInUser();
  const canManage = me ? getAccess(me).canManagePoints : false;
  const r = useResidentPoints(residentId);
  if (r.isError) return <Alert type="error" showIcon title={r.error.message} />;
  if (!r.data) return null;
  const d = r.data;
  return (
    <div data-testid="points-resident">
      <Space size="large" wrap style={{ marginBottom: 16 }}>
        <Statistic title={d.resident.name} value={d.balances.find((b) => b.currency === 'points')?.balance ?? 0} />
        {d.balances
          .filter((b) => b.currency !== 'points')
          .map((b) => (
            <Statistic
              key={b.currency}
              title={t(`pointsLedger.currencies.${b.currency}`)}
              value={amountText(b.balance, b.currency, lang())}
            />
          ))}
        {d.household ? (
          <Statistic
            title={`${t('pointsLedger.household')}（${t(`pointsLedger.householdModes.${d.household.mode}`)}）`}
            value={d.household.points}
          />
        ) : null}
      </Space>
      {canManage ? (
        <Card size="small" title={t('pointsLedger.awardTitle')} style={{ marginBottom: 16 }}>
          <AwardForm residentId={residentId} />
        </Card>
      ) : null}
      <MovementsTable items={d.recent} currency="points" canManage={canManage} />
    </div>
  );
}

const FIGURES = [
  ['issued', 'issued'],
  ['redeemed', 'redeemed'],
  ['settled', 'settled'],
  ['expired', 'expired'],
  ['reversed', 'reversedTotal'],
  ['heldByResidents', 'heldByResidents'],
  ['heldByMerchants', 'heldByMerchants'],
  ['heldByOthers', 'heldByOthers'],
  ['issuerBalance', 'issuerBalance'],
  ['sum', 'sum'],
] as const;

type TotalsRow = Totals['rows'][number] & { key: string };

/** 统计: per community and currency, with the totals, the consistency line and the Excel export. */
export function TotalsView({ query, onChange }: { query: TotalsQuery; onChange: (q: TotalsQuery) => void }) {
  const { t } = useTranslation();
  const totals = useTotals(query);
  const exporter = useTotalsExport();
  const d = totals.data;
  const rows: TotalsRow[] = [
    ...(d?.rows ?? []).map((r) => ({ ...r, key: `${r.communityId}-${r.currency}` })),
    ...(d?.total ?? []).map((r) => ({
      ...r,
      communityId: 0,
      name: t('pointsLedger.total'),
      key: `total-${r.currency}`,
    })),
  ];
  const columns: ColumnsType<TotalsRow> = [
    { title: t('pointsLedger.community'), dataIndex: 'name', key: 'name' },
    {
      title: t('pointsLedger.currency'),
      key: 'currency',
      render: (_, r) => t(`pointsLedger.currencies.${r.currency}`),
    },
    ...FIGURES.map(([k, label]) => ({
      title: t(`pointsLedger.${label}`),
      dataIndex: k,
      key: k,
      align: 'right' as const,
    })),
  ];
  const setDay = (field: 'from' | 'to') => (v: Dayjs | null) =>
    onChange({ ...query, [field]: v ? v.format('YYYY-MM-DD') : undefined });
  return (
    <div data-testid="points-totals">
      <Space style={{ marginBottom: 16 }} wrap>
        <DatePicker placeholder={t('pointsLedger.from')} onChange={setDay('from')} />
        <DatePicker placeholder={t('pointsLedger.to')} onChange={setDay('to')} />
        <Button onClick={() => exporter.mutate(query)} loading={exporter.isPending}>
          {t('pointsLedger.export')}
        </Button>
      </Space>
      {totals.isError ? <Alert type="error" showIcon title={totals.error.message} /> : null}
      {d ? (
        <Alert
          style={{ marginBottom: 12 }}
          type={d.consistent ? 'success' : 'warning'}
          showIcon
          title={d.consistent ? t('pointsLedger.consistent') : t('pointsLedger.inconsistent')}
        />
      ) : null}
      <Table<TotalsRow>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={totals.isLoading}
        pagination={false}
        scroll={{ x: true }}
      />
    </div>
  );
}

/** The passbook in a drawer beside the accounts table. */
export function PassbookDrawer({ accountId, onClose }: { accountId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer open={accountId !== null} onClose={onClose} width={880} title={t('pointsLedger.passbook')} destroyOnHidden>
      {accountId !== null ? <PassbookView accountId={accountId} /> : null}
    </Drawer>
  );
}
