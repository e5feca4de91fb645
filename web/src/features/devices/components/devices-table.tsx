import { Badge, Space, Table, Typography } from 'antd';
import type { TablePaginationConfig } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { DeviceListItem } from '../../../api-types';
import { DeviceStatusTag, OnlineBadge } from './device-status';

type Props = { items: DeviceListItem[]; loading: boolean; pagination: TablePaginationConfig; now: Date };

export function DevicesTable({ items, loading, pagination, now }: Props) {
  const { t } = useTranslation();
  return (
    <Table<DeviceListItem>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={pagination}
      locale={{ emptyText: t('devices.empty') }}
      scroll={{ x: 1150 }}
      data-testid="devices-table"
      columns={[
        {
          title: t('devices.col.device'),
          key: 'device',
          width: 200,
          render: (_, d) => (
            <Space orientation="vertical" size={0}>
              <Link to={`/devices/${d.id}`} data-testid="device-link">
                {d.serial}
              </Link>
              {d.name ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {d.name}
                </Typography.Text>
              ) : null}
            </Space>
          ),
        },
        { title: t('devices.col.type'), dataIndex: 'typeName', width: 120 },
        {
          title: t('devices.col.place'),
          key: 'place',
          width: 260,
          render: (_, d) => {
            const text = [d.placeName, d.houseLabel].filter(Boolean).join(' · ');
            return (
              <Typography.Text ellipsis={{ tooltip: text }} style={{ maxWidth: 250 }}>
                {text}
              </Typography.Text>
            );
          },
        },
        {
          title: t('devices.col.resident'),
          dataIndex: 'residentName',
          width: 100,
          render: (v: string | null) => v ?? '—',
        },
        {
          title: t('devices.col.online'),
          key: 'online',
          width: 160,
          render: (_, d) => (d.status === 'active' ? <OnlineBadge device={d} now={now} /> : '—'),
        },
        {
          title: t('devices.col.openAlarms'),
          dataIndex: 'openAlarms',
          width: 100,
          align: 'right',
          render: (n: number, d) =>
            n > 0 ? (
              <Link to={`/devices/${d.id}#alarms`}>
                <Badge count={n} color="red" data-testid="device-open-alarms" />
              </Link>
            ) : (
              0
            ),
        },
        {
          title: t('devices.col.status'),
          dataIndex: 'status',
          width: 90,
          render: (s: DeviceListItem['status']) => <DeviceStatusTag status={s} />,
        },
      ]}
    />
  );
}
