/**
 * Ingest's SQL: set-based statements over arrays (unnest), one round trip per table and batch, never per message.
 */
import type { Queryable } from '../../platform/db/client.js';
import type { EffectiveRule, Severity } from './devices.schemas.js';
import { type DeviceConfig, eventSet, metricTable } from './ingest.logic.js';
import { mergeOverride, type StoredRule } from './rules.logic.js';

type DeviceRow = {
  id: number;
  county_id: number;
  node_path: string;
  type_code: string;
  status: DeviceConfig['status'];
  secret_hash: Buffer | Uint8Array;
  resident_id: number | null;
  metrics: unknown;
  events: unknown;
  report_interval_s: number;
  rules: {
    id: number;
    code: string;
    kind: StoredRule['kind'];
    params: Record<string, unknown>;
    severity: Severity;
    autoResolve: boolean;
    enabled: boolean;
    ovParams: Record<string, unknown> | null;
    ovEnabled: boolean | null;
  }[];
};

/** Devices with their type and message rules (threshold, event), the watched person's overrides merged in. */
export async function loadDeviceConfigs(db: Queryable, ids: readonly number[]): Promise<DeviceConfig[]> {
  const rows = await db.query<DeviceRow>(
    `SELECT d.id, d.county_id, d.node_path, d.type_code, d.status, d.secret_hash, d.resident_id,
            t.metrics, t.events, t.report_interval_s,
            COALESCE((
              SELECT json_agg(json_build_object('id', r.id, 'code', r.code, 'kind', r.kind, 'params', r.params,
                       'severity', r.severity, 'autoResolve', r.auto_resolve, 'enabled', r.enabled,
                       'ovParams', o.params, 'ovEnabled', o.enabled) ORDER BY r.id)
                FROM device_rules r
                LEFT JOIN device_rule_overrides o ON o.rule_id = r.id AND o.resident_id = d.resident_id
               WHERE r.type_code = d.type_code AND r.kind IN ('threshold', 'event')
            ), '[]'::json) AS rules
       FROM devices d JOIN device_types t ON t.code = d.type_code
      WHERE d.id = ANY($1::bigint[])`,
    [ids],
  );
  return rows.map((r) => {
    const rules: EffectiveRule[] = [];
    for (const x of r.rules) {
      const eff = mergeOverride(
        { ...x, id: Number(x.id) },
        x.ovEnabled === null ? null : { params: x.ovParams ?? {}, enabled: x.ovEnabled },
      );
      if (eff) rules.push(eff);
    }
    return {
      id: r.id,
      countyId: r.county_id,
      nodePath: r.node_path,
      typeCode: r.type_code,
      status: r.status,
      secretHash: Buffer.from(r.secret_hash),
      residentId: r.resident_id,
      metrics: metricTable(r.metrics),
      events: eventSet(r.events),
      reportIntervalS: r.report_interval_s,
      rules,
    };
  });
}

/** Column arrays of the telemetry rows of a batch; `idx` is the message's index in the batch. */
export type TelemetryCols = { device: number[]; metric: string[]; ts: Date[]; value: number[]; idx: number[] };

/**
 * Raw readings and their hourly roll-ups in one statement: the insert skips what is already stored (a redelivery),
 * and only the rows it inserted are added to the hour (n, sum, min, max, first and last by time). Returns the
 * batch index and metric of each inserted row, so rules run on new readings only.
 */
export async function insertTelemetry(tx: Queryable, c: TelemetryCols): Promise<{ idx: number; metric: string }[]> {
  if (c.device.length === 0) return [];
  return tx.query<{ idx: number; metric: string }>(
    `WITH input AS (
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::float8[], $5::int[])
         AS t(device_id, metric, ts, value, idx)
     ), ins AS (
       INSERT INTO telemetry (device_id, metric, ts, value)
       SELECT device_id, metric, ts, value FROM input
       ON CONFLICT DO NOTHING
       RETURNING device_id, metric, ts, value
     ), hourly AS (
       INSERT INTO telemetry_hourly AS h
         (device_id, metric, hour, n, sum, min, max, first_ts, first_value, last_ts, last_value)
       SELECT device_id, metric, date_trunc('hour', ts, 'UTC'), count(*)::int, sum(value), min(value), max(value),
              min(ts), (array_agg(value ORDER BY ts))[1], max(ts), (array_agg(value ORDER BY ts DESC))[1]
         FROM ins
        GROUP BY device_id, metric, date_trunc('hour', ts, 'UTC')
        ORDER BY device_id, metric, 3
       ON CONFLICT (device_id, metric, hour) DO UPDATE SET
         n = h.n + EXCLUDED.n,
         sum = h.sum + EXCLUDED.sum,
         min = LEAST(h.min, EXCLUDED.min),
         max = GREATEST(h.max, EXCLUDED.max),
         first_value = CASE WHEN EXCLUDED.first_ts < h.first_ts THEN EXCLUDED.first_value ELSE h.first_value END,
         first_ts = LEAST(h.first_ts, EXCLUDED.first_ts),
         last_value = CASE WHEN EXCLUDED.last_ts > h.last_ts THEN EXCLUDED.last_value ELSE h.last_value END,
         last_ts = GREATEST(h.last_ts, EXCLUDED.last_ts)
     )
     SELECT input.idx, input.metric
       FROM ins JOIN input USING (device_id, metric, ts)`,
    [c.device, c.metric, c.ts, c.value, c.idx],
  );
}

export type EventCols = { device: number[]; ts: Date[]; event: string[]; data: string[]; idx: number[] };

/** Device events, a redelivery skipped by the primary key; returns the batch indexes inserted. */
export async function insertEvents(tx: Queryable, c: EventCols): Promise<{ idx: number }[]> {
  if (c.device.length === 0) return [];
  return tx.query<{ idx: number }>(
    `WITH input AS (
       SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::jsonb[], $5::int[])
         AS t(device_id, ts, event, data, idx)
     ), ins AS (
       INSERT INTO device_events (device_id, ts, event, data)
       SELECT device_id, ts, event, data FROM input
       ON CONFLICT DO NOTHING
       RETURNING device_id, ts, event
     )
     SELECT input.idx FROM ins JOIN input USING (device_id, ts, event)`,
    [c.device, c.ts, c.event, c.data, c.idx],
  );
}

/** Heard from: devices.last_seen_at moves forward only (the service writes it at most once a minute per device). */
export async function touchLastSeen(tx: Queryable, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(
    `UPDATE devices d SET last_seen_at = $2
       FROM (SELECT unnest($1::bigint[]) AS id ORDER BY 1) v
      WHERE d.id = v.id AND (d.last_seen_at IS NULL OR d.last_seen_at < $2)`,
    [ids, at],
  );
}

export type DeadLetterRow = {
  deviceId: number | null;
  via: 'mqtt' | 'http';
  topic: string | null;
  reason: string;
  detail: string | null;
  payload: string | null;
  count: number;
};

const noNul = (s: string | null) => (s === null ? null : s.replaceAll(String.fromCharCode(0), '\uFFFD'));

export async function insertDeadLetters(tx: Queryable, rows: readonly DeadLetterRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO device_dead_letters (device_id, via, topic, reason, detail, payload, count)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])`,
    [
      rows.map((r) => r.deviceId),
      rows.map((r) => r.via),
      rows.map((r) => r.topic),
      rows.map((r) => r.reason),
      // NUL cannot be stored in text
      rows.map((r) => noNul(r.detail)),
      rows.map((r) => noNul(r.payload)),
      rows.map((r) => r.count),
    ],
  );
}

export type DeadLetterQuery = { deviceId?: number; reason?: string; page: number; pageSize: number };

/**
 * Dead letters as the scope allows: rows of devices under the caller's nodes; rows naming no known device only
 * for a global scope (`scopeCond` is scopeSql over d.node_path, which is NULL for them).
 */
export async function listDeadLetters(
  db: Queryable,
  scopeCond: string,
  q: DeadLetterQuery,
): Promise<{ items: DeadLetterOut[]; total: number }> {
  const where = [scopeCond];
  const params: unknown[] = [];
  if (q.deviceId !== undefined) {
    params.push(q.deviceId);
    where.push(`dl.device_id = $${params.length}`);
  }
  if (q.reason !== undefined) {
    params.push(q.reason);
    where.push(`dl.reason = $${params.length}`);
  }
  params.push(q.pageSize, (q.page - 1) * q.pageSize);
  const rows = await db.query<DeadLetterOut & { total: number }>(
    `SELECT dl.id, dl.received_at AS "receivedAt", dl.device_id AS "deviceId", dl.via, dl.topic, dl.reason,
            dl.detail, dl.payload, dl.count, count(*) OVER ()::int AS total
       FROM device_dead_letters dl LEFT JOIN devices d ON d.id = dl.device_id
      WHERE ${where.join(' AND ')}
      ORDER BY dl.received_at DESC, dl.id DESC
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && q.page > 1) {
    const c = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM device_dead_letters dl LEFT JOIN devices d ON d.id = dl.device_id
        WHERE ${where.join(' AND ')}`,
      params.slice(0, -2),
    );
    total = c[0]?.n ?? 0;
  }
  return {
    items: rows.map(({ total: _t, ...r }) => ({ ...r, receivedAt: new Date(r.receivedAt).toISOString() })),
    total,
  };
}

export type DeadLetterOut = {
  id: number;
  receivedAt: string;
  deviceId: number | null;
  via: 'mqtt' | 'http';
  topic: string | null;
  reason: string;
  detail: string | null;
  payload: string | null;
  count: number;
};
