import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlarmStatus, Severity } from '../../../api-types';
import { SEVERITY_COLOR, STATUS_COLOR } from '../utils/alarm-labels';

export function SeverityTag({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return (
    <Tag color={SEVERITY_COLOR[severity]} data-testid="alarm-severity" data-severity={severity}>
      {t(`alarms.severity.${severity}`)}
    </Tag>
  );
}

export function AlarmStatusTag({ status }: { status: AlarmStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="alarm-status" data-status={status}>
      {t(`alarms.status.${status}`)}
    </Tag>
  );
}
