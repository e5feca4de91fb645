import { Card, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeadLetter } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { useDeadLetters } from '../hooks/use-devices';
import { deadLetterReasonKey } from '../utils/device-labels';

const PAGE_SIZE = 10;

/** 异常消息: what the device sent that was refused or set aside, with the reason (newest first, by the server). */
export function DeadLettersCard({ deviceId }: { deviceId: number }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const letters = useDeadLetters({ deviceId, page, pageSize: PAGE_SIZE });
  return (
    <Card size="small" title={t('devices.deadLetters.title')} data-testid="device-dead-letters">
      <Table<DeadLetter>
        rowKey="id"
        size="small"
        loading={letters.isLoading}
        dataSource={letters.data?.items ?? []}
        locale={{ emptyText: letters.error ? letters.error.message : t('devices.deadLetters.empty') }}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: letters.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          {
            title: t('devices.deadLetters.receivedAt'),
            dataIndex: 'receivedAt',
            width: 170,
            render: (v: string) => formatTime(v),
          },
          {
            title: t('devices.deadLetters.reason'),
            dataIndex: 'reason',
            width: 150,
            render: (r: string) => {
              const key = deadLetterReasonKey(r);
              return key ? t(key) : r;
            },
          },
          { title: t('devices.deadLetters.via'), dataIndex: 'via', width: 70, render: (v: string) => v.toUpperCase() },
          { title: t('devices.deadLetters.count'), dataIndex: 'count', width: 70, align: 'right' },
          {
            title: t('devices.deadLetters.detail'),
            key: 'detail',
            render: (_, d) => (
              <div>
                {d.detail ? <div>{d.detail}</div> : null}
                {d.payload ? (
                  <Typography.Text code ellipsis={{ tooltip: d.payload }} style={{ maxWidth: 420, fontSize: 12 }}>
                    {d.payload}
                  </Typography.Text>
                ) : null}
              </div>
            ),
          },
        ]}
      />
    </Card>
  );
}
