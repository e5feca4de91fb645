import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PreviewResult, ReportEntity } from '../../../api-types';
import { currentLanguage } from '../../../i18n';
import { useReportFields } from '../hooks/use-reports';
import { columnLabel } from '../utils/definition';

type Row = PreviewResult['rows'][number];

type Props = { result: PreviewResult | undefined; entity: ReportEntity; loading: boolean };

/** A report's first rows as the export will hold them (masked), with the full count and any 合计 row. */
export function ReportPreviewTable({ result, entity, loading }: Props) {
  const { t } = useTranslation();
  const catalogue = useReportFields().data;
  const lang = currentLanguage();
  const columns = result?.columns ?? [];
  const rows = (result?.rows ?? []).map((row, i) => ({ ...row, __key: i }));
  const totals = result?.totals;
  return (
    <Table<Row & { __key: number }>
      size="small"
      rowKey="__key"
      loading={loading}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 'max-content', y: 480 }}
      data-testid="report-preview"
      title={() =>
        result ? (
          <Typography.Text type="secondary" data-testid="report-preview-total">
            {t('reports.previewTotal', { total: result.total, shown: result.rows.length })}
          </Typography.Text>
        ) : null
      }
      columns={columns.map((c) => ({
        key: c.key,
        dataIndex: c.key,
        title: columnLabel(catalogue, entity, c, lang),
        render: (v: Row[string]) => (v === null || v === undefined ? '' : v),
        onCell: () => ({ className: 'linli-nowrap' }),
      }))}
      summary={
        totals
          ? () => (
              <Table.Summary fixed>
                <Table.Summary.Row>
                  {columns.map((c, i) => (
                    <Table.Summary.Cell key={c.key} index={i}>
                      <Typography.Text strong>
                        {totals[c.key] ?? (i === 0 ? t('reports.totalsRow') : '')}
                      </Typography.Text>
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              </Table.Summary>
            )
          : undefined
      }
    />
  );
}
