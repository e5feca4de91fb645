import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../ui/api';
import {
  EARN_TRIGGERS,
  type EarningRule,
  type PointsSettings,
  useEarningRules,
  usePointsSettings,
  useSaveEarningRule,
  useSavePointsSettings,
  useToggleEarningRule,
} from './use-points-rules';

type RuleForm = {
  code: string;
  name: string;
  description?: string | null;
  trigger: string;
  activityType?: string | null;
  currency: 'points' | 'hours' | 'conduct';
  amount: number;
  dailyCap?: number | null;
  monthlyCap?: number | null;
  enabled: boolean;
};

/** The caps of a rule in one line: 每日 30 · 每月 — */
export function capsText(t: TFunction, r: EarningRule): string {
  const cap = (v: number | null) => (v === null ? t('earning.noCap') : String(v));
  return t('earning.capsText', { daily: cap(r.dailyCap), monthly: cap(r.monthlyCap) });
}

/** 积分规则: the rules table (switch in place, edit in the drawer) and the settings card. */
export function PointsRulesView() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rules = useEarningRules();
  const toggle = useToggleEarningRule();
  const [editing, setEditing] = useState<EarningRule | 'new' | null>(null);

  const columns: ColumnsType<EarningRule> = [
    {
      title: t('earning.name'),
      dataIndex: 'name',
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{r.name}</Typography.Text>
          <Typography.Text type="secondary" code>
            {r.code}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('earning.trigger'),
      dataIndex: 'trigger',
      render: (_: unknown, r) => (
        <Space size={4}>
          <Tag>{t(`earning.triggers.${r.trigger as 'manual'}`, { defaultValue: r.trigger })}</Tag>
          {r.activityType ? <Tag color="blue">{r.activityType}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('earning.amount'),
      dataIndex: 'amount',
      render: (_: unknown, r) => `${r.amount} ${t(`earning.currency.${r.currency}` as const)}`,
    },
    { title: t('earning.caps'), key: 'caps', render: (_: unknown, r) => capsText(t, r) },
    { title: t('earning.credited'), dataIndex: 'credited' },
    {
      title: t('earning.enabled'),
      dataIndex: 'enabled',
      render: (_: unknown, r) => (
        <Switch
          checked={r.enabled}
          aria-label={t('earning.enabled')}
          data-testid={`earning-toggle-${r.code}`}
          onChange={(on) =>
            toggle.mutate(
              { rule: r, enabled: on },
              { onError: (e) => void message.error(isApiError(e) ? e.message : String(e)) },
            )
          }
        />
      ),
    },
    {
      title: '',
      key: 'edit',
      render: (_: unknown, r) => (
        <Button type="link" onClick={() => setEditing(r)} data-testid={`earning-edit-${r.code}`}>
          {t('earning.edit')}
        </Button>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="points-rules">
      <Card
        title={t('earning.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('earning.create')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('earning.intro')}</Typography.Paragraph>
        <Table<EarningRule>
          rowKey="id"
          size="middle"
          loading={rules.isLoading}
          dataSource={rules.data ?? []}
          columns={columns}
          pagination={false}
        />
      </Card>
      <PointsSettingsCard />
      <RuleDrawer rule={editing} onClose={() => setEditing(null)} />
    </Space>
  );
}

function RuleDrawer({ rule, onClose }: { rule: EarningRule | 'new' | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RuleForm>();
  const save = useSaveEarningRule();
  const trigger = Form.useWatch('trigger', form);
  const isNew = rule === 'new';

  useEffect(() => {
    if (rule === null) return;
    form.resetFields();
    if (rule !== 'new') form.setFieldsValue({ ...rule, description: rule.description ?? undefined });
    else form.setFieldsValue({ trigger: 'activity', currency: 'points', enabled: true, amount: 5 });
  }, [rule, form]);

  const submit = async () => {
    const v = await form.validateFields();
    const common = {
      name: v.name,
      description: v.description ? v.description : null,
      trigger: v.trigger,
      activityType: v.trigger === 'activity' ? (v.activityType ?? null) : null,
      amount: v.amount,
      dailyCap: v.dailyCap ?? null,
      monthlyCap: v.monthlyCap ?? null,
      enabled: v.enabled,
    };
    save.mutate(
      rule === 'new' || rule === null
        ? { id: null, body: { ...common, code: v.code, currency: v.currency } }
        : { id: rule.id, body: { ...common, version: rule.version } },
      {
        onSuccess: () => {
          void message.success(t('earning.saved'));
          onClose();
        },
        onError: (e) => {
          if (isApiError(e) && e.field) form.setFields([{ name: e.field as keyof RuleForm, errors: [e.message] }]);
          else void message.error(isApiError(e) ? e.message : String(e));
        },
      },
    );
  };

  return (
    <Drawer
      open={rule !== null}
      onClose={onClose}
      title={isNew ? t('earning.create') : t('earning.edit')}
      size={480}
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => void submit()} data-testid="earning-save">
          {t('earning.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="code"
          label={t('earning.code')}
          rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/ }]}
        >
          <Input disabled={!isNew} />
        </Form.Item>
        <Form.Item name="name" label={t('earning.name')} rules={[{ required: true, max: 50 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="trigger" label={t('earning.trigger')} rules={[{ required: true }]}>
          <Select options={EARN_TRIGGERS.map((x) => ({ value: x, label: t(`earning.triggers.${x}`) }))} />
        </Form.Item>
        {trigger === 'activity' ? (
          <Form.Item name="activityType" label={t('earning.activityType')} rules={[{ required: true }]}>
            <Input placeholder="health_walk" />
          </Form.Item>
        ) : null}
        <Form.Item name="currency" label={t('earning.currencyLabel')}>
          <Radio.Group disabled={!isNew}>
            {(['points', 'hours', 'conduct'] as const).map((c) => (
              <Radio key={c} value={c}>
                {t(`earning.currency.${c}`)}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="amount" label={t('earning.amount')} rules={[{ required: true }]}>
          <InputNumber precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="dailyCap" label={t('earning.dailyCap')} extra={t('earning.capHint')}>
          <InputNumber precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="monthlyCap" label={t('earning.monthlyCap')}>
          <InputNumber precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="description" label={t('earning.description')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="enabled" label={t('earning.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function PointsSettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = usePointsSettings();
  const save = useSavePointsSettings();
  const [form] = Form.useForm<PointsSettings>();
  const policy = Form.useWatch('expiryPolicy', form);
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  const submit = async () => {
    const v = await form.validateFields();
    if (!settings.data) return;
    save.mutate(
      {
        version: settings.data.version,
        householdMode: v.householdMode,
        expiryPolicy: v.expiryPolicy,
        expiryYears: v.expiryYears,
        conductEnabled: v.conductEnabled,
        pointsPerYuan: v.pointsPerYuan,
      },
      {
        onSuccess: () => void message.success(t('earning.saved')),
        onError: (e) => void message.error(isApiError(e) ? e.message : String(e)),
      },
    );
  };
  return (
    <Card
      title={t('earning.settings.title')}
      loading={settings.isLoading}
      extra={
        <Button onClick={() => void submit()} loading={save.isPending} data-testid="points-settings-save">
          {t('earning.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" style={{ maxWidth: 520 }}>
        <Form.Item name="householdMode" label={t('earning.settings.householdMode')}>
          <Radio.Group>
            <Radio value="sum">{t('earning.settings.sum')}</Radio>
            <Radio value="own">{t('earning.settings.own')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="expiryPolicy" label={t('earning.settings.expiryPolicy')}>
          <Radio.Group>
            <Radio value="none">{t('earning.settings.never')}</Radio>
            <Radio value="yearly">{t('earning.settings.yearly')}</Radio>
          </Radio.Group>
        </Form.Item>
        {policy === 'yearly' ? (
          <Form.Item name="expiryYears" label={t('earning.settings.expiryYears')}>
            <InputNumber min={1} max={5} precision={0} />
          </Form.Item>
        ) : null}
        <Form.Item name="conductEnabled" label={t('earning.settings.conduct')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="pointsPerYuan" label={t('earning.settings.pointsPerYuan')}>
          <InputNumber min={1} max={10000} precision={0} />
        </Form.Item>
      </Form>
    </Card>
  );
}
