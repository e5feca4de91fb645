import './visits.css';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, ErrorBlock, List, NoticeBar, SpinLoading, Tag } from 'antd-mobile';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { formatTime } from '../../ui/time';
import { discardQueued, retryAllQueued, retryQueued, useMyVisitTasks, useVisitQueue } from './use-phone-visits';
import { groupTasks, type TaskGroups } from './visit-logic';
import { type QueuedVisit, queuedTaskIds } from './visit-queue';
import type { VisitTaskListItem } from './visit-types';

const GROUPS: readonly (keyof TaskGroups<unknown>)[] = ['overdue', 'today', 'week', 'later'];

/**
 * 走访: the caller's open visit tasks, overdue first, then today's, this week's and later ones; a tap opens the
 * visit form. Visits recorded without signal are listed on top (N 条待发送) until they are sent.
 */
export function MobileVisitsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useSignedInUser();
  const queue = useVisitQueue(me?.user.id ?? null);
  const list = useMyVisitTasks();
  if (list.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  const queued = queuedTaskIds(queue);
  const items = (list.data?.items ?? []).filter((task) => !queued.has(task.id));
  const groups = groupTasks(items, new Date());
  return (
    <div className="m-page" data-testid="m-visits">
      <VisitQueueView queue={queue} />
      {list.error && !list.data ? (
        <ErrorBlock status="default" title={list.error instanceof Error ? list.error.message : ''} />
      ) : items.length === 0 ? (
        <ErrorBlock status="empty" title={t('mobileVisits.none')} description={t('mobileVisits.noneHint')} />
      ) : (
        GROUPS.map((key) =>
          groups[key].length === 0 ? null : (
            <div key={key} data-testid={`m-visit-group-${key}`}>
              <div className={`m-visit-group-head${key === 'overdue' ? ' m-visit-overdue' : ''}`}>
                {`${t(`mobileVisits.groups.${key}`)} · ${groups[key].length}`}
              </div>
              <div className="m-visit-list">
                {groups[key].map((task) => (
                  <VisitTaskCard key={task.id} task={task} onOpen={() => navigate(`/m/visits/${task.id}`)} />
                ))}
              </div>
            </div>
          ),
        )
      )}
    </div>
  );
}

/** One task as a card: who, where, why and by when; the whole card opens the visit form. */
export function VisitTaskCard({ task, onOpen }: { task: VisitTaskListItem; onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={`m-visit-card${task.overdue ? ' m-visit-card-overdue' : ''}`}
      onClick={onOpen}
      data-testid="m-visit-card"
      data-task-id={task.id}
      data-overdue={task.overdue}
    >
      <span className="m-visit-card-head">
        <span className="m-visit-person">{task.residentName ?? task.placeLabel}</span>
        <Tag color={task.category === 'routine' ? 'primary' : 'warning'} fill="outline">
          {t(`mobileVisits.categories.${task.category}`)}
        </Tag>
      </span>
      {task.residentName ? <span className="m-visit-place">{task.placeLabel}</span> : null}
      <span className="m-visit-reason">{task.reason}</span>
      <span className={`m-visit-due${task.overdue ? ' m-visit-overdue' : ''}`}>
        {t('mobileVisits.due', { time: formatTime(task.dueAt).slice(0, 16) })}
        {task.attempts > 0 ? ` · ${t('mobileVisits.attempts', { count: task.attempts })}` : ''}
      </span>
    </button>
  );
}

/** The visits waiting to be sent: a count, and each one (a refused one with the server's message and choices). */
export function VisitQueueView({ queue }: { queue: readonly QueuedVisit[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const me = useSignedInUser();
  if (queue.length === 0 || !me) return null;
  const userId = me.user.id;
  return (
    <div className="m-visit-queue" data-testid="m-visit-queue">
      <NoticeBar
        color="alert"
        wrap
        content={
          <span data-testid="m-visit-queue-count">{t('mobileVisits.queue.pending', { count: queue.length })}</span>
        }
        extra={
          <Button size="mini" color="primary" fill="none" onClick={() => void retryAllQueued(queryClient, userId)}>
            {t('mobileVisits.queue.sendNow')}
          </Button>
        }
      />
      <List>
        {queue.map((v) => (
          <List.Item
            key={v.body.clientId}
            data-testid="m-visit-queued"
            data-client-id={v.body.clientId}
            data-refused={v.error !== null}
            description={queuedDescription(t, v)}
            extra={
              v.error ? (
                <span className="m-visit-queued-actions">
                  <Button
                    size="mini"
                    color="primary"
                    onClick={() => void retryQueued(queryClient, userId, v.body.clientId)}
                    data-testid="m-visit-queued-retry"
                  >
                    {t('mobileVisits.queue.retry')}
                  </Button>
                  <Button
                    size="mini"
                    color="danger"
                    fill="outline"
                    onClick={async () => {
                      if (await Dialog.confirm({ content: t('mobileVisits.queue.discardConfirm') })) {
                        discardQueued(userId, v.body.clientId);
                      }
                    }}
                    data-testid="m-visit-queued-discard"
                  >
                    {t('mobileVisits.queue.discard')}
                  </Button>
                </span>
              ) : (
                <Tag color="warning">{t('mobileVisits.queue.waiting')}</Tag>
              )
            }
          >
            {`${t(`mobileVisits.outcomes.${v.body.outcome}`)} · ${v.label}`}
          </List.Item>
        ))}
      </List>
    </div>
  );
}

function queuedDescription(t: TFunction, v: QueuedVisit): string {
  const when = formatTime(v.body.visitedAt).slice(0, 16);
  return v.error ? `${when} · ${t('mobileVisits.queue.refused', { message: v.error.message })}` : when;
}
