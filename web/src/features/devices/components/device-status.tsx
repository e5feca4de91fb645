import { Badge, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeviceListItem } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { sinceParts } from '../utils/device-labels';

/** 在线 / 离线 (heard from within twice the type's report interval), with the last-heard time on hover. */
export function OnlineBadge({ device, now }: { device: Pick<DeviceListItem, 'online' | 'lastSeenAt'>; now: Date }) {
  const { t } = useTranslation();
  const since = sinceParts(device.lastSeenAt, now);
  return (
    <Tooltip
      title={device.lastSeenAt ? `${t('devices.lastSeen')}：${formatTime(device.lastSeenAt)}` : t('devices.neverSeen')}
    >
      <span data-testid="device-online" data-online={device.online}>
        <Badge
          status={device.online ? 'success' : 'default'}
          text={device.online ? t('devices.online') : t('devices.offline')}
        />
        {!device.online && since ? (
          <span style={{ color: 'rgba(0,0,0,0.45)', marginInlineStart: 6, fontSize: 12 }}>
            {t(`devices.since.${since.unit}`, { count: since.count })}
          </span>
        ) : null}
      </span>
    </Tooltip>
  );
}

const STATUS_COLOR: Record<DeviceListItem['status'], string> = {
  active: 'green',
  disabled: 'orange',
  retired: 'default',
};

export function DeviceStatusTag({ status }: { status: DeviceListItem['status'] }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`devices.status.${status}`)}</Tag>;
}
