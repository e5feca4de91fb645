import {
  Button,
  Card,
  Collapse,
  ErrorBlock,
  Form,
  Input,
  List,
  Selector,
  Space,
  SpinLoading,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { LockOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { getAccess } from '../../access';
import type { PrivacyMyData, PrivacyRequestDetail } from '../../api-types';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import {
  useCreateMyRequest,
  useDecidePrivacyRequest,
  useDownloadCopy,
  useMyData,
  usePrivacyRequest,
} from '../../features/privacy/use-privacy';
import { fieldKey } from '../../features/privacy/utils';
import { formatTime } from '../../ui/time';

const failed = (e: unknown) => Toast.show({ icon: 'fail', content: e instanceof Error ? e.message : String(e) });
const STATUS_COLORS = { pending: 'warning', accepted: 'success', rejected: 'default' } as const;
type SectionKey = 'record' | 'household' | 'house' | 'tags' | 'cases' | 'balances' | 'visits' | 'devices' | 'consents';

/** The resident's home entry: 我的数据 (see, copy, correct, delete). */
export function MyDataEntry() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  if (!me || !getAccess(me).hasResidentRecord) return null;
  return (
    <List.Item
      prefix={<LockOutline className="m-entry-icon" />}
      description={t('privacyUi.entryHint')}
      onClick={() => navigate('/m/privacy')}
      data-testid="m-entry-privacy"
    >
      {t('privacyUi.myData')}
    </List.Item>
  );
}

/** /m/privacy: what Linli holds about the resident and their household, per purpose; a copy; requests. */
export function MobileMyDataPage() {
  const { t } = useTranslation();
  const data = useMyData();
  if (data.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  if (data.isError || !data.data) return <ErrorBlock status="default" description={data.error?.message} />;
  const d = data.data;
  return (
    <div className="m-page" data-testid="m-privacy">
      {d.linked ? (
        <Card>{t('privacyUi.intro')}</Card>
      ) : (
        <ErrorBlock status="empty" description={t('privacyUi.notLinked')} />
      )}
      {d.linked ? <MyDataSections data={d} /> : null}
      <Notices data={d} />
      {d.linked ? (
        <>
          <CopyButtons />
          <RequestForms data={d} />
        </>
      ) : null}
    </div>
  );
}

function PurposeLine({ data, code }: { data: PrivacyMyData; code: string }) {
  const { t } = useTranslation();
  const p = data.purposes.find((x) => x.code === code);
  if (!p) return null;
  return (
    <div style={{ fontSize: 12, color: 'var(--adm-color-weak)' }}>
      {t('privacyUi.purpose')}：{p.name}（{t(`privacyUi.basis.${p.basis}`)}）
      {p.objected ? <Tag color="default">{t('privacyUi.objected')}</Tag> : null}
    </div>
  );
}

function MyDataSections({ data: d }: { data: PrivacyMyData }) {
  const { t } = useTranslation();
  const none = <List.Item>{t('privacyUi.none')}</List.Item>;
  const sec = (key: SectionKey, purpose: string, body: React.ReactNode) => (
    <Collapse.Panel key={key} title={t(`privacyUi.sections.${key}`)}>
      <PurposeLine data={d} code={purpose} />
      <List>{body}</List>
    </Collapse.Panel>
  );
  const r = d.record;
  return (
    <Collapse defaultActiveKey={['record']}>
      {r
        ? sec(
            'record',
            r.purpose,
            <>
              <List.Item extra={r.name}>{t('privacyUi.fields.name')}</List.Item>
              <List.Item extra={<span data-testid="m-privacy-id">{r.idNumber}</span>}>
                {t('privacyUi.fields.idNumber')}
              </List.Item>
              <List.Item extra={r.phone ?? '—'}>{t('privacyUi.fields.phone')}</List.Item>
              <List.Item extra={r.birthDate}>{t('privacyUi.fields.birthDate')}</List.Item>
              <List.Item extra={r.ethnicity ?? '—'}>{t('privacyUi.fields.ethnicity')}</List.Item>
              <List.Item extra={r.hukouAddress ?? '—'}>{t('privacyUi.fields.hukouAddress')}</List.Item>
              <List.Item extra={r.currentAddress ?? '—'}>{t('privacyUi.fields.currentAddress')}</List.Item>
              <List.Item extra={r.place}>{t('privacyUi.fields.place')}</List.Item>
            </>,
          )
        : null}
      {d.household
        ? sec(
            'household',
            d.household.purpose,
            d.household.members.map((m) => (
              <List.Item key={m.id} extra={m.isSelf ? <Tag color="primary">{t('privacyUi.self')}</Tag> : null}>
                {m.name}（{m.relation ? t(`relations.${m.relation}`, { defaultValue: m.relation }) : '—'}，{m.age}）
              </List.Item>
            )),
          )
        : null}
      {d.house
        ? sec(
            'house',
            d.house.purpose,
            <List.Item description={d.house.address ?? ''}>
              {d.house.place} {d.house.roomNo}
            </List.Item>,
          )
        : null}
      {sec(
        'tags',
        d.tags.purpose,
        d.tags.items.length === 0
          ? none
          : d.tags.items.map((tag) => (
              <List.Item
                key={tag.id}
                extra={
                  <Space>
                    {tag.sensitive ? <Tag color="danger">{t('privacyUi.sensitive')}</Tag> : null}
                    {tag.removable ? null : <Tag>{t('privacyUi.derived')}</Tag>}
                  </Space>
                }
              >
                {tag.name}
              </List.Item>
            )),
      )}
      {sec(
        'cases',
        d.cases.purpose,
        d.cases.items.length === 0
          ? none
          : d.cases.items.map((c) => (
              <List.Item key={c.id} extra={c.stage} description={formatTime(c.createdAt)}>
                {c.title}
              </List.Item>
            )),
      )}
      {sec(
        'balances',
        d.balances.purpose,
        d.balances.items.length === 0
          ? none
          : d.balances.items.map((b) => (
              <List.Item
                key={`${b.owner}:${b.currency}`}
                extra={b.unit === 'minutes' ? t('privacyUi.minutes', { value: b.balance }) : b.balance}
                description={b.owner === 'self' ? t('privacyUi.self') : t('privacyUi.householdOwner')}
              >
                {t(`privacyUi.currency.${b.currency}`, { defaultValue: b.currency })}
              </List.Item>
            )),
      )}
      {sec(
        'visits',
        d.visits.purpose,
        d.visits.items.length === 0
          ? none
          : d.visits.items.map((v) => (
              <List.Item
                key={v.id}
                description={`${v.visitor}${v.household ? ` · ${t('privacyUi.householdVisit')}` : ''}${v.note ? ` · ${v.note}` : ''}`}
              >
                {formatTime(v.visitedAt)}
              </List.Item>
            )),
      )}
      {sec(
        'devices',
        d.devices.purpose,
        d.devices.items.length === 0
          ? none
          : d.devices.items.map((dev) => (
              <List.Item key={dev.id} description={dev.location ?? ''}>
                {dev.type} {dev.name ?? ''}
              </List.Item>
            )),
      )}
      {sec(
        'consents',
        d.consents.purpose,
        d.consents.requests.length === 0
          ? none
          : d.consents.requests.map((q) => (
              <List.Item
                key={q.id}
                extra={<Tag color={STATUS_COLORS[q.status]}>{t(`privacyUi.status.${q.status}`)}</Tag>}
                description={
                  q.status === 'pending'
                    ? `${t('privacyUi.dueAt')}：${formatTime(q.dueAt)}`
                    : [q.legalGroundText, q.decisionNote].filter(Boolean).join(' · ')
                }
                data-testid={`m-privacy-request-${q.id}`}
              >
                {t(`privacyUi.kind.${q.kind}`)}：
                {q.changes
                  .map((c) => `${t(fieldKey(c.field))}${q.kind === 'correction' ? ` → ${c.value ?? '—'}` : ''}`)
                  .join('；')}
                {q.tags.map((tag) => tag.name).join('；')}
              </List.Item>
            )),
      )}
    </Collapse>
  );
}

function Notices({ data }: { data: PrivacyMyData }) {
  const { t } = useTranslation();
  return (
    <List header={t('privacyUi.purpose')}>
      {data.purposes.map((p) => (
        <List.Item
          key={p.code}
          description={p.notice}
          extra={<Tag>{p.objectable ? t('privacyUi.objectable') : t('privacyUi.notObjectable')}</Tag>}
        >
          {p.name}
        </List.Item>
      ))}
    </List>
  );
}

function CopyButtons() {
  const { t } = useTranslation();
  const download = useDownloadCopy();
  const get = async (format: 'json' | 'xlsx') => {
    try {
      await download.mutateAsync(format);
      Toast.show({ icon: 'success', content: t('privacyUi.download.done') });
    } catch (e) {
      failed(e);
    }
  };
  return (
    <Space block style={{ margin: '12px 0' }}>
      <Button size="small" onClick={() => void get('xlsx')} loading={download.isPending} data-testid="m-privacy-xlsx">
        {t('privacyUi.download.xlsx')}
      </Button>
      <Button size="small" onClick={() => void get('json')} loading={download.isPending} data-testid="m-privacy-json">
        {t('privacyUi.download.json')}
      </Button>
    </Space>
  );
}

function RequestForms({ data }: { data: PrivacyMyData }) {
  const { t } = useTranslation();
  const create = useCreateMyRequest();
  const [field, setField] = useState<string[]>([]);
  const [value, setValue] = useState('');
  const [why, setWhy] = useState('');
  const [purpose, setPurpose] = useState<string[]>([]);
  const [fields, setFields] = useState<string[]>([]);
  const [tagIds, setTagIds] = useState<string[]>([]);
  const [whyDel, setWhyDel] = useState('');
  const done = (due: string) =>
    Toast.show({ icon: 'success', content: t('privacyUi.submitted', { due: formatTime(due) }) });
  const correct = async () => {
    try {
      const r = await create.mutateAsync({
        kind: 'correction',
        changes: [{ field: field[0] as 'name', value: value.trim() || null }],
        explanation: why,
      });
      done(r.dueAt);
      setValue('');
      setWhy('');
    } catch (e) {
      failed(e);
    }
  };
  const remove = async () => {
    try {
      const r = await create.mutateAsync({
        kind: 'deletion',
        purpose: purpose[0] as 'special_care',
        fields: fields as 'phone'[],
        tagIds: tagIds.map(Number),
        explanation: whyDel,
      });
      done(r.dueAt);
      setWhyDel('');
    } catch (e) {
      failed(e);
    }
  };
  return (
    <>
      <Card title={t('privacyUi.correction.title')} style={{ marginBottom: 12 }} data-testid="m-privacy-correction">
        <Form layout="vertical">
          <Form.Item label={t('privacyUi.correction.field')}>
            <Selector
              options={data.correctable.map((f) => ({ value: f, label: t(fieldKey(f)) }))}
              value={field}
              onChange={setField}
            />
          </Form.Item>
          <Form.Item label={t('privacyUi.correction.value')}>
            <Input value={value} onChange={setValue} maxLength={200} data-testid="m-privacy-value" />
          </Form.Item>
          <Form.Item label={t('privacyUi.explanation')}>
            <TextArea value={why} onChange={setWhy} maxLength={500} rows={2} data-testid="m-privacy-why" />
          </Form.Item>
        </Form>
        <Button
          block
          color="primary"
          disabled={field.length === 0 || why.trim() === ''}
          loading={create.isPending}
          onClick={() => void correct()}
          data-testid="m-privacy-correct"
        >
          {t('privacyUi.submit')}
        </Button>
        <div style={{ fontSize: 12, color: 'var(--adm-color-weak)', marginTop: 8 }}>{t('privacyUi.deadlineNote')}</div>
      </Card>
      <Card title={t('privacyUi.deletion.title')} data-testid="m-privacy-deletion">
        <div style={{ fontSize: 12, marginBottom: 8 }}>{t('privacyUi.deletion.requiredByLaw')}</div>
        <Form layout="vertical">
          <Form.Item label={t('privacyUi.deletion.purpose')}>
            <Selector
              options={data.purposes.map((p) => ({
                value: p.code,
                label: p.name,
                description: p.objectable ? '' : t('privacyUi.notObjectable'),
              }))}
              value={purpose}
              onChange={setPurpose}
            />
          </Form.Item>
          <Form.Item label={t('privacyUi.deletion.fields')}>
            <Selector
              multiple
              options={data.deletable.map((f) => ({ value: f, label: t(fieldKey(f)) }))}
              value={fields}
              onChange={setFields}
            />
          </Form.Item>
          {data.tags.items.some((x) => x.removable) ? (
            <Form.Item label={t('privacyUi.deletion.tags')}>
              <Selector
                multiple
                options={data.tags.items
                  .filter((x) => x.removable)
                  .map((x) => ({ value: String(x.id), label: x.name }))}
                value={tagIds}
                onChange={setTagIds}
              />
            </Form.Item>
          ) : null}
          <Form.Item label={t('privacyUi.explanation')}>
            <TextArea value={whyDel} onChange={setWhyDel} maxLength={500} rows={2} />
          </Form.Item>
        </Form>
        <Button
          block
          color="danger"
          fill="outline"
          disabled={purpose.length === 0 || whyDel.trim() === ''}
          loading={create.isPending}
          onClick={() => void remove()}
          data-testid="m-privacy-delete"
        >
          {t('privacyUi.submit')}
        </Button>
      </Card>
    </>
  );
}

/** /m/privacy/requests/:id (the task's link): the request, and the grid worker's decision. */
export function MobilePrivacyRequestPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id) || null;
  const one = usePrivacyRequest(id);
  if (one.isLoading) return <SpinLoading style={{ margin: '40px auto' }} />;
  if (one.isError || !one.data)
    return <ErrorBlock status="empty" description={one.error?.message ?? t('privacyUi.notFound')} />;
  return <MobileRequestView request={one.data} />;
}

function MobileRequestView({ request: r }: { request: PrivacyRequestDetail }) {
  const { t } = useTranslation();
  const decide = useDecidePrivacyRequest();
  const [ground, setGround] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const submit = async (decision: 'accept' | 'reject') => {
    try {
      await decide.mutateAsync({
        id: r.id,
        decision,
        ...(decision === 'reject' && ground[0] ? { legalGround: ground[0] as 'other' } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      Toast.show({ icon: 'success', content: t('privacyUi.decided') });
    } catch (e) {
      failed(e);
    }
  };
  return (
    <div className="m-page" data-testid="m-privacy-request">
      <List header={t('privacyUi.detail')}>
        <List.Item description={r.place}>{r.residentName}</List.Item>
        <List.Item extra={<Tag color={STATUS_COLORS[r.status]}>{t(`privacyUi.status.${r.status}`)}</Tag>}>
          {t(`privacyUi.kind.${r.kind}`)}
        </List.Item>
        <List.Item extra={r.overdue ? <Tag color="danger">{t('privacyUi.overdue')}</Tag> : null}>
          {t('privacyUi.dueAt')}：{formatTime(r.dueAt)}
        </List.Item>
        {r.changes.map((c) => (
          <List.Item
            key={c.field}
            description={`${t('privacyUi.current')}：${(r.before ?? r.current)[c.field] ?? '—'}`}
          >
            {t(fieldKey(c.field))} → {r.kind === 'deletion' ? t('privacyUi.delete') : (c.value ?? '—')}
          </List.Item>
        ))}
        {r.tags.map((tag) => (
          <List.Item key={tag.id}>
            {t('privacyUi.sections.tags')}：{tag.name} → {t('privacyUi.delete')}
          </List.Item>
        ))}
        <List.Item description={r.explanation}>{t('privacyUi.explanation')}</List.Item>
      </List>
      {r.status === 'pending' ? (
        <Space direction="vertical" block style={{ marginTop: 12 }}>
          <Selector
            options={(['registration_required', 'statutory_duty', 'others_depend', 'not_held', 'other'] as const).map(
              (g) => ({ value: g, label: t(`privacyUi.grounds.${g}`) }),
            )}
            value={ground}
            onChange={setGround}
          />
          <TextArea placeholder={t('privacyUi.note')} value={note} onChange={setNote} rows={2} maxLength={500} />
          <Button block color="primary" loading={decide.isPending} onClick={() => void submit('accept')}>
            {t('privacyUi.accept')}
          </Button>
          <Button block color="danger" fill="outline" loading={decide.isPending} onClick={() => void submit('reject')}>
            {t('privacyUi.reject')}
          </Button>
        </Space>
      ) : (
        <List>
          <List.Item description={r.decisionNote ?? ''}>
            {r.decidedBy} · {r.decidedAt ? formatTime(r.decidedAt) : ''}
          </List.Item>
          {r.legalGroundText ? <List.Item>{r.legalGroundText}</List.Item> : null}
        </List>
      )}
    </div>
  );
}
