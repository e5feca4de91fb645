import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { VisitCoverageView } from '../features/visit-coverage/components/visit-coverage-view';

/** /visits/coverage (visits.read). */
export function VisitCoveragePage() {
  const { t } = useTranslation();
  return (
    <Card title={t('visitCoverage.title')}>
      <VisitCoverageView />
    </Card>
  );
}
