import { Button, ErrorBlock, SpinLoading, Tabs } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useSignedInUser } from '../../features/auth/hooks/use-access';
import { MyTaskList } from '../tasks/task-items';
import { caseAccess } from './case-access';
import { CaseItems } from './case-list';
import type { CaseListQuery } from './case-types';
import { useCaseList } from './use-phone-cases';

function CaseQueryList({ query, empty }: { query: CaseListQuery; empty: string }) {
  const list = useCaseList(query);
  if (list.isLoading) {
    return (
      <div className="m-center-block">
        <SpinLoading color="primary" />
      </div>
    );
  }
  const items = list.data?.items ?? [];
  if (items.length === 0) return <ErrorBlock status="empty" title={empty} />;
  return <CaseItems items={items} />;
}

/** 我的报事: the cases the signed-in account reported, newest first. */
export function MobileCasesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="m-page" data-testid="m-my-cases">
      <div className="m-actions">
        <Button block color="primary" onClick={() => navigate('/m/report')} data-testid="m-new-case">
          {t('mobileCases.report')}
        </Button>
      </div>
      <CaseQueryList query={{ view: 'reported', limit: 50 }} empty={t('mobileCases.noReported')} />
    </div>
  );
}

type TaskTab = 'todo' | 'verify' | 'done';

const TASK_QUERIES: Record<Exclude<TaskTab, 'todo'>, CaseListQuery> = {
  // Cases waiting for a community or street worker's check (核查): the board of their area.
  verify: { view: 'board', stage: 'handled', limit: 50 },
  // What has been handled in the handler's area (their own task list ends at 已处置).
  done: { view: 'board', stage: 'handled,closed', limit: 50 },
};

/**
 * 我的任务: everything waiting for the caller in one list by deadline (visit tasks, cases to accept or in hand,
 * alarms to acknowledge: GET /api/tasks/mine), then, for case handlers, the cases waiting to be checked and those done.
 */
export function MobileTasksPage() {
  const { t } = useTranslation();
  const me = useSignedInUser();
  const access = caseAccess(me);
  const [tab, setTab] = useState<TaskTab>('todo');
  const tabs: TaskTab[] = access.canManage
    ? ['todo', 'verify', 'done']
    : access.canHandle
      ? ['todo', 'done']
      : ['todo'];
  return (
    <div className="m-page" data-testid="m-tasks">
      {tabs.length > 1 ? (
        <Tabs activeKey={tab} onChange={(k) => setTab(k as TaskTab)}>
          {tabs.map((k) => (
            <Tabs.Tab key={k} title={k === 'todo' ? t('tasksMine.todo') : t(`mobileCases.tasks.${k}`)} />
          ))}
        </Tabs>
      ) : null}
      {tab === 'todo' ? (
        <MyTaskList />
      ) : (
        <CaseQueryList key={tab} query={TASK_QUERIES[tab]} empty={t('mobileCases.noTasks')} />
      )}
    </div>
  );
}
