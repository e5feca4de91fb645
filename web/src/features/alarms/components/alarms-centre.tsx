import './alarms.css';
import { SyncOutlined } from '@ant-design/icons';
import { Alert, App, Card, Col, Row, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmListItem } from '../../../api-types';
import { useAccess } from '../../auth/hooks/use-access';
import { useAcknowledgeAlarm, useAlarmList, useLiveAlarms } from '../hooks/use-alarms';
import { type AlarmFilters, type CountKey, filtersForCount, toAlarmListQuery } from '../utils/alarm-filters';
import { AlarmFiltersBar } from './alarm-filters-bar';
import { AlarmsTable } from './alarms-table';
import { ResolveAlarmModal } from './resolve-alarm-modal';

const COUNT_KEYS: readonly CountKey[] = ['active', 'acknowledged', 'critical'];

type Props = { filters: AlarmFilters; onChange: (filters: AlarmFilters) => void };

/**
 * 预警中心: the alarms of the caller's area, with the open counts in the header, kept current from the live
 * stream (a new alarm appears without a reload); acknowledge in one click, resolve with an outcome.
 */
export function AlarmsCentre({ filters, onChange }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const access = useAccess();
  const query = useMemo(() => toAlarmListQuery(filters), [filters]);
  const list = useAlarmList(query);
  const acknowledge = useAcknowledgeAlarm();
  const [resolving, setResolving] = useState<AlarmListItem | null>(null);
  const [raisedLive, setRaisedLive] = useState(0);
  useLiveAlarms((e) => {
    if (e.change === 'raised') setRaisedLive((n) => n + 1);
  });

  const counts = list.data?.counts;
  const ack = (a: AlarmListItem) =>
    acknowledge.mutate(
      { id: a.id, version: a.version },
      {
        onSuccess: () => message.success(t('alarms.acknowledged')),
        onError: (error) => message.error(error.message),
      },
    );

  return (
    <Card
      title={t('alarms.title')}
      extra={
        <Tooltip title={t('alarms.liveHelp')}>
          <Tag
            icon={<SyncOutlined spin={list.isFetching} />}
            color="blue"
            data-testid="alarms-live"
            data-raised={raisedLive}
          >
            {t('alarms.live')}
          </Tag>
        </Tooltip>
      }
    >
      <Typography.Paragraph type="secondary">{t('alarms.intro')}</Typography.Paragraph>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Row gutter={16} data-testid="alarm-counts">
          {COUNT_KEYS.map((key) => {
            const value = counts?.[key];
            const isRed = key !== 'acknowledged' && Boolean(value);
            return (
              <Col xs={8} md={4} key={key}>
                <button
                  type="button"
                  className="linli-alarm-count"
                  onClick={() => onChange(filtersForCount(filters, key))}
                  data-testid={`alarm-count-${key}`}
                >
                  <Statistic
                    title={t(`alarms.counts.${key}`)}
                    value={value ?? '—'}
                    styles={{ content: isRed ? { color: '#cf1322' } : {} }}
                  />
                </button>
              </Col>
            );
          })}
        </Row>
        <AlarmFiltersBar filters={filters} onChange={onChange} />
        {list.error ? <Alert type="error" showIcon title={list.error.message} /> : null}
        <AlarmsTable
          items={list.data?.items ?? []}
          loading={list.isLoading}
          pendingId={acknowledge.isPending ? (acknowledge.variables?.id ?? null) : null}
          pagination={{
            current: filters.page,
            pageSize: filters.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('alarms.total', { total }),
            onChange: (page, pageSize) =>
              onChange({ ...filters, page: pageSize === filters.pageSize ? page : 1, pageSize }),
          }}
          {...(access.canHandleAlarms ? { onAcknowledge: ack, onResolve: setResolving } : {})}
        />
      </Space>
      <ResolveAlarmModal alarm={resolving} onClose={() => setResolving(null)} />
    </Card>
  );
}
