import { Alert, App, Col, DatePicker, Form, Input, Modal, Radio, Row } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { LeaveBody, ResidentDetail } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import {
  POLICY_FACT_FIELDS,
  PolicyFactFields,
  type PolicyFactValues,
  policyFactsBody,
} from '../../policies/components/policy-facts';
import { useRecordLeave, useUpdateResident } from '../hooks/use-people';
import { PLACE_NODE_TYPES } from './register-resident-modal';
import { RoomSelect } from './room-select';

type Props = { resident: ResidentDetail; open: boolean; onClose: () => void };

type EditValues = {
  name: string;
  phone?: string;
  ethnicity?: string;
  hukouAddress?: string;
  currentAddress?: string;
  nodeId: number;
  houseId?: number | null;
} & PolicyFactValues;

const EDIT_FIELDS = [
  'name',
  'phone',
  'ethnicity',
  'hukouAddress',
  'currentAddress',
  'nodeId',
  'houseId',
  ...POLICY_FACT_FIELDS,
];

export function EditResidentModal({ resident, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<EditValues>();
  const update = useUpdateResident();
  const nodeId = Form.useWatch('nodeId', form) ?? null;

  useEffect(() => {
    if (open) {
      form.setFieldsValue({
        name: resident.name,
        phone: '',
        ethnicity: resident.ethnicity ?? '',
        hukouAddress: resident.hukouAddress ?? '',
        currentAddress: resident.currentAddress ?? '',
        nodeId: resident.nodeId,
        houseId: resident.houseId,
        hukouType: resident.hukouType,
        incomeBand: resident.incomeBand,
        disabilityGrade: resident.disabilityGrade,
      });
    }
  }, [open, resident, form]);

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    const phone = values.phone?.trim();
    try {
      await update.mutateAsync({
        id: resident.id,
        body: {
          name: values.name.trim(),
          // an empty box keeps the number on file (it is only ever shown masked)
          ...(phone ? { phone } : {}),
          ethnicity: values.ethnicity?.trim() || null,
          hukouAddress: values.hukouAddress?.trim() || null,
          currentAddress: values.currentAddress?.trim() || null,
          nodeId: values.nodeId,
          houseId: values.houseId ?? null,
          ...policyFactsBody(values),
        },
      });
      message.success(t('common.saved'));
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
      title={t('people.editTitle', { name: resident.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={update.isPending}
      width={680}
      destroyOnHidden
    >
      <Form<EditValues> form={form} layout="vertical" data-testid="edit-resident-form">
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="name"
              label={t('people.name')}
              rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('people.name') }) }]}
            >
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t('people.phone')} extra={t('people.phoneKeepHelp')}>
              <Input maxLength={30} inputMode="tel" placeholder={resident.phoneMasked ?? t('common.optional')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ethnicity" label={t('people.ethnicity')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="nodeId"
              label={t('people.place')}
              rules={[{ required: true, message: t('common.selectRequired', { field: t('people.place') }) }]}
            >
              <NodeSearchSelect types={PLACE_NODE_TYPES} onChange={() => form.setFieldsValue({ houseId: null })} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="houseId" label={t('people.room')}>
              <RoomSelect nodeId={nodeId} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="hukouAddress" label={t('people.hukouAddress')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="currentAddress" label={t('people.currentAddress')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          {/* policies [A3]: 户籍类型 · 收入档次 · 残疾等级 */}
          <PolicyFactFields />
        </Row>
      </Form>
    </Modal>
  );
}

type LeaveValues = { reason: LeaveBody['reason']; on: Dayjs; note?: string };

/** Records a move out of the area or a death; the person's history stays. */
export function LeaveModal({ resident, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<LeaveValues>();
  const leave = useRecordLeave();

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    try {
      await leave.mutateAsync({
        id: resident.id,
        body: {
          reason: values.reason,
          on: values.on.format('YYYY-MM-DD'),
          ...(values.note?.trim() ? { note: values.note.trim() } : {}),
        },
      });
      message.success(values.reason === 'deceased' ? t('people.leave.deathDone') : t('people.leave.moveOutDone'));
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, ['reason', 'on', 'note'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open={open}
      title={t('people.leave.title', { name: resident.name })}
      okText={t('common.confirm')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={leave.isPending}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('people.leave.help')} style={{ marginBottom: 16 }} />
      <Form<LeaveValues> form={form} layout="vertical" initialValues={{ reason: 'moved_out' }}>
        <Form.Item name="reason" label={t('people.leave.reason')} rules={[{ required: true }]}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'moved_out', label: t('people.leave.movedOut') },
              { value: 'deceased', label: t('people.leave.deceased') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="on"
          label={t('people.leave.on')}
          rules={[{ required: true, message: t('common.selectRequired', { field: t('people.leave.on') }) }]}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(new Date(), 'day')} />
        </Form.Item>
        <Form.Item name="note" label={t('people.leave.note')}>
          <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('common.optional')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
