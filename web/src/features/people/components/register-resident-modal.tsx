import { App, Col, DatePicker, Form, Input, Modal, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { MoveInSubmitted, Relation, ResidentDetail } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import {
  POLICY_FACT_FIELDS,
  PolicyFactFields,
  type PolicyFactValues,
  policyFactsBody,
} from '../../policies/components/policy-facts';
import { isSubmittedForReview, peopleApi } from '../api/people-api';
import { useCreateResident, useHouse, useInvalidatePeople } from '../hooks/use-people';
import { RELATIONS, relationLabel } from '../utils/labels';
import { RoomSelect } from './room-select';
import { TagSelect } from './tag-select';

const NEW_HOUSEHOLD = 'new';

type Values = {
  name: string;
  idNumber: string;
  phone?: string;
  ethnicity?: string;
  nodeId: number;
  houseId?: number | null;
  household?: number | typeof NEW_HOUSEHOLD | null;
  relation?: Relation;
  movedInOn?: Dayjs | null;
  hukouAddress?: string;
  currentAddress?: string;
  tagIds?: number[];
} & PolicyFactValues;

const FIELDS = [
  'name',
  'idNumber',
  'phone',
  'ethnicity',
  'nodeId',
  'houseId',
  'relation',
  'movedInOn',
  'hukouAddress',
  'currentAddress',
  'tagIds',
  ...POLICY_FACT_FIELDS,
];

/** Where people live: a grid, micro-grid, building or unit (as the server's PLACE_TYPES). */
export const PLACE_NODE_TYPES = ['grid', 'micro_grid', 'building', 'unit'] as const;

/** 18 digits, the last may be X; or an old 15-digit number (the server checks the rest). */
const ID_NUMBER = /^(\d{17}[\dXx]|\d{15})$/;

type Props = { open: boolean; onClose: () => void; onRegistered: (resident: ResidentDetail) => void };

export function RegisterResidentModal({ open, onClose, onRegistered }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateResident();
  const invalidate = useInvalidatePeople();
  const nodeId = Form.useWatch('nodeId', form) ?? null;
  const houseId = Form.useWatch('houseId', form) ?? null;
  const household = Form.useWatch('household', form) ?? null;
  const house = useHouse(houseId);

  const householdOptions = [
    ...(house.data?.households ?? []).map((hh) => {
      const head = hh.members.find((m) => m.id === hh.headResidentId);
      return {
        value: hh.id,
        label: t('people.householdOption', {
          head: head?.name ?? t('common.none'),
          count: hh.members.length,
          no: hh.householdNo ?? `#${hh.id}`,
        }),
      };
    }),
    { value: NEW_HOUSEHOLD, label: t('people.newHousehold') },
  ];

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    const isNewHousehold = values.household === NEW_HOUSEHOLD;
    const existing = typeof values.household === 'number' ? values.household : null;
    const text = (v?: string) => v?.trim() || null;
    let result: ResidentDetail | MoveInSubmitted;
    try {
      result = await create.mutateAsync({
        name: values.name.trim(),
        idNumber: values.idNumber.trim(),
        phone: text(values.phone),
        ethnicity: text(values.ethnicity),
        hukouAddress: text(values.hukouAddress),
        currentAddress: text(values.currentAddress),
        nodeId: values.nodeId,
        houseId: values.houseId ?? null,
        householdId: existing,
        relation: existing ? (values.relation ?? 'other') : null,
        movedInOn: values.movedInOn ? values.movedInOn.format('YYYY-MM-DD') : null,
        tagIds: values.tagIds ?? [],
        ...policyFactsBody(values),
      });
    } catch (error) {
      if (isApiError(error) && error.field === 'householdId') {
        form.setFields([{ name: 'household', errors: [error.message] }]);
      } else if (!showFieldError(form, error, FIELDS)) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
      return;
    }
    if (isSubmittedForReview(result)) {
      // Registered in another community: a move-in request now, decided there; nothing more to set up here.
      message.info(t('people.submittedForReview', { name: values.name.trim() }), 6);
      form.resetFields();
      onClose();
      return;
    }
    const resident = result;
    if (isNewHousehold) {
      // the person exists now; a household that fails to form is set up from their page
      try {
        const hh = await peopleApi.createHousehold({ nodeId: values.nodeId, houseId: values.houseId ?? null });
        await peopleApi.addMember(hh.id, { residentId: resident.id, relation: 'head' });
        await invalidate();
      } catch (error) {
        message.warning(
          t('people.householdFailed', { reason: error instanceof Error ? error.message : t('errors.unknown') }),
        );
      }
    }
    message.success(t('people.registered', { name: resident.name }));
    form.resetFields();
    onRegistered(resident);
  };

  return (
    <Modal
      open={open}
      title={t('people.register')}
      okText={t('people.registerSubmit')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={create.isPending}
      width={720}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" preserve={false} data-testid="register-form">
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="name"
              label={t('people.name')}
              rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('people.name') }) }]}
            >
              <Input maxLength={50} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="idNumber"
              label={t('people.idNumber')}
              extra={t('people.idNumberHelp')}
              rules={[
                { required: true, whitespace: true, message: t('common.required', { field: t('people.idNumber') }) },
                { pattern: ID_NUMBER, message: t('people.idNumberRule') },
              ]}
            >
              <Input maxLength={18} autoComplete="off" className="linli-mono" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t('people.phone')}>
              <Input maxLength={30} inputMode="tel" placeholder={t('common.optional')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ethnicity" label={t('people.ethnicity')}>
              <Input maxLength={20} placeholder={t('people.ethnicityPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="nodeId"
              label={t('people.place')}
              extra={t('people.placeHelp')}
              rules={[{ required: true, message: t('common.selectRequired', { field: t('people.place') }) }]}
            >
              <NodeSearchSelect
                types={PLACE_NODE_TYPES}
                placeholder={t('people.placePlaceholder')}
                onChange={() => form.setFieldsValue({ houseId: null, household: null })}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="houseId" label={t('people.room')}>
              <RoomSelect nodeId={nodeId} onChange={() => form.setFieldsValue({ household: null })} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="household" label={t('people.household')} extra={t('people.householdHelp')}>
              <Select allowClear placeholder={t('people.noHousehold')} options={householdOptions} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            {typeof household === 'number' ? (
              <Form.Item
                name="relation"
                label={t('people.relation')}
                rules={[{ required: true, message: t('common.selectRequired', { field: t('people.relation') }) }]}
              >
                <Select options={RELATIONS.map((r) => ({ value: r, label: relationLabel(t, r) }))} />
              </Form.Item>
            ) : null}
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="hukouAddress" label={t('people.hukouAddress')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="currentAddress" label={t('people.currentAddress')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="movedInOn" label={t('people.movedInOn')}>
              <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(new Date(), 'day')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="tagIds" label={t('people.tags')} extra={t('people.tagsHelp')}>
              <TagSelect mode="multiple" isManualOnly valueOf={(tag) => tag.id} placeholder={t('common.optional')} />
            </Form.Item>
          </Col>
          {/* policies [A3]: 户籍类型 · 收入档次 · 残疾等级 */}
          <PolicyFactFields />
        </Row>
      </Form>
    </Modal>
  );
}
