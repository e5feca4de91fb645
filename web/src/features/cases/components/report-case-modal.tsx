import { Alert, App, Col, Form, Input, List, Modal, Radio, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CaseCategory, CaseDetail, SlaSpec } from '../../../api-types';
import { showFieldError, validValues } from '../../../ui/form-errors';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { useCaseCategories, useReportCase, useSimilarCases } from '../hooks/use-cases';
import { reportBodyOf, type ReportValues as Values } from '../utils/case-bodies';
import { slaKey } from '../utils/case-labels';
import { CategorySelect } from './category-select';
import { PhotoPicker } from './photo-picker';

const FIELDS = [
  'categoryId',
  'title',
  'description',
  'source',
  'place',
  'nodeId',
  'address',
  'contactName',
  'contactPhone',
  'fileIds',
];

function SlaHint({ category }: { category: CaseCategory | undefined }) {
  const { t } = useTranslation();
  if (!category || (!category.responseSla && !category.handleSla)) return null;
  const span = (sla: SlaSpec | null) => (sla ? t(`cases.reportForm.${slaKey(sla.unit)}`, { amount: sla.amount }) : '—');
  return (
    <Alert
      type={category.urgent ? 'warning' : 'info'}
      showIcon
      title={t('cases.reportForm.sla', { response: span(category.responseSla), handle: span(category.handleSla) })}
      style={{ marginBottom: 12 }}
    />
  );
}

/** 登记事件: a worker files a case taken on the hotline or at the counter, or found on patrol. */
export function ReportCaseModal({
  open,
  onClose,
  onReported,
}: {
  open: boolean;
  onClose: () => void;
  onReported: (c: CaseDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const report = useReportCase();
  const categories = useCaseCategories();
  const categoryId = Form.useWatch('categoryId', form);
  const nodeId = Form.useWatch('nodeId', form);
  const category = categories.data?.find((c) => c.id === categoryId);
  const similar = useSimilarCases(categoryId && nodeId ? { categoryId, nodeId } : null);

  const submit = async () => {
    const values = await validValues(form);
    if (!values) return;
    report.mutate(reportBodyOf(values), {
      onSuccess: (c) => {
        message.success(t('cases.reportForm.reported', { no: c.caseNo }));
        form.resetFields();
        onReported(c);
      },
      onError: (error) => {
        if (!showFieldError(form, error, FIELDS)) message.error(error.message);
      },
    });
  };

  return (
    <Modal
      open={open}
      title={t('cases.reportForm.title')}
      okText={t('cases.reportForm.submit')}
      cancelText={t('common.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={report.isPending}
      width={720}
      destroyOnHidden
      data-testid="report-case-modal"
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ source: 'hotline' }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="categoryId"
              label={t('cases.reportForm.category')}
              rules={[
                { required: true, message: t('common.selectRequired', { field: t('cases.reportForm.category') }) },
              ]}
            >
              <CategorySelect
                leavesOnly
                placeholder={t('cases.reportForm.categoryPlaceholder')}
                data-testid="report-category"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="source" label={t('cases.reportForm.source')}>
              <Radio.Group
                optionType="button"
                options={(['hotline', 'worker', 'patrol'] as const).map((s) => ({
                  value: s,
                  label: t(`cases.source.${s}`),
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <SlaHint category={category} />
        <Form.Item name="title" label={t('cases.reportForm.titleLabel')}>
          <Input maxLength={100} placeholder={t('cases.reportForm.titlePlaceholder')} data-testid="report-title" />
        </Form.Item>
        <Form.Item name="description" label={t('cases.reportForm.description')}>
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid="report-description" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="nodeId"
              label={t('cases.reportForm.placeNode')}
              rules={[{ required: true, message: t('common.selectRequired', { field: t('cases.reportForm.place') }) }]}
            >
              <NodeSearchSelect
                types={['community', 'village', 'grid', 'micro_grid', 'building', 'unit']}
                placeholder={t('cases.reportForm.placeNodePlaceholder')}
                data-testid="report-place"
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="address" label={t('cases.reportForm.address')}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
        {similar.data && similar.data.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('cases.reportForm.similar', { count: similar.data.length })}
            description={
              <List
                size="small"
                dataSource={similar.data}
                renderItem={(c) => (
                  <List.Item>
                    <Link to={`/cases/${c.id}`} target="_blank">
                      {c.caseNo} · {c.title} · {c.stageName}
                    </Link>
                  </List.Item>
                )}
              />
            }
            data-testid="report-similar"
          />
        ) : null}
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="contactName" label={t('cases.reportForm.contactName')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="contactPhone" label={t('cases.reportForm.contactPhone')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="photos" label={t('cases.reportForm.photos')} extra={t('cases.dialog.photosHelp')}>
          <PhotoPicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
