import { DatePicker, Segmented, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useDeviceTypes } from '../../devices/hooks/use-devices';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import {
  ALARM_STATUSES,
  type AlarmFilters,
  RULE_KINDS,
  SEVERITIES,
  type StatusFilter,
  withFilter,
} from '../utils/alarm-filters';

type Props = { filters: AlarmFilters; onChange: (filters: AlarmFilters) => void };

const STATUS_OPTIONS: readonly StatusFilter[] = ['open', ...ALARM_STATUSES, 'all'];

/** The centre's filters: status, severity, kind of rule, device type, area and the time range. */
export function AlarmFiltersBar({ filters, onChange }: Props) {
  const { t } = useTranslation();
  const types = useDeviceTypes();
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      <Segmented<StatusFilter>
        value={filters.status}
        onChange={(v) => onChange(withFilter(filters, 'status', v))}
        options={STATUS_OPTIONS.map((s) => ({ value: s, label: t(`alarms.statusFilter.${s}`) }))}
        data-testid="alarm-status-filter"
      />
      <Space wrap size={[8, 8]} data-testid="alarm-filters">
        <Select
          allowClear
          placeholder={t('alarms.filters.severity')}
          style={{ width: 130 }}
          value={filters.severity}
          options={SEVERITIES.map((s) => ({ value: s, label: t(`alarms.severity.${s}`) }))}
          onChange={(v) => onChange(withFilter(filters, 'severity', v))}
          data-testid="alarm-filter-severity"
        />
        <Select
          allowClear
          placeholder={t('alarms.filters.kind')}
          style={{ width: 150 }}
          value={filters.kind}
          options={RULE_KINDS.map((k) => ({ value: k, label: t(`alarms.kind.${k}`) }))}
          onChange={(v) => onChange(withFilter(filters, 'kind', v))}
          data-testid="alarm-filter-kind"
        />
        <Select
          allowClear
          placeholder={t('alarms.filters.type')}
          style={{ width: 160 }}
          loading={types.isLoading}
          value={filters.typeCode}
          options={(types.data ?? []).map((d) => ({ value: d.code, label: d.name }))}
          onChange={(v) => onChange(withFilter(filters, 'typeCode', v))}
          data-testid="alarm-filter-type"
        />
        <NodeSearchSelect
          allowClear
          placeholder={t('alarms.filters.node')}
          style={{ width: 200 }}
          value={filters.nodeId ?? null}
          onChange={(v) => onChange(withFilter(filters, 'nodeId', v))}
        />
        <DatePicker.RangePicker
          aria-label={t('alarms.filters.range')}
          style={{ width: 250 }}
          value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
          allowEmpty={[true, true]}
          onChange={(range) => {
            const from = range?.[0]?.format('YYYY-MM-DD');
            const to = range?.[1]?.format('YYYY-MM-DD');
            onChange(withFilter(withFilter(filters, 'from', from), 'to', to));
          }}
        />
      </Space>
    </Space>
  );
}
