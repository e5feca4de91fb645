import { Button, ErrorBlock, Form, Input, List, Selector, SpinLoading, Tag, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getAccess } from '../../access';
import type { MyHousehold } from '../../api-types';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { useMyHousehold } from '../../features/people/hooks/use-my-household';
import { relationLabel } from '../../features/people/utils/labels';
import { skillLabel, whenText } from '../../features/timebank/timebank-labels';
import {
  hoursOf,
  type MyTimebank,
  SERVICE_TYPES,
  type ServiceRecord,
  type TimebankRequest,
  useMyTimebank,
  usePeopleSearch,
  useTimebankAction,
  useTimebankServices,
} from '../../features/timebank/use-timebank';

const message = (error: unknown, fallback: string) => (error instanceof Error ? error.message : fallback);

/** A local date-time input's value (yyyy-MM-ddTHH:mm) for a moment. */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The members of my household a request may be for, besides myself (none without a household). */
export function familyMembers(self: number, household: MyHousehold | undefined) {
  return (household?.household?.members ?? []).filter((m) => !m.isSelf && m.id !== self);
}

/** POST /api/me/timebank/requests's body from the phone's form (its inputs are text). */
export function myRequestBody(v: {
  beneficiary: number;
  type: string;
  wantedAt: string;
  minutes: string;
  place: string;
  description: string;
}) {
  return {
    beneficiaryResidentId: v.beneficiary,
    serviceType: v.type,
    wantedAt: new Date(v.wantedAt).toISOString(),
    minutes: Number(v.minutes),
    ...(v.place.trim() ? { place: v.place.trim() } : {}),
    ...(v.description.trim() ? { description: v.description.trim() } : {}),
  };
}

/**
 * 时间银行 on the phone (/m/timebank): my hours, big; services awaiting my confirmation; recording a service I gave
 * (a volunteer); my requests and asking for one; open requests of my community to take.
 */
export function MobileTimebankPage() {
  const { t } = useTranslation();
  const me = useSignedInUser();
  const access = me ? getAccess(me) : null;
  const mine = useMyTimebank(Boolean(access?.hasResidentRecord));
  const worker = Boolean(access?.canManageVolunteers);
  if (!access?.hasResidentRecord)
    return worker ? (
      <div className="m-page" data-testid="m-timebank">
        <AreaAwaiting />
      </div>
    ) : (
      <ErrorBlock status="default" title={t('timebank.phone.noRecord')} description="" />
    );
  if (mine.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  if (mine.error || !mine.data)
    return <ErrorBlock status="default" title={message(mine.error, t('timebank.phone.noRecord'))} description="" />;
  const data = mine.data;
  return (
    <div className="m-page" data-testid="m-timebank">
      {worker ? <AreaAwaiting /> : null}
      <div style={{ textAlign: 'center', padding: '24px 0 12px' }}>
        <div style={{ color: '#888' }}>{t('timebank.phone.balance')}</div>
        <div style={{ fontSize: 44, fontWeight: 600 }} data-testid="m-timebank-balance">
          {t('timebank.hours', { hours: hoursOf(data.balanceMinutes) })}
        </div>
        <div style={{ color: '#888' }}>
          {t('timebank.phone.available', {
            hours: hoursOf(data.availableMinutes),
            reserved: hoursOf(data.reservedMinutes),
          })}
        </div>
      </div>
      <Awaiting items={data.awaitingMe} />
      {data.volunteer ? <Volunteering data={data} /> : null}
      <MyRequests data={data} />
      <Services title={t('timebank.phone.given')} items={data.given} />
      <Services title={t('timebank.phone.received')} items={data.received} />
    </div>
  );
}

function ServiceLine({ s }: { s: ServiceRecord }) {
  const { t } = useTranslation();
  return (
    <>
      {skillLabel(s.serviceType)} · {t('timebank.minutes', { minutes: s.minutes })}{' '}
      <Tag color={s.status === 'confirmed' ? 'success' : s.status === 'pending' ? 'warning' : 'default'}>
        {t(`timebank.serviceStatus.${s.status}`)}
      </Tag>
    </>
  );
}

function Awaiting({ items }: { items: ServiceRecord[] }) {
  const { t } = useTranslation();
  const action = useTimebankAction();
  const [rejecting, setRejecting] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const run = (path: string, body: unknown, done: string) =>
    action.mutate(
      { path, body },
      {
        onSuccess: () => {
          Toast.show({ icon: 'success', content: done });
          setRejecting(null);
          setReason('');
        },
        onError: (e) => Toast.show({ icon: 'fail', content: message(e, t('errors.unknown')) }),
      },
    );
  return (
    <List header={t('timebank.phone.awaiting')} data-testid="m-timebank-awaiting">
      {items.length === 0 ? <List.Item>{t('timebank.phone.awaitingEmpty')}</List.Item> : null}
      {items.map((s) => (
        <List.Item
          key={s.id}
          description={`${s.volunteerName} → ${s.recipientName} · ${whenText(s.servedAt)}${s.note ? ` · ${s.note}` : ''}`}
          extra={
            <div style={{ display: 'flex', gap: 6 }}>
              <Button
                size="mini"
                color="primary"
                data-testid={`m-timebank-confirm-${s.id}`}
                loading={action.isPending}
                onClick={() => run(`/api/me/timebank/services/${s.id}/confirm`, undefined, t('timebank.confirmed'))}
              >
                {t('timebank.confirm')}
              </Button>
              <Button size="mini" onClick={() => setRejecting(rejecting === s.id ? null : s.id)}>
                {t('timebank.reject')}
              </Button>
            </div>
          }
        >
          <ServiceLine s={s} />
          {rejecting === s.id ? (
            <div style={{ display: 'flex', gap: 6, marginTop: 6 }}>
              <Input placeholder={t('timebank.rejectReason')} value={reason} onChange={setReason} maxLength={200} />
              <Button
                size="mini"
                color="danger"
                disabled={reason.trim().length === 0}
                onClick={() =>
                  run(`/api/me/timebank/services/${s.id}/reject`, { reason: reason.trim() }, t('timebank.rejected'))
                }
              >
                {t('timebank.reject')}
              </Button>
            </div>
          ) : null}
        </List.Item>
      ))}
    </List>
  );
}

function Services({ title, items }: { title: string; items: ServiceRecord[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <List header={title}>
      {items.map((s) => (
        <List.Item key={s.id} description={`${s.volunteerName} → ${s.recipientName} · ${whenText(s.servedAt)}`}>
          <ServiceLine s={s} />
          {s.rejectReason ? <div style={{ color: '#999' }}>{s.rejectReason}</div> : null}
        </List.Item>
      ))}
      {items.length === 0 ? <List.Item>{t('timebank.empty')}</List.Item> : null}
    </List>
  );
}

function RequestLine({ r }: { r: TimebankRequest }) {
  const { t } = useTranslation();
  return (
    <>
      {skillLabel(r.serviceType)} · {t('timebank.minutes', { minutes: r.minutes })}{' '}
      <Tag color={r.status === 'open' ? 'primary' : r.status === 'matched' ? 'warning' : 'default'}>
        {t(`timebank.requestStatus.${r.status}`)}
      </Tag>
    </>
  );
}

/** A volunteer's side: record a service (to someone found by name, or for a request matched to me); take requests. */
function Volunteering({ data }: { data: MyTimebank }) {
  const { t } = useTranslation();
  const action = useTimebankAction();
  const [forRequest, setForRequest] = useState<TimebankRequest | null>(null);
  const [open, setOpen] = useState(false);
  const accept = (id: number) =>
    action.mutate(
      { path: `/api/me/timebank/requests/${id}/accept` },
      {
        onSuccess: () => Toast.show({ icon: 'success', content: t('timebank.phone.accepted') }),
        onError: (e) => Toast.show({ icon: 'fail', content: message(e, t('errors.unknown')) }),
      },
    );
  return (
    <>
      <List header={t('timebank.phone.record')}>
        <List.Item
          description={t('timebank.phone.recordHint')}
          onClick={() => {
            setForRequest(null);
            setOpen(!open);
          }}
          data-testid="m-timebank-record"
        >
          {t('timebank.phone.record')}
        </List.Item>
      </List>
      {open ? <RecordForm request={forRequest} onDone={() => setOpen(false)} /> : null}
      {data.matchedToMe.length > 0 ? (
        <List header={t('timebank.phone.matchedToMe')}>
          {data.matchedToMe.map((r) => (
            <List.Item
              key={r.id}
              description={`${r.beneficiaryName} · ${whenText(r.wantedAt)}${r.place ? ` · ${r.place}` : ''}`}
              extra={
                <Button
                  size="mini"
                  color="primary"
                  onClick={() => {
                    setForRequest(r);
                    setOpen(true);
                  }}
                >
                  {t('timebank.phone.record')}
                </Button>
              }
            >
              <RequestLine r={r} />
            </List.Item>
          ))}
        </List>
      ) : null}
      <List header={t('timebank.phone.nearby')} data-testid="m-timebank-nearby">
        {data.openNearby.length === 0 ? <List.Item>{t('timebank.phone.nearbyEmpty')}</List.Item> : null}
        {data.openNearby.map((r) => (
          <List.Item
            key={r.id}
            description={`${r.beneficiaryName} · ${whenText(r.wantedAt)}${r.place ? ` · ${r.place}` : ''}${r.description ? ` · ${r.description}` : ''}`}
            extra={
              <Button size="mini" color="primary" loading={action.isPending} onClick={() => accept(r.id)}>
                {t('timebank.phone.accept')}
              </Button>
            }
          >
            <RequestLine r={r} />
          </List.Item>
        ))}
      </List>
    </>
  );
}

function RecordForm({ request, onDone }: { request: TimebankRequest | null; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useTimebankAction();
  const [name, setName] = useState('');
  const [room, setRoom] = useState('');
  const [query, setQuery] = useState<{ name: string; room?: string } | null>(null);
  const people = usePeopleSearch(request ? null : query);
  const [recipient, setRecipient] = useState<number | null>(request?.beneficiaryResidentId ?? null);
  const [type, setType] = useState(request?.serviceType ?? 'companionship');
  const [minutes, setMinutes] = useState(String(request?.minutes ?? 60));
  const [servedAt, setServedAt] = useState(localInput(new Date()));
  const [note, setNote] = useState('');
  const submit = () => {
    if (recipient === null) return;
    action.mutate(
      {
        path: '/api/me/timebank/services',
        body: {
          recipientResidentId: recipient,
          serviceType: type,
          servedAt: new Date(servedAt).toISOString(),
          minutes: Number(minutes),
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(request ? { requestId: request.id } : {}),
        },
      },
      {
        onSuccess: () => {
          Toast.show({ icon: 'success', content: t('timebank.phone.saved') });
          onDone();
        },
        onError: (e) => Toast.show({ icon: 'fail', content: message(e, t('errors.unknown')) }),
      },
    );
  };
  return (
    <Form layout="vertical" data-testid="m-timebank-record-form">
      {request ? (
        <Form.Item label={t('timebank.recipient')}>{request.beneficiaryName}</Form.Item>
      ) : (
        <>
          <Form.Item label={t('timebank.phone.searchName')}>
            <Input value={name} onChange={setName} maxLength={50} data-testid="m-timebank-name" />
          </Form.Item>
          <Form.Item label={t('timebank.phone.searchRoom')}>
            <Input value={room} onChange={setRoom} maxLength={20} />
          </Form.Item>
          <Button
            size="small"
            disabled={name.trim().length === 0}
            onClick={() => setQuery({ name: name.trim(), ...(room.trim() ? { room: room.trim() } : {}) })}
          >
            {t('timebank.phone.search')}
          </Button>
          {query && people.data ? (
            people.data.items.length === 0 ? (
              <div style={{ color: '#999', padding: 8 }}>{t('timebank.phone.noPerson')}</div>
            ) : (
              <Form.Item label={t('timebank.phone.pickPerson')}>
                <Selector
                  columns={1}
                  value={recipient === null ? [] : [recipient]}
                  onChange={(v) => setRecipient(v[0] ?? null)}
                  options={people.data.items.map((p) => ({ value: p.residentId, label: `${p.name} ${p.placeLabel}` }))}
                />
              </Form.Item>
            )
          ) : null}
        </>
      )}
      <Form.Item label={t('timebank.serviceType')}>
        <Selector
          columns={3}
          value={[type]}
          onChange={(v) => v[0] && setType(v[0])}
          options={SERVICE_TYPES.map((c) => ({ value: c, label: skillLabel(c) }))}
        />
      </Form.Item>
      <Form.Item label={t('timebank.phone.minutesLabel')}>
        <Input type="number" value={minutes} onChange={setMinutes} min={15} max={1440} />
      </Form.Item>
      <Form.Item label={t('timebank.servedAt')}>
        <Input type="datetime-local" value={servedAt} onChange={setServedAt} />
      </Form.Item>
      <Form.Item label={t('timebank.note')}>
        <TextArea value={note} onChange={setNote} maxLength={500} rows={2} />
      </Form.Item>
      <Button
        block
        color="primary"
        disabled={recipient === null}
        loading={action.isPending}
        onClick={submit}
        data-testid="m-timebank-submit"
      >
        {t('timebank.phone.submit')}
      </Button>
    </Form>
  );
}

function MyRequests({ data }: { data: MyTimebank }) {
  const { t } = useTranslation();
  const action = useTimebankAction();
  const [open, setOpen] = useState(false);
  const [type, setType] = useState('companionship');
  const [minutes, setMinutes] = useState('60');
  const [wantedAt, setWantedAt] = useState(localInput(new Date(Date.now() + 86_400_000)));
  const [place, setPlace] = useState('');
  const [description, setDescription] = useState('');
  // for myself or a member of my household (GET /api/me/household); the server checks the family too
  const household = useMyHousehold();
  const family = familyMembers(data.residentId, household.data);
  const [beneficiary, setBeneficiary] = useState<number>(data.residentId);
  const publish = () =>
    action.mutate(
      {
        path: '/api/me/timebank/requests',
        body: myRequestBody({ beneficiary, type, wantedAt, minutes, place, description }),
      },
      {
        onSuccess: () => {
          Toast.show({ icon: 'success', content: t('timebank.phone.requestSaved') });
          setOpen(false);
        },
        onError: (e) => Toast.show({ icon: 'fail', content: message(e, t('errors.unknown')) }),
      },
    );
  const cancel = (id: number) =>
    action.mutate(
      { path: `/api/me/timebank/requests/${id}/cancel` },
      {
        onSuccess: () => Toast.show({ icon: 'success', content: t('timebank.cancelled') }),
        onError: (e) => Toast.show({ icon: 'fail', content: message(e, t('errors.unknown')) }),
      },
    );
  return (
    <>
      <List header={t('timebank.phone.myRequests')} data-testid="m-timebank-requests">
        {data.requests.map((r) => (
          <List.Item
            key={r.id}
            description={`${r.beneficiaryName} · ${whenText(r.wantedAt)}${r.volunteerName ? ` · ${r.volunteerName}` : ''}`}
            extra={
              r.status === 'open' || r.status === 'matched' ? (
                <Button size="mini" onClick={() => cancel(r.id)}>
                  {t('timebank.cancel')}
                </Button>
              ) : null
            }
          >
            <RequestLine r={r} />
          </List.Item>
        ))}
        <List.Item onClick={() => setOpen(!open)} data-testid="m-timebank-new-request">
          {t('timebank.phone.newRequest')}
        </List.Item>
      </List>
      {open ? (
        <Form layout="vertical">
          <Form.Item label={t('timebank.phone.forWhom')}>
            {family.length === 0 ? (
              t('timebank.phone.forMe')
            ) : (
              <Selector
                data-testid="m-timebank-beneficiary"
                columns={1}
                value={[beneficiary]}
                onChange={(v) => v[0] !== undefined && setBeneficiary(v[0])}
                options={[
                  { value: data.residentId, label: t('timebank.phone.forMe') },
                  ...family.map((m) => ({
                    value: m.id,
                    label: t('timebank.phone.forMember', {
                      name: m.relation ? `${m.name}（${relationLabel(t, m.relation)}）` : m.name,
                    }),
                  })),
                ]}
              />
            )}
          </Form.Item>
          <Form.Item label={t('timebank.serviceType')}>
            <Selector
              columns={3}
              value={[type]}
              onChange={(v) => v[0] && setType(v[0])}
              options={SERVICE_TYPES.map((c) => ({ value: c, label: skillLabel(c) }))}
            />
          </Form.Item>
          <Form.Item label={t('timebank.phone.minutesLabel')}>
            <Input type="number" value={minutes} onChange={setMinutes} />
          </Form.Item>
          <Form.Item label={t('timebank.wantedAt')}>
            <Input type="datetime-local" value={wantedAt} onChange={setWantedAt} />
          </Form.Item>
          <Form.Item label={t('timebank.place')}>
            <Input value={place} onChange={setPlace} maxLength={100} />
          </Form.Item>
          <Form.Item label={t('timebank.description')}>
            <TextArea value={description} onChange={setDescription} maxLength={500} rows={2} />
          </Form.Item>
          <Button block color="primary" loading={action.isPending} onClick={publish}>
            {t('timebank.phone.submit')}
          </Button>
        </Form>
      ) : null}
    </>
  );
}

/** A worker's side: the area's service records waiting for confirmation (a worker may confirm, not their own). */
function AreaAwaiting() {
  const { t } = useTranslation();
  const list = useTimebankServices({ status: 'pending' });
  const action = useTimebankAction();
  return (
    <List header={t('timebank.tabs.services')} data-testid="m-timebank-area">
      {(list.data?.items ?? []).length === 0 ? <List.Item>{t('timebank.phone.awaitingEmpty')}</List.Item> : null}
      {(list.data?.items ?? []).map((s) => (
        <List.Item
          key={s.id}
          description={`${s.volunteerName} → ${s.recipientName} · ${whenText(s.servedAt)}`}
          extra={
            <Button
              size="mini"
              color="primary"
              loading={action.isPending}
              onClick={() =>
                action.mutate(
                  { path: `/api/timebank/services/${s.id}/confirm` },
                  {
                    onSuccess: () => Toast.show({ icon: 'success', content: t('timebank.confirmed') }),
                    onError: (e) => Toast.show({ icon: 'fail', content: message(e, t('errors.unknown')) }),
                  },
                )
              }
            >
              {t('timebank.confirm')}
            </Button>
          }
        >
          <ServiceLine s={s} />
        </List.Item>
      ))}
    </List>
  );
}
