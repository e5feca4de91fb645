/** The simulator's reads: where to install simulated devices, which are registered already, what their types accept. */
import type { Queryable } from '../../platform/db/client.js';

export type SimPlace = { nodeId: number; houseId: number | null; residentId: number | null };

/**
 * Houses under `rootPath` with an active resident living there who has no device yet (the oldest first: the people
 * such devices watch over), one per house; at most `limit`.
 */
export async function listResidentPlaces(q: Queryable, rootPath: string, limit: number): Promise<SimPlace[]> {
  return q.query<SimPlace>(
    `SELECT "nodeId", "houseId", "residentId" FROM (
       SELECT DISTINCT ON (h.id) h.node_id AS "nodeId", h.id AS "houseId", r.id AS "residentId", r.birth_date
         FROM houses h JOIN residents r ON r.house_id = h.id AND r.status = 'active'
        WHERE h.node_path LIKE $1 || '%'
          AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.resident_id = r.id AND d.status <> 'retired')
        ORDER BY h.id, r.birth_date
     ) p ORDER BY birth_date, "houseId" LIMIT $2`,
    [rootPath, limit],
  );
}

/** Active buildings under `rootPath` (places without residents); at most `limit`. */
export async function listBuildingPlaces(q: Queryable, rootPath: string, limit: number): Promise<SimPlace[]> {
  return q.query<SimPlace>(
    `SELECT id AS "nodeId", NULL::bigint AS "houseId", NULL::bigint AS "residentId" FROM org_nodes
      WHERE path LIKE $1 || '%' AND type = 'building' AND status = 'active' ORDER BY path LIMIT $2`,
    [rootPath, limit],
  );
}

export async function findNodePath(q: Queryable, nodeId: number): Promise<string | null> {
  const rows = await q.query<{ path: string }>(`SELECT path FROM org_nodes WHERE id = $1 AND status = 'active'`, [
    nodeId,
  ]);
  return rows[0]?.path ?? null;
}

/** The first active county (where a simulation goes when no node is named). */
export async function findFirstCountyPath(q: Queryable): Promise<string | null> {
  const rows = await q.query<{ path: string }>(
    `SELECT path FROM org_nodes WHERE type = 'county' AND status = 'active' ORDER BY id LIMIT 1`,
  );
  return rows[0]?.path ?? null;
}

/** Registered devices among `serials` (not retired), by type and serial. */
export async function findDevicesBySerial(
  q: Queryable,
  serials: string[],
): Promise<{ id: number; type_code: string; serial: string; status: string }[]> {
  return q.query(
    `SELECT id, type_code, serial, status FROM devices WHERE serial = ANY($1::text[]) AND status <> 'retired'`,
    [serials],
  );
}

export async function findTypeMetrics(q: Queryable, codes: string[]): Promise<Map<string, string[]>> {
  const rows = await q.query<{ code: string; metrics: { key: string }[] }>(
    'SELECT code, metrics FROM device_types WHERE code = ANY($1::text[]) AND active',
    [codes],
  );
  return new Map(rows.map((r) => [r.code, r.metrics.map((m) => m.key)]));
}
