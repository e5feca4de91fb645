import { Alert, App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useChangePassword } from '../hooks/use-auth';
import { PASSWORD_PATTERN } from '../utils/password';

type Values = { currentPassword: string; newPassword: string; confirm: string };

type Props = {
  open: boolean;
  /** A user who must change their password cannot dismiss the dialog. */
  isForced?: boolean;
  onClose: () => void;
  /** Offered instead of Cancel while the change is forced, so the user is never stuck. */
  onLogout?: () => void;
};

export function ChangePasswordModal({ open, isForced = false, onClose, onLogout }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();

  const submit = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    const values = valid;
    try {
      await change.mutateAsync({ currentPassword: values.currentPassword, newPassword: values.newPassword });
      message.success(t('auth.passwordChanged'));
      form.resetFields();
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, ['currentPassword', 'newPassword'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open={open}
      title={t('auth.changePassword')}
      onOk={submit}
      okText={t('common.save')}
      confirmLoading={change.isPending}
      closable={!isForced}
      mask={{ closable: !isForced }}
      keyboard={!isForced}
      cancelText={isForced ? t('auth.logout') : t('common.cancel')}
      onCancel={isForced ? onLogout : onClose}
      destroyOnHidden
    >
      {isForced ? (
        <Alert type="warning" showIcon title={t('auth.mustChangePassword')} style={{ marginBottom: 16 }} />
      ) : null}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item
          name="currentPassword"
          label={t('auth.currentPassword')}
          rules={[{ required: true, message: t('common.required', { field: t('auth.currentPassword') }) }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('auth.newPassword')}
          extra={t('auth.passwordRule')}
          rules={[
            { required: true, message: t('common.required', { field: t('auth.newPassword') }) },
            { pattern: PASSWORD_PATTERN, message: t('auth.passwordRule') },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required', { field: t('auth.confirmPassword') }) },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('auth.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
