/**
 * The only SQL for the cases tables (cases, case_events, case_whistles, departments, categories, stages).
 * `listCasesPage` is the board's query (benchmarked by bench/cases.bench.ts).
 */
import { type Scope, scopeSql } from '../../platform/access/scope.js';
import type { Queryable } from '../../platform/db/client.js';
import type { CaseSource, CaseStage, SlaSpec, StageType } from './cases.schemas.js';

// ---------------------------------------------------------------------------------------------------------------
// Categories and stages

export type CategoryRow = {
  id: number;
  parent_id: number | null;
  code: string;
  name_zh: string;
  name_en: string;
  description: string | null;
  class: 'community' | 'event' | 'component';
  urgent: boolean;
  response_sla: SlaSpec | null;
  handle_sla: SlaSpec | null;
  verify_sla: SlaSpec | null;
  merge_radius_m: number;
  merge_window_hours: number;
  public: boolean;
  active: boolean;
  sort: number;
};

const CATEGORY_COLS = `id, parent_id, code, name_zh, name_en, description, class, urgent, response_sla, handle_sla,
  verify_sla, merge_radius_m, merge_window_hours, public, active, sort`;

export function listCategories(q: Queryable): Promise<CategoryRow[]> {
  return q.query<CategoryRow>(`SELECT ${CATEGORY_COLS} FROM case_categories ORDER BY parent_id NULLS FIRST, sort, id`);
}

export async function findCategory(q: Queryable, id: number): Promise<CategoryRow | undefined> {
  const rows = await q.query<CategoryRow>(`SELECT ${CATEGORY_COLS} FROM case_categories WHERE id = $1`, [id]);
  return rows[0];
}

export async function findCategoryByCode(q: Queryable, code: string): Promise<CategoryRow | undefined> {
  const rows = await q.query<CategoryRow>(`SELECT ${CATEGORY_COLS} FROM case_categories WHERE code = $1`, [code]);
  return rows[0];
}

/** The category and every category below it. */
export async function categorySubtree(q: Queryable, id: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `WITH RECURSIVE t AS (SELECT id FROM case_categories WHERE id = $1
       UNION ALL SELECT c.id FROM case_categories c JOIN t ON c.parent_id = t.id)
     SELECT id FROM t`,
    [id],
  );
  return rows.map((r) => Number(r.id));
}

export type CategorySeed = {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  class: 'community' | 'event' | 'component';
  urgent: boolean;
  responseSla: SlaSpec | null;
  handleSla: SlaSpec | null;
  verifySla: SlaSpec | null;
  sort: number;
};

/** Inserts a built-in category unless its code exists (an edited one is left as the installation made it). */
export async function insertCategoryIfMissing(q: Queryable, c: CategorySeed): Promise<void> {
  await q.query(
    `INSERT INTO case_categories (parent_id, code, name_zh, name_en, class, urgent, response_sla, handle_sla, verify_sla, sort)
     VALUES ((SELECT id FROM case_categories WHERE code = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (code) DO NOTHING`,
    [
      c.parentCode,
      c.code,
      c.nameZh,
      c.nameEn,
      c.class,
      c.urgent,
      c.responseSla ? JSON.stringify(c.responseSla) : null,
      c.handleSla ? JSON.stringify(c.handleSla) : null,
      c.verifySla ? JSON.stringify(c.verifySla) : null,
      c.sort,
    ],
  );
}

export type StageRow = { code: CaseStage; name_zh: string; name_en: string; type: StageType; sort: number };

export function listStages(q: Queryable): Promise<StageRow[]> {
  return q.query<StageRow>('SELECT code, name_zh, name_en, type, sort FROM case_stages ORDER BY sort, code');
}

// ---------------------------------------------------------------------------------------------------------------
// Places

export type NodeRow = {
  id: number;
  parent_id: number | null;
  type: string;
  name: string;
  path: string;
  status: string;
};

export async function findNode(q: Queryable, id: number): Promise<NodeRow | undefined> {
  const rows = await q.query<NodeRow>('SELECT id, parent_id, type, name, path, status FROM org_nodes WHERE id = $1', [
    id,
  ]);
  return rows[0];
}

export type HouseRow = { id: number; node_id: number; node_path: string; address: string | null };

export async function findHouse(q: Queryable, id: number): Promise<HouseRow | undefined> {
  const rows = await q.query<HouseRow>('SELECT id, node_id, node_path, address FROM houses WHERE id = $1', [id]);
  return rows[0];
}

/** The account's own house (through its linked resident) and its home node. */
export async function findUserPlace(
  q: Queryable,
  userId: number,
): Promise<{ house_id: number | null; home_node_id: number | null } | undefined> {
  const rows = await q.query<{ house_id: number | null; home_node_id: number | null }>(
    `SELECT r.house_id, u.home_node_id FROM users u LEFT JOIN residents r ON r.id = u.resident_id AND r.status = 'active'
      WHERE u.id = $1`,
    [userId],
  );
  return rows[0];
}

export type GridBoundary = { id: number; path: string; boundary: unknown };

/** Grids (and micro-grids) with a boundary under the given paths (null: everywhere), deepest first. */
export function gridsWithBoundary(q: Queryable, paths: string[] | null): Promise<GridBoundary[]> {
  return q.query<GridBoundary>(
    `SELECT id, path, boundary FROM org_nodes
      WHERE type IN ('grid', 'micro_grid') AND status = 'active' AND boundary IS NOT NULL
        AND ($1::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE path LIKE p || '%'))
      ORDER BY depth DESC, id`,
    [paths],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Departments

export type DepartmentRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  name: string;
  code: string | null;
  phone: string | null;
  active: boolean;
  members: { id: number; displayName: string }[];
};

const DEPARTMENT_SELECT = `SELECT d.id, d.county_id, d.node_id, d.node_path, n.name AS node_name, d.name, d.code, d.phone,
    d.active, COALESCE((SELECT json_agg(json_build_object('id', u.id, 'displayName', u.display_name) ORDER BY u.id)
      FROM department_members m JOIN users u ON u.id = m.user_id WHERE m.department_id = d.id), '[]'::json) AS members
  FROM departments d JOIN org_nodes n ON n.id = d.node_id`;

export async function findDepartment(q: Queryable, id: number, forUpdate = false): Promise<DepartmentRow | undefined> {
  if (forUpdate) await q.query('SELECT 1 FROM departments WHERE id = $1 FOR UPDATE', [id]);
  const rows = await q.query<DepartmentRow>(`${DEPARTMENT_SELECT} WHERE d.id = $1`, [id]);
  return rows[0];
}

/**
 * Departments at or above any of `abovePaths` (a node's own and its ancestors'), those at or under `underScope`,
 * and those the user belongs to.
 */
export function listDepartments(
  q: Queryable,
  f: { abovePaths: string[]; under: Scope | null; memberId: number },
): Promise<DepartmentRow[]> {
  const under = f.under ? scopeSql(f.under, 'd.node_path') : 'FALSE';
  return q.query<DepartmentRow>(
    `${DEPARTMENT_SELECT}
      WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) p WHERE p LIKE d.node_path || '%')
         OR ${under}
         OR EXISTS (SELECT 1 FROM department_members m WHERE m.department_id = d.id AND m.user_id = $2)
      ORDER BY length(d.node_path), d.name, d.id`,
    [f.abovePaths, f.memberId],
  );
}

export async function departmentIdsOf(q: Queryable, userId: number): Promise<number[]> {
  const rows = await q.query<{ department_id: number }>(
    'SELECT m.department_id FROM department_members m JOIN departments d ON d.id = m.department_id WHERE m.user_id = $1',
    [userId],
  );
  return rows.map((r) => Number(r.department_id));
}

export async function insertDepartment(
  q: Queryable,
  d: { countyId: number; nodeId: number; nodePath: string; name: string; code: string | null; phone: string | null },
): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO departments (county_id, node_id, node_path, name, code, phone) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (node_id, name) DO NOTHING RETURNING id`,
    [d.countyId, d.nodeId, d.nodePath, d.name, d.code, d.phone],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export async function updateDepartment(
  q: Queryable,
  id: number,
  d: { name: string; code: string | null; phone: string | null; active: boolean },
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE departments SET name = $2, code = $3, phone = $4, active = $5, updated_at = now()
      WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM departments o WHERE o.node_id = departments.node_id AND o.name = $2 AND o.id <> $1)
      RETURNING id`,
    [id, d.name, d.code, d.phone, d.active],
  );
  return rows.length > 0;
}

export async function setDepartmentMembers(q: Queryable, id: number, userIds: number[]): Promise<void> {
  await q.query('DELETE FROM department_members WHERE department_id = $1 AND NOT (user_id = ANY($2::bigint[]))', [
    id,
    userIds,
  ]);
  await q.query(
    `INSERT INTO department_members (department_id, user_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
    [id, userIds],
  );
}

/** Of these users, those holding a 'department' post at or under the node path (ids that may be members). */
export async function departmentPostHolders(q: Queryable, userIds: number[], nodePath: string): Promise<number[]> {
  const rows = await q.query<{ user_id: number }>(
    `SELECT DISTINCT p.user_id FROM posts p JOIN org_nodes n ON n.id = p.node_id JOIN users u ON u.id = p.user_id
      WHERE p.user_id = ANY($1::bigint[]) AND p.role = 'department' AND n.path LIKE $2 || '%' AND NOT u.disabled`,
    [userIds, nodePath],
  );
  return rows.map((r) => Number(r.user_id));
}

export async function departmentMemberIds(q: Queryable, departmentIds: number[]): Promise<number[]> {
  const rows = await q.query<{ user_id: number }>(
    'SELECT DISTINCT user_id FROM department_members WHERE department_id = ANY($1::bigint[])',
    [departmentIds],
  );
  return rows.map((r) => Number(r.user_id));
}

// ---------------------------------------------------------------------------------------------------------------
// Cases

export type CaseRow = {
  id: number;
  county_id: number;
  case_no: string;
  category_id: number;
  stage: CaseStage;
  title: string;
  description: string;
  source: CaseSource;
  reporter_id: number | null;
  reporter_name: string | null;
  contact_name: string | null;
  contact_phone_masked: string | null;
  node_id: number;
  node_path: string;
  house_id: number | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  assignee_node_id: number | null;
  assignee_department_id: number | null;
  handler_id: number | null;
  dispatched_at: Date | null;
  response_due_at: Date | null;
  accepted_at: Date | null;
  handle_due_at: Date | null;
  handled_at: Date | null;
  verify_due_at: Date | null;
  closed_at: Date | null;
  supervision: number;
  overdue: boolean;
  rework_count: number;
  parked_until: string | null;
  parked_from_stage: CaseStage | null;
  merged_into_id: number | null;
  rating: number | null;
  rating_comment: string | null;
  rated_at: Date | null;
  external_id: string | null;
  open311_token: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  // joined
  category_zh: string;
  category_en: string;
  urgent: boolean;
  stage_zh: string;
  stage_en: string;
  stage_type: StageType;
  node_label: string;
  grid_id: number | null;
  community_id: number | null;
  house_label: string | null;
  assignee_node_name: string | null;
  assignee_node_path: string | null;
  department_name: string | null;
  handler_name: string | null;
  thumb_id: string | null;
};

/**
 * The columns of a case row `c` for display. The names it shows (category, stage, reporter, house, assignee,
 * department, handler) are each a lookup by primary key in the select list rather than joins in FROM: with seven
 * joins beside the board's filters the planner searched join orders for 6–20 ms per query (bench:cases), several
 * times what the query took to run; a lookup per column plans in microseconds and runs only for the rows returned.
 */
const CASE_COLS = `c.id, c.county_id, c.case_no, c.category_id, c.stage, c.title, c.description, c.source,
    c.reporter_id, (SELECT u.display_name FROM users u WHERE u.id = c.reporter_id) AS reporter_name, c.contact_name, c.contact_phone_masked, c.node_id, c.node_path,
    c.house_id, c.lat, c.lng, c.address, c.assignee_node_id, c.assignee_department_id, c.handler_id, c.dispatched_at,
    c.response_due_at, c.accepted_at, c.handle_due_at, c.handled_at, c.verify_due_at, c.closed_at, c.supervision,
    c.overdue, c.rework_count, to_char(c.parked_until, 'YYYY-MM-DD') AS parked_until, c.parked_from_stage,
    c.merged_into_id, c.rating, c.rating_comment, c.rated_at, c.external_id, c.open311_token, c.version,
    c.created_at, c.updated_at,
    (SELECT cat.name_zh FROM case_categories cat WHERE cat.id = c.category_id) AS category_zh,
    (SELECT cat.name_en FROM case_categories cat WHERE cat.id = c.category_id) AS category_en,
    (SELECT cat.urgent FROM case_categories cat WHERE cat.id = c.category_id) AS urgent,
    (SELECT st.name_zh FROM case_stages st WHERE st.code = c.stage) AS stage_zh,
    (SELECT st.name_en FROM case_stages st WHERE st.code = c.stage) AS stage_en,
    (SELECT st.type FROM case_stages st WHERE st.code = c.stage) AS stage_type,
    (SELECT string_agg(a.name, ' / ' ORDER BY a.depth) FROM org_nodes a
      WHERE a.id = ANY(string_to_array(trim(both '/' from c.node_path), '/')::bigint[])
        AND a.type NOT IN ('county', 'street', 'town')) AS node_label,
    (SELECT a.id FROM org_nodes a WHERE a.id = ANY(string_to_array(trim(both '/' from c.node_path), '/')::bigint[])
        AND a.type = 'grid' LIMIT 1) AS grid_id,
    (SELECT a.id FROM org_nodes a WHERE a.id = ANY(string_to_array(trim(both '/' from c.node_path), '/')::bigint[])
        AND a.type IN ('community', 'village') LIMIT 1) AS community_id,
    (SELECT h.room_no FROM houses h WHERE h.id = c.house_id) AS house_label,
    (SELECT an.name FROM org_nodes an WHERE an.id = c.assignee_node_id) AS assignee_node_name,
    (SELECT an.path FROM org_nodes an WHERE an.id = c.assignee_node_id) AS assignee_node_path,
    (SELECT d.name FROM departments d WHERE d.id = c.assignee_department_id) AS department_name,
    (SELECT u.display_name FROM users u WHERE u.id = c.handler_id) AS handler_name,
    (SELECT f.public_id FROM case_events e JOIN files f ON f.attached_type = 'case_event' AND f.attached_id = e.id
      WHERE e.case_id = c.id AND e.public AND f.thumb_sha256 IS NOT NULL ORDER BY e.at, e.id, f.id LIMIT 1) AS thumb_id`;

const CASE_SELECT = `SELECT ${CASE_COLS} FROM cases c`;

export async function findCase(q: Queryable, id: number, forUpdate = false): Promise<CaseRow | undefined> {
  // Lock the row first (FOR UPDATE cannot stand beside the aggregates of the select).
  if (forUpdate) await q.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [id]);
  const rows = await q.query<CaseRow>(`${CASE_SELECT} WHERE c.id = $1`, [id]);
  return rows[0];
}

export type NewCase = {
  countyId: number;
  categoryId: number;
  title: string;
  description: string;
  source: CaseSource;
  reporterId: number | null;
  contactName: string | null;
  contactPhoneSealed: Buffer | null;
  contactPhoneMasked: string | null;
  nodeId: number;
  nodePath: string;
  houseId: number | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  externalId: string | null;
  open311Token: string | null;
};

/** Inserts a reported case with the next case number of its county and day (SJ20261207-000123). */
export async function insertCase(q: Queryable, c: NewCase): Promise<number> {
  const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).replaceAll('-', '');
  const prefix = `SJ${day}-`;
  // One writer per county and day at a time, so that numbers are consecutive.
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cases.no:${c.countyId}:${day}`]);
  const rows = await q.query<{ id: number }>(
    `INSERT INTO cases (county_id, case_no, category_id, stage, title, description, source, reporter_id, contact_name,
       contact_phone_sealed, contact_phone_masked, node_id, node_path, house_id, lat, lng, address, external_id,
       open311_token)
     VALUES ($1, $2 || lpad((COALESCE((SELECT max(substr(case_no, length($2) + 1)::int) FROM cases
                WHERE county_id = $1 AND case_no LIKE $2 || '%'), 0) + 1)::text, 6, '0'),
       $3, 'reported', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     RETURNING id`,
    [
      c.countyId,
      prefix,
      c.categoryId,
      c.title,
      c.description,
      c.source,
      c.reporterId,
      c.contactName,
      c.contactPhoneSealed,
      c.contactPhoneMasked,
      c.nodeId,
      c.nodePath,
      c.houseId,
      c.lat,
      c.lng,
      c.address,
      c.externalId,
      c.open311Token,
    ],
  );
  return Number(rows[0]!.id);
}

/** The columns a transition may change. */
export type CasePatch = Partial<
  Pick<
    CaseRow,
    | 'stage'
    | 'assignee_node_id'
    | 'assignee_department_id'
    | 'handler_id'
    | 'dispatched_at'
    | 'response_due_at'
    | 'accepted_at'
    | 'handle_due_at'
    | 'handled_at'
    | 'verify_due_at'
    | 'closed_at'
    | 'supervision'
    | 'overdue'
    | 'rework_count'
    | 'parked_until'
    | 'parked_from_stage'
    | 'merged_into_id'
    | 'rating'
    | 'rating_comment'
    | 'rated_at'
  >
>;

export async function updateCase(q: Queryable, id: number, patch: CasePatch): Promise<void> {
  const keys = Object.keys(patch) as (keyof CasePatch)[];
  const sets = keys.map((k, i) => `${k} = $${i + 2}`);
  await q.query(
    `UPDATE cases SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1`,
    [id, ...keys.map((k) => patch[k])],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The board

export type CaseView = 'board' | 'tasks' | 'reported' | 'department';

export type CasePageFilter = {
  view: CaseView;
  /** cases.read area (board). */
  readScope: Scope;
  /** cases.handle area (tasks). */
  handleScope: Scope;
  userId: number;
  /** The caller's departments (department view). */
  departmentIds: number[];
  stages?: CaseStage[];
  categoryIds?: number[];
  nodePath?: string;
  departmentId?: number;
  source?: CaseSource;
  supervision?: number;
  overdue?: boolean;
  from?: string;
  to?: string;
  q?: string;
  limit: number;
  after?: { at: string; id: number };
};

function viewWhere(f: CasePageFilter, p: unknown[]): string {
  switch (f.view) {
    case 'board':
      return scopeSql(f.readScope, 'c.node_path');
    case 'tasks': {
      p.push(f.userId);
      const me = `$${p.length}`;
      return `((c.stage = 'reported' AND ${scopeSql(f.handleScope, 'c.node_path')})
        OR (c.stage = 'dispatched' AND c.assignee_node_id IS NOT NULL AND EXISTS (SELECT 1 FROM org_nodes an
              WHERE an.id = c.assignee_node_id AND ${scopeSql(f.handleScope, 'an.path')}))
        OR (c.handler_id = ${me} AND c.stage IN ('handling', 'escalated')))`;
    }
    case 'reported':
      p.push(f.userId);
      return `c.reporter_id = $${p.length}`;
    case 'department':
      p.push(f.departmentIds);
      return `(c.assignee_department_id = ANY($${p.length}::bigint[])
        OR EXISTS (SELECT 1 FROM case_whistles w WHERE w.case_id = c.id AND w.department_id = ANY($${p.length}::bigint[])))`;
  }
}

function filterWhere(f: CasePageFilter, p: unknown[], withStage: boolean): string[] {
  const w = [viewWhere(f, p)];
  const add = (v: unknown, sql: (i: string) => string) => {
    p.push(v);
    w.push(sql(`$${p.length}`));
  };
  if (withStage && f.stages?.length) add(f.stages, (i) => `c.stage = ANY(${i}::text[])`);
  if (f.categoryIds) add(f.categoryIds, (i) => `c.category_id = ANY(${i}::bigint[])`);
  if (f.nodePath) add(f.nodePath, (i) => `c.node_path LIKE ${i} || '%'`);
  if (f.departmentId !== undefined) {
    add(
      f.departmentId,
      (i) =>
        `(c.assignee_department_id = ${i} OR EXISTS (SELECT 1 FROM case_whistles w WHERE w.case_id = c.id AND w.department_id = ${i}))`,
    );
  }
  if (f.source) add(f.source, (i) => `c.source = ${i}`);
  if (f.supervision !== undefined) add(f.supervision, (i) => `c.supervision >= ${i}`);
  if (f.overdue !== undefined) add(f.overdue, (i) => `c.overdue = ${i}`);
  if (f.from) add(f.from, (i) => `c.created_at >= ${i}::timestamptz`);
  if (f.to) add(f.to, (i) => `c.created_at < ${i}::timestamptz`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    add(like, (i) => `(c.case_no ILIKE ${i} OR c.title ILIKE ${i})`);
  }
  return w;
}

/**
 * One page of the board, newest first, after a (created_at, id) cursor. The page's ids are chosen from `cases`
 * alone (the filters, the order and the limit: cases_board_filter_idx, cases_board_idx or cases_stage_idx), and
 * the display columns (CASE_COLS) are read only for those ids: planned together with the filters, the eight-table
 * join took 15–42 ms to plan on 1,000,000 cases (bench:cases), longer than the query ran.
 */
export function listCasesPage(q: Queryable, f: CasePageFilter): Promise<CaseRow[]> {
  const p: unknown[] = [];
  const w = filterWhere(f, p, true);
  if (f.after) {
    p.push(f.after.at, f.after.id);
    w.push(`(c.created_at, c.id) < ($${p.length - 1}::timestamptz, $${p.length}::bigint)`);
  }
  p.push(f.limit);
  return q.query<CaseRow>(
    `WITH page AS MATERIALIZED (
       SELECT c.id, c.created_at FROM cases c WHERE ${w.join(' AND ')}
        ORDER BY c.created_at DESC, c.id DESC LIMIT $${p.length})
     SELECT ${CASE_COLS}
       FROM page JOIN cases c ON c.id = page.id
      ORDER BY page.created_at DESC, page.id DESC`,
    p,
  );
}

/** Cases per stage for the same filters without the stage filter (the kanban's column heads). */
export async function countCasesByStage(q: Queryable, f: CasePageFilter): Promise<Record<string, number>> {
  const p: unknown[] = [];
  const w = filterWhere(f, p, false);
  const rows = await q.query<{ stage: string; n: number }>(
    `SELECT c.stage, count(*)::int AS n FROM cases c WHERE ${w.join(' AND ')} GROUP BY c.stage`,
    p,
  );
  return Object.fromEntries(rows.map((r) => [r.stage, Number(r.n)]));
}

/**
 * Open cases of a category reported within the window, at the same house or node, or within the radius of the
 * point (equirectangular distance: exact enough at tens of metres), in the reader's area.
 */
export function findSimilar(
  q: Queryable,
  s: {
    categoryId: number;
    windowHours: number;
    radiusM: number;
    houseId: number | null;
    nodeId: number | null;
    lat: number | null;
    lng: number | null;
    exceptId: number | null;
    scope: Scope;
  },
): Promise<CaseRow[]> {
  return q.query<CaseRow>(
    `${CASE_SELECT}
      WHERE c.category_id = $1 AND c.stage IN ('reported', 'dispatched', 'handling', 'whistled', 'escalated', 'handled', 'parked')
        AND c.created_at >= now() - make_interval(hours => $2::int)
        AND ($6::bigint IS NULL OR c.id <> $6)
        AND ${scopeSql(s.scope, 'c.node_path')}
        AND (($4::bigint IS NOT NULL AND c.house_id = $4)
          OR ($5::bigint IS NOT NULL AND c.node_id = $5)
          OR ($7::float8 IS NOT NULL AND c.lat IS NOT NULL AND
              6371000 * sqrt(power(radians(c.lat - $7::float8), 2)
                + power(radians(c.lng - $8::float8) * cos(radians(($7::float8 + c.lat) / 2)), 2)) <= $3::float8))
      ORDER BY c.created_at DESC, c.id DESC LIMIT 20`,
    [s.categoryId, s.windowHours, s.radiusM, s.houseId, s.nodeId, s.exceptId, s.lat, s.lng],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Timeline

export type EventRow = {
  id: number;
  at: Date;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  from_stage: CaseStage | null;
  to_stage: CaseStage | null;
  note: string | null;
  data: Record<string, unknown> | null;
  public: boolean;
};

export async function insertEvent(
  q: Queryable,
  e: {
    countyId: number;
    caseId: number;
    actorId: number | null;
    actorName: string | null;
    action: string;
    fromStage: CaseStage | null;
    toStage: CaseStage | null;
    note: string | null;
    data: Record<string, unknown> | null;
    isPublic: boolean;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO case_events (county_id, case_id, actor_id, actor_name, action, from_stage, to_stage, note, data, public)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      e.countyId,
      e.caseId,
      e.actorId,
      e.actorName,
      e.action,
      e.fromStage,
      e.toStage,
      e.note,
      e.data === null ? null : JSON.stringify(e.data),
      e.isPublic,
    ],
  );
  return Number(rows[0]!.id);
}

export function listEvents(q: Queryable, caseId: number, publicOnly: boolean): Promise<EventRow[]> {
  return q.query<EventRow>(
    `SELECT id, at, actor_id, actor_name, action, from_stage, to_stage, note, data, public FROM case_events
      WHERE case_id = $1 AND ($2::boolean = false OR public) ORDER BY at, id`,
    [caseId, publicOnly],
  );
}

export async function findEvent(
  q: Queryable,
  id: number,
): Promise<{ id: number; case_id: number; actor_id: number | null; public: boolean } | undefined> {
  const rows = await q.query<{ id: number; case_id: number; actor_id: number | null; public: boolean }>(
    'SELECT id, case_id, actor_id, public FROM case_events WHERE id = $1',
    [id],
  );
  return rows[0];
}

export type EventFileRow = {
  event_id: number;
  public_id: string;
  mime: string;
  original_name: string;
  has_thumb: boolean;
};

export function listEventFiles(q: Queryable, eventIds: number[]): Promise<EventFileRow[]> {
  return q.query<EventFileRow>(
    `SELECT attached_id AS event_id, public_id, mime, original_name, thumb_sha256 IS NOT NULL AS has_thumb FROM files
      WHERE attached_type = 'case_event' AND attached_id = ANY($1::bigint[]) ORDER BY attached_id, id`,
    [eventIds],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Whistles

export type WhistleRow = {
  id: number;
  case_id: number;
  department_id: number;
  department_name: string;
  status: 'pending' | 'accepted' | 'reported' | 'returned';
  due_at: Date;
  whistled_at: Date;
  accepted_at: Date | null;
  reported_at: Date | null;
  note: string | null;
  on_time: boolean | null;
};

const WHISTLE_SELECT = `SELECT w.id, w.case_id, w.department_id, d.name AS department_name, w.status, w.due_at,
    w.whistled_at, w.accepted_at, w.reported_at, w.note, w.on_time
  FROM case_whistles w JOIN departments d ON d.id = w.department_id`;

export function listWhistles(q: Queryable, caseId: number): Promise<WhistleRow[]> {
  return q.query<WhistleRow>(`${WHISTLE_SELECT} WHERE w.case_id = $1 ORDER BY w.whistled_at, w.id`, [caseId]);
}

export async function findWhistle(q: Queryable, id: number): Promise<WhistleRow | undefined> {
  const rows = await q.query<WhistleRow>(`${WHISTLE_SELECT} WHERE w.id = $1`, [id]);
  return rows[0];
}

/** Whistles a case to a department unless an open whistle to it exists; true when added. */
export async function insertWhistle(
  q: Queryable,
  w: { countyId: number; caseId: number; departmentId: number; dueAt: Date; whistledBy: number | null },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO case_whistles (county_id, case_id, department_id, due_at, whistled_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (case_id, department_id) WHERE status IN ('pending', 'accepted') DO NOTHING RETURNING id`,
    [w.countyId, w.caseId, w.departmentId, w.dueAt, w.whistledBy],
  );
  return rows.length > 0;
}

export async function updateWhistle(
  q: Queryable,
  id: number,
  status: 'accepted' | 'reported' | 'returned',
  userId: number | null,
  note: string | null,
): Promise<void> {
  if (status === 'accepted') {
    await q.query(
      `UPDATE case_whistles SET status = 'accepted', accepted_at = now(), accepted_by = $2, note = COALESCE($3, note) WHERE id = $1`,
      [id, userId, note],
    );
  } else {
    await q.query(
      `UPDATE case_whistles SET status = $2, reported_at = now(), reported_by = $3, note = $4, on_time = (now() <= due_at)
        WHERE id = $1`,
      [id, status, userId, note],
    );
  }
}

/** Closes the open whistles of a case (merged, cancelled, parked ones keep theirs). */
export async function countOpenWhistles(q: Queryable, caseId: number): Promise<{ open: number; reported: number }> {
  const rows = await q.query<{ open: number; reported: number }>(
    `SELECT count(*) FILTER (WHERE status IN ('pending', 'accepted'))::int AS open,
            count(*) FILTER (WHERE status = 'reported')::int AS reported
       FROM case_whistles WHERE case_id = $1`,
    [caseId],
  );
  return { open: Number(rows[0]!.open), reported: Number(rows[0]!.reported) };
}

// ---------------------------------------------------------------------------------------------------------------
// Workbench

type TodoRows = { total: number; items: { id: number; case_no: string; title: string; at: Date }[] };

async function todos(q: Queryable, where: string, params: unknown[]): Promise<TodoRows> {
  const rows = await q.query<{ id: number; case_no: string; title: string; at: Date; total: number }>(
    `SELECT c.id, c.case_no, c.title, c.created_at AS at, count(*) OVER ()::int AS total FROM cases c
      WHERE ${where} ORDER BY c.created_at DESC, c.id DESC LIMIT 5`,
    params,
  );
  return { total: rows[0] ? Number(rows[0].total) : 0, items: rows };
}

/** Reported cases in the handler's area, and cases dispatched to a grid of it. */
export function todosToAccept(q: Queryable, handleScope: Scope): Promise<TodoRows> {
  return todos(
    q,
    `((c.stage = 'reported' AND ${scopeSql(handleScope, 'c.node_path')})
      OR (c.stage = 'dispatched' AND EXISTS (SELECT 1 FROM org_nodes an WHERE an.id = c.assignee_node_id
            AND ${scopeSql(handleScope, 'an.path')})))`,
    [],
  );
}

export function todosToVerify(q: Queryable, manageScope: Scope): Promise<TodoRows> {
  return todos(q, `c.stage = 'handled' AND ${scopeSql(manageScope, 'c.node_path')}`, []);
}

export function todosOverdue(q: Queryable, readScope: Scope): Promise<TodoRows> {
  return todos(
    q,
    `c.overdue AND c.stage NOT IN ('closed', 'merged', 'cancelled') AND ${scopeSql(readScope, 'c.node_path')}`,
    [],
  );
}

export function todosWhistles(q: Queryable, departmentIds: number[]): Promise<TodoRows> {
  return todos(
    q,
    `c.stage = 'whistled' AND EXISTS (SELECT 1 FROM case_whistles w WHERE w.case_id = c.id
       AND w.department_id = ANY($1::bigint[]) AND w.status IN ('pending', 'accepted'))`,
    [departmentIds],
  );
}

export async function countMonth(
  q: Queryable,
  scope: Scope,
  since: Date,
): Promise<{ received: number; closed: number; open: number; overdue: number }> {
  const rows = await q.query<{ received: number; closed: number; open: number; overdue: number }>(
    `SELECT count(*) FILTER (WHERE c.created_at >= $1)::int AS received,
            count(*) FILTER (WHERE c.closed_at >= $1)::int AS closed,
            count(*) FILTER (WHERE c.stage IN ('reported', 'dispatched', 'handling', 'whistled', 'escalated', 'handled', 'parked'))::int AS open,
            count(*) FILTER (WHERE c.overdue AND c.stage NOT IN ('closed', 'merged', 'cancelled'))::int AS overdue
       FROM cases c WHERE ${scopeSql(scope, 'c.node_path')}
        AND (c.created_at >= $1 OR c.closed_at >= $1 OR c.stage NOT IN ('closed', 'merged', 'cancelled'))`,
    [since],
  );
  const r = rows[0]!;
  return { received: Number(r.received), closed: Number(r.closed), open: Number(r.open), overdue: Number(r.overdue) };
}

// ---------------------------------------------------------------------------------------------------------------
// My tasks (grid work [F])

export type CaseTaskRow = {
  id: number;
  case_no: string;
  title: string;
  stage: CaseStage;
  due_at: Date | null;
  overdue: boolean;
  urgent: boolean;
  place: string | null;
  created_at: Date;
  total: number;
  overdue_total: number;
};

/**
 * The cases waiting for one handler, most pressing first, and how many there are (and overdue) beyond the limit:
 * the workbench's "to accept" (reported in their cases.handle area, dispatched to a node of it) and the cases they
 * handle (handler = them, handling or escalated). Three indexed branches (cases_board_idx / cases_stage_idx,
 * cases_assignee_node_idx, cases_handler_idx) in one statement; the counts are a plain aggregate and urgency a hash
 * join (a window count and a per-row category lookup cost a whole county's 100,000 waiting cases 2.7 s instead of
 * 0.27 s on PostgreSQL); the display columns are read for the page only.
 * Due: the response deadline while the case waits to be accepted, else the handling deadline; overdue: past it, or
 * marked so by the SLA sweep.
 */
export async function caseTasks(
  q: Queryable,
  handleScope: Scope,
  userId: number,
  now: Date,
  limit: number,
): Promise<CaseTaskRow[]> {
  return q.query<CaseTaskRow>(
    `WITH mine AS MATERIALIZED (
       SELECT c.id, c.stage, c.category_id, c.supervision, c.created_at, c.overdue AS marked,
              c.response_due_at AS due_at
         FROM cases c WHERE c.stage = 'reported' AND ${scopeSql(handleScope, 'c.node_path')}
       UNION ALL
       SELECT c.id, c.stage, c.category_id, c.supervision, c.created_at, c.overdue, c.response_due_at
         FROM cases c WHERE c.stage = 'dispatched'
          AND c.assignee_node_id IN (SELECT an.id FROM org_nodes an WHERE ${scopeSql(handleScope, 'an.path')})
       UNION ALL
       SELECT c.id, c.stage, c.category_id, c.supervision, c.created_at, c.overdue, c.handle_due_at
         FROM cases c WHERE c.handler_id = $1 AND c.stage IN ('handling', 'escalated')),
     counts AS (
       SELECT count(*)::int AS total, count(*) FILTER (WHERE m.marked OR m.due_at < $2)::int AS overdue_total
         FROM mine m),
     ranked AS MATERIALIZED (
       SELECT m.*, (m.marked OR m.due_at < $2) AS late, (m.supervision > 0 OR cat.urgent) AS hot
         FROM mine m JOIN case_categories cat ON cat.id = m.category_id
        ORDER BY m.due_at ASC NULLS LAST, hot DESC, m.created_at ASC, m.id ASC
        LIMIT $3)
     SELECT r.id, c.case_no, c.title, r.stage, r.due_at, r.late AS overdue, r.hot AS urgent, r.created_at,
            n.total, n.overdue_total,
            concat_ws(' ', (SELECT string_agg(a.name, ' / ' ORDER BY a.depth) FROM org_nodes a
               WHERE a.id = ANY(string_to_array(trim(both '/' from c.node_path), '/')::bigint[])
                 AND a.type NOT IN ('county', 'street', 'town')),
              (SELECT h.room_no FROM houses h WHERE h.id = c.house_id)) AS place
       FROM ranked r JOIN cases c ON c.id = r.id CROSS JOIN counts n
      ORDER BY r.due_at ASC NULLS LAST, r.hot DESC, r.created_at ASC, r.id ASC`,
    [userId, now, limit],
  );
}
