/**
 * What visits put on the workbench: the card 走访 (open, overdue and done this week in the reader's visits.read
 * area) and the to-do 待走访 (the reader's own open tasks, soonest due first).
 */
import { scopeFor, scopeSql } from '../../platform/access/scope.js';
import { registerTodoSource, registerWorkbenchCard, say } from '../../platform/workbench/workbench.js';
import { shanghaiBounds } from './visits.logic.js';
import { areaCounts } from './visits.repo.js';
import { listTasks } from './visits.service.js';

export function registerVisitsWorkbench(): void {
  registerWorkbenchCard({
    id: 'visits.work',
    permission: 'visits.read',
    order: 40,
    load: async (ctx, db) => {
      const now = new Date();
      const where = scopeSql(scopeFor(ctx.principal, 'visits.read'), 't.node_path');
      const c = await areaCounts(db, where, now, shanghaiBounds(now).weekStart);
      return {
        id: 'visits.work',
        title: say(ctx, '走访', 'Visits'),
        area: null,
        sections: [
          {
            key: 'tasks',
            title: null,
            figures: [
              { key: 'open', label: say(ctx, '待走访', 'Open'), value: c.open, link: '/visits/tasks?status=open' },
              {
                key: 'overdue',
                label: say(ctx, '已超期', 'Overdue'),
                value: c.overdue,
                link: '/visits/tasks?status=overdue',
              },
              {
                key: 'doneWeek',
                label: say(ctx, '本周完成', 'Done this week'),
                value: c.doneWeek,
                link: '/visits/tasks?status=done',
              },
            ],
          },
        ],
      };
    },
  });
  registerTodoSource({
    id: 'visits.to_visit',
    permission: 'visits.do',
    order: 20,
    load: async (ctx, db) => {
      const page = await listTasks({ db }, ctx, {
        mine: true,
        status: 'open',
        pageSize: 5,
      });
      if (page.total === 0) return null;
      return {
        id: 'visits.to_visit',
        title: say(ctx, '待走访', 'Visits to make'),
        total: page.total,
        link: '/visits/tasks?status=open',
        items: page.items.map((t) => ({
          id: String(t.id),
          title: `${t.residentName ?? t.placeLabel} · ${t.reason}`,
          detail: t.placeLabel,
          at: t.dueAt,
          link: `/visits/tasks/${t.id}`,
        })),
      };
    },
  });
}
