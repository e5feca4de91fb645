import { ArrowRightOutlined } from '@ant-design/icons';
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../api-types';

/** A value as a person reads it: text as is, null as —, anything else as compact JSON. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

type Row = { field: string; before: unknown; after: unknown };

export function AuditDiff({ diff }: { diff: AuditEntry['diff'] }) {
  const { t } = useTranslation();
  const rows: Row[] = Object.entries(diff ?? {}).map(([field, [before, after]]) => ({ field, before, after }));
  if (rows.length === 0) return <Typography.Text type="secondary">{t('audit.noDiff')}</Typography.Text>;
  return (
    <Table<Row>
      className="linli-diff"
      size="small"
      rowKey="field"
      pagination={false}
      dataSource={rows}
      columns={[
        {
          title: t('audit.field'),
          dataIndex: 'field',
          width: 160,
          render: (f: string) => <Typography.Text code>{f}</Typography.Text>,
        },
        {
          title: t('audit.before'),
          dataIndex: 'before',
          render: (v: unknown) => <span className="linli-diff-before">{showValue(v)}</span>,
        },
        { key: 'arrow', width: 32, render: () => <ArrowRightOutlined style={{ color: '#8c8c8c' }} /> },
        {
          title: t('audit.after'),
          dataIndex: 'after',
          render: (v: unknown) => <span className="linli-diff-after">{showValue(v)}</span>,
        },
      ]}
    />
  );
}

/** One line summary for the table cell: `name: 旧 → 新; code: …`. */
export function diffSummary(diff: AuditEntry['diff'], max = 2): string {
  const entries = Object.entries(diff ?? {});
  const shown = entries
    .slice(0, max)
    .map(([field, [before, after]]) => `${field}: ${showValue(before)} → ${showValue(after)}`);
  return entries.length > max ? `${shown.join('; ')} …` : shown.join('; ');
}
