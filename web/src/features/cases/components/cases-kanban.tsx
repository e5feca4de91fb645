import { Badge, Card, Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CaseSummary } from '../../../api-types';
import type { KanbanColumn } from '../utils/case-board';
import { CaseMarks, DueText } from './case-tags';

type Props = { columns: KanbanColumn[]; now: Date; linkTo: (c: CaseSummary) => string };

/** The board as columns by stage; a column head counts every case of the stage, the cards are those loaded. */
export function CasesKanban({ columns, now, linkTo }: Props) {
  const { t } = useTranslation();
  return (
    <div className="linli-kanban" data-testid="cases-kanban">
      {columns.map((col) => (
        <div key={col.stage} className="linli-kanban-col" data-testid={`kanban-${col.stage}`}>
          <div className="linli-kanban-head">
            <Typography.Text strong>{col.name}</Typography.Text>
            <Badge count={col.count} showZero overflowCount={9999} color={col.count > 0 ? '#1677ff' : '#d9d9d9'} />
          </div>
          <div className="linli-kanban-body">
            {col.items.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.empty')} />
            ) : (
              col.items.map((c) => (
                <Link key={c.id} to={linkTo(c)} className="linli-kanban-link">
                  <Card
                    size="small"
                    hoverable
                    className={
                      c.supervision === 2 ? 'linli-case-red' : c.supervision === 1 ? 'linli-case-yellow' : undefined
                    }
                    data-testid="kanban-card"
                  >
                    <Typography.Text strong ellipsis style={{ display: 'block' }}>
                      {c.title}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {c.caseNo} · {c.categoryName}
                    </Typography.Text>
                    <Typography.Text ellipsis style={{ display: 'block', fontSize: 12 }}>
                      {c.place.nodeLabel}
                    </Typography.Text>
                    <div style={{ fontSize: 12 }}>
                      <DueText c={c} now={now} />
                    </div>
                    <CaseMarks c={c} />
                  </Card>
                </Link>
              ))
            )}
          </div>
        </div>
      ))}
    </div>
  );
}
