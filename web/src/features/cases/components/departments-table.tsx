import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useDebounced } from '../../../ui/use-debounced';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { usersApi } from '../../users/api/users-api';
import { useDepartments, useSaveDepartment } from '../hooks/use-cases';

type Values = { nodeId?: number | null; name?: string; code?: string; phone?: string; memberIds?: number[] };

/** Members are accounts with a department post, found by name (GET /api/users?role=department). */
function MemberSelect({
  value,
  onChange,
  known,
}: {
  value?: number[];
  onChange?: (v: number[]) => void;
  known: Department['members'];
}) {
  const { t } = useTranslation();
  const [term, setTerm] = useState('');
  const q = useDebounced(term.trim(), 250);
  const found = useQuery({
    queryKey: ['cases', 'department-members', q],
    queryFn: ({ signal }) => usersApi.list({ q, role: 'department', page: 1, pageSize: 20 }, signal),
  });
  const options = new Map<number, string>(known.map((m) => [m.id, m.displayName]));
  for (const u of found.data?.items ?? []) options.set(u.id, `${u.displayName}（${u.username}）`);
  return (
    <Select
      mode="multiple"
      value={value ?? []}
      onChange={onChange}
      placeholder={t('cases.departments.membersPlaceholder')}
      showSearch={{ filterOption: false, onSearch: setTerm, searchValue: term }}
      loading={found.isFetching}
      options={[...options].map(([id, label]) => ({ value: id, label }))}
      data-testid="department-members"
    />
  );
}

function DepartmentModal({ department, onClose }: { department: Department | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveDepartment();
  const submit = async () => {
    const v = await validValues(form);
    if (!v) return;
    const name = (v.name ?? '').trim();
    const code = (v.code ?? '').trim();
    const phone = (v.phone ?? '').trim();
    const args =
      department === null
        ? {
            id: null,
            body: {
              nodeId: v.nodeId ?? 0,
              name,
              ...(code ? { code } : {}),
              ...(phone ? { phone } : {}),
              memberIds: v.memberIds ?? [],
            },
          }
        : { id: department.id, body: { name, code: code || null, phone: phone || null, memberIds: v.memberIds ?? [] } };
    save.mutate(args, {
      onSuccess: () => {
        message.success(t('cases.departments.saved'));
        onClose();
      },
      onError: (error) => {
        if (!showFieldError(form, error, ['nodeId', 'name', 'code', 'phone', 'memberIds']))
          message.error(error.message);
      },
    });
  };
  return (
    <Modal
      open
      title={department ? t('cases.departments.edit') : t('cases.departments.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      data-testid="department-modal"
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={
          department
            ? {
                nodeId: department.nodeId,
                name: department.name,
                code: department.code ?? '',
                phone: department.phone ?? '',
                memberIds: department.members.map((m) => m.id),
              }
            : { memberIds: [] }
        }
      >
        {department ? (
          <Form.Item label={t('cases.departments.node')}>{department.nodeName}</Form.Item>
        ) : (
          <Form.Item
            name="nodeId"
            label={t('cases.departments.node')}
            rules={[{ required: true, message: t('common.selectRequired', { field: t('cases.departments.node') }) }]}
          >
            <NodeSearchSelect
              types={['county', 'street', 'town', 'community', 'village']}
              placeholder={t('cases.departments.nodePlaceholder')}
            />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t('cases.departments.name')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('cases.departments.name') }) },
          ]}
        >
          <Input maxLength={60} data-testid="department-name" />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="code" label={t('cases.departments.code')} style={{ flex: 1, marginInlineEnd: 8 }}>
            <Input maxLength={40} />
          </Form.Item>
          <Form.Item name="phone" label={t('cases.departments.phone')} style={{ flex: 1 }}>
            <Input maxLength={40} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="memberIds" label={t('cases.departments.members')}>
          <MemberSelect known={department?.members ?? []} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 职能部门: the departments of the caller's area (and above) and their members. */
export function DepartmentsTable() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useDepartments();
  const save = useSaveDepartment();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const toggle = (d: Department) =>
    save.mutate(
      { id: d.id, body: { active: !d.active } },
      { onSuccess: () => message.success(t('cases.departments.saved')), onError: (e) => message.error(e.message) },
    );
  return (
    <Card
      title={t('cases.departments.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="department-add">
          {t('cases.departments.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('cases.departments.intro')}</Typography.Paragraph>
      <Table<Department>
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{ emptyText: t('cases.departments.empty') }}
        data-testid="departments-table"
        columns={[
          { title: t('cases.departments.name'), dataIndex: 'name' },
          { title: t('cases.departments.node'), dataIndex: 'nodeName' },
          { title: t('cases.departments.code'), dataIndex: 'code', render: (v: string | null) => v ?? '—' },
          { title: t('cases.departments.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
          {
            title: t('cases.departments.members'),
            key: 'members',
            render: (_, d) => (d.members.length ? d.members.map((m) => <Tag key={m.id}>{m.displayName}</Tag>) : '—'),
          },
          {
            title: t('cases.departments.active'),
            dataIndex: 'active',
            render: (v: boolean) => (
              <Tag color={v ? 'green' : 'default'}>
                {v ? t('cases.departments.isActive') : t('cases.departments.inactive')}
              </Tag>
            ),
          },
          {
            title: '',
            key: 'actions',
            render: (_, d) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => setEditing(d)}>
                  {t('common.edit')}
                </Button>
                <Button size="small" type="link" danger={d.active} onClick={() => toggle(d)}>
                  {d.active ? t('cases.departments.deactivate') : t('cases.departments.activate')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {editing ? (
        <DepartmentModal department={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </Card>
  );
}
