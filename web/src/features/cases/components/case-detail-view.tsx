import './cases.css';
import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Image,
  Result,
  Row,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CaseAction, CaseDetail, CaseWhistle } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { formatTime } from '../../../ui/time';
import type { WhistleAction } from '../api/cases-api';
import { useCase, useCaseStages, useLiveCases } from '../hooks/use-cases';
import { whistleActionsFor } from '../utils/case-bodies';
import { isDangerAction, orderActions, WHISTLE_STATUS_COLOR } from '../utils/case-labels';
import { CaseActionDialog, RateDialog } from './case-action-dialog';
import { CaseMarks, StageTag } from './case-tags';
import { CaseTimeline } from './case-timeline';
import { WhistleDialog } from './whistle-dialog';

function Facts({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const place = c.place;
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="case-facts">
      <Descriptions.Item label={t('cases.col.category')}>{c.categoryName}</Descriptions.Item>
      <Descriptions.Item label={t('cases.col.source')}>{t(`cases.source.${c.source}`)}</Descriptions.Item>
      <Descriptions.Item label={t('cases.reporter')}>{c.reporterName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('cases.contactPhone')}>{c.contactPhoneMasked ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('cases.place')} span={2}>
        <Space orientation="vertical" size={0}>
          <span data-testid="case-place">{place.nodeLabel}</span>
          {place.houseLabel ? <span>{`${t('cases.house')}：${place.houseLabel}`}</span> : null}
          {place.address ? <span>{`${t('cases.address')}：${place.address}`}</span> : null}
          {place.lat !== null && place.lng !== null ? (
            <Typography.Text type="secondary">{`${t('cases.point')}：${place.lat.toFixed(6)}, ${place.lng.toFixed(6)}`}</Typography.Text>
          ) : null}
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label={t('cases.assigneeNode')}>{c.assigneeNodeName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('cases.assigneeDepartment')}>{c.assigneeDepartmentName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('cases.handler')}>{c.handlerName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('cases.col.createdAt')}>{formatTime(c.createdAt)}</Descriptions.Item>
      <Descriptions.Item label={t('cases.responseDue')}>{formatTime(c.responseDueAt) || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('cases.handleDue')}>{formatTime(c.handleDueAt) || '—'}</Descriptions.Item>
      {c.verifyDueAt ? (
        <Descriptions.Item label={t('cases.verifyDue')}>{formatTime(c.verifyDueAt)}</Descriptions.Item>
      ) : null}
      {c.parkedUntil ? <Descriptions.Item label={t('cases.parkedUntil')}>{c.parkedUntil}</Descriptions.Item> : null}
      {c.mergedIntoId ? (
        <Descriptions.Item label={t('cases.mergedInto')}>
          <Link to={`/cases/${c.mergedIntoId}`}>#{c.mergedIntoId}</Link>
        </Descriptions.Item>
      ) : null}
      {c.rating !== null ? (
        <Descriptions.Item label={t('cases.rating')}>
          {t('cases.ratingValue', { rating: c.rating })}
          {c.ratingComment ? ` · ${c.ratingComment}` : ''}
        </Descriptions.Item>
      ) : null}
      <Descriptions.Item label={t('cases.description')} span={2}>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
          {c.description || t('cases.noDescription')}
        </Typography.Paragraph>
      </Descriptions.Item>
    </Descriptions>
  );
}

function Photos({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const photos = c.timeline.flatMap((e) => e.files.filter((f) => f.thumbUrl !== null));
  return (
    <Card size="small" title={t('cases.photos')} data-testid="case-photos-card">
      {photos.length === 0 ? (
        <Typography.Text type="secondary">{t('cases.noPhotos')}</Typography.Text>
      ) : (
        <div className="linli-case-photos">
          <Image.PreviewGroup>
            {photos.map((f) => (
              <Image
                key={f.id}
                width={96}
                height={96}
                style={{ objectFit: 'cover' }}
                src={f.thumbUrl ?? f.url}
                preview={{ src: f.url }}
                alt={f.name}
              />
            ))}
          </Image.PreviewGroup>
        </div>
      )}
    </Card>
  );
}

function Whistles({ c, onAct }: { c: CaseDetail; onAct: (w: CaseWhistle, a: WhistleAction) => void }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('cases.whistles')} data-testid="case-whistles">
      {c.whistles.length === 0 ? (
        <Typography.Text type="secondary">{t('cases.noWhistles')}</Typography.Text>
      ) : (
        <Table<CaseWhistle>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={c.whistles}
          columns={[
            { title: t('cases.assigneeDepartment'), dataIndex: 'departmentName' },
            {
              title: t('cases.whistleStatusLabel'),
              key: 'status',
              render: (_, w) => (
                <Space size={2}>
                  <Tag color={WHISTLE_STATUS_COLOR[w.status]} data-testid="whistle-status" data-status={w.status}>
                    {t(`cases.whistleStatus.${w.status}`)}
                  </Tag>
                  {w.onTime === null ? null : (
                    <Tag color={w.onTime ? 'green' : 'red'}>{w.onTime ? t('cases.onTime') : t('cases.late')}</Tag>
                  )}
                </Space>
              ),
            },
            { title: t('cases.col.due'), dataIndex: 'dueAt', render: (v: string) => formatTime(v) },
            { title: t('cases.dialog.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
            {
              title: '',
              key: 'actions',
              render: (_, w) =>
                c.myWhistleIds.includes(w.id) ? (
                  <Space size={4}>
                    {whistleActionsFor(w).map((a) => (
                      <Button
                        key={a}
                        size="small"
                        type={a === 'return' ? 'default' : 'primary'}
                        danger={a === 'return'}
                        onClick={() => onAct(w, a)}
                        data-testid={`whistle-${a}`}
                      >
                        {t(`cases.department.${a}`)}
                      </Button>
                    ))}
                  </Space>
                ) : null,
            },
          ]}
        />
      )}
    </Card>
  );
}

type Dialog =
  | { kind: 'action'; action: CaseAction }
  | { kind: 'whistle'; whistle: CaseWhistle; action: WhistleAction }
  | null;

/** A case: its facts, place, photos, timeline and whistles, and exactly the actions the server allows the caller. */
export function CaseDetailView({ id, backTo }: { id: number; backTo: string }) {
  const { t } = useTranslation();
  const detail = useCase(id);
  const stages = useCaseStages();
  const [dialog, setDialog] = useState<Dialog>(null);
  useLiveCases();

  if (detail.isLoading) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  if (detail.error || !detail.data) {
    const isMissing = isApiError(detail.error) && (detail.error.status === 404 || detail.error.status === 403);
    return (
      <Result
        status={isMissing ? '404' : 'warning'}
        title={isMissing ? t('cases.notFound') : (detail.error?.message ?? t('errors.unknown'))}
        extra={
          <Link to={backTo}>
            <Button>{t('cases.back')}</Button>
          </Link>
        }
      />
    );
  }
  const c = detail.data;
  const actions = orderActions(c.allowedActions);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="case-detail">
      <Card
        title={
          <Space wrap>
            <Link to={backTo} aria-label={t('cases.back')}>
              <ArrowLeftOutlined />
            </Link>
            <span data-testid="case-no">{c.caseNo}</span>
            <span>{c.title}</span>
            <StageTag c={c} />
            <CaseMarks c={c} />
          </Space>
        }
      >
        {actions.length === 0 ? (
          <Alert type="info" showIcon title={t('cases.noActions')} />
        ) : (
          <Space wrap data-testid="case-actions">
            {actions.map((action, i) => (
              <Button
                key={action}
                type={i === 0 && !isDangerAction(action) ? 'primary' : 'default'}
                danger={isDangerAction(action)}
                onClick={() => setDialog({ kind: 'action', action })}
                data-testid={`action-${action}`}
              >
                {t(`cases.actions.${action}`)}
              </Button>
            ))}
          </Space>
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Card size="small" title={t('cases.facts')}>
              <Facts c={c} />
            </Card>
            <Photos c={c} />
            <Whistles c={c} onAct={(whistle, action) => setDialog({ kind: 'whistle', whistle, action })} />
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('cases.timeline')}>
            {c.timeline.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            ) : (
              <CaseTimeline events={c.timeline} stages={stages.data ?? []} />
            )}
          </Card>
        </Col>
      </Row>
      {dialog?.kind === 'action' && dialog.action === 'rate' ? (
        <RateDialog detail={c} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'action' && dialog.action !== 'rate' ? (
        <CaseActionDialog detail={c} action={dialog.action} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'whistle' ? (
        <WhistleDialog detail={c} whistle={dialog.whistle} action={dialog.action} onClose={() => setDialog(null)} />
      ) : null}
    </Space>
  );
}
