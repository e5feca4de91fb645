/**
 * What policies add to other modules: "my tasks" (核实政策：高龄津贴 · 张*明 for the pending candidates of the
 * caller's policies.confirm area), the message telling grid workers a run found new candidates, and its link.
 */
import { can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { defineKind, registerLinkResolver } from '../../platform/notify/notify.kinds.js';
import { maskName } from '../../platform/pii/index.js';
import { registerTaskSource } from '../../platform/tasks/tasks.js';
import * as repo from './policies.repo.js';
import { NEW_CANDIDATES_KIND } from './runs.service.js';

export function registerPolicyHooks(): void {
  registerTaskSource({
    id: 'policies.candidates',
    kind: 'policy',
    permission: 'policies.confirm',
    load: async (ctx, db, { limit, now }) => {
      const rows = await repo.pendingCandidates(
        db,
        scopeSql(scopeFor(ctx.principal, 'policies.confirm'), 'c.node_path'),
        now,
        limit,
      );
      const zh = ctx.locale === 'zh-CN';
      return {
        items: rows.map((r) => {
          const name = can(ctx.principal, 'people.sensitive', r.node_path) ? r.name : maskName(r.name);
          return {
            key: `policy:${r.id}`,
            kind: 'policy' as const,
            id: r.id,
            title: zh ? `核实政策：${r.policy_name} · ${name}` : `Check policy: ${r.policy_name} · ${name}`,
            detail: r.place,
            action: zh ? '核实' : 'Check',
            dueAt: r.due_at ? r.due_at.toISOString() : null,
            overdue: r.due_at !== null && r.due_at < now,
            urgent: false,
            link: `/policies/candidates?id=${r.id}`,
            mobileLink: `/m/policies/candidates/${r.id}`,
            createdAt: r.found_at.toISOString(),
          };
        }),
        total: rows[0]?.total ?? 0,
        overdue: rows[0]?.overdue_total ?? 0,
      };
    },
  });
  defineKind({
    kind: NEW_CANDIDATES_KIND,
    title: {
      'zh-CN': '政策测算发现 {count} 名新的候选人（{policies}），请核实',
      en: 'A policy run found {count} new candidates ({policies}) to check',
    },
    label: { 'zh-CN': '政策找人：新的候选人', en: 'Policies: new candidates' },
    urgency: 'normal',
    link: (p) =>
      typeof p.runId === 'number'
        ? { type: 'policy_run', id: p.runId, nodePath: typeof p.nodePath === 'string' ? p.nodePath : null }
        : null,
  });
  registerLinkResolver('policy_run', async (q, ctx, id) => {
    const r = await repo.findRun(q, id);
    if (!r) return false;
    const scope = scopeFor(ctx.principal, 'policies.read');
    return scope.all || scope.paths.some((p) => p.startsWith(r.node_path) || r.node_path.startsWith(p));
  });
}
