import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { CaseStatsView } from '../features/case-stats/components/case-stats-view';

/** /cases/stats (cases.stats). */
export function CaseStatsPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('caseStats.title')}>
      <CaseStatsView />
    </Card>
  );
}
