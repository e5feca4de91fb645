import {
  Alert,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { QrCode } from '../../ui/qr-code';
import { useAccess } from '../auth/hooks/use-access';
import { NodeSearchSelect } from '../org/components/node-search-select';
import { ResidentSearchSelect } from '../people/components/resident-search-select';
import { AssigneeSelect } from '../visits/components/assignee-select';
import {
  useActivities,
  useActivity,
  useAddMember,
  useAttendance,
  useCancelActivity,
  useCheckinCode,
  useCreateTeam,
  useEnrol,
  useRemoveMember,
  useSaveActivity,
  useSignups,
  useTeam,
  useTeams,
  useUpdateTeam,
  useUpdateVolunteer,
  useVolunteers,
  type VolunteerQuery,
} from './use-volunteers';
import { ACTIVITY_TYPES, rewardValue, SKILL_CODES, teamCreateBody } from './volunteer-logic';
import type { Activity, Signup, Team, TeamKind, Volunteer, VolunteerKind } from './volunteer-types';

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
const TEAM_KINDS: TeamKind[] = ['volunteer', 'service', 'mobile_grid'];
const VOLUNTEER_KINDS: VolunteerKind[] = ['resident', 'rider', 'courier', 'party_member'];
const errorOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

// ---- teams and volunteers (/volunteers) ------------------------------------------------------------------------

export function TeamDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const team = useTeam(id);
  const add = useAddMember();
  const remove = useRemoveMember();
  const [residentId, setResidentId] = useState<number | null>(null);
  return (
    <Drawer open={id !== null} onClose={onClose} size={520} title={team.data?.name ?? ''} destroyOnHidden>
      {team.data ? (
        <>
          <Typography.Paragraph type="secondary">
            {t(`volunteers.teamKinds.${team.data.kind}`)} · {team.data.nodeName}
            {team.data.description ? ` · ${team.data.description}` : ''}
          </Typography.Paragraph>
          <Space style={{ marginBottom: 12 }}>
            <ResidentSearchSelect
              style={{ width: 320 }}
              data-testid="team-member-pick"
              value={residentId}
              excludeIds={team.data.items.map((m) => m.residentId)}
              onChange={setResidentId}
            />
            <Button
              type="primary"
              disabled={residentId === null}
              loading={add.isPending}
              onClick={() =>
                residentId !== null &&
                add.mutate({ id: team.data.id, residentId }, { onSuccess: () => setResidentId(null) })
              }
            >
              {t('volunteers.addMember')}
            </Button>
          </Space>
          {add.isError ? <Alert type="error" showIcon message={errorOf(add.error)} /> : null}
          <Table
            rowKey="residentId"
            size="small"
            pagination={false}
            dataSource={team.data.items}
            columns={[
              { title: t('volunteers.name'), dataIndex: 'name' },
              { title: t('volunteers.kind'), render: (_, m) => t(`volunteers.volunteerKinds.${m.kind}`) },
              {
                title: t('volunteers.leader'),
                render: (_, m) => (m.role === 'leader' ? <Tag color="gold">★</Tag> : null),
              },
              {
                title: '',
                render: (_, m) => (
                  <Button
                    size="small"
                    danger
                    onClick={() => remove.mutate({ id: team.data.id, residentId: m.residentId })}
                  >
                    {t('volunteers.remove')}
                  </Button>
                ),
              },
            ]}
          />
        </>
      ) : null}
    </Drawer>
  );
}

export function NewTeamDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer open={open} onClose={onClose} title={t('volunteers.newTeam')} size={420} destroyOnHidden>
      <NewTeamForm onClose={onClose} />
    </Drawer>
  );
}

/** The form of {@link NewTeamDrawer}. */
export function NewTeamForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateTeam();
  const [form] = Form.useForm<{
    nodeId: number;
    name: string;
    kind: TeamKind;
    description?: string;
    leaderUserId?: number | null;
  }>();
  const nodeId = Form.useWatch('nodeId', form);
  // the leader is an account (GET /api/users): only who may read accounts can pick one (a grid worker cannot)
  const { canReadUsers } = useAccess();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ kind: 'volunteer' }}
      onFinish={(v) => create.mutate(teamCreateBody(v), { onSuccess: onClose })}
      onValuesChange={(changed) => {
        // the leader is picked among the accounts of the chosen area: a new area clears the choice
        if ('nodeId' in changed) form.setFieldValue('leaderUserId', null);
      }}
    >
      <Form.Item name="name" label={t('volunteers.name')} rules={[{ required: true, max: 60 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="kind" label={t('volunteers.kind')}>
        <Select options={TEAM_KINDS.map((k) => ({ value: k, label: t(`volunteers.teamKinds.${k}`) }))} />
      </Form.Item>
      <Form.Item name="nodeId" label={t('volunteers.node')} rules={[{ required: true }]}>
        <NodeSearchSelect data-testid="team-node" />
      </Form.Item>
      {canReadUsers ? (
        <Form.Item name="leaderUserId" label={t('volunteers.leaderAccount')} extra={t('volunteers.leaderHint')}>
          {nodeId ? (
            <AssigneeSelect nodeId={nodeId} data-testid="team-leader" />
          ) : (
            <Select disabled data-testid="team-leader" placeholder={t('volunteers.leaderHint')} />
          )}
        </Form.Item>
      ) : null}
      <Form.Item name="description" label={t('volunteers.description')}>
        <Input.TextArea maxLength={500} />
      </Form.Item>
      {create.isError ? <Alert type="error" showIcon message={errorOf(create.error)} /> : null}
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        {t('volunteers.save')}
      </Button>
    </Form>
  );
}

export function EnrolDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer open={open} onClose={onClose} title={t('volunteers.enrol')} size={420} destroyOnHidden>
      <EnrolForm onClose={onClose} />
    </Drawer>
  );
}

/** The form of {@link EnrolDrawer}. */
export function EnrolForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const enrol = useEnrol();
  return (
    <Form<{ residentId: number; kind: VolunteerKind; skills: string[] }>
      layout="vertical"
      initialValues={{ kind: 'resident', skills: [] }}
      onFinish={(v) => enrol.mutate(v, { onSuccess: onClose })}
    >
      <Form.Item name="residentId" label={t('volunteers.resident')} rules={[{ required: true }]}>
        <ResidentSearchSelect data-testid="enrol-resident" />
      </Form.Item>
      <Form.Item name="kind" label={t('volunteers.kind')}>
        <Select options={VOLUNTEER_KINDS.map((k) => ({ value: k, label: t(`volunteers.volunteerKinds.${k}`) }))} />
      </Form.Item>
      <Form.Item name="skills" label={t('volunteers.skills')}>
        <Select
          mode="multiple"
          options={SKILL_CODES.map((s) => ({ value: s, label: t(`volunteers.skillNames.${s}`) }))}
        />
      </Form.Item>
      {enrol.isError ? <Alert type="error" showIcon message={errorOf(enrol.error)} /> : null}
      <Button type="primary" htmlType="submit" loading={enrol.isPending}>
        {t('volunteers.save')}
      </Button>
    </Form>
  );
}

function TeamsTab() {
  const { t } = useTranslation();
  const teams = useTeams();
  const update = useUpdateTeam();
  const [open, setOpen] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const columns: ColumnsType<Team> = [
    {
      title: t('volunteers.name'),
      dataIndex: 'name',
      render: (v, r) => (
        <Button type="link" size="small" onClick={() => setOpen(r.id)}>
          {v}
        </Button>
      ),
    },
    { title: t('volunteers.kind'), render: (_, r) => t(`volunteers.teamKinds.${r.kind}`) },
    { title: t('volunteers.node'), dataIndex: 'nodeName' },
    { title: t('volunteers.leader'), render: (_, r) => r.leaderName ?? '—' },
    { title: t('volunteers.members'), dataIndex: 'members', align: 'right' },
    {
      title: t('volunteers.active'),
      render: (_, r) => (
        <Switch size="small" checked={r.active} onChange={(active) => update.mutate({ id: r.id, active })} />
      ),
    },
  ];
  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setCreating(true)}>
        {t('volunteers.newTeam')}
      </Button>
      {teams.isError ? <Alert type="error" showIcon message={errorOf(teams.error)} /> : null}
      <Table<Team>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={teams.data?.items ?? []}
        loading={teams.isLoading}
      />
      <TeamDrawer id={open} onClose={() => setOpen(null)} />
      <NewTeamDrawer open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function VolunteersTab() {
  const { t } = useTranslation();
  const [query, setQuery] = useState<VolunteerQuery>({ page: 1 });
  const list = useVolunteers(query);
  const update = useUpdateVolunteer();
  const [enrolling, setEnrolling] = useState(false);
  const columns: ColumnsType<Volunteer> = [
    { title: t('volunteers.name'), dataIndex: 'name' },
    { title: t('volunteers.node'), dataIndex: 'nodeName' },
    { title: t('volunteers.kind'), render: (_, r) => t(`volunteers.volunteerKinds.${r.kind}`) },
    {
      title: t('volunteers.skills'),
      render: (_, r) => r.skills.map((s) => <Tag key={s}>{t(`volunteers.skillNames.${s}`, { defaultValue: s })}</Tag>),
    },
    { title: t('volunteers.teams'), render: (_, r) => r.teams.join('、') || '—' },
    { title: t('volunteers.attended'), dataIndex: 'attended', align: 'right' },
    {
      title: t('volunteers.noShows'),
      dataIndex: 'noShows',
      align: 'right',
      render: (v: number) => (v > 0 ? <Tag color="orange">{v}</Tag> : 0),
    },
    {
      title: t('volunteers.available'),
      render: (_, r) => (
        <Switch
          size="small"
          checked={r.available}
          onChange={(available) => update.mutate({ residentId: r.residentId, available })}
        />
      ),
    },
  ];
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('volunteers.search')}
          onSearch={(q) => setQuery({ ...query, q: q || undefined, page: 1 })}
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('volunteers.filterKind')}
          onChange={(kind?: VolunteerKind) => setQuery({ ...query, kind, page: 1 })}
          options={VOLUNTEER_KINDS.map((k) => ({ value: k, label: t(`volunteers.volunteerKinds.${k}`) }))}
        />
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('volunteers.filterSkill')}
          onChange={(skill?: string) => setQuery({ ...query, skill, page: 1 })}
          options={SKILL_CODES.map((s) => ({ value: s, label: t(`volunteers.skillNames.${s}`) }))}
        />
        <Button type="primary" onClick={() => setEnrolling(true)}>
          {t('volunteers.enrol')}
        </Button>
      </Space>
      {list.isError ? <Alert type="error" showIcon message={errorOf(list.error)} /> : null}
      <Table<Volunteer>
        rowKey="residentId"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        pagination={{
          current: query.page ?? 1,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: (page) => setQuery({ ...query, page }),
        }}
      />
      <EnrolDrawer open={enrolling} onClose={() => setEnrolling(false)} />
    </>
  );
}

/** 志愿队伍 (/volunteers): teams with their members, and the volunteers of the area. */
export function VolunteerTeamsView() {
  const { t } = useTranslation();
  return (
    <Card title={t('volunteers.teamsTitle')} data-testid="volunteer-teams">
      <Tabs
        items={[
          { key: 'teams', label: t('volunteers.teamsTitle'), children: <TeamsTab /> },
          { key: 'volunteers', label: t('volunteers.volunteersTitle'), children: <VolunteersTab /> },
        ]}
      />
    </Card>
  );
}

// ---- activities (/volunteers/activities) ------------------------------------------------------------------------

type ActivityForm = {
  nodeId?: number;
  title: string;
  activityType: string;
  place: string;
  range: [Dayjs, Dayjs];
  capacity?: number | null;
  rewardCurrency: 'points' | 'hours' | 'conduct';
  rewardAmount?: number | null;
  description?: string | null;
};

export function ActivityDrawer({
  open,
  activity,
  onClose,
}: {
  open: boolean;
  activity: Activity | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={460}
      title={activity ? t('volunteers.edit') : t('volunteers.newActivity')}
      destroyOnHidden
    >
      <ActivityEditor activity={activity} onClose={onClose} />
    </Drawer>
  );
}

/** The form of {@link ActivityDrawer}: a new activity (with its area) or the changes of one. */
export function ActivityEditor({ activity, onClose }: { activity: Activity | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveActivity();
  const initial: Partial<ActivityForm> = activity
    ? {
        title: activity.title,
        activityType: activity.activityType,
        place: activity.place,
        range: [dayjs(activity.startsAt), dayjs(activity.endsAt)],
        capacity: activity.capacity,
        rewardCurrency: activity.rewardCurrency,
        rewardAmount: activity.rewardAmount,
        description: activity.description,
      }
    : { activityType: 'health_walk', rewardCurrency: 'points' };
  return (
    <Form<ActivityForm>
      layout="vertical"
      initialValues={initial}
      onFinish={(v) =>
        save.mutate(
          {
            ...(activity ? { id: activity.id } : { nodeId: v.nodeId }),
            title: v.title,
            activityType: v.activityType,
            place: v.place,
            startsAt: v.range[0].toISOString(),
            endsAt: v.range[1].toISOString(),
            capacity: v.capacity ?? null,
            rewardCurrency: v.rewardCurrency,
            rewardAmount: v.rewardAmount ?? null,
            description: v.description || null,
          },
          { onSuccess: onClose },
        )
      }
    >
      {activity ? null : (
        <Form.Item name="nodeId" label={t('volunteers.node')} rules={[{ required: true }]}>
          <NodeSearchSelect data-testid="activity-node" />
        </Form.Item>
      )}
      <Form.Item name="title" label={t('volunteers.title')} rules={[{ required: true, max: 60 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="activityType" label={t('volunteers.activityType')}>
        <Select options={ACTIVITY_TYPES.map((c) => ({ value: c, label: t(`volunteers.types.${c}`) }))} />
      </Form.Item>
      <Form.Item name="place" label={t('volunteers.place')} rules={[{ required: true, max: 100 }]}>
        <Input />
      </Form.Item>
      <Form.Item
        name="range"
        label={`${t('volunteers.startsAt')} — ${t('volunteers.endsAt')}`}
        rules={[{ required: true }]}
      >
        <DatePicker.RangePicker showTime format="YYYY-MM-DD HH:mm" />
      </Form.Item>
      <Form.Item name="capacity" label={t('volunteers.capacity')}>
        <InputNumber min={1} max={10000} placeholder={t('volunteers.unlimited')} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="rewardCurrency" label={t('volunteers.rewardCurrency')}>
        <Select
          options={(['points', 'hours', 'conduct'] as const).map((c) => ({
            value: c,
            label: t(`volunteers.currencies.${c}`),
          }))}
        />
      </Form.Item>
      <Form.Item name="rewardAmount" label={t('volunteers.rewardAmount')} extra={t('volunteers.rewardHint')}>
        <InputNumber min={1} max={100000} placeholder={t('volunteers.byRule')} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="description" label={t('volunteers.description')}>
        <Input.TextArea maxLength={2000} />
      </Form.Item>
      {save.isError ? <Alert type="error" showIcon message={errorOf(save.error)} /> : null}
      <Button type="primary" htmlType="submit" loading={save.isPending}>
        {t('volunteers.save')}
      </Button>
    </Form>
  );
}

function rewardText(t: TFunction, a: Activity): string {
  if (a.rewardAmount === null) return t('volunteers.byRule');
  return `${rewardValue(a.rewardAmount, a.rewardCurrency)} ${t(`volunteers.currencies.${a.rewardCurrency}`)}`;
}

/** 志愿活动: the area's activities, latest first; a drawer to publish one. */
export function ActivitiesView() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const list = useActivities({ ...(status ? { status } : {}), page });
  const [creating, setCreating] = useState(false);
  const columns: ColumnsType<Activity> = [
    {
      title: t('volunteers.title'),
      dataIndex: 'title',
      render: (v, r) => <Link to={`/volunteers/activities/${r.id}`}>{v}</Link>,
    },
    {
      title: t('volunteers.activityType'),
      render: (_, r) => t(`volunteers.types.${r.activityType}`, { defaultValue: r.activityType }),
    },
    { title: t('volunteers.startsAt'), render: (_, r) => time(r.startsAt) },
    { title: t('volunteers.place'), dataIndex: 'place' },
    { title: t('volunteers.node'), dataIndex: 'nodeName' },
    {
      title: t('volunteers.signups'),
      align: 'right',
      render: (_, r) => (r.capacity === null ? r.signedUp : `${r.signedUp} / ${r.capacity}`),
    },
    { title: t('volunteers.reward'), render: (_, r) => rewardText(t, r) },
    { title: t('volunteers.status'), render: (_, r) => <Tag>{t(`volunteers.statuses.${r.status}`)}</Tag> },
  ];
  return (
    <Card title={t('volunteers.activitiesTitle')} data-testid="activities-list">
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('volunteers.status')}
          onChange={(s?: string) => {
            setStatus(s);
            setPage(1);
          }}
          options={(['published', 'ended', 'cancelled'] as const).map((s) => ({
            value: s,
            label: t(`volunteers.statuses.${s}`),
          }))}
        />
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('volunteers.newActivity')}
        </Button>
      </Space>
      {list.isError ? <Alert type="error" showIcon message={errorOf(list.error)} /> : null}
      <Table<Activity>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        onRow={(r) => ({ onDoubleClick: () => navigate(`/volunteers/activities/${r.id}`) })}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
      />
      <ActivityDrawer open={creating} activity={null} onClose={() => setCreating(false)} />
    </Card>
  );
}

/** The check-in QR shown large (for a projector), fetched again every minute. */
export function CheckinQr({ id, size = 360 }: { id: number; size?: number }) {
  const { t } = useTranslation();
  const code = useCheckinCode(id);
  if (code.isError) return <Alert type="warning" showIcon message={errorOf(code.error)} />;
  if (!code.data) return null;
  return (
    <div style={{ textAlign: 'center' }} data-testid="checkin-qr">
      <QrCode value={code.data.qr} size={size} label={t('volunteers.checkinCode')} />
      <div style={{ fontSize: 48, letterSpacing: 8, fontWeight: 600 }}>{code.data.code}</div>
      <Typography.Paragraph type="secondary">{t('volunteers.checkinHint')}</Typography.Paragraph>
    </div>
  );
}

/** One activity: details, sign-ups with attendance switches, the check-in QR. */
export function ActivityDetailView({ id }: { id: number }) {
  const { t } = useTranslation();
  const activity = useActivity(id);
  const signups = useSignups(id);
  const attendance = useAttendance();
  const cancel = useCancelActivity();
  const [editing, setEditing] = useState(false);
  const a = activity.data;
  if (activity.isError) return <Alert type="error" showIcon message={errorOf(activity.error)} />;
  if (!a) return <Card loading />;
  const open = a.status === 'published';
  const columns: ColumnsType<Signup> = [
    { title: t('volunteers.name'), dataIndex: 'name' },
    { title: t('volunteers.status'), render: (_, s) => t(`volunteers.signupStatuses.${s.status}`) },
    { title: t('volunteers.checkedInAt'), render: (_, s) => time(s.checkedInAt) },
    {
      title: t('volunteers.present'),
      render: (_, s) => (
        <Switch
          size="small"
          disabled={!open || s.status !== 'signed_up'}
          checked={s.checkedInAt !== null}
          onChange={(attended) => attendance.mutate({ id, residentId: s.residentId, attended })}
        />
      ),
    },
    {
      title: t('volunteers.credited'),
      render: (_, s) => (s.credited === null ? '—' : rewardValue(s.credited, a.rewardCurrency)),
    },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title={a.title}
        extra={
          <Space>
            <Link to="/volunteers/activities">{t('volunteers.back')}</Link>
            {open ? <Button onClick={() => setEditing(true)}>{t('volunteers.edit')}</Button> : null}
            {open ? (
              <Popconfirm title={t('volunteers.cancelConfirm')} onConfirm={() => cancel.mutate(id)}>
                <Button danger>{t('volunteers.cancelActivity')}</Button>
              </Popconfirm>
            ) : null}
          </Space>
        }
      >
        <Typography.Paragraph>
          <Tag>{t(`volunteers.statuses.${a.status}`)}</Tag>{' '}
          {t(`volunteers.types.${a.activityType}`, { defaultValue: a.activityType })}
          {' · '}
          {time(a.startsAt)} — {time(a.endsAt)} · {a.place} · {a.nodeName}
        </Typography.Paragraph>
        <Typography.Paragraph>
          {t('volunteers.signups')}: {a.signedUp}
          {a.capacity !== null ? ` / ${a.capacity}` : ''} · {t('volunteers.checkedIn')}: {a.checkedIn} ·{' '}
          {t('volunteers.reward')}: {rewardText(t, a)}
        </Typography.Paragraph>
        {a.description ? <Typography.Paragraph>{a.description}</Typography.Paragraph> : null}
      </Card>
      <Tabs
        items={[
          {
            key: 'signups',
            label: t('volunteers.attendance'),
            children: (
              <Table<Signup>
                rowKey="residentId"
                size="small"
                columns={columns}
                dataSource={signups.data?.items ?? []}
                loading={signups.isLoading}
                pagination={false}
              />
            ),
          },
          ...(open ? [{ key: 'qr', label: t('volunteers.checkinCode'), children: <CheckinQr id={id} /> }] : []),
        ]}
      />
      <ActivityDrawer open={editing} activity={a} onClose={() => setEditing(false)} />
    </Space>
  );
}
