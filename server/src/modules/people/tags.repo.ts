import type { Queryable } from '../../platform/db/client.js';
import type { TagRule } from './people.logic.js';

export type TagRow = {
  id: number;
  parent_id: number | null;
  code: string;
  name: string;
  sensitive: boolean;
  rule: TagRule | null;
  description: string | null;
  sort: number;
  holders?: number;
};

export async function listTags(q: Queryable, scopeCondition?: string): Promise<TagRow[]> {
  const holders = scopeCondition
    ? `(SELECT count(*)::int FROM resident_tags rt JOIN residents r ON r.id = rt.resident_id
         WHERE rt.tag_id = t.id AND r.status = 'active' AND ${scopeCondition})`
    : 'NULL::int';
  return q.query<TagRow>(
    `SELECT t.id, t.parent_id, t.code, t.name, t.sensitive, t.rule, t.description, t.sort, ${holders} AS holders
       FROM tags t ORDER BY t.parent_id NULLS FIRST, t.sort, t.id`,
  );
}

export async function findTag(q: Queryable, id: number): Promise<TagRow | undefined> {
  const rows = await q.query<TagRow>(
    'SELECT id, parent_id, code, name, sensitive, rule, description, sort FROM tags WHERE id = $1',
    [id],
  );
  return rows[0];
}

export async function findTagByCode(q: Queryable, code: string): Promise<TagRow | undefined> {
  const rows = await q.query<TagRow>(
    'SELECT id, parent_id, code, name, sensitive, rule, description, sort FROM tags WHERE code = $1',
    [code],
  );
  return rows[0];
}

export async function insertTag(
  q: Queryable,
  t: {
    parentId: number | null;
    code: string;
    name: string;
    sensitive: boolean;
    rule: TagRule | null;
    description: string | null;
    sort: number;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO tags (parent_id, code, name, sensitive, rule, description, sort)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [t.parentId, t.code, t.name, t.sensitive, t.rule === null ? null : JSON.stringify(t.rule), t.description, t.sort],
  );
  return rows[0]!.id;
}

export async function updateTag(
  q: Queryable,
  id: number,
  t: { name: string; sensitive: boolean; rule: TagRule | null; description: string | null; sort: number },
): Promise<void> {
  await q.query(
    `UPDATE tags SET name = $2, sensitive = $3, rule = $4, description = $5, sort = $6, updated_at = now() WHERE id = $1`,
    [id, t.name, t.sensitive, t.rule === null ? null : JSON.stringify(t.rule), t.description, t.sort],
  );
}

export async function deleteTag(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM tags WHERE id = $1', [id]);
}

export async function countTagHolders(q: Queryable, id: number): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM resident_tags WHERE tag_id = $1', [id]);
  return rows[0]!.n;
}

export async function countChildTags(q: Queryable, id: number): Promise<number> {
  const rows = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM tags WHERE parent_id = $1', [id]);
  return rows[0]!.n;
}

/**
 * Recomputes one derived tag for the residents matched by `where` (a condition over `residents r`, e.g. a
 * county or a set of ids): adds it where the rule now holds, removes it where it no longer does.
 */
export async function refreshRuleTag(
  q: Queryable,
  tagId: number,
  ruleSql: string,
  params: unknown[],
  where: string,
): Promise<{ added: number; removed: number }> {
  const base = `SELECT r.id, r.county_id FROM residents r
     LEFT JOIN LATERAL (SELECT count(*)::int AS hh_size FROM residents m
                         WHERE m.household_id = r.household_id AND m.status = 'active') hh ON true
    WHERE r.status = 'active' AND ${where} AND (${ruleSql})`;
  const tagParam = `$${params.length + 1}`;
  const added = await q.query<{ resident_id: number }>(
    `INSERT INTO resident_tags (resident_id, tag_id, county_id, source)
     SELECT m.id, ${tagParam}, m.county_id, 'rule' FROM (${base}) m
     ON CONFLICT (resident_id, tag_id) DO NOTHING RETURNING resident_id`,
    [...params, tagId],
  );
  const removed = await q.query<{ resident_id: number }>(
    `DELETE FROM resident_tags rt USING residents r
      WHERE rt.resident_id = r.id AND rt.tag_id = ${tagParam} AND rt.source = 'rule' AND ${where}
        AND r.id NOT IN (SELECT id FROM (${base}) m)
     RETURNING rt.resident_id`,
    [...params, tagId],
  );
  return { added: added.length, removed: removed.length };
}

export async function deleteTagAssignments(q: Queryable, tagId: number, onlyDerived: boolean): Promise<void> {
  await q.query(`DELETE FROM resident_tags WHERE tag_id = $1 AND ($2 = false OR source = 'rule')`, [
    tagId,
    onlyDerived,
  ]);
}

const REFRESHED_ON = 'derived_tags_refreshed_on';

export async function derivedTagsRefreshedOn(q: Queryable): Promise<string | null> {
  const rows = await q.query<{ value: { day: string } }>('SELECT value FROM system_settings WHERE key = $1', [
    REFRESHED_ON,
  ]);
  return rows[0]?.value.day ?? null;
}

export async function markDerivedTagsRefreshed(q: Queryable, day: string): Promise<void> {
  await q.query(
    `INSERT INTO system_settings (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [REFRESHED_ON, JSON.stringify({ day })],
  );
}
