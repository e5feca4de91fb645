import { EyeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useRevealPhone } from '../hooks/use-users';

type Props = { userId: number; masked: string };

/** Shows the masked number; with a stated reason (audited by the server) shows the full one. */
export function RevealPhone({ userId, masked }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [isAsking, setAsking] = useState(false);
  // kept only while this drawer is open; never cached
  const [value, setValue] = useState<string | null>(null);
  const reveal = useRevealPhone();

  const submit = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    const { reason } = valid;
    try {
      const result = await reveal.mutateAsync({ id: userId, reason: reason.trim() });
      setValue(result.value);
      setAsking(false);
      form.resetFields();
    } catch (error) {
      if (!showFieldError(form, error, ['reason'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    }
  };

  if (value) {
    return (
      <Typography.Text copyable strong data-testid="revealed-phone">
        {value}
      </Typography.Text>
    );
  }
  return (
    <Space>
      <span>{masked}</span>
      <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setAsking(true)}>
        {t('users.revealPhone')}
      </Button>
      <Modal
        open={isAsking}
        title={t('users.revealTitle')}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        onOk={submit}
        onCancel={() => setAsking(false)}
        confirmLoading={reveal.isPending}
        destroyOnHidden
      >
        <Alert type="info" showIcon title={t('users.revealReasonHelp')} style={{ marginBottom: 16 }} />
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('users.revealReason')}
            rules={[
              { required: true, whitespace: true, message: t('common.required', { field: t('users.revealReason') }) },
              { min: 2, message: t('users.reasonTooShort') },
            ]}
          >
            <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('users.revealReasonPlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
