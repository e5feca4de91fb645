/** Pure helpers for the audit trail. */

export type AuditDiff = Record<string, [unknown, unknown]>;

const SECRET_FIELDS = new Set(['password_hash', 'passwordHash', 'password', 'token_hash', 'tokenHash']);

function normalize(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return '[sealed]';
  return v === undefined ? null : v;
}

/**
 * The fields that differ between two versions of a record, as `{ field: [before, after] }`.
 * Secrets never enter the trail: a changed password shows as `[changed]`.
 */
export function diffRecords(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): AuditDiff | null {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const diff: AuditDiff = {};
  for (const k of keys) {
    const b = normalize(before?.[k]);
    const a = normalize(after?.[k]);
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    diff[k] = SECRET_FIELDS.has(k) ? ['[secret]', '[changed]'] : [b, a];
  }
  return Object.keys(diff).length > 0 ? diff : null;
}
