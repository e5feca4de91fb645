/**
 * Telemetry's SQL: the monthly partitions of `telemetry` (catalog reads and DDL), retention sweeps, and reading a
 * device's readings back for charts.
 */
import type { Queryable, Tx } from '../../platform/db/client.js';
import type { MetricDef } from './devices.schemas.js';
import { type PartitionSpec, parsePartitionName, RETENTION_SETTING } from './telemetry.logic.js';

/** Serialises partition maintenance between instances (and between the start-up run and the daily job). */
const LOCK_KEY = 'linli.telemetry_partitions';

/** The monthly partitions attached to `telemetry` (the default partition left out). */
export async function listMonthPartitions(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'telemetry'::regclass
      ORDER BY c.relname`,
  );
  return rows.map((r) => r.name).filter((n) => parsePartitionName(n) !== null);
}

export async function readRetentionSetting(q: Queryable): Promise<unknown> {
  const rows = await q.query<{ value: unknown }>('SELECT value FROM system_settings WHERE key = $1', [
    RETENTION_SETTING,
  ]);
  return rows[0]?.value;
}

export async function lockPartitionMaintenance(tx: Tx): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK_KEY]);
}

const iso = (d: Date) => `'${d.toISOString()}'`;

/**
 * Creates one month's partition without a moment where ingest could miss it: the month's table is made standalone,
 * whatever the default partition holds for that month is moved into it, and it is attached, all in the caller's
 * transaction (ATTACH checks the default partition no longer holds rows of the month). A CHECK constraint matching
 * the bounds lets ATTACH skip scanning the new table; it is dropped after. Returns the rows moved.
 * `spec.name` comes from partitionFor (a fixed pattern), never from input.
 */
export async function createMonthPartition(tx: Tx, spec: PartitionSpec): Promise<number> {
  const { name, from, to } = spec;
  if (parsePartitionName(name) === null) throw new Error(`not a telemetry partition name: ${name}`);
  await tx.exec(
    `CREATE TABLE ${name} (LIKE telemetry INCLUDING DEFAULTS);
     ALTER TABLE ${name} ADD CONSTRAINT ${name}_bounds CHECK (ts >= ${iso(from)} AND ts < ${iso(to)});`,
  );
  const moved = await tx.query<{ n: number }>(
    `WITH moved AS (
       DELETE FROM telemetry_default WHERE ts >= $1 AND ts < $2 RETURNING device_id, metric, ts, value
     ), ins AS (
       INSERT INTO ${name} (device_id, metric, ts, value) SELECT device_id, metric, ts, value FROM moved RETURNING 1
     )
     SELECT count(*)::int AS n FROM ins`,
    [from, to],
  );
  await tx.exec(
    `ALTER TABLE ${name} ADD PRIMARY KEY (device_id, metric, ts);
     ALTER TABLE telemetry ATTACH PARTITION ${name} FOR VALUES FROM (${iso(from)}) TO (${iso(to)});
     ALTER TABLE ${name} DROP CONSTRAINT ${name}_bounds;`,
  );
  return moved[0]?.n ?? 0;
}

export async function dropMonthPartition(tx: Tx, name: string): Promise<void> {
  if (parsePartitionName(name) === null) throw new Error(`not a telemetry partition name: ${name}`);
  await tx.exec(`DROP TABLE IF EXISTS ${name}`);
}

/** Readings older than the cut-off that no month holds (the default partition only catches strays). */
export async function deleteDefaultBefore(q: Queryable, cutoff: Date): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH d AS (DELETE FROM telemetry_default WHERE ts < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
    [cutoff],
  );
  return rows[0]?.n ?? 0;
}

export async function deleteHourlyBefore(q: Queryable, cutoff: Date): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH d AS (DELETE FROM telemetry_hourly WHERE hour < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
    [cutoff],
  );
  return rows[0]?.n ?? 0;
}

export async function deleteDeadLettersBefore(q: Queryable, cutoff: Date): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH d AS (DELETE FROM device_dead_letters WHERE received_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
    [cutoff],
  );
  return rows[0]?.n ?? 0;
}

// ---- reading back -------------------------------------------------------------------------------------------

export type TelemetryDeviceRow = { id: number; node_path: string; type_code: string; metrics: MetricDef[] };

export async function findTelemetryDevice(q: Queryable, id: number): Promise<TelemetryDeviceRow | undefined> {
  const rows = await q.query<TelemetryDeviceRow>(
    `SELECT d.id, d.node_path, d.type_code, t.metrics
       FROM devices d JOIN device_types t ON t.code = d.type_code
      WHERE d.id = $1`,
    [id],
  );
  return rows[0];
}

export type RawPointRow = { ts: Date; value: number };

export async function listRawPoints(
  q: Queryable,
  a: { deviceId: number; metric: string; from: Date; to: Date; limit: number },
): Promise<RawPointRow[]> {
  return q.query<RawPointRow>(
    `SELECT ts, value FROM telemetry
      WHERE device_id = $1 AND metric = $2 AND ts >= $3 AND ts < $4
      ORDER BY ts LIMIT $5`,
    [a.deviceId, a.metric, a.from, a.to, a.limit],
  );
}

export type HourPointRow = { hour: Date; n: number; sum: number; min: number; max: number; last_value: number };

/** Hours that begin within [from, to) (the hour holding `from` included). */
export async function listHourPoints(
  q: Queryable,
  a: { deviceId: number; metric: string; from: Date; to: Date; limit: number },
): Promise<HourPointRow[]> {
  return q.query<HourPointRow>(
    `SELECT hour, n, sum, min, max, last_value FROM telemetry_hourly
      WHERE device_id = $1 AND metric = $2 AND hour >= date_trunc('hour', $3::timestamptz) AND hour < $4
      ORDER BY hour LIMIT $5`,
    [a.deviceId, a.metric, a.from, a.to, a.limit],
  );
}

/** The first and last raw reading within [from, to), through the primary key of each month's partition. */
export async function findFirstLast(
  q: Queryable,
  a: { deviceId: number; metric: string; from: Date; to: Date },
): Promise<{ first: number | null; last: number | null }> {
  const rows = await q.query<{ first: number | null; last: number | null }>(
    `SELECT
       (SELECT value FROM telemetry WHERE device_id = $1 AND metric = $2 AND ts >= $3 AND ts < $4
         ORDER BY ts LIMIT 1) AS first,
       (SELECT value FROM telemetry WHERE device_id = $1 AND metric = $2 AND ts >= $3 AND ts < $4
         ORDER BY ts DESC LIMIT 1) AS last`,
    [a.deviceId, a.metric, a.from, a.to],
  );
  return { first: rows[0]?.first ?? null, last: rows[0]?.last ?? null };
}
