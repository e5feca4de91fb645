/**
 * What the alarms put on the workbench: the open alarms in the reader's area by status and severity, and the active
 * ones waiting for someone with alarms.handle.
 */
import { scopeFor, scopeSql } from '../../platform/access/scope.js';
import { registerTodoSource, registerWorkbenchCard, say } from '../../platform/workbench/workbench.js';
import { countOpen, listViews } from './alarms.repo.js';
import { toListItem } from './alarms.service.js';

export function registerAlarmsWorkbench(): void {
  registerWorkbenchCard({
    id: 'alarms.open',
    permission: 'devices.read',
    order: 30,
    load: async (ctx, db) => {
      const where = scopeSql(scopeFor(ctx.principal, 'devices.read'), 'a.node_path');
      const c = await countOpen(db, where);
      return {
        id: 'alarms.open',
        title: say(ctx, '设备预警', 'Device alarms'),
        area: null,
        sections: [
          {
            key: 'open',
            title: null,
            figures: [
              {
                key: 'active',
                label: say(ctx, '待确认', 'To acknowledge'),
                value: c.active,
                link: '/alarms?status=active',
              },
              {
                key: 'acknowledged',
                label: say(ctx, '处置中', 'Being handled'),
                value: c.acknowledged,
                link: '/alarms?status=acknowledged',
              },
              {
                key: 'critical',
                label: say(ctx, '紧急', 'Critical'),
                value: c.critical,
                link: '/alarms?status=open&severity=critical',
              },
            ],
          },
        ],
      };
    },
  });
  registerTodoSource({
    id: 'alarms.to_acknowledge',
    permission: 'alarms.handle',
    order: 10,
    load: async (ctx, db) => {
      const where = scopeSql(scopeFor(ctx.principal, 'alarms.handle'), 'a.node_path');
      const { rows, total } = await listViews(db, { scopeWhere: where, status: 'active', limit: 5, offset: 0 });
      if (total === 0) return null;
      return {
        id: 'alarms.to_acknowledge',
        title: say(ctx, '待确认的设备预警', 'Alarms to acknowledge'),
        total,
        link: '/alarms?status=active',
        items: rows.map((r) => {
          const item = toListItem(r, ctx.locale);
          return {
            id: String(item.id),
            title: item.summary,
            detail: item.placeName,
            at: item.firstAt,
            link: `/alarms/${item.id}`,
          };
        }),
      };
    },
  });
}
