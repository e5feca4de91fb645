import { Button, Tag, Toast } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmListItem } from '../../api-types';
import { formatTime } from '../../ui/time';
import { outcomeLabelKey, SEVERITY_COLOURS, severityLabelKey } from './alarm-logic';

/** Severity and status, as tags; the status tag carries its code for tests and styling. */
export function AlarmTags({ alarm }: { alarm: Pick<AlarmListItem, 'severity' | 'status' | 'outcome'> }) {
  const { t } = useTranslation();
  return (
    <span className="m-alarm-tags">
      <Tag color={SEVERITY_COLOURS[alarm.severity]} data-testid="m-alarm-severity" data-severity={alarm.severity}>
        {t(severityLabelKey(alarm.severity))}
      </Tag>
      <Tag
        color={alarm.status === 'active' ? 'danger' : alarm.status === 'acknowledged' ? 'warning' : 'success'}
        fill="outline"
        data-testid="m-alarm-status"
        data-status={alarm.status}
      >
        {t(`mobileAlarms.statuses.${alarm.status}`)}
      </Tag>
      {alarm.outcome ? (
        <Tag fill="outline" data-testid="m-alarm-outcome" data-outcome={alarm.outcome}>
          {t(outcomeLabelKey(alarm.outcome))}
        </Tag>
      ) : null}
    </span>
  );
}

/** Where, in words: the node's place name and the house when there is one. */
export const alarmPlace = (a: Pick<AlarmListItem, 'placeName' | 'houseLabel'>) =>
  a.houseLabel ? `${a.placeName} ${a.houseLabel}` : a.placeName;

/**
 * One alarm as a card: what happened (the server's one-line summary), to whom, where and when, and a big button
 * (acknowledge) under it; a tap elsewhere on the card opens it when `onOpen` is given.
 */
export function AlarmCard({
  alarm,
  onOpen,
  action,
}: {
  alarm: AlarmListItem;
  onOpen?: () => void;
  action?: ReactNode;
}) {
  return (
    <div
      className={`m-alarm-card m-alarm-${alarm.severity}`}
      data-testid="m-alarm-card"
      data-alarm-id={alarm.id}
      data-status={alarm.status}
    >
      {onOpen ? (
        <button type="button" className="m-alarm-body m-alarm-tap" onClick={onOpen}>
          <AlarmCardBody alarm={alarm} />
        </button>
      ) : (
        <div className="m-alarm-body">
          <AlarmCardBody alarm={alarm} />
        </div>
      )}
      {action ? <div className="m-alarm-action">{action}</div> : null}
    </div>
  );
}

/** What happened, to whom, where and when (spans, as it may sit inside a button). */
function AlarmCardBody({ alarm }: { alarm: AlarmListItem }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="m-alarm-head">
        <AlarmTags alarm={alarm} />
        <span className="m-muted">{alarm.typeName}</span>
      </span>
      <span className="m-alarm-summary" data-testid="m-alarm-summary">
        {alarm.summary}
      </span>
      <span className="m-alarm-meta">
        {alarm.residentName ? <span data-testid="m-alarm-person">{alarm.residentName} · </span> : null}
        {alarmPlace(alarm)}
      </span>
      <span className="m-alarm-time m-muted">
        {formatTime(alarm.lastAt)}
        {alarm.triggerCount > 1 ? ` · ${t('mobileAlarms.triggerCount', { count: alarm.triggerCount })}` : ''}
        {alarm.acknowledgedBy && alarm.status !== 'resolved'
          ? ` · ${t('mobileAlarms.acknowledgedBy', { name: alarm.acknowledgedBy })}`
          : ''}
      </span>
    </>
  );
}

/** A one-tap button that runs `run`, toasts the result, and shows its progress. */
export function OneTapButton({
  label,
  done,
  run,
  testId,
}: {
  label: string;
  done: string;
  run: () => Promise<unknown>;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Button
      block
      size="large"
      color="danger"
      loading="auto"
      onClick={async () => {
        try {
          await run();
          Toast.show({ icon: 'success', content: done });
        } catch (error) {
          Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
        }
      }}
      data-testid={testId}
    >
      {label}
    </Button>
  );
}
