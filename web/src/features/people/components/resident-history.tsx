import { Table, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ResidentDetail } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { AuditDiff, diffSummary } from '../../audit/components/audit-diff';

type Entry = ResidentDetail['history'][number];

/** Audit actions recorded on a resident, as people read them. */
const ACTIONS = {
  'resident.create': 'create',
  'resident.update': 'update',
  'resident.move_out': 'moveOut',
  'resident.death': 'death',
  'resident.tag_add': 'tagAdd',
  'resident.tag_remove': 'tagRemove',
  'resident.contact_add': 'contactAdd',
  'resident.contact_remove': 'contactRemove',
  'resident.household': 'household',
  'pii.reveal': 'reveal',
} as const;

function actionLabel(t: TFunction, action: string): string {
  const key = ACTIONS[action as keyof typeof ACTIONS];
  return key ? t(`people.history.${key}`) : action;
}

const COLORS: Record<string, string> = {
  'resident.create': 'green',
  'resident.move_out': 'orange',
  'resident.death': 'default',
  'pii.reveal': 'gold',
};

/** Who changed what and when (Asia/Shanghai time); the newest first. */
export function ResidentHistory({ history }: { history: ResidentDetail['history'] }) {
  const { t } = useTranslation();
  return (
    <Table<Entry>
      size="small"
      rowKey={(e) => `${e.at}-${e.action}-${JSON.stringify(e.diff)}`}
      dataSource={history}
      pagination={history.length > 10 ? { pageSize: 10, size: 'small' } : false}
      locale={{ emptyText: t('people.history.empty') }}
      data-testid="resident-history"
      columns={[
        {
          title: t('audit.time'),
          dataIndex: 'at',
          width: 170,
          render: (at: string) => <span className="linli-nowrap">{formatTime(at)}</span>,
        },
        {
          title: t('audit.actor'),
          dataIndex: 'actorName',
          width: 100,
          render: (name: string | null) => name ?? t('audit.system'),
        },
        {
          title: t('audit.action'),
          dataIndex: 'action',
          width: 120,
          render: (a: string) => <Tag color={COLORS[a] ?? 'blue'}>{actionLabel(t, a)}</Tag>,
        },
        {
          title: t('audit.diff'),
          key: 'diff',
          ellipsis: true,
          render: (_, e) => (
            <Typography.Text type="secondary">
              {[diffSummary(e.diff), e.reason].filter(Boolean).join(' · ')}
            </Typography.Text>
          ),
        },
      ]}
      expandable={{
        rowExpandable: (e) => Object.keys(e.diff ?? {}).length > 0 || Boolean(e.reason),
        expandedRowRender: (e) => (
          <>
            <AuditDiff diff={e.diff} />
            {e.reason ? (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t('audit.reason')}: {e.reason}
              </Typography.Paragraph>
            ) : null}
          </>
        ),
      }}
    />
  );
}
