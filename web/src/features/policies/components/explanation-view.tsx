import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Explanation } from '../policy-types';

/** Why a person is on a list: the conditions met with the values used ✓, the failed ones ✗. */
export function ExplanationView({ explanation }: { explanation: Explanation | null }) {
  const { t } = useTranslation();
  if (!explanation) return <Typography.Text type="secondary">{t('policiesUi.results.noExplanation')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={2} data-testid="explanation">
      {explanation.met.map((c) => (
        <Typography.Text key={`m${c.index}`} data-testid="explanation-met">
          <CheckCircleFilled style={{ color: '#52c41a', marginRight: 6 }} aria-label="✓" />
          {c.label}
          {c.valueText ? <Typography.Text type="secondary">（{c.valueText}）</Typography.Text> : null}
        </Typography.Text>
      ))}
      {explanation.failed.map((c) => (
        <Typography.Text key={`f${c.index}`} type="danger" data-testid="explanation-failed">
          <CloseCircleFilled style={{ marginRight: 6 }} aria-label="✗" />
          {c.label}
          {c.valueText ? `（${c.valueText}）` : null}
        </Typography.Text>
      ))}
    </Space>
  );
}
