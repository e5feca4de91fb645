/**
 * What the cases module puts on the workbench: to-dos (cases to accept, to verify, overdue; whistles for a
 * department) and a card of this month's cases in the reader's area.
 */
import type { Ctx } from '../../platform/access/context.js';
import { scopeFor } from '../../platform/access/scope.js';
import type { Db } from '../../platform/db/client.js';
import { registerTodoSource, registerWorkbenchCard, say } from '../../platform/workbench/workbench.js';
import type { TodoGroup } from '../../platform/workbench/workbench.schemas.js';
import * as repo from './cases.repo.js';

function group(
  id: string,
  title: string,
  link: string,
  rows: Awaited<ReturnType<typeof repo.todosToAccept>>,
): TodoGroup | null {
  if (rows.total === 0) return null;
  return {
    id,
    title,
    total: rows.total,
    link,
    items: rows.items.map((r) => ({
      id: String(r.id),
      title: r.title,
      detail: r.case_no,
      at: r.at.toISOString(),
      link: `/cases/${r.id}`,
    })),
  };
}

/** The first day of this month, 00:00 Asia/Shanghai. */
function monthStart(now = new Date()): Date {
  const day = now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  return new Date(`${day.slice(0, 7)}-01T00:00:00+08:00`);
}

export function registerCasesWorkbench(): void {
  registerTodoSource({
    id: 'cases.to_accept',
    permission: 'cases.handle',
    order: 20,
    load: async (ctx: Ctx, db: Db) =>
      group(
        'cases.to_accept',
        say(ctx, '待受理的事件', 'Cases to accept'),
        '/cases?stage=reported,dispatched',
        await repo.todosToAccept(db, scopeFor(ctx.principal, 'cases.handle')),
      ),
  });
  registerTodoSource({
    id: 'cases.to_verify',
    permission: 'cases.manage',
    order: 21,
    load: async (ctx, db) =>
      group(
        'cases.to_verify',
        say(ctx, '待核查的事件', 'Cases to verify'),
        '/cases?stage=handled',
        await repo.todosToVerify(db, scopeFor(ctx.principal, 'cases.manage')),
      ),
  });
  registerTodoSource({
    id: 'cases.overdue',
    permission: 'cases.read',
    order: 22,
    load: async (ctx, db) =>
      group(
        'cases.overdue',
        say(ctx, '超期的事件', 'Overdue cases'),
        '/cases?overdue=true',
        await repo.todosOverdue(db, scopeFor(ctx.principal, 'cases.read')),
      ),
  });
  registerTodoSource({
    id: 'cases.whistles',
    permission: 'cases.respond',
    order: 23,
    load: async (ctx, db) => {
      const ids = ctx.principal.userId > 0 ? await repo.departmentIdsOf(db, ctx.principal.userId) : [];
      if (ids.length === 0) return null;
      return group(
        'cases.whistles',
        say(ctx, '吹哨到本部门的事件', 'Cases whistled to my department'),
        '/cases/department',
        await repo.todosWhistles(db, ids),
      );
    },
  });
  registerWorkbenchCard({
    id: 'cases.month',
    permission: 'cases.read',
    order: 20,
    load: async (ctx, db) => {
      const scope = scopeFor(ctx.principal, 'cases.read');
      const m = await repo.countMonth(db, scope, monthStart());
      return {
        id: 'cases.month',
        title: say(ctx, '本月事件', 'Cases this month'),
        area: null,
        sections: [
          {
            key: 'month',
            title: null,
            figures: [
              { key: 'received', label: say(ctx, '受理', 'Received'), value: m.received, link: '/cases' },
              { key: 'closed', label: say(ctx, '办结', 'Closed'), value: m.closed, link: '/cases?stage=closed' },
              { key: 'open', label: say(ctx, '在办', 'Open'), value: m.open, link: '/cases' },
              { key: 'overdue', label: say(ctx, '超期', 'Overdue'), value: m.overdue, link: '/cases?overdue=true' },
            ],
          },
        ],
      };
    },
  });
}
