import './visits.css';
import { Alert, Card, DatePicker, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { NodeSearchSelect } from '../../org/components/node-search-select';
import { useVisits } from '../hooks/use-visits';
import { toVisitListQuery, type VisitFilters, withFilter } from '../utils/visit-filters';
import { VISIT_OUTCOMES } from '../utils/visit-labels';
import { VisitsTable } from './visit-parts';

type Props = { filters: VisitFilters; onChange: (filters: VisitFilters) => void };

/** 走访记录: the visits recorded in the caller's area, newest first, by outcome, place and day. */
export function VisitsList({ filters, onChange }: Props) {
  const { t } = useTranslation();
  const query = useMemo(() => toVisitListQuery(filters), [filters]);
  const list = useVisits(query);
  return (
    <Card title={t('visits.recordsTitle')}>
      <Typography.Paragraph type="secondary">{t('visits.recordsIntro')}</Typography.Paragraph>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap size={[8, 8]} data-testid="visit-filters">
          <Select
            allowClear
            placeholder={t('visits.filters.outcome')}
            style={{ width: 130 }}
            value={filters.outcome}
            options={VISIT_OUTCOMES.map((o) => ({ value: o, label: t(`visits.outcome.${o}`) }))}
            onChange={(v) => onChange(withFilter(filters, 'outcome', v))}
            data-testid="visit-filter-outcome"
          />
          <NodeSearchSelect
            allowClear
            placeholder={t('visits.filters.node')}
            style={{ width: 200 }}
            value={filters.nodeId ?? null}
            onChange={(v) => onChange(withFilter(filters, 'nodeId', v))}
          />
          <DatePicker.RangePicker
            aria-label={t('visits.filters.range')}
            style={{ width: 250 }}
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            allowEmpty={[true, true]}
            onChange={(range) => {
              const from = range?.[0]?.format('YYYY-MM-DD');
              const to = range?.[1]?.format('YYYY-MM-DD');
              onChange(withFilter(withFilter(filters, 'from', from), 'to', to));
            }}
          />
          {filters.taskId ? (
            <Typography.Text type="secondary">{t('visits.taskLink', { id: filters.taskId })}</Typography.Text>
          ) : null}
        </Space>
        {list.error ? <Alert type="error" showIcon title={list.error.message} /> : null}
        <VisitsTable
          items={list.data?.items ?? []}
          loading={list.isLoading}
          pagination={{
            current: filters.page,
            pageSize: filters.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (page, pageSize) =>
              onChange({ ...filters, page: pageSize === filters.pageSize ? page : 1, pageSize }),
          }}
        />
      </Space>
    </Card>
  );
}
