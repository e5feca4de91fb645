/**
 * The visit tasks of "my tasks" (platform/tasks): the caller's own open tasks (assignee_id), whatever their posts —
 * a party member linked to households holds no visits permission but has tasks (permission null).
 */
import type { Ctx } from '../../platform/access/context.js';
import { maskName } from '../../platform/pii/index.js';
import { registerTaskSource } from '../../platform/tasks/tasks.js';
import type { MyTask } from '../../platform/tasks/tasks.schemas.js';
import * as repo from './my-tasks.repo.js';

function say(ctx: Ctx, zh: string, en: string): string {
  return ctx.locale === 'en' ? en : zh;
}

export function toMyTask(ctx: Ctx, r: repo.MyVisitTaskRow, now: Date): MyTask {
  const person = r.person ? maskName(r.person) : say(ctx, '住户', 'household');
  const due = new Date(r.dueAt);
  return {
    key: `visit:${r.id}`,
    kind: 'visit',
    id: r.id,
    title: say(ctx, `走访 ${person}（${r.ruleName}）`, `Visit ${person} (${r.ruleName})`),
    detail: r.roomNo ? `${r.nodeName} ${r.roomNo}` : r.nodeName,
    action: say(ctx, '走访', 'Visit'),
    dueAt: due.toISOString(),
    overdue: due.getTime() < now.getTime(),
    urgent: r.category === 'must_go',
    link: `/visits/tasks/${r.id}`,
    mobileLink: `/m/visits/${r.id}`,
    createdAt: new Date(r.createdAt).toISOString(),
  };
}

export function registerVisitTaskSource(): void {
  registerTaskSource({
    id: 'visits.tasks',
    kind: 'visit',
    permission: null,
    async load(ctx, db, { limit, now }) {
      const userId = ctx.principal.userId;
      const rows = await repo.myOpenTasks(db, userId, limit);
      const counts = await repo.myOpenCounts(db, userId, now);
      return { items: rows.map((r) => toMyTask(ctx, r, now)), ...counts };
    },
  });
}
