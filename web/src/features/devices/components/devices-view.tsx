import './devices.css';
import { DownloadOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Col, Empty, Input, Row, Select, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BuildingDevices } from '../../../api-types';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import {
  useDeviceBuildings,
  useDeviceExport,
  useDeviceList,
  useDeviceTypes,
  useLiveDevices,
} from '../hooks/use-devices';
import { type DeviceFilters, toDeviceListQuery, withDeviceFilter } from '../utils/device-filters';
import { DevicesTable } from './devices-table';

type Props = { filters: DeviceFilters; onChange: (filters: DeviceFilters) => void };

/** The clock "offline for …" is read against, moved on every minute. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

type OnlineFilter = 'all' | 'online' | 'offline';

function BuildingList({
  buildings,
  loading,
  selected,
  onSelect,
}: {
  buildings: BuildingDevices[];
  loading: boolean;
  selected: number | undefined;
  onSelect: (nodeId: number | undefined) => void;
}) {
  const { t } = useTranslation();
  if (loading) return <Spin style={{ display: 'block', margin: '24px auto' }} />;
  if (buildings.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('devices.noBuildings')} />;
  return (
    <div className="linli-device-buildings" data-testid="device-buildings">
      {buildings.map((b) => {
        const isSelected = b.nodeId === selected;
        return (
          <button
            type="button"
            key={b.nodeId}
            className={isSelected ? 'linli-device-building is-selected' : 'linli-device-building'}
            aria-pressed={isSelected}
            onClick={() => onSelect(isSelected ? undefined : b.nodeId)}
            data-testid="device-building"
            data-node-id={b.nodeId}
          >
            <Typography.Text strong={isSelected}>{b.placeName}</Typography.Text>
            <Space size={4} wrap>
              <Tag>{t('devices.buildingTotal', { count: b.total })}</Tag>
              <Tag color="green" data-testid="building-online">
                {t('devices.buildingOnline', { count: b.online })}
              </Tag>
              <Tag color={b.offline > 0 ? 'orange' : 'default'} data-testid="building-offline">
                {t('devices.buildingOffline', { count: b.offline })}
              </Tag>
              {b.openAlarms > 0 ? (
                <Tag color="red" data-testid="building-alarms">
                  {t('devices.buildingAlarms', { count: b.openAlarms })}
                </Tag>
              ) : null}
            </Space>
          </button>
        );
      })}
    </div>
  );
}

/**
 * 设备: devices by building under an area (online, offline, open alarms), then the list of the chosen building (or
 * the whole area), searchable by serial or name and filtered by type and online state.
 */
export function DevicesView({ filters, onChange }: Props) {
  const { t } = useTranslation();
  const now = useNow();
  const types = useDeviceTypes();
  const buildings = useDeviceBuildings(filters.areaId);
  const query = useMemo(() => toDeviceListQuery(filters), [filters]);
  const list = useDeviceList(query);
  const exporter = useDeviceExport();
  const { message } = App.useApp();
  useLiveDevices();

  const totals = useMemo(
    () =>
      (buildings.data ?? []).reduce(
        (sum, b) => ({
          total: sum.total + b.total,
          online: sum.online + b.online,
          offline: sum.offline + b.offline,
          openAlarms: sum.openAlarms + b.openAlarms,
        }),
        { total: 0, online: 0, offline: 0, openAlarms: 0 },
      ),
    [buildings.data],
  );
  const online: OnlineFilter = filters.online === undefined ? 'all' : filters.online ? 'online' : 'offline';
  const building = buildings.data?.find((b) => b.nodeId === filters.buildingId);

  return (
    <Card
      title={t('devices.title')}
      extra={
        // The registry's buttons (register a device) go beside the live mark.
        <Space wrap data-testid="devices-actions">
          <Tag icon={<SyncOutlined spin={list.isFetching || buildings.isFetching} />} color="blue">
            {t('devices.live')}
          </Tag>
          <Button
            icon={<DownloadOutlined />}
            loading={exporter.isPending}
            onClick={() => exporter.mutate(query, { onError: (e) => message.error(e.message) })}
            data-testid="devices-export"
          >
            {t('devices.export')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('devices.intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={7}>
          <Space orientation="vertical" size="small" style={{ width: '100%' }}>
            <NodeSearchSelect
              allowClear
              placeholder={t('devices.area')}
              style={{ width: '100%' }}
              value={filters.areaId ?? null}
              onChange={(v) => onChange(withDeviceFilter(filters, 'areaId', v))}
            />
            <Space size={12} wrap data-testid="device-totals">
              <Typography.Text>{t('devices.buildingTotal', { count: totals.total })}</Typography.Text>
              <Badge status="success" text={t('devices.buildingOnline', { count: totals.online })} />
              <Badge status="default" text={t('devices.buildingOffline', { count: totals.offline })} />
              {totals.openAlarms > 0 ? (
                <Badge status="error" text={t('devices.buildingAlarms', { count: totals.openAlarms })} />
              ) : null}
            </Space>
            {buildings.error ? <Alert type="error" showIcon title={buildings.error.message} /> : null}
            <BuildingList
              buildings={buildings.data ?? []}
              loading={buildings.isLoading}
              selected={filters.buildingId}
              onSelect={(id) => onChange(withDeviceFilter(filters, 'buildingId', id))}
            />
          </Space>
        </Col>
        <Col xs={24} lg={17}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Space wrap size={[8, 8]} data-testid="device-filters">
              {building ? (
                <Tag closable onClose={() => onChange(withDeviceFilter(filters, 'buildingId', undefined))} color="blue">
                  {building.placeName}
                </Tag>
              ) : null}
              <Input.Search
                allowClear
                defaultValue={filters.q}
                placeholder={t('devices.search')}
                style={{ width: 220 }}
                onSearch={(q) => onChange(withDeviceFilter(filters, 'q', q.trim() || undefined))}
                data-testid="device-search"
              />
              <Select
                allowClear
                placeholder={t('devices.type')}
                style={{ width: 160 }}
                loading={types.isLoading}
                value={filters.typeCode}
                options={(types.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
                onChange={(v) => onChange(withDeviceFilter(filters, 'typeCode', v))}
                data-testid="device-filter-type"
              />
              <Select<OnlineFilter>
                style={{ width: 120 }}
                value={online}
                options={(['all', 'online', 'offline'] as const).map((o) => ({
                  value: o,
                  label: t(`devices.onlineFilter.${o}`),
                }))}
                onChange={(v) =>
                  onChange(withDeviceFilter(filters, 'online', v === 'all' ? undefined : v === 'online'))
                }
                data-testid="device-filter-online"
              />
            </Space>
            {list.error ? <Alert type="error" showIcon title={list.error.message} /> : null}
            <DevicesTable
              items={list.data?.items ?? []}
              loading={list.isLoading}
              now={now}
              pagination={{
                current: filters.page,
                pageSize: filters.pageSize,
                total: list.data?.total ?? 0,
                showSizeChanger: true,
                showTotal: (total) => t('devices.total', { total }),
                onChange: (page, pageSize) =>
                  onChange({ ...filters, page: pageSize === filters.pageSize ? page : 1, pageSize }),
              }}
            />
          </Space>
        </Col>
      </Row>
    </Card>
  );
}
