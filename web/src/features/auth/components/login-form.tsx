import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../ui/api';
import type { Credentials } from '../api/auth-api';
import { useLogin } from '../hooks/use-auth';

type Props = { onSignedIn: () => void };

export function LoginForm({ onSignedIn }: Props) {
  const { t } = useTranslation();
  const login = useLogin();
  const error = login.error;
  return (
    <Form<Credentials>
      layout="vertical"
      size="large"
      requiredMark={false}
      onFinish={(values) => login.mutate(values, { onSuccess: onSignedIn })}
      onValuesChange={() => login.error && login.reset()}
    >
      {error ? (
        <Form.Item>
          <Alert
            type="error"
            showIcon
            role="alert"
            title={isApiError(error) ? error.message : t('errors.unknown')}
            data-testid="login-error"
          />
        </Form.Item>
      ) : null}
      <Form.Item
        name="username"
        label={t('auth.username')}
        rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('auth.username') }) }]}
      >
        <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('auth.password')}
        rules={[{ required: true, message: t('common.required', { field: t('auth.password') }) }]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" block loading={login.isPending}>
          {t('auth.submit')}
        </Button>
      </Form.Item>
    </Form>
  );
}
