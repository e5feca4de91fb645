import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { LoginForm } from '../features/auth/components/login-form';
import { LanguageSwitch } from '../ui/language-switch';

/** Only same-site paths are followed after sign-in (no open redirect through ?next=). */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (
    <div className="linli-login">
      <div className="linli-login-lang">
        <LanguageSwitch />
      </div>
      <Card className="linli-login-card">
        <div className="linli-login-brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('app.fullName')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </div>
        </div>
        <Typography.Title level={5} style={{ marginTop: 8 }}>
          {t('auth.loginTitle')}
        </Typography.Title>
        <LoginForm onSignedIn={() => navigate(safeNext(params.get('next')), { replace: true })} />
      </Card>
    </div>
  );
}
