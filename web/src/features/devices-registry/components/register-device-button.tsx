import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Col, DatePicker, Form, Input, Modal, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { DeviceCreated } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useAccess } from '../../auth/hooks/use-access';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { ResidentSearchSelect } from '../../people/components/resident-search-select';
import { RoomSelect } from '../../people/components/room-select';
import { useDeviceTypes, useRegisterDevice } from '../hooks/use-devices-registry';
import { registerBody, SERIAL_PATTERN } from '../utils/registry-utils';
import { DeviceCredentialsView } from './device-credentials';

type Values = {
  typeCode: string;
  serial: string;
  name?: string;
  nodeId: number;
  houseId?: number | null;
  residentId?: number | null;
  installedOn?: Dayjs | null;
  location?: string;
};

const FIELDS = ['typeCode', 'serial', 'name', 'nodeId', 'houseId', 'residentId', 'installedOn', 'location'];

/**
 * 登记设备: the register form, then the new device's credentials shown once with a link to its page.
 * `nodeId` pre-fills where it is installed (the building the list is showing).
 */
export function RegisterDeviceModal({
  open,
  nodeId,
  onClose,
  onCreated,
}: {
  open: boolean;
  nodeId?: number | null;
  onClose: () => void;
  onCreated?: (created: DeviceCreated) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const types = useDeviceTypes(open);
  const register = useRegisterDevice();
  const [created, setCreated] = useState<DeviceCreated | null>(null);
  const navigate = useNavigate();
  const chosenNode = Form.useWatch('nodeId', form) ?? null;

  useEffect(() => {
    if (!open) return;
    setCreated(null);
    form.resetFields();
    if (nodeId) form.setFieldsValue({ nodeId });
  }, [open, nodeId, form]);

  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    try {
      const result = await register.mutateAsync(
        registerBody({ ...v, installedOn: v.installedOn ? v.installedOn.format('YYYY-MM-DD') : null }),
      );
      setCreated(result);
      onCreated?.(result);
      message.success(t('devicesRegistry.register.done', { serial: result.device.serial }));
    } catch (error) {
      if (!showFieldError(form, error, FIELDS)) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open={open}
      title={created ? t('devicesRegistry.register.createdTitle') : t('devicesRegistry.register.title')}
      onCancel={onClose}
      width={720}
      destroyOnHidden
      mask={{ closable: !created }}
      footer={
        created
          ? [
              <Button
                key="open"
                data-testid="device-open-link"
                onClick={() => {
                  onClose();
                  navigate(`/devices/${created.device.id}`);
                }}
              >
                {t('devicesRegistry.register.openDevice')}
              </Button>,
              <Button key="close" type="primary" onClick={onClose}>
                {t('devicesRegistry.credentials.saved')}
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={onClose}>
                {t('common.cancel')}
              </Button>,
              <Button
                key="ok"
                type="primary"
                loading={register.isPending}
                onClick={submit}
                data-testid="register-device-submit"
              >
                {t('devicesRegistry.register.submit')}
              </Button>,
            ]
      }
    >
      {created ? (
        <DeviceCredentialsView credentials={created.credentials} onClose={onClose} />
      ) : (
        <Form<Values> form={form} layout="vertical" data-testid="register-device-form">
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item
                name="typeCode"
                label={t('devicesRegistry.fields.type')}
                rules={[
                  { required: true, message: t('common.selectRequired', { field: t('devicesRegistry.fields.type') }) },
                ]}
              >
                <Select
                  loading={types.isLoading}
                  data-testid="register-device-type"
                  options={(types.data ?? [])
                    .filter((type) => type.active)
                    .map((type) => ({ value: type.code, label: type.name }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="serial"
                label={t('devicesRegistry.fields.serial')}
                extra={t('devicesRegistry.fields.serialHint')}
                rules={[
                  { required: true, message: t('common.required', { field: t('devicesRegistry.fields.serial') }) },
                  { pattern: SERIAL_PATTERN, message: t('devicesRegistry.fields.serialRule') },
                ]}
              >
                <Input maxLength={64} data-testid="register-device-serial" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="name" label={t('devicesRegistry.fields.name')}>
                <Input maxLength={60} placeholder={t('common.optional')} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="nodeId"
                label={t('devicesRegistry.fields.node')}
                extra={t('devicesRegistry.fields.nodeHint')}
                rules={[
                  { required: true, message: t('common.selectRequired', { field: t('devicesRegistry.fields.node') }) },
                ]}
              >
                <NodeSearchSelect
                  data-testid="register-device-node"
                  onChange={() => form.setFieldsValue({ houseId: null })}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="houseId" label={t('devicesRegistry.fields.house')}>
                <RoomSelect nodeId={chosenNode} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="residentId"
                label={t('devicesRegistry.fields.resident')}
                extra={t('devicesRegistry.fields.residentHint')}
              >
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
                <Input maxLength={100} placeholder={t('devicesRegistry.fields.locationHint')} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      )}
    </Modal>
  );
}

/** The "登记设备" button for the device list (hidden without devices.manage). */
export function RegisterDeviceButton({
  nodeId,
  onCreated,
}: {
  nodeId?: number | null;
  onCreated?: (created: DeviceCreated) => void;
}) {
  const { t } = useTranslation();
  const access = useAccess();
  const [open, setOpen] = useState(false);
  if (!access.canRegisterDevices) return null;
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="register-device">
        {t('devicesRegistry.register.action')}
      </Button>
      <RegisterDeviceModal
        open={open}
        nodeId={nodeId ?? null}
        onClose={() => setOpen(false)}
        {...(onCreated ? { onCreated } : {})}
      />
    </>
  );
}
