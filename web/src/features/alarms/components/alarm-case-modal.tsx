import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { AlarmDetail } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { CategorySelect } from '../../cases/components/category-select';
import { useOpenAlarmCase } from '../hooks/use-alarms';

type Props = { alarm: AlarmDetail; open: boolean; onClose: () => void };
type Values = { categoryId: number; title?: string; description?: string };

/** 生成事件: opens a case from the alarm (source 'device', linked both ways), then goes to the case. */
export function AlarmCaseModal({ alarm, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const openCase = useOpenAlarmCase();

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    const title = values.title?.trim();
    const description = values.description?.trim();
    openCase.mutate(
      {
        id: alarm.id,
        body: {
          categoryId: values.categoryId,
          ...(title ? { title } : {}),
          ...(description ? { description } : {}),
        },
      },
      {
        onSuccess: ({ caseId }) => {
          message.success(t('alarms.caseOpened'));
          onClose();
          navigate(`/cases/${caseId}`);
        },
        onError: (error) => {
          if (!showFieldError(form, error, ['categoryId', 'title', 'description'])) message.error(error.message);
        },
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('alarms.openCaseTitle')}
      okText={t('alarms.actions.case')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={openCase.isPending}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ title: alarm.summary.slice(0, 100) }}
        data-testid="alarm-case-form"
      >
        <Form.Item
          name="categoryId"
          label={t('alarms.caseCategory')}
          rules={[{ required: true, message: t('alarms.caseCategoryRequired') }]}
        >
          <CategorySelect leavesOnly placeholder={t('alarms.caseCategory')} data-testid="alarm-case-category" />
        </Form.Item>
        <Form.Item name="title" label={t('alarms.caseTitle')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('alarms.caseDescription')} extra={t('alarms.caseDescriptionHelp')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
