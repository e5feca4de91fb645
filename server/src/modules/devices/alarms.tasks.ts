/**
 * What the alarms add to "my tasks" (我的任务): the active alarms (nobody has acknowledged them) in the caller's
 * alarms.handle area, due when the escalation ladder climbs past the caller's level.
 */
import type { Ctx } from '../../platform/access/context.js';
import type { Role } from '../../platform/access/roles.js';
import { scopeFor, scopeSql } from '../../platform/access/scope.js';
import { maskName } from '../../platform/pii/index.js';
import { registerTaskSource } from '../../platform/tasks/tasks.js';
import type { MyTask } from '../../platform/tasks/tasks.schemas.js';
import { type AlarmTaskRow, alarmTasks } from './alarms.repo.js';
import { alarmSummary } from './rules.logic.js';

/** The ladder level a role answers at (1 grid, 2 community, 3 street); a role above every level: none. */
const ROLE_LEVEL: Partial<Record<Role, number>> = {
  grid_worker: 1,
  community_worker: 2,
  street_admin: 3,
};

/**
 * The lowest ladder level the caller answers at among their posts holding alarms.handle (null: none — a county
 * or system administrator, whom the ladder never passes). Pure.
 */
export function callerLevel(principal: Ctx['principal']): number | null {
  let level: number | null = null;
  for (const g of principal.grants) {
    const l = ROLE_LEVEL[g.role];
    if (l !== undefined && (level === null || l < level)) level = l;
  }
  return level;
}

/** One alarm as a task in the caller's language: 确认预警：<summary>, at <place> (<masked person>). */
export function alarmTaskOf(r: AlarmTaskRow, locale: Ctx['locale'], now: Date): MyTask {
  const zh = locale === 'zh-CN';
  const id = Number(r.id);
  const summary = alarmSummary(r.kind, r.detail ?? {}, locale, {
    metrics: r.type_metrics ?? [],
    events: r.type_events ?? [],
  });
  const place = [r.place_name, r.house_label].filter(Boolean).join(' ');
  const who = r.resident_name ? maskName(r.resident_name) : null;
  return {
    key: `alarm:${id}`,
    kind: 'alarm',
    id,
    title: zh ? `确认预警：${summary}` : `Acknowledge alarm: ${summary}`,
    detail: [place, who].filter(Boolean).join(' · ') || null,
    action: zh ? '确认' : 'Acknowledge',
    dueAt: r.due_at ? r.due_at.toISOString() : null,
    overdue: r.due_at !== null && r.due_at.getTime() < now.getTime(),
    urgent: r.severity === 'critical' || r.severity === 'major',
    link: `/alarms/${id}`,
    mobileLink: `/m/alarms/${id}`,
    createdAt: r.first_at.toISOString(),
  };
}

export function registerAlarmTasks(): void {
  registerTaskSource({
    id: 'alarms.to_acknowledge',
    kind: 'alarm',
    permission: 'alarms.handle',
    load: async (ctx, db, { limit, now }) => {
      const where = scopeSql(scopeFor(ctx.principal, 'alarms.handle'), 'a.node_path');
      const rows = await alarmTasks(db, where, callerLevel(ctx.principal), now, limit);
      return {
        items: rows.map((r) => alarmTaskOf(r, ctx.locale, now)),
        total: rows[0] ? Number(rows[0].total) : 0,
        overdue: rows[0] ? Number(rows[0].overdue_total) : 0,
      };
    },
  });
}
