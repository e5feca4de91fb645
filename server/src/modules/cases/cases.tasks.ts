/**
 * What the cases module adds to "my tasks" (我的任务): the cases the caller should accept (reported in their
 * cases.handle area, or dispatched to a node of it — the workbench's to-do `cases.to_accept`) and the cases they
 * handle (handler = them, handling or escalated).
 */
import type { Ctx } from '../../platform/access/context.js';
import { scopeFor } from '../../platform/access/scope.js';
import { registerTaskSource } from '../../platform/tasks/tasks.js';
import type { MyTask } from '../../platform/tasks/tasks.schemas.js';
import { type CaseTaskRow, caseTasks } from './cases.repo.js';

/** One case as a task in the caller's language: 受理 while it waits to be accepted, 处理 once in hand. */
export function caseTaskOf(r: CaseTaskRow, locale: Ctx['locale']): MyTask {
  const zh = locale === 'zh-CN';
  const accept = r.stage === 'reported' || r.stage === 'dispatched';
  const action = accept ? (zh ? '受理' : 'Accept') : zh ? '处理' : 'Handle';
  const id = Number(r.id);
  return {
    key: `case:${id}`,
    kind: 'case',
    id,
    title: zh ? `${action}事件：${r.title}` : `${action} case: ${r.title}`,
    detail: [r.case_no, r.place].filter(Boolean).join(' · ') || null,
    action,
    dueAt: r.due_at ? r.due_at.toISOString() : null,
    overdue: r.overdue,
    urgent: r.urgent,
    link: `/cases/${id}`,
    mobileLink: `/m/cases/${id}`,
    createdAt: r.created_at.toISOString(),
  };
}

export function registerCaseTasks(): void {
  registerTaskSource({
    id: 'cases.mine',
    kind: 'case',
    permission: 'cases.handle',
    load: async (ctx, db, { limit, now }) => {
      const rows = await caseTasks(db, scopeFor(ctx.principal, 'cases.handle'), ctx.principal.userId, now, limit);
      return {
        items: rows.map((r) => caseTaskOf(r, ctx.locale)),
        total: rows[0] ? Number(rows[0].total) : 0,
        overdue: rows[0] ? Number(rows[0].overdue_total) : 0,
      };
    },
  });
}
