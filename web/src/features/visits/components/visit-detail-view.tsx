import './visits.css';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Result, Row, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { VisitDetail } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { formatTime } from '../../../ui/time';
import { useAccess } from '../../auth/hooks/use-access';
import { useVisit } from '../hooks/use-visits';
import { VisitCaseModal } from './visit-case-modal';
import { HealthFacts, VisitPhotos } from './visit-parts';
import { OutcomeTag } from './visit-tags';

function Facts({ v }: { v: VisitDetail }) {
  const { t } = useTranslation();
  const access = useAccess();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="visit-facts">
      <Descriptions.Item label={t('visits.col.subject')}>
        {v.residentId && v.residentName ? (
          access.canReadPeople ? (
            <Link to={`/people/residents/${v.residentId}`}>{v.residentName}</Link>
          ) : (
            v.residentName
          )
        ) : (
          t('visits.household')
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('visits.place')}>{v.placeLabel}</Descriptions.Item>
      <Descriptions.Item label={t('visits.col.visitedAt')}>{formatTime(v.visitedAt)}</Descriptions.Item>
      <Descriptions.Item label={t('visits.recordedAt')}>{formatTime(v.recordedAt)}</Descriptions.Item>
      <Descriptions.Item label={t('visits.col.visitor')}>{v.visitorName}</Descriptions.Item>
      <Descriptions.Item label={t('visits.col.rule')}>
        {v.taskId ? (
          <Link to={`/visits/tasks/${v.taskId}`} data-testid="visit-task-link">
            {v.ruleName ?? t('visits.taskLink', { id: v.taskId })}
          </Link>
        ) : (
          t('visits.adHoc')
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('visits.col.case')} span="filled">
        {v.caseId ? (
          <Link to={`/cases/${v.caseId}`} data-testid="visit-case-link">
            {v.caseNo ?? t('visits.caseLink', { id: v.caseId })}
          </Link>
        ) : (
          '—'
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('visits.col.note')} span="filled">
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{v.note ?? '—'}</Typography.Paragraph>
      </Descriptions.Item>
    </Descriptions>
  );
}

/** A visit (/visits/records/:id): what was found, photos, health; a visit that found need opens a case. */
export function VisitDetailView({ id }: { id: number }) {
  const { t } = useTranslation();
  const access = useAccess();
  const visit = useVisit(id);
  const [caseOpen, setCaseOpen] = useState(false);

  if (visit.isLoading) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  if (visit.error || !visit.data) {
    const notFound = isApiError(visit.error) && (visit.error.status === 404 || visit.error.status === 403);
    return (
      <Result
        status={notFound ? '404' : 'warning'}
        title={notFound ? t('visits.visitNotFound') : (visit.error?.message ?? t('errors.unknown'))}
        extra={<Link to="/visits/records">{t('visits.backToRecords')}</Link>}
      />
    );
  }
  const v = visit.data;
  const canOpenCase = v.outcome === 'needs_help' && v.caseId === null && access.canDoVisits;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="visit-detail">
      <Link to="/visits/records">
        <ArrowLeftOutlined /> {t('visits.backToRecords')}
      </Link>
      <Card
        title={
          <Space wrap>
            <OutcomeTag outcome={v.outcome} />
            <span>{`${v.residentName ?? t('visits.household')} · ${formatTime(v.visitedAt)}`}</span>
          </Space>
        }
        extra={
          canOpenCase ? (
            <Button type="primary" onClick={() => setCaseOpen(true)} data-testid="visit-open-case">
              {t('visits.actions.case')}
            </Button>
          ) : null
        }
      >
        <Facts v={v} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('visits.photos')}>
            <VisitPhotos files={v.files} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('visits.healthTitle')}>
            <HealthFacts health={v.health} />
          </Card>
        </Col>
      </Row>
      <VisitCaseModal visit={v} open={caseOpen} onClose={() => setCaseOpen(false)} />
    </Space>
  );
}
