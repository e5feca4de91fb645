import type { Queryable } from '../../platform/db/client.js';
import type { ClaimStatus, DeliveryStatus, OrgKind, OrgStatus } from './partners.logic.js';

/** SQL of the partners module: organisations, projects, claims and deliveries. */

export type OrgRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  name: string;
  kind: OrgKind;
  credit_code: string | null;
  contact_name: string | null;
  phone_masked: string | null;
  description: string | null;
  status: OrgStatus;
  review_note: string | null;
  reviewed_at: Date | null;
  created_at: Date;
  members: number;
  claims: number;
  confirmed: number;
  balance: number;
};

const ORG_SELECT = `SELECT o.id, o.county_id, o.node_id, o.node_path, n.name AS node_name, o.name, o.kind, o.credit_code,
    o.contact_name, o.phone_masked, o.description, o.status, o.review_note, o.reviewed_at, o.created_at,
    (SELECT count(*) FROM partner_members m WHERE m.org_id = o.id)::int AS members,
    (SELECT count(*) FROM partner_claims c WHERE c.org_id = o.id AND c.status <> 'withdrawn')::int AS claims,
    (SELECT count(*) FROM partner_deliveries d JOIN partner_claims c ON c.id = d.claim_id
      WHERE c.org_id = o.id AND d.status = 'confirmed')::int AS confirmed,
    COALESCE((SELECT a.balance FROM ledger_accounts a
      WHERE a.kind = 'organisation' AND a.organisation_id = o.id AND a.currency = 'points'), 0)::bigint AS balance
  FROM partner_orgs o JOIN org_nodes n ON n.id = o.node_id`;

export async function findOrg(q: Queryable, id: number, lock = false): Promise<OrgRow | undefined> {
  if (lock) await q.query('SELECT id FROM partner_orgs WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<OrgRow>(`${ORG_SELECT} WHERE o.id = $1`, [id]);
  return r;
}

export async function listOrgs(
  q: Queryable,
  f: { scope: string; nodePath?: string; status?: string; limit: number; offset: number },
): Promise<{ rows: OrgRow[]; total: number }> {
  const where = [f.scope];
  const params: unknown[] = [];
  if (f.nodePath !== undefined) {
    params.push(f.nodePath);
    where.push(`o.node_path LIKE $${params.length} || '%'`);
  }
  if (f.status !== undefined) {
    params.push(f.status);
    where.push(`o.status = $${params.length}`);
  }
  const w = where.join(' AND ');
  const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM partner_orgs o WHERE ${w}`, params);
  const rows = await q.query<OrgRow>(
    `${ORG_SELECT} WHERE ${w} ORDER BY (o.status = 'applied') DESC, o.created_at DESC, o.id DESC
     LIMIT ${f.limit} OFFSET ${f.offset}`,
    params,
  );
  return { rows, total: c!.n };
}

export async function orgsOfUser(q: Queryable, userId: number): Promise<OrgRow[]> {
  return q.query<OrgRow>(
    `${ORG_SELECT} WHERE o.id IN (SELECT org_id FROM partner_members WHERE user_id = $1) ORDER BY o.id`,
    [userId],
  );
}

export async function isMember(q: Queryable, orgId: number, userId: number): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM partner_members WHERE org_id = $1 AND user_id = $2', [orgId, userId]);
  return rows.length > 0;
}

export async function insertOrg(
  q: Queryable,
  o: {
    countyId: number;
    nodeId: number;
    nodePath: string;
    name: string;
    kind: string;
    creditCode: string;
    contactName: string;
    phoneMasked: string | null;
    phoneSealed: Uint8Array | null;
    description: string | null;
    status: 'applied' | 'approved';
    userId: number;
  },
): Promise<number> {
  const [r] = await q.query<{ id: number }>(
    `INSERT INTO partner_orgs (county_id, node_id, node_path, name, kind, credit_code, contact_name, phone_masked,
       phone_sealed, description, status, applied_by, reviewed_by, reviewed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
       CASE WHEN $11 = 'approved' THEN $12::bigint END, CASE WHEN $11 = 'approved' THEN now() END)
     RETURNING id`,
    [
      o.countyId,
      o.nodeId,
      o.nodePath,
      o.name,
      o.kind,
      o.creditCode,
      o.contactName,
      o.phoneMasked,
      o.phoneSealed,
      o.description,
      o.status,
      o.userId,
    ],
  );
  return Number(r!.id);
}

export async function addMember(q: Queryable, orgId: number, userId: number): Promise<void> {
  await q.query('INSERT INTO partner_members (org_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    orgId,
    userId,
  ]);
}

export async function setOrgStatus(
  q: Queryable,
  id: number,
  s: { status: OrgStatus; note: string | null; userId: number },
): Promise<void> {
  await q.query(
    `UPDATE partner_orgs SET status = $2, review_note = $3, reviewed_by = $4, reviewed_at = now(), updated_at = now()
      WHERE id = $1`,
    [id, s.status, s.note, s.userId],
  );
}

// ---- projects ----------------------------------------------------------------------------------------------------

export type ProjectRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  node_name: string;
  title: string;
  description: string | null;
  category: string;
  max_claims: number;
  reward_points: number | null;
  status: 'open' | 'closed';
  closes_on: string | null;
  created_at: Date;
  active_claims: number;
};

const PROJECT_SELECT = `SELECT p.id, p.county_id, p.node_id, p.node_path, n.name AS node_name, p.title, p.description,
    p.category, p.max_claims, p.reward_points, p.status, to_char(p.closes_on, 'YYYY-MM-DD') AS closes_on,
    p.created_at,
    (SELECT count(*) FROM partner_claims c WHERE c.project_id = p.id AND c.status <> 'withdrawn')::int AS active_claims
  FROM partner_projects p JOIN org_nodes n ON n.id = p.node_id`;

export async function findProject(q: Queryable, id: number, lock = false): Promise<ProjectRow | undefined> {
  if (lock) await q.query('SELECT id FROM partner_projects WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<ProjectRow>(`${PROJECT_SELECT} WHERE p.id = $1`, [id]);
  return r;
}

export async function listProjects(
  q: Queryable,
  f: { scope: string; nodePath?: string; status?: string; limit: number; offset: number },
): Promise<{ rows: ProjectRow[]; total: number }> {
  const where = [f.scope];
  const params: unknown[] = [];
  if (f.nodePath !== undefined) {
    params.push(f.nodePath);
    where.push(`p.node_path LIKE $${params.length} || '%'`);
  }
  if (f.status !== undefined) {
    params.push(f.status);
    where.push(`p.status = $${params.length}`);
  }
  const w = where.join(' AND ');
  const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM partner_projects p WHERE ${w}`, params);
  const rows = await q.query<ProjectRow>(
    `${PROJECT_SELECT} WHERE ${w} ORDER BY (p.status = 'open') DESC, p.created_at DESC, p.id DESC
     LIMIT ${f.limit} OFFSET ${f.offset}`,
    params,
  );
  return { rows, total: c!.n };
}

// ---- claims and deliveries ---------------------------------------------------------------------------------------

export type ClaimRow = {
  id: number;
  project_id: number;
  project_title: string;
  category: string;
  project_path: string;
  org_id: number;
  org_name: string;
  plan: string | null;
  status: ClaimStatus;
  claimed_at: Date;
};

const CLAIM_SELECT = `SELECT c.id, c.project_id, p.title AS project_title, p.category, p.node_path AS project_path,
    c.org_id, o.name AS org_name, c.plan, c.status, c.claimed_at
  FROM partner_claims c JOIN partner_projects p ON p.id = c.project_id JOIN partner_orgs o ON o.id = c.org_id`;

export async function findClaim(q: Queryable, id: number, lock = false): Promise<ClaimRow | undefined> {
  if (lock) await q.query('SELECT id FROM partner_claims WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<ClaimRow>(`${CLAIM_SELECT} WHERE c.id = $1`, [id]);
  return r;
}

export async function claimsWhere(q: Queryable, where: string, params: unknown[]): Promise<ClaimRow[]> {
  return q.query<ClaimRow>(`${CLAIM_SELECT} WHERE ${where} ORDER BY c.claimed_at DESC, c.id DESC`, params);
}

export async function findClaimOf(
  q: Queryable,
  projectId: number,
  orgId: number,
): Promise<{ id: number; status: ClaimStatus } | undefined> {
  const [r] = await q.query<{ id: number; status: ClaimStatus }>(
    'SELECT id, status FROM partner_claims WHERE project_id = $1 AND org_id = $2',
    [projectId, orgId],
  );
  return r;
}

export type DeliveryRow = {
  id: number;
  claim_id: number;
  project_id: number;
  project_title: string;
  project_path: string;
  project_node_id: number;
  reward_points: number | null;
  org_id: number;
  org_name: string;
  delivered_on: string;
  summary: string;
  people_served: number | null;
  status: DeliveryStatus;
  review_note: string | null;
  reviewed_at: Date | null;
  transfer_id: number | null;
  credited: number | null;
  created_at: Date;
};

const DELIVERY_SELECT = `SELECT d.id, d.claim_id, p.id AS project_id, p.title AS project_title,
    p.node_path AS project_path, p.node_id AS project_node_id, p.reward_points, c.org_id, o.name AS org_name,
    to_char(d.delivered_on, 'YYYY-MM-DD') AS delivered_on, d.summary, d.people_served, d.status, d.review_note,
    d.reviewed_at, d.transfer_id, t.amount AS credited, d.created_at
  FROM partner_deliveries d JOIN partner_claims c ON c.id = d.claim_id
  JOIN partner_projects p ON p.id = c.project_id JOIN partner_orgs o ON o.id = c.org_id
  LEFT JOIN ledger_transfers t ON t.id = d.transfer_id`;

export async function findDelivery(q: Queryable, id: number, lock = false): Promise<DeliveryRow | undefined> {
  if (lock) await q.query('SELECT id FROM partner_deliveries WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.id = $1`, [id]);
  return r;
}

export async function deliveriesWhere(
  q: Queryable,
  where: string,
  params: unknown[],
  page?: { limit: number; offset: number },
): Promise<{ rows: DeliveryRow[]; total: number }> {
  const rows = await q.query<DeliveryRow>(
    `${DELIVERY_SELECT} WHERE ${where} ORDER BY d.created_at DESC, d.id DESC
     ${page ? `LIMIT ${page.limit} OFFSET ${page.offset}` : ''}`,
    params,
  );
  if (!page) return { rows, total: rows.length };
  const [c] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM partner_deliveries d JOIN partner_claims c ON c.id = d.claim_id
       JOIN partner_projects p ON p.id = c.project_id WHERE ${where}`,
    params,
  );
  return { rows, total: c!.n };
}
