import type { Queryable } from '../../platform/db/client.js';

export type AuditRow = {
  id: number;
  at: Date;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  target_label: string | null;
  diff: Record<string, unknown[]> | null;
  reason: string | null;
  request_id: string | null;
  ip: string | null;
};

export async function listAudit(
  q: Queryable,
  f: {
    scopeCondition: string;
    actor: string | null;
    action: string | null;
    targetType: string | null;
    targetId: string | null;
    nodePath: string | null;
    from: string | null;
    to: string | null;
    limit: number;
    offset: number;
  },
): Promise<{ rows: AuditRow[]; total: number }> {
  const where = `${f.scopeCondition}
    AND ($1::text IS NULL OR a.actor_name ILIKE $1 OR a.actor_id::text = $7)
    AND ($2::text IS NULL OR a.action LIKE $2)
    AND ($3::text IS NULL OR a.target_type = $3)
    AND ($4::text IS NULL OR a.target_id = $4)
    AND ($5::timestamptz IS NULL OR a.at >= $5)
    AND ($6::timestamptz IS NULL OR a.at < $6)
    AND ($8::text IS NULL OR a.scope_path LIKE $8)`;
  const esc = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  const params = [
    f.actor ? `%${esc(f.actor)}%` : null,
    f.action ? `${esc(f.action)}%` : null,
    f.targetType,
    f.targetId,
    f.from,
    f.to,
    f.actor,
    f.nodePath ? `${esc(f.nodePath)}%` : null,
  ];
  const [rows, count] = await Promise.all([
    q.query<AuditRow>(
      `SELECT a.id, a.at, a.actor_id, a.actor_name, a.action, a.target_type, a.target_id, a.target_label, a.diff,
              a.reason, a.request_id, a.ip
         FROM audit_log a WHERE ${where} ORDER BY a.at DESC, a.id DESC LIMIT $9 OFFSET $10`,
      [...params, f.limit, f.offset],
    ),
    q.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log a WHERE ${where}`, params),
  ]);
  return { rows, total: count[0]!.n };
}
