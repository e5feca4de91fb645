/** SQL of the patrol log (巡查): patrols and their findings. */
import type { Queryable } from '../../platform/db/client.js';
import type { TrackPoint } from './patrols.logic.js';

export type PatrolRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  worker_id: number;
  worker_name: string;
  status: 'active' | 'ended';
  started_at: Date;
  ended_at: Date | null;
  note: string | null;
  track: TrackPoint[] | null;
  distance_m: number | null;
  client_id: string;
  place_label: string;
  findings: number;
  cases: number;
};

export type FindingRow = {
  id: number;
  county_id: number;
  patrol_id: number;
  node_id: number;
  node_path: string;
  house_id: number | null;
  description: string;
  lat: number | null;
  lng: number | null;
  found_at: Date;
  case_id: number | null;
  case_no: string | null;
  client_id: string;
  place_label: string;
  worker_id: number;
};

/** "东关社区 / 第一网格": the names along a path below the street, looked up by primary key. */
const placeLabelSql = (pathCol: string) => `(
  SELECT coalesce(string_agg(pn.name, ' / ' ORDER BY pn.depth), '')
    FROM org_nodes pn
   WHERE pn.id = ANY (string_to_array(trim(both '/' from ${pathCol}), '/')::bigint[])
     AND pn.type NOT IN ('county', 'street', 'town'))`;

const PATROL_COLS = `p.id, p.county_id, p.node_id, p.node_path, p.worker_id, u.display_name AS worker_name, p.status,
  p.started_at, p.ended_at, p.note, p.track, p.distance_m, p.client_id::text AS client_id,
  ${placeLabelSql('p.node_path')} AS place_label,
  (SELECT count(*)::int FROM patrol_findings f WHERE f.patrol_id = p.id) AS findings,
  (SELECT count(*)::int FROM patrol_findings f WHERE f.patrol_id = p.id AND f.case_id IS NOT NULL) AS cases`;

const PATROL_FROM = 'FROM patrols p JOIN users u ON u.id = p.worker_id';

export async function findPatrol(q: Queryable, id: number, lock = false): Promise<PatrolRow | undefined> {
  if (lock) await q.query('SELECT id FROM patrols WHERE id = $1 FOR UPDATE', [id]);
  const rows = await q.query<PatrolRow>(`SELECT ${PATROL_COLS} ${PATROL_FROM} WHERE p.id = $1`, [id]);
  return rows[0];
}

export async function findActivePatrol(q: Queryable, workerId: number): Promise<PatrolRow | undefined> {
  const rows = await q.query<PatrolRow>(
    `SELECT ${PATROL_COLS} ${PATROL_FROM} WHERE p.worker_id = $1 AND p.status = 'active'`,
    [workerId],
  );
  return rows[0];
}

export async function findPatrolByClient(q: Queryable, workerId: number, clientId: string): Promise<number | null> {
  const rows = await q.query<{ id: number }>('SELECT id FROM patrols WHERE worker_id = $1 AND client_id = $2', [
    workerId,
    clientId,
  ]);
  return rows[0] ? Number(rows[0].id) : null;
}

/** A new patrol, or null when the worker already has this clientId or a patrol under way (two unique indexes). */
export async function insertPatrol(
  q: Queryable,
  p: { countyId: number; nodeId: number; nodePath: string; workerId: number; startedAt: Date; clientId: string },
): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO patrols (county_id, node_id, node_path, worker_id, started_at, client_id)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
    [p.countyId, p.nodeId, p.nodePath, p.workerId, p.startedAt, p.clientId],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export async function endPatrol(
  q: Queryable,
  id: number,
  e: { endedAt: Date; note: string | null; track: TrackPoint[] | null; distanceM: number | null },
): Promise<void> {
  await q.query(
    `UPDATE patrols SET status = 'ended', ended_at = $2, note = $3, track = $4::jsonb, distance_m = $5
      WHERE id = $1 AND status = 'active'`,
    [id, e.endedAt, e.note, e.track === null ? null : JSON.stringify(e.track), e.distanceM],
  );
}

export type PatrolFilter = {
  scope: string;
  workerId: number;
  nodePath?: string;
  filterWorkerId?: number;
  status?: 'active' | 'ended';
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
};

/** Patrols the caller may read (their own, and those of their visits.read area), newest first, with the total. */
export async function listPatrols(q: Queryable, f: PatrolFilter): Promise<{ rows: PatrolRow[]; total: number }> {
  const where = [`(${f.scope} OR p.worker_id = $1)`];
  const params: unknown[] = [f.workerId];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.nodePath !== undefined) add(`p.node_path LIKE ? || '%'`, f.nodePath);
  if (f.filterWorkerId !== undefined) add('p.worker_id = ?', f.filterWorkerId);
  if (f.status !== undefined) add('p.status = ?', f.status);
  if (f.from !== undefined) add('p.started_at >= ?', f.from);
  if (f.to !== undefined) add('p.started_at < ?', f.to);
  const cond = where.join(' AND ');
  const [count] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM patrols p WHERE ${cond}`, params);
  const rows = await q.query<PatrolRow>(
    `SELECT ${PATROL_COLS} ${PATROL_FROM} WHERE ${cond}
      ORDER BY p.started_at DESC, p.id DESC LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`,
    params,
  );
  return { rows, total: count?.n ?? 0 };
}

const FINDING_COLS = `f.id, f.county_id, f.patrol_id, f.node_id, f.node_path, f.house_id, f.description, f.lat, f.lng,
  f.found_at, f.case_id, c.case_no, f.client_id::text AS client_id, p.worker_id,
  ${placeLabelSql('f.node_path')} || coalesce(' ' || h.address, '') AS place_label`;
const FINDING_FROM = `FROM patrol_findings f JOIN patrols p ON p.id = f.patrol_id
  LEFT JOIN cases c ON c.id = f.case_id LEFT JOIN houses h ON h.id = f.house_id`;

export async function findFinding(q: Queryable, id: number, lock = false): Promise<FindingRow | undefined> {
  if (lock) await q.query('SELECT id FROM patrol_findings WHERE id = $1 FOR UPDATE', [id]);
  const rows = await q.query<FindingRow>(`SELECT ${FINDING_COLS} ${FINDING_FROM} WHERE f.id = $1`, [id]);
  return rows[0];
}

export async function findFindingByClient(q: Queryable, patrolId: number, clientId: string): Promise<number | null> {
  const rows = await q.query<{ id: number }>('SELECT id FROM patrol_findings WHERE patrol_id = $1 AND client_id = $2', [
    patrolId,
    clientId,
  ]);
  return rows[0] ? Number(rows[0].id) : null;
}

export async function listFindings(q: Queryable, patrolId: number): Promise<FindingRow[]> {
  return q.query<FindingRow>(
    `SELECT ${FINDING_COLS} ${FINDING_FROM} WHERE f.patrol_id = $1 ORDER BY f.found_at, f.id`,
    [patrolId],
  );
}

/** A new finding, or null when the patrol already has one with this clientId. */
export async function insertFinding(
  q: Queryable,
  f: {
    countyId: number;
    patrolId: number;
    nodeId: number;
    nodePath: string;
    houseId: number | null;
    description: string;
    lat: number | null;
    lng: number | null;
    foundAt: Date;
    clientId: string;
  },
): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO patrol_findings (county_id, patrol_id, node_id, node_path, house_id, description, lat, lng, found_at,
       client_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (patrol_id, client_id) DO NOTHING RETURNING id`,
    [f.countyId, f.patrolId, f.nodeId, f.nodePath, f.houseId, f.description, f.lat, f.lng, f.foundAt, f.clientId],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export async function setFindingCase(q: Queryable, id: number, caseId: number): Promise<void> {
  await q.query('UPDATE patrol_findings SET case_id = $2 WHERE id = $1', [id, caseId]);
}

export type HouseRow = { id: number; node_id: number; node_path: string };

export async function findHouse(q: Queryable, id: number): Promise<HouseRow | undefined> {
  const rows = await q.query<HouseRow>('SELECT id, node_id, node_path FROM houses WHERE id = $1', [id]);
  return rows[0];
}
