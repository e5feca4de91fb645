import { Button, Modal, Progress, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ExportState } from '../hooks/use-reports';
import { formatBytes } from '../utils/download';

type Props = { state: ExportState; onCancel: () => void; onClose: () => void };

/**
 * An export on its way: the server streams the workbook as it reads the rows, so the bytes received are
 * the progress there is to show (an xlsx is compressed: bytes do not map to rows).
 */
export function ExportProgress({ state, onCancel, onClose }: Props) {
  const { t } = useTranslation();
  if (state.phase === 'idle') return null;
  const isDone = state.phase === 'done';
  return (
    <Modal
      open
      title={t('reports.exportTitle', { name: state.template.name })}
      closable={isDone}
      maskClosable={false}
      onCancel={isDone ? onClose : onCancel}
      footer={
        isDone ? (
          <Button type="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          <Button onClick={onCancel}>{t('common.cancel')}</Button>
        )
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="export-progress">
        <Progress
          percent={100}
          status={isDone ? 'success' : 'active'}
          showInfo={isDone}
          aria-label={t('reports.exporting')}
        />
        <Typography.Text>
          {isDone ? t('reports.exportDone', { name: state.fileName }) : t('reports.exporting')}
        </Typography.Text>
        <Typography.Text type="secondary">
          {[
            state.totalRows !== null ? t('reports.exportRows', { count: state.totalRows }) : null,
            t('reports.exportReceived', { size: formatBytes(state.bytes) }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </Typography.Text>
      </Space>
    </Modal>
  );
}
