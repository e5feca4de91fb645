import { App, Form, Input, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlarmListItem, AlarmResolve } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { useResolveAlarm } from '../hooks/use-alarms';
import { RESOLVE_OUTCOMES } from '../utils/alarm-filters';

type Props = {
  /** The alarm to resolve; null: closed. */
  alarm: Pick<AlarmListItem, 'id' | 'version' | 'summary'> | null;
  onClose: () => void;
};

/** 处置完成: the outcome is required (the record the rules are tuned from), the note optional. */
export function ResolveAlarmModal({ alarm, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ outcome: AlarmResolve['outcome']; note?: string }>();
  const resolve = useResolveAlarm();

  const submit = async () => {
    if (!alarm) return;
    const values = await validValues(form);
    if (!values) return;
    const note = values.note?.trim();
    resolve.mutate(
      { id: alarm.id, body: { outcome: values.outcome, version: alarm.version, ...(note ? { note } : {}) } },
      {
        onSuccess: () => {
          message.success(t('alarms.resolved'));
          form.resetFields();
          onClose();
        },
        onError: (error) => {
          if (!showFieldError(form, error, ['outcome', 'note'])) message.error(error.message);
        },
      },
    );
  };

  return (
    <Modal
      open={alarm !== null}
      title={t('alarms.resolveTitle')}
      okText={t('alarms.actions.resolve')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={resolve.isPending}
      destroyOnHidden
    >
      {alarm ? <p>{alarm.summary}</p> : null}
      <Form form={form} layout="vertical" data-testid="resolve-alarm-form">
        <Form.Item
          name="outcome"
          label={t('alarms.outcomeLabel')}
          rules={[{ required: true, message: t('alarms.outcomeRequired') }]}
        >
          <Radio.Group
            data-testid="resolve-outcome"
            options={RESOLVE_OUTCOMES.map((o) => ({ value: o, label: t(`alarms.outcome.${o}`) }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('alarms.noteLabel')}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
