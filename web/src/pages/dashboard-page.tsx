import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { DashboardView } from '../features/dashboard/components/dashboard-view';
import { nodeParam } from '../features/dashboard/utils/dashboard-view-model';

/** /dashboard?node= (dashboard.read): 驾驶舱 of a node, or of the caller's own area. */
export function DashboardPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const nodeId = nodeParam(params);
  return (
    <Card title={t('dashboard.title')}>
      <DashboardView key={nodeId ?? 'own'} {...(nodeId === undefined ? {} : { nodeId })} />
    </Card>
  );
}
