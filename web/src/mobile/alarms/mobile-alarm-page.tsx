import './alarms.css';
import { Button, ErrorBlock, List, Popup, Selector, SpinLoading, Steps, TextArea, Toast } from 'antd-mobile';
import { PhoneFill } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { getAccess } from '../../access';
import type { AlarmContact, AlarmDetail, AlarmEvent } from '../../api-types';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { formatTime } from '../../ui/time';
import { AlarmTags, alarmPlace, OneTapButton } from './alarm-card';
import { outcomeLabelKey, RESOLVE_OUTCOMES, type ResolveOutcome, telHref } from './alarm-logic';
import { useAlarm, useAlarmAction, useLiveAlarms } from './use-phone-alarms';

/**
 * One alarm on the worker's phone: what and where, whom it watches over, the family contacts to call, its timeline,
 * and exactly the actions the server allows (确认, and 处理完毕 with a required outcome).
 */
export function MobileAlarmPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const me = useSignedInUser();
  const canOpenResident = me ? getAccess(me).canReadPeople : false;
  useLiveAlarms();
  const detail = useAlarm(id);
  if (detail.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  if (!detail.data) {
    return (
      <ErrorBlock status="empty" title={detail.error instanceof Error ? detail.error.message : t('errors.unknown')} />
    );
  }
  const a = detail.data;
  return (
    <div className="m-page" data-testid="m-alarm" data-status={a.status}>
      <div className="m-case-head">
        <div className="m-alarm-summary" data-testid="m-alarm-summary">
          {a.summary}
        </div>
        <AlarmTags alarm={a} />
      </div>
      <AlarmActions alarm={a} />
      <List>
        <List.Item title={t('mobileAlarms.fields.place')}>{alarmPlace(a)}</List.Item>
        {a.residentName ? (
          <List.Item
            title={t('mobileAlarms.fields.person')}
            description={canOpenResident && a.residentId ? t('mobileAlarms.callPersonHint') : undefined}
            onClick={canOpenResident && a.residentId ? () => navigate(`/m/residents/${a.residentId}`) : undefined}
            data-testid="m-alarm-person"
          >
            {a.residentName}
          </List.Item>
        ) : null}
        <List.Item title={t('mobileAlarms.fields.device')}>
          {a.typeName} · {a.deviceSerial}
        </List.Item>
        <List.Item title={t('mobileAlarms.fields.rule')}>{a.ruleName}</List.Item>
        <List.Item title={t('mobileAlarms.fields.firstAt')}>
          {formatTime(a.firstAt)}
          {a.triggerCount > 1 ? (
            <div className="m-muted">
              {t('mobileAlarms.fields.lastAt')} {formatTime(a.lastAt)} ·{' '}
              {t('mobileAlarms.triggerCount', { count: a.triggerCount })}
            </div>
          ) : null}
        </List.Item>
        {a.level ? (
          <List.Item title={t('mobileAlarms.fields.level')}>{t(`mobileAlarms.levels.${a.level}`)}</List.Item>
        ) : null}
        {a.acknowledgedAt ? (
          <List.Item title={t('mobileAlarms.fields.acknowledged')}>
            {a.acknowledgedBy ?? ''} · {formatTime(a.acknowledgedAt)}
          </List.Item>
        ) : null}
        {a.resolvedAt ? (
          <List.Item title={t('mobileAlarms.fields.resolved')} data-testid="m-alarm-resolved">
            {a.outcome ? t(outcomeLabelKey(a.outcome)) : ''} · {a.resolvedBy ?? ''} · {formatTime(a.resolvedAt)}
          </List.Item>
        ) : null}
      </List>
      <Contacts contacts={a.contacts} />
      <List header={t('mobileAlarms.fields.timeline')}>
        <List.Item>
          <Timeline events={a.events} />
        </List.Item>
      </List>
    </div>
  );
}

/**
 * The family contacts, first to call. Their numbers come masked (no route reveals a contact's number), so a tel:
 * link is offered only when the number shown is complete; the watched person's own number is one tap away on
 * their resident page (revealed with a stated reason, audited).
 */
function Contacts({ contacts }: { contacts: AlarmContact[] }) {
  const { t } = useTranslation();
  if (contacts.length === 0) return null;
  return (
    <List header={t('mobileAlarms.fields.contacts')} data-testid="m-alarm-contacts">
      {contacts.map((c) => {
        const href = telHref(c.phoneMasked);
        return (
          <List.Item
            key={c.contactId}
            description={c.hasAccount ? t('mobileAlarms.hasAccount') : undefined}
            extra={
              href ? (
                <a className="m-alarm-call" href={href} data-testid="m-contact-call">
                  <PhoneFill /> {c.phoneMasked}
                </a>
              ) : (
                <span data-testid="m-contact-phone">{c.phoneMasked}</span>
              )
            }
          >
            {c.name} <span className="m-muted">{c.relation}</span>
          </List.Item>
        );
      })}
    </List>
  );
}

/** Newest first: who did what and when, with the ladder level and any note or outcome. */
function Timeline({ events }: { events: AlarmEvent[] }) {
  const { t } = useTranslation();
  const ordered = [...events].sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : y.id - x.id));
  return (
    <Steps direction="vertical" current={0} data-testid="m-alarm-timeline">
      {ordered.map((e, i) => {
        const note =
          typeof e.detail.note === 'string' ? e.detail.note : typeof e.detail.text === 'string' ? e.detail.text : null;
        const outcome = typeof e.detail.outcome === 'string' ? e.detail.outcome : null;
        return (
          <Steps.Step
            key={e.id}
            status={i === 0 ? 'process' : 'finish'}
            title={
              <span data-testid="m-alarm-event" data-action={e.action}>
                {t(`mobileAlarms.events.${e.action}`)}
                {e.level ? ` · ${t(`mobileAlarms.levels.${e.level}`)}` : ''}
                {e.actor ? <span className="m-muted"> · {e.actor}</span> : null}
              </span>
            }
            description={
              <div>
                <div className="m-muted">{formatTime(e.at)}</div>
                {outcome && isOutcome(outcome) ? <div>{t(outcomeLabelKey(outcome))}</div> : null}
                {note ? <div className="m-event-note">{note}</div> : null}
              </div>
            }
          />
        );
      })}
    </Steps>
  );
}

const isOutcome = (v: string): v is ResolveOutcome | 'auto_cleared' =>
  v === 'auto_cleared' || (RESOLVE_OUTCOMES as readonly string[]).includes(v);

/** 确认 (one tap) and 处理完毕 (an outcome, required, and a note), as the server allows them now. */
function AlarmActions({ alarm }: { alarm: AlarmDetail }) {
  const { t } = useTranslation();
  const act = useAlarmAction(alarm.id);
  const [isResolving, setResolving] = useState(false);
  const canAck = alarm.allowedActions.includes('acknowledge');
  const canResolve = alarm.allowedActions.includes('resolve');
  if (!canAck && !canResolve) return null;
  return (
    <div className="m-case-actions" data-testid="m-alarm-actions">
      {canAck ? (
        <OneTapButton
          label={t('mobileAlarms.acknowledge')}
          done={t('mobileAlarms.acknowledgedToast')}
          run={() => act.mutateAsync({ action: 'acknowledge' })}
          testId="m-alarm-ack"
        />
      ) : null}
      {canResolve ? (
        <Button
          block
          size="large"
          color="primary"
          fill={canAck ? 'outline' : 'solid'}
          onClick={() => setResolving(true)}
          data-testid="m-alarm-resolve"
        >
          {t('mobileAlarms.resolve')}
        </Button>
      ) : null}
      <Popup
        visible={isResolving}
        onMaskClick={() => setResolving(false)}
        destroyOnClose
        bodyStyle={{ maxHeight: '85vh', overflowY: 'auto', borderTopLeftRadius: 8, borderTopRightRadius: 8 }}
      >
        <ResolveForm
          onSubmit={async (outcome, note) => {
            await act.mutateAsync({ action: 'resolve', outcome, ...(note ? { note } : {}) });
            setResolving(false);
          }}
        />
      </Popup>
    </div>
  );
}

function ResolveForm({ onSubmit }: { onSubmit: (outcome: ResolveOutcome, note: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<ResolveOutcome | null>(null);
  const [note, setNote] = useState('');
  const [isMissing, setMissing] = useState(false);
  const submit = async () => {
    if (!outcome) {
      setMissing(true);
      return;
    }
    try {
      await onSubmit(outcome, note.trim());
      Toast.show({ icon: 'success', content: t('mobileAlarms.resolvedToast') });
    } catch (error) {
      Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
    }
  };
  return (
    <div className="m-action-form" data-testid="m-form-resolve">
      <div className="m-action-form-title">{t('mobileAlarms.resolveTitle')}</div>
      <Selector
        columns={2}
        options={RESOLVE_OUTCOMES.map((o) => ({ label: t(outcomeLabelKey(o)), value: o }))}
        value={outcome ? [outcome] : []}
        onChange={(v) => {
          setOutcome(v[0] ?? null);
          setMissing(false);
        }}
        data-testid="m-resolve-outcomes"
      />
      {isMissing ? (
        <div className="m-alarm-error" data-testid="m-resolve-missing">
          {t('mobileAlarms.outcomeRequired')}
        </div>
      ) : null}
      <TextArea
        value={note}
        onChange={setNote}
        placeholder={t('mobileAlarms.notePlaceholder')}
        maxLength={500}
        rows={3}
        showCount
        aria-label={t('mobileAlarms.fields.note')}
      />
      <Button block color="primary" size="large" loading="auto" onClick={submit} data-testid="m-form-submit">
        {t('mobileAlarms.submit')}
      </Button>
    </div>
  );
}
