import { isValidPath, type Scope, scopeSql } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/client.js';
import { birthRangeForAges } from '../people/people.logic.js';
import type { HouseholdRaw, HouseRaw, ResidentRaw } from './reports.format.js';
import type { PlaceNode } from './reports.logic.js';
import type { ReportDefinition, ReportEntity, ReportFilters } from './reports.schemas.js';

/**
 * The only SQL of one-click reports: templates, and report definitions compiled to parameterised SQL over
 * residents, houses and households. Every statement carries the caller's scope (`scopeSql`) on the
 * entity's node path; rows are read in keyset pages, never in one statement.
 */

// ---- templates ---------------------------------------------------------------------------------------------

export type TemplateRow = {
  id: number;
  code: string | null;
  name: string;
  description: string | null;
  definition: ReportDefinition;
  builtin: boolean;
  created_by: number | null;
  /** Current path of the node the template is narrowed to (definition.filters.nodeId), if any. */
  pin_path: string | null;
  created_at: Date;
  updated_at: Date;
};

const TEMPLATE_COLS = `t.id, t.code, t.name, t.description, t.definition, t.builtin, t.created_by, t.created_at, t.updated_at,
  (SELECT n.path FROM org_nodes n WHERE n.id = (t.definition #>> '{filters,nodeId}')::bigint) AS pin_path`;

export async function listTemplates(q: Queryable): Promise<TemplateRow[]> {
  return q.query<TemplateRow>(`SELECT ${TEMPLATE_COLS} FROM report_templates t ORDER BY t.builtin DESC, t.id`);
}

export async function findTemplate(q: Queryable, id: number): Promise<TemplateRow | undefined> {
  const rows = await q.query<TemplateRow>(`SELECT ${TEMPLATE_COLS} FROM report_templates t WHERE t.id = $1`, [id]);
  return rows[0];
}

export async function insertTemplate(
  q: Queryable,
  t: { name: string; description: string | null; definition: ReportDefinition; createdBy: number | null },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO report_templates (name, description, definition, builtin, created_by)
     VALUES ($1, $2, $3, false, $4) RETURNING id`,
    [t.name, t.description, JSON.stringify(t.definition), t.createdBy],
  );
  return rows[0]!.id;
}

export async function updateTemplate(
  q: Queryable,
  id: number,
  t: { name: string; description: string | null; definition: ReportDefinition },
): Promise<void> {
  await q.query(
    `UPDATE report_templates SET name = $2, description = $3, definition = $4, updated_at = now()
      WHERE id = $1 AND NOT builtin`,
    [id, t.name, t.description, JSON.stringify(t.definition)],
  );
}

export async function deleteTemplate(q: Queryable, id: number): Promise<void> {
  await q.query('DELETE FROM report_templates WHERE id = $1 AND NOT builtin', [id]);
}

/** Inserts a built-in template, or brings it up to this version's definition; true when anything changed. */
export async function upsertBuiltinTemplate(
  q: Queryable,
  t: { code: string; name: string; description: string; definition: ReportDefinition },
): Promise<boolean> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO report_templates (code, name, description, definition, builtin)
     VALUES ($1, $2, $3, $4, true)
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
       definition = EXCLUDED.definition, builtin = true, updated_at = now()
     WHERE report_templates.name IS DISTINCT FROM EXCLUDED.name
        OR report_templates.description IS DISTINCT FROM EXCLUDED.description
        OR report_templates.definition IS DISTINCT FROM EXCLUDED.definition
        OR NOT report_templates.builtin
     RETURNING id`,
    [t.code, t.name, t.description, JSON.stringify(t.definition)],
  );
  return rows.length > 0;
}

// ---- places and tags ---------------------------------------------------------------------------------------

export type NodeRef = PlaceNode & { status: string };

export async function findNode(q: Queryable, id: number): Promise<NodeRef | undefined> {
  const rows = await q.query<NodeRef>('SELECT id, type, name, path, status FROM org_nodes WHERE id = $1', [id]);
  return rows[0];
}

export async function loadNodes(q: Queryable, ids: readonly number[]): Promise<PlaceNode[]> {
  if (ids.length === 0) return [];
  return q.query<PlaceNode>('SELECT id, type, name, path FROM org_nodes WHERE id = ANY($1::bigint[])', [ids]);
}

/** Active nodes of the given types inside the scope and area (the groups a count_by report lists even when empty). */
export async function listPlaceNodes(
  q: Queryable,
  types: readonly string[],
  scope: Scope,
  areaPaths: readonly string[],
): Promise<PlaceNode[]> {
  return q.query<PlaceNode>(
    `SELECT n.id, n.type, n.name, n.path FROM org_nodes n
      WHERE n.type = ANY($1::text[]) AND n.status = 'active' AND ${scopeSql(scope, 'n.path')} ${areaSql(areaPaths, 'n.path')}`,
    [types],
  );
}

/** A tag code with the ids of the tag and its descendants, split by sensitivity. */
export type ResolvedTag = { code: string; name: string; ids: number[]; sensitiveIds: number[] };

export async function resolveTags(q: Queryable, codes: readonly string[]): Promise<ResolvedTag[]> {
  if (codes.length === 0) return [];
  const rows = await q.query<{ code: string; name: string; ids: number[] | null; sensitive_ids: number[] | null }>(
    `WITH RECURSIVE sub AS (
       SELECT t.id AS root, t.id, t.sensitive FROM tags t WHERE t.code = ANY($1::text[])
       UNION ALL
       SELECT sub.root, c.id, c.sensitive FROM tags c JOIN sub ON c.parent_id = sub.id
     )
     SELECT r.code, r.name,
       array_agg(sub.id) FILTER (WHERE NOT sub.sensitive) AS ids,
       array_agg(sub.id) FILTER (WHERE sub.sensitive) AS sensitive_ids
       FROM tags r JOIN sub ON sub.root = r.id
      GROUP BY r.code, r.name`,
    [codes],
  );
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    ids: (r.ids ?? []).map(Number),
    sensitiveIds: (r.sensitive_ids ?? []).map(Number),
  }));
}

// ---- compiling a definition ---------------------------------------------------------------------------------

/** What a report reads: the entity, who reads it, where, and the definition's filters. */
export type ReportQuery = {
  entity: ReportEntity;
  /** Where the caller may export (reports.export). */
  scope: Scope;
  /** Where the caller sees sensitive tags (people.sensitive): elsewhere they neither show nor match. */
  sensitiveScope: Scope;
  /** Further narrowing to subtrees (a template's node, the requested node); every path must hold. */
  areaPaths: readonly string[];
  filters: ReportFilters;
  /** Today in Asia/Shanghai, YYYY-MM-DD, for ages. */
  today: string;
  tags: ReadonlyMap<string, ResolvedTag>;
};

const ALIAS: Record<ReportEntity, string> = { resident: 'r', house: 'h', household: 'hh' };
const TABLE: Record<ReportEntity, string> = { resident: 'residents r', house: 'houses h', household: 'households hh' };

function areaSql(paths: readonly string[], column: string): string {
  return paths
    .map((p) => {
      if (!isValidPath(p)) throw new Error(`invalid area path ${p}`);
      return `AND ${column} LIKE '${p}%'`;
    })
    .join(' ');
}

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** Residents (alias `m`) holding a visible tag of the subtree: sensitive ones count only where the caller sees them. */
function holdsTagSql(tag: ResolvedTag, alias: string, sensitiveScope: Scope, p: Params): string {
  const visible = [`rt.tag_id = ANY(${p.add(tag.ids)}::bigint[])`];
  if (tag.sensitiveIds.length > 0) {
    visible.push(
      `(${scopeSql(sensitiveScope, `${alias}.node_path`)} AND rt.tag_id = ANY(${p.add(tag.sensitiveIds)}::bigint[]))`,
    );
  }
  return `EXISTS (SELECT 1 FROM resident_tags rt WHERE rt.resident_id = ${alias}.id AND (${visible.join(' OR ')}))`;
}

function tagsFilterSql(rq: ReportQuery, alias: string, p: Params): string[] {
  const codes = rq.filters.tagCodes;
  if (!codes) return [];
  const parts = codes.map((c) => {
    const tag = rq.tags.get(c);
    if (!tag) throw new Error(`unresolved tag ${c}`);
    return holdsTagSql(tag, alias, rq.sensitiveScope, p);
  });
  return [`(${parts.join(rq.filters.tagMode === 'all' ? ' AND ' : ' OR ')})`];
}

/** The WHERE clause of a report (without the word), with its parameters. */
function compileWhere(rq: ReportQuery, p: Params): string {
  const a = ALIAS[rq.entity];
  const f = rq.filters;
  const parts = [scopeSql(rq.scope, `${a}.node_path`)];
  const area = areaSql(rq.areaPaths, `${a}.node_path`);
  if (area) parts.push(area.replace(/^AND /, ''));
  if (rq.entity === 'resident') {
    const status = f.status ?? 'active';
    if (status !== 'all') parts.push(`r.status = ${p.add(status)}`);
    if (f.sex) parts.push(`r.sex = ${p.add(f.sex)}`);
    if (f.ageMin !== undefined || f.ageMax !== undefined) {
      const range = birthRangeForAges(rq.today, f.ageMin, f.ageMax);
      if (range.bornOnOrBefore) parts.push(`r.birth_date <= ${p.add(range.bornOnOrBefore)}::date`);
      if (range.bornAfter) parts.push(`r.birth_date > ${p.add(range.bornAfter)}::date`);
    }
    parts.push(...tagsFilterSql(rq, 'r', p));
    if (f.houseUse)
      parts.push(
        `EXISTS (SELECT 1 FROM houses hu WHERE hu.id = r.house_id AND hu.use = ANY(${p.add(f.houseUse)}::text[]))`,
      );
  } else if (rq.entity === 'house') {
    if (f.houseUse) parts.push(`h.use = ANY(${p.add(f.houseUse)}::text[])`);
  } else {
    if ((f.status ?? 'active') === 'active') parts.push('hh.dissolved_at IS NULL');
    if (f.tagCodes) {
      const members = tagsFilterSql(rq, 'm', p);
      parts.push(
        `EXISTS (SELECT 1 FROM residents m WHERE m.household_id = hh.id AND m.status = 'active' AND ${members[0]})`,
      );
    }
    if (f.houseUse)
      parts.push(
        `EXISTS (SELECT 1 FROM houses hu WHERE hu.id = hh.house_id AND hu.use = ANY(${p.add(f.houseUse)}::text[]))`,
      );
  }
  return parts.join(' AND ');
}

/** Rows per node path (what the export will hold, and how to cut it into pages). */
export async function countByPath(q: Queryable, rq: ReportQuery): Promise<{ path: string; n: number }[]> {
  const p = new Params();
  const where = compileWhere(rq, p);
  const a = ALIAS[rq.entity];
  return q.query<{ path: string; n: number }>(
    `SELECT ${a}.node_path AS path, count(*)::int AS n FROM ${TABLE[rq.entity]} WHERE ${where} GROUP BY ${a}.node_path`,
    p.values,
  );
}

// ---- list pages ------------------------------------------------------------------------------------------------

type SortSql = { expr: string; key: string; cast: string; invert?: boolean };

/** Sortable fields: the ordering expression, its value as text for the keyset cursor, and its type. */
const SORTS: Record<ReportEntity, Record<string, SortSql>> = {
  resident: {
    name: { expr: 'r.name_pinyin COLLATE "C"', key: 'r.name_pinyin', cast: 'text' },
    birthDate: { expr: 'r.birth_date', key: "to_char(r.birth_date, 'YYYY-MM-DD')", cast: 'date' },
    // Older first is a later birth date last: age ascending is birth date descending.
    age: { expr: 'r.birth_date', key: "to_char(r.birth_date, 'YYYY-MM-DD')", cast: 'date', invert: true },
  },
  house: {
    room: { expr: 'h.room_no COLLATE "C"', key: 'h.room_no', cast: 'text' },
    floor: { expr: 'COALESCE(h.floor, 0)', key: 'COALESCE(h.floor, 0)::text', cast: 'int' },
    area: { expr: 'COALESCE(h.area, 0)', key: 'COALESCE(h.area, 0)::text', cast: 'numeric' },
  },
  household: {
    householdNo: {
      expr: `COALESCE(hh.household_no, '') COLLATE "C"`,
      key: `COALESCE(hh.household_no, '')`,
      cast: 'text',
    },
  },
};

/** Where a page ends: the last row's place in the segment (or its sort value) and id. */
export type Cursor = { key: string; id: number };

export type PageRequest = {
  /** The node paths of this segment (exact matches). */
  paths: readonly string[];
  /** null: in the order of `paths`, then by id; otherwise by the field, then id. */
  sort: { field: string; dir: 'asc' | 'desc' } | null;
  after: Cursor | null;
  limit: number;
  /** Fields the report shows: expensive sub-selects are made only for these. */
  fields: ReadonlySet<string>;
  /** Read the sealed ID and phone numbers too (an unmasked export). */
  sealed: boolean;
};

function orderSql(
  rq: ReportQuery,
  page: PageRequest,
  pathsParam: string,
  p: Params,
): { order: string; keyset: string; key: string } {
  const a = ALIAS[rq.entity];
  if (!page.sort) {
    // Rows follow the order of the segment's paths (the service's place order), then ids.
    const pos = `array_position(${pathsParam}::text[], ${a}.node_path)`;
    let keyset = '';
    if (page.after) {
      const k = `${p.add(Number(page.after.key))}::int`;
      keyset = `AND (${pos} > ${k} OR (${pos} = ${k} AND ${a}.id > ${p.add(page.after.id)}))`;
    }
    return { order: `${pos}, ${a}.id`, keyset, key: `${pos}::text` };
  }
  const s = SORTS[rq.entity][page.sort.field];
  if (!s) throw new Error(`not sortable: ${page.sort.field}`);
  const desc = (page.sort.dir === 'desc') !== (s.invert === true);
  let keyset = '';
  if (page.after) {
    const v = `${p.add(page.after.key)}::${s.cast}`;
    keyset = `AND (${s.expr} ${desc ? '<' : '>'} ${v} OR (${s.expr} = ${v} AND ${a}.id > ${p.add(page.after.id)}))`;
  }
  return { order: `${s.expr} ${desc ? 'DESC' : 'ASC'}, ${a}.id`, keyset, key: s.key };
}

function sealedCols(on: boolean, alias: string, prefix = ''): string {
  return on ? `, ${alias}.id_sealed AS ${prefix}id_sealed, ${alias}.phone_sealed AS ${prefix}phone_sealed` : '';
}

function selectSql(rq: ReportQuery, page: PageRequest): string {
  const has = (f: string) => page.fields.has(f);
  const living = `x.status = 'active'`;
  if (rq.entity === 'resident') {
    // Tags as one text (a 0/1 sensitivity flag before each name, unit separators between): cheaper than JSON.
    const tags = has('tags')
      ? `, (SELECT string_agg(CASE WHEN t.sensitive THEN '1' ELSE '0' END || t.name, E'\\x1f' ORDER BY t.sort, t.id)
           FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id WHERE rt.resident_id = r.id) AS tags_text`
      : '';
    const contacts = has('contacts')
      ? `, COALESCE((SELECT json_agg(json_build_object('name', c.name, 'relation', c.relation, 'phoneMasked', c.phone_masked
             ${page.sealed ? `, 'phoneSealed', encode(c.phone_sealed, 'base64')` : ''}) ORDER BY c.id)
           FROM resident_contacts c WHERE c.resident_id = r.id), '[]'::json) AS contacts`
      : '';
    return `SELECT r.id, r.node_path, r.name, r.sex, to_char(r.birth_date, 'YYYY-MM-DD') AS birth_date, r.ethnicity,
        r.id_masked, r.phone_masked, r.hukou_address, r.current_address, r.relation, r.status,
        ho.room_no, hd.household_no ${sealedCols(page.sealed, 'r')} ${tags} ${contacts}
      FROM residents r LEFT JOIN houses ho ON ho.id = r.house_id LEFT JOIN households hd ON hd.id = r.household_id`;
  }
  if (rq.entity === 'house') {
    const people =
      has('residents') || has('residentsDetail')
        ? `, COALESCE((SELECT json_agg(json_build_object('name', x.name, 'path', x.node_path, 'idMasked', x.id_masked,
               'phoneMasked', x.phone_masked
               ${page.sealed ? `, 'idSealed', encode(x.id_sealed, 'base64'), 'phoneSealed', encode(x.phone_sealed, 'base64')` : ''})
               ORDER BY x.id)
             FROM residents x WHERE x.house_id = h.id AND ${living} AND ${scopeSql(rq.scope, 'x.node_path')}), '[]'::json) AS residents`
        : '';
    const count = has('residentsCount')
      ? `, (SELECT count(*)::int FROM residents x WHERE x.house_id = h.id AND ${living}) AS residents_count`
      : '';
    const heads = has('headName')
      ? `, (SELECT json_agg(json_build_object('name', x.name, 'path', x.node_path) ORDER BY x.id)
           FROM households y JOIN residents x ON x.id = y.head_resident_id
          WHERE y.house_id = h.id AND y.dissolved_at IS NULL) AS heads`
      : '';
    return `SELECT h.id, h.node_path, h.room_no, h.floor, h.use, h.area::text AS area, h.address ${count} ${heads} ${people}
      FROM houses h`;
  }
  const members = has('members')
    ? `, COALESCE((SELECT json_agg(json_build_object('name', x.name, 'path', x.node_path) ORDER BY x.id)
         FROM residents x WHERE x.household_id = hh.id AND ${living}), '[]'::json) AS members`
    : '';
  const count = has('membersCount')
    ? `, (SELECT count(*)::int FROM residents x WHERE x.household_id = hh.id AND ${living}) AS members_count`
    : '';
  return `SELECT hh.id, hh.node_path, hh.household_no, ho.room_no, ho.use AS house_use,
      COALESCE(ho.address, hd.current_address) AS address, hd.name AS head_name, hd.node_path AS head_path,
      hd.id_masked AS head_id_masked, hd.phone_masked AS head_phone_masked ${sealedCols(page.sealed, 'hd', 'head_')}
      ${count} ${members}
    FROM households hh LEFT JOIN houses ho ON ho.id = hh.house_id LEFT JOIN residents hd ON hd.id = hh.head_resident_id`;
}

export type PageRow = (ResidentRaw | HouseRaw | HouseholdRaw) & { cursor_key: string };

/** One keyset page of a segment, in report order. */
export async function fetchPage(q: Queryable, rq: ReportQuery, page: PageRequest): Promise<PageRow[]> {
  const p = new Params();
  const where = compileWhere(rq, p);
  const a = ALIAS[rq.entity];
  const paths = p.add(page.paths);
  const { order, keyset, key } = orderSql(rq, page, paths, p);
  const select = selectSql(rq, page).replace(/^SELECT /, `SELECT ${key} AS cursor_key, `);
  const rows = await q.query<PageRow & { tags_text?: string | null }>(
    `${select} WHERE ${where} AND ${a}.node_path = ANY(${paths}::text[]) ${keyset}
      ORDER BY ${order} LIMIT ${p.add(page.limit)}`,
    p.values,
  );
  if (rq.entity === 'resident' && page.fields.has('tags')) {
    for (const r of rows as (ResidentRaw & { tags_text?: string | null })[]) {
      r.tags = (r.tags_text ?? '')
        .split('\x1f')
        .filter((s) => s !== '')
        .map((s) => ({ name: s.slice(1), sensitive: s[0] === '1' }));
    }
  }
  return rows;
}

// ---- counts per group -----------------------------------------------------------------------------------------

/**
 * Counts per node path for a count_by report: one column per measure, named by the measure's key. The
 * service adds node paths up into groups (grids, communities, buildings).
 */
export async function aggregateByPath(
  q: Queryable,
  rq: ReportQuery,
  measures: readonly string[],
): Promise<({ path: string } & Record<string, number>)[]> {
  const p = new Params();
  const where = compileWhere(rq, p);
  const a = ALIAS[rq.entity];
  const cols = measures.map((m, i) => `${measureSql(rq, m, p)} AS m${i}`);
  const rows = await q.query<Record<string, unknown>>(
    `SELECT ${a}.node_path AS path ${cols.map((c) => `, ${c}`).join('')}
       FROM ${TABLE[rq.entity]} WHERE ${where} GROUP BY ${a}.node_path`,
    p.values,
  );
  return rows.map((r) => {
    const out: { path: string } & Record<string, number> = { path: String(r.path) } as never;
    measures.forEach((m, i) => {
      out[m] = Number(r[`m${i}`] ?? 0);
    });
    return out;
  });
}

function measureSql(rq: ReportQuery, measure: string, p: Params): string {
  const count = (cond: string) => `count(*) FILTER (WHERE ${cond})::int`;
  const ageBound = (years: number) => birthRangeForAges(rq.today, years, undefined).bornOnOrBefore!;
  if (measure === 'total') return 'count(*)::int';
  if (rq.entity === 'resident') {
    switch (measure) {
      case 'male':
      case 'female':
        return count(`r.sex = ${p.add(measure)}`);
      case 'age60':
        return count(`r.birth_date <= ${p.add(ageBound(60))}::date`);
      case 'age80':
        return count(`r.birth_date <= ${p.add(ageBound(80))}::date`);
      case 'under18':
        return count(`r.birth_date > ${p.add(ageBound(18))}::date`);
    }
    const code = measure === 'special' ? 'special_groups' : measure.replace(/^tag:/, '');
    const tag = rq.tags.get(code);
    if (!tag) throw new Error(`unresolved tag ${code}`);
    return count(holdsTagSql(tag, 'r', rq.sensitiveScope, p));
  }
  if (rq.entity === 'house') {
    const uses: Record<string, string> = {
      ownerOccupied: 'owner_occupied',
      rented: 'rented',
      vacant: 'vacant',
      commercial: 'commercial',
    };
    if (uses[measure]) return count(`h.use = ${p.add(uses[measure])}`);
    if (measure === 'residents')
      return `COALESCE(sum((SELECT count(*) FROM residents x WHERE x.house_id = h.id AND x.status = 'active')), 0)::int`;
  }
  if (rq.entity === 'household' && measure === 'members')
    return `COALESCE(sum((SELECT count(*) FROM residents x WHERE x.household_id = hh.id AND x.status = 'active')), 0)::int`;
  throw new Error(`unknown measure ${measure}`);
}
