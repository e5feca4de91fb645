/** The registry's SQL: device types, rules, per-person overrides, devices, the away switch, the family's view. */
import type { Queryable } from '../../platform/db/client.js';
import type { EventDef, LadderStep, MetricDef, RuleKind, Severity } from './devices.schemas.js';

/** The node's name with its parents down from the community (depth ≥ 2), e.g. 东关社区 / 第一网格 / 3号楼. */
export const PLACE_SQL = (pathCol: string) =>
  `COALESCE((SELECT string_agg(pn.name, ' / ' ORDER BY pn.depth) FROM org_nodes pn
     WHERE pn.id = ANY(string_to_array(trim(both '/' from ${pathCol}), '/')::bigint[]) AND pn.depth >= 2), '')`;

/** Heard from within 2 × the type's report interval, at least 10 minutes. */
export const ONLINE_SQL = (d: string, t: string) =>
  `(${d}.last_seen_at IS NOT NULL AND ${d}.last_seen_at > now() - make_interval(secs => greatest(2 * ${t}.report_interval_s, 600)))`;

// ---- types ----------------------------------------------------------------------------------------------------

export type TypeRow = {
  code: string;
  nameZh: string;
  nameEn: string;
  builtin: boolean;
  metrics: MetricDef[];
  events: EventDef[];
  reportIntervalS: number;
  active: boolean;
  sort: number;
  deviceCount: number;
};

const TYPE_COLS = `t.code, t.name_zh AS "nameZh", t.name_en AS "nameEn", t.builtin, t.metrics, t.events,
  t.report_interval_s AS "reportIntervalS", t.active, t.sort,
  (SELECT count(*)::int FROM devices d WHERE d.type_code = t.code AND d.status <> 'retired') AS "deviceCount"`;

export async function listTypes(q: Queryable): Promise<TypeRow[]> {
  return q.query<TypeRow>(`SELECT ${TYPE_COLS} FROM device_types t ORDER BY t.sort, t.code`);
}

export async function findType(q: Queryable, code: string, forUpdate = false): Promise<TypeRow | undefined> {
  const rows = await q.query<TypeRow>(
    `SELECT ${TYPE_COLS} FROM device_types t WHERE t.code = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [code],
  );
  return rows[0];
}

export async function insertType(
  q: Queryable,
  t: Pick<TypeRow, 'code' | 'nameZh' | 'nameEn' | 'metrics' | 'events' | 'reportIntervalS' | 'sort'>,
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO device_types (code, name_zh, name_en, metrics, events, report_interval_s, sort)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7) ON CONFLICT (code) DO NOTHING RETURNING code`,
    [t.code, t.nameZh, t.nameEn, JSON.stringify(t.metrics), JSON.stringify(t.events), t.reportIntervalS, t.sort],
  );
  return rows.length === 1;
}

export async function updateType(q: Queryable, code: string, t: TypeRow): Promise<void> {
  await q.query(
    `UPDATE device_types SET name_zh = $2, name_en = $3, metrics = $4::jsonb, events = $5::jsonb,
       report_interval_s = $6, sort = $7, active = $8, updated_at = now() WHERE code = $1`,
    [
      code,
      t.nameZh,
      t.nameEn,
      JSON.stringify(t.metrics),
      JSON.stringify(t.events),
      t.reportIntervalS,
      t.sort,
      t.active,
    ],
  );
}

// ---- rules ----------------------------------------------------------------------------------------------------

export type RuleRow = {
  id: number;
  typeCode: string;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: RuleKind;
  params: Record<string, unknown>;
  severity: Severity;
  ladder: LadderStep[];
  autoResolve: boolean;
  builtin: boolean;
  enabled: boolean;
  version: number;
};

const RULE_COLS = `r.id, r.type_code AS "typeCode", r.code, r.name_zh AS "nameZh", r.name_en AS "nameEn", r.kind,
  r.params, r.severity, r.ladder, r.auto_resolve AS "autoResolve", r.builtin, r.enabled, r.version`;

export async function listRules(q: Queryable, typeCode?: string): Promise<RuleRow[]> {
  return q.query<RuleRow>(
    `SELECT ${RULE_COLS} FROM device_rules r WHERE ($1::text IS NULL OR r.type_code = $1)
     ORDER BY r.type_code, r.id`,
    [typeCode ?? null],
  );
}

export async function findRule(q: Queryable, id: number, forUpdate = false): Promise<RuleRow | undefined> {
  const rows = await q.query<RuleRow>(
    `SELECT ${RULE_COLS} FROM device_rules r WHERE r.id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function insertRule(q: Queryable, r: Omit<RuleRow, 'id' | 'builtin' | 'version'>): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO device_rules (type_code, code, name_zh, name_en, kind, params, severity, ladder, auto_resolve, enabled)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb, $9, $10)
     ON CONFLICT (type_code, code) DO NOTHING RETURNING id`,
    [
      r.typeCode,
      r.code,
      r.nameZh,
      r.nameEn,
      r.kind,
      JSON.stringify(r.params),
      r.severity,
      JSON.stringify(r.ladder),
      r.autoResolve,
      r.enabled,
    ],
  );
  return rows[0]?.id ?? null;
}

export async function updateRule(q: Queryable, r: RuleRow): Promise<void> {
  await q.query(
    `UPDATE device_rules SET name_zh = $2, name_en = $3, params = $4::jsonb, severity = $5, ladder = $6::jsonb,
       auto_resolve = $7, enabled = $8, version = version + 1, updated_at = now() WHERE id = $1`,
    [
      r.id,
      r.nameZh,
      r.nameEn,
      JSON.stringify(r.params),
      r.severity,
      JSON.stringify(r.ladder),
      r.autoResolve,
      r.enabled,
    ],
  );
}

// ---- overrides ------------------------------------------------------------------------------------------------

export type OverrideRow = {
  ruleId: number;
  residentId: number;
  params: Record<string, unknown>;
  enabled: boolean;
  note: string | null;
  updatedAt: Date;
};

const OVERRIDE_COLS = `o.rule_id AS "ruleId", o.resident_id AS "residentId", o.params, o.enabled, o.note,
  o.updated_at AS "updatedAt"`;

export async function listOverrides(q: Queryable, residentId: number): Promise<OverrideRow[]> {
  return q.query<OverrideRow>(
    `SELECT ${OVERRIDE_COLS} FROM device_rule_overrides o WHERE o.resident_id = $1 ORDER BY o.rule_id`,
    [residentId],
  );
}

export async function upsertOverride(
  q: Queryable,
  o: { ruleId: number; residentId: number; countyId: number; params: unknown; enabled: boolean; note: string | null },
  userId: number | null,
): Promise<OverrideRow> {
  const rows = await q.query<OverrideRow>(
    `INSERT INTO device_rule_overrides AS o (rule_id, resident_id, county_id, params, enabled, note, updated_by)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
     ON CONFLICT (rule_id, resident_id) DO UPDATE SET params = EXCLUDED.params, enabled = EXCLUDED.enabled,
       note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING ${OVERRIDE_COLS}`,
    [o.ruleId, o.residentId, o.countyId, JSON.stringify(o.params), o.enabled, o.note, userId],
  );
  return rows[0]!;
}

export async function deleteOverride(q: Queryable, ruleId: number, residentId: number): Promise<OverrideRow | null> {
  const rows = await q.query<OverrideRow>(
    `DELETE FROM device_rule_overrides o WHERE o.rule_id = $1 AND o.resident_id = $2 RETURNING ${OVERRIDE_COLS}`,
    [ruleId, residentId],
  );
  return rows[0] ?? null;
}

// ---- residents (the few facts the registry needs) ---------------------------------------------------------------

export type ResidentRef = { id: number; countyId: number; nodePath: string; name: string; status: string };

export async function findResident(q: Queryable, id: number, forUpdate = false): Promise<ResidentRef | undefined> {
  const rows = await q.query<ResidentRef>(
    `SELECT id, county_id AS "countyId", node_path AS "nodePath", name, status FROM residents WHERE id = $1
     ${forUpdate ? 'FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function findResidentByIdHash(q: Queryable, hash: Buffer): Promise<ResidentRef | undefined> {
  const rows = await q.query<ResidentRef>(
    `SELECT id, county_id AS "countyId", node_path AS "nodePath", name, status FROM residents WHERE id_hash = $1`,
    [hash],
  );
  return rows[0];
}

export type HouseRef = { id: number; nodeId: number; nodePath: string; roomNo: string };

export async function findHouse(q: Queryable, id: number): Promise<HouseRef | undefined> {
  const rows = await q.query<HouseRef>(
    `SELECT id, node_id AS "nodeId", node_path AS "nodePath", room_no AS "roomNo" FROM houses WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/** Houses with this room number on the node's line (at or below it, or above it). */
export async function findHousesByRoom(q: Queryable, nodePath: string, roomNo: string): Promise<HouseRef[]> {
  return q.query<HouseRef>(
    `SELECT id, node_id AS "nodeId", node_path AS "nodePath", room_no AS "roomNo" FROM houses
     WHERE room_no = $2 AND (node_path LIKE $1 || '%' OR $1 LIKE node_path || '%') ORDER BY id LIMIT 2`,
    [nodePath, roomNo],
  );
}

// ---- away -----------------------------------------------------------------------------------------------------

export type AwayRow = {
  residentId: number;
  fromAt: Date;
  untilAt: Date | null;
  reason: string | null;
  setBy: string | null;
  setAt: Date;
};

const AWAY_COLS = `a.resident_id AS "residentId", a.from_at AS "fromAt", a.until_at AS "untilAt", a.reason,
  (SELECT u.display_name FROM users u WHERE u.id = a.set_by) AS "setBy", a.set_at AS "setAt"`;

/** The switch as it holds now (one that ran out is no longer away). */
export async function findAway(q: Queryable, residentId: number): Promise<AwayRow | null> {
  const rows = await q.query<AwayRow>(
    `SELECT ${AWAY_COLS} FROM resident_away a WHERE a.resident_id = $1 AND (a.until_at IS NULL OR a.until_at > now())`,
    [residentId],
  );
  return rows[0] ?? null;
}

export async function setAway(
  q: Queryable,
  a: { residentId: number; countyId: number; untilAt: string | null; reason: string | null },
  userId: number | null,
): Promise<AwayRow> {
  await q.query(
    `INSERT INTO resident_away (resident_id, county_id, from_at, until_at, reason, set_by, set_at)
     VALUES ($1, $2, now(), $3, $4, $5, now())
     ON CONFLICT (resident_id) DO UPDATE SET from_at = now(), until_at = EXCLUDED.until_at, reason = EXCLUDED.reason,
       set_by = EXCLUDED.set_by, set_at = now()`,
    [a.residentId, a.countyId, a.untilAt, a.reason, userId],
  );
  return (await findAway(q, a.residentId))!;
}

export async function clearAway(q: Queryable, residentId: number): Promise<boolean> {
  const rows = await q.query('DELETE FROM resident_away WHERE resident_id = $1 RETURNING resident_id', [residentId]);
  return rows.length > 0;
}

// ---- devices --------------------------------------------------------------------------------------------------

export type DeviceRow = {
  id: number;
  countyId: number;
  typeCode: string;
  typeNameZh: string;
  typeNameEn: string;
  serial: string;
  name: string | null;
  nodeId: number;
  nodePath: string;
  placeName: string;
  houseId: number | null;
  houseLabel: string | null;
  residentId: number | null;
  residentName: string | null;
  residentPath: string | null;
  status: 'active' | 'disabled' | 'retired';
  online: boolean;
  lastSeenAt: Date | null;
  openAlarms: number;
  installedOn: string | null;
  location: string | null;
  lat: number | null;
  lng: number | null;
  secretPrefix: string;
  secretRotatedAt: Date;
  version: number;
  createdAt: Date;
};

const DEVICE_COLS = `d.id, d.county_id AS "countyId", d.type_code AS "typeCode", t.name_zh AS "typeNameZh",
  t.name_en AS "typeNameEn", d.serial, d.name, d.node_id AS "nodeId", d.node_path AS "nodePath",
  ${PLACE_SQL('d.node_path')} AS "placeName", d.house_id AS "houseId", h.room_no AS "houseLabel",
  d.resident_id AS "residentId", r.name AS "residentName", r.node_path AS "residentPath", d.status,
  ${ONLINE_SQL('d', 't')} AS online, d.last_seen_at AS "lastSeenAt",
  (SELECT count(*)::int FROM alarms al WHERE al.device_id = d.id AND al.status <> 'resolved') AS "openAlarms",
  to_char(d.installed_on, 'YYYY-MM-DD') AS "installedOn", d.location, d.lat, d.lng, d.secret_prefix AS "secretPrefix",
  d.secret_rotated_at AS "secretRotatedAt", d.version, d.created_at AS "createdAt"`;

const DEVICE_FROM = `devices d JOIN device_types t ON t.code = d.type_code
  LEFT JOIN houses h ON h.id = d.house_id LEFT JOIN residents r ON r.id = d.resident_id`;

export async function findDevice(q: Queryable, id: number, forUpdate = false): Promise<DeviceRow | undefined> {
  const rows = await q.query<DeviceRow>(
    `SELECT ${DEVICE_COLS} FROM ${DEVICE_FROM} WHERE d.id = $1${forUpdate ? ' FOR UPDATE OF d' : ''}`,
    [id],
  );
  return rows[0];
}

export type DeviceFilter = {
  /** SQL conditions on `d.node_path` (scope, a chosen node), already safe. */
  pathSql: string[];
  typeCode?: string;
  status?: string;
  online?: boolean;
  residentId?: number;
  q?: string;
  limit: number;
  offset: number;
};

function filterSql(f: DeviceFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const conds = [...f.pathSql];
  if (f.typeCode) {
    params.push(f.typeCode);
    conds.push(`d.type_code = $${params.length}`);
  }
  if (f.status) {
    params.push(f.status);
    conds.push(`d.status = $${params.length}`);
  } else conds.push(`d.status <> 'retired'`);
  if (f.online !== undefined) conds.push(f.online ? ONLINE_SQL('d', 't') : `NOT ${ONLINE_SQL('d', 't')}`);
  if (f.residentId) {
    params.push(f.residentId);
    conds.push(`d.resident_id = $${params.length}`);
  }
  if (f.q) {
    params.push(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conds.push(`(d.serial ILIKE $${params.length} OR d.name ILIKE $${params.length})`);
  }
  return { where: conds.join(' AND '), params };
}

export async function listDevices(q: Queryable, f: DeviceFilter): Promise<{ rows: DeviceRow[]; total: number }> {
  const { where, params } = filterSql(f);
  const rows = await q.query<DeviceRow>(
    `SELECT ${DEVICE_COLS} FROM ${DEVICE_FROM} WHERE ${where} ORDER BY d.node_path, d.id
     LIMIT ${Math.trunc(f.limit)} OFFSET ${Math.trunc(f.offset)}`,
    params,
  );
  const count = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM devices d JOIN device_types t ON t.code = d.type_code WHERE ${where}`,
    params,
  );
  return { rows, total: count[0]!.n };
}

export type BuildingRow = {
  nodeId: number;
  placeName: string;
  total: number;
  online: number;
  offline: number;
  openAlarms: number;
};

/** Devices grouped by the building they are in (a device above any building stands under its own node). */
export async function devicesByBuilding(q: Queryable, pathSql: string[]): Promise<BuildingRow[]> {
  return q.query<BuildingRow>(
    `WITH dv AS (
       SELECT COALESCE(b.id, d.node_id) AS node_id, ${ONLINE_SQL('d', 't')} AS online,
         (SELECT count(*)::int FROM alarms al WHERE al.device_id = d.id AND al.status <> 'resolved') AS open_alarms
       FROM devices d JOIN device_types t ON t.code = d.type_code
       LEFT JOIN LATERAL (SELECT n.id FROM org_nodes n WHERE n.type = 'building'
         AND n.id = ANY(string_to_array(trim(both '/' from d.node_path), '/')::bigint[]) LIMIT 1) b ON true
       WHERE d.status <> 'retired' AND ${pathSql.join(' AND ')}
     )
     SELECT dv.node_id AS "nodeId", ${PLACE_SQL('n.path')} AS "placeName", count(*)::int AS total,
       count(*) FILTER (WHERE dv.online)::int AS online, count(*) FILTER (WHERE NOT dv.online)::int AS offline,
       COALESCE(sum(dv.open_alarms), 0)::int AS "openAlarms"
     FROM dv JOIN org_nodes n ON n.id = dv.node_id
     GROUP BY dv.node_id, n.path ORDER BY n.path`,
  );
}

export type NewDevice = {
  countyId: number;
  nodeId: number;
  nodePath: string;
  typeCode: string;
  serial: string;
  name: string | null;
  houseId: number | null;
  residentId: number | null;
  installedOn: string | null;
  location: string | null;
  lat: number | null;
  lng: number | null;
  secretHash: Buffer;
  secretPrefix: string;
};

/** Null when the serial is taken for the type. */
export async function insertDevice(q: Queryable, d: NewDevice, userId: number | null): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    `INSERT INTO devices (county_id, node_id, node_path, type_code, serial, name, house_id, resident_id, installed_on,
       location, lat, lng, secret_hash, secret_prefix, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (type_code, serial) DO NOTHING RETURNING id`,
    [
      d.countyId,
      d.nodeId,
      d.nodePath,
      d.typeCode,
      d.serial,
      d.name,
      d.houseId,
      d.residentId,
      d.installedOn,
      d.location,
      d.lat,
      d.lng,
      d.secretHash,
      d.secretPrefix,
      userId,
    ],
  );
  return rows[0]?.id ?? null;
}

export async function serialsTaken(q: Queryable, pairs: { typeCode: string; serial: string }[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await q.query<{ k: string }>(
    `SELECT type_code || ' ' || serial AS k FROM devices
     WHERE (type_code, serial) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [pairs.map((p) => p.typeCode), pairs.map((p) => p.serial)],
  );
  return new Set(rows.map((r) => r.k));
}

export async function updateDevice(
  q: Queryable,
  id: number,
  d: {
    name: string | null;
    nodeId: number;
    nodePath: string;
    countyId: number;
    houseId: number | null;
    residentId: number | null;
    installedOn: string | null;
    location: string | null;
    lat: number | null;
    lng: number | null;
    status: string;
  },
): Promise<void> {
  await q.query(
    `UPDATE devices SET name = $2, node_id = $3, node_path = $4, county_id = $5, house_id = $6, resident_id = $7,
       installed_on = $8, location = $9, lat = $10, lng = $11, status = $12, version = version + 1, updated_at = now()
     WHERE id = $1`,
    [
      id,
      d.name,
      d.nodeId,
      d.nodePath,
      d.countyId,
      d.houseId,
      d.residentId,
      d.installedOn,
      d.location,
      d.lat,
      d.lng,
      d.status,
    ],
  );
}

export async function setSecret(q: Queryable, id: number, hash: Buffer, prefix: string): Promise<void> {
  await q.query(
    `UPDATE devices SET secret_hash = $2, secret_prefix = $3, secret_rotated_at = now(), version = version + 1,
       updated_at = now() WHERE id = $1`,
    [id, hash, prefix],
  );
}

// ---- the family's side ----------------------------------------------------------------------------------------

export async function userPhoneHash(q: Queryable, userId: number): Promise<Buffer | null> {
  const rows = await q.query<{ h: Buffer | null }>('SELECT phone_hash AS h FROM users WHERE id = $1', [userId]);
  return rows[0]?.h ?? null;
}

export type WatchedRow = {
  residentId: number;
  countyId: number;
  name: string;
  relation: string;
  placeName: string;
  openAlarms: number;
};

/** The active residents whose contact list holds this phone (hash), with the contact's relation. */
export async function watchedBy(q: Queryable, phoneHash: Buffer, residentId?: number): Promise<WatchedRow[]> {
  return q.query<WatchedRow>(
    `SELECT r.id AS "residentId", r.county_id AS "countyId", r.name, min(c.relation) AS relation,
       ${PLACE_SQL('r.node_path')} AS "placeName",
       (SELECT count(*)::int FROM alarms al WHERE al.resident_id = r.id AND al.status <> 'resolved') AS "openAlarms"
     FROM resident_contacts c JOIN residents r ON r.id = c.resident_id
     WHERE c.phone_hash = $1 AND r.status = 'active' AND ($2::bigint IS NULL OR r.id = $2)
     GROUP BY r.id ORDER BY r.id`,
    [phoneHash, residentId ?? null],
  );
}

export type WatchedDeviceRow = {
  residentId: number;
  id: number;
  typeNameZh: string;
  typeNameEn: string;
  online: boolean;
  lastSeenAt: Date | null;
};

export async function devicesOfResidents(q: Queryable, residentIds: number[]): Promise<WatchedDeviceRow[]> {
  if (residentIds.length === 0) return [];
  return q.query<WatchedDeviceRow>(
    `SELECT d.resident_id AS "residentId", d.id, t.name_zh AS "typeNameZh", t.name_en AS "typeNameEn",
       ${ONLINE_SQL('d', 't')} AS online, d.last_seen_at AS "lastSeenAt"
     FROM devices d JOIN device_types t ON t.code = d.type_code
     WHERE d.resident_id = ANY($1::bigint[]) AND d.status = 'active' ORDER BY d.id`,
    [residentIds],
  );
}

// ---- import ---------------------------------------------------------------------------------------------------

export type NodeRef = { id: number; path: string; countyId: number; status: string; type: string; fullPlace: string };

/** Active nodes of this name within the area (`pathSql`, a condition on `n.path`), with their full place. */
export async function findNodesByName(q: Queryable, name: string, pathSql: string): Promise<NodeRef[]> {
  return q.query<NodeRef>(
    `SELECT n.id, n.path, n.county_id AS "countyId", n.status, n.type,
       (SELECT string_agg(pn.name, '/' ORDER BY pn.depth) FROM org_nodes pn
          WHERE pn.id = ANY(string_to_array(trim(both '/' from n.path), '/')::bigint[])) AS "fullPlace"
     FROM org_nodes n WHERE n.status = 'active' AND n.name = $1 AND ${pathSql} ORDER BY n.id LIMIT 1000`,
    [name],
  );
}
