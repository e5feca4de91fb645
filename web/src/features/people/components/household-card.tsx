import { HomeOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Form, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Household, Relation, ResidentDetail } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useAddHouseholdMember, useCreateHousehold } from '../hooks/use-people';
import { RELATIONS, relationLabel, sexLabel, statusLabel } from '../utils/labels';
import { ResidentSearchSelect } from './resident-search-select';

type Props = {
  resident: ResidentDetail;
  canWrite: boolean;
  /** Opens the resident's house (room) with everyone living there. */
  onOpenHouse: (houseId: number) => void;
};

type Member = Household['members'][number];

export function HouseholdCard({ resident, canWrite, onOpenHouse }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const household = resident.household;
  const createHousehold = useCreateHousehold();
  const addMember = useAddHouseholdMember();
  const [isAdding, setAdding] = useState(false);
  const isWritable = canWrite && resident.status === 'active';

  const formHousehold = async () => {
    try {
      const hh = await createHousehold.mutateAsync({ nodeId: resident.nodeId, houseId: resident.houseId });
      await addMember.mutateAsync({ householdId: hh.id, body: { residentId: resident.id, relation: 'head' } });
      message.success(t('people.householdFormed'));
    } catch (error) {
      message.error(error instanceof Error ? error.message : t('errors.unknown'));
    }
  };

  return (
    <Card
      size="small"
      title={
        <Space>
          {t('people.household')}
          {household?.householdNo ? <Typography.Text type="secondary">{household.householdNo}</Typography.Text> : null}
        </Space>
      }
      data-testid="resident-household"
      extra={
        <Space size={0}>
          {resident.houseId ? (
            <Button size="small" type="link" icon={<HomeOutlined />} onClick={() => onOpenHouse(resident.houseId ?? 0)}>
              {t('people.openHouse', { room: resident.roomNo ?? '' })}
            </Button>
          ) : null}
          {household && isWritable ? (
            <Button size="small" type="link" icon={<UserAddOutlined />} onClick={() => setAdding(true)}>
              {t('people.memberAdd')}
            </Button>
          ) : null}
        </Space>
      }
    >
      {household ? (
        <Table<Member>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={household.members}
          columns={[
            {
              title: t('people.name'),
              dataIndex: 'name',
              render: (name: string, m) =>
                m.id === resident.id ? (
                  <Typography.Text strong>{name}</Typography.Text>
                ) : (
                  <Link to={`/people/residents/${m.id}`}>{name}</Link>
                ),
            },
            {
              title: t('people.relation'),
              dataIndex: 'relation',
              render: (r: Member['relation']) => relationLabel(t, r),
            },
            { title: t('people.sex'), dataIndex: 'sex', render: (s: Member['sex']) => sexLabel(t, s) },
            { title: t('people.age'), dataIndex: 'age' },
            {
              title: t('people.status'),
              dataIndex: 'status',
              render: (s: Member['status']) => (s === 'active' ? statusLabel(t, s) : <Tag>{statusLabel(t, s)}</Tag>),
            },
          ]}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('people.noHouseholdYet')}>
          {isWritable ? (
            <Button loading={createHousehold.isPending || addMember.isPending} onClick={formHousehold}>
              {t('people.formHousehold')}
            </Button>
          ) : null}
        </Empty>
      )}
      {household && isWritable ? (
        <AddMemberModal household={household} open={isAdding} onClose={() => setAdding(false)} />
      ) : null}
    </Card>
  );
}

type Values = { residentId: number; relation: Relation };

/** Puts a person into the household; someone in another household is moved only after asking. */
function AddMemberModal({ household, open, onClose }: { household: Household; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const add = useAddHouseholdMember();

  const save = async (values: Values, moveFromOther: boolean) => {
    await add.mutateAsync({
      householdId: household.id,
      body: { residentId: values.residentId, relation: values.relation, ...(moveFromOther ? { moveFromOther } : {}) },
    });
    message.success(t('people.memberAdded'));
    form.resetFields();
    onClose();
  };

  const fail = (error: unknown) => {
    if (!showFieldError(form, error, ['residentId', 'relation'])) {
      message.error(error instanceof Error ? error.message : t('errors.unknown'));
    }
  };

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    try {
      await save(values, false);
    } catch (error) {
      if (isApiError(error) && error.code === 'RESIDENT_IN_OTHER_HOUSEHOLD') {
        modal.confirm({
          title: t('people.moveFromOtherTitle'),
          content: t('people.moveFromOtherContent'),
          okText: t('people.moveFromOtherOk'),
          cancelText: t('common.cancel'),
          onOk: () => save(values, true).catch(fail),
        });
      } else {
        fail(error);
      }
    }
  };

  return (
    <Modal
      open={open}
      title={t('people.memberAdd')}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={add.isPending}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ relation: 'child' }} data-testid="add-member-form">
        <Form.Item
          name="residentId"
          label={t('people.member')}
          rules={[{ required: true, message: t('common.selectRequired', { field: t('people.member') }) }]}
        >
          <ResidentSearchSelect excludeIds={household.members.map((m) => m.id)} />
        </Form.Item>
        <Form.Item name="relation" label={t('people.relation')} rules={[{ required: true }]}>
          <Select options={RELATIONS.map((r) => ({ value: r, label: relationLabel(t, r) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
