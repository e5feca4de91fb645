import './alarms.css';
import {
  Button,
  DatePicker,
  Dialog,
  ErrorBlock,
  List,
  Popup,
  SpinLoading,
  Switch,
  Tabs,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmListItem, WatchedPerson } from '../../api-types';
import { formatTime } from '../../ui/time';
import { AlarmCard, OneTapButton } from './alarm-card';
import { awayUntilOf, pickedDay, sortAlarms } from './alarm-logic';
import { useFamilyAcknowledge, useFamilyAlarms, useSetAway, useWatched } from './use-phone-alarms';

/**
 * 家人预警: the alarms of the people whose family contact the signed-in account is (its phone number is on their
 * contact list), each with a one-tap 我知道了; and the people themselves, their devices on- or offline and the
 * 外出/在子女家 switch that pauses the no-use alarms while they are away.
 */
export function MobileFamilyPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'open' | 'all'>('open');
  return (
    <div className="m-page" data-testid="m-family">
      <Tabs activeKey={tab} onChange={(k) => setTab(k === 'all' ? 'all' : 'open')}>
        <Tabs.Tab key="open" title={t('mobileAlarms.tabs.open')} />
        <Tabs.Tab key="all" title={t('mobileAlarms.tabs.all')} />
      </Tabs>
      <FamilyAlarms key={tab} status={tab} />
      <WatchedPeople />
    </div>
  );
}

function FamilyAlarms({ status }: { status: 'open' | 'all' }) {
  const { t } = useTranslation();
  const list = useFamilyAlarms(status);
  if (list.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  const items = sortAlarms(list.data?.items ?? []);
  if (items.length === 0) {
    return (
      <ErrorBlock status="empty" title={t('mobileAlarms.familyNone')} description={t('mobileAlarms.familyNoneHint')} />
    );
  }
  return (
    <div className="m-alarm-list" data-testid="m-family-alarms">
      {items.map((a) => (
        <AlarmCard key={a.id} alarm={a} action={a.status === 'active' ? <FamilyAckButton alarm={a} /> : null} />
      ))}
    </div>
  );
}

function FamilyAckButton({ alarm }: { alarm: AlarmListItem }) {
  const { t } = useTranslation();
  const ack = useFamilyAcknowledge();
  return (
    <OneTapButton
      label={t('mobileAlarms.familyAcknowledge')}
      done={t('mobileAlarms.acknowledgedToast')}
      run={() => ack.mutateAsync(alarm.id)}
      testId="m-family-ack"
    />
  );
}

function WatchedPeople() {
  const { t } = useTranslation();
  const watched = useWatched();
  const people = watched.data?.items ?? [];
  if (people.length === 0) return null;
  return (
    <List header={t('mobileAlarms.watched')} data-testid="m-watched">
      {people.map((p) => (
        <WatchedItem key={p.residentId} person={p} />
      ))}
    </List>
  );
}

/** One watched person: where, their devices (online or not), open alarms, and the away switch. */
function WatchedItem({ person }: { person: WatchedPerson }) {
  const { t } = useTranslation();
  const setAway = useSetAway();
  const [isAsking, setAsking] = useState(false);
  const switchOff = async () => {
    const sure = await Dialog.confirm({ content: t('mobileAlarms.awayOffConfirm') });
    if (!sure) return;
    try {
      await setAway.mutateAsync({ residentId: person.residentId, away: null });
      Toast.show({ icon: 'success', content: t('mobileAlarms.awayCleared') });
    } catch (error) {
      Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
    }
  };
  return (
    <List.Item
      data-testid="m-watched-person"
      data-resident-id={person.residentId}
      description={
        <div>
          <div>{person.placeName}</div>
          <div className="m-watched-devices">
            {person.devices.length === 0 ? (
              <span className="m-muted">{t('mobileAlarms.noDevices')}</span>
            ) : (
              person.devices.map((d) => (
                <Tag
                  key={d.id}
                  color={d.online ? 'success' : 'default'}
                  fill="outline"
                  data-testid="m-watched-device"
                  data-device-id={d.id}
                  data-online={d.online}
                >
                  {d.typeName} · {d.online ? t('mobileAlarms.online') : t('mobileAlarms.offline')}
                </Tag>
              ))
            )}
          </div>
          {person.away ? (
            <div data-testid="m-away-state">
              {t('mobileAlarms.awayOn')} ·{' '}
              {person.away.untilAt
                ? t('mobileAlarms.awayUntil', { time: formatTime(person.away.untilAt) })
                : t('mobileAlarms.awayUntilOff')}
              {person.away.reason ? ` · ${person.away.reason}` : ''}
            </div>
          ) : null}
          {person.openAlarms > 0 ? (
            <Tag color="danger">{t('mobileAlarms.openAlarms', { count: person.openAlarms })}</Tag>
          ) : null}
        </div>
      }
      extra={
        <div className="m-away-switch">
          <div className="m-muted">{t('mobileAlarms.away')}</div>
          <Switch
            checked={person.away !== null}
            loading={setAway.isPending}
            onChange={(on) => (on ? setAsking(true) : void switchOff())}
            data-testid="m-away-switch"
          />
        </div>
      }
    >
      {person.name} <span className="m-muted">{person.relation}</span>
      <Popup
        visible={isAsking}
        onMaskClick={() => setAsking(false)}
        destroyOnClose
        bodyStyle={{ maxHeight: '85vh', overflowY: 'auto', borderTopLeftRadius: 8, borderTopRightRadius: 8 }}
      >
        <AwayForm
          person={person}
          onSubmit={async (untilAt, reason) => {
            await setAway.mutateAsync({
              residentId: person.residentId,
              away: { untilAt, reason: reason || null },
            });
            setAsking(false);
          }}
        />
      </Popup>
    </List.Item>
  );
}

function AwayForm({
  person,
  onSubmit,
}: {
  person: WatchedPerson;
  onSubmit: (untilAt: string | null, reason: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [day, setDay] = useState<string | null>(null);
  const [isPicking, setPicking] = useState(false);
  const [reason, setReason] = useState('');
  const submit = async () => {
    try {
      await onSubmit(day ? awayUntilOf(day) : null, reason.trim());
      Toast.show({ icon: 'success', content: t('mobileAlarms.awaySaved') });
    } catch (error) {
      Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
    }
  };
  return (
    <div className="m-action-form" data-testid="m-form-away">
      <div className="m-action-form-title">
        {t('mobileAlarms.away')} · {person.name}
      </div>
      <div className="m-muted">{t('mobileAlarms.awayHint')}</div>
      <List>
        <List.Item
          title={t('mobileAlarms.awayUntilLabel')}
          onClick={() => setPicking(true)}
          extra={
            day ? (
              <Button
                size="mini"
                onClick={(e) => {
                  e.stopPropagation();
                  setDay(null);
                }}
              >
                {t('mobileAlarms.clearDate')}
              </Button>
            ) : null
          }
          data-testid="m-away-until"
        >
          {day ?? t('mobileAlarms.awayUntilOff')}
        </List.Item>
      </List>
      <DatePicker
        visible={isPicking}
        precision="day"
        min={new Date()}
        onClose={() => setPicking(false)}
        onConfirm={(d) => setDay(pickedDay(d))}
      />
      <TextArea
        value={reason}
        onChange={setReason}
        placeholder={t('mobileAlarms.awayReasonPlaceholder')}
        maxLength={100}
        rows={2}
        showCount
        aria-label={t('mobileAlarms.awayReason')}
        data-testid="m-away-reason"
      />
      <Button block color="primary" size="large" loading="auto" onClick={submit} data-testid="m-form-submit">
        {t('mobileAlarms.submit')}
      </Button>
    </div>
  );
}
