import { EyeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { showFieldError, validValues } from './form-errors';
import { ReasonField } from './reason-field';

type Props = {
  masked: string;
  /** What is being shown, for the dialog's title (身份证号, 联系电话). */
  what: string;
  /** Asks the server for the full value; it records who asked and why. */
  onReveal: (reason: string) => Promise<string>;
  'data-testid'?: string;
};

/** Shows a masked value; with a stated reason (audited by the server) shows it in full until the page closes. */
export function RevealValue({ masked, what, onReveal, ...rest }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [isAsking, setAsking] = useState(false);
  const [isPending, setPending] = useState(false);
  // kept in this component only; never cached
  const [value, setValue] = useState<string | null>(null);

  const submit = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    setPending(true);
    try {
      setValue(await onReveal(valid.reason));
      setAsking(false);
      form.resetFields();
    } catch (error) {
      if (!showFieldError(form, error, ['reason'])) {
        message.error(error instanceof Error ? error.message : t('errors.unknown'));
      }
    } finally {
      setPending(false);
    }
  };

  if (value) {
    return (
      <Typography.Text copyable strong data-testid={rest['data-testid']}>
        {value}
      </Typography.Text>
    );
  }
  return (
    <Space size={4} wrap>
      <span data-testid={rest['data-testid']}>{masked}</span>
      <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setAsking(true)}>
        {t('pii.reveal')}
      </Button>
      <Modal
        open={isAsking}
        title={t('pii.revealTitle', { what })}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        onOk={submit}
        onCancel={() => setAsking(false)}
        confirmLoading={isPending}
        destroyOnHidden
      >
        <Alert type="info" showIcon title={t('pii.reasonHelp')} style={{ marginBottom: 16 }} />
        <Form form={form} layout="vertical">
          <ReasonField label={t('pii.reason')} />
        </Form>
      </Modal>
    </Space>
  );
}
