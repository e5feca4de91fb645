import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** A secret the server shows only once (an API token, an Open311 key): copyable, until the user closes it. */
export function SecretOnce({
  secret,
  title,
  testId,
  onClose,
}: {
  secret: string;
  title: string;
  testId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Alert
      type="success"
      showIcon
      closable={{ onClose }}
      style={{ marginBottom: 16 }}
      title={title}
      description={
        <Typography.Paragraph
          copyable={{ text: secret, tooltips: [t('common.copy'), t('common.copied')] }}
          code
          style={{ marginBottom: 0, wordBreak: 'break-all' }}
          data-testid={testId}
        >
          {secret}
        </Typography.Paragraph>
      }
    />
  );
}
