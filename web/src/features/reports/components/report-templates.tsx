import {
  CopyOutlined,
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  EyeOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Form, Modal, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { acceptableReason } from '../../../../../server/src/platform/audit/reason.logic';
import type { ReportTemplate } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { validValues } from '../../../ui/form-errors';
import { ReasonField } from '../../../ui/reason-field';
import { useSignedInUser } from '../../auth/hooks/use-access';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import {
  useDeleteTemplate,
  useReportExport,
  useReportFields,
  useReportPreview,
  useReportTemplates,
} from '../hooks/use-reports';
import { entityLabel } from '../utils/definition';
import { exportArea } from '../utils/export-area';
import { ExportProgress } from './export-progress';
import { ReportPreviewTable } from './report-preview-table';

type Props = { canManage: boolean; canExportUnmasked: boolean };

/** One-click reports: preview, export (masked unless asked and allowed), and templates for managers. */
export function ReportTemplates({ canManage, canExportUnmasked }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const templates = useReportTemplates();
  const fields = useReportFields();
  const remove = useDeleteTemplate();
  const exporter = useReportExport();
  const [nodeId, setNodeId] = useState<number | null>(null);
  // The reason stated when full numbers were turned on; null exports masked.
  const [unmaskReason, setUnmaskReason] = useState<string | null>(null);
  const [isAskingReason, setAskingReason] = useState(false);
  const isUnmasked = unmaskReason !== null;
  const [previewing, setPreviewing] = useState<ReportTemplate | null>(null);
  const lang = currentLanguage();

  const fail = (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown'));

  const askUnmasked = (on: boolean) => {
    if (on) setAskingReason(true);
    else setUnmaskReason(null);
  };

  const startExport = (template: ReportTemplate) =>
    exporter
      .start(
        template,
        unmaskReason === null ? { nodeId, unmasked: false } : { nodeId, unmasked: true, reason: unmaskReason },
      )
      .catch(fail);

  const columns: ColumnsType<ReportTemplate> = [
    {
      title: t('reports.name'),
      dataIndex: 'name',
      render: (name: string, tpl) => (
        <Space size={6} wrap>
          <Typography.Text strong>{name}</Typography.Text>
          {tpl.builtin ? <Tag color="blue">{t('reports.builtin')}</Tag> : <Tag>{t('reports.custom')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('reports.kind'),
      key: 'kind',
      width: 150,
      render: (_, tpl) =>
        `${entityLabel(fields.data, tpl.definition.entity, lang)} · ${
          tpl.definition.aggregate === 'count_by' ? t('reports.kindCount') : t('reports.kindList')
        }`,
    },
    {
      title: t('reports.description'),
      dataIndex: 'description',
      ellipsis: { showTitle: false },
      render: (v: string | null) => (
        <Tooltip title={v} placement="topLeft">
          <Typography.Text type="secondary">{v ?? ''}</Typography.Text>
        </Tooltip>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: canManage ? 300 : 190,
      render: (_, tpl) => (
        <Space size={0} wrap>
          <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => setPreviewing(tpl)}>
            {t('reports.preview')}
          </Button>
          <Button
            type="link"
            size="small"
            icon={<DownloadOutlined />}
            disabled={exporter.state.phase === 'running'}
            onClick={() => startExport(tpl)}
            data-testid={`export-${tpl.code ?? tpl.id}`}
          >
            {t('reports.export')}
          </Button>
          {canManage && !tpl.builtin ? (
            <Button
              type="link"
              size="small"
              icon={<EditOutlined />}
              aria-label={t('common.edit')}
              title={t('common.edit')}
              onClick={() => navigate(`/reports/${tpl.id}/edit`)}
            />
          ) : null}
          {canManage ? (
            <Button
              type="link"
              size="small"
              icon={<CopyOutlined />}
              aria-label={t('reports.copy')}
              title={t('reports.copy')}
              onClick={() => navigate(`/reports/new?copy=${tpl.id}`)}
            />
          ) : null}
          {canManage && !tpl.builtin ? (
            <Button
              type="link"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('reports.delete')}
              title={t('reports.delete')}
              onClick={() =>
                modal.confirm({
                  title: t('reports.deleteTitle', { name: tpl.name }),
                  okText: t('reports.delete'),
                  okButtonProps: { danger: true },
                  cancelText: t('common.cancel'),
                  onOk: () => remove.mutateAsync(tpl.id).then(() => message.success(t('reports.deleted')), fail),
                })
              }
            />
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="linli-toolbar">
        <Space wrap size="middle">
          <NodeSearchSelect
            allowClear
            placeholder={t('reports.scopePlaceholder', { area: exportArea(me, t('reports.scopeAll')) })}
            style={{ width: 260 }}
            value={nodeId}
            onChange={setNodeId}
          />
          {canExportUnmasked ? (
            <Space size={6}>
              <Switch id="report-unmasked" checked={isUnmasked} onChange={askUnmasked} data-testid="report-unmasked" />
              <label htmlFor="report-unmasked">{t('reports.unmasked')}</label>
            </Space>
          ) : null}
        </Space>
        {canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/reports/new')}>
            {t('reports.create')}
          </Button>
        ) : null}
      </div>
      {isUnmasked ? <Alert type="warning" showIcon title={t('reports.unmaskedOn')} /> : null}
      {templates.isError ? <Alert type="error" showIcon title={templates.error.message} /> : null}
      <Table<ReportTemplate>
        rowKey="id"
        size="middle"
        loading={templates.isFetching}
        columns={columns}
        dataSource={templates.data?.items ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        data-testid="report-templates"
      />
      <PreviewModal template={previewing} nodeId={nodeId} onClose={() => setPreviewing(null)} />
      <ExportProgress state={exporter.state} onCancel={exporter.cancel} onClose={exporter.reset} />
      <UnmaskDialog
        open={isAskingReason}
        onCancel={() => setAskingReason(false)}
        onConfirm={(reason) => {
          setUnmaskReason(reason);
          setAskingReason(false);
        }}
      />
    </Space>
  );
}

/** Turning on full ID and phone numbers: a warning and the reason, which every such export records. */
function UnmaskDialog({
  open,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const confirm = async () => {
    const valid = await validValues(form);
    if (!valid) return;
    const reason = acceptableReason(valid.reason);
    if (reason === null) return;
    form.resetFields();
    onConfirm(reason);
  };
  return (
    <Modal
      open={open}
      title={t('reports.unmaskTitle')}
      okText={t('reports.unmaskOk')}
      okButtonProps={{ danger: true, 'data-testid': 'unmask-confirm' }}
      cancelText={t('common.cancel')}
      onOk={confirm}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('reports.unmaskContent')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical">
        <ReasonField label={t('pii.exportReason')} data-testid="unmask-reason" />
      </Form>
    </Modal>
  );
}

function PreviewModal({
  template,
  nodeId,
  onClose,
}: {
  template: ReportTemplate | null;
  nodeId: number | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const preview = useReportPreview(template?.id ?? null, nodeId);
  return (
    <Modal
      open={template !== null}
      title={template ? t('reports.previewTitle', { name: template.name }) : ''}
      onCancel={onClose}
      footer={null}
      width={1100}
      destroyOnHidden
    >
      {preview.isError ? <Alert type="error" showIcon title={preview.error.message} /> : null}
      <ReportPreviewTable
        result={preview.data}
        entity={template?.definition.entity ?? 'resident'}
        loading={preview.isFetching}
      />
    </Modal>
  );
}
