import { randomBytes } from 'node:crypto';
import { hashDeviceToken } from '../modules/devices/ingest.logic.js';
import type { Queryable } from '../platform/db/client.js';

/**
 * Devices rows written straight with SQL, for tests of the alarms and anything else reading devices without going
 * through the registry service: device types, rules, devices (with a token whose hash is stored) and readings.
 * Tests give their types codes of their own, so that built-in rules seeded by the registry do not fire among them.
 */

export type TypeInput = {
  code: string;
  nameZh?: string;
  nameEn?: string;
  metrics?: {
    key: string;
    nameZh: string;
    nameEn: string;
    unit: string;
    min: number;
    max: number;
    cumulative?: boolean;
  }[];
  events?: { key: string; nameZh: string; nameEn: string }[];
  reportIntervalS?: number;
};

export const WATER_METRIC = {
  key: 'total_l',
  nameZh: '累计用水量',
  nameEn: 'Water used (total)',
  unit: 'L',
  min: 0,
  max: 100_000_000,
  cumulative: true,
};
export const HEART_METRIC = { key: 'heart_rate', nameZh: '心率', nameEn: 'Heart rate', unit: 'bpm', min: 0, max: 300 };
export const SOS_EVENT = { key: 'sos', nameZh: 'SOS 呼救', nameEn: 'SOS pressed' };

/** A device type (left as it is when the code exists). */
export async function ensureDeviceType(db: Queryable, t: TypeInput): Promise<string> {
  await db.query(
    `INSERT INTO device_types (code, name_zh, name_en, metrics, events, report_interval_s)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
    [
      t.code,
      t.nameZh ?? `测试设备${t.code}`.slice(0, 40),
      t.nameEn ?? `Test device ${t.code}`,
      JSON.stringify(t.metrics ?? [WATER_METRIC]),
      JSON.stringify(t.events ?? []),
      t.reportIntervalS ?? 300,
    ],
  );
  return t.code;
}

export type RuleInput = {
  typeCode: string;
  code: string;
  kind: 'threshold' | 'no_use' | 'high_use' | 'silent' | 'event';
  params: Record<string, unknown>;
  severity?: 'critical' | 'major' | 'minor' | 'warning';
  ladder?: { level: 'family' | 'grid' | 'community' | 'street'; afterMin: number }[];
  autoResolve?: boolean;
  enabled?: boolean;
  nameZh?: string;
  nameEn?: string;
};

export async function buildRule(db: Queryable, r: RuleInput): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO device_rules (type_code, code, name_zh, name_en, kind, params, severity, ladder, auto_resolve, enabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      r.typeCode,
      r.code,
      r.nameZh ?? `规则${r.code}`.slice(0, 40),
      r.nameEn ?? `Rule ${r.code}`,
      r.kind,
      JSON.stringify(r.params),
      r.severity ?? 'major',
      JSON.stringify(r.ladder ?? []),
      r.autoResolve ?? false,
      r.enabled ?? true,
    ],
  );
  return Number(rows[0]!.id);
}

export type DeviceInput = {
  typeCode: string;
  nodeId: number;
  serial?: string;
  houseId?: number | null;
  residentId?: number | null;
  installedOn?: string | null;
  lastSeenAt?: Date | null;
  createdAt?: Date;
  status?: 'active' | 'disabled' | 'retired';
};

export type BuiltDevice = { id: number; token: string; nodePath: string };

let serialSeq = 0;

/** A device at a node (its path and county taken from the node), with a fresh token (kept as sha256). */
export async function buildDevice(db: Queryable, d: DeviceInput): Promise<BuiltDevice> {
  const node = (
    await db.query<{ path: string; county_id: number }>('SELECT path, county_id FROM org_nodes WHERE id = $1', [
      d.nodeId,
    ])
  )[0];
  if (!node) throw new Error(`no org node ${d.nodeId}`);
  const countyId = node.county_id;
  const token = randomBytes(32).toString('base64url');
  serialSeq++;
  const rows = await db.query<{ id: number }>(
    `INSERT INTO devices (county_id, node_id, node_path, type_code, serial, house_id, resident_id, installed_on,
       status, secret_hash, secret_prefix, last_seen_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, COALESCE($13, now())) RETURNING id`,
    [
      countyId,
      d.nodeId,
      node.path,
      d.typeCode,
      d.serial ?? `T${Date.now().toString(36)}${serialSeq}`,
      d.houseId ?? null,
      d.residentId ?? null,
      d.installedOn ?? null,
      d.status ?? 'active',
      hashDeviceToken(token),
      token.slice(0, 6),
      d.lastSeenAt ?? null,
      d.createdAt ?? null,
    ],
  );
  return { id: Number(rows[0]!.id), token, nodePath: node.path };
}

/** Readings of one metric: [time, value] pairs (a redelivered one is ignored, as at ingest). */
export async function addReadings(
  db: Queryable,
  deviceId: number,
  metric: string,
  points: [Date, number][],
): Promise<void> {
  if (points.length === 0) return;
  await db.query(
    `INSERT INTO telemetry (device_id, metric, ts, value)
     SELECT $1, $2, * FROM unnest($3::timestamptz[], $4::float8[]) ON CONFLICT DO NOTHING`,
    [deviceId, metric, points.map((p) => p[0]), points.map((p) => p[1])],
  );
}

/** The person away (staying with family) from `from` until `until` (null: until switched off). */
export async function setAway(db: Queryable, residentId: number, from: Date, until: Date | null = null): Promise<void> {
  const county = (
    await db.query<{ county_id: number }>('SELECT county_id FROM residents WHERE id = $1', [residentId])
  )[0];
  await db.query(
    `INSERT INTO resident_away (resident_id, county_id, from_at, until_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (resident_id) DO UPDATE SET from_at = EXCLUDED.from_at, until_at = EXCLUDED.until_at`,
    [residentId, county!.county_id, from, until],
  );
}

/** A per-person override of a rule. */
export async function setOverride(
  db: Queryable,
  ruleId: number,
  residentId: number,
  o: { params?: Record<string, unknown>; enabled?: boolean },
): Promise<void> {
  const county = (
    await db.query<{ county_id: number }>('SELECT county_id FROM residents WHERE id = $1', [residentId])
  )[0];
  await db.query(
    `INSERT INTO device_rule_overrides (rule_id, resident_id, county_id, params, enabled) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (rule_id, resident_id) DO UPDATE SET params = EXCLUDED.params, enabled = EXCLUDED.enabled`,
    [ruleId, residentId, county!.county_id, JSON.stringify(o.params ?? {}), o.enabled ?? true],
  );
}
