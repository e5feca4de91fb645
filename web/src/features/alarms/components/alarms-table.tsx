import { Button, Space, Table, Typography } from 'antd';
import type { TablePaginationConfig } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { AlarmListItem } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { placeLine } from '../utils/alarm-labels';
import { AlarmStatusTag, SeverityTag } from './alarm-tags';

type Props = {
  items: AlarmListItem[];
  loading: boolean;
  pagination: TablePaginationConfig | false;
  /** Row actions for those who handle alarms; absent: read only. */
  onAcknowledge?: (alarm: AlarmListItem) => void;
  onResolve?: (alarm: AlarmListItem) => void;
  /** The alarm being acknowledged (its button spins). */
  pendingId?: number | null;
  /** The device column links to the device page; the device page's own history leaves it out. */
  showDevice?: boolean;
  'data-testid'?: string;
};

/** Alarms as a table: severity, status, what happened where, when, the ladder's level, and the row actions. */
export function AlarmsTable({
  items,
  loading,
  pagination,
  onAcknowledge,
  onResolve,
  pendingId,
  showDevice = true,
  ...rest
}: Props) {
  const { t } = useTranslation();
  const canAct = Boolean(onAcknowledge || onResolve);
  return (
    <Table<AlarmListItem>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={pagination}
      locale={{ emptyText: t('alarms.empty') }}
      scroll={{ x: 1200 }}
      data-testid={rest['data-testid'] ?? 'alarms-table'}
      rowClassName={(a) => `linli-alarm-row linli-alarm-${a.status === 'resolved' ? 'resolved' : a.severity}`}
      columns={[
        {
          title: t('alarms.col.severity'),
          dataIndex: 'severity',
          width: 90,
          render: (_, a) => <SeverityTag severity={a.severity} />,
        },
        {
          title: t('alarms.col.status'),
          dataIndex: 'status',
          width: 100,
          render: (_, a) => <AlarmStatusTag status={a.status} />,
        },
        {
          title: t('alarms.col.summary'),
          key: 'summary',
          width: 320,
          render: (_, a) => (
            <div>
              <Link to={`/alarms/${a.id}`} data-testid="alarm-link">
                {a.summary}
              </Link>
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {`${a.ruleName} · ${placeLine(a)}`}
                </Typography.Text>
              </div>
            </div>
          ),
        },
        ...(showDevice
          ? [
              {
                title: t('alarms.col.device'),
                key: 'device',
                width: 180,
                render: (_: unknown, a: AlarmListItem) => (
                  <Space orientation="vertical" size={0}>
                    <span>{a.typeName}</span>
                    <Link to={`/devices/${a.deviceId}`}>{a.deviceSerial}</Link>
                  </Space>
                ),
              },
            ]
          : []),
        {
          title: t('alarms.col.lastAt'),
          key: 'lastAt',
          width: 170,
          render: (_, a) => (
            <Space orientation="vertical" size={0}>
              <span>{formatTime(a.lastAt)}</span>
              {a.triggerCount > 1 ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('alarms.triggers', { count: a.triggerCount, first: formatTime(a.firstAt) })}
                </Typography.Text>
              ) : null}
            </Space>
          ),
        },
        {
          title: t('alarms.col.level'),
          key: 'level',
          width: 110,
          render: (_, a) => (a.level ? t(`alarms.level.${a.level}`) : '—'),
        },
        {
          title: t('alarms.col.handled'),
          key: 'handled',
          width: 170,
          render: (_, a) =>
            a.status === 'resolved'
              ? `${a.outcome ? t(`alarms.outcome.${a.outcome}`) : ''} ${a.resolvedBy ?? ''}`.trim() || '—'
              : a.status === 'acknowledged'
                ? `${a.acknowledgedBy ?? ''} ${formatTime(a.acknowledgedAt)}`.trim()
                : '—',
        },
        ...(canAct
          ? [
              {
                title: t('alarms.col.actions'),
                key: 'actions',
                width: 170,
                fixed: 'right' as const,
                render: (_: unknown, a: AlarmListItem) => (
                  <Space size={4}>
                    {onAcknowledge && a.status === 'active' ? (
                      <Button
                        size="small"
                        type="primary"
                        loading={pendingId === a.id}
                        onClick={() => onAcknowledge(a)}
                        data-testid="alarm-ack"
                      >
                        {t('alarms.actions.acknowledge')}
                      </Button>
                    ) : null}
                    {onResolve && a.status !== 'resolved' ? (
                      <Button size="small" onClick={() => onResolve(a)} data-testid="alarm-resolve">
                        {t('alarms.actions.resolve')}
                      </Button>
                    ) : null}
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
