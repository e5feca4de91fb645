import type { Ctx } from '../../platform/access/context.js';
import { assertPermission, can, scopeFor, scopeSql } from '../../platform/access/scope.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { findNodeById } from '../org/org.service.js';
import * as repo from './audit.repo.js';
import type { AuditEntry, AuditQuery } from './audit.schemas.js';

/**
 * The audit trail of the caller's area: entries whose target lies under a node where the caller
 * holds audit.read. Entries with no place in the hierarchy are seen by system administrators only.
 * `nodeId` narrows it to a node of that area (else ORG_NODE_NOT_FOUND).
 * @throws FORBIDDEN, ORG_NODE_NOT_FOUND
 */
export async function listAudit(db: Db, ctx: Ctx, query: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
  assertPermission(ctx.principal, 'audit.read');
  let nodePath: string | null = null;
  if (query.nodeId !== undefined) {
    const node = await findNodeById(db, query.nodeId);
    // a node outside the caller's audit area is not theirs to ask about: it does not exist for them
    if (!node || !can(ctx.principal, 'audit.read', node.path))
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    nodePath = node.path;
  }
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listAudit(db, {
    scopeCondition: scopeSql(scopeFor(ctx.principal, 'audit.read'), 'a.scope_path'),
    actor: query.actor?.trim() || null,
    action: query.action?.trim() || null,
    targetType: query.targetType?.trim() || null,
    targetId: query.targetId?.trim() || null,
    nodePath,
    from: query.from ?? null,
    to: query.to ?? null,
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      targetLabel: r.target_label,
      diff: r.diff,
      reason: r.reason,
      requestId: r.request_id,
      ip: r.ip,
    })),
    total,
  };
}
