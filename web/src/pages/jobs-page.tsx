import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { JobsPanel } from '../features/jobs/components/jobs-panel';

export function JobsPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('jobs.title')} extra={<Typography.Text type="secondary">{t('jobs.hint')}</Typography.Text>}>
      <JobsPanel />
    </Card>
  );
}
