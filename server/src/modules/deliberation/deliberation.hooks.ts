/**
 * What deliberation adds to other modules: "my tasks" (认证居民：陈*民 · 1号楼 for the pending verification requests
 * of the caller's residents.verify area), the messages about requests, decisions and topics waiting for approval,
 * and the topic link.
 */
import { can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { defineKind, registerLinkResolver } from '../../platform/notify/notify.kinds.js';
import { maskName } from '../../platform/pii/index.js';
import { registerTaskSource } from '../../platform/tasks/tasks.js';
import * as repo from './deliberation.repo.js';
import { TOPIC_PENDING_KIND, VERIFY_DECIDED_KIND, VERIFY_REQUESTED_KIND } from './deliberation.service.js';

/** Kinds are declared when this module is loaded, so messages sent before any app is built still resolve. */
defineKind({
  kind: VERIFY_REQUESTED_KIND,
  title: { 'zh-CN': '居民 {name} 申请实名认证，请核实', en: 'Resident {name} asks to be verified' },
  label: { 'zh-CN': '议事协商：居民认证申请', en: 'Deliberation: verification requests' },
  urgency: 'normal',
  link: (p) =>
    typeof p.verificationId === 'number'
      ? {
          type: 'resident_verification',
          id: p.verificationId,
          nodePath: typeof p.nodePath === 'string' ? p.nodePath : null,
        }
      : null,
});
defineKind({
  kind: VERIFY_DECIDED_KIND,
  title: { 'zh-CN': '您的实名认证申请已处理', en: 'Your verification request was decided' },
  label: { 'zh-CN': '议事协商：认证结果', en: 'Deliberation: verification decided' },
  urgency: 'normal',
});
defineKind({
  kind: TOPIC_PENDING_KIND,
  title: { 'zh-CN': '居民提出议题“{title}”，请审核', en: 'A resident raised the topic “{title}” for approval' },
  label: { 'zh-CN': '议事协商：待审核议题', en: 'Deliberation: topics to approve' },
  urgency: 'normal',
  link: (p) =>
    typeof p.topicId === 'number'
      ? { type: 'delib_topic', id: p.topicId, nodePath: typeof p.nodePath === 'string' ? p.nodePath : null }
      : null,
});

export function registerDeliberationHooks(): void {
  registerTaskSource({
    id: 'deliberation.verifications',
    kind: 'verification',
    permission: 'residents.verify',
    load: async (ctx, db, { limit }) => {
      const rows = await repo.pendingVerifications(
        db,
        scopeSql(scopeFor(ctx.principal, 'residents.verify'), 'v.node_path'),
        limit,
      );
      const zh = ctx.locale === 'zh-CN';
      const items = [];
      for (const r of rows) {
        const name = can(ctx.principal, 'people.sensitive', r.node_path) ? r.resident_name : maskName(r.resident_name);
        items.push({
          key: `verification:${r.id}`,
          kind: 'verification' as const,
          id: r.id,
          title: zh
            ? `认证居民：${name}（账号 ${r.account_name}）`
            : `Verify resident: ${name} (account ${r.account_name})`,
          detail: await repo.placeOf(db, r.node_path),
          action: zh ? '核实' : 'Verify',
          dueAt: null,
          overdue: false,
          urgent: false,
          link: `/deliberation/verifications?id=${r.id}`,
          mobileLink: `/m/deliberation/verifications/${r.id}`,
          createdAt: r.requested_at.toISOString(),
        });
      }
      return { items, total: rows[0]?.total ?? 0, overdue: 0 };
    },
  });
  registerLinkResolver('delib_topic', async (q, ctx, id) => {
    const t = await repo.findTopic(q, id);
    return t !== undefined && can(ctx.principal, 'deliberation.read', t.node_path);
  });
  registerLinkResolver('resident_verification', async (q, ctx, id) => {
    const v = await repo.findVerification(q, id);
    return v !== undefined && can(ctx.principal, 'residents.verify', v.node_path);
  });
}
