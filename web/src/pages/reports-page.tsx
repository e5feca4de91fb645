import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useAccess } from '../features/auth/hooks/use-access';
import { ReportTemplates } from '../features/reports/components/report-templates';
import { TemplateEditor } from '../features/reports/components/template-editor';
import { NotFoundPage } from './page-guard';

export function ReportsPage() {
  const { t } = useTranslation();
  const access = useAccess();
  return (
    <Card title={t('reports.title')}>
      <ReportTemplates canManage={access.canManageReports} canExportUnmasked={access.canExportUnmasked} />
    </Card>
  );
}

/** /reports/new (?copy=id) and /reports/:id/edit, for those who manage report templates. */
export function ReportEditorPage() {
  const access = useAccess();
  const navigate = useNavigate();
  const { id } = useParams();
  const [params] = useSearchParams();
  if (!access.canManageReports) return <NotFoundPage />;
  const copy = Number(params.get('copy'));
  const editId = Number(id);
  const mode =
    id === undefined
      ? ({ kind: 'create', copyOf: Number.isInteger(copy) && copy > 0 ? copy : null } as const)
      : Number.isInteger(editId) && editId > 0
        ? ({ kind: 'edit', id: editId } as const)
        : null;
  if (!mode) return <NotFoundPage />;
  return <TemplateEditor key={`${mode.kind}-${id ?? copy}`} mode={mode} onDone={() => navigate('/reports')} />;
}
