import { Card, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DeviceRulesTab } from '../features/devices-settings/components/device-rules-tab';
import { DeviceTypesTab } from '../features/devices-settings/components/device-types-tab';

/** 设备设置 [E]: device types and their alarm rules with escalation ladders (system administrators). */
export function DevicesSettingsPage() {
  const { t } = useTranslation();
  return (
    <Card
      title={t('devicesSettings.title')}
      extra={<Typography.Text type="secondary">{t('devicesSettings.hint')}</Typography.Text>}
    >
      <Tabs
        items={[
          { key: 'types', label: t('devicesSettings.tabs.types'), children: <DeviceTypesTab /> },
          { key: 'rules', label: t('devicesSettings.tabs.rules'), children: <DeviceRulesTab /> },
        ]}
      />
    </Card>
  );
}
