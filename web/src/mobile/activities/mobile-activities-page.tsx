import { Button, Card, Dialog, ErrorBlock, Input, List, SpinLoading, Switch, Tabs, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { getAccess } from '../../access';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import {
  useActivities,
  useActivity,
  useAttendance,
  useCheckIn,
  useCheckinCode,
  useMyActivities,
  useMyActivity,
  useSignUp,
  useSignups,
  useWithdraw,
} from '../../features/volunteers/use-volunteers';
import { codeFromScan, residentActions, rewardValue } from '../../features/volunteers/volunteer-logic';
import type { Activity, MyActivity } from '../../features/volunteers/volunteer-types';
import { QrCode } from '../../ui/qr-code';
import { QrScanner } from '../../ui/qr-scanner';

const when = (a: Activity) =>
  `${new Date(a.startsAt).toLocaleString([], { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })} · ${a.place}`;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function Loading() {
  return (
    <div className="m-center-block">
      <SpinLoading color="primary" />
    </div>
  );
}

function MyList({ scope }: { scope: 'open' | 'mine' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useMyActivities(scope);
  if (list.isLoading) return <Loading />;
  if (list.isError) return <ErrorBlock status="default" title={message(list.error)} />;
  const items = list.data?.items ?? [];
  if (items.length === 0) return <ErrorBlock status="empty" title={t('volunteers.empty')} description="" />;
  return (
    <List>
      {items.map((a: MyActivity) => (
        <List.Item
          key={a.id}
          onClick={() => navigate(`/m/activities/${a.id}`)}
          description={when(a)}
          extra={
            a.myStatus ? (
              <Tag color={a.myStatus === 'attended' ? 'success' : 'primary'}>
                {t(`volunteers.signupStatuses.${a.myStatus}`)}
              </Tag>
            ) : a.placesLeft !== null ? (
              `${t('volunteers.placesLeft')} ${a.placesLeft}`
            ) : null
          }
        >
          {a.title}
        </List.Item>
      ))}
    </List>
  );
}

function OrganiserList() {
  const navigate = useNavigate();
  const list = useActivities({ status: 'published' });
  if (list.isLoading) return <Loading />;
  if (list.isError) return <ErrorBlock status="default" title={message(list.error)} />;
  return (
    <List>
      {(list.data?.items ?? []).map((a) => (
        <List.Item
          key={a.id}
          onClick={() => navigate(`/m/activities/${a.id}/organise`)}
          description={when(a)}
          extra={`${a.checkedIn}/${a.signedUp}`}
        >
          {a.title}
        </List.Item>
      ))}
    </List>
  );
}

/** 志愿活动 on the phone: 可报名 / 我的 for a resident with a record; 组织 for organisers. */
export function MobileActivitiesPage() {
  const { t } = useTranslation();
  const me = useSignedInUser();
  const access = me ? getAccess(me) : null;
  const tabs = [
    ...(access?.hasResidentRecord
      ? [
          { key: 'open', title: t('volunteers.open'), content: <MyList scope="open" /> },
          { key: 'mine', title: t('volunteers.mine'), content: <MyList scope="mine" /> },
        ]
      : []),
    ...(access?.canManageVolunteers
      ? [{ key: 'organise', title: t('volunteers.organiser'), content: <OrganiserList /> }]
      : []),
  ];
  if (tabs.length === 0) return <ErrorBlock status="default" title={t('volunteers.noResident')} />;
  return (
    <div className="m-page" data-testid="m-activities">
      <Tabs>
        {tabs.map((x) => (
          <Tabs.Tab key={x.key} title={x.title}>
            {x.content}
          </Tabs.Tab>
        ))}
      </Tabs>
    </div>
  );
}

function CheckInBox({ a }: { a: MyActivity }) {
  const { t } = useTranslation();
  const checkIn = useCheckIn();
  const [scanning, setScanning] = useState(false);
  const [typed, setTyped] = useState('');
  const submit = (text: string) => {
    const code = codeFromScan(text, a.id);
    if (code === null) {
      Toast.show({ content: t('volunteers.typeCode') });
      return;
    }
    checkIn.mutate(
      { id: a.id, code },
      {
        onSuccess: () => Toast.show({ icon: 'success', content: t('volunteers.checkInOk') }),
        onError: (e) => Toast.show({ icon: 'fail', content: message(e) }),
      },
    );
  };
  return (
    <Card title={t('volunteers.checkIn')}>
      {scanning ? (
        <QrScanner
          onCode={(text) => {
            setScanning(false);
            submit(text);
          }}
          onState={(s) => (s === 'unavailable' ? setScanning(false) : undefined)}
        />
      ) : (
        <Button block color="primary" onClick={() => setScanning(true)} data-testid="m-activity-scan">
          {t('volunteers.scan')}
        </Button>
      )}
      <div style={{ display: 'flex', gap: 8, marginTop: 12 }}>
        <Input
          placeholder={t('volunteers.typeCode')}
          value={typed}
          onChange={setTyped}
          inputMode="numeric"
          maxLength={6}
          data-testid="m-activity-code"
        />
        <Button size="small" loading={checkIn.isPending} onClick={() => submit(typed)}>
          {t('volunteers.checkIn')}
        </Button>
      </div>
    </Card>
  );
}

/** One activity for the resident: 报名 / 取消, on the day 扫码签到 or type the code, after it 已获得 N 积分. */
export function MobileActivityPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const one = useMyActivity(id);
  const signUp = useSignUp();
  const withdraw = useWithdraw();
  if (one.isLoading) return <Loading />;
  if (one.isError || !one.data) return <ErrorBlock status="default" title={message(one.error)} />;
  const a = one.data;
  const can = residentActions(a, Date.now());
  const unit = t(`volunteers.currencies.${a.rewardCurrency}`);
  return (
    <div className="m-page" data-testid="m-activity">
      <Card title={a.title}>
        <div>{t(`volunteers.types.${a.activityType}`, { defaultValue: a.activityType })}</div>
        <div>
          {new Date(a.startsAt).toLocaleString()} — {new Date(a.endsAt).toLocaleTimeString()}
        </div>
        <div>{a.place}</div>
        {a.description ? <p>{a.description}</p> : null}
        <div style={{ marginTop: 8 }}>
          <Tag>{t(`volunteers.statuses.${a.status}`)}</Tag>{' '}
          {a.myStatus ? <Tag color="primary">{t(`volunteers.signupStatuses.${a.myStatus}`)}</Tag> : null}{' '}
          {a.placesLeft !== null && a.status === 'published' ? `${t('volunteers.placesLeft')} ${a.placesLeft}` : null}
        </div>
        {a.credited !== null ? (
          <div style={{ marginTop: 8, color: 'var(--adm-color-success)' }} data-testid="m-activity-earned">
            {t('volunteers.earned', { amount: rewardValue(a.credited, a.rewardCurrency), unit })}
          </div>
        ) : null}
        {a.checkedInAt ? (
          <div style={{ marginTop: 8 }}>
            {t('volunteers.checkedInAt')} {new Date(a.checkedInAt).toLocaleTimeString()}
          </div>
        ) : null}
      </Card>
      {can.signUp ? (
        <Button
          block
          color="primary"
          loading={signUp.isPending}
          data-testid="m-activity-signup"
          onClick={() =>
            signUp.mutate(a.id, {
              onSuccess: () => Toast.show({ icon: 'success', content: t('volunteers.signedUpOk') }),
              onError: (e) => Toast.show({ icon: 'fail', content: message(e) }),
            })
          }
        >
          {t('volunteers.signUp')}
        </Button>
      ) : null}
      {can.checkIn ? <CheckInBox a={a} /> : null}
      {can.withdraw ? (
        <Button
          block
          style={{ marginTop: 12 }}
          loading={withdraw.isPending}
          onClick={async () => {
            if (await Dialog.confirm({ content: t('volunteers.withdraw') }))
              withdraw.mutate(a.id, { onError: (e) => Toast.show({ icon: 'fail', content: message(e) }) });
          }}
        >
          {t('volunteers.withdraw')}
        </Button>
      ) : null}
    </div>
  );
}

/** An organiser's activity page on the phone: the check-in QR and the attendance list with switches. */
export function MobileActivityOrganisePage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const a = useActivity(id);
  const code = useCheckinCode(id, a.data?.status === 'published');
  const signups = useSignups(id);
  const attendance = useAttendance();
  if (a.isLoading) return <Loading />;
  if (a.isError || !a.data) return <ErrorBlock status="default" title={message(a.error)} />;
  return (
    <div className="m-page" data-testid="m-activity-organise">
      <Card title={a.data.title}>
        {code.data ? (
          <div style={{ textAlign: 'center' }}>
            <QrCode value={code.data.qr} size={240} label={t('volunteers.checkinCode')} />
            <div style={{ fontSize: 32, letterSpacing: 6 }}>{code.data.code}</div>
          </div>
        ) : null}
      </Card>
      <List header={t('volunteers.attendance')}>
        {(signups.data?.items ?? []).map((s) => (
          <List.Item
            key={s.residentId}
            description={t(`volunteers.signupStatuses.${s.status}`)}
            extra={
              <Switch
                checked={s.checkedInAt !== null}
                disabled={a.data.status !== 'published' || s.status !== 'signed_up'}
                onChange={(attended) => attendance.mutate({ id, residentId: s.residentId, attended })}
              />
            }
          >
            {s.name}
          </List.Item>
        ))}
      </List>
    </div>
  );
}
