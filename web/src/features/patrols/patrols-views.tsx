import { Alert, Button, Card, Descriptions, Empty, Image, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { PatrolDetail, PatrolFinding, PatrolListItem, PatrolListQuery, PatrolStatus } from '../../api-types';
import { currentLanguage } from '../../i18n';
import { distanceText, durationText, type TrackPoint } from './patrol-logic';
import { usePatrol, usePatrols } from './use-patrols';

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

function StatusTag({ status }: { status: PatrolStatus }) {
  const { t } = useTranslation();
  return <Tag color={status === 'active' ? 'processing' : 'default'}>{t(`patrols.${status}`)}</Tag>;
}

/** 巡查记录: the area's patrols (worker, grid, duration, findings, cases), newest first. */
export function PatrolsList({ query, onChange }: { query: PatrolListQuery; onChange: (q: PatrolListQuery) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = usePatrols(query);
  const lang = currentLanguage();
  const columns: ColumnsType<PatrolListItem> = [
    { title: t('patrols.worker'), dataIndex: 'workerName', key: 'worker' },
    { title: t('patrols.place'), dataIndex: 'placeLabel', key: 'place' },
    {
      title: t('patrols.status'),
      key: 'status',
      render: (_, r) => <StatusTag status={r.status} />,
    },
    { title: t('patrols.startedAt'), key: 'startedAt', render: (_, r) => time(r.startedAt) },
    { title: t('patrols.duration'), key: 'duration', render: (_, r) => durationText(r.minutes, lang) },
    { title: t('patrols.distance'), key: 'distance', render: (_, r) => distanceText(r.distanceM) },
    { title: t('patrols.findings'), dataIndex: 'findings', key: 'findings', align: 'right' },
    { title: t('patrols.cases'), dataIndex: 'cases', key: 'cases', align: 'right' },
  ];
  return (
    <Card title={t('patrols.title')} data-testid="patrols-list">
      <Space style={{ marginBottom: 16 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('patrols.filterStatus')}
          value={query.status}
          onChange={(status?: PatrolStatus) => onChange({ ...query, status, page: 1 })}
          options={(['active', 'ended'] as const).map((s) => ({ value: s, label: t(`patrols.${s}`) }))}
        />
      </Space>
      {list.isError ? <Alert type="error" showIcon message={list.error.message} /> : null}
      <Table<PatrolListItem>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        locale={{ emptyText: <Empty description={t('patrols.empty')} /> }}
        onRow={(r) => ({ onClick: () => navigate(`/visits/patrols/${r.id}`), style: { cursor: 'pointer' } })}
        pagination={{
          current: query.page ?? 1,
          pageSize: query.pageSize ?? 20,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (page) => onChange({ ...query, page }),
        }}
      />
    </Card>
  );
}

/** The track as a polyline in its own bounding box (north up), without a map underneath. */
export function TrackSketch({ track }: { track: readonly TrackPoint[] }) {
  const W = 320;
  const H = 200;
  const lats = track.map((p) => p[0]);
  const lngs = track.map((p) => p[1]);
  const [minLat, maxLat, minLng, maxLng] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  const span = Math.max(maxLat - minLat, maxLng - minLng, 1e-6);
  const xy = (p: TrackPoint) =>
    `${(8 + ((p[1] - minLng) / span) * (W - 16)).toFixed(1)},${(H - 8 - ((p[0] - minLat) / span) * (H - 16)).toFixed(1)}`;
  const first = track[0]!;
  const last = track[track.length - 1]!;
  const [fx, fy] = xy(first).split(',');
  const [lx, ly] = xy(last).split(',');
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      style={{ background: '#f5f5f5', borderRadius: 4 }}
      data-testid="patrol-track"
    >
      <title>track</title>
      <polyline points={track.map(xy).join(' ')} fill="none" stroke="#1677ff" strokeWidth={2} />
      <circle cx={fx} cy={fy} r={4} fill="#52c41a" />
      <circle cx={lx} cy={ly} r={4} fill="#ff4d4f" />
    </svg>
  );
}

function FindingItem({ f }: { f: PatrolFinding }) {
  const { t } = useTranslation();
  return (
    <div
      data-testid={`patrol-finding-${f.id}`}
      style={{ padding: '12px 0', borderBottom: '1px solid rgba(5, 5, 5, 0.06)' }}
    >
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text strong>{f.description}</Typography.Text>
        {f.caseId !== null ? (
          <Link to={`/cases/${f.caseId}`}>{t('patrols.caseLink', { no: f.caseNo ?? '' })}</Link>
        ) : (
          <Typography.Text type="secondary">{t('patrols.noCase')}</Typography.Text>
        )}
      </Space>
      <div>
        <Typography.Text type="secondary">{`${time(f.foundAt)} · ${f.placeLabel}`}</Typography.Text>
      </div>
      {f.files.length > 0 ? (
        <Image.PreviewGroup>
          <Space wrap style={{ marginTop: 8 }}>
            {f.files.map((file) => (
              <Image
                key={file.id}
                width={72}
                height={72}
                style={{ objectFit: 'cover' }}
                src={`/api/files/${file.id}/thumb`}
                preview={{ src: `/api/files/${file.id}` }}
                alt={file.name}
              />
            ))}
          </Space>
        </Image.PreviewGroup>
      ) : null}
    </div>
  );
}

/** One patrol: who, where, how long, its findings with photos and case links, and the track. */
export function PatrolDetailView({ id }: { id: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const q = usePatrol(id);
  const lang = currentLanguage();
  if (q.isError) return <Alert type="error" showIcon message={q.error.message} />;
  const p: PatrolDetail | undefined = q.data;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="patrol-detail">
      <Button onClick={() => navigate('/visits/patrols')}>{t('patrols.back')}</Button>
      <Card title={t('patrols.detailTitle')} loading={q.isLoading}>
        {p ? (
          <Descriptions column={2} size="small">
            <Descriptions.Item label={t('patrols.worker')}>{p.workerName}</Descriptions.Item>
            <Descriptions.Item label={t('patrols.place')}>{p.placeLabel}</Descriptions.Item>
            <Descriptions.Item label={t('patrols.status')}>
              <StatusTag status={p.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('patrols.duration')}>{durationText(p.minutes, lang)}</Descriptions.Item>
            <Descriptions.Item label={t('patrols.startedAt')}>{time(p.startedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('patrols.endedAt')}>{time(p.endedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('patrols.distance')}>{distanceText(p.distanceM)}</Descriptions.Item>
            <Descriptions.Item label={t('patrols.cases')}>{p.cases}</Descriptions.Item>
            <Descriptions.Item label={t('patrols.note')} span={2}>
              {p.note ?? '—'}
            </Descriptions.Item>
          </Descriptions>
        ) : null}
      </Card>
      {p ? (
        <Card title={`${t('patrols.findings')} (${p.items.length})`}>
          {p.items.length === 0 ? (
            <Empty description={t('patrols.noFindings')} />
          ) : (
            p.items.map((f) => <FindingItem key={f.id} f={f} />)
          )}
        </Card>
      ) : null}
      {p ? (
        <Card title={t('patrols.track')}>
          {p.track && p.track.length >= 2 ? (
            <Space orientation="vertical">
              <TrackSketch track={p.track} />
              <Typography.Text type="secondary">{t('patrols.trackPoints', { count: p.track.length })}</Typography.Text>
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('patrols.noTrack')}</Typography.Text>
          )}
        </Card>
      ) : null}
    </Space>
  );
}
