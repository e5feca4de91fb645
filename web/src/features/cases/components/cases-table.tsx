import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CaseSummary } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { CaseMarks, DueText, StageTag } from './case-tags';

type Props = {
  items: CaseSummary[];
  loading: boolean;
  now: Date;
  /** Where a case opens (/cases/:id). */
  linkTo: (c: CaseSummary) => string;
};

/** The board as a table; the rows come a page at a time (load more below). */
export function CasesTable({ items, loading, now, linkTo }: Props) {
  const { t } = useTranslation();
  return (
    <Table<CaseSummary>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={false}
      locale={{ emptyText: t('cases.empty') }}
      scroll={{ x: 1390 }}
      data-testid="cases-table"
      rowClassName={(c) => (c.supervision === 2 ? 'linli-case-red' : c.supervision === 1 ? 'linli-case-yellow' : '')}
      columns={[
        {
          title: t('cases.col.caseNo'),
          dataIndex: 'caseNo',
          width: 180,
          render: (no: string, c) => (
            <Link to={linkTo(c)} style={{ whiteSpace: 'nowrap' }}>
              {no}
            </Link>
          ),
        },
        {
          title: t('cases.col.title'),
          key: 'title',
          width: 260,
          render: (_, c) => (
            <div>
              <Link to={linkTo(c)} data-testid="case-link">
                {c.title}
              </Link>
              <div>
                <CaseMarks c={c} />
              </div>
            </div>
          ),
        },
        { title: t('cases.col.category'), dataIndex: 'categoryName', width: 120 },
        { title: t('cases.col.stage'), key: 'stage', width: 100, render: (_, c) => <StageTag c={c} /> },
        {
          title: t('cases.col.place'),
          key: 'place',
          width: 240,
          render: (_, c) => {
            const text = [c.place.nodeLabel, c.place.houseLabel, c.place.address].filter(Boolean).join(' ');
            return (
              <Typography.Text ellipsis={{ tooltip: text }} style={{ maxWidth: 230 }}>
                {text}
              </Typography.Text>
            );
          },
        },
        {
          title: t('cases.col.assignee'),
          key: 'assignee',
          width: 170,
          render: (_, c) =>
            [c.assigneeDepartmentName ?? c.assigneeNodeName, c.handlerName].filter(Boolean).join(' · ') || '—',
        },
        { title: t('cases.col.due'), key: 'due', width: 150, render: (_, c) => <DueText c={c} now={now} /> },
        {
          title: t('cases.col.source'),
          dataIndex: 'source',
          width: 100,
          render: (s: CaseSummary['source']) => t(`cases.source.${s}`),
        },
        { title: t('cases.col.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatTime(v) },
      ]}
    />
  );
}
