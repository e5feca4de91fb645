import { Descriptions, Image, Space, Spin, Table, Typography } from 'antd';
import type { TablePaginationConfig } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { HealthObservation, VisitDetail, VisitListItem } from '../../../api-types';
import { formatTime } from '../../../ui/time';
import { useVisit } from '../hooks/use-visits';
import { fileUrls } from '../utils/visit-labels';
import { OutcomeTag } from './visit-tags';

const HEALTH_NUMBERS = ['systolic', 'diastolic', 'heartRate', 'temperature', 'bloodSugar'] as const;

/** The health observations noted on a visit, one line each with its unit; nothing when none were noted. */
export function HealthFacts({ health }: { health: HealthObservation | null }) {
  const { t } = useTranslation();
  if (!health || Object.keys(health).length === 0)
    return <Typography.Text type="secondary">{t('visits.noHealth')}</Typography.Text>;
  const bloodPressure =
    health.systolic !== undefined && health.diastolic !== undefined ? `${health.systolic}/${health.diastolic}` : null;
  return (
    <Descriptions size="small" column={1} data-testid="visit-health">
      {bloodPressure ? (
        <Descriptions.Item label={t('visits.health.bloodPressure')}>{`${bloodPressure} mmHg`}</Descriptions.Item>
      ) : null}
      {HEALTH_NUMBERS.filter(
        (k) => health[k] !== undefined && !(bloodPressure && (k === 'systolic' || k === 'diastolic')),
      ).map((k) => (
        <Descriptions.Item key={k} label={t(`visits.health.${k}`)}>
          {`${health[k]} ${t(`visits.health.unit.${k}`)}`}
        </Descriptions.Item>
      ))}
      {health.mood ? (
        <Descriptions.Item label={t('visits.health.mood')}>{t(`visits.health.moods.${health.mood}`)}</Descriptions.Item>
      ) : null}
      {health.mobility ? (
        <Descriptions.Item label={t('visits.health.mobility')}>
          {t(`visits.health.mobilities.${health.mobility}`)}
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}

/** A visit's photos as thumbnails that open the picture; other files as links. */
export function VisitPhotos({ files }: { files: VisitDetail['files'] }) {
  const { t } = useTranslation();
  if (files.length === 0) return <Typography.Text type="secondary">{t('visits.noPhotos')}</Typography.Text>;
  return (
    <div className="linli-visit-photos" data-testid="visit-photos">
      <Image.PreviewGroup>
        {files.map((f) => {
          const { url, thumbUrl } = fileUrls(f);
          return thumbUrl ? (
            <Image
              key={f.id}
              width={96}
              height={96}
              style={{ objectFit: 'cover' }}
              src={thumbUrl}
              preview={{ src: url }}
              alt={f.name}
            />
          ) : (
            <a key={f.id} href={url} target="_blank" rel="noreferrer">
              {f.name}
            </a>
          );
        })}
      </Image.PreviewGroup>
    </div>
  );
}

/** Under a visit's row on a task's page: its photos and health observations, read when the row is opened. */
function VisitExpanded({ id }: { id: number }) {
  const { t } = useTranslation();
  const visit = useVisit(id);
  if (visit.isLoading) return <Spin size="small" />;
  if (!visit.data)
    return <Typography.Text type="danger">{visit.error?.message ?? t('common.loadFailed')}</Typography.Text>;
  return (
    <Space align="start" size="large" wrap>
      <VisitPhotos files={visit.data.files} />
      <HealthFacts health={visit.data.health} />
    </Space>
  );
}

type TableProps = {
  items: VisitListItem[];
  /** The task's page leaves out the subject's column (the page is about them) and opens rows for details. */
  compact?: boolean;
  loading?: boolean;
  pagination?: false | TablePaginationConfig;
  'data-testid'?: string;
};

/** Visits as a table: when, outcome, who visited, whom (unless compact), the note, photos and the case. */
export function VisitsTable({ items, compact = false, loading = false, pagination = false, ...rest }: TableProps) {
  const { t } = useTranslation();
  return (
    <Table<VisitListItem>
      rowKey="id"
      size={compact ? 'small' : 'middle'}
      loading={loading}
      dataSource={items}
      pagination={pagination}
      data-testid={rest['data-testid'] ?? 'visits-table'}
      locale={{ emptyText: t('visits.noVisits') }}
      scroll={{ x: compact ? 700 : 1100 }}
      {...(compact
        ? {
            expandable: {
              rowExpandable: (v: VisitListItem) => v.photoCount > 0 || v.outcome !== 'not_home',
              expandedRowRender: (v: VisitListItem) => <VisitExpanded id={v.id} />,
            },
          }
        : {})}
      columns={[
        {
          title: t('visits.col.visitedAt'),
          key: 'visitedAt',
          width: 170,
          render: (_, v) => (
            <Link to={`/visits/records/${v.id}`} data-testid="visit-link">
              {formatTime(v.visitedAt)}
            </Link>
          ),
        },
        {
          title: t('visits.col.outcome'),
          key: 'outcome',
          width: 100,
          render: (_, v) => <OutcomeTag outcome={v.outcome} />,
        },
        ...(compact
          ? []
          : [
              {
                title: t('visits.col.subject'),
                key: 'subject',
                width: 260,
                render: (_: unknown, v: VisitListItem) => (
                  <div>
                    <span>{v.residentName ?? t('visits.household')}</span>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {v.placeLabel}
                      </Typography.Text>
                    </div>
                  </div>
                ),
              },
              {
                title: t('visits.col.rule'),
                key: 'rule',
                width: 150,
                render: (_: unknown, v: VisitListItem) =>
                  v.taskId ? (
                    <Link to={`/visits/tasks/${v.taskId}`}>{v.ruleName ?? t('visits.taskLink', { id: v.taskId })}</Link>
                  ) : (
                    t('visits.adHoc')
                  ),
              },
            ]),
        { title: t('visits.col.visitor'), dataIndex: 'visitorName', width: 120 },
        {
          title: t('visits.col.note'),
          key: 'note',
          render: (_, v) => v.note ?? '—',
        },
        {
          title: t('visits.col.photos'),
          key: 'photos',
          width: 80,
          render: (_, v) => (v.photoCount > 0 ? t('visits.photoCount', { count: v.photoCount }) : '—'),
        },
        {
          title: t('visits.col.case'),
          key: 'case',
          width: 110,
          render: (_, v) =>
            v.caseId ? (
              <Link to={`/cases/${v.caseId}`} data-testid="visit-case-link">
                {t('visits.caseLink', { id: v.caseId })}
              </Link>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
