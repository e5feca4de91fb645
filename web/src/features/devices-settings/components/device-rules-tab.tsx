import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Col,
  Divider,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceRule, DeviceType, RuleKind, Severity } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import {
  useCreateDeviceRule,
  useDeviceRules,
  useDeviceTypes,
  useUpdateDeviceRule,
} from '../hooks/use-devices-settings';
import {
  formToParams,
  type LadderRow,
  ladderText,
  normaliseLadder,
  PARAM_FIELDS,
  type ParamName,
  type ParamsForm,
  paramsToForm,
  RULE_KINDS,
  SEVERITIES,
} from '../utils/rule-params';
import { LadderEditor } from './ladder-editor';
import { localName, RuleParamsFields } from './rule-params-fields';

type Values = {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: RuleKind;
  params: ParamsForm;
  severity: Severity;
  ladder: LadderRow[];
  autoResolve: boolean;
  enabled: boolean;
};

type Mode = { kind: 'create' } | { kind: 'edit'; rule: DeviceRule };

const FIELDS = [
  'code',
  'nameZh',
  'nameEn',
  'kind',
  'params',
  'severity',
  'ladder',
  'autoResolve',
  'enabled',
  'typeCode',
];
const RULE_CODE = /^[a-z][a-z0-9_]{1,39}$/;

export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: 'red',
  major: 'volcano',
  minor: 'gold',
  warning: 'blue',
};

const UNIT_OF: Partial<Record<ParamName, 'hours' | 'minutesUnit'>> = {
  windowHours: 'hours',
  windowMinutes: 'minutesUnit',
  minutes: 'minutesUnit',
};

/** A rule's params in one line, with the form's labels: 指标 heart_rate；低于 45；高于 120. */
export function useParamsText() {
  const { t } = useTranslation();
  return (kind: RuleKind, params: Record<string, unknown>, defs?: Pick<DeviceType, 'metrics' | 'events'>) => {
    const form = paramsToForm(kind, params);
    // a metric or event by its name when the type is known, else by its key
    const nameOf = (key: string, list: readonly { key: string; nameZh: string; nameEn: string }[] = []) => {
      const def = list.find((d) => d.key === key);
      return def ? localName(def) : key;
    };
    return PARAM_FIELDS[kind]
      .filter((name) => form[name] !== undefined)
      .map((name) => {
        const value = form[name];
        const text = Array.isArray(value)
          ? value.map((e) => nameOf(e, defs?.events)).join('、')
          : name === 'metric'
            ? nameOf(String(value), defs?.metrics)
            : String(value);
        const unit = UNIT_OF[name];
        return `${t(`devicesSettings.params.${name}`)} ${text}${unit ? ` ${t(`devicesSettings.params.${unit}`)}` : ''}`;
      })
      .join('；');
  };
}

function RuleModal({ type, mode, onClose }: { type: DeviceType; mode: Mode | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateDeviceRule();
  const update = useUpdateDeviceRule();
  const editing = mode?.kind === 'edit' ? mode.rule : null;
  const kind = Form.useWatch('kind', form) ?? editing?.kind ?? 'threshold';

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    if (mode.kind === 'edit') {
      const r = mode.rule;
      form.setFieldsValue({
        code: r.code,
        nameZh: r.nameZh,
        nameEn: r.nameEn,
        kind: r.kind,
        params: paramsToForm(r.kind, r.params),
        severity: r.severity,
        ladder: r.ladder.map((s) => ({ ...s })),
        autoResolve: r.autoResolve,
        enabled: r.enabled,
      });
    } else {
      // a type that reports events (SOS, smoke) mostly needs event rules; a measuring one thresholds
      const defaultKind: RuleKind = type.events.length > 0 ? 'event' : type.metrics.length > 0 ? 'threshold' : 'silent';
      form.setFieldsValue({
        kind: defaultKind,
        params: defaultKind === 'threshold' ? { metric: type.metrics[0]?.key ?? null } : {},
        severity: 'major',
        ladder: [
          { level: 'family', afterMin: 0 },
          { level: 'grid', afterMin: 15 },
          { level: 'community', afterMin: 45 },
          { level: 'street', afterMin: 120 },
        ],
        autoResolve: false,
        enabled: true,
      });
    }
  }, [mode, form, type]);

  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    const params = formToParams(v.kind, v.params ?? {});
    const ladder = normaliseLadder(v.ladder ?? []);
    try {
      if (editing) {
        await update.mutateAsync({
          id: editing.id,
          body: {
            version: editing.version,
            nameZh: v.nameZh.trim(),
            nameEn: v.nameEn.trim(),
            params,
            severity: v.severity,
            ladder,
            autoResolve: v.autoResolve,
            enabled: v.enabled,
          },
        });
      } else {
        await create.mutateAsync({
          typeCode: type.code,
          code: v.code.trim(),
          nameZh: v.nameZh.trim(),
          nameEn: v.nameEn.trim(),
          kind: v.kind,
          params,
          severity: v.severity,
          ladder,
          autoResolve: v.autoResolve,
          enabled: v.enabled,
        });
      }
      message.success(t('common.saved'));
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, FIELDS)) message.error(e instanceof Error ? e.message : t('errors.unknown'));
    }
  };

  return (
    <Modal
      open={mode !== null}
      title={
        editing
          ? t('devicesSettings.rules.editTitle', { name: editing.name })
          : t('devicesSettings.rules.createTitle', { type: type.name })
      }
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      width={760}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" data-testid="device-rule-form">
        {editing?.builtin ? (
          <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('devicesSettings.rules.builtinHint')} />
        ) : null}
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              name="code"
              label={t('devicesSettings.rules.code')}
              rules={
                editing ? [] : [{ required: true, pattern: RULE_CODE, message: t('devicesSettings.types.codeRule') }]
              }
            >
              <Input disabled={!!editing} maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="nameZh"
              label={t('devicesSettings.types.nameZh')}
              rules={[{ required: true, whitespace: true, max: 40 }]}
            >
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="nameEn"
              label={t('devicesSettings.types.nameEn')}
              rules={[{ required: true, whitespace: true, max: 80 }]}
            >
              <Input maxLength={80} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="kind"
              label={t('devicesSettings.rules.kind')}
              extra={editing ? t('devicesSettings.rules.kindFixed') : undefined}
            >
              <Select
                disabled={!!editing}
                data-testid="rule-kind"
                options={RULE_KINDS.map((k) => ({
                  value: k,
                  label: t(`devicesSettings.kinds.${k}`),
                  // a kind needs what it watches: metrics for the use and threshold rules, events for event rules
                  disabled:
                    (k === 'event' && type.events.length === 0) ||
                    (k !== 'event' && k !== 'silent' && type.metrics.length === 0),
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="severity" label={t('devicesSettings.rules.severity')}>
              <Select
                options={SEVERITIES.map((s) => ({
                  value: s,
                  label: <Tag color={SEVERITY_COLORS[s]}>{t(`devicesSettings.severities.${s}`)}</Tag>,
                }))}
              />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item
              name="autoResolve"
              label={t('devicesSettings.rules.autoResolve')}
              valuePropName="checked"
              tooltip={t('devicesSettings.rules.autoResolveHint')}
            >
              <Switch />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="enabled" label={t('devicesSettings.rules.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          {t('devicesSettings.rules.params')}
        </Divider>
        <Typography.Paragraph type="secondary">{t(`devicesSettings.kindHints.${kind}`)}</Typography.Paragraph>
        <RuleParamsFields kind={kind} metrics={type.metrics} events={type.events} />
        <Divider titlePlacement="start" plain>
          {t('devicesSettings.ladder.title')}
        </Divider>
        <LadderEditor />
      </Form>
    </Modal>
  );
}

/** 预警规则: a type's rules with their params, severity and escalation ladder. */
export function DeviceRulesTab() {
  const { t } = useTranslation();
  const types = useDeviceTypes();
  const [typeCode, setTypeCode] = useState<string | null>(null);
  const chosen = typeCode ?? types.data?.[0]?.code ?? null;
  const type = types.data?.find((ty) => ty.code === chosen) ?? null;
  const rules = useDeviceRules(chosen);
  const [mode, setMode] = useState<Mode | null>(null);
  const paramsText = useParamsText();

  const columns: ColumnsType<DeviceRule> = [
    {
      title: t('devicesSettings.rules.name'),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Space size={4} wrap>
          <span>{name}</span>
          {r.builtin ? <Tag icon={<LockOutlined />}>{t('devicesSettings.builtin')}</Tag> : null}
          {r.enabled ? null : <Tag>{t('devicesSettings.rules.off')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('devicesSettings.rules.kind'),
      dataIndex: 'kind',
      width: 110,
      render: (k: RuleKind) => t(`devicesSettings.kinds.${k}`),
    },
    {
      title: t('devicesSettings.rules.params'),
      key: 'params',
      render: (_, r) => paramsText(r.kind, r.params, type ?? undefined),
    },
    {
      title: t('devicesSettings.rules.severity'),
      dataIndex: 'severity',
      width: 90,
      render: (s: Severity) => <Tag color={SEVERITY_COLORS[s]}>{t(`devicesSettings.severities.${s}`)}</Tag>,
    },
    {
      title: t('devicesSettings.ladder.title'),
      key: 'ladder',
      render: (_, r) =>
        r.ladder.length === 0
          ? t('devicesSettings.ladder.none')
          : ladderText(r.ladder, (s) =>
              t('devicesSettings.ladder.step', { level: t(`devicesSettings.levels.${s.level}`), minutes: s.afterMin }),
            ),
    },
    {
      title: t('devicesSettings.rules.autoResolve'),
      dataIndex: 'autoResolve',
      width: 90,
      render: (v: boolean) => (v ? t('common.yes') : t('common.no')),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      render: (_, r) => (
        <Button type="link" size="small" onClick={() => setMode({ kind: 'edit', rule: r })}>
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  if (types.isError) return <Alert type="error" title={types.error.message} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text>{t('devicesSettings.rules.type')}</Typography.Text>
        <Select
          style={{ width: 220 }}
          loading={types.isLoading}
          value={chosen ?? undefined}
          onChange={setTypeCode}
          data-testid="rules-type"
          options={(types.data ?? []).map((ty) => ({ value: ty.code, label: ty.name }))}
        />
        <Button
          type="primary"
          icon={<PlusOutlined />}
          disabled={!type}
          onClick={() => setMode({ kind: 'create' })}
          data-testid="add-device-rule"
        >
          {t('devicesSettings.rules.create')}
        </Button>
      </Space>
      {rules.isError ? <Alert type="error" title={rules.error.message} /> : null}
      <Table<DeviceRule>
        rowKey="id"
        size="small"
        loading={rules.isLoading}
        columns={columns}
        dataSource={rules.data ?? []}
        pagination={false}
        data-testid="device-rules-table"
      />
      {type ? <RuleModal type={type} mode={mode} onClose={() => setMode(null)} /> : null}
    </Space>
  );
}
