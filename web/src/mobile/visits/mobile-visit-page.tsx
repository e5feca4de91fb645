import './visits.css';
import { useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Collapse,
  ErrorBlock,
  type ImageUploadItem,
  Input,
  List,
  NoticeBar,
  Result,
  Selector,
  SpinLoading,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { formatTime } from '../../ui/time';
import { fileIdsOf, PhotoField } from '../cases/photo-field';
import { useCaseCategories } from '../cases/use-phone-cases';
import { recordVisit, useOnline, useVisitCase, useVisitTask } from './use-phone-visits';
import { HELP_CATEGORY_CODE, type HealthDraft, healthOf, newClientId, OUTCOMES, taskLabel } from './visit-logic';
import type { VisitDetail, VisitInput, VisitOutcome, VisitTaskDetail } from './visit-types';

/** Whom a visit is for: a task, or (户户到, without a task) a household or a resident. */
export type VisitSubject = { taskId: number } | { householdId: number } | { residentId: number };

/** Back to where the form was opened from (the list), or to `fallback` when the page was opened directly. */
function useBack(fallback: string) {
  const navigate = useNavigate();
  return () => {
    const idx = (window.history.state as { idx?: number } | null)?.idx ?? 0;
    if (idx > 0) navigate(-1);
    else navigate(fallback, { replace: true });
  };
}

/** /m/visits/:taskId — a task and its visit form (works offline from the list's row when the detail cannot come). */
export function MobileVisitTaskPage() {
  const { t } = useTranslation();
  const id = Number(useParams().taskId);
  const valid = Number.isInteger(id) && id > 0;
  const task = useVisitTask(valid ? id : 0);
  const back = useBack('/m/visits');
  if (!valid) return <ErrorBlock status="empty" title={t('common.notFound')} description="" />;
  if (!task.data) {
    if (task.error) {
      return <ErrorBlock status="default" title={task.error instanceof Error ? task.error.message : ''} />;
    }
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  return <VisitTaskView task={task.data} onDone={back} />;
}

export function VisitTaskView({ task, onDone }: { task: VisitTaskDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const open = task.status === 'open';
  return (
    <div className="m-page" data-testid="m-visit" data-task-id={task.id} data-status={task.status}>
      <div className="m-visit-head">
        <div className="m-visit-person">{task.residentName ?? task.placeLabel}</div>
        {task.residentName ? <div className="m-visit-place">{task.placeLabel}</div> : null}
        <div className="m-visit-reason">
          <Tag color={task.category === 'routine' ? 'primary' : 'warning'} fill="outline">
            {t(`mobileVisits.categories.${task.category}`)}
          </Tag>{' '}
          {task.reason}
        </div>
        <div className={`m-visit-due${task.overdue ? ' m-visit-overdue' : ''}`}>
          {t('mobileVisits.due', { time: formatTime(task.dueAt).slice(0, 16) })}
          {task.attempts > 0 ? ` · ${t('mobileVisits.attempts', { count: task.attempts })}` : ''}
        </div>
        {open ? null : (
          <Tag color={task.status === 'done' ? 'success' : 'default'} data-testid="m-visit-status">
            {t(`mobileVisits.statuses.${task.status}`)}
          </Tag>
        )}
      </div>
      {open && task.can.visit ? (
        <VisitForm subject={{ taskId: task.id }} label={taskLabel(task)} onDone={onDone} />
      ) : null}
      {task.members.length > 0 ? (
        <List header={t('mobileVisits.members')} data-testid="m-visit-members">
          {task.members.map((m) => (
            <List.Item
              key={m.id}
              description={m.tags.length > 0 ? m.tags.join(' · ') : undefined}
              extra={t('mobileVisits.age', { age: m.age })}
            >
              {m.name}
              {m.relation ? <span className="m-muted"> · {m.relation}</span> : null}
            </List.Item>
          ))}
        </List>
      ) : null}
      {[...task.visits, ...task.lastVisits].length > 0 ? (
        <List header={t('mobileVisits.lastVisits')} data-testid="m-visit-history">
          {[...task.visits, ...task.lastVisits].map((v) => (
            <List.Item key={v.id} description={v.note ?? undefined} extra={t(`mobileVisits.outcomes.${v.outcome}`)}>
              {formatTime(v.visitedAt).slice(0, 16)} · {v.visitorName}
            </List.Item>
          ))}
        </List>
      ) : null}
    </div>
  );
}

/** /m/visit/new?householdId= (or residentId=) — a visit without a task (户户到, a linked household). */
export function MobileAdhocVisitPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const state = useLocation().state as { label?: unknown } | null;
  const back = useBack('/m/links');
  const householdId = Number(params.get('householdId'));
  const residentId = Number(params.get('residentId'));
  const subject: VisitSubject | null =
    Number.isInteger(householdId) && householdId > 0
      ? { householdId }
      : Number.isInteger(residentId) && residentId > 0
        ? { residentId }
        : null;
  if (!subject) return <ErrorBlock status="empty" title={t('common.notFound')} description="" />;
  const label =
    typeof state?.label === 'string' && state.label
      ? state.label
      : 'householdId' in subject
        ? t('mobileVisits.householdNo', { id: subject.householdId })
        : t('mobileVisits.residentNo', { id: residentId });
  return (
    <div className="m-page" data-testid="m-visit-adhoc">
      <div className="m-visit-head">
        <div className="m-visit-person">{label}</div>
        <div className="m-visit-reason">{t('mobileVisits.adhocHint')}</div>
      </div>
      <VisitForm subject={subject} label={label} onDone={back} />
    </div>
  );
}

const HEALTH_NUMBERS = ['systolic', 'diastolic', 'heartRate', 'temperature', 'bloodSugar'] as const;

/**
 * The visit form: the outcome as three big buttons (tap 2 from the list), an optional note, photos and health
 * observations (folded), and 提交 (tap 3). Sent at once with signal, queued without (the same clientId either
 * way, made when the form opened). After 需要帮助 the visitor may open a case in one more tap.
 */
export function VisitForm({ subject, label, onDone }: { subject: VisitSubject; label: string; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const me = useSignedInUser();
  const [clientId] = useState(newClientId);
  const [outcome, setOutcome] = useState<VisitOutcome | null>(null);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [isUploading, setUploading] = useState(false);
  const [health, setHealth] = useState<HealthDraft>({});
  const [healthOpen, setHealthOpen] = useState<string[]>([]);
  const [isSending, setSending] = useState(false);
  const [helped, setHelped] = useState<VisitDetail | null>(null);
  const offline = !useOnline();

  if (helped) return <HelpCase visit={helped} onDone={onDone} />;

  const submit = async () => {
    if (!outcome || !me) return;
    const observed = healthOf(health);
    if (observed.invalid.length > 0) {
      setHealthOpen(['health']);
      Toast.show({
        icon: 'fail',
        content: t('mobileVisits.healthInvalid', {
          fields: observed.invalid.map((k) => t(`mobileVisits.healthFields.${k}`)).join('、'),
        }),
      });
      return;
    }
    const body: VisitInput = { clientId, ...subject, visitedAt: new Date().toISOString(), outcome };
    const text = note.trim();
    if (text) body.note = text;
    if (observed.health) body.health = observed.health;
    const fileIds = fileIdsOf(photos);
    if (fileIds.length > 0) body.fileIds = fileIds;
    setSending(true);
    try {
      const result = await recordVisit(queryClient, me.user.id, body, label);
      if (result.kind === 'queued') {
        Toast.show({
          icon: 'success',
          content: t(outcome === 'needs_help' ? 'mobileVisits.queuedHelp' : 'mobileVisits.queued'),
        });
        onDone();
      } else if (outcome === 'needs_help' && result.recorded.visit.caseId === null) {
        setHelped(result.recorded.visit);
      } else {
        Toast.show({
          icon: 'success',
          content: t(outcome === 'not_home' ? 'mobileVisits.sentNotHome' : 'mobileVisits.sent'),
        });
        onDone();
      }
    } catch (error) {
      Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="m-visit-form" data-testid="m-visit-form">
      {offline ? (
        <NoticeBar color="alert" wrap content={t('mobileVisits.offline')} data-testid="m-visit-offline" />
      ) : null}
      <div className="m-visit-group-head">{t('mobileVisits.outcome')}</div>
      <div className="m-visit-outcomes">
        {OUTCOMES.map((o) => (
          <Button
            key={o}
            block
            size="large"
            aria-pressed={outcome === o}
            color={o === 'needs_help' ? 'danger' : o === 'well' ? 'success' : 'default'}
            fill={outcome === o ? 'solid' : 'outline'}
            className="m-visit-outcome"
            onClick={() => setOutcome(o)}
            data-testid={`m-visit-outcome-${o}`}
            data-selected={outcome === o}
          >
            {t(`mobileVisits.outcomes.${o}`)}
          </Button>
        ))}
      </div>
      <List header={t('mobileVisits.note')}>
        <List.Item>
          <TextArea
            value={note}
            onChange={setNote}
            placeholder={t('mobileVisits.notePlaceholder')}
            maxLength={1000}
            rows={2}
            showCount
            aria-label={t('mobileVisits.note')}
            data-testid="m-visit-note"
          />
        </List.Item>
      </List>
      <List header={t('mobileVisits.photos')}>
        <List.Item>
          <PhotoField value={photos} onChange={setPhotos} onBusy={setUploading} testId="m-visit-photos" />
        </List.Item>
      </List>
      <Collapse activeKey={healthOpen} onChange={(keys) => setHealthOpen(keys)} data-testid="m-visit-health">
        <Collapse.Panel key="health" title={t('mobileVisits.health')}>
          <List>
            {HEALTH_NUMBERS.map((k) => (
              <List.Item key={k} extra={t(`mobileVisits.healthUnits.${k}`)}>
                <Input
                  type="number"
                  inputMode="decimal"
                  value={health[k] ?? ''}
                  onChange={(v) => setHealth((h) => ({ ...h, [k]: v }))}
                  placeholder={t(`mobileVisits.healthFields.${k}`)}
                  aria-label={t(`mobileVisits.healthFields.${k}`)}
                  data-testid={`m-visit-health-${k}`}
                />
              </List.Item>
            ))}
            <List.Item description={t('mobileVisits.healthFields.mood')}>
              <Selector
                columns={3}
                value={health.mood ? [health.mood] : []}
                onChange={(v) => setHealth((h) => ({ ...h, mood: v[0] }))}
                options={(['good', 'fair', 'low'] as const).map((m) => ({
                  value: m,
                  label: t(`mobileVisits.moods.${m}`),
                }))}
              />
            </List.Item>
            <List.Item description={t('mobileVisits.healthFields.mobility')}>
              <Selector
                columns={3}
                value={health.mobility ? [health.mobility] : []}
                onChange={(v) => setHealth((h) => ({ ...h, mobility: v[0] }))}
                options={(['independent', 'assisted', 'bedridden'] as const).map((m) => ({
                  value: m,
                  label: t(`mobileVisits.mobilities.${m}`),
                }))}
              />
            </List.Item>
          </List>
        </Collapse.Panel>
      </Collapse>
      <div className="m-actions">
        <Button
          block
          color="primary"
          size="large"
          loading={isSending}
          disabled={!outcome || isUploading || isSending}
          onClick={submit}
          data-testid="m-visit-submit"
        >
          {isUploading
            ? t('mobileVisits.uploading')
            : outcome
              ? t('mobileVisits.submit')
              : t('mobileVisits.pickOutcome')}
        </Button>
      </div>
    </div>
  );
}

/**
 * After 需要帮助 was recorded: 生成事件 in one more tap, the category 养老助残 chosen already (another may be
 * picked); the person and the place are the visit's.
 */
export function HelpCase({ visit, onDone }: { visit: VisitDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const categories = useCaseCategories();
  const open = useVisitCase(visit.id);
  const leaves = (categories.data ?? []).filter(
    (c) => c.active && c.class === 'community' && !(categories.data ?? []).some((x) => x.parentId === c.id),
  );
  const fallback = leaves.find((c) => c.code === HELP_CATEGORY_CODE) ?? leaves[0] ?? null;
  const [picked, setPicked] = useState<number | null>(null);
  const categoryId = picked ?? fallback?.id ?? null;
  const create = async () => {
    if (categoryId === null) return;
    try {
      const done = await open.mutateAsync({ categoryId });
      Toast.show({ icon: 'success', content: t('mobileVisits.caseCreated', { no: done.caseNo ?? '' }) });
      onDone();
    } catch (error) {
      Toast.show({ icon: 'fail', content: error instanceof Error ? error.message : t('errors.unknown') });
    }
  };
  return (
    <div className="m-visit-help" data-testid="m-visit-help" data-visit-id={visit.id}>
      <Result status="warning" title={t('mobileVisits.helpTitle')} description={t('mobileVisits.helpHint')} />
      <List header={t('mobileVisits.caseCategory')}>
        <List.Item>
          {categories.isLoading ? (
            <SpinLoading />
          ) : (
            <Selector
              columns={3}
              value={categoryId === null ? [] : [categoryId]}
              onChange={(v) => {
                if (v[0] !== undefined) setPicked(v[0]);
              }}
              options={leaves.map((c) => ({ value: c.id, label: c.name }))}
              data-testid="m-visit-case-category"
            />
          )}
        </List.Item>
      </List>
      <div className="m-actions">
        <Button
          block
          size="large"
          color="danger"
          loading={open.isPending}
          disabled={categoryId === null}
          onClick={create}
          data-testid="m-visit-case-submit"
        >
          {t('mobileVisits.createCase')}
        </Button>
        <Button block fill="none" onClick={onDone} data-testid="m-visit-case-later">
          {t('mobileVisits.caseLater')}
        </Button>
      </div>
    </div>
  );
}
