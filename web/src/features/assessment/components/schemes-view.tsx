import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { METRICS } from '../../../../../server/src/modules/metrics/metrics.catalogue';
import { isApiError } from '../../../ui/api';
import { fieldPath, validValues } from '../../../ui/form-errors';
import type { Honour, PeriodKind, Scheme, SchemeCreate, SchemeItem, SchemeSubject } from '../assessment-types';
import { useSaveScheme, useSchemes } from '../hooks/use-assessment';
import {
  formatScore,
  isMetricCode,
  metricLabel,
  metricsFor,
  weightStatus,
  weightSum,
} from '../utils/assessment-format';

const SUBJECTS: SchemeSubject[] = ['grid', 'community', 'worker'];

type FormItem = Partial<Omit<SchemeItem, 'sort'>>;
type FormValues = {
  name: string;
  subject: SchemeSubject;
  periodKind: PeriodKind;
  totalWeight: number;
  adjustmentCap: number;
  honour: Honour | null;
  honourQuota: number;
  honourMinScore: number;
  active: boolean;
  items: FormItem[];
};

export const EMPTY_SCHEME: FormValues = {
  name: '',
  subject: 'grid',
  periodKind: 'month',
  totalWeight: 100,
  adjustmentCap: 10,
  honour: null,
  honourQuota: 1,
  honourMinScore: 80,
  active: true,
  items: [],
};

/** The honours a subject may carry: 红旗网格 for grids, 优秀网格员 for workers, none for communities. */
export function honoursFor(subject: SchemeSubject): Honour[] {
  if (subject === 'grid') return ['red_flag_grid'];
  if (subject === 'worker') return ['excellent_worker'];
  return [];
}

/** The running sum of the weights against the scheme's total, as a coloured line. */
export function WeightSum({ items, total }: { items: readonly FormItem[]; total: number }) {
  const { t } = useTranslation();
  const status = weightStatus(items, total);
  return (
    <Typography.Text type={status === 'ok' ? 'success' : 'danger'} data-testid="weight-sum">
      {t('assessment.weightSum', { sum: formatScore(weightSum(items)), total: formatScore(total) })}
      {status === 'ok'
        ? ' ✓'
        : status === 'under'
          ? ` ${t('assessment.weightUnder')}`
          : ` ${t('assessment.weightOver')}`}
    </Typography.Text>
  );
}

const FORM_FIELDS = [
  'name',
  'subject',
  'periodKind',
  'totalWeight',
  'adjustmentCap',
  'honour',
  'honourQuota',
  'honourMinScore',
  'items',
];

/**
 * Where a server error goes: `items` alone (the sum of weights) under the items table, a named field or an item's
 * cell (items/2/metric) at that input, anything else as a message.
 */
export function schemeErrorTarget(
  error: unknown,
): { kind: 'items' } | { kind: 'field'; path: (string | number)[] } | { kind: 'message' } {
  if (!isApiError(error) || !error.field) return { kind: 'message' };
  const path = fieldPath(error.field);
  if (typeof path[0] !== 'string' || !FORM_FIELDS.includes(path[0])) return { kind: 'message' };
  if (path.length === 1 && path[0] === 'items') return { kind: 'items' };
  return { kind: 'field', path };
}

export function SchemeForm({ scheme, onDone }: { scheme: Scheme | null; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const save = useSaveScheme();
  const [itemsError, setItemsError] = useState<string | null>(null);
  const subject = (Form.useWatch('subject', form) ?? scheme?.subject ?? 'grid') as SchemeSubject;
  const items = (Form.useWatch('items', form) ?? scheme?.items ?? []) as FormItem[];
  const total = (Form.useWatch('totalWeight', form) ?? scheme?.totalWeight ?? 100) as number;
  const offered = metricsFor(subject);

  const submit = async () => {
    setItemsError(null);
    const values = await validValues(form);
    if (!values) return;
    const items = values.items.map((i) => ({
      metric: i.metric!,
      weight: i.weight!,
      higherBetter: i.higherBetter ?? true,
      fullAt: i.fullAt!,
      zeroAt: i.zeroAt!,
    }));
    const common = {
      name: values.name.trim(),
      totalWeight: values.totalWeight,
      adjustmentCap: values.adjustmentCap,
      honour: values.honour ?? null,
      honourQuota: values.honourQuota,
      honourMinScore: values.honourMinScore,
      active: values.active,
      items,
    };
    try {
      await save.mutateAsync(
        scheme
          ? { id: scheme.id, body: common }
          : {
              id: null,
              body: { ...common, subject: values.subject, periodKind: values.periodKind } satisfies SchemeCreate,
            },
      );
      message.success(t('common.saved'));
      onDone();
    } catch (error) {
      const target = schemeErrorTarget(error);
      const text = error instanceof Error ? error.message : t('errors.unknown');
      if (target.kind === 'items') setItemsError(text);
      // antd's NamePath typing is generic over the form's values; the runtime path is what matters here
      else if (target.kind === 'field') form.setFields([{ name: target.path as never, errors: [text] }]);
      else message.error(text);
    }
  };

  return (
    <Form<FormValues>
      form={form}
      layout="vertical"
      initialValues={scheme ?? EMPTY_SCHEME}
      onValuesChange={(changed: Partial<FormValues>) => {
        if (changed.subject) {
          // items of metrics not computed for the new subject, and an honour that does not fit it, go
          const allowed = metricsFor(changed.subject);
          const kept = (form.getFieldValue('items') as FormItem[]).filter(
            (i) => !i.metric || allowed.includes(i.metric as never),
          );
          form.setFieldsValue({ items: kept });
          const honour = form.getFieldValue('honour') as Honour | null;
          if (honour && !honoursFor(changed.subject).includes(honour)) form.setFieldsValue({ honour: null });
        }
      }}
      data-testid="scheme-form"
    >
      <Space wrap align="start">
        <Form.Item
          name="name"
          label={t('assessment.schemeName')}
          rules={[{ required: true, whitespace: true, max: 60 }]}
        >
          <Input style={{ width: 260 }} maxLength={60} />
        </Form.Item>
        <Form.Item name="subject" label={t('assessment.schemeSubject')} rules={[{ required: true }]}>
          <Select
            disabled={scheme !== null}
            style={{ width: 140 }}
            options={SUBJECTS.map((s) => ({ value: s, label: t(`assessment.subjects.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="periodKind" label={t('assessment.periodKind')} rules={[{ required: true }]}>
          <Select
            disabled={scheme !== null}
            style={{ width: 120 }}
            options={(['week', 'month', 'quarter'] as const).map((k) => ({
              value: k,
              label: t(`assessment.periodKinds.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="active" label={t('assessment.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="totalWeight" label={t('assessment.totalWeight')} rules={[{ required: true }]}>
          <InputNumber min={1} max={1000} />
        </Form.Item>
        <Form.Item name="adjustmentCap" label={t('assessment.adjustmentCap')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        <Form.Item name="honour" label={t('assessment.honour')}>
          <Select
            style={{ width: 160 }}
            allowClear
            placeholder={t('assessment.noHonour')}
            options={honoursFor(subject).map((h) => ({ value: h, label: t(`assessment.honours.${h}`) }))}
          />
        </Form.Item>
        <Form.Item name="honourQuota" label={t('assessment.honourQuota')}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        <Form.Item name="honourMinScore" label={t('assessment.honourMinScore')}>
          <InputNumber min={0} max={1000} />
        </Form.Item>
      </Space>
      <Typography.Title level={5}>{t('assessment.items')}</Typography.Title>
      <Form.List name="items">
        {(fields, { add, remove }) => (
          <>
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              dataSource={fields}
              columns={[
                {
                  title: t('assessment.metric'),
                  key: 'metric',
                  render: (_, f) => (
                    <Form.Item
                      name={[f.name, 'metric']}
                      rules={[
                        { required: true, message: t('common.selectRequired', { field: t('assessment.metric') }) },
                      ]}
                      style={{ margin: 0 }}
                    >
                      <Select
                        style={{ width: 220 }}
                        options={offered.map((m) => ({
                          value: m,
                          label: metricLabel(m, i18n.language),
                          disabled: items.some((i, idx) => idx !== f.name && i?.metric === m),
                        }))}
                        onChange={(m: string) => {
                          if (isMetricCode(m))
                            form.setFieldValue(['items', f.name, 'higherBetter'], METRICS[m].higherBetter);
                        }}
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('assessment.weight'),
                  key: 'weight',
                  render: (_, f) => (
                    <Form.Item
                      name={[f.name, 'weight']}
                      rules={[{ required: true, message: t('assessment.weight') }]}
                      style={{ margin: 0 }}
                    >
                      <InputNumber min={0.1} max={1000} style={{ width: 90 }} />
                    </Form.Item>
                  ),
                },
                {
                  title: t('assessment.direction'),
                  key: 'higherBetter',
                  render: (_, f) => (
                    <Form.Item name={[f.name, 'higherBetter']} style={{ margin: 0 }}>
                      <Select
                        style={{ width: 110 }}
                        options={[
                          { value: true, label: t('assessment.higherBetter') },
                          { value: false, label: t('assessment.lowerBetter') },
                        ]}
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('assessment.fullAt'),
                  key: 'fullAt',
                  render: (_, f) => (
                    <Form.Item
                      name={[f.name, 'fullAt']}
                      rules={[{ required: true, message: t('assessment.fullAt') }]}
                      style={{ margin: 0 }}
                    >
                      <InputNumber style={{ width: 90 }} />
                    </Form.Item>
                  ),
                },
                {
                  title: t('assessment.zeroAt'),
                  key: 'zeroAt',
                  render: (_, f) => (
                    <Form.Item
                      name={[f.name, 'zeroAt']}
                      rules={[{ required: true, message: t('assessment.zeroAt') }]}
                      style={{ margin: 0 }}
                    >
                      <InputNumber style={{ width: 90 }} />
                    </Form.Item>
                  ),
                },
                {
                  title: '',
                  key: 'remove',
                  render: (_, f) => (
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('common.remove')}
                      onClick={() => remove(f.name)}
                    />
                  ),
                },
              ]}
            />
            <Space style={{ marginTop: 8 }}>
              <Button icon={<PlusOutlined />} onClick={() => add({ higherBetter: true })}>
                {t('assessment.addItem')}
              </Button>
              <WeightSum items={items} total={total} />
            </Space>
          </>
        )}
      </Form.List>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('assessment.rateHint')}
      </Typography.Paragraph>
      {itemsError ? (
        <Alert type="error" showIcon message={itemsError} style={{ marginTop: 8 }} data-testid="items-error" />
      ) : null}
      <Space style={{ marginTop: 16 }}>
        <Button type="primary" loading={save.isPending} onClick={submit}>
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

/** 考核方案 (installation-wide): the schemes with their items; create or edit one in a drawer. */
export function SchemesView() {
  const { t } = useTranslation();
  const schemes = useSchemes();
  const [editing, setEditing] = useState<Scheme | 'new' | null>(null);
  return (
    <div data-testid="assessment-schemes">
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} style={{ marginBottom: 16 }}>
        {t('assessment.newScheme')}
      </Button>
      {schemes.isError ? <Alert type="error" showIcon message={schemes.error.message} /> : null}
      <Table<Scheme>
        size="small"
        rowKey="id"
        pagination={false}
        loading={schemes.isLoading}
        dataSource={schemes.data?.items ?? []}
        columns={[
          { title: t('assessment.schemeName'), dataIndex: 'name' },
          {
            title: t('assessment.schemeSubject'),
            key: 'subject',
            render: (_, s) => t(`assessment.subjects.${s.subject}`),
          },
          {
            title: t('assessment.periodKind'),
            key: 'period',
            render: (_, s) => t(`assessment.periodKinds.${s.periodKind}`),
          },
          { title: t('assessment.itemsCount'), key: 'items', align: 'right', render: (_, s) => s.items.length },
          {
            title: t('assessment.totalWeight'),
            key: 'tw',
            align: 'right',
            render: (_, s) => formatScore(s.totalWeight),
          },
          {
            title: t('assessment.honour'),
            key: 'honour',
            render: (_, s) =>
              s.honour
                ? `${t(`assessment.honours.${s.honour}`)} × ${s.honourQuota} (≥ ${formatScore(s.honourMinScore)})`
                : '—',
          },
          {
            title: t('assessment.active'),
            key: 'active',
            render: (_, s) => (s.active ? <Tag color="green">{t('common.yes')}</Tag> : <Tag>{t('common.no')}</Tag>),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, s) => (
              <Button size="small" type="link" onClick={() => setEditing(s)}>
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={editing !== null}
        size={960}
        title={editing === 'new' ? t('assessment.newScheme') : editing ? editing.name : ''}
        onClose={() => setEditing(null)}
        destroyOnHidden
      >
        {editing !== null ? (
          <SchemeForm scheme={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
        ) : null}
      </Drawer>
    </div>
  );
}
