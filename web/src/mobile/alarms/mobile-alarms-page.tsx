import './alarms.css';
import { ErrorBlock, SpinLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { AlarmListItem } from '../../api-types';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { AlarmCard, OneTapButton } from './alarm-card';
import { alarmAccess, sortAlarms } from './alarm-logic';
import { useAlarmAction, useLiveAlarms, useOpenAlarms } from './use-phone-alarms';

/**
 * 预警: the open alarms of the worker's area, the most severe and newest first, kept current by the live topic
 * `alarms`; each card has a one-tap 确认 while nobody has acknowledged it, and opens the alarm.
 */
export function MobileAlarmsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const access = alarmAccess(me);
  useLiveAlarms();
  const list = useOpenAlarms();
  if (list.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  if (list.error) {
    return <ErrorBlock status="default" title={list.error instanceof Error ? list.error.message : ''} />;
  }
  const items = sortAlarms(list.data?.items ?? []);
  const counts = list.data?.counts;
  return (
    <div className="m-page" data-testid="m-alarms">
      {counts ? (
        <div className="m-alarm-counts" data-testid="m-alarm-counts">
          {t('mobileAlarms.counts', { active: counts.active, acknowledged: counts.acknowledged })}
        </div>
      ) : null}
      {items.length === 0 ? (
        <ErrorBlock status="empty" title={t('mobileAlarms.none')} description={t('mobileAlarms.noneHint')} />
      ) : (
        <div className="m-alarm-list" data-testid="m-alarm-list">
          {items.map((a) => (
            <AlarmCard
              key={a.id}
              alarm={a}
              onOpen={() => navigate(`/m/alarms/${a.id}`)}
              action={access.canHandle && a.status === 'active' ? <AcknowledgeButton alarm={a} /> : null}
            />
          ))}
        </div>
      )}
    </div>
  );
}

function AcknowledgeButton({ alarm }: { alarm: AlarmListItem }) {
  const { t } = useTranslation();
  const act = useAlarmAction(alarm.id);
  return (
    <OneTapButton
      label={t('mobileAlarms.acknowledge')}
      done={t('mobileAlarms.acknowledgedToast')}
      run={() => act.mutateAsync({ action: 'acknowledge' })}
      testId="m-alarm-ack"
    />
  );
}
