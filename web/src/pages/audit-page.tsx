import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { AuditTable } from '../features/audit/components/audit-table';

export function AuditPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('audit.title')}>
      <AuditTable />
    </Card>
  );
}
