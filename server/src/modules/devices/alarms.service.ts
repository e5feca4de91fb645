/**
 * Alarms (预警): raised by ingest (threshold and event rules) and by the timed evaluator (no use, high use,
 * silence), one open alarm per device and rule; the escalation ladder (family → grid → community → street) as
 * jobs that stop once someone acknowledges; acknowledge, resolve with an outcome, notes, and a case opened through
 * the cases module.
 */
import { Type } from 'typebox';
import type { Ctx } from '../../platform/access/context.js';
import { assertCan, can, hasPermission, isValidPath, scopeFor, scopeSql } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import type { Jobs } from '../../platform/jobs/index.js';
import { LIVE_CHANNEL, type LiveSignal } from '../../platform/live/live.signal.js';
import * as notify from '../../platform/notify/notify.service.js';
import { maskName, type PiiCipher } from '../../platform/pii/index.js';
import { reportCase } from '../cases/cases.service.js';
import * as repo from './alarms.repo.js';
import {
  ALARMS_TOPIC,
  type AlarmCaseCreate,
  type AlarmDetail,
  type AlarmListItem,
  type AlarmListQuery,
  type AlarmLiveEvent,
  type AlarmPage,
  type AlarmResolve,
  type AlarmTrigger,
  type LadderLevel,
} from './devices.schemas.js';
import { alarmSummary, type LadderRung, nextStep, sortLadder, stepsDueAt } from './rules.logic.js';

export type AlarmDeps = { db: Db; pii: PiiCipher; jobs: Jobs };

// The timed evaluator and the jobs live beside this file; callers import them from here (the pinned interface).
export { evaluateTimedRules, registerAlarmJobs } from './alarms.evaluate.js';

export const LADDER_JOB = 'alarms.ladder';
export const LadderPayload = Type.Object({ alarmId: Type.Integer({ minimum: 1 }), step: Type.Integer({ minimum: 0 }) });

export const ALARM_NOTIFY = {
  raised: 'alarms.raised',
  escalated: 'alarms.escalated',
  acknowledged: 'alarms.acknowledged',
} as const;

const notFound = () => new AppError('ALARM_NOT_FOUND');

// ---------------------------------------------------------------------------------------------------------------
// Raising and clearing

/**
 * Raises alarms for rules that fired, inside the caller's transaction: a new alarm per device and rule, or a count
 * on the open one (never two open: the partial unique index `alarms_open_uq` decides between concurrent callers).
 * New alarms get their timeline, the ladder's first step notified now, the next step queued as a job (with the
 * transaction), and a live event; counted ones a live update.
 * @param opts.now the time the ladder counts from (default: now)
 */
export async function raiseAlarms(
  deps: AlarmDeps,
  tx: Queryable,
  triggers: AlarmTrigger[],
  opts: { now?: Date } = {},
): Promise<{ raised: number[]; retriggered: number[] }> {
  if (triggers.length === 0) return { raised: [], retriggered: [] };
  const now = opts.now ?? new Date();
  // One row per device and rule: the latest trigger's detail, counted as many times as it fired.
  const byKey = new Map<string, repo.UpsertInput>();
  for (const t of triggers) {
    const key = `${t.deviceId}:${t.ruleId}`;
    const prev = byKey.get(key);
    if (!prev) byKey.set(key, { deviceId: t.deviceId, ruleId: t.ruleId, at: t.at, detail: t.detail, n: 1 });
    else {
      prev.n++;
      if (t.at.getTime() >= prev.at.getTime()) {
        prev.at = t.at;
        prev.detail = t.detail;
      }
    }
  }
  const rows = await repo.upsertAlarms(tx, [...byKey.values()]);
  const fresh = rows.filter((r) => r.inserted);
  const counted = rows.filter((r) => !r.inserted);
  if (fresh.length > 0) {
    await repo.insertEvents(
      tx,
      fresh.map((a) => ({
        alarmId: a.id,
        at: now,
        actorId: null,
        action: 'raised',
        level: null,
        detail: { ...a.detail, at: a.first_at.toISOString() },
      })),
    );
    const rules = await repo.rulesLadders(tx, [...new Set(fresh.map((a) => Number(a.rule_id)))]);
    for (const a of fresh) {
      const ladder = sortLadder(rules.get(Number(a.rule_id))?.ladder ?? []);
      await climb(deps, tx, a, ladder, -1, now, now);
    }
  }
  await publishAlarms(tx, fresh, 'raised');
  await publishAlarms(tx, counted, 'updated');
  return { raised: fresh.map((a) => Number(a.id)), retriggered: counted.map((a) => Number(a.id)) };
}

async function publishAlarm(
  q: Queryable,
  a: { id: number; node_path: string; status: repo.AlarmRow['status']; severity: repo.AlarmRow['severity'] },
  change: AlarmLiveEvent['change'],
): Promise<void> {
  await publishAlarms(q, [a], change);
}

/**
 * Live events on the alarms topic, one per alarm, sent in one statement (the timed evaluator may raise thousands at
 * once): the same signals `publish` sends, each well below the notification size limit.
 */
async function publishAlarms(
  q: Queryable,
  alarms: { id: number; node_path: string; status: repo.AlarmRow['status']; severity: repo.AlarmRow['severity'] }[],
  change: AlarmLiveEvent['change'],
): Promise<void> {
  if (alarms.length === 0) return;
  const payloads = alarms.map((a) => {
    if (!isValidPath(a.node_path)) throw new Error(`invalid path ${a.node_path}`);
    const data: AlarmLiveEvent = { alarmId: Number(a.id), status: a.status, severity: a.severity, change };
    const signal: LiveSignal = {
      t: 'topic',
      topic: ALARMS_TOPIC,
      e: { nodePath: a.node_path, permission: 'devices.read', data },
    };
    return JSON.stringify(signal);
  });
  await q.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [LIVE_CHANNEL, payloads]);
}

/**
 * Conditions that stopped holding (a silent device reports again, use resumed): their open alarms are marked
 * cleared, and those of rules that resolve by themselves are resolved with outcome auto_cleared.
 */
export async function clearAlarms(
  _deps: AlarmDeps,
  tx: Queryable,
  keys: { deviceId: number; ruleId: number }[],
  now: Date = new Date(),
): Promise<{ cleared: number[]; resolved: number[] }> {
  const rows = await repo.clearOpen(tx, keys, now);
  await repo.insertEvents(
    tx,
    rows.map((r) => ({
      alarmId: r.id,
      at: now,
      actorId: null,
      action: r.resolved ? 'resolved' : 'cleared',
      level: null,
      detail: r.resolved ? { outcome: 'auto_cleared' } : {},
    })),
  );
  await publishAlarms(tx, rows, 'updated');
  return { cleared: rows.map((r) => Number(r.id)), resolved: rows.filter((r) => r.resolved).map((r) => Number(r.id)) };
}

// ---------------------------------------------------------------------------------------------------------------
// The ladder

/**
 * Notifies the steps of the ladder due by `now` after `notified` (-1: none yet), records each in the timeline, and
 * queues the next one as a job (or none when the ladder is done). Step i is due `afterMin(i)` minutes after
 * `raisedAt`, so the steps keep their spacing even when a job runs late.
 */
async function climb(
  deps: AlarmDeps,
  tx: Queryable,
  a: repo.AlarmRow,
  ladder: LadderRung[],
  notified: number,
  raisedAt: Date,
  now: Date,
): Promise<void> {
  const due = stepsDueAt(raisedAt, ladder, now, notified + 1);
  let last = notified;
  for (const step of due) {
    await notifyLevel(tx, a, ladder[step]!.level, step, now);
    last = step;
  }
  const next = nextStep(raisedAt, ladder, last);
  // New alarms start at step -1 with nothing due: an empty ladder leaves them so.
  if (last !== a.ladder_step || (next?.at ?? null) !== null || a.next_step_at !== null) {
    await repo.setLadder(tx, a.id, last, next?.at ?? null);
  }
  if (next) {
    await deps.jobs.send(
      LADDER_JOB,
      { alarmId: Number(a.id), step: next.step },
      { tx, singletonKey: `alarm:${a.id}:${next.step}`, startAfter: next.at },
    );
  }
}

/** The people of one ladder level for an alarm: accounts to message, and (family) the contacts to call. */
async function recipientsOf(
  tx: Queryable,
  a: repo.AlarmRow,
  level: LadderLevel,
): Promise<{ users: number[]; call?: { name: string; relation: string; phoneMasked: string }[] }> {
  if (level === 'family') {
    const users = await repo.familyAccounts(tx, a.resident_id);
    if (users.length > 0) return { users };
    const contacts = await repo.listContacts(tx, a.resident_id);
    return {
      users: [],
      call: contacts.map((c) => ({ name: c.name, relation: c.relation, phoneMasked: c.phone_masked })),
    };
  }
  const types =
    level === 'grid'
      ? ['grid', 'micro_grid', 'building', 'unit']
      : level === 'community'
        ? ['community', 'village']
        : ['street', 'town'];
  // The grid level: the device's own line; community and street: holders at (or nearest above) that node.
  const path =
    level === 'grid' ? a.node_path : ((await repo.ancestorPathOfType(tx, a.node_path, types)) ?? a.node_path);
  return { users: await notify.nearestHolders(tx, path, 'alarms.handle') };
}

async function notifyLevel(
  tx: Queryable,
  a: repo.AlarmRow,
  level: LadderLevel,
  step: number,
  now: Date,
): Promise<void> {
  const who = await recipientsOf(tx, a, level);
  const view = (await repo.findView(tx, a.id))!;
  const payload = {
    alarmId: Number(a.id),
    nodePath: a.node_path,
    placeName: view.place_name ?? '',
    severity: a.severity,
    level,
    summaryZh: summaryOf(view, 'zh-CN'),
    summaryEn: summaryOf(view, 'en'),
    residentName: view.resident_name ? maskName(view.resident_name) : '',
  };
  const sent = await notify.send(tx, who.users, step === 0 ? ALARM_NOTIFY.raised : ALARM_NOTIFY.escalated, payload);
  const events: Parameters<typeof repo.insertEvents>[1] = [];
  if (step > 0) events.push({ alarmId: a.id, at: now, actorId: null, action: 'escalated', level, detail: { step } });
  events.push({
    alarmId: a.id,
    at: now,
    actorId: null,
    action: 'notified',
    level,
    detail: { step, users: who.users, messages: sent.length, ...(who.call ? { contactsToCall: who.call } : {}) },
  });
  await repo.insertEvents(tx, events);
}

/**
 * One ladder step of one alarm (the job, and the sweep for lost jobs): under the alarm's row lock, only when it is
 * still active, the step is the next one, and it is due. Running it twice (a job and the sweep, two instances)
 * notifies once.
 * @returns whether the step was taken
 */
export async function runLadderStep(
  deps: AlarmDeps,
  p: { alarmId: number; step: number },
  now: Date = new Date(),
): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const a = await repo.findAlarm(tx, p.alarmId, true);
    if (!a || a.status !== 'active' || a.ladder_step !== p.step - 1 || !a.next_step_at) return false;
    if (a.next_step_at.getTime() > now.getTime()) return false;
    const ladder = sortLadder((await repo.rulesLadders(tx, [Number(a.rule_id)])).get(Number(a.rule_id))?.ladder ?? []);
    if (!ladder[p.step]) {
      await repo.setLadder(tx, a.id, a.ladder_step, null);
      return false;
    }
    // next_step_at is when this step fell due: the ladder counts from raise = that minus its afterMin.
    const raisedAt = new Date(a.next_step_at.getTime() - ladder[p.step]!.afterMin * 60_000);
    await climb(deps, tx, a, ladder, a.ladder_step, raisedAt, now);
    await publishAlarm(tx, a, 'updated');
    return true;
  });
}

/** Ladder steps overdue (their job lost): taken now. @returns how many were taken */
export async function sweepLadder(deps: AlarmDeps, now: Date = new Date()): Promise<number> {
  let taken = 0;
  for (const d of await repo.dueLadderSteps(deps.db, now)) {
    if (await runLadderStep(deps, { alarmId: Number(d.id), step: Number(d.step) }, now)) taken++;
  }
  return taken;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

function summaryOf(v: repo.AlarmViewRow, locale: 'zh-CN' | 'en'): string {
  return alarmSummary(v.kind, v.detail ?? {}, locale, { metrics: v.type_metrics ?? [], events: v.type_events ?? [] });
}

function levelOf(v: repo.AlarmViewRow): LadderLevel | null {
  if (v.ladder_step < 0) return null;
  return sortLadder(v.rule_ladder ?? [])[v.ladder_step]?.level ?? null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toListItem(v: repo.AlarmViewRow, locale: 'zh-CN' | 'en'): AlarmListItem {
  const zh = locale === 'zh-CN';
  return {
    id: Number(v.id),
    status: v.status,
    severity: v.severity,
    kind: v.kind,
    ruleId: Number(v.rule_id),
    ruleName: zh ? v.rule_name_zh : v.rule_name_en,
    deviceId: Number(v.device_id),
    deviceSerial: v.device_serial,
    typeCode: v.type_code,
    typeName: zh ? v.type_name_zh : v.type_name_en,
    nodeId: Number(v.node_id),
    placeName: v.place_name ?? '',
    houseLabel: v.house_label,
    residentId: v.resident_id === null ? null : Number(v.resident_id),
    residentName: v.resident_name ? maskName(v.resident_name) : null,
    summary: summaryOf(v, locale),
    detail: v.detail ?? {},
    firstAt: v.first_at.toISOString(),
    lastAt: v.last_at.toISOString(),
    triggerCount: v.trigger_count,
    level: levelOf(v),
    nextStepAt: iso(v.next_step_at),
    acknowledgedAt: iso(v.acknowledged_at),
    acknowledgedBy: v.acknowledged_by_name,
    resolvedAt: iso(v.resolved_at),
    resolvedBy: v.resolved_by_name,
    outcome: v.outcome as AlarmListItem['outcome'],
    clearedAt: iso(v.cleared_at),
    caseId: v.case_id === null ? null : Number(v.case_id),
    version: v.version,
  };
}

/** How the caller relates to an alarm: reads it through their area, handles it there, or is family. */
async function relationOf(q: Queryable, ctx: Ctx, a: repo.AlarmRow) {
  const p = ctx.principal;
  const read = can(p, 'devices.read', a.node_path);
  const handle = can(p, 'alarms.handle', a.node_path);
  const family = !read && !handle ? await repo.isFamilyOf(q, p.userId, a.resident_id) : false;
  return { read: read || handle || family, handle, family };
}

/** Whether the caller may open the alarm (link resolver): devices.read over its node, or family of its resident. */
export async function canReadAlarm(q: Queryable, ctx: Ctx, id: number): Promise<boolean> {
  const a = await repo.findAlarm(q, id);
  return a ? (await relationOf(q, ctx, a)).read : false;
}

async function detailOf(q: Queryable, ctx: Ctx, id: number): Promise<AlarmDetail> {
  const v = (await repo.findView(q, id))!;
  const rel = await relationOf(q, ctx, v);
  const [events, contacts] = await Promise.all([repo.listEvents(q, id), repo.listContacts(q, v.resident_id)]);
  const open = v.status !== 'resolved';
  const allowed: AlarmDetail['allowedActions'] = [];
  if (v.status === 'active' && (rel.handle || rel.family)) allowed.push('acknowledge');
  if (open && rel.handle) allowed.push('resolve');
  if (rel.handle) allowed.push('note');
  if (rel.handle && v.case_id === null && hasPermission(ctx.principal, 'cases.handle')) allowed.push('case');
  return {
    ...toListItem(v, ctx.locale),
    events: events.map((e) => ({
      id: Number(e.id),
      at: e.at.toISOString(),
      actor: e.actor_name,
      action: e.action as AlarmDetail['events'][number]['action'],
      level: e.level,
      detail: e.detail ?? {},
    })),
    contacts: contacts.map((c) => ({
      contactId: Number(c.id),
      name: c.name,
      relation: c.relation,
      phoneMasked: c.phone_masked,
      hasAccount: c.has_account,
    })),
    ladder: sortLadder(v.rule_ladder ?? []),
    allowedActions: allowed,
  };
}

/** One alarm for someone who may read it. @throws ALARM_NOT_FOUND */
export async function getAlarm(deps: Pick<AlarmDeps, 'db'>, ctx: Ctx, id: number): Promise<AlarmDetail> {
  const a = await repo.findAlarm(deps.db, id);
  if (!a || !(await relationOf(deps.db, ctx, a)).read) throw notFound();
  return detailOf(deps.db, ctx, id);
}

/**
 * The alarm centre: alarms in the caller's devices.read area, newest first, with counts of the open ones.
 * @throws FORBIDDEN, ORG_NODE_NOT_FOUND (nodeId outside the area)
 */
export async function listAlarms(deps: Pick<AlarmDeps, 'db'>, ctx: Ctx, query: AlarmListQuery): Promise<AlarmPage> {
  const scope = scopeFor(ctx.principal, 'devices.read');
  if (!scope.all && scope.paths.length === 0) throw new AppError('FORBIDDEN');
  const scopeWhere = scopeSql(scope, 'a.node_path');
  let nodePath: string | undefined;
  if (query.nodeId !== undefined) {
    const rows = await deps.db.query<{ path: string }>('SELECT path FROM org_nodes WHERE id = $1', [query.nodeId]);
    const path = rows[0]?.path;
    if (!path || !(scope.all || scope.paths.some((p) => path.startsWith(p) || p.startsWith(path)))) {
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    }
    nodePath = path;
  }
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listViews(deps.db, {
    scopeWhere,
    status: query.status,
    severity: query.severity,
    kind: query.kind,
    typeCode: query.typeCode,
    nodePath,
    deviceId: query.deviceId,
    residentId: query.residentId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return {
    items: rows.map((r) => toListItem(r, ctx.locale)),
    total,
    counts: await repo.countOpen(deps.db, scopeWhere),
  };
}

/** The family's alarms: those of the people whose contact list holds the caller's phone. */
export async function listMyAlarms(
  deps: Pick<AlarmDeps, 'db'>,
  ctx: Ctx,
  status: 'open' | 'all' = 'open',
): Promise<{ items: AlarmListItem[] }> {
  if (ctx.principal.userId <= 0) return { items: [] };
  const rows = await repo.listFamilyViews(deps.db, ctx.principal.userId, status === 'open');
  return { items: rows.map((r) => toListItem(r, ctx.locale)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Acting on an alarm

type Act = 'handle' | 'acknowledge';

/** Locks the alarm and checks the caller may act on it: alarms.handle over its node (or, to acknowledge, family). */
async function lockFor(tx: Queryable, ctx: Ctx, id: number, act: Act, version?: number): Promise<repo.AlarmRow> {
  const a = await repo.findAlarm(tx, id, true);
  if (!a) throw notFound();
  const rel = await relationOf(tx, ctx, a);
  if (!(act === 'acknowledge' && rel.family)) {
    if (!rel.read) throw notFound();
    assertCan(ctx.principal, 'alarms.handle', a.node_path, { readPermission: 'devices.read', notFound: notFound() });
  }
  if (version !== undefined && version !== a.version) throw new AppError('ALARM_CHANGED', { field: 'version' });
  return a;
}

const invalid = (a: repo.AlarmRow) => new AppError('ALARM_TRANSITION_INVALID', { params: { status: a.status } });

async function audited(
  tx: Queryable,
  ctx: Ctx,
  action: string,
  a: repo.AlarmRow,
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
) {
  await recordAudit(tx, ctx, {
    action,
    targetType: 'alarm',
    targetId: a.id,
    targetLabel: `#${a.id}`,
    scopePath: a.node_path,
    countyId: Number(a.county_id),
    before,
    after,
  });
}

async function acknowledgeIn(tx: Queryable, ctx: Ctx, id: number, body: { version?: number; note?: string }) {
  const a = await lockFor(tx, ctx, id, 'acknowledge', body.version);
  if (a.status !== 'active') throw invalid(a);
  const now = new Date();
  const actor = ctx.principal.userId > 0 ? ctx.principal.userId : null;
  const after = await repo.updateStatus(tx, id, { status: 'acknowledged', acknowledgedBy: actor, at: now });
  await repo.insertEvents(tx, [
    {
      alarmId: id,
      at: now,
      actorId: actor,
      action: 'acknowledged',
      level: null,
      detail: body.note ? { note: body.note } : {},
    },
  ]);
  await audited(tx, ctx, 'alarm.acknowledge', a, { status: a.status }, { status: 'acknowledged' });
  // Those the ladder reached hear that someone took it.
  const reached = await tx.query<{ users: number[] }>(
    `SELECT detail->'users' AS users FROM alarm_events WHERE alarm_id = $1 AND action = 'notified'`,
    [id],
  );
  const users = [...new Set(reached.flatMap((r) => (Array.isArray(r.users) ? r.users.map(Number) : [])))].filter(
    (u) => u !== actor,
  );
  if (users.length > 0) {
    const v = (await repo.findView(tx, id))!;
    await notify.send(tx, users, ALARM_NOTIFY.acknowledged, {
      alarmId: id,
      nodePath: a.node_path,
      placeName: v.place_name ?? '',
      by: ctx.principal.displayName,
      summaryZh: summaryOf(v, 'zh-CN'),
      summaryEn: summaryOf(v, 'en'),
    });
  }
  await publishAlarm(tx, after, 'updated');
}

/**
 * Acknowledges an active alarm (someone is on it): the ladder stops. Workers with alarms.handle over its node, or
 * the watched person's family.
 * @throws ALARM_NOT_FOUND, OUT_OF_SCOPE, FORBIDDEN, ALARM_CHANGED, ALARM_TRANSITION_INVALID
 */
export async function acknowledgeAlarm(
  deps: Pick<AlarmDeps, 'db'>,
  ctx: Ctx,
  id: number,
  body: { version?: number; note?: string },
): Promise<AlarmDetail> {
  return deps.db.transaction(async (tx) => {
    await acknowledgeIn(tx, ctx, id, body);
    return detailOf(tx, ctx, id);
  });
}

/** The family's one-tap acknowledgment from the phone. @throws ALARM_NOT_FOUND, ALARM_TRANSITION_INVALID */
export async function acknowledgeMyAlarm(deps: Pick<AlarmDeps, 'db'>, ctx: Ctx, id: number): Promise<AlarmListItem> {
  return deps.db.transaction(async (tx) => {
    const a = await repo.findAlarm(tx, id);
    if (!a || !(await repo.isFamilyOf(tx, ctx.principal.userId, a.resident_id))) throw notFound();
    await acknowledgeIn(tx, ctx, id, {});
    return toListItem((await repo.findView(tx, id))!, ctx.locale);
  });
}

/**
 * Resolves an open alarm with what it turned out to be (the record the rules are tuned from).
 * @throws ALARM_NOT_FOUND, OUT_OF_SCOPE, FORBIDDEN, ALARM_CHANGED, ALARM_TRANSITION_INVALID
 */
export async function resolveAlarm(
  deps: Pick<AlarmDeps, 'db'>,
  ctx: Ctx,
  id: number,
  body: AlarmResolve,
): Promise<AlarmDetail> {
  return deps.db.transaction(async (tx) => {
    const a = await lockFor(tx, ctx, id, 'handle', body.version);
    if (a.status === 'resolved') throw invalid(a);
    const now = new Date();
    const actor = ctx.principal.userId > 0 ? ctx.principal.userId : null;
    const after = await repo.updateStatus(tx, id, {
      status: 'resolved',
      resolvedBy: actor,
      at: now,
      outcome: body.outcome,
      note: body.note ?? null,
    });
    await repo.insertEvents(tx, [
      {
        alarmId: id,
        at: now,
        actorId: actor,
        action: 'resolved',
        level: null,
        detail: { outcome: body.outcome, ...(body.note ? { note: body.note } : {}) },
      },
    ]);
    await audited(tx, ctx, 'alarm.resolve', a, { status: a.status }, { status: 'resolved', outcome: body.outcome });
    await publishAlarm(tx, after, 'updated');
    return detailOf(tx, ctx, id);
  });
}

/** A note on the alarm's timeline. @throws ALARM_NOT_FOUND, OUT_OF_SCOPE, FORBIDDEN */
export async function addAlarmNote(
  deps: Pick<AlarmDeps, 'db'>,
  ctx: Ctx,
  id: number,
  body: { text: string },
): Promise<AlarmDetail> {
  return deps.db.transaction(async (tx) => {
    const a = await lockFor(tx, ctx, id, 'handle');
    const actor = ctx.principal.userId > 0 ? ctx.principal.userId : null;
    await repo.insertEvents(tx, [
      { alarmId: id, at: new Date(), actorId: actor, action: 'note', level: null, detail: { text: body.text } },
    ]);
    await audited(tx, ctx, 'alarm.note', a, null, { note: body.text });
    return detailOf(tx, ctx, id);
  });
}

/**
 * Opens a case for the alarm through the cases service (source 'device', at the alarm's house or node), and links
 * it to the alarm.
 * @throws ALARM_NOT_FOUND, OUT_OF_SCOPE, FORBIDDEN, ALARM_CASE_EXISTS, and reportCase's errors
 */
export async function openAlarmCase(deps: AlarmDeps, ctx: Ctx, id: number, body: AlarmCaseCreate) {
  const a = await deps.db.transaction((tx) => lockFor(tx, ctx, id, 'handle'));
  if (a.case_id !== null) throw new AppError('ALARM_CASE_EXISTS');
  const v = (await repo.findView(deps.db, id))!;
  const summary = summaryOf(v, 'zh-CN');
  const c = await reportCase(
    deps,
    ctx,
    {
      categoryId: body.categoryId,
      title: body.title ?? `${v.type_name_zh}预警：${summary}`.slice(0, 100),
      description:
        body.description ??
        `${v.place_name ?? ''}${v.house_label ? ` ${v.house_label}` : ''}，设备 ${v.device_serial}：${summary}（预警 #${id}）`.slice(
          0,
          2000,
        ),
      place: a.house_id !== null ? { houseId: Number(a.house_id) } : { nodeId: Number(a.node_id) },
    },
    { source: 'device' },
  );
  await deps.db.transaction(async (tx) => {
    const locked = await lockFor(tx, ctx, id, 'handle');
    // Two people opening a case at once: the second one's case stays, unlinked, and they are told.
    if (locked.case_id !== null || !(await repo.linkCase(tx, id, c.id))) throw new AppError('ALARM_CASE_EXISTS');
    await repo.insertEvents(tx, [
      {
        alarmId: id,
        at: new Date(),
        actorId: ctx.principal.userId > 0 ? ctx.principal.userId : null,
        action: 'case_opened',
        level: null,
        detail: { caseId: c.id, caseNo: c.caseNo },
      },
    ]);
    await audited(tx, ctx, 'alarm.case', locked, { caseId: null }, { caseId: c.id });
    await publishAlarm(tx, locked, 'updated');
  });
  return { caseId: c.id };
}
