/**
 * What privacy adds to other modules: "my tasks" (个人信息申请：更正 · 张*明 for the pending requests of the caller's
 * privacy.handle area, due in 15 working days), the messages to the worker (a new request) and to the resident (a
 * decision), and the link the worker's message opens.
 */
import { can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { defineKind, registerLinkResolver } from '../../platform/notify/notify.kinds.js';
import { maskName } from '../../platform/pii/index.js';
import { registerTaskSource } from '../../platform/tasks/tasks.js';
import * as repo from './privacy.repo.js';
import { DECIDED_KIND, REQUEST_KIND } from './privacy.service.js';

// Kinds are declared when the module loads, so that preferences and the inbox know them before any request.
defineKind({
  kind: REQUEST_KIND,
  title: {
    'zh-CN': '居民 {name} 提交了个人信息申请，请在 {dueAt} 前处理',
    en: 'Resident {name} made a privacy request; decide it by {dueAt}',
  },
  label: { 'zh-CN': '个人信息：新的居民申请', en: 'Privacy: a new request from a resident' },
  urgency: 'normal',
  link: (p) =>
    typeof p.requestId === 'number'
      ? { type: 'privacy_request', id: p.requestId, nodePath: typeof p.nodePath === 'string' ? p.nodePath : null }
      : null,
});
defineKind({
  kind: DECIDED_KIND,
  title: {
    'zh-CN': '您的个人信息申请已处理，请在“我的数据”查看结果',
    en: 'Your privacy request was decided; see the outcome under “My data”',
  },
  label: { 'zh-CN': '个人信息：申请的处理结果', en: 'Privacy: the outcome of your request' },
  urgency: 'normal',
  link: (p) => (typeof p.requestId === 'number' ? { type: 'privacy_mine', id: p.requestId } : null),
});

const KIND_TEXT = {
  correction: { 'zh-CN': '更正', en: 'Correction' },
  deletion: { 'zh-CN': '删除/反对', en: 'Deletion/objection' },
} as const;

export function registerPrivacyHooks(): void {
  registerTaskSource({
    id: 'privacy.requests',
    kind: 'privacy',
    permission: 'privacy.handle',
    load: async (ctx, db, { limit, now }) => {
      const rows = await repo.pendingRequests(
        db,
        scopeSql(scopeFor(ctx.principal, 'privacy.handle'), 'r.node_path'),
        now,
        limit,
      );
      const zh = ctx.locale === 'zh-CN';
      return {
        items: rows.map((r) => {
          const name = can(ctx.principal, 'people.sensitive', r.node_path)
            ? r.resident_name
            : maskName(r.resident_name);
          const kind = KIND_TEXT[r.kind][ctx.locale];
          return {
            key: `privacy:${r.id}`,
            kind: 'privacy' as const,
            id: r.id,
            title: zh ? `个人信息申请：${kind} · ${name}` : `Privacy request: ${kind} · ${name}`,
            detail: r.place,
            action: zh ? '处理' : 'Decide',
            dueAt: r.due_at.toISOString(),
            overdue: r.due_at < now,
            urgent: false,
            link: `/privacy/requests/${r.id}`,
            mobileLink: `/m/privacy/requests/${r.id}`,
            createdAt: r.created_at.toISOString(),
          };
        }),
        total: rows[0]?.total ?? 0,
        overdue: rows[0]?.overdue_total ?? 0,
      };
    },
  });
  registerLinkResolver('privacy_request', async (q, ctx, id) => {
    const r = await repo.findRequest(q, id);
    return r !== undefined && can(ctx.principal, 'privacy.handle', r.node_path);
  });
  registerLinkResolver('privacy_mine', async (q, ctx, id) => {
    const r = await repo.findRequest(q, id);
    return r !== undefined && r.requester_id === ctx.principal.userId;
  });
}
