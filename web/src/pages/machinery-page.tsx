import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAccess } from '../features/auth/hooks/use-access';
import { MachineryView } from '../features/machinery/components/machinery-view';

/** /services/machinery (services.read): 农机共享 — demands, the schedule, machines and owners, monthly figures. */
export function MachineryPage() {
  const { t } = useTranslation();
  const access = useAccess();
  return (
    <Card title={t('machinery.title')}>
      <MachineryView canManage={access.canManageMachinery} />
    </Card>
  );
}
