import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { AuditTable } from '../features/audit/components/audit-table';

export function AuditPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const from = params.get('from');
  return (
    <Card title={t('audit.title')}>
      <AuditTable from={from && !Number.isNaN(Date.parse(from)) ? new Date(from).toISOString() : undefined} />
    </Card>
  );
}
