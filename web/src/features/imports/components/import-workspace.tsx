import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { App, Button, Card, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportView } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { errorReportUrl, IMPORT_TEMPLATE_URL } from '../api/imports-api';
import { useImports, useUploadImport } from '../hooks/use-imports';
import { ImportProgress } from './import-progress';
import { ImportStatusTag } from './import-status-tag';

type Props = {
  /** The import on screen (kept in the address, so a reload keeps following it). */
  importId: number | null;
  onOpen: (id: number | null) => void;
};

const ACCEPT = '.xlsx,.csv';

export function ImportWorkspace({ importId, onOpen }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const upload = useUploadImport();
  const recent = useImports();
  const [nodeId, setNodeId] = useState<number | null>(null);
  const [committing, setCommitting] = useState<ReadonlySet<number>>(new Set());

  const send = (file: File) => {
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      message.error(t('imports.wrongType'));
      return;
    }
    upload.mutate(
      { file, nodeId },
      {
        onSuccess: ({ import: record }) => onOpen(record.id),
        onError: (error) => message.error(error.message),
      },
    );
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t('imports.title')}
        extra={
          <Button icon={<DownloadOutlined />} href={IMPORT_TEMPLATE_URL} download data-testid="import-template">
            {t('imports.template')}
          </Button>
        }
      >
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('imports.intro')}
          </Typography.Paragraph>
          <Space wrap>
            <Typography.Text>{t('imports.scope')}</Typography.Text>
            <NodeSearchSelect
              allowClear
              types={['community', 'village', 'grid', 'micro_grid', 'building']}
              placeholder={t('imports.scopePlaceholder')}
              style={{ width: 280 }}
              value={nodeId}
              onChange={setNodeId}
            />
          </Space>
          <Upload.Dragger
            accept={ACCEPT}
            multiple={false}
            showUploadList={false}
            disabled={upload.isPending}
            beforeUpload={(file) => {
              send(file);
              return Upload.LIST_IGNORE;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{upload.isPending ? t('imports.uploading') : t('imports.drop')}</p>
            <p className="ant-upload-hint">{t('imports.dropHint')}</p>
          </Upload.Dragger>
        </Space>
      </Card>
      {importId !== null ? (
        <ImportProgress
          key={importId}
          importId={importId}
          isCommitRequested={committing.has(importId)}
          onCommitRequested={() => setCommitting((ids) => new Set([...ids, importId]))}
        />
      ) : null}
      <Card size="small" title={t('imports.recent')}>
        <Table<ImportView>
          rowKey="id"
          size="small"
          loading={recent.isFetching}
          dataSource={recent.data?.items ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          rowClassName={(r) => (r.id === importId ? 'ant-table-row-selected' : '')}
          data-testid="recent-imports"
          columns={[
            {
              title: t('imports.createdAt'),
              dataIndex: 'createdAt',
              width: 170,
              render: (v: string) => <span className="linli-nowrap">{formatTime(v)}</span>,
            },
            { title: t('imports.fileName'), dataIndex: 'fileName', ellipsis: true },
            {
              title: t('imports.statusLabel'),
              dataIndex: 'status',
              width: 100,
              render: (s: ImportView['status']) => <ImportStatusTag status={s} />,
            },
            { title: t('imports.rowsRead'), dataIndex: 'rowsRead', width: 80, align: 'right' },
            { title: t('imports.rowsValid'), dataIndex: 'rowsValid', width: 80, align: 'right' },
            { title: t('imports.rowsInvalid'), dataIndex: 'rowsInvalid', width: 80, align: 'right' },
            { title: t('imports.rowsInserted'), dataIndex: 'rowsInserted', width: 80, align: 'right' },
            { title: t('imports.rowsUpdated'), dataIndex: 'rowsUpdated', width: 80, align: 'right' },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 170,
              render: (_, r) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => onOpen(r.id)}>
                    {t('common.details')}
                  </Button>
                  {r.hasErrorReport ? (
                    <Button type="link" size="small" href={errorReportUrl(r.id)} download>
                      {t('imports.errorReportShort')}
                    </Button>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
