import type { Queryable } from '../../platform/db/client.js';

/** Time-bank rows: service records, requests, and what matching reads of volunteers (part D's table). */

export type ResidentRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  household_id: number | null;
  name: string;
  status: string;
};

export async function findResident(q: Queryable, id: number): Promise<ResidentRow | null> {
  const [r] = await q.query<ResidentRow>(
    `SELECT id, county_id, node_id, node_path, household_id, name, status FROM residents WHERE id = $1`,
    [id],
  );
  return r ?? null;
}

export async function residentOfUser(q: Queryable, userId: number): Promise<number | null> {
  const [u] = await q.query<{ resident_id: number | null }>('SELECT resident_id FROM users WHERE id = $1', [userId]);
  return u?.resident_id === null || u?.resident_id === undefined ? null : Number(u.resident_id);
}

/** The accounts linked to a resident (users.resident_id, or the volunteer's own account). */
export async function usersOfResident(q: Queryable, residentId: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>(
    `SELECT id FROM users WHERE resident_id = $1
     UNION SELECT user_id FROM volunteers WHERE resident_id = $1 AND user_id IS NOT NULL`,
    [residentId],
  );
  return rows.map((r) => Number(r.id));
}

/** An enrolled volunteer who has not left (available or not). */
export async function findVolunteer(
  q: Queryable,
  residentId: number,
): Promise<{ resident_id: number; available: boolean; skills: string[] } | null> {
  const [v] = await q.query<{ resident_id: number; available: boolean; skills: string[] }>(
    `SELECT resident_id, available, skills FROM volunteers WHERE resident_id = $1 AND left_at IS NULL`,
    [residentId],
  );
  return v ?? null;
}

// ---- service records -----------------------------------------------------------------------------------------

export type ServiceRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  volunteer_resident_id: number;
  volunteer_name: string;
  recipient_resident_id: number;
  recipient_name: string;
  request_id: number | null;
  service_type: string;
  served_at: Date;
  minutes: number;
  note: string | null;
  status: 'pending' | 'confirmed' | 'rejected';
  recorded_by: number;
  confirmed_at: Date | null;
  reject_reason: string | null;
  transfer_id: number | null;
  created_at: Date;
  pay_from: 'requester' | 'community' | null;
  requester_resident_id: number | null;
};

const SERVICE_SELECT = `SELECT s.id, s.county_id, s.node_id, s.node_path, s.volunteer_resident_id,
    v.name AS volunteer_name, s.recipient_resident_id, r.name AS recipient_name, s.request_id, s.service_type,
    s.served_at, s.minutes, s.note, s.status, s.recorded_by, s.confirmed_at, s.reject_reason, s.transfer_id,
    s.created_at, q.pay_from, q.requester_resident_id
  FROM timebank_services s
  JOIN residents v ON v.id = s.volunteer_resident_id
  JOIN residents r ON r.id = s.recipient_resident_id
  LEFT JOIN timebank_requests q ON q.id = s.request_id`;

export async function findService(q: Queryable, id: number, lock = false): Promise<ServiceRow | null> {
  if (lock) await q.query('SELECT id FROM timebank_services WHERE id = $1 FOR UPDATE', [id]);
  const [s] = await q.query<ServiceRow>(`${SERVICE_SELECT} WHERE s.id = $1`, [id]);
  return s ?? null;
}

export async function listServices(q: Queryable, where: string, params: unknown[], limit = 200): Promise<ServiceRow[]> {
  return q.query<ServiceRow>(
    `${SERVICE_SELECT} WHERE ${where} ORDER BY s.served_at DESC, s.id DESC LIMIT ${limit}`,
    params,
  );
}

export async function insertService(
  q: Queryable,
  s: {
    countyId: number;
    nodeId: number;
    nodePath: string;
    volunteerResidentId: number;
    recipientResidentId: number;
    requestId: number | null;
    serviceType: string;
    servedAt: Date;
    minutes: number;
    note: string | null;
    recordedBy: number;
  },
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO timebank_services (county_id, node_id, node_path, volunteer_resident_id, recipient_resident_id,
       request_id, service_type, served_at, minutes, note, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      s.countyId,
      s.nodeId,
      s.nodePath,
      s.volunteerResidentId,
      s.recipientResidentId,
      s.requestId,
      s.serviceType,
      s.servedAt,
      s.minutes,
      s.note,
      s.recordedBy,
    ],
  );
  return Number(row!.id);
}

/** Whether a request already has a service record that is pending or confirmed. */
export async function requestHasLiveService(q: Queryable, requestId: number): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM timebank_services WHERE request_id = $1 AND status IN ('pending', 'confirmed') LIMIT 1`,
    [requestId],
  );
  return rows.length > 0;
}

// ---- requests --------------------------------------------------------------------------------------------------

export type RequestRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  requester_resident_id: number;
  requester_name: string;
  beneficiary_resident_id: number;
  beneficiary_name: string;
  service_type: string;
  description: string | null;
  place: string | null;
  wanted_at: Date;
  minutes: number;
  pay_from: 'requester' | 'community';
  status: 'open' | 'matched' | 'done' | 'cancelled';
  volunteer_resident_id: number | null;
  volunteer_name: string | null;
  matched_at: Date | null;
  requested_by: number | null;
  created_at: Date;
};

const REQUEST_SELECT = `SELECT q.id, q.county_id, q.node_id, q.node_path, q.requester_resident_id,
    rq.name AS requester_name, q.beneficiary_resident_id, b.name AS beneficiary_name, q.service_type, q.description,
    q.place, q.wanted_at, q.minutes, q.pay_from, q.status, q.volunteer_resident_id, v.name AS volunteer_name,
    q.matched_at, q.requested_by, q.created_at
  FROM timebank_requests q
  JOIN residents rq ON rq.id = q.requester_resident_id
  JOIN residents b ON b.id = q.beneficiary_resident_id
  LEFT JOIN residents v ON v.id = q.volunteer_resident_id`;

export async function findRequest(q: Queryable, id: number, lock = false): Promise<RequestRow | null> {
  if (lock) await q.query('SELECT id FROM timebank_requests WHERE id = $1 FOR UPDATE', [id]);
  const [r] = await q.query<RequestRow>(`${REQUEST_SELECT} WHERE q.id = $1`, [id]);
  return r ?? null;
}

export async function listRequests(q: Queryable, where: string, params: unknown[], limit = 200): Promise<RequestRow[]> {
  return q.query<RequestRow>(`${REQUEST_SELECT} WHERE ${where} ORDER BY q.wanted_at, q.id LIMIT ${limit}`, params);
}

export async function insertRequest(
  q: Queryable,
  r: {
    countyId: number;
    nodeId: number;
    nodePath: string;
    requesterResidentId: number;
    beneficiaryResidentId: number;
    requestedBy: number;
    serviceType: string;
    description: string | null;
    place: string | null;
    wantedAt: Date;
    minutes: number;
    payFrom: 'requester' | 'community';
  },
): Promise<number> {
  const [row] = await q.query<{ id: number }>(
    `INSERT INTO timebank_requests (county_id, node_id, node_path, requester_resident_id, beneficiary_resident_id,
       requested_by, service_type, description, place, wanted_at, minutes, pay_from)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      r.countyId,
      r.nodeId,
      r.nodePath,
      r.requesterResidentId,
      r.beneficiaryResidentId,
      r.requestedBy,
      r.serviceType,
      r.description,
      r.place,
      r.wantedAt,
      r.minutes,
      r.payFrom,
    ],
  );
  return Number(row!.id);
}

export async function setRequestStatus(
  q: Queryable,
  id: number,
  status: RequestRow['status'],
  match?: { volunteerResidentId: number; by: number },
): Promise<void> {
  if (match) {
    await q.query(
      `UPDATE timebank_requests SET status = $2, volunteer_resident_id = $3, matched_at = now(), matched_by = $4,
         version = version + 1, updated_at = now() WHERE id = $1`,
      [id, status, match.volunteerResidentId, match.by],
    );
  } else {
    await q.query(`UPDATE timebank_requests SET status = $2, version = version + 1, updated_at = now() WHERE id = $1`, [
      id,
      status,
    ]);
  }
}

/** Minutes a requester has promised to open or matched requests paid from their hours. */
export async function reservedMinutes(q: Queryable, requesterResidentId: number): Promise<number> {
  const [r] = await q.query<{ m: number }>(
    `SELECT coalesce(sum(minutes), 0)::int AS m FROM timebank_requests
      WHERE requester_resident_id = $1 AND pay_from = 'requester' AND status IN ('open', 'matched')`,
    [requesterResidentId],
  );
  return Number(r?.m ?? 0);
}

export async function hoursBalance(q: Queryable, residentId: number): Promise<number> {
  const [r] = await q.query<{ balance: number }>(
    `SELECT balance FROM ledger_accounts WHERE kind = 'resident' AND resident_id = $1 AND currency = 'hours'`,
    [residentId],
  );
  return r ? Number(r.balance) : 0;
}

// ---- matching ----------------------------------------------------------------------------------------------------

export type CandidateRow = {
  resident_id: number;
  name: string;
  node_path: string;
  skills: string[];
  open_matches: number;
  recent_no_shows: number;
};

/** Available volunteers living under `communityPath`, but not the people the request is for. */
export async function candidates(
  q: Queryable,
  communityPath: string,
  exclude: number[],
  noShowSince: Date,
): Promise<CandidateRow[]> {
  return q.query<CandidateRow>(
    `SELECT v.resident_id, r.name, r.node_path, v.skills,
            (SELECT count(*)::int FROM timebank_requests m
              WHERE m.volunteer_resident_id = v.resident_id AND m.status = 'matched') AS open_matches,
            (SELECT count(*)::int FROM activity_signups s JOIN activities a ON a.id = s.activity_id
              WHERE s.resident_id = v.resident_id AND s.status = 'no_show' AND a.ends_at >= $3) AS recent_no_shows
       FROM volunteers v JOIN residents r ON r.id = v.resident_id
      WHERE v.left_at IS NULL AND v.available AND r.status = 'active'
        AND r.node_path LIKE $1 || '%' AND NOT (v.resident_id = ANY($2::bigint[]))
      ORDER BY v.resident_id LIMIT 500`,
    [communityPath, exclude, noShowSince],
  );
}
