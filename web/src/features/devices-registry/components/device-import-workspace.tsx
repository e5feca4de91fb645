import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Space, Table, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceImportResult } from '../../../api-types';
import { saveBlob } from '../../reports/utils/download';
import { DEVICE_IMPORT_TEMPLATE_URL } from '../api/devices-registry-api';
import { useImportDevices } from '../hooks/use-devices-registry';
import {
  type CredentialsHeaders,
  credentialsCsv,
  credentialsFileName,
  importErrorRows,
  rowsWithErrors,
  withAbsoluteUrl,
} from '../utils/registry-utils';
import { RegisterDeviceButton } from './register-device-button';

/** 设备导入: the template, an upload (all or nothing), the errors by row and column, the new credentials. */
export function DeviceImportWorkspace() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const upload = useImportDevices();
  const [result, setResult] = useState<{ fileName: string; result: DeviceImportResult } | null>(null);
  const errors = useMemo(() => importErrorRows(result?.result.errors ?? []), [result]);

  const send = (file: File) => {
    if (!/\.xlsx$/i.test(file.name)) {
      message.error(t('devicesRegistry.import.wrongType'));
      return;
    }
    setResult(null);
    upload.mutate(file, {
      onSuccess: (r) => setResult({ fileName: file.name, result: r }),
      onError: (error) => message.error(error.message),
    });
  };

  const headers: CredentialsHeaders = {
    serial: t('devicesRegistry.fields.serial'),
    deviceId: t('devicesRegistry.credentials.deviceId'),
    username: t('devicesRegistry.credentials.username'),
    token: t('devicesRegistry.credentials.token'),
    telemetryTopic: t('devicesRegistry.credentials.telemetryTopic'),
    eventTopic: t('devicesRegistry.credentials.eventTopic'),
    httpUrl: t('devicesRegistry.credentials.httpUrl'),
  };
  const download = (r: DeviceImportResult) =>
    saveBlob(
      new Blob(
        [
          credentialsCsv(
            r.credentials.map((c) => withAbsoluteUrl(c, window.location.origin)),
            headers,
          ),
        ],
        { type: 'text/csv;charset=utf-8' },
      ),
      credentialsFileName(new Date()),
    );

  const refused = result !== null && result.result.errors.length > 0;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={t('devicesRegistry.import.title')}
        extra={
          <Space>
            <Button
              icon={<DownloadOutlined />}
              href={DEVICE_IMPORT_TEMPLATE_URL}
              download
              data-testid="device-import-template"
            >
              {t('devicesRegistry.import.template')}
            </Button>
            {/* one device at a time, from the same page */}
            <RegisterDeviceButton />
          </Space>
        }
      >
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('devicesRegistry.import.intro')}
          </Typography.Paragraph>
          <Upload.Dragger
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            multiple={false}
            showUploadList={false}
            disabled={upload.isPending}
            beforeUpload={(file) => {
              send(file);
              return Upload.LIST_IGNORE;
            }}
            data-testid="device-import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">
              {upload.isPending ? t('devicesRegistry.import.uploading') : t('devicesRegistry.import.drop')}
            </p>
            <p className="ant-upload-hint">{t('devicesRegistry.import.dropHint')}</p>
          </Upload.Dragger>
        </Space>
      </Card>
      {result && !refused ? (
        <Alert
          type="success"
          showIcon
          data-testid="device-import-done"
          title={t('devicesRegistry.import.done', { count: result.result.created, file: result.fileName })}
          description={
            <Space orientation="vertical">
              <Typography.Text>{t('devicesRegistry.import.credentialsOnce')}</Typography.Text>
              <Button
                type="primary"
                icon={<DownloadOutlined />}
                disabled={result.result.credentials.length === 0}
                onClick={() => download(result.result)}
                data-testid="device-import-credentials"
              >
                {t('devicesRegistry.import.downloadCredentials')}
              </Button>
            </Space>
          }
        />
      ) : null}
      {refused ? (
        <Card
          size="small"
          title={t('devicesRegistry.import.refused', {
            file: result.fileName,
            rows: rowsWithErrors(result.result.errors),
            count: result.result.errors.length,
          })}
        >
          <Typography.Paragraph type="secondary">{t('devicesRegistry.import.refusedHint')}</Typography.Paragraph>
          <Table
            rowKey="key"
            size="small"
            bordered
            dataSource={errors}
            pagination={errors.length > 50 ? { pageSize: 50 } : false}
            data-testid="device-import-errors"
            columns={[
              {
                title: t('devicesRegistry.import.row'),
                dataIndex: 'row',
                width: 90,
                align: 'right',
                // row 0: the file as a whole (unreadable, no rows)
                render: (row: number) => (row > 0 ? row : t('devicesRegistry.import.wholeFile')),
                // one cell per spreadsheet row, spanning its errors (on a page of the table the spans stay whole
                // only when the table is not paged; with paging each line shows its row)
                onCell: (r) => ({ rowSpan: errors.length > 50 ? 1 : r.rowSpan }),
              },
              {
                title: t('devicesRegistry.import.column'),
                dataIndex: 'column',
                width: 180,
                render: (column: string) => column || t('common.none'),
              },
              { title: t('devicesRegistry.import.problem'), dataIndex: 'message' },
            ]}
          />
        </Card>
      ) : null}
    </Space>
  );
}
