import { DeleteOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  Divider,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceType } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useCreateDeviceType, useDeviceTypes, useUpdateDeviceType } from '../hooks/use-devices-settings';
import {
  type DeviceTypeForm,
  duplicateKeys,
  formToCreate,
  formToPatch,
  KEY_PATTERN,
  TYPE_CODE_PATTERN,
  typeToForm,
} from '../utils/device-type-form';
import { localName } from './rule-params-fields';

type Mode = { kind: 'create' } | { kind: 'edit'; type: DeviceType };

const FIELDS = ['code', 'nameZh', 'nameEn', 'reportIntervalS', 'sort', 'active', 'metrics', 'events'];

function DefRows({ list, locked }: { list: 'metrics' | 'events'; locked: boolean }) {
  const { t } = useTranslation();
  const isMetric = list === 'metrics';
  const keyRules = [
    { required: true, message: t('devicesSettings.types.keyRequired') },
    { pattern: KEY_PATTERN, message: t('devicesSettings.types.keyRule') },
  ];
  return (
    <Form.List name={list}>
      {(fields, { add, remove }) => (
        <div data-testid={`type-${list}`}>
          {fields.length > 0 ? (
            <Row gutter={8} className="linli-muted" style={{ marginBottom: 4 }}>
              <Col span={isMetric ? 4 : 7}>{t('devicesSettings.types.key')}</Col>
              <Col span={isMetric ? 4 : 7}>{t('devicesSettings.types.nameZh')}</Col>
              <Col span={isMetric ? 4 : 8}>{t('devicesSettings.types.nameEn')}</Col>
              {isMetric ? (
                <>
                  <Col span={2}>{t('devicesSettings.types.unit')}</Col>
                  <Col span={3}>{t('devicesSettings.types.min')}</Col>
                  <Col span={3}>{t('devicesSettings.types.max')}</Col>
                </>
              ) : null}
            </Row>
          ) : null}
          {fields.map((field) => (
            <Row key={field.key} gutter={8} align="top">
              <Col span={isMetric ? 4 : 7}>
                <Form.Item name={[field.name, 'key']} rules={keyRules}>
                  <Input placeholder={t('devicesSettings.types.key')} disabled={locked} maxLength={32} />
                </Form.Item>
              </Col>
              <Col span={isMetric ? 4 : 7}>
                <Form.Item
                  name={[field.name, 'nameZh']}
                  rules={[{ required: true, message: t('devicesSettings.types.nameRequired') }]}
                >
                  <Input placeholder={t('devicesSettings.types.nameZh')} disabled={locked} maxLength={40} />
                </Form.Item>
              </Col>
              <Col span={isMetric ? 4 : 8}>
                <Form.Item
                  name={[field.name, 'nameEn']}
                  rules={[{ required: true, message: t('devicesSettings.types.nameRequired') }]}
                >
                  <Input placeholder={t('devicesSettings.types.nameEn')} disabled={locked} maxLength={80} />
                </Form.Item>
              </Col>
              {isMetric ? (
                <>
                  <Col span={2}>
                    <Form.Item name={[field.name, 'unit']}>
                      <Input placeholder={t('devicesSettings.types.unit')} disabled={locked} maxLength={16} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item
                      name={[field.name, 'min']}
                      rules={[{ required: true, message: t('devicesSettings.types.rangeRequired') }]}
                    >
                      <InputNumber
                        placeholder={t('devicesSettings.types.min')}
                        disabled={locked}
                        style={{ width: '100%' }}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item
                      name={[field.name, 'max']}
                      dependencies={[[list, field.name, 'min']]}
                      rules={[
                        { required: true, message: t('devicesSettings.types.rangeRequired') },
                        ({ getFieldValue }) => ({
                          validator: async (_, max: number | null) => {
                            const min = getFieldValue([list, field.name, 'min']) as number | null;
                            if (typeof min === 'number' && typeof max === 'number' && max <= min) {
                              throw new Error(t('devicesSettings.types.maxAboveMin'));
                            }
                          },
                        }),
                      ]}
                    >
                      <InputNumber
                        placeholder={t('devicesSettings.types.max')}
                        disabled={locked}
                        style={{ width: '100%' }}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item name={[field.name, 'cumulative']} valuePropName="checked">
                      <Checkbox disabled={locked}>{t('devicesSettings.types.cumulative')}</Checkbox>
                    </Form.Item>
                  </Col>
                </>
              ) : null}
              <Col span={1}>
                {locked ? null : (
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('common.remove')}
                    onClick={() => remove(field.name)}
                  />
                )}
              </Col>
            </Row>
          ))}
          {locked ? null : (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              disabled={fields.length >= 20}
              onClick={() => add(isMetric ? { min: 0, max: 100 } : {})}
            >
              {isMetric ? t('devicesSettings.types.addMetric') : t('devicesSettings.types.addEvent')}
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}

function DeviceTypeModal({ mode, onClose }: { mode: Mode | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<DeviceTypeForm>();
  const create = useCreateDeviceType();
  const update = useUpdateDeviceType();
  const editing = mode?.kind === 'edit' ? mode.type : null;
  const locked = editing?.builtin ?? false;

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    form.setFieldsValue(
      mode.kind === 'edit'
        ? typeToForm(mode.type)
        : { reportIntervalS: 300, sort: 100, active: true, metrics: [], events: [] },
    );
  }, [mode, form]);

  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    const dups = duplicateKeys(v);
    if (dups.length > 0) {
      form.setFields(
        dups.map(([list, i]) => ({ name: [list, i, 'key'], errors: [t('devicesSettings.types.keyTaken')] })),
      );
      return;
    }
    try {
      if (editing) await update.mutateAsync({ code: editing.code, body: formToPatch(editing, v) });
      else await create.mutateAsync(formToCreate(v));
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
        editing ? t('devicesSettings.types.editTitle', { name: editing.name }) : t('devicesSettings.types.createTitle')
      }
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      width={960}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" data-testid="device-type-form">
        {locked ? (
          <Alert
            type="info"
            showIcon
            icon={<LockOutlined />}
            style={{ marginBottom: 12 }}
            title={t('devicesSettings.types.builtinLocked')}
          />
        ) : null}
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              name="code"
              label={t('devicesSettings.types.code')}
              extra={editing ? undefined : t('devicesSettings.types.codeHint')}
              rules={
                editing
                  ? []
                  : [{ required: true, pattern: TYPE_CODE_PATTERN, message: t('devicesSettings.types.codeRule') }]
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
              name="reportIntervalS"
              label={t('devicesSettings.types.interval')}
              extra={t('devicesSettings.types.intervalHint')}
              rules={[
                { required: true, message: t('common.required', { field: t('devicesSettings.types.interval') }) },
              ]}
            >
              <InputNumber
                min={1}
                max={86400}
                precision={0}
                style={{ width: '100%' }}
                suffix={t('devicesSettings.types.seconds')}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="sort" label={t('devicesSettings.types.sort')}>
              <InputNumber min={0} max={10000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {editing ? (
            <Col span={8}>
              <Form.Item
                name="active"
                label={t('devicesSettings.types.active')}
                valuePropName="checked"
                extra={t('devicesSettings.types.activeHint')}
              >
                <Switch />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
        <Divider titlePlacement="start" plain>
          {t('devicesSettings.types.metrics')}
        </Divider>
        <Typography.Paragraph type="secondary">{t('devicesSettings.types.metricsHint')}</Typography.Paragraph>
        <DefRows list="metrics" locked={locked} />
        <Divider titlePlacement="start" plain>
          {t('devicesSettings.types.events')}
        </Divider>
        <DefRows list="events" locked={locked} />
      </Form>
    </Modal>
  );
}

/** 设备类型: built-in and admin-defined types with what they report. */
export function DeviceTypesTab() {
  const { t } = useTranslation();
  const types = useDeviceTypes();
  const [mode, setMode] = useState<Mode | null>(null);

  const columns: ColumnsType<DeviceType> = [
    {
      title: t('devicesSettings.types.name'),
      dataIndex: 'name',
      render: (name: string, type) => (
        <Space size={4}>
          <span>{name}</span>
          {type.builtin ? <Tag icon={<LockOutlined />}>{t('devicesSettings.builtin')}</Tag> : null}
          {type.active ? null : <Tag>{t('devicesSettings.inactive')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('devicesSettings.types.code'),
      dataIndex: 'code',
      width: 150,
      render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
    },
    {
      title: t('devicesSettings.types.metrics'),
      key: 'metrics',
      render: (_, type) =>
        type.metrics.length === 0
          ? t('common.none')
          : type.metrics.map((m) => `${localName(m)}${m.unit ? `（${m.unit}）` : ''}`).join('、'),
    },
    {
      title: t('devicesSettings.types.events'),
      key: 'events',
      render: (_, type) => (type.events.length === 0 ? t('common.none') : type.events.map(localName).join('、')),
    },
    {
      title: t('devicesSettings.types.interval'),
      dataIndex: 'reportIntervalS',
      width: 110,
      align: 'right',
      render: (s: number) => t('devicesSettings.types.intervalValue', { seconds: s }),
    },
    { title: t('devicesSettings.types.deviceCount'), dataIndex: 'deviceCount', width: 90, align: 'right' },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, type) => (
        <Button type="link" size="small" onClick={() => setMode({ kind: 'edit', type })}>
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  if (types.isError) return <Alert type="error" title={types.error.message} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setMode({ kind: 'create' })}
          data-testid="add-device-type"
        >
          {t('devicesSettings.types.create')}
        </Button>
        <Typography.Text type="secondary">{t('devicesSettings.types.hint')}</Typography.Text>
      </Space>
      <Table<DeviceType>
        rowKey="code"
        size="small"
        loading={types.isLoading}
        columns={columns}
        dataSource={types.data ?? []}
        pagination={false}
        data-testid="device-types-table"
      />
      <DeviceTypeModal mode={mode} onClose={() => setMode(null)} />
    </Space>
  );
}
