/** SQL of the cases configuration: categories (case_categories) and stage names (case_stages). */
import type { Queryable } from '../../platform/db/client.js';
import type { SlaSpec } from './cases.schemas.js';

export type CategoryRow = {
  id: number;
  parentId: number | null;
  code: string;
  nameZh: string;
  nameEn: string;
  description: string | null;
  class: 'community' | 'event' | 'component';
  urgent: boolean;
  responseSla: SlaSpec | null;
  handleSla: SlaSpec | null;
  verifySla: SlaSpec | null;
  mergeRadiusM: number;
  mergeWindowHours: number;
  public: boolean;
  active: boolean;
  sort: number;
};

const CATEGORY_COLUMNS = `id, parent_id AS "parentId", code, name_zh AS "nameZh", name_en AS "nameEn", description,
  class, urgent, response_sla AS "responseSla", handle_sla AS "handleSla", verify_sla AS "verifySla",
  merge_radius_m AS "mergeRadiusM", merge_window_hours AS "mergeWindowHours", public, active, sort`;

/** Column of each writable field. */
const CATEGORY_FIELDS: Record<string, { column: string; json?: boolean }> = {
  parentId: { column: 'parent_id' },
  nameZh: { column: 'name_zh' },
  nameEn: { column: 'name_en' },
  description: { column: 'description' },
  class: { column: 'class' },
  urgent: { column: 'urgent' },
  responseSla: { column: 'response_sla', json: true },
  handleSla: { column: 'handle_sla', json: true },
  verifySla: { column: 'verify_sla', json: true },
  mergeRadiusM: { column: 'merge_radius_m' },
  mergeWindowHours: { column: 'merge_window_hours' },
  public: { column: 'public' },
  active: { column: 'active' },
  sort: { column: 'sort' },
};

export async function findCategory(q: Queryable, id: number, lock = false): Promise<CategoryRow | null> {
  const rows = await q.query<CategoryRow>(
    `SELECT ${CATEGORY_COLUMNS} FROM case_categories WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function codeTaken(q: Queryable, code: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM case_categories WHERE lower(code) = lower($1)', [code])).length > 0;
}

/** Whether `candidate` is `id` itself or below it in the tree (it could not become its parent). */
export async function isSelfOrDescendant(q: Queryable, id: number, candidate: number): Promise<boolean> {
  const rows = await q.query(
    `WITH RECURSIVE up AS (
       SELECT id, parent_id, 0 AS depth FROM case_categories WHERE id = $2
       UNION ALL SELECT c.id, c.parent_id, up.depth + 1 FROM case_categories c JOIN up ON c.id = up.parent_id
         WHERE up.depth < 50)
     SELECT 1 FROM up WHERE id = $1 LIMIT 1`,
    [id, candidate],
  );
  return rows.length > 0;
}

function columnValue(field: string, v: unknown): unknown {
  return CATEGORY_FIELDS[field]?.json && v !== null && v !== undefined ? JSON.stringify(v) : v;
}

export async function insertCategory(
  q: Queryable,
  fields: Record<string, unknown> & { code: string },
): Promise<CategoryRow> {
  const cols = ['code'];
  const vals: unknown[] = [fields.code];
  for (const [field, def] of Object.entries(CATEGORY_FIELDS)) {
    if (fields[field] === undefined) continue;
    cols.push(def.column);
    vals.push(columnValue(field, fields[field]));
  }
  const rows = await q.query<CategoryRow>(
    `INSERT INTO case_categories (${cols.join(', ')}) VALUES (${vals.map((_, i) => `$${i + 1}`).join(', ')})
     RETURNING ${CATEGORY_COLUMNS}`,
    vals,
  );
  return rows[0]!;
}

export async function updateCategory(q: Queryable, id: number, fields: Record<string, unknown>): Promise<CategoryRow> {
  const sets: string[] = [];
  const vals: unknown[] = [id];
  for (const [field, def] of Object.entries(CATEGORY_FIELDS)) {
    if (fields[field] === undefined) continue;
    vals.push(columnValue(field, fields[field]));
    sets.push(`${def.column} = $${vals.length}`);
  }
  sets.push('updated_at = now()');
  const rows = await q.query<CategoryRow>(
    `UPDATE case_categories SET ${sets.join(', ')} WHERE id = $1 RETURNING ${CATEGORY_COLUMNS}`,
    vals,
  );
  return rows[0]!;
}

export type StageRow = { code: string; nameZh: string; nameEn: string; type: string; sort: number };

const STAGE_COLUMNS = 'code, name_zh AS "nameZh", name_en AS "nameEn", type, sort';

export async function findStage(q: Queryable, code: string, lock = false): Promise<StageRow | null> {
  const rows = await q.query<StageRow>(
    `SELECT ${STAGE_COLUMNS} FROM case_stages WHERE code = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [code],
  );
  return rows[0] ?? null;
}

export async function updateStage(
  q: Queryable,
  code: string,
  f: { nameZh?: string; nameEn?: string; sort?: number },
): Promise<StageRow> {
  const rows = await q.query<StageRow>(
    `UPDATE case_stages SET name_zh = COALESCE($2, name_zh), name_en = COALESCE($3, name_en), sort = COALESCE($4, sort)
      WHERE code = $1 RETURNING ${STAGE_COLUMNS}`,
    [code, f.nameZh ?? null, f.nameEn ?? null, f.sort ?? null],
  );
  return rows[0]!;
}
