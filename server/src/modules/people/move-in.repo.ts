/** SQL of move-in requests (迁入申请) and of the daily count of ID clashes they are limited by. */
import type { Queryable } from '../../platform/db/client.js';
import type { Relation } from './people.logic.js';

export type MoveInStatus = 'pending' | 'accepted' | 'declined';

export type MoveInRow = {
  id: number;
  county_id: number;
  requester_id: number | null;
  requester_name: string;
  resident_id: number;
  holder_node_id: number;
  holder_path: string;
  dest_node_id: number;
  dest_path: string;
  dest_place: string | null;
  house_id: number | null;
  room_no: string | null;
  household_id: number | null;
  household_no: string | null;
  relation: Relation | null;
  name: string;
  phone_sealed: Uint8Array | null;
  phone_masked: string | null;
  ethnicity: string | null;
  hukou_address: string | null;
  current_address: string | null;
  moved_in_on: string | null;
  source: 'api' | 'import';
  import_id: number | null;
  status: MoveInStatus;
  decided_by_name: string | null;
  decided_at: Date | null;
  decline_reason: string | null;
  created_at: Date;
};

/** Names of the nodes from the community down (东关社区/第一网格/1号楼), as people.repo shows places. */
const PLACE_SQL = (pathCol: string) =>
  `(SELECT string_agg(pn.name, '/' ORDER BY pn.depth) FROM org_nodes pn
     WHERE pn.id = ANY(string_to_array(trim(both '/' from ${pathCol}), '/')::bigint[]) AND pn.depth >= 2)`;

const COLS = `m.id, m.county_id, m.requester_id, m.requester_name, m.resident_id, m.holder_node_id, m.holder_path,
  m.dest_node_id, m.dest_path, ${PLACE_SQL('m.dest_path')} AS dest_place, m.house_id,
  COALESCE(m.room_no, (SELECT h.room_no FROM houses h WHERE h.id = m.house_id)) AS room_no, m.household_id,
  m.household_no, m.relation, m.name, m.phone_sealed, m.phone_masked, m.ethnicity, m.hukou_address,
  m.current_address, to_char(m.moved_in_on, 'YYYY-MM-DD') AS moved_in_on, m.source, m.import_id, m.status,
  m.decided_by_name, m.decided_at, m.decline_reason, m.created_at`;

export type NewMoveIn = {
  countyId: number;
  requesterId: number | null;
  requesterName: string;
  residentId: number;
  holderNodeId: number;
  holderPath: string;
  destNodeId: number;
  destPath: string;
  houseId: number | null;
  roomNo: string | null;
  householdId: number | null;
  householdNo: string | null;
  relation: Relation | null;
  name: string;
  phoneSealed: Buffer | null;
  phoneMasked: string | null;
  ethnicity: string | null;
  hukouAddress: string | null;
  currentAddress: string | null;
  movedInOn: string | null;
  source: 'api' | 'import';
  importId: number | null;
};

/**
 * Files a request, unless the same requester already has one pending for the person: then that one's id is
 * returned (`isNew` false) and nothing changes.
 */
export async function insertMoveIn(q: Queryable, m: NewMoveIn): Promise<{ id: number; isNew: boolean }> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO move_in_requests (county_id, requester_id, requester_name, resident_id, holder_node_id, holder_path,
       dest_node_id, dest_path, house_id, room_no, household_id, household_no, relation, name, phone_sealed,
       phone_masked, ethnicity, hukou_address, current_address, moved_in_on, source, import_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
     ON CONFLICT (resident_id, requester_id) WHERE status = 'pending' DO NOTHING
     RETURNING id`,
    [
      m.countyId,
      m.requesterId,
      m.requesterName,
      m.residentId,
      m.holderNodeId,
      m.holderPath,
      m.destNodeId,
      m.destPath,
      m.houseId,
      m.roomNo,
      m.householdId,
      m.householdNo,
      m.relation,
      m.name,
      m.phoneSealed,
      m.phoneMasked,
      m.ethnicity,
      m.hukouAddress,
      m.currentAddress,
      m.movedInOn,
      m.source,
      m.importId,
    ],
  );
  if (rows[0]) return { id: rows[0].id, isNew: true };
  const existing = await q.query<{ id: number }>(
    `SELECT id FROM move_in_requests WHERE resident_id = $1 AND requester_id IS NOT DISTINCT FROM $2 AND status = 'pending'`,
    [m.residentId, m.requesterId],
  );
  return { id: existing[0]!.id, isNew: false };
}

export async function findMoveIn(q: Queryable, id: number, forUpdate = false): Promise<MoveInRow | undefined> {
  const rows = await q.query<MoveInRow>(
    `SELECT ${COLS} FROM move_in_requests m WHERE m.id = $1${forUpdate ? ' FOR UPDATE OF m' : ''}`,
    [id],
  );
  return rows[0];
}

/**
 * A page of requests: `where` is built by the service (the caller's box: their own, or those held in their
 * scope), values in `params`.
 */
export async function listMoveIns(
  q: Queryable,
  f: { where: string[]; params: unknown[]; limit: number; offset: number },
): Promise<{ rows: MoveInRow[]; total: number }> {
  const where = f.where.length > 0 ? f.where.join(' AND ') : 'TRUE';
  const n = f.params.length;
  const rows = await q.query<MoveInRow>(
    `SELECT ${COLS} FROM move_in_requests m WHERE ${where} ORDER BY m.id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...f.params, f.limit, f.offset],
  );
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM move_in_requests m WHERE ${where}`,
    f.params,
  );
  return { rows, total: total[0]!.n };
}

export async function decideMoveIn(
  q: Queryable,
  id: number,
  d: { status: 'accepted' | 'declined'; by: number | null; byName: string; reason: string | null },
): Promise<void> {
  await q.query(
    `UPDATE move_in_requests SET status = $2, decided_by = $3, decided_by_name = $4, decided_at = now(),
       decline_reason = $5 WHERE id = $1`,
    [id, d.status, d.by, d.byName, d.reason],
  );
}

/** The community (社区) or village (村) among a path's nodes; null if none (a place directly under a street). */
export async function findCommunityOf(q: Queryable, path: string): Promise<{ id: number; path: string } | undefined> {
  const rows = await q.query<{ id: number; path: string }>(
    `SELECT id, path FROM org_nodes
      WHERE id = ANY(string_to_array(trim(both '/' from $1), '/')::bigint[]) AND type IN ('community', 'village')
      ORDER BY depth DESC LIMIT 1`,
    [path],
  );
  return rows[0];
}

/**
 * Serialises the clash count of one user (two imports, or an import and a registration, at once), until the
 * transaction ends.
 */
export async function lockClashCount(q: Queryable, userId: number): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(7007, $1::int)', [userId]);
}

/** Clashes the user caused since `since` (each audited as `people.id_clash`). */
export async function countClashesSince(q: Queryable, userId: number, since: Date): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1 AND action = 'people.id_clash' AND at >= $2`,
    [userId, since],
  );
  return rows[0]!.n;
}

/** Keeps the copied paths right when the org module moves a subtree. */
export async function rewriteMoveInPaths(q: Queryable, oldPath: string, newPath: string): Promise<void> {
  for (const col of ['holder_path', 'dest_path']) {
    await q.query(
      `UPDATE move_in_requests SET ${col} = $2 || substr(${col}, length($1) + 1) WHERE ${col} LIKE $1 || '%'`,
      [oldPath, newPath],
    );
  }
}
