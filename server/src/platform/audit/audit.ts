import type { Ctx } from '../access/context.js';
import type { Queryable } from '../db/client.js';
import { AppError } from '../errors/errors.js';
import { type AuditDiff, diffRecords } from './audit.logic.js';
import { acceptableReason, REASON_MIN_LENGTH } from './reason.logic.js';

export type AuditEntryInput = {
  action: string;
  targetType: string;
  targetId: string | number | null;
  targetLabel?: string | null;
  /** Path of the node the target belongs to; decides who may read the entry. */
  scopePath: string | null;
  countyId: number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  diff?: AuditDiff | null;
  reason?: string | null;
};

/**
 * Writes one audit entry. Call it with the same transaction as the change it records, so that a
 * change without its record (or the reverse) cannot exist.
 */
export async function recordAudit(q: Queryable, ctx: Ctx, e: AuditEntryInput): Promise<void> {
  const diff = e.diff !== undefined ? e.diff : diffRecords(e.before ?? null, e.after ?? null);
  const actorId = ctx.principal.userId > 0 ? ctx.principal.userId : null;
  await q.query(
    `INSERT INTO audit_log (actor_id, actor_name, action, target_type, target_id, target_label, scope_path,
       county_id, diff, reason, request_id, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      actorId,
      ctx.principal.displayName,
      e.action,
      e.targetType,
      e.targetId === null ? null : String(e.targetId),
      e.targetLabel ?? null,
      e.scopePath,
      e.countyId,
      diff === null ? null : JSON.stringify(diff),
      e.reason ?? null,
      ctx.requestId,
      ctx.ip,
    ],
  );
}

/**
 * The reason for an audited act (revealing personal data, an unmasked export, a hand-set tag), cleaned of
 * invisible characters: fewer than two visible characters is `REASON_REQUIRED` naming the field.
 * @throws REASON_REQUIRED
 */
export function requireReason(raw: string | null | undefined, field = 'reason'): string {
  const reason = acceptableReason(raw);
  if (reason === null) throw new AppError('REASON_REQUIRED', { field, params: { min: REASON_MIN_LENGTH } });
  return reason;
}
