import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { GridLinksView } from '../features/grid-links/components/grid-links-view';

/** /visits/links (visits.read; keeping links needs visits.manage): 一网三联. */
export function GridLinksPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('gridLinks.title')}>
      <GridLinksView />
    </Card>
  );
}
