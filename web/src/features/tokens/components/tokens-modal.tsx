import { App, Button, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { SecretOnce } from '../../../ui/secret-once';
import { formatTime } from '../../../ui/time';
import { useConfirmPassword, useCreateToken, useRevokeToken, useTokens } from '../hooks/use-tokens';

type Props = { open: boolean; onClose: () => void };
type Values = { name: string; expiresInDays?: number | null };

function tokenStatus(token: ApiToken, now: number): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

const STATUS_COLOR = { active: 'green', revoked: 'default', expired: 'orange' } as const;

export function TokensModal({ open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const tokens = useTokens(open);
  const create = useCreateToken();
  const revoke = useRevokeToken();
  // the secret exists only in this state: it is never stored or fetched again
  const [secret, setSecret] = useState<string | null>(null);
  // the values of a creation the server refused until the password is entered again (PASSWORD_CONFIRM_REQUIRED)
  const [pending, setPending] = useState<Values | null>(null);
  const now = Date.now();

  const submit = async (values: Values) => {
    try {
      const created = await create.mutateAsync({
        name: values.name.trim(),
        ...(values.expiresInDays ? { expiresInDays: values.expiresInDays } : {}),
      });
      setSecret(created.token);
      form.resetFields();
    } catch (error) {
      if (isApiError(error) && error.code === 'PASSWORD_CONFIRM_REQUIRED') {
        setPending(values);
      } else if (!showFieldError(form, error, ['name', 'expiresInDays'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  const columns: ColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name' },
    {
      title: t('tokens.prefix'),
      dataIndex: 'prefix',
      render: (p: string) => <Typography.Text code>{p}…</Typography.Text>,
    },
    { title: t('tokens.createdAt'), dataIndex: 'createdAt', render: formatTime },
    {
      title: t('tokens.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      render: (v: string | null) => (v ? formatTime(v) : t('tokens.neverUsed')),
    },
    {
      title: t('tokens.expiresAt'),
      dataIndex: 'expiresAt',
      render: (v: string | null) => (v ? formatTime(v) : t('tokens.never')),
    },
    {
      title: t('tokens.status'),
      key: 'status',
      render: (_, token) => {
        const status = tokenStatus(token, now);
        return <Tag color={STATUS_COLOR[status]}>{t(`tokens.${status}`)}</Tag>;
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, token) =>
        token.revokedAt ? null : (
          <Popconfirm
            title={t('tokens.revokeConfirm', { name: token.name })}
            okText={t('tokens.revoke')}
            okButtonProps={{ danger: true }}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              revoke.mutateAsync(token.id).then(
                () => message.success(t('tokens.revokedDone')),
                (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown')),
              )
            }
          >
            <Button type="link" danger size="small">
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Modal
      open={open}
      title={t('tokens.title')}
      width={880}
      footer={null}
      onCancel={() => {
        setSecret(null);
        onClose();
      }}
      destroyOnHidden
    >
      {secret ? (
        <SecretOnce
          secret={secret}
          title={t('tokens.createdOnce')}
          testId="new-token"
          onClose={() => setSecret(null)}
        />
      ) : null}
      <Form<Values> form={form} layout="inline" onFinish={submit} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item
          name="name"
          label={t('tokens.name')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('tokens.name') }) }]}
        >
          <Input style={{ width: 200 }} maxLength={80} />
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('tokens.expiresInDays')} tooltip={t('tokens.expiresInDaysHelp')}>
          <InputNumber min={1} max={3650} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('tokens.create')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      <Table<ApiToken>
        rowKey="id"
        size="small"
        loading={tokens.isLoading}
        dataSource={tokens.data?.items ?? []}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('tokens.empty') }}
        scroll={{ x: 'max-content' }}
      />
      <ConfirmPasswordModal
        open={pending !== null}
        onCancel={() => setPending(null)}
        onConfirmed={() => {
          const values = pending;
          setPending(null);
          if (values) void submit(values);
        }}
      />
    </Modal>
  );
}

type ConfirmProps = { open: boolean; onCancel: () => void; onConfirmed: () => void };

/** Asks for the password again (the server wants it entered recently before it creates a token). */
function ConfirmPasswordModal({ open, onCancel, onConfirmed }: ConfirmProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const confirm = useConfirmPassword();

  const submit = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    try {
      await confirm.mutateAsync(valid.password);
      form.resetFields();
      onConfirmed();
    } catch (error) {
      if (!showFieldError(form, error, ['password'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open={open}
      title={t('tokens.confirmTitle')}
      okText={t('tokens.confirmSubmit')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onCancel}
      confirmLoading={confirm.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Typography.Paragraph type="secondary">{t('tokens.confirmHelp')}</Typography.Paragraph>
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[{ required: true, message: t('common.required', { field: t('auth.password') }) }]}
        >
          <Input.Password autoComplete="current-password" autoFocus data-testid="confirm-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
