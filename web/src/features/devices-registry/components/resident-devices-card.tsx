import { App, Button, Card, DatePicker, Form, Input, Modal, Space, Switch, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Away, DeviceListItem } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { formatTime } from '../../../ui/time';
import { useAccess } from '../../auth/hooks/use-access';
import { useParamsText } from '../../devices-settings/components/device-rules-tab';
import { RuleParamsFields } from '../../devices-settings/components/rule-params-fields';
import { overrideParams, type ParamsForm, paramsToForm } from '../../devices-settings/utils/rule-params';
import {
  useAway,
  useClearAway,
  useDeviceDetails,
  usePutOverride,
  useRemoveOverride,
  useResidentDevices,
  useRuleOverrides,
  useSetAway,
} from '../hooks/use-devices-registry';
import { type PersonRule, personRules } from '../utils/registry-utils';

type AwayValues = { untilAt?: Dayjs | null; reason?: string };

function AwaySwitch({ residentId, away }: { residentId: number; away: Away | null }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const set = useSetAway();
  const clear = useClearAway();
  const [isAsking, setAsking] = useState(false);
  const [form] = Form.useForm<AwayValues>();
  const fail = (e: unknown) => message.error(e instanceof Error ? e.message : t('errors.unknown'));

  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    try {
      await set.mutateAsync({
        residentId,
        body: { untilAt: v.untilAt ? v.untilAt.toISOString() : null, reason: v.reason?.trim() || null },
      });
      message.success(t('devicesRegistry.away.setDone'));
      setAsking(false);
    } catch (e) {
      if (!showFieldError(form, e, ['untilAt', 'reason'])) fail(e);
    }
  };

  return (
    <Space wrap data-testid="resident-away">
      <Switch
        checked={away !== null}
        loading={set.isPending || clear.isPending}
        onChange={(on) => {
          if (on) {
            form.resetFields();
            setAsking(true);
          } else {
            modal.confirm({
              title: t('devicesRegistry.away.clearConfirm'),
              okText: t('common.confirm'),
              cancelText: t('common.cancel'),
              onOk: () =>
                clear.mutateAsync(residentId).then(() => message.success(t('devicesRegistry.away.clearDone')), fail),
            });
          }
        }}
        aria-label={t('devicesRegistry.away.label')}
      />
      <Typography.Text>
        {away
          ? t('devicesRegistry.away.on', {
              until: away.untilAt ? formatTime(away.untilAt) : t('devicesRegistry.away.untilOff'),
            })
          : t('devicesRegistry.away.off')}
      </Typography.Text>
      {away?.reason ? <Typography.Text type="secondary">{away.reason}</Typography.Text> : null}
      {away?.setBy ? (
        <Typography.Text type="secondary">
          {t('devicesRegistry.away.setBy', { who: away.setBy, at: formatTime(away.setAt) })}
        </Typography.Text>
      ) : null}
      <Modal
        open={isAsking}
        title={t('devicesRegistry.away.title')}
        onCancel={() => setAsking(false)}
        onOk={submit}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={set.isPending}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('devicesRegistry.away.hint')}</Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item name="untilAt" label={t('devicesRegistry.away.until')} extra={t('devicesRegistry.away.untilHint')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="reason" label={t('devicesRegistry.away.reason')}>
            <Input maxLength={100} placeholder={t('devicesRegistry.away.reasonPlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

type OverrideValues = { enabled: boolean; params: ParamsForm; note?: string };

function OverrideModal({
  residentId,
  target,
  onClose,
}: {
  residentId: number;
  target: PersonRule | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<OverrideValues>();
  const put = usePutOverride();
  const enabled = Form.useWatch('enabled', form) ?? true;

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    const { rule, override } = target;
    form.setFieldsValue({
      enabled: override?.enabled ?? true,
      params: paramsToForm(rule.kind, { ...rule.params, ...(override?.params ?? {}) }),
      note: override?.note ?? '',
    });
  }, [target, form]);

  const submit = async () => {
    if (!target) return;
    const v = await validValues(form);
    if (!v) return;
    const { rule } = target;
    try {
      await put.mutateAsync({
        residentId,
        ruleId: rule.id,
        body: {
          enabled: v.enabled,
          params: v.enabled ? overrideParams(rule.kind, rule.params, v.params ?? {}) : {},
          note: v.note?.trim() || null,
        },
      });
      message.success(t('common.saved'));
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, ['params', 'enabled', 'note'])) {
        message.error(e instanceof Error ? e.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open={target !== null}
      title={target ? t('devicesRegistry.overrides.editTitle', { rule: target.rule.name }) : ''}
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={put.isPending}
      width={640}
      destroyOnHidden
    >
      {target ? (
        <Form form={form} layout="vertical" data-testid="override-form">
          <Typography.Paragraph type="secondary">{t('devicesRegistry.overrides.hint')}</Typography.Paragraph>
          <Form.Item name="enabled" label={t('devicesRegistry.overrides.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
          {enabled ? (
            <RuleParamsFields
              kind={target.rule.kind}
              metrics={target.device.metrics}
              events={target.device.events}
              isOverride
            />
          ) : null}
          <Form.Item name="note" label={t('devicesRegistry.overrides.note')}>
            <Input maxLength={200} placeholder={t('devicesRegistry.overrides.notePlaceholder')} />
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}

/**
 * 设备与预警 on a resident's page: the devices watching over them, the away switch (alarms.handle) and the
 * person's rule overrides (devices.manage). Shown only with devices.read.
 */
export function ResidentDevicesCard({ residentId }: { residentId: number }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const access = useAccess();
  const devices = useResidentDevices(residentId);
  const items = devices.data?.items ?? [];
  const ids = useMemo(() => items.filter((d) => d.status !== 'retired').map((d) => d.id), [items]);
  const canOverride = access.canRegisterDevices;
  const details = useDeviceDetails(canOverride ? ids : []);
  const overrides = useRuleOverrides(residentId, canOverride);
  const away = useAway(residentId, access.canSetAway);
  const remove = useRemoveOverride();
  const [target, setTarget] = useState<PersonRule | null>(null);
  const paramsText = useParamsText();
  const rules = useMemo(() => personRules(details.data ?? [], overrides.data ?? []), [details.data, overrides.data]);

  return (
    <Card size="small" title={t('devicesRegistry.resident.title')} data-testid="resident-devices">
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Table<DeviceListItem>
          rowKey="id"
          size="small"
          loading={devices.isLoading}
          dataSource={items}
          pagination={false}
          locale={{ emptyText: t('devicesRegistry.resident.none') }}
          columns={[
            {
              title: t('devicesRegistry.fields.type'),
              dataIndex: 'typeName',
              render: (name: string, d) => <Link to={`/devices/${d.id}`}>{d.name ? `${name} · ${d.name}` : name}</Link>,
            },
            {
              title: t('devicesRegistry.fields.serial'),
              dataIndex: 'serial',
              render: (s: string) => <span className="linli-mono">{s}</span>,
            },
            {
              title: t('devicesRegistry.resident.state'),
              key: 'state',
              render: (_, d) =>
                d.status !== 'active' ? (
                  <Tag>{t(`devicesRegistry.statuses.${d.status}`)}</Tag>
                ) : d.online ? (
                  <Tag color="green">{t('devicesRegistry.resident.online')}</Tag>
                ) : (
                  <Tag color="orange">{t('devicesRegistry.resident.offline')}</Tag>
                ),
            },
            {
              title: t('devicesRegistry.resident.openAlarms'),
              dataIndex: 'openAlarms',
              align: 'right',
              render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : 0),
            },
          ]}
        />
        {access.canSetAway ? (
          <div>
            <Typography.Text strong>{t('devicesRegistry.away.label')}</Typography.Text>
            <div style={{ marginTop: 4 }}>
              {away.isError ? (
                <Typography.Text type="danger">{away.error.message}</Typography.Text>
              ) : (
                <AwaySwitch residentId={residentId} away={away.data ?? null} />
              )}
            </div>
          </div>
        ) : null}
        {canOverride && rules.length > 0 ? (
          <div>
            <Typography.Text strong>{t('devicesRegistry.overrides.title')}</Typography.Text>
            <Table<PersonRule>
              rowKey={(r) => r.rule.id}
              size="small"
              loading={details.isLoading || overrides.isLoading}
              dataSource={rules}
              pagination={false}
              data-testid="resident-overrides"
              columns={[
                {
                  title: t('devicesRegistry.overrides.rule'),
                  key: 'rule',
                  render: (_, r) => (
                    <Space size={4} wrap>
                      <span>{r.rule.name}</span>
                      <Typography.Text type="secondary">{r.device.typeName}</Typography.Text>
                    </Space>
                  ),
                },
                {
                  title: t('devicesRegistry.overrides.effective'),
                  key: 'params',
                  render: (_, r) =>
                    r.override && !r.override.enabled
                      ? t('devicesRegistry.overrides.offForPerson')
                      : paramsText(r.rule.kind, { ...r.rule.params, ...(r.override?.params ?? {}) }, r.device),
                },
                {
                  title: t('devicesRegistry.overrides.state'),
                  key: 'state',
                  render: (_, r) =>
                    !r.override ? (
                      <Tag>{t('devicesRegistry.overrides.default')}</Tag>
                    ) : r.override.enabled ? (
                      <Tag color="blue">{t('devicesRegistry.overrides.adjusted')}</Tag>
                    ) : (
                      <Tag color="orange">{t('devicesRegistry.overrides.off')}</Tag>
                    ),
                },
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_, r) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setTarget(r)}>
                        {t('devicesRegistry.overrides.adjust')}
                      </Button>
                      {r.override ? (
                        <Button
                          type="link"
                          size="small"
                          onClick={() =>
                            modal.confirm({
                              title: t('devicesRegistry.overrides.resetConfirm', { rule: r.rule.name }),
                              okText: t('common.confirm'),
                              cancelText: t('common.cancel'),
                              onOk: () =>
                                remove.mutateAsync({ residentId, ruleId: r.rule.id }).then(
                                  () => message.success(t('devicesRegistry.overrides.resetDone')),
                                  (e: unknown) => message.error(e instanceof Error ? e.message : t('errors.unknown')),
                                ),
                            })
                          }
                        >
                          {t('devicesRegistry.overrides.reset')}
                        </Button>
                      ) : null}
                    </Space>
                  ),
                },
              ]}
            />
          </div>
        ) : null}
      </Space>
      {canOverride ? <OverrideModal residentId={residentId} target={target} onClose={() => setTarget(null)} /> : null}
    </Card>
  );
}
