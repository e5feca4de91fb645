import { CheckOutlined, DownloadOutlined, TeamOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Progress, Result, Row, Space, Spin, Statistic, Table, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ImportView } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { errorReportUrl } from '../api/imports-api';
import { importKeys, useCancelImport, useCommitImport, useImport, useRerunImport } from '../hooks/use-imports';
import { ImportStatusTag } from './import-status-tag';

type Props = {
  importId: number;
  /** Set once this page asked the server to load the rows, to tell loading from checking. */
  isCommitRequested: boolean;
  onCommitRequested: () => void;
};

/** One import as it goes: progress while the server works, counts and the next step when it stops. */
export function ImportProgress({ importId, isCommitRequested, onCommitRequested }: Props) {
  const { t } = useTranslation();
  const record = useImport(importId);
  const queryClient = useQueryClient();

  // new residents: every people list and map may have changed
  const status = record.data?.status;
  const previous = useRef(status);
  useEffect(() => {
    if (previous.current === 'running' && status && status !== 'running') {
      void queryClient.invalidateQueries({ queryKey: importKeys.list() });
      if (status === 'committed') void queryClient.invalidateQueries({ queryKey: ['people'] });
    }
    previous.current = status;
  }, [status, queryClient]);

  if (record.isLoading) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (record.isError) return <Alert type="error" showIcon title={record.error.message} />;
  const data = record.data;
  if (!data) return null;
  const isLoadingRows = isCommitRequested || data.rowsInserted + data.rowsUpdated > 0;

  return (
    <Card
      size="small"
      data-testid="import-progress"
      title={
        <Space wrap>
          <Typography.Text strong>{data.fileName}</Typography.Text>
          <ImportStatusTag status={data.status} />
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
            {formatTime(data.createdAt)}
          </Typography.Text>
        </Space>
      }
    >
      {data.status === 'running' ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>{isLoadingRows ? t('imports.loadingRows') : t('imports.checking')}</Typography.Text>
          <Progress percent={100} status="active" showInfo={false} aria-label={t('imports.checking')} />
          <Counts record={data} />
        </Space>
      ) : null}
      {data.status === 'validated' ? <Validated record={data} onCommitRequested={onCommitRequested} /> : null}
      {data.status === 'committed' ? (
        <Result
          status="success"
          title={t('imports.committed')}
          subTitle={[
            t('imports.committedCounts', { inserted: data.rowsInserted, updated: data.rowsUpdated }),
            data.rowsReview > 0 ? t('imports.committedReview', { count: data.rowsReview }) : null,
          ]
            .filter(Boolean)
            .join(' · ')}
          extra={
            <Space wrap>
              <Link to="/people">
                <Button type="primary" icon={<TeamOutlined />}>
                  {t('imports.toResidents')}
                </Button>
              </Link>
              {data.hasErrorReport ? <ErrorReportLink id={data.id} /> : null}
            </Space>
          }
        >
          <Counts record={data} showLoaded />
          <ErrorRows record={data} />
        </Result>
      ) : null}
      {data.status === 'failed' ? (
        <Alert
          type="error"
          showIcon
          title={t('imports.failed')}
          description={data.error?.message ?? t('errors.unknown')}
          action={data.error?.code === 'IMPORT_INTERRUPTED' ? <RerunButton id={data.id} /> : undefined}
          data-testid="import-failed"
        />
      ) : null}
    </Card>
  );
}

/** For an import a server restart cut short: the same pass again, from the upload the server kept. */
function RerunButton({ id }: { id: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const rerun = useRerunImport();
  return (
    <Button
      size="small"
      loading={rerun.isPending}
      onClick={() =>
        rerun
          .mutateAsync(id)
          .catch((error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown')))
      }
      data-testid="import-rerun"
    >
      {t('imports.rerun')}
    </Button>
  );
}

function Counts({ record, showLoaded = false }: { record: ImportView; showLoaded?: boolean }) {
  const { t } = useTranslation();
  return (
    <Row gutter={16} data-testid="import-counts">
      <Col span={showLoaded ? 4 : 8}>
        <Statistic title={t('imports.rowsRead')} value={record.rowsRead} />
      </Col>
      <Col span={showLoaded ? 5 : 8}>
        <Statistic
          title={t('imports.rowsValid')}
          value={record.rowsValid}
          styles={{ content: { color: '#389e0d' } }}
          data-testid="rows-valid"
        />
      </Col>
      <Col span={showLoaded ? 5 : 8}>
        <Statistic
          title={t('imports.rowsInvalid')}
          value={record.rowsInvalid}
          styles={{ content: { color: record.rowsInvalid > 0 ? '#cf1322' : undefined } }}
          data-testid="rows-invalid"
        />
      </Col>
      {showLoaded ? (
        <>
          <Col span={5}>
            <Statistic title={t('imports.rowsInserted')} value={record.rowsInserted} data-testid="rows-inserted" />
          </Col>
          <Col span={5}>
            <Statistic title={t('imports.rowsUpdated')} value={record.rowsUpdated} data-testid="rows-updated" />
          </Col>
        </>
      ) : null}
    </Row>
  );
}

type ErrorRow = NonNullable<ImportView['errorRows']>[number];

/** The first bad rows on screen (row, column, problem), next to the error report that has them all. */
function ErrorRows({ record }: { record: ImportView }) {
  const { t } = useTranslation();
  const rows = record.errorRows ?? [];
  if (rows.length === 0) return null;
  return (
    <Table<ErrorRow>
      size="small"
      data-testid="import-error-rows"
      title={() => t('imports.errorRowsTitle', { count: rows.length })}
      rowKey={(r) => `${r.row}:${r.column}:${r.message}`}
      dataSource={rows}
      pagination={rows.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      columns={[
        { title: t('imports.errorRowNo'), dataIndex: 'row', width: 80 },
        { title: t('imports.errorColumn'), dataIndex: 'column', width: 160 },
        { title: t('imports.errorMessage'), dataIndex: 'message' },
      ]}
    />
  );
}

function ErrorReportLink({ id }: { id: number }) {
  const { t } = useTranslation();
  return (
    <Button icon={<DownloadOutlined />} href={errorReportUrl(id)} download data-testid="error-report">
      {t('imports.errorReport')}
    </Button>
  );
}

function Validated({ record, onCommitRequested }: { record: ImportView; onCommitRequested: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const commit = useCommitImport();
  const cancel = useCancelImport();

  const confirm = () =>
    modal.confirm({
      title: t('imports.commitTitle'),
      content:
        record.rowsInvalid > 0
          ? t('imports.commitSkipping', { valid: record.rowsValid, invalid: record.rowsInvalid })
          : t('imports.commitAll', { valid: record.rowsValid }),
      okText: t('imports.commit'),
      cancelText: t('common.cancel'),
      onOk: () =>
        commit.mutateAsync(record.id).then(onCommitRequested, (error: unknown) => {
          message.error(error instanceof Error ? error.message : t('errors.unknown'));
        }),
    });

  const confirmCancel = () =>
    modal.confirm({
      title: t('imports.cancelTitle'),
      content: t('imports.cancelContent'),
      okText: t('imports.cancel'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        cancel.mutateAsync(record.id).then(
          () => message.success(t('imports.cancelled')),
          (error: unknown) => message.error(error instanceof Error ? error.message : t('errors.unknown')),
        ),
    });

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Counts record={record} />
      {record.rowsInvalid > 0 ? (
        <Alert
          type="warning"
          showIcon
          title={t('imports.hasInvalid', { count: record.rowsInvalid })}
          action={record.hasErrorReport ? <ErrorReportLink id={record.id} /> : null}
        />
      ) : (
        <Alert type="success" showIcon title={t('imports.allValid')} />
      )}
      <ErrorRows record={record} />
      <Space>
        <Button
          type="primary"
          icon={<CheckOutlined />}
          disabled={record.rowsValid === 0}
          loading={commit.isPending}
          onClick={confirm}
          data-testid="import-commit"
        >
          {t('imports.commitCount', { count: record.rowsValid })}
        </Button>
        <Button danger loading={cancel.isPending} onClick={confirmCancel} data-testid="import-cancel">
          {t('imports.cancel')}
        </Button>
        <Typography.Text type="secondary">{t('imports.commitHelp')}</Typography.Text>
      </Space>
    </Space>
  );
}
