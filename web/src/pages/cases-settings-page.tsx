import { Card, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CalendarTab } from '../features/cases-settings/components/calendar-tab';
import { CategoriesTab } from '../features/cases-settings/components/categories-tab';
import { StagesTab } from '../features/cases-settings/components/stages-tab';

/** 事件设置: categories and their deadlines, stage names, the working calendar (system administrators). */
export function CasesSettingsPage() {
  const { t } = useTranslation();
  return (
    <Card
      title={t('casesSettings.title')}
      extra={<Typography.Text type="secondary">{t('casesSettings.hint')}</Typography.Text>}
    >
      <Tabs
        items={[
          { key: 'categories', label: t('casesSettings.tabs.categories'), children: <CategoriesTab /> },
          { key: 'stages', label: t('casesSettings.tabs.stages'), children: <StagesTab /> },
          { key: 'calendar', label: t('casesSettings.tabs.calendar'), children: <CalendarTab /> },
        ]}
      />
    </Card>
  );
}
