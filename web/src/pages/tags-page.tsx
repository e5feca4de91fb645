import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { TagsTable } from '../features/people/components/tags-table';

export function TagsPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('tags.title')}>
      <TagsTable />
    </Card>
  );
}
