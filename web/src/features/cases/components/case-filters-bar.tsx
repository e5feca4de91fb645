import { DatePicker, Input, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CaseStageInfo } from '../../../api-types';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { type CaseFilters, SOURCES } from '../utils/case-filters';
import { CategorySelect } from './category-select';

type Props = {
  filters: CaseFilters;
  stages: readonly CaseStageInfo[];
  onChange: (filters: CaseFilters) => void;
  /** The department page has no area filter (its cases come from anywhere). */
  hasNodeFilter?: boolean;
};

const omit = <K extends keyof CaseFilters>(f: CaseFilters, key: K): CaseFilters => {
  const { [key]: _dropped, ...rest } = f;
  return rest;
};
const set = <K extends keyof CaseFilters>(f: CaseFilters, key: K, value: CaseFilters[K] | undefined | null) =>
  value === undefined || value === null || (Array.isArray(value) && value.length === 0)
    ? omit(f, key)
    : { ...f, [key]: value };

/** The board's filters: stage, category, area, source, supervision/overdue, time range and a search. */
export function CaseFiltersBar({ filters, stages, onChange, hasNodeFilter = true }: Props) {
  const { t } = useTranslation();
  return (
    <Space wrap size={[8, 8]} data-testid="case-filters">
      <Input.Search
        allowClear
        defaultValue={filters.q}
        placeholder={t('cases.filters.search')}
        style={{ width: 220 }}
        onSearch={(q) => onChange(set(filters, 'q', q.trim() || undefined))}
        data-testid="case-search"
      />
      <Select
        mode="multiple"
        allowClear
        maxTagCount="responsive"
        placeholder={t('cases.filters.stage')}
        style={{ width: 200 }}
        value={filters.stages ?? []}
        options={[...stages].sort((a, b) => a.sort - b.sort).map((s) => ({ value: s.code, label: s.name }))}
        onChange={(v) => onChange(set(filters, 'stages', v))}
        data-testid="filter-stage"
      />
      <CategorySelect
        allowClear
        placeholder={t('cases.filters.category')}
        style={{ width: 180 }}
        value={filters.categoryId ?? null}
        onChange={(v) => onChange(set(filters, 'categoryId', v))}
      />
      {hasNodeFilter ? (
        <NodeSearchSelect
          allowClear
          placeholder={t('cases.filters.node')}
          style={{ width: 180 }}
          value={filters.nodeId ?? null}
          onChange={(v) => onChange(set(filters, 'nodeId', v))}
        />
      ) : null}
      <Select
        allowClear
        placeholder={t('cases.filters.source')}
        style={{ width: 130 }}
        value={filters.source}
        options={SOURCES.map((s) => ({ value: s, label: t(`cases.source.${s}`) }))}
        onChange={(v) => onChange(set(filters, 'source', v))}
      />
      <Select
        allowClear
        placeholder={t('cases.filters.alert')}
        style={{ width: 140 }}
        value={filters.alert}
        options={(['yellow', 'red', 'overdue'] as const).map((a) => ({ value: a, label: t(`cases.filters.${a}`) }))}
        onChange={(v) => onChange(set(filters, 'alert', v))}
        data-testid="filter-alert"
      />
      <DatePicker.RangePicker
        aria-label={t('cases.filters.range')}
        style={{ width: 250 }}
        value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
        allowEmpty={[true, true]}
        onChange={(range) => {
          const from = range?.[0]?.format('YYYY-MM-DD');
          const to = range?.[1]?.format('YYYY-MM-DD');
          onChange(set(set(filters, 'from', from), 'to', to));
        }}
      />
    </Space>
  );
}
