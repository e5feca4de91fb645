/** The SQL of `reindex pinyin` (pinyin-reindex.ts): residents walked by id, their stored pinyin rewritten. */
import type { Queryable } from '../../platform/db/client.js';

export type NameRow = { id: number; name: string; name_pinyin: string; name_initials: string };

/** Up to `limit` residents after id `after`, in id order. */
export async function residentNamesAfter(q: Queryable, after: number, limit: number): Promise<NameRow[]> {
  return q.query<NameRow>(
    `SELECT id::int AS id, name, name_pinyin, name_initials FROM residents WHERE id > $1 ORDER BY id LIMIT $2`,
    [after, limit],
  );
}

/** How many residents there are (for progress). */
export async function countResidents(q: Queryable): Promise<number> {
  const [r] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM residents');
  return r?.n ?? 0;
}

/** Writes new pinyin for the given residents (updated_at stays: the person did not change). */
export async function updateNamePinyin(
  q: Queryable,
  rows: { id: number; pinyin: string; initials: string }[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const done = await q.query<{ id: number }>(
    `UPDATE residents r SET name_pinyin = v.p, name_initials = v.i
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(id, p, i)
      WHERE r.id = v.id AND (r.name_pinyin, r.name_initials) IS DISTINCT FROM (v.p, v.i)
      RETURNING r.id`,
    [rows.map((r) => r.id), rows.map((r) => r.pinyin), rows.map((r) => r.initials)],
  );
  return done.length;
}
