import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Result,
  Row,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { AlarmContact, AlarmDetail } from '../../../api-types';
import { isApiError } from '../../../ui/api';
import { formatTime } from '../../../ui/time';
import { useAccess } from '../../auth/hooks/use-access';
import { TelemetryCard } from '../../devices/components/telemetry-card';
import { useDevice } from '../../devices/hooks/use-devices';
import { alarmRange } from '../../devices/utils/telemetry-chart';
import { useAcknowledgeAlarm, useAlarm, useAlarmNote, useLiveAlarms } from '../hooks/use-alarms';
import { eventDetailParts, type LadderRow, ladderRows } from '../utils/alarm-labels';
import { AlarmCaseModal } from './alarm-case-modal';
import { AlarmStatusTag, SeverityTag } from './alarm-tags';
import { ResolveAlarmModal } from './resolve-alarm-modal';

const EVENT_COLOR: Record<string, string> = {
  raised: 'red',
  escalated: 'orange',
  acknowledged: 'blue',
  resolved: 'green',
  cleared: 'green',
  case_opened: 'purple',
  note: 'gray',
};

function Facts({ a }: { a: AlarmDetail }) {
  const { t } = useTranslation();
  const access = useAccess();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered data-testid="alarm-facts">
      <Descriptions.Item label={t('alarms.rule')}>{`${a.ruleName}（${t(`alarms.kind.${a.kind}`)}）`}</Descriptions.Item>
      <Descriptions.Item label={t('alarms.col.device')}>
        <Link to={`/devices/${a.deviceId}`} data-testid="alarm-device-link">{`${a.typeName} ${a.deviceSerial}`}</Link>
      </Descriptions.Item>
      <Descriptions.Item label={t('alarms.place')} span={2}>
        {[a.placeName, a.houseLabel].filter(Boolean).join(' · ')}
      </Descriptions.Item>
      <Descriptions.Item label={t('alarms.watched')}>
        {a.residentId && a.residentName ? (
          access.canReadPeople ? (
            <Link to={`/people/residents/${a.residentId}`}>{a.residentName}</Link>
          ) : (
            a.residentName
          )
        ) : (
          '—'
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('alarms.triggerCount')}>{a.triggerCount}</Descriptions.Item>
      <Descriptions.Item label={t('alarms.firstAt')}>{formatTime(a.firstAt)}</Descriptions.Item>
      <Descriptions.Item label={t('alarms.col.lastAt')}>{formatTime(a.lastAt)}</Descriptions.Item>
      <Descriptions.Item label={t('alarms.col.level')}>
        {a.level ? t(`alarms.level.${a.level}`) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('alarms.nextStepAt')}>{formatTime(a.nextStepAt) || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('alarms.acknowledgedLabel')}>
        {a.acknowledgedAt ? `${a.acknowledgedBy ?? ''} ${formatTime(a.acknowledgedAt)}`.trim() : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('alarms.resolvedLabel')}>
        {a.resolvedAt ? `${a.resolvedBy ?? ''} ${formatTime(a.resolvedAt)}`.trim() : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('alarms.outcomeLabel')}>
        {a.outcome ? t(`alarms.outcome.${a.outcome}`) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('alarms.clearedAt')}>{formatTime(a.clearedAt) || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('alarms.case')} span="filled">
        {a.caseId ? (
          <Link to={`/cases/${a.caseId}`} data-testid="alarm-case-link">
            {t('alarms.caseLink', { id: a.caseId })}
          </Link>
        ) : (
          '—'
        )}
      </Descriptions.Item>
    </Descriptions>
  );
}

function Contacts({ contacts }: { contacts: AlarmContact[] }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('alarms.contacts')} data-testid="alarm-contacts">
      <Table<AlarmContact>
        rowKey="contactId"
        size="small"
        pagination={false}
        dataSource={contacts}
        locale={{ emptyText: t('alarms.noContacts') }}
        columns={[
          { title: t('alarms.contactName'), dataIndex: 'name' },
          { title: t('alarms.contactRelation'), dataIndex: 'relation' },
          { title: t('alarms.contactPhone'), dataIndex: 'phoneMasked' },
          {
            title: t('alarms.contactAccount'),
            key: 'account',
            render: (_, c) =>
              c.hasAccount ? <Tag color="green">{t('alarms.hasAccount')}</Tag> : <Tag>{t('alarms.noAccount')}</Tag>,
          },
        ]}
      />
    </Card>
  );
}

const LADDER_COLOR: Record<LadderRow['state'], string> = { notified: 'green', pending: 'orange', stopped: 'default' };

function Ladder({ a }: { a: AlarmDetail }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('alarms.ladder')} data-testid="alarm-ladder">
      <Table<LadderRow>
        rowKey="level"
        size="small"
        pagination={false}
        dataSource={ladderRows(a)}
        locale={{ emptyText: t('alarms.noLadder') }}
        columns={[
          {
            title: t('alarms.ladderLevel'),
            dataIndex: 'level',
            render: (l: LadderRow['level']) => t(`alarms.level.${l}`),
          },
          {
            title: t('alarms.ladderAfter'),
            dataIndex: 'afterMin',
            render: (m: number) => t('alarms.afterMin', { count: m }),
          },
          {
            title: t('alarms.ladderState'),
            key: 'state',
            render: (_, r) => (
              <Tag color={LADDER_COLOR[r.state]} data-testid="ladder-state" data-state={r.state}>
                {t(`alarms.ladderStates.${r.state}`)}
              </Tag>
            ),
          },
          {
            title: t('alarms.ladderWhen'),
            key: 'when',
            render: (_, r) => formatTime(r.notifiedAt ?? (r.state === 'pending' ? r.dueAt : null)) || '—',
          },
        ]}
      />
    </Card>
  );
}

function AlarmTimeline({ a }: { a: AlarmDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ text: string }>();
  const note = useAlarmNote();
  const canNote = a.allowedActions.includes('note');
  const addNote = (values: { text: string }) =>
    note.mutate(
      { id: a.id, text: values.text.trim() },
      { onSuccess: () => form.resetFields(), onError: (error) => message.error(error.message) },
    );
  return (
    <Card size="small" title={t('alarms.timeline')} data-testid="alarm-timeline">
      <Timeline
        items={a.events.map((e) => {
          const detail = eventDetailParts(e);
          return {
            key: e.id,
            color: EVENT_COLOR[e.action] ?? 'blue',
            content: (
              <div data-testid="alarm-event" data-action={e.action}>
                <Space size={6} wrap>
                  <Typography.Text strong>{t(`alarms.events.${e.action}`)}</Typography.Text>
                  {e.level ? <Tag>{t(`alarms.level.${e.level}`)}</Tag> : null}
                  {detail.outcome ? <Tag color="green">{t(`alarms.outcome.${detail.outcome}`)}</Tag> : null}
                  {e.actor ? <Typography.Text>{e.actor}</Typography.Text> : null}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(e.at)}
                  </Typography.Text>
                </Space>
                {detail.messages !== undefined ? (
                  <div>
                    <Typography.Text type="secondary">
                      {t('alarms.messagesSent', { count: detail.messages })}
                    </Typography.Text>
                  </div>
                ) : null}
                {detail.caseId ? (
                  <div>
                    <Link to={`/cases/${detail.caseId}`}>
                      {detail.caseNo ?? t('alarms.caseLink', { id: detail.caseId })}
                    </Link>
                  </div>
                ) : null}
                {detail.note ? (
                  <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>
                    {detail.note}
                  </Typography.Paragraph>
                ) : null}
              </div>
            ),
          };
        })}
      />
      {canNote ? (
        <Form form={form} layout="vertical" onFinish={addNote} data-testid="alarm-note-form">
          <Form.Item name="text" rules={[{ required: true, whitespace: true, message: t('alarms.noteRequired') }]}>
            <Input.TextArea rows={2} maxLength={500} placeholder={t('alarms.notePlaceholder')} />
          </Form.Item>
          <Button htmlType="submit" loading={note.isPending} data-testid="alarm-note-submit">
            {t('alarms.actions.note')}
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}

/**
 * 读数: for an alarm about readings (a threshold, no use, high use), the metric it watched around the time it was
 * raised, with that instant marked.
 */
function AlarmReadings({ a, metric }: { a: AlarmDetail; metric: string }) {
  const { t } = useTranslation();
  const device = useDevice(a.deviceId);
  const [range] = useState(() => alarmRange(a.firstAt, a.lastAt, new Date()));
  const marks = useMemo(() => [{ at: a.firstAt, label: t('alarms.events.raised') }], [a.firstAt, t]);
  if (!device.data?.metrics.some((m) => m.key === metric)) return null;
  return (
    <TelemetryCard
      device={device.data}
      initialMetric={metric}
      initialRange={range}
      marks={marks}
      title={t('alarms.readings')}
    />
  );
}

/** An alarm (/alarms/:id): what happened where, whom to call, the ladder, the timeline, and what may be done now. */
export function AlarmDetailView({ id }: { id: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const alarm = useAlarm(id);
  const acknowledge = useAcknowledgeAlarm();
  const [dialog, setDialog] = useState<'resolve' | 'case' | null>(null);
  useLiveAlarms();

  if (alarm.isLoading) return <Spin style={{ display: 'block', margin: '96px auto' }} />;
  if (alarm.error || !alarm.data) {
    const notFound = isApiError(alarm.error) && (alarm.error.status === 404 || alarm.error.status === 403);
    return (
      <Result
        status={notFound ? '404' : 'warning'}
        title={notFound ? t('alarms.notFound') : (alarm.error?.message ?? t('errors.unknown'))}
        extra={<Link to="/alarms">{t('alarms.backToList')}</Link>}
      />
    );
  }
  const a = alarm.data;
  const allowed = new Set(a.allowedActions);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="alarm-detail">
      <Link to="/alarms">
        <ArrowLeftOutlined /> {t('alarms.backToList')}
      </Link>
      <Card
        title={
          <Space wrap>
            <SeverityTag severity={a.severity} />
            <AlarmStatusTag status={a.status} />
            <span data-testid="alarm-summary">{a.summary}</span>
          </Space>
        }
        extra={
          <Space wrap>
            {allowed.has('acknowledge') ? (
              <Button
                type="primary"
                loading={acknowledge.isPending}
                data-testid="alarm-detail-ack"
                onClick={() =>
                  acknowledge.mutate(
                    { id: a.id, version: a.version },
                    {
                      onSuccess: () => message.success(t('alarms.acknowledged')),
                      onError: (error) => message.error(error.message),
                    },
                  )
                }
              >
                {t('alarms.actions.acknowledge')}
              </Button>
            ) : null}
            {allowed.has('resolve') ? (
              <Button onClick={() => setDialog('resolve')} data-testid="alarm-detail-resolve">
                {t('alarms.actions.resolve')}
              </Button>
            ) : null}
            {allowed.has('case') && a.caseId === null ? (
              <Button onClick={() => setDialog('case')} data-testid="alarm-open-case">
                {t('alarms.actions.case')}
              </Button>
            ) : null}
            {a.caseId !== null ? <Link to={`/cases/${a.caseId}`}>{t('alarms.caseLink', { id: a.caseId })}</Link> : null}
          </Space>
        }
      >
        {a.status === 'active' && a.nextStepAt ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('alarms.escalatesAt', { at: formatTime(a.nextStepAt) })}
          />
        ) : null}
        <Facts a={a} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Contacts contacts={a.contacts} />
            <Ladder a={a} />
          </Space>
        </Col>
        <Col xs={24} lg={12}>
          <AlarmTimeline a={a} />
        </Col>
      </Row>
      {typeof a.detail.metric === 'string' ? <AlarmReadings a={a} metric={a.detail.metric} /> : null}
      <ResolveAlarmModal alarm={dialog === 'resolve' ? a : null} onClose={() => setDialog(null)} />
      <AlarmCaseModal alarm={a} open={dialog === 'case'} onClose={() => setDialog(null)} />
    </Space>
  );
}
