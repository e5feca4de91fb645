import './cases.css';
import { AppstoreOutlined, PlusOutlined, SyncOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Segmented, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseListQuery, CaseSummary } from '../../../api-types';
import { useCaseList, useCaseStages, useLiveCases } from '../hooks/use-cases';
import { kanbanColumns } from '../utils/case-board';
import { type BoardView, type CaseFilters, toCaseListQuery } from '../utils/case-filters';
import { CaseFiltersBar } from './case-filters-bar';
import { CasesKanban } from './cases-kanban';
import { CasesTable } from './cases-table';

type Props = {
  title: string;
  intro?: string;
  listView: NonNullable<CaseListQuery['view']>;
  filters: CaseFilters;
  view: BoardView;
  onChange: (filters: CaseFilters, view: BoardView) => void;
  linkTo: (c: CaseSummary) => string;
  onReport?: () => void;
};

/** The clock the deadlines are read against, moved on every half minute. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * 事件 board: the cases of the caller's area (or department) as a table or as kanban columns by stage, filtered,
 * and kept current from the live stream.
 */
export function CasesBoard({ title, intro, listView, filters, view, onChange, linkTo, onReport }: Props) {
  const { t } = useTranslation();
  const now = useNow();
  const stages = useCaseStages();
  // The kanban's column heads need the counts per stage (a count over the whole filtered area); the table does not.
  const query = useMemo(() => {
    const q = toCaseListQuery(filters, listView);
    return view === 'kanban' ? { ...q, counts: true } : q;
  }, [filters, listView, view]);
  const list = useCaseList(query);
  const [liveCount, setLiveCount] = useState(0);
  useLiveCases(() => setLiveCount((n) => n + 1));

  const pages = list.data?.pages ?? [];
  const items = useMemo(() => pages.flatMap((p) => p.items), [pages]);
  const stageCounts = pages[0]?.stageCounts ?? {};
  const counted = Object.keys(stageCounts).length > 0 || view === 'kanban';
  const total = Object.entries(stageCounts)
    .filter(([stage]) => !filters.stages?.length || (filters.stages as string[]).includes(stage))
    .reduce((sum, [, n]) => sum + n, 0);
  const columns = useMemo(
    () => kanbanColumns(items, stageCounts, stages.data ?? [], filters.stages),
    [items, stageCounts, stages.data, filters.stages],
  );

  return (
    <Card
      title={title}
      extra={
        <Space>
          <Tooltip title={t('cases.live')}>
            <Tag
              icon={<SyncOutlined spin={list.isFetching} />}
              color="blue"
              data-testid="cases-live"
              data-changes={liveCount}
            >
              {t('cases.live')}
            </Tag>
          </Tooltip>
          <Segmented<BoardView>
            value={view}
            onChange={(v) => onChange(filters, v)}
            options={[
              { value: 'table', label: t('cases.viewTable'), icon: <UnorderedListOutlined /> },
              { value: 'kanban', label: t('cases.viewKanban'), icon: <AppstoreOutlined /> },
            ]}
            data-testid="board-view"
          />
          {onReport ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={onReport} data-testid="report-case">
              {t('cases.report')}
            </Button>
          ) : null}
        </Space>
      }
    >
      {intro ? <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph> : null}
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <CaseFiltersBar
          filters={filters}
          stages={stages.data ?? []}
          onChange={(f) => onChange(f, view)}
          hasNodeFilter={listView !== 'department'}
        />
        {list.error ? <Alert type="error" showIcon title={list.error.message} /> : null}
        {view === 'kanban' ? (
          <CasesKanban columns={columns} now={now} linkTo={linkTo} />
        ) : (
          <CasesTable items={items} loading={list.isLoading} now={now} linkTo={linkTo} />
        )}
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Text type="secondary" data-testid="cases-loaded">
            {counted
              ? t('cases.loaded', { shown: items.length, total: Math.max(total, items.length) })
              : t('cases.loadedNoTotal', { shown: items.length })}
          </Typography.Text>
          {list.hasNextPage ? (
            <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('cases.loadMore')}
            </Button>
          ) : null}
        </Space>
      </Space>
    </Card>
  );
}
