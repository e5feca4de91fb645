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

/** The demo community (东关社区), where the demo start's simulated devices go; null without the demo region. */
export async function findDemoCommunityId(q: Queryable): Promise<number | null> {
  const rows = await q.query<{ id: string | null }>(
    `SELECT value->'ids'->>'community' AS id FROM system_settings WHERE key = 'demo_region'`,
  );
  return rows[0]?.id ? Number(rows[0].id) : null;
}

/** Devices among `ids` that have any reading stored. */
export async function findDevicesWithReadings(q: Queryable, ids: number[]): Promise<Set<number>> {
  const rows = await q.query<{ device_id: number }>(
    `SELECT DISTINCT device_id FROM telemetry WHERE device_id = ANY($1::bigint[])`,
    [ids],
  );
  return new Set(rows.map((r) => r.device_id));
}

/** The last value of `metric` of each device among `ids`. */
export async function findLastValues(q: Queryable, ids: number[], metric: string): Promise<Map<number, number>> {
  const rows = await q.query<{ device_id: number; value: number }>(
    `SELECT DISTINCT ON (device_id) device_id, value FROM telemetry
      WHERE device_id = ANY($1::bigint[]) AND metric = $2 ORDER BY device_id, ts DESC`,
    [ids, metric],
  );
  return new Map(rows.map((r) => [r.device_id, r.value]));
}

export type HistoryRow = { deviceId: number; metric: string; ts: Date; value: number };

/**
 * Demo history: readings and their hourly roll-ups as ingest would have stored them (the demo start fills the last
 * day once, so charts and the no-use rule have something to look at). Redelivered rows are no-ops.
 */
export async function insertHistory(q: Queryable, rows: HistoryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO telemetry (device_id, metric, ts, value)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::float8[])
     ON CONFLICT DO NOTHING`,
    [rows.map((r) => r.deviceId), rows.map((r) => r.metric), rows.map((r) => r.ts), rows.map((r) => r.value)],
  );
  await q.query(
    `INSERT INTO telemetry_hourly (device_id, metric, hour, n, sum, min, max, first_ts, first_value, last_ts, last_value)
     SELECT device_id, metric, date_trunc('hour', ts), count(*), sum(value), min(value), max(value),
            min(ts), (array_agg(value ORDER BY ts))[1], max(ts), (array_agg(value ORDER BY ts DESC))[1]
       FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::float8[]) AS r(device_id, metric, ts, value)
      GROUP BY device_id, metric, date_trunc('hour', ts)
     ON CONFLICT DO NOTHING`,
    [rows.map((r) => r.deviceId), rows.map((r) => r.metric), rows.map((r) => r.ts), rows.map((r) => r.value)],
  );
}
