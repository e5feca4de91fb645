import { App, Button, Form, Input, Popconfirm, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Open311Client } from '../../../api-types';
import { showFieldError } from '../../../ui/form-errors';
import { SecretOnce } from '../../../ui/secret-once';
import { formatTime } from '../../../ui/time';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { useCreateOpen311Client, useOpen311Clients, useRevokeOpen311Client } from '../hooks/use-open311';

type Values = { name: string; nodeId: number | null };

const AREA_TYPES = ['county', 'street', 'town', 'community', 'village', 'grid'] as const;

/** Open311 api keys: each bound to an area; the key is shown once, at creation, and can be revoked at once. */
export function Open311ClientsPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const clients = useOpen311Clients();
  const create = useCreateOpen311Client();
  const revoke = useRevokeOpen311Client();
  // the key exists only in this state: the server keeps its hash
  const [secret, setSecret] = useState<string | null>(null);

  const submit = async (values: Values) => {
    if (values.nodeId === null) return;
    try {
      const created = await create.mutateAsync({ name: values.name.trim(), nodeId: values.nodeId });
      setSecret(created.apiKey);
      form.resetFields();
    } catch (error) {
      if (!showFieldError(form, error, ['name', 'nodeId'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  const columns: ColumnsType<Open311Client> = [
    { title: t('open311.name'), dataIndex: 'name' },
    { title: t('open311.area'), dataIndex: 'nodeName' },
    {
      title: t('open311.prefix'),
      dataIndex: 'keyPrefix',
      render: (p: string) => <Typography.Text code>{p}…</Typography.Text>,
    },
    { title: t('open311.createdAt'), dataIndex: 'createdAt', render: formatTime },
    { title: t('open311.createdBy'), dataIndex: 'createdByName', render: (v: string | null) => v ?? '—' },
    {
      title: t('open311.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      render: (v: string | null) => (v ? formatTime(v) : t('open311.neverUsed')),
    },
    {
      title: t('open311.status'),
      key: 'status',
      render: (_, c) =>
        c.revokedAt ? <Tag>{t('open311.revoked')}</Tag> : <Tag color="green">{t('open311.active')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, c) =>
        c.revokedAt ? null : (
          <Popconfirm
            title={t('open311.revokeConfirm', { name: c.name })}
            okText={t('open311.revoke')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              revoke.mutateAsync(c.id).then(
                () => message.success(t('open311.revokedDone')),
                (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown')),
              )
            }
          >
            <Button type="link" danger size="small" data-testid={`revoke-open311-${c.id}`}>
              {t('open311.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">
        {t('open311.intro', { url: `${window.location.origin}/open311/v2/discovery.json` })}
      </Typography.Paragraph>
      {secret ? (
        <SecretOnce
          secret={secret}
          title={t('open311.createdOnce')}
          testId="new-open311-key"
          onClose={() => setSecret(null)}
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="inline"
        onFinish={submit}
        initialValues={{ nodeId: null }}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item
          name="name"
          label={t('open311.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('open311.name') }) }]}
        >
          <Input style={{ width: 200 }} maxLength={80} placeholder={t('open311.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="nodeId"
          label={t('open311.area')}
          tooltip={t('open311.areaHelp')}
          rules={[{ required: true, message: t('common.required', { field: t('open311.area') }) }]}
        >
          <NodeSearchSelect types={AREA_TYPES} style={{ width: 240 }} data-testid="open311-area" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('open311.create')}
          </Button>
        </Form.Item>
      </Form>
      <Table<Open311Client>
        rowKey="id"
        size="small"
        loading={clients.isLoading}
        dataSource={clients.data?.items ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('open311.empty') }}
        scroll={{ x: 'max-content' }}
      />
    </>
  );
}
