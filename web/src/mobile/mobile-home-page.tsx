import { Badge, ErrorBlock, Grid, List, SpinLoading } from 'antd-mobile';
import {
  BellOutline,
  CheckShieldOutline,
  EditSOutline,
  FileOutline,
  HeartOutline,
  SearchOutline,
  TeamOutline,
} from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { getAccess } from '../access';
import type { Me, WorkbenchCard } from '../api-types';
import { useSignedInUser } from '../features/auth/hooks/use-access';
import { useMyTasks } from '../features/my-tasks/hooks/use-my-tasks';
import { useBuildingsUnder } from '../features/org/hooks/use-buildings-under';
import { useWorkbench } from '../features/workbench/hooks/use-workbench';
import { alarmAccess } from './alarms/alarm-logic';
import { useAlarmCounts, useFamilyAlarms, useLiveAlarms, useWatched } from './alarms/use-phone-alarms';
// assessment [C2]
import { MyAssessmentEntry } from './assessment/mobile-assessment-page';
import { caseAccess } from './cases/case-access';
import { MyHouseholdView } from './mobile-household';
import { MyNoticesEntry } from './notices/mobile-notices-page';
// points [A]
import { MyPointsEntry } from './points/mobile-points-page';
import { PoliciesEntry } from './policies/mobile-policies-page';
// ---- privacy [E] ----
import { MyDataEntry } from './privacy/mobile-privacy-page';
// ---- end privacy [E] ----
import { TaskItems } from './tasks/task-items';
import { VisitsEntries } from './visits/visits-entry';

/**
 * The phone home. Someone who reads people (a grid worker, a building leader) sees their area's figures and the
 * buildings they look after, each opening its map; everyone else (a resident) sees their own household and house.
 */
export function MobileHomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const access = me ? getAccess(me) : null;
  const cases = caseAccess(me);
  // devices [G]: 预警 for those who read an area's devices, 家人预警 for family contacts of a watched person
  const alarms = alarmAccess(me);
  const isFamily = (useWatched(Boolean(me)).data?.items.length ?? 0) > 0;
  // grid work [F]: whoever handles cases or alarms, or visits, has a task list
  const worker = cases.canHandle || alarms.canHandle || Boolean(access?.canDoVisits);
  // … and anyone else may have some (a linked party member's visits, 一网三联): the entry shows when they do
  const ownTasks = (useMyTasks(null, 5, Boolean(me)).data?.counts.total ?? 0) > 0;
  // points and volunteering: a resident's own points, activities and time bank; a merchant's counter; a partner's side
  const selfService = Boolean(access?.hasResidentRecord || access?.canRedeemPoints || access?.canActAsPartner);
  return (
    <div className="m-page" data-testid="m-home">
      {access?.canReadPeople && me ? (
        <>
          <List header={t('mobile.entries')}>
            {alarms.canRead ? <AlarmsEntry /> : null}
            {isFamily ? <FamilyEntry /> : null}
            {worker ? <TasksEntry /> : null}
            <VisitsEntries />
            {/* ---- points [A] worker entries ---- */}
            {/* ---- end points [A] worker entries ---- */}
            {/* ---- policies [A3] worker entries ---- */}
            <PoliciesEntry />
            {/* ---- end policies [A3] worker entries ---- */}
            {/* ---- assessment [C2] worker entries ---- */}
            <MyAssessmentEntry />
            {/* ---- end assessment [C2] worker entries ---- */}
            {/* ---- dashboard [D] worker entries ---- */}
            {/* ---- end dashboard [D] worker entries ---- */}
            {/* ---- deliberation [A] worker entries ---- */}
            {access.canVerifyResidents ? (
              <List.Item
                prefix={<TeamOutline className="m-entry-icon" />}
                description={t('deliberation.verify.needHint')}
                onClick={() => navigate('/m/deliberation/verifications')}
                data-testid="m-entry-verifications"
              >
                {t('deliberation.verifications.title')}
              </List.Item>
            ) : null}
            {/* ---- end deliberation [A] worker entries ---- */}
            {/* ---- points [B] worker entries ---- */}
            {access.canDoVisits || access.canManagePoints ? (
              <List.Item
                prefix={<CheckShieldOutline className="m-entry-icon" />}
                description={t('earning.garbage.entryHint')}
                onClick={() => navigate('/m/garbage')}
                data-testid="m-entry-garbage"
              >
                {t('earning.garbage.entry')}
              </List.Item>
            ) : null}
            {/* ---- end points [B] worker entries ---- */}
            {/* ---- points [C] worker entries ---- */}
            {/* ---- end points [C] worker entries ---- */}
            {/* ---- points [G] worker entries ---- */}
            {/* ---- end points [G] worker entries ---- */}
            {/* ---- volunteers [D] worker entries ---- */}
            {access.canManageVolunteers ? (
              <List.Item
                prefix={<HeartOutline className="m-entry-icon" />}
                description={t('volunteers.phoneWorkerEntryHint')}
                onClick={() => navigate('/m/activities')}
                data-testid="m-entry-activities-worker"
              >
                {t('volunteers.phoneWorkerEntry')}
              </List.Item>
            ) : null}
            {/* ---- end volunteers [D] worker entries ---- */}
            {/* ---- timebank [E] worker entries ---- */}
            {access.canManageVolunteers ? (
              <List.Item
                prefix={<HeartOutline className="m-entry-icon" />}
                description={t('timebank.phone.awaiting')}
                onClick={() => navigate('/m/timebank')}
                data-testid="m-entry-timebank"
              >
                {t('timebank.title')}
              </List.Item>
            ) : null}
            {/* ---- end timebank [E] worker entries ---- */}
            {/* ---- partners [F] worker entries ---- */}
            {/* ---- end partners [F] worker entries ---- */}
            {cases.canHandle || access.canDoVisits ? (
              <List.Item
                prefix={<SearchOutline className="m-entry-icon" />}
                description={t('mobileCases.patrolHint')}
                onClick={() => navigate('/m/patrol')}
                data-testid="m-entry-patrol"
              >
                {t('mobileCases.patrol')}
              </List.Item>
            ) : null}
            <List.Item
              prefix={<TeamOutline className="m-entry-icon" />}
              description={t('mobile.residentsHint')}
              onClick={() => navigate('/m/residents')}
              data-testid="m-entry-residents"
            >
              {t('mobile.residents')}
            </List.Item>
          </List>
          {worker ? <NewTasks /> : null}
          <AreaFigures />
          <MyBuildings me={me} />
        </>
      ) : (
        <>
          {ownTasks || cases.canReport || isFamily || selfService ? (
            <List header={t('mobile.entries')}>
              {ownTasks ? <TasksEntry /> : null}
              {isFamily ? <FamilyEntry /> : null}
              <VisitsEntries />
              {/* ---- points [A] resident entries ---- */}
              <MyPointsEntry />
              {/* ---- end points [A] resident entries ---- */}
              {/* ---- points [B] resident entries ---- */}
              {/* ---- end points [B] resident entries ---- */}
              {/* ---- points [C] resident entries ---- */}
              {/* ---- end points [C] resident entries ---- */}
              {/* ---- points [G] resident entries ---- */}
              {access?.canRedeemPoints ? (
                <List.Item
                  description={t('redeem.entryHint')}
                  onClick={() => navigate('/m/merchant')}
                  data-testid="m-entry-counter"
                >
                  {t('redeem.entry')}
                </List.Item>
              ) : null}
              {/* ---- end points [G] resident entries ---- */}
              {/* ---- volunteers [D] resident entries ---- */}
              {access?.hasResidentRecord ? (
                <List.Item
                  prefix={<HeartOutline className="m-entry-icon" />}
                  description={t('volunteers.phoneEntryHint')}
                  onClick={() => navigate('/m/activities')}
                  data-testid="m-entry-activities"
                >
                  {t('volunteers.phoneEntry')}
                </List.Item>
              ) : null}
              {/* ---- end volunteers [D] resident entries ---- */}
              {/* ---- timebank [E] resident entries ---- */}
              {access?.hasResidentRecord ? (
                <List.Item
                  prefix={<HeartOutline className="m-entry-icon" />}
                  description={t('timebank.phone.recordHint')}
                  onClick={() => navigate('/m/timebank')}
                  data-testid="m-entry-timebank"
                >
                  {t('timebank.title')}
                </List.Item>
              ) : null}
              {/* ---- end timebank [E] resident entries ---- */}
              {/* ---- services [C] resident entries ---- */}
              {access?.hasResidentRecord ? (
                <List.Item
                  prefix={<HeartOutline className="m-entry-icon" />}
                  description={
                    t('services.canteen.title') +
                    ' · ' +
                    t('services.directory.title') +
                    ' · ' +
                    t('services.repair.title')
                  }
                  onClick={() => navigate('/m/services')}
                  data-testid="m-entry-services"
                >
                  {t('services.title')}
                </List.Item>
              ) : null}
              {/* ---- end services [C] resident entries ---- */}
              {/* ---- partners [F] resident entries ---- */}
              {access?.canActAsPartner ? (
                <List.Item
                  prefix={<HeartOutline className="m-entry-icon" />}
                  description={t('partners.entryHint')}
                  onClick={() => navigate('/m/partner')}
                  data-testid="m-entry-partner"
                >
                  {t('partners.entry')}
                </List.Item>
              ) : null}
              {/* ---- end partners [F] resident entries ---- */}
              {/* ---- deliberation [A] resident entries ---- */}
              <List.Item
                prefix={<TeamOutline className="m-entry-icon" />}
                description={t('deliberation.mobile.entryHint')}
                onClick={() => navigate('/m/deliberation')}
                data-testid="m-entry-deliberation"
              >
                {t('deliberation.mobile.title')}
              </List.Item>
              {/* ---- end deliberation [A] resident entries ---- */}
              {/* ---- notices [B] resident entries ---- */}
              <MyNoticesEntry />
              {/* ---- end notices [B] resident entries ---- */}
              {/* ---- privacy [E] resident entries ---- */}
              <MyDataEntry />
              {/* ---- end privacy [E] resident entries ---- */}
              {/* ---- machinery [D] resident entries ---- */}
              {access?.hasResidentRecord || access?.canActAsPartner ? (
                <List.Item
                  prefix={<HeartOutline className="m-entry-icon" />}
                  onClick={() => navigate('/m/machinery')}
                  data-testid="m-entry-machinery"
                >
                  {t('machinery.mobile.title')}
                </List.Item>
              ) : null}
              {/* ---- end machinery [D] resident entries ---- */}

              {cases.canReport ? (
                <>
                  <List.Item
                    prefix={<EditSOutline className="m-entry-icon" />}
                    description={t('mobileCases.reportHint')}
                    onClick={() => navigate('/m/report')}
                    data-testid="m-entry-report"
                  >
                    {t('mobileCases.report')}
                  </List.Item>
                  <List.Item
                    prefix={<FileOutline className="m-entry-icon" />}
                    description={t('mobileCases.myCasesHint')}
                    onClick={() => navigate('/m/cases')}
                    data-testid="m-entry-cases"
                  >
                    {t('mobileCases.myCases')}
                  </List.Item>
                </>
              ) : null}
            </List>
          ) : null}
          <MyHouseholdView />
        </>
      )}
      {worker || !access?.canReadPeople ? null : (
        <ErrorBlock status="empty" title={t('mobile.noTasks')} description={t('mobile.noTasksHint')} />
      )}
    </div>
  );
}

/** 预警, with the count of alarms nobody has acknowledged yet, kept current by the live topic. */
function AlarmsEntry() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  useLiveAlarms();
  const waiting = useAlarmCounts().data?.counts.active ?? 0;
  return (
    <List.Item
      prefix={<BellOutline className="m-entry-icon" />}
      description={waiting > 0 ? t('mobileAlarms.waiting', { count: waiting }) : t('mobileAlarms.hint')}
      extra={waiting > 0 ? <Badge content={waiting} /> : null}
      onClick={() => navigate('/m/alarms')}
      data-testid="m-entry-alarms"
    >
      {t('mobileAlarms.title')}
    </List.Item>
  );
}

/** 家人预警, with the count of the family's alarms nobody has acknowledged yet. */
function FamilyEntry() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const waiting = (useFamilyAlarms('open').data?.items ?? []).filter((a) => a.status === 'active').length;
  return (
    <List.Item
      prefix={<HeartOutline className="m-entry-icon" />}
      description={waiting > 0 ? t('mobileAlarms.familyWaiting', { count: waiting }) : t('mobileAlarms.familyHint')}
      extra={waiting > 0 ? <Badge content={waiting} /> : null}
      onClick={() => navigate('/m/family')}
      data-testid="m-entry-family"
    >
      {t('mobileAlarms.familyTitle')}
    </List.Item>
  );
}

/** 我的任务, with how many tasks wait and how many are overdue (GET /api/tasks/mine). */
function TasksEntry() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const counts = useMyTasks(null, 5).data?.counts;
  const total = counts?.total ?? 0;
  const overdue = counts?.overdue ?? 0;
  return (
    <List.Item
      prefix={<CheckShieldOutline className="m-entry-icon" />}
      description={
        total === 0 ? (
          t('tasksMine.entryNone')
        ) : overdue > 0 ? (
          <span className="m-task-late">{t('tasksMine.entry', { total, overdue })}</span>
        ) : (
          t('tasksMine.entryNoOverdue', { total })
        )
      }
      extra={total > 0 ? <Badge content={total} color={overdue > 0 ? undefined : 'var(--adm-color-primary)'} /> : null}
      onClick={() => navigate('/m/tasks')}
      data-testid="m-entry-tasks"
      data-total={total}
      data-overdue={overdue}
    >
      {t('mobileCases.myTasks')}
    </List.Item>
  );
}

/** The first of the caller's tasks (most pressing first), right on the home page; none: 暂无任务. */
function NewTasks() {
  const { t } = useTranslation();
  const list = useMyTasks(null, 5);
  if (list.isLoading) return <SpinLoading color="primary" className="m-center-block" />;
  const items = list.data?.items ?? [];
  if (items.length === 0)
    return <ErrorBlock status="empty" title={t('mobile.noTasks')} description={t('tasksMine.entryNone')} />;
  return (
    <div data-testid="m-new-tasks">
      <List header={t('tasksMine.todo')} />
      <TaskItems items={items} />
    </div>
  );
}

function FiguresGrid({ card }: { card: WorkbenchCard }) {
  const navigate = useNavigate();
  const figures = card.sections.flatMap((s) => (s.key === 'week' ? [] : s.figures));
  return (
    <Grid columns={3} gap={8} className="m-figures">
      {figures.map((f) => {
        // the phone's residents list takes the same filters as the console's
        const to = f.link?.startsWith('/people?') || f.link === '/people' ? `/m/residents${f.link.slice(7)}` : null;
        return (
          <Grid.Item key={f.key} onClick={to ? () => navigate(to) : undefined} data-testid={`m-figure-${f.key}`}>
            <div className="m-figure-value">{f.value}</div>
            <div className="m-figure-label">{f.label}</div>
          </Grid.Item>
        );
      })}
    </Grid>
  );
}

function AreaFigures() {
  const { t } = useTranslation();
  const workbench = useWorkbench();
  const card = workbench.data?.cards.find((c) => c.id === 'people.figures');
  if (workbench.isLoading) return <SpinLoading color="primary" className="m-center-block" />;
  if (!card) return null;
  return (
    <List header={card.area ? t('mobile.figuresOf', { area: card.area }) : card.title}>
      <List.Item>
        <FiguresGrid card={card} />
      </List.Item>
    </List>
  );
}

/** The buildings of the reader's grid (or their own building), each opening the building map. */
function MyBuildings({ me }: { me: Me }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const post = me.posts.find((p) => p.nodeType === 'grid' || p.nodeType === 'micro_grid' || p.nodeType === 'building');
  const buildings = useBuildingsUnder(post?.nodeId ?? null, post?.nodeType ?? null);
  if (!post || !buildings.data || buildings.data.length === 0) return null;
  return (
    <List header={t('mobile.myBuildings')} data-testid="m-buildings">
      {buildings.data.map((b) => (
        <List.Item key={b.id} onClick={() => navigate(`/m/buildings/${b.id}`)}>
          {b.name}
        </List.Item>
      ))}
    </List>
  );
}
