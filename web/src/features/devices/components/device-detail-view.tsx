import './devices.css';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Card, Descriptions, Result, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { AlarmListItem, DeviceDetail } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { formatTime } from '../../../ui/time';
import { AlarmsTable } from '../../alarms/components/alarms-table';
import { ResolveAlarmModal } from '../../alarms/components/resolve-alarm-modal';
import { useAcknowledgeAlarm, useAlarmList, useLiveAlarms } from '../../alarms/hooks/use-alarms';
import { useAccess } from '../../auth/hooks/use-access';
import { useDevice, useLiveDevices } from '../hooks/use-devices';
import { DeadLettersCard } from './dead-letters-card';
import { DeviceRulesCard } from './device-rules-card';
import { DeviceStatusTag, OnlineBadge } from './device-status';
import { TelemetryCard } from './telemetry-card';

function Facts({ d, now }: { d: DeviceDetail; now: Date }) {
  const { t } = useTranslation();
  const access = useAccess();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="device-facts">
      <Descriptions.Item label={t('devices.col.type')}>{d.typeName}</Descriptions.Item>
      <Descriptions.Item label={t('devices.serial')}>
        <Typography.Text copyable>{d.serial}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('devices.name')}>{d.name ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('devices.col.status')}>
        <DeviceStatusTag status={d.status} />
      </Descriptions.Item>
      <Descriptions.Item label={t('devices.col.online')}>
        <OnlineBadge device={d} now={now} />
      </Descriptions.Item>
      <Descriptions.Item label={t('devices.lastSeen')}>
        {formatTime(d.lastSeenAt) || t('devices.neverSeen')}
      </Descriptions.Item>
      <Descriptions.Item label={t('devices.col.place')} span={2}>
        {[d.placeName, d.houseLabel, d.location].filter(Boolean).join(' · ')}
        {d.lat !== null && d.lng !== null ? (
          <Typography.Text type="secondary">{` (${d.lat.toFixed(6)}, ${d.lng.toFixed(6)})`}</Typography.Text>
        ) : null}
      </Descriptions.Item>
      <Descriptions.Item label={t('devices.col.resident')}>
        {d.residentId && d.residentName ? (
          access.canReadPeople ? (
            <Link to={`/people/residents/${d.residentId}`}>{d.residentName}</Link>
          ) : (
            d.residentName
          )
        ) : (
          '—'
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('devices.installedOn')}>{d.installedOn ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('devices.credentials')}>
        {t('devices.credentialsValue', { prefix: d.secretPrefix, at: formatTime(d.secretRotatedAt) })}
      </Descriptions.Item>
      <Descriptions.Item label={t('devices.createdAt')}>{formatTime(d.createdAt)}</Descriptions.Item>
    </Descriptions>
  );
}

const ALARM_PAGE_SIZE = 10;

function AlarmHistory({ deviceId }: { deviceId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const access = useAccess();
  const [page, setPage] = useState(1);
  const alarms = useAlarmList({ deviceId, page, pageSize: ALARM_PAGE_SIZE });
  const acknowledge = useAcknowledgeAlarm();
  const [resolving, setResolving] = useState<AlarmListItem | null>(null);
  const ack = (a: AlarmListItem) =>
    acknowledge.mutate(
      { id: a.id, version: a.version },
      {
        onSuccess: () => message.success(t('alarms.acknowledged')),
        onError: (error) => message.error(error.message),
      },
    );
  return (
    <Card size="small" title={t('devices.alarmHistory')} id="alarms" data-testid="device-alarms">
      {alarms.error ? <Alert type="error" showIcon title={alarms.error.message} /> : null}
      <AlarmsTable
        data-testid="device-alarms-table"
        items={alarms.data?.items ?? []}
        loading={alarms.isLoading}
        showDevice={false}
        pendingId={acknowledge.isPending ? (acknowledge.variables?.id ?? null) : null}
        pagination={{
          current: page,
          pageSize: ALARM_PAGE_SIZE,
          total: alarms.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        {...(access.canHandleAlarms ? { onAcknowledge: ack, onResolve: setResolving } : {})}
      />
      <ResolveAlarmModal alarm={resolving} onClose={() => setResolving(null)} />
    </Card>
  );
}

/**
 * A device (/devices/:id): its facts and status, the rules in effect for the person it watches over, its telemetry
 * over a chosen range, its alarms and the messages it sent that were set aside.
 */
export function DeviceDetailView({ id }: { id: number }) {
  const { t } = useTranslation();
  const device = useDevice(id);
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  useLiveDevices();
  useLiveAlarms();

  if (device.isLoading) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  if (device.error || !device.data) {
    const notFound = isApiError(device.error) && (device.error.status === 404 || device.error.status === 403);
    return (
      <Result
        status={notFound ? '404' : 'warning'}
        title={notFound ? t('devices.notFound') : (device.error?.message ?? t('errors.unknown'))}
        extra={<Link to="/devices">{t('devices.backToList')}</Link>}
      />
    );
  }
  const d = device.data;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="device-detail">
      <Link to="/devices">
        <ArrowLeftOutlined /> {t('devices.backToList')}
      </Link>
      <Card
        title={
          <Space wrap>
            <span data-testid="device-title">{d.name ? `${d.name}（${d.serial}）` : d.serial}</span>
            <Tag>{d.typeName}</Tag>
            {d.openAlarms > 0 ? <Tag color="red">{t('devices.buildingAlarms', { count: d.openAlarms })}</Tag> : null}
          </Space>
        }
        // The registry's actions (edit, rotate credentials, retire) go in this slot.
        extra={<div className="linli-device-actions" data-testid="device-actions" />}
      >
        {d.away ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="device-away"
            title={t('devices.away', {
              from: formatTime(d.away.fromAt),
              until: d.away.untilAt ? formatTime(d.away.untilAt) : t('devices.awayOpenEnded'),
            })}
            description={d.away.reason ?? undefined}
          />
        ) : null}
        <Facts d={d} now={now} />
      </Card>
      <DeviceRulesCard device={d} />
      <TelemetryCard key={d.id} device={d} />
      <AlarmHistory deviceId={d.id} />
      <DeadLettersCard deviceId={d.id} />
    </Space>
  );
}
