import { ArrowRightOutlined } from '@ant-design/icons';
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { fieldLabel } from '../utils/audit-labels';

/** A value as a person reads it: text as is, null as —, yes/no, lists and records as their items. */
export function showValue(value: unknown, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'boolean') return lang === 'en' ? (value ? 'yes' : 'no') : value ? '是' : '否';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((v) => showValue(v, lang)).join(lang === 'en' ? ', ' : '、');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${fieldLabel(k, lang)}: ${showValue(v, lang)}`)
      .join('; ');
  }
  return JSON.stringify(value);
}

type Row = { field: string; before: unknown; after: unknown };

export function AuditDiff({ diff }: { diff: AuditEntry['diff'] }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
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
          render: (f: string) => <span title={f}>{fieldLabel(f, lang)}</span>,
        },
        {
          title: t('audit.before'),
          dataIndex: 'before',
          render: (v: unknown) => <span className="linli-diff-before">{showValue(v, lang)}</span>,
        },
        { key: 'arrow', width: 32, render: () => <ArrowRightOutlined style={{ color: '#8c8c8c' }} /> },
        {
          title: t('audit.after'),
          dataIndex: 'after',
          render: (v: unknown) => <span className="linli-diff-after">{showValue(v, lang)}</span>,
        },
      ]}
    />
  );
}

/** One line summary for the table cell: `name: 旧 → 新; code: …`. */
export function diffSummary(diff: AuditEntry['diff'], max = 2, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  const entries = Object.entries(diff ?? {});
  const shown = entries
    .slice(0, max)
    .map(
      ([field, [before, after]]) =>
        `${fieldLabel(field, lang)}: ${showValue(before, lang)} → ${showValue(after, lang)}`,
    );
  return entries.length > max ? `${shown.join('; ')} …` : shown.join('; ');
}
