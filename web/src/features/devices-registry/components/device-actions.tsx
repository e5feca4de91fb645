import { EditOutlined, KeyOutlined, PauseCircleOutlined, PlayCircleOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Col, DatePicker, Form, Input, Modal, Row, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceCredentials, DeviceDetail, DevicePatch } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useAccess } from '../../auth/hooks/use-access';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { ResidentSearchSelect } from '../../people/components/resident-search-select';
import { RoomSelect } from '../../people/components/room-select';
import { useRotateCredentials, useUpdateDevice } from '../hooks/use-devices-registry';
import { DeviceCredentialsView } from './device-credentials';

type EditValues = {
  name?: string;
  nodeId: number;
  houseId?: number | null;
  residentId?: number | null;
  installedOn?: Dayjs | null;
  location?: string;
};

const EDIT_FIELDS = ['name', 'nodeId', 'houseId', 'residentId', 'installedOn', 'location'];

function EditDeviceModal({
  device,
  open,
  onClose,
  onSaved,
}: {
  device: DeviceDetail;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const update = useUpdateDevice();
  const nodeId = Form.useWatch('nodeId', form) ?? null;

  useEffect(() => {
    if (!open) return;
    form.setFieldsValue({
      name: device.name ?? '',
      nodeId: device.nodeId,
      houseId: device.houseId,
      residentId: device.residentId,
      installedOn: device.installedOn ? dayjs(device.installedOn) : null,
      location: device.location ?? '',
    });
  }, [open, device, form]);

  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    const body: DevicePatch = {
      version: device.version,
      name: v.name?.trim() || null,
      nodeId: v.nodeId,
      houseId: v.houseId ?? null,
      residentId: v.residentId ?? null,
      installedOn: v.installedOn ? v.installedOn.format('YYYY-MM-DD') : null,
      location: v.location?.trim() || null,
    };
    try {
      await update.mutateAsync({ id: device.id, body });
      message.success(t('common.saved'));
      onSaved();
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, EDIT_FIELDS)) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open={open}
      title={t('devicesRegistry.edit.title', { serial: device.serial })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={update.isPending}
      width={680}
      destroyOnHidden
    >
      <Form<EditValues> form={form} layout="vertical" data-testid="edit-device-form">
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('devicesRegistry.fields.name')}>
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="nodeId"
              label={t('devicesRegistry.fields.node')}
              rules={[
                { required: true, message: t('common.selectRequired', { field: t('devicesRegistry.fields.node') }) },
              ]}
            >
              <NodeSearchSelect onChange={() => form.setFieldsValue({ houseId: null })} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="houseId" label={t('devicesRegistry.fields.house')}>
              <RoomSelect nodeId={nodeId} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="residentId" label={t('devicesRegistry.fields.resident')}>
              <ResidentSearchSelect />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="installedOn" label={t('devicesRegistry.fields.installedOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="location" label={t('devicesRegistry.fields.location')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/**
 * A device's management actions for its page: edit, rotate credentials (the new ones shown once), disable or
 * enable, retire. Nothing is shown without devices.manage; a retired device keeps only its record.
 */
export function DeviceActions({ device, onChanged }: { device: DeviceDetail; onChanged?: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const access = useAccess();
  const update = useUpdateDevice();
  const rotate = useRotateCredentials();
  const [isEditing, setEditing] = useState(false);
  const [credentials, setCredentials] = useState<DeviceCredentials | null>(null);
  if (!access.canRegisterDevices) return null;

  const fail = (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown'));
  const setStatus = (status: DevicePatch['status'], done: string) =>
    update.mutateAsync({ id: device.id, body: { version: device.version, status } }).then(() => {
      message.success(done);
      onChanged?.();
    }, fail);

  const confirmRotate = () =>
    modal.confirm({
      title: t('devicesRegistry.rotate.confirmTitle', { serial: device.serial }),
      content: t('devicesRegistry.rotate.confirmText'),
      okText: t('devicesRegistry.rotate.action'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        rotate.mutateAsync(device.id).then((c) => {
          setCredentials(c);
          onChanged?.();
        }, fail),
    });

  const confirmRetire = () =>
    modal.confirm({
      title: t('devicesRegistry.retire.confirmTitle', { serial: device.serial }),
      content: t('devicesRegistry.retire.confirmText'),
      okText: t('devicesRegistry.retire.action'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => setStatus('retired', t('devicesRegistry.retire.done')),
    });

  const isRetired = device.status === 'retired';
  return (
    <>
      {isRetired ? null : (
        <Space wrap data-testid="device-actions">
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {t('common.edit')}
          </Button>
          <Button icon={<KeyOutlined />} onClick={confirmRotate} data-testid="device-rotate">
            {t('devicesRegistry.rotate.action')}
          </Button>
          {device.status === 'active' ? (
            <Button
              icon={<PauseCircleOutlined />}
              loading={update.isPending}
              onClick={() => setStatus('disabled', t('devicesRegistry.status.disabledDone'))}
            >
              {t('devicesRegistry.status.disable')}
            </Button>
          ) : (
            <Button
              icon={<PlayCircleOutlined />}
              loading={update.isPending}
              onClick={() => setStatus('active', t('devicesRegistry.status.enabledDone'))}
            >
              {t('devicesRegistry.status.enable')}
            </Button>
          )}
          <Button danger icon={<StopOutlined />} onClick={confirmRetire}>
            {t('devicesRegistry.retire.action')}
          </Button>
        </Space>
      )}
      <EditDeviceModal
        device={device}
        open={isEditing}
        onClose={() => setEditing(false)}
        onSaved={() => onChanged?.()}
      />
      <Modal
        open={credentials !== null}
        title={t('devicesRegistry.rotate.doneTitle', { serial: device.serial })}
        onCancel={() => setCredentials(null)}
        mask={{ closable: false }}
        width={640}
        footer={
          <Button type="primary" onClick={() => setCredentials(null)}>
            {t('devicesRegistry.credentials.saved')}
          </Button>
        }
      >
        {credentials ? <DeviceCredentialsView credentials={credentials} onClose={() => setCredentials(null)} /> : null}
      </Modal>
    </>
  );
}
