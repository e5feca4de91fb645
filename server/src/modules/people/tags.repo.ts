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
 * Recomputes the derived tags for the residents matched by `where` (a condition over `residents r`, e.g. a
 * county or a set of ids) in one statement: each rule (`sql`, a condition over `r` and `hh_size`) is
 * evaluated once per resident, household sizes are counted once per household, and the tag is added where
 * its rule now holds and removed where it no longer does. The holder's node_path is written with the tag,
 * so the insert needs no per-row look-up.
 */
export async function refreshRuleTags(
  q: Queryable,
  rules: { tagId: number; sql: string }[],
  params: unknown[],
  where: string,
): Promise<{ added: number; removed: number }> {
  const p = [...params];
  const tagIds = rules.map((r) => {
    p.push(r.tagId);
    return { param: `$${p.length}::bigint`, sql: r.sql };
  });
  p.push(rules.map((r) => r.tagId));
  const allTags = `$${p.length}::bigint[]`;
  const rows = await q.query<{ added: number; removed: number }>(
    `WITH aff AS MATERIALIZED (
       SELECT r.id, r.county_id, r.node_path, r.household_id, r.status, r.birth_date, r.sex
         FROM residents r WHERE ${where}),
     sizes AS (
       SELECT m.household_id, count(*)::int AS hh_size FROM residents m
        WHERE m.status = 'active' AND m.household_id IN (SELECT household_id FROM aff)
        GROUP BY m.household_id),
     want AS MATERIALIZED (
       SELECT w.id, w.county_id, w.node_path, w.birth_date, w.tag_id
         FROM (SELECT r.id, r.county_id, r.node_path, r.birth_date,
                      unnest(ARRAY[${tagIds.map((t) => `CASE WHEN ${t.sql} THEN ${t.param} END`).join(', ')}]) AS tag_id
                 FROM (SELECT a.*, COALESCE(s.hh_size, 0) AS hh_size
                         FROM aff a LEFT JOIN sizes s ON s.household_id = a.household_id) r
                WHERE r.status = 'active') w
        WHERE w.tag_id IS NOT NULL),
     ins AS (
       INSERT INTO resident_tags (resident_id, tag_id, county_id, node_path, birth_date, source)
       SELECT id, tag_id, county_id, node_path, birth_date, 'rule' FROM want
       ON CONFLICT (resident_id, tag_id) DO NOTHING RETURNING 1),
     del AS (
       DELETE FROM resident_tags rt USING aff a
        WHERE rt.resident_id = a.id AND rt.source = 'rule' AND rt.tag_id = ANY(${allTags})
          AND NOT EXISTS (SELECT 1 FROM want w WHERE w.id = rt.resident_id AND w.tag_id = rt.tag_id)
       RETURNING 1)
     SELECT (SELECT count(*) FROM ins)::int AS added, (SELECT count(*) FROM del)::int AS removed`,
    p,
  );
  return rows[0]!;
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
