import { Button, Form, Input, NoticeBar, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useChangePassword } from '../features/auth/hooks/use-auth';
import { PASSWORD_PATTERN } from '../features/auth/utils/password';
import { isApiError } from '../ui/api';
import { useMobileSignOut } from './use-mobile-sign-out';

type Values = { currentPassword: string; newPassword: string; confirm: string };

/** Changes the password; shown instead of every page while the account must change it. */
export function MobilePasswordPage({ isForced = false }: { isForced?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();
  const { signOut } = useMobileSignOut();

  const submit = (values: Values) =>
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          Toast.show({ icon: 'success', content: t('auth.passwordChanged') });
          form.resetFields();
          if (!isForced) navigate('/m/me', { replace: true });
        },
        onError: (error) => {
          const field = isApiError(error) ? error.field : undefined;
          if (field === 'currentPassword' || field === 'newPassword') {
            form.setFields([{ name: field, errors: [error.message] }]);
          } else {
            Toast.show({ icon: 'fail', content: error.message });
          }
        },
      },
    );

  return (
    <div className="m-page" data-testid="m-password">
      {isForced ? <NoticeBar color="alert" wrap content={t('auth.mustChangePassword')} /> : null}
      <Form
        form={form}
        layout="vertical"
        requiredMarkStyle="none"
        onFinish={submit}
        footer={
          <>
            <Button block type="submit" color="primary" size="large" loading={change.isPending}>
              {t('common.save')}
            </Button>
            {isForced ? (
              <Button block fill="none" size="middle" onClick={signOut} style={{ marginTop: 12 }}>
                {t('auth.logout')}
              </Button>
            ) : null}
          </>
        }
      >
        <Form.Item
          name="currentPassword"
          label={t('auth.currentPassword')}
          rules={[{ required: true, message: t('common.required', { field: t('auth.currentPassword') }) }]}
        >
          <Input type="password" autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('auth.newPassword')}
          description={t('auth.passwordRule')}
          rules={[
            { required: true, message: t('common.required', { field: t('auth.newPassword') }) },
            { pattern: PASSWORD_PATTERN, message: t('auth.passwordRule') },
          ]}
        >
          <Input type="password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required', { field: t('auth.confirmPassword') }) },
            ({ getFieldValue }) => ({
              validator: (_: unknown, value: string | undefined) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('auth.passwordMismatch'))),
            }),
          ]}
        >
          <Input type="password" autoComplete="new-password" />
        </Form.Item>
      </Form>
    </div>
  );
}
