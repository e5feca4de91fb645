import { Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeviceCredentials } from '../../../api-types';
import { SecretOnce } from '../../../ui/secret-once';
import { absoluteUrl } from '../utils/registry-utils';

/** A device's credentials, shown once (at registration and at each rotation): the token and how to use it. */
export function DeviceCredentialsView({
  credentials,
  onClose,
}: {
  credentials: DeviceCredentials;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const httpUrl = absoluteUrl(credentials.httpUrl, window.location.origin);
  const copyable = (text: string) => ({ text, tooltips: [t('common.copy'), t('common.copied')] as [string, string] });
  const value = (text: string, testId: string) => (
    <Typography.Text code copyable={copyable(text)} data-testid={testId} style={{ wordBreak: 'break-all' }}>
      {text}
    </Typography.Text>
  );
  return (
    <div data-testid="device-credentials">
      <SecretOnce
        secret={credentials.token}
        title={t('devicesRegistry.credentials.tokenOnce')}
        testId="device-token"
        onClose={onClose}
      />
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          {
            key: 'username',
            label: t('devicesRegistry.credentials.username'),
            children: value(credentials.username, 'device-username'),
          },
          {
            key: 'telemetry',
            label: t('devicesRegistry.credentials.telemetryTopic'),
            children: value(credentials.telemetryTopic, 'device-telemetry-topic'),
          },
          {
            key: 'event',
            label: t('devicesRegistry.credentials.eventTopic'),
            children: value(credentials.eventTopic, 'device-event-topic'),
          },
          {
            key: 'http',
            label: t('devicesRegistry.credentials.httpUrl'),
            children: value(httpUrl, 'device-http-url'),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('devicesRegistry.credentials.howTo')}
      </Typography.Paragraph>
    </div>
  );
}
