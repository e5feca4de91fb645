/**
 * Alarms in SQL: the upsert that keeps one open alarm per device and rule, the timeline, the rows the list and the
 * detail read, the people the ladder notifies, and the set-based timed evaluation over all devices.
 */
import type { Queryable } from '../../platform/db/client.js';
import type { AlarmStatus, LadderLevel, RuleKind, Severity } from './devices.schemas.js';

export type AlarmRow = {
  id: number;
  county_id: number;
  node_id: number;
  node_path: string;
  device_id: number;
  rule_id: number;
  resident_id: number | null;
  house_id: number | null;
  kind: RuleKind;
  severity: Severity;
  status: AlarmStatus;
  detail: Record<string, unknown>;
  first_at: Date;
  last_at: Date;
  trigger_count: number;
  ladder_step: number;
  next_step_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: number | null;
  resolved_at: Date | null;
  resolved_by: number | null;
  outcome: string | null;
  resolution_note: string | null;
  cleared_at: Date | null;
  case_id: number | null;
  version: number;
};

/** An alarm with what the list shows beside it. */
export type AlarmViewRow = AlarmRow & {
  rule_name_zh: string;
  rule_name_en: string;
  rule_ladder: { level: LadderLevel; afterMin: number }[];
  device_serial: string;
  type_code: string;
  type_name_zh: string;
  type_name_en: string;
  type_metrics: { key: string; nameZh: string; nameEn: string; unit: string }[];
  type_events: { key: string; nameZh: string; nameEn: string }[];
  place_name: string;
  house_label: string | null;
  resident_name: string | null;
  acknowledged_by_name: string | null;
  resolved_by_name: string | null;
};

export type UpsertInput = { deviceId: number; ruleId: number; at: Date; detail: Record<string, unknown>; n: number };
export type UpsertedRow = AlarmRow & { inserted: boolean };

/**
 * One open alarm per device and rule: new ones are inserted, a trigger on an open one counts on it (last_at,
 * trigger_count, detail; a cleared condition holds again). Concurrent callers meet on the partial unique index
 * `alarms_open_uq`: the second waits for the first and then updates. Rows are taken in key order so that two
 * batches never deadlock. Triggers of devices or rules that no longer exist are dropped.
 */
export async function upsertAlarms(q: Queryable, items: UpsertInput[]): Promise<UpsertedRow[]> {
  if (items.length === 0) return [];
  const sorted = [...items].sort((a, b) => a.deviceId - b.deviceId || a.ruleId - b.ruleId);
  return q.query<UpsertedRow>(
    `INSERT INTO alarms (county_id, node_id, node_path, device_id, rule_id, resident_id, house_id, kind, severity,
       detail, first_at, last_at, trigger_count, ladder_step)
     SELECT d.county_id, d.node_id, d.node_path, d.id, r.id, d.resident_id, d.house_id, r.kind, r.severity,
            t.detail, t.at, t.at, t.n, -1
       FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::jsonb[], $5::int[])
              WITH ORDINALITY AS t(device_id, rule_id, at, detail, n, ord)
       JOIN devices d ON d.id = t.device_id
       JOIN device_rules r ON r.id = t.rule_id AND r.type_code = d.type_code
      ORDER BY t.ord
     ON CONFLICT (device_id, rule_id) WHERE status <> 'resolved' DO UPDATE
        SET last_at = GREATEST(alarms.last_at, EXCLUDED.last_at),
            trigger_count = alarms.trigger_count + EXCLUDED.trigger_count,
            detail = EXCLUDED.detail,
            cleared_at = NULL
     RETURNING alarms.*, (xmax = 0) AS inserted`,
    [
      sorted.map((t) => t.deviceId),
      sorted.map((t) => t.ruleId),
      sorted.map((t) => t.at),
      sorted.map((t) => JSON.stringify(t.detail)),
      sorted.map((t) => t.n),
    ],
  );
}

export async function insertEvents(
  q: Queryable,
  rows: {
    alarmId: number;
    at: Date;
    actorId: number | null;
    action: string;
    level: LadderLevel | null;
    detail: Record<string, unknown>;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO alarm_events (alarm_id, at, actor_id, action, level, detail)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::bigint[], $4::text[], $5::text[], $6::jsonb[])`,
    [
      rows.map((r) => r.alarmId),
      rows.map((r) => r.at),
      rows.map((r) => r.actorId),
      rows.map((r) => r.action),
      rows.map((r) => r.level),
      rows.map((r) => JSON.stringify(r.detail)),
    ],
  );
}

export async function findAlarm(q: Queryable, id: number, lock = false): Promise<AlarmRow | undefined> {
  const rows = await q.query<AlarmRow>(`SELECT * FROM alarms WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function setLadder(q: Queryable, id: number, step: number, nextAt: Date | null): Promise<void> {
  await q.query('UPDATE alarms SET ladder_step = $2, next_step_at = $3 WHERE id = $1', [id, step, nextAt]);
}

export async function rulesLadders(
  q: Queryable,
  ids: number[],
): Promise<Map<number, { ladder: { level: LadderLevel; afterMin: number }[]; autoResolve: boolean }>> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<{ id: number; ladder: { level: LadderLevel; afterMin: number }[]; auto_resolve: boolean }>(
    'SELECT id, ladder, auto_resolve FROM device_rules WHERE id = ANY($1::bigint[])',
    [ids],
  );
  return new Map(rows.map((r) => [Number(r.id), { ladder: r.ladder ?? [], autoResolve: r.auto_resolve }]));
}

// ---- reading ------------------------------------------------------------------------------------------------

const VIEW_SELECT = `
  SELECT a.*,
         r.name_zh AS rule_name_zh, r.name_en AS rule_name_en, r.ladder AS rule_ladder,
         d.serial AS device_serial, d.type_code, t.name_zh AS type_name_zh, t.name_en AS type_name_en,
         t.metrics AS type_metrics, t.events AS type_events,
         (SELECT string_agg(o.name, ' / ' ORDER BY o.depth) FROM org_nodes o
           WHERE o.id = ANY(string_to_array(trim(both '/' from a.node_path), '/')::bigint[])
             AND o.type NOT IN ('county', 'street', 'town')) AS place_name,
         h.room_no AS house_label,
         res.name AS resident_name,
         ua.display_name AS acknowledged_by_name,
         ur.display_name AS resolved_by_name
    FROM alarms a
    JOIN devices d ON d.id = a.device_id
    JOIN device_types t ON t.code = d.type_code
    JOIN device_rules r ON r.id = a.rule_id
    LEFT JOIN houses h ON h.id = a.house_id
    LEFT JOIN residents res ON res.id = a.resident_id
    LEFT JOIN users ua ON ua.id = a.acknowledged_by
    LEFT JOIN users ur ON ur.id = a.resolved_by`;

export async function findView(q: Queryable, id: number): Promise<AlarmViewRow | undefined> {
  const rows = await q.query<AlarmViewRow>(`${VIEW_SELECT} WHERE a.id = $1`, [id]);
  return rows[0];
}

export type ListFilter = {
  scopeWhere: string;
  status?: 'open' | AlarmStatus;
  severity?: Severity;
  kind?: RuleKind;
  typeCode?: string;
  nodePath?: string;
  deviceId?: number;
  residentId?: number;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
};

function whereOf(f: Omit<ListFilter, 'limit' | 'offset'>, params: unknown[]): string {
  const w = [f.scopeWhere];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.status === 'open') w.push(`a.status <> 'resolved'`);
  else if (f.status) w.push(`a.status = ${p(f.status)}`);
  if (f.severity) w.push(`a.severity = ${p(f.severity)}`);
  if (f.kind) w.push(`a.kind = ${p(f.kind)}`);
  if (f.typeCode) w.push(`a.device_id IN (SELECT id FROM devices WHERE type_code = ${p(f.typeCode)})`);
  if (f.nodePath) w.push(`a.node_path LIKE ${p(f.nodePath)} || '%'`);
  if (f.deviceId) w.push(`a.device_id = ${p(f.deviceId)}`);
  if (f.residentId) w.push(`a.resident_id = ${p(f.residentId)}`);
  if (f.from) w.push(`a.first_at >= ${p(f.from)}`);
  if (f.to) w.push(`a.first_at < ${p(f.to)}`);
  return w.join(' AND ');
}

export async function listViews(q: Queryable, f: ListFilter): Promise<{ rows: AlarmViewRow[]; total: number }> {
  const params: unknown[] = [];
  const where = whereOf(f, params);
  const ids = await q.query<{ id: number }>(
    `SELECT a.id FROM alarms a WHERE ${where} ORDER BY a.first_at DESC, a.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
    params,
  );
  const total = (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM alarms a WHERE ${where}`, params))[0]!.n;
  if (ids.length === 0) return { rows: [], total };
  const rows = await q.query<AlarmViewRow>(
    `${VIEW_SELECT} WHERE a.id = ANY($1::bigint[]) ORDER BY a.first_at DESC, a.id DESC`,
    [ids.map((r) => r.id)],
  );
  return { rows, total };
}

export async function countOpen(
  q: Queryable,
  scopeWhere: string,
): Promise<{ active: number; acknowledged: number; critical: number }> {
  const rows = await q.query<{ active: number; acknowledged: number; critical: number }>(
    `SELECT count(*) FILTER (WHERE a.status = 'active')::int AS active,
            count(*) FILTER (WHERE a.status = 'acknowledged')::int AS acknowledged,
            count(*) FILTER (WHERE a.severity = 'critical')::int AS critical
       FROM alarms a WHERE a.status <> 'resolved' AND ${scopeWhere}`,
  );
  return rows[0]!;
}

/** Alarms of the residents the user is family of (their phone is on the resident's contact list). */
export async function listFamilyViews(q: Queryable, userId: number, openOnly: boolean): Promise<AlarmViewRow[]> {
  return q.query<AlarmViewRow>(
    `${VIEW_SELECT}
      WHERE a.resident_id IN (SELECT c.resident_id FROM resident_contacts c JOIN users u ON u.phone_hash = c.phone_hash
                               WHERE u.id = $1)
        ${openOnly ? `AND a.status <> 'resolved'` : ''}
      ORDER BY a.first_at DESC, a.id DESC LIMIT 200`,
    [userId],
  );
}

export async function isFamilyOf(q: Queryable, userId: number, residentId: number | null): Promise<boolean> {
  if (residentId === null || userId <= 0) return false;
  const rows = await q.query(
    `SELECT 1 FROM resident_contacts c JOIN users u ON u.phone_hash = c.phone_hash
      WHERE u.id = $1 AND c.resident_id = $2 LIMIT 1`,
    [userId, residentId],
  );
  return rows.length > 0;
}

export type EventRow = {
  id: number;
  at: Date;
  actor_name: string | null;
  action: string;
  level: LadderLevel | null;
  detail: Record<string, unknown>;
};

export function listEvents(q: Queryable, alarmId: number): Promise<EventRow[]> {
  return q.query<EventRow>(
    `SELECT e.id, e.at, u.display_name AS actor_name, e.action, e.level, e.detail
       FROM alarm_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.alarm_id = $1 ORDER BY e.id`,
    [alarmId],
  );
}

export type ContactRow = { id: number; name: string; relation: string; phone_masked: string; has_account: boolean };

export function listContacts(q: Queryable, residentId: number | null): Promise<ContactRow[]> {
  if (residentId === null) return Promise.resolve([]);
  return q.query<ContactRow>(
    `SELECT c.id, c.name, c.relation, c.phone_masked,
            EXISTS (SELECT 1 FROM users u WHERE u.phone_hash = c.phone_hash AND NOT u.disabled) AS has_account
       FROM resident_contacts c WHERE c.resident_id = $1 ORDER BY c.id`,
    [residentId],
  );
}

/** Accounts of the resident's family contacts (a contact's phone matches an active account's). */
export async function familyAccounts(q: Queryable, residentId: number | null): Promise<number[]> {
  if (residentId === null) return [];
  const rows = await q.query<{ id: number }>(
    `SELECT DISTINCT u.id FROM resident_contacts c JOIN users u ON u.phone_hash = c.phone_hash
      WHERE c.resident_id = $1 AND NOT u.disabled ORDER BY u.id`,
    [residentId],
  );
  return rows.map((r) => Number(r.id));
}

/** The path of the deepest ancestor (or the node itself) of one of `types` on `path`; null when none. */
export async function ancestorPathOfType(q: Queryable, path: string, types: string[]): Promise<string | null> {
  const ids = path.split('/').filter(Boolean).map(Number);
  const rows = await q.query<{ path: string }>(
    `SELECT path FROM org_nodes WHERE id = ANY($1::bigint[]) AND type = ANY($2::text[]) ORDER BY depth DESC LIMIT 1`,
    [ids, types],
  );
  return rows[0]?.path ?? null;
}

export async function updateStatus(
  q: Queryable,
  id: number,
  set: {
    status: AlarmStatus;
    acknowledgedBy?: number | null;
    at: Date;
    resolvedBy?: number | null;
    outcome?: string;
    note?: string | null;
  },
): Promise<AlarmRow> {
  if (set.status === 'acknowledged') {
    const rows = await q.query<AlarmRow>(
      `UPDATE alarms SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3, next_step_at = NULL,
              version = version + 1
        WHERE id = $1 RETURNING *`,
      [id, set.at, set.acknowledgedBy ?? null],
    );
    return rows[0]!;
  }
  const rows = await q.query<AlarmRow>(
    `UPDATE alarms SET status = 'resolved', resolved_at = $2, resolved_by = $3, outcome = $4, resolution_note = $5,
            next_step_at = NULL, version = version + 1
      WHERE id = $1 RETURNING *`,
    [id, set.at, set.resolvedBy ?? null, set.outcome, set.note ?? null],
  );
  return rows[0]!;
}

export async function linkCase(q: Queryable, id: number, caseId: number): Promise<boolean> {
  const rows = await q.query(
    'UPDATE alarms SET case_id = $2, version = version + 1 WHERE id = $1 AND case_id IS NULL RETURNING id',
    [id, caseId],
  );
  return rows.length > 0;
}

/** Active alarms whose next ladder step is due (a lost job is caught here). */
export function dueLadderSteps(q: Queryable, now: Date, limit = 500): Promise<{ id: number; step: number }[]> {
  return q.query<{ id: number; step: number }>(
    `SELECT id, ladder_step + 1 AS step FROM alarms
      WHERE status = 'active' AND next_step_at IS NOT NULL AND next_step_at <= $1
      ORDER BY next_step_at LIMIT $2`,
    [now, limit],
  );
}

// ---- clearing -------------------------------------------------------------------------------------------------

/**
 * The condition of these open alarms (device, rule) stopped holding: marks them cleared; alarms of auto-resolving
 * rules are resolved with outcome auto_cleared. Returns the alarms changed.
 */
export async function clearOpen(
  q: Queryable,
  keys: { deviceId: number; ruleId: number }[],
  at: Date,
): Promise<{ id: number; node_path: string; severity: Severity; status: AlarmStatus; resolved: boolean }[]> {
  if (keys.length === 0) return [];
  const sorted = [...keys].sort((a, b) => a.deviceId - b.deviceId || a.ruleId - b.ruleId);
  return q.query(
    `UPDATE alarms a
        SET cleared_at = $3,
            status = CASE WHEN r.auto_resolve THEN 'resolved' ELSE a.status END,
            resolved_at = CASE WHEN r.auto_resolve THEN $3 ELSE a.resolved_at END,
            outcome = CASE WHEN r.auto_resolve THEN 'auto_cleared' ELSE a.outcome END,
            next_step_at = CASE WHEN r.auto_resolve THEN NULL ELSE a.next_step_at END,
            version = a.version + 1
       FROM unnest($1::bigint[], $2::bigint[]) AS k(device_id, rule_id), device_rules r
      WHERE a.device_id = k.device_id AND a.rule_id = k.rule_id AND r.id = a.rule_id
        AND a.status <> 'resolved' AND a.cleared_at IS NULL
     RETURNING a.id, a.node_path, a.severity, a.status, (a.status = 'resolved') AS resolved`,
    [sorted.map((k) => k.deviceId), sorted.map((k) => k.ruleId), at],
  );
}

// ---- my tasks (grid work [F]) -----------------------------------------------------------------------------------

export type AlarmTaskRow = {
  id: number;
  kind: RuleKind;
  severity: Severity;
  detail: Record<string, unknown>;
  first_at: Date;
  due_at: Date | null;
  type_metrics: { key: string; nameZh: string; nameEn: string; unit: string }[];
  type_events: { key: string; nameZh: string; nameEn: string }[];
  place_name: string | null;
  house_label: string | null;
  resident_name: string | null;
  total: number;
  overdue_total: number;
};

/** The ladder's levels in the order they climb (for "past the caller's level"). */
const LEVEL_RANK_SQL = `CASE r->>'level' WHEN 'family' THEN 0 WHEN 'grid' THEN 1 WHEN 'community' THEN 2 ELSE 3 END`;

/**
 * Active alarms (nobody has acknowledged them) in an area, most pressing first, with how many there are and how
 * many are overdue. Due: when the rule's ladder first reaches a level above `levelRank` (1 grid, 2 community,
 * 3 street; null: the caller is above every level, so no due time) — first_at plus that rung's afterMin. One
 * statement on alarms_open_idx / alarms_path_idx; names are read for the page only.
 */
export async function alarmTasks(
  q: Queryable,
  scopeWhere: string,
  levelRank: number | null,
  now: Date,
  limit: number,
): Promise<AlarmTaskRow[]> {
  return q.query<AlarmTaskRow>(
    `WITH open AS MATERIALIZED (
       SELECT a.id, a.severity, a.first_at,
              a.first_at + interval '1 minute' * (SELECT min((r->>'afterMin')::numeric) FROM device_rules dr,
                  jsonb_array_elements(dr.ladder) r WHERE dr.id = a.rule_id AND ${LEVEL_RANK_SQL} > $1::int) AS due_at
         FROM alarms a WHERE a.status = 'active' AND ${scopeWhere}),
     ranked AS MATERIALIZED (
       SELECT o.*, count(*) OVER ()::int AS total, count(*) FILTER (WHERE o.due_at < $2) OVER ()::int AS overdue_total
         FROM open o
        ORDER BY o.due_at ASC NULLS LAST, (o.severity IN ('critical', 'major')) DESC, o.first_at ASC, o.id ASC
        LIMIT $3)
     SELECT x.id, a.kind, x.severity, a.detail, x.first_at, x.due_at, x.total, x.overdue_total,
            t.metrics AS type_metrics, t.events AS type_events,
            (SELECT string_agg(o.name, ' / ' ORDER BY o.depth) FROM org_nodes o
              WHERE o.id = ANY(string_to_array(trim(both '/' from a.node_path), '/')::bigint[])
                AND o.type NOT IN ('county', 'street', 'town')) AS place_name,
            (SELECT h.room_no FROM houses h WHERE h.id = a.house_id) AS house_label,
            (SELECT res.name FROM residents res WHERE res.id = a.resident_id) AS resident_name
       FROM ranked x JOIN alarms a ON a.id = x.id
       JOIN devices d ON d.id = a.device_id JOIN device_types t ON t.code = d.type_code
      ORDER BY x.due_at ASC NULLS LAST, (x.severity IN ('critical', 'major')) DESC, x.first_at ASC, x.id ASC`,
    [levelRank ?? 99, now, limit],
  );
}
