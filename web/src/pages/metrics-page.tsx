import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { MetricsView } from '../features/metrics/components/metrics-view';

/** /assessment/metrics (assessment.read): 考核指标. */
export function MetricsPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('metrics.title')}>
      <MetricsView />
    </Card>
  );
}
