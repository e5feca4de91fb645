import { App, Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { PASSWORD_PATTERN } from '../../auth/utils/password';
import { useResetPassword, useUpdateUser } from '../hooks/use-users';

type Props = { user: UserSummary; open: boolean; onClose: () => void };

export function ResetPasswordModal({ user, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string }>();
  const reset = useResetPassword();

  const submit = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    const { newPassword } = valid;
    try {
      await reset.mutateAsync({ id: user.id, newPassword });
      message.success(t('users.passwordReset'));
      form.resetFields();
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, ['newPassword'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open={open}
      title={`${t('users.resetPassword')} · ${user.displayName}`}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
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
      </Form>
    </Modal>
  );
}

type ProfileValues = { displayName: string; phone?: string };

export function EditUserModal({ user, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProfileValues>();
  const update = useUpdateUser();

  useEffect(() => {
    if (open) form.setFieldsValue({ displayName: user.displayName, phone: '' });
  }, [open, user, form]);

  const submit = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    const values = valid;
    const phone = values.phone?.trim() ?? '';
    try {
      await update.mutateAsync({
        id: user.id,
        body: {
          displayName: values.displayName.trim(),
          // the full number is never sent to the console: an empty box keeps the stored one
          ...(phone ? { phone } : {}),
        },
      });
      message.success(t('common.saved'));
      onClose();
    } catch (error) {
      if (!showFieldError(form, error, ['displayName', 'phone'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  return (
    <Modal
      open={open}
      title={t('users.editProfile')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('users.displayName') }) },
          ]}
        >
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="phone" label={t('users.phone')} extra={t('users.phoneHelp')}>
          <Input inputMode="tel" maxLength={30} placeholder={user.phoneMasked ?? t('common.optional')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
