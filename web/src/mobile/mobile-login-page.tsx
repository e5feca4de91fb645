import { Button, Form, Input, NoticeBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useLogin } from '../features/auth/hooks/use-auth';
import { setLanguage } from '../i18n';
import { isApiError } from '../ui/api';
import { MobileLanguage } from './mobile-language';

type Values = { username: string; password: string };

export function MobileLoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const login = useLogin();
  const error = login.error;
  return (
    <div className="m-login">
      <div className="m-login-brand">
        <img src="/favicon.svg" alt="" width={56} height={56} />
        <h1>{t('app.fullName')}</h1>
        <p>{t('app.tagline')}</p>
      </div>
      {error ? (
        <div role="alert" data-testid="login-error">
          <NoticeBar color="error" wrap content={isApiError(error) ? error.message : t('errors.unknown')} />
        </div>
      ) : null}
      <Form
        layout="vertical"
        requiredMarkStyle="none"
        onFinish={(values: Values) => login.mutate(values, { onSuccess: () => navigate('/m', { replace: true }) })}
        onValuesChange={() => login.error && login.reset()}
        footer={
          <Button block type="submit" color="primary" size="large" loading={login.isPending}>
            {t('auth.submit')}
          </Button>
        }
      >
        <Form.Item
          name="username"
          label={t('auth.username')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('auth.username') }) }]}
        >
          <Input autoComplete="username" clearable placeholder={t('auth.username')} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[{ required: true, message: t('common.required', { field: t('auth.password') }) }]}
        >
          <Input type="password" autoComplete="current-password" placeholder={t('auth.password')} />
        </Form.Item>
      </Form>
      <div className="m-login-lang">
        <MobileLanguage onSwitch={setLanguage} />
      </div>
    </div>
  );
}
