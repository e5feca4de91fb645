import type { Queryable } from '../../platform/db/client.js';
import type { StageType } from '../cases/cases.schemas.js';

/** The only SQL of the Open311 interface: its clients, and read-only views of categories and cases. */

export type ClientRow = {
  id: number;
  county_id: number;
  name: string;
  key_prefix: string;
  node_id: number;
  node_path: string;
  node_name: string;
  node_type: string;
  created_by: number | null;
  created_by_name: string | null;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
};

const CLIENT_COLUMNS = `k.id::int AS id, k.county_id::int AS county_id, k.name, k.key_prefix, k.node_id::int AS node_id,
  k.node_path, n.name AS node_name, n.type AS node_type, k.created_by::int AS created_by, u.display_name AS created_by_name,
  k.created_at, k.revoked_at, k.last_used_at`;
const CLIENT_FROM = `open311_clients k JOIN org_nodes n ON n.id = k.node_id LEFT JOIN users u ON u.id = k.created_by`;

export async function listClients(q: Queryable): Promise<ClientRow[]> {
  return q.query<ClientRow>(
    `SELECT ${CLIENT_COLUMNS} FROM ${CLIENT_FROM} ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC, k.id DESC`,
  );
}

export async function findClient(q: Queryable, id: number): Promise<ClientRow | undefined> {
  const rows = await q.query<ClientRow>(`SELECT ${CLIENT_COLUMNS} FROM ${CLIENT_FROM} WHERE k.id = $1`, [id]);
  return rows[0];
}

/** The active client holding the key (by its hash). */
export async function findClientByKeyHash(q: Queryable, hash: Buffer): Promise<ClientRow | undefined> {
  const rows = await q.query<ClientRow>(
    `SELECT ${CLIENT_COLUMNS} FROM ${CLIENT_FROM} WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
    [hash],
  );
  return rows[0];
}

export async function insertClient(
  q: Queryable,
  c: {
    countyId: number;
    name: string;
    keyHash: Buffer;
    keyPrefix: string;
    nodeId: number;
    nodePath: string;
    createdBy: number | null;
  },
): Promise<number> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO open311_clients (county_id, name, key_hash, key_prefix, node_id, node_path, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::int AS id`,
    [c.countyId, c.name, c.keyHash, c.keyPrefix, c.nodeId, c.nodePath, c.createdBy],
  );
  return rows[0]!.id;
}

export async function revokeClient(q: Queryable, id: number): Promise<boolean> {
  const rows = await q.query(
    'UPDATE open311_clients SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id',
    [id],
  );
  return rows.length === 1;
}

/** Marks a key used, at most once a minute (a busy client should not write on every request). */
export async function touchClient(q: Queryable, id: number): Promise<void> {
  await q.query(
    `UPDATE open311_clients SET last_used_at = now()
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}

export type NodeRow = { id: number; county_id: number; type: string; name: string; path: string; status: string };

export async function findNode(q: Queryable, id: number): Promise<NodeRow | undefined> {
  const rows = await q.query<NodeRow>(
    'SELECT id::int AS id, county_id::int AS county_id, type, name, path, status FROM org_nodes WHERE id = $1',
    [id],
  );
  return rows[0];
}

export async function nodeNames(q: Queryable, ids: number[]): Promise<Map<number, { name: string; type: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<{ id: number; name: string; type: string }>(
    'SELECT id::int AS id, name, type FROM org_nodes WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { name: r.name, type: r.type }]));
}

/** Active nodes under a path (itself included) that have a boundary, deepest first. */
export async function nodesWithBoundary(
  q: Queryable,
  path: string,
): Promise<{ id: number; type: string; path: string; boundary: unknown }[]> {
  return q.query(
    `SELECT id::int AS id, type, path, boundary FROM org_nodes
     WHERE path LIKE $1 || '%' AND status = 'active' AND boundary IS NOT NULL
     ORDER BY depth DESC, id`,
    [path],
  );
}

export type ServiceRow = {
  id: number;
  code: string;
  name_zh: string;
  name_en: string;
  description: string | null;
  group_zh: string | null;
  group_en: string | null;
  urgent: boolean;
};

/** Categories offered to Open311 clients: active, public leaves (a category with active children is a group). */
const SERVICE_SQL = `SELECT c.id::int AS id, c.code, c.name_zh, c.name_en, c.description, c.urgent,
    p.name_zh AS group_zh, p.name_en AS group_en
  FROM case_categories c LEFT JOIN case_categories p ON p.id = c.parent_id
  WHERE c.active AND c.public
    AND NOT EXISTS (SELECT 1 FROM case_categories ch WHERE ch.parent_id = c.id AND ch.active)`;

export async function listServices(q: Queryable): Promise<ServiceRow[]> {
  return q.query<ServiceRow>(`${SERVICE_SQL} ORDER BY p.sort NULLS FIRST, p.id NULLS FIRST, c.sort, c.id`);
}

export async function findService(q: Queryable, code: string): Promise<ServiceRow | undefined> {
  const rows = await q.query<ServiceRow>(`${SERVICE_SQL} AND c.code = $1`, [code]);
  return rows[0];
}

export type RequestRow = {
  id: number;
  stage: string;
  stage_type: StageType;
  stage_zh: string;
  stage_en: string;
  service_code: string;
  service_zh: string;
  service_en: string;
  description: string;
  source: string;
  address: string | null;
  node_id: number;
  node_path: string;
  lat: number | null;
  lng: number | null;
  department_name: string | null;
  assignee_node_name: string | null;
  merged_into_id: number | null;
  parked_until: string | null;
  handle_due_at: Date | null;
  created_at: Date;
  updated_at: Date;
  open311_token: string | null;
};

export type RequestQuery = {
  /** The client's area: cases whose node lies under it. */
  path: string;
  ids: number[] | null;
  token?: string;
  serviceCodes: string[] | null;
  stageTypes: StageType[] | null;
  /** Created within [from, to]; null: no bound. */
  from: Date | null;
  to: Date | null;
  limit: number;
};

/**
 * Cases in the client's area whose category is public, newest first. No reporter, contact or house columns are
 * read at all: nothing personal can leak into an answer.
 */
export async function listRequests(q: Queryable, f: RequestQuery): Promise<RequestRow[]> {
  const params: unknown[] = [f.path, f.limit];
  const where = [`c.node_path LIKE $1 || '%'`, 'cat.public'];
  if (f.from) {
    params.push(f.from);
    where.push(`c.created_at >= $${params.length}`);
  }
  if (f.to) {
    params.push(f.to);
    where.push(`c.created_at <= $${params.length}`);
  }
  if (f.ids) {
    params.push(f.ids);
    where.push(`c.id = ANY($${params.length}::bigint[])`);
  }
  if (f.token !== undefined) {
    params.push(f.token);
    where.push(`c.open311_token = $${params.length}`);
  }
  if (f.serviceCodes) {
    params.push(f.serviceCodes);
    where.push(`cat.code = ANY($${params.length}::text[])`);
  }
  if (f.stageTypes) {
    params.push(f.stageTypes);
    where.push(`st.type = ANY($${params.length}::text[])`);
  }
  return q.query<RequestRow>(
    `SELECT c.id::int AS id, c.stage, st.type AS stage_type, st.name_zh AS stage_zh, st.name_en AS stage_en,
       cat.code AS service_code, cat.name_zh AS service_zh, cat.name_en AS service_en, c.description, c.source,
       c.address, c.node_id::int AS node_id, c.node_path, c.lat, c.lng, d.name AS department_name,
       an.name AS assignee_node_name, c.merged_into_id::int AS merged_into_id, c.parked_until::text AS parked_until,
       c.handle_due_at, c.created_at, c.updated_at, c.open311_token
     FROM cases c
     JOIN case_categories cat ON cat.id = c.category_id
     JOIN case_stages st ON st.code = c.stage
     LEFT JOIN departments d ON d.id = c.assignee_department_id
     LEFT JOIN org_nodes an ON an.id = c.assignee_node_id
     WHERE ${where.join(' AND ')}
     ORDER BY c.created_at DESC, c.id DESC
     LIMIT $2`,
    params,
  );
}
