import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Open311ClientsPanel } from '../features/open311/components/open311-clients-panel';

/** Open311 接口: the api keys of city hotlines and other Open311 clients. */
export function Open311Page() {
  const { t } = useTranslation();
  return (
    <Card title={t('open311.title')} extra={<Typography.Text type="secondary">{t('open311.hint')}</Typography.Text>}>
      <Open311ClientsPanel />
    </Card>
  );
}
