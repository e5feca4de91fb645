import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { VisitDetail } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { CategorySelect } from '../../cases/components/category-select';
import { useOpenVisitCase } from '../hooks/use-visits';

type Props = { visit: VisitDetail; open: boolean; onClose: () => void };
type Values = { categoryId: number; title?: string; description?: string };

/** 生成事件: a case from a visit that found someone needing help (the person and the place are the visit's). */
export function VisitCaseModal({ visit, open, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const openCase = useOpenVisitCase();

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    const title = values.title?.trim();
    const description = values.description?.trim();
    openCase.mutate(
      {
        id: visit.id,
        body: {
          categoryId: values.categoryId,
          ...(title ? { title } : {}),
          ...(description ? { description } : {}),
        },
      },
      {
        onSuccess: (result) => {
          message.success(t('visits.caseOpened'));
          onClose();
          if (result?.caseId) navigate(`/cases/${result.caseId}`);
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
      title={t('visits.openCaseTitle')}
      okText={t('visits.actions.case')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={openCase.isPending}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ description: visit.note ?? undefined }}
        data-testid="visit-case-form"
      >
        <Form.Item
          name="categoryId"
          label={t('visits.caseCategory')}
          rules={[{ required: true, message: t('visits.caseCategoryRequired') }]}
        >
          <CategorySelect leavesOnly placeholder={t('visits.caseCategory')} data-testid="visit-case-category" />
        </Form.Item>
        <Form.Item name="title" label={t('visits.caseTitle')} extra={t('visits.caseTitleHelp')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('visits.caseDescription')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
