import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportStatus } from '../../../api-types';

const COLORS: Record<ImportStatus, string> = {
  running: 'processing',
  validated: 'blue',
  committed: 'success',
  failed: 'error',
};

export function ImportStatusTag({ status }: { status: ImportStatus }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status]}>{t(`imports.status.${status}`)}</Tag>;
}
