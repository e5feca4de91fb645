import { ErrorBlock } from 'antd-mobile';
import { useTranslation } from 'react-i18next';

/** My tasks. No module assigns tasks yet, so this says so instead of showing made-up ones. */
export function MobileHomePage() {
  const { t } = useTranslation();
  return (
    <div className="m-page" data-testid="m-home">
      <ErrorBlock status="empty" title={t('mobile.noTasks')} description={t('mobile.noTasksHint')} />
    </div>
  );
}
