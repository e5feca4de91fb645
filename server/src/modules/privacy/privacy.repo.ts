import type { Queryable } from '../../platform/db/client.js';

// ---- my data: what other modules hold about a resident (read only, one query per section) ----------------------

export type TagHeldRow = {
  id: number;
  name: string;
  sensitive: boolean;
  source: string;
  since: Date;
  derived: boolean;
};

export async function listTagsOf(q: Queryable, residentId: number): Promise<TagHeldRow[]> {
  const rows = await q.query<TagHeldRow>(
    `SELECT t.id::int AS id, t.name, t.sensitive, rt.source, rt.created_at AS since, (t.rule IS NOT NULL) AS derived
       FROM resident_tags rt JOIN tags t ON t.id = rt.tag_id
      WHERE rt.resident_id = $1 ORDER BY t.sort, t.id`,
    [residentId],
  );
  return rows;
}

export async function listReportedCases(
  q: Queryable,
  userId: number,
  zh: boolean,
): Promise<{ id: number; title: string; stage: string; created_at: Date }[]> {
  const rows = await q.query<{ id: number; title: string; stage: string; created_at: Date }>(
    `SELECT c.id::int AS id, c.title, ${zh ? 's.name_zh' : 's.name_en'} AS stage, c.created_at
       FROM cases c JOIN case_stages s ON s.code = c.stage
      WHERE c.reporter_id = $1 ORDER BY c.created_at DESC LIMIT 200`,
    [userId],
  );
  return rows;
}

export type BalanceRow = { currency: string; balance: number; owner: 'self' | 'household' };

export async function listBalances(
  q: Queryable,
  residentId: number,
  householdId: number | null,
): Promise<BalanceRow[]> {
  const rows = await q.query<BalanceRow>(
    `SELECT currency, balance::int AS balance, CASE WHEN kind = 'resident' THEN 'self' ELSE 'household' END AS owner
       FROM ledger_accounts
      WHERE (kind = 'resident' AND resident_id = $1) OR (kind = 'household' AND household_id = $2)
      ORDER BY kind DESC, currency`,
    [residentId, householdId],
  );
  return rows;
}

export type VisitRow = {
  id: number;
  visited_at: Date;
  outcome: string;
  note: string | null;
  visitor: string;
  household: boolean;
};

export async function listVisitsAbout(
  q: Queryable,
  residentId: number,
  householdId: number | null,
): Promise<VisitRow[]> {
  const rows = await q.query<VisitRow>(
    `SELECT v.id::int AS id, v.visited_at, v.outcome, v.note, u.display_name AS visitor,
            (v.resident_id IS DISTINCT FROM $1) AS household
       FROM visits v JOIN users u ON u.id = v.visitor_id
      WHERE v.resident_id = $1 OR (v.resident_id IS NULL AND $2::bigint IS NOT NULL AND v.household_id = $2)
      ORDER BY v.visited_at DESC LIMIT 200`,
    [residentId, householdId],
  );
  return rows;
}

export async function listDevicesOf(
  q: Queryable,
  residentId: number,
  zh: boolean,
): Promise<{ id: number; type: string; name: string | null; location: string | null; status: string }[]> {
  const rows = await q.query<{
    id: number;
    type: string;
    name: string | null;
    location: string | null;
    status: string;
  }>(
    `SELECT d.id::int AS id, ${zh ? 't.name_zh' : 't.name_en'} AS type, d.name, d.location, d.status
       FROM devices d JOIN device_types t ON t.code = d.type_code
      WHERE d.resident_id = $1 AND d.status <> 'retired' ORDER BY d.id`,
    [residentId],
  );
  return rows;
}

export async function listObjections(q: Queryable, residentId: number): Promise<{ purpose: string; since: Date }[]> {
  const rows = await q.query<{ purpose: string; since: Date }>(
    'SELECT purpose, created_at AS since FROM privacy_objections WHERE resident_id = $1 ORDER BY created_at',
    [residentId],
  );
  return rows;
}

// ---- requests ----------------------------------------------------------------------------------------------

export type RequestRow = {
  id: number;
  county_id: number;
  resident_id: number;
  requester_id: number;
  requester: string;
  kind: 'correction' | 'deletion';
  purpose: string | null;
  changes_sealed: Uint8Array | null;
  changes_masked: { field: string; value: string | null }[];
  tag_ids: number[];
  explanation: string;
  status: 'pending' | 'accepted' | 'rejected';
  due_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  legal_ground: string | null;
  before_masked: Record<string, string | null> | null;
  created_at: Date;
  resident_name: string;
  node_path: string;
  place: string;
};

const REQUEST_COLS = `pr.id::int AS id, pr.county_id::int AS county_id, pr.resident_id::int AS resident_id,
  pr.requester_id::int AS requester_id, ru.display_name AS requester, pr.kind, pr.purpose, pr.changes_sealed,
  pr.changes_masked, pr.tag_ids::int[] AS tag_ids, pr.explanation, pr.status, pr.due_at, du.display_name AS decided_by,
  pr.decided_at, pr.decision_note, pr.legal_ground, pr.before_masked, pr.created_at, r.name AS resident_name,
  r.node_path,
  (SELECT string_agg(pn.name, '/' ORDER BY pn.depth) FROM org_nodes pn
    WHERE pn.id = ANY(string_to_array(trim(both '/' from r.node_path), '/')::bigint[]) AND pn.depth >= 2) AS place`;
const REQUEST_FROM = `privacy_requests pr JOIN residents r ON r.id = pr.resident_id
  JOIN users ru ON ru.id = pr.requester_id LEFT JOIN users du ON du.id = pr.decided_by`;

export async function insertRequest(
  q: Queryable,
  r: {
    countyId: number;
    residentId: number;
    requesterId: number;
    kind: 'correction' | 'deletion';
    purpose: string | null;
    changesSealed: Buffer | null;
    changesMasked: { field: string; value: string | null }[];
    tagIds: number[];
    explanation: string;
    dueAt: Date;
  },
): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO privacy_requests (county_id, resident_id, requester_id, kind, purpose, changes_sealed, changes_masked,
       tag_ids, explanation, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (resident_id, kind) WHERE status = 'pending' DO NOTHING
     RETURNING id::int AS id`,
    [
      r.countyId,
      r.residentId,
      r.requesterId,
      r.kind,
      r.purpose,
      r.changesSealed,
      JSON.stringify(r.changesMasked),
      r.tagIds,
      r.explanation,
      r.dueAt,
    ],
  );
  return rows[0]?.id ?? null;
}

export async function findRequest(q: Queryable, id: number, forUpdate = false): Promise<RequestRow | undefined> {
  const rows = await q.query<RequestRow>(
    `SELECT ${REQUEST_COLS} FROM ${REQUEST_FROM} WHERE pr.id = $1${forUpdate ? ' FOR UPDATE OF pr' : ''}`,
    [id],
  );
  return rows[0];
}

export async function listRequestsOfResident(q: Queryable, residentId: number): Promise<RequestRow[]> {
  const rows = await q.query<RequestRow>(
    `SELECT ${REQUEST_COLS} FROM ${REQUEST_FROM} WHERE pr.resident_id = $1 ORDER BY pr.created_at DESC LIMIT 100`,
    [residentId],
  );
  return rows;
}

export async function searchRequests(
  q: Queryable,
  f: {
    scope: string;
    underPath: string | null;
    status?: string;
    kind?: string;
    overdue?: boolean;
    now: Date;
    limit: number;
    offset: number;
  },
): Promise<{ rows: RequestRow[]; total: number }> {
  const where = [f.scope];
  const params: unknown[] = [];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.underPath) where.push(`r.node_path LIKE ${add(`${f.underPath}%`)}`);
  if (f.status) where.push(`pr.status = ${add(f.status)}`);
  if (f.kind) where.push(`pr.kind = ${add(f.kind)}`);
  if (f.overdue === true) where.push(`pr.status = 'pending' AND pr.due_at < ${add(f.now)}`);
  if (f.overdue === false) where.push(`NOT (pr.status = 'pending' AND pr.due_at < ${add(f.now)})`);
  const w = where.join(' AND ');
  const count = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM privacy_requests pr JOIN residents r ON r.id = pr.resident_id WHERE ${w}`,
    params,
  );
  const rows = await q.query<RequestRow>(
    `SELECT ${REQUEST_COLS} FROM ${REQUEST_FROM} WHERE ${w}
      ORDER BY (pr.status = 'pending') DESC, pr.due_at, pr.id LIMIT ${add(f.limit)} OFFSET ${add(f.offset)}`,
    params,
  );
  return { rows, total: count[0]?.n ?? 0 };
}

/** Pending requests of an area for "my tasks": the most urgent first, with the totals. */
export async function pendingRequests(
  q: Queryable,
  scope: string,
  now: Date,
  limit: number,
): Promise<(RequestRow & { total: number; overdue_total: number })[]> {
  const rows = await q.query<RequestRow & { total: number; overdue_total: number }>(
    `SELECT ${REQUEST_COLS}, (count(*) OVER ())::int AS total,
            (count(*) FILTER (WHERE pr.due_at < $1) OVER ())::int AS overdue_total
       FROM ${REQUEST_FROM} WHERE pr.status = 'pending' AND ${scope}
      ORDER BY pr.due_at, pr.id LIMIT $2`,
    [now, limit],
  );
  return rows;
}

export async function decideRequest(
  q: Queryable,
  id: number,
  d: {
    status: 'accepted' | 'rejected';
    by: number | null;
    note: string | null;
    legalGround: string | null;
    beforeMasked: Record<string, string | null> | null;
  },
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE privacy_requests SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4,
            legal_ground = $5, before_masked = $6
      WHERE id = $1 AND status = 'pending' RETURNING id`,
    [id, d.status, d.by, d.note, d.legalGround, d.beforeMasked === null ? null : JSON.stringify(d.beforeMasked)],
  );
  return rows.length > 0;
}

export async function addObjection(q: Queryable, residentId: number, purpose: string, requestId: number) {
  await q.query(
    `INSERT INTO privacy_objections (resident_id, purpose, request_id) VALUES ($1, $2, $3)
     ON CONFLICT (resident_id, purpose) DO NOTHING`,
    [residentId, purpose, requestId],
  );
}

export async function tagNames(q: Queryable, ids: readonly number[]): Promise<{ id: number; name: string }[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<{ id: number; name: string }>(
    'SELECT id::int AS id, name FROM tags WHERE id = ANY($1::bigint[]) ORDER BY id',
    [ids],
  );
  return rows;
}
