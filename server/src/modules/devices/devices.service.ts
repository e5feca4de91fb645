/**
 * The device registry (智能设备): device types and their rules (installation-wide, devices.config), devices of an
 * area with their own credentials (shown once, rotatable, audited without the secret), the list by building, a
 * device's page with the rules in effect, per-person overrides, and the "away" switch set by a worker or the family.
 */
import { randomBytes } from 'node:crypto';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { Ctx } from '../../platform/access/context.js';
import {
  assertCan,
  assertPermission,
  can,
  hasPermission,
  isValidPath,
  scopeFor,
  scopeSql,
} from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db, Queryable } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors/errors.js';
import { maskName, type PiiCipher } from '../../platform/pii/index.js';
import { findNodeById } from '../org/org.service.js';
import * as repo from './devices.repo.js';
import {
  type Away,
  type AwayPut,
  type BuildingDevices,
  type DeviceCreate,
  type DeviceCreated,
  type DeviceCredentials,
  type DeviceDetail,
  type DeviceListItem,
  type DeviceListQuery,
  type DevicePatch,
  type DeviceRule,
  type DeviceRuleCreate,
  type DeviceRulePatch,
  type DeviceType,
  type DeviceTypeCreate,
  type DeviceTypePatch,
  EventParams,
  eventTopic,
  HighUseParams,
  NoUseParams,
  type RuleKind,
  type RuleOverride,
  type RuleOverridePut,
  SilentParams,
  ThresholdParams,
  telemetryTopic,
  type WatchedPerson,
} from './devices.schemas.js';
import { hashDeviceToken } from './ingest.logic.js';
import { mergeOverride } from './rules.logic.js';

export type DevicesDeps = { db: Db; pii: PiiCipher };

// ---- change hooks (the ingest's device cache subscribes) ------------------------------------------------------

/** `deviceId`: that device changed; null: many may have (a type, rule, override or away switch changed). */
export type DeviceChangeListener = (deviceId: number | null) => void;
const changeListeners = new Set<DeviceChangeListener>();

/**
 * Calls `fn` after every committed change of the registry that a cache of device configuration must drop
 * (credentials, status, place, rules, overrides, away). Returns the unsubscribe function.
 */
export function onDeviceChanged(fn: DeviceChangeListener): () => void {
  changeListeners.add(fn);
  return () => changeListeners.delete(fn);
}

function deviceChanged(deviceId: number | null): void {
  for (const fn of changeListeners) {
    try {
      fn(deviceId);
    } catch {
      // A listener's failure must not undo or fail a committed change.
    }
  }
}

// ---- shared -----------------------------------------------------------------------------------------------------

const byLocale = (ctx: Ctx, zh: string, en: string) => (ctx.locale === 'en' ? en : zh);

function newToken(): { token: string; hash: Buffer; prefix: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashDeviceToken(token), prefix: token.slice(0, 6) };
}

export function credentialsOf(deviceId: number, token: string): DeviceCredentials {
  return {
    deviceId,
    username: String(deviceId),
    token,
    telemetryTopic: telemetryTopic(deviceId),
    eventTopic: eventTopic(deviceId),
    httpUrl: `/api/ingest/devices/${deviceId}/messages`,
  };
}

const DETAILS: Record<string, [string, string]> = {
  required: ['必填', 'is required'],
  additionalProperties: ['不是允许的字段', 'is not an allowed field'],
  type: ['类型不正确', 'has the wrong type'],
  minimum: ['不能小于 {limit}', 'must be at least {limit}'],
  maximum: ['不能大于 {limit}', 'must be at most {limit}'],
  exclusiveMinimum: ['必须大于 {limit}', 'must be more than {limit}'],
  exclusiveMaximum: ['必须小于 {limit}', 'must be less than {limit}'],
  pattern: ['格式不正确', 'has the wrong format'],
  minItems: ['至少 {limit} 项', 'must have at least {limit} items'],
  maxItems: ['最多 {limit} 项', 'must have at most {limit} items'],
};

function validationError(ctx: Ctx, field: string, keyword: string, limit?: unknown): AppError {
  const [zh, en] = DETAILS[keyword] ?? ['不是允许的值', 'is not an allowed value'];
  const detail = byLocale(ctx, zh, en).replace('{limit}', String(limit ?? ''));
  return new AppError('VALIDATION', { field, params: { field, detail } });
}

const PARAM_SCHEMAS: Record<RuleKind, TSchema> = {
  threshold: ThresholdParams,
  no_use: NoUseParams,
  high_use: HighUseParams,
  silent: SilentParams,
  event: EventParams,
};

/**
 * Checks a rule's params against its kind's schema and the device type: the error names the field
 * (`params.windowHours`); a metric must be one of the type's, events the type's events.
 * @throws VALIDATION, DEVICE_RULE_METRIC_UNKNOWN, DEVICE_RULE_EVENT_UNKNOWN
 */
export function checkRuleParams(ctx: Ctx, kind: RuleKind, params: Record<string, unknown>, type: repo.TypeRow): void {
  const errors = [...Value.Errors(PARAM_SCHEMAS[kind], params)].filter((e) => e.keyword !== 'boolean');
  const first = errors[0];
  if (first) {
    const p = (first.params ?? {}) as Record<string, unknown>;
    let path = first.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (first.keyword === 'required') path = [path, (p.requiredProperties as string[])?.[0]].filter(Boolean).join('.');
    if (first.keyword === 'additionalProperties')
      path = [path, (p.additionalProperties as string[])?.[0]].filter(Boolean).join('.');
    throw validationError(ctx, path ? `params.${path}` : 'params', first.keyword, p.limit);
  }
  if (kind === 'threshold' && params.below === undefined && params.above === undefined)
    throw validationError(ctx, 'params.above', 'required');
  if (kind === 'no_use' && (params.quietStart === undefined) !== (params.quietEnd === undefined))
    throw validationError(ctx, params.quietStart === undefined ? 'params.quietStart' : 'params.quietEnd', 'required');
  if (typeof params.metric === 'string' && !type.metrics.some((m) => m.key === params.metric))
    throw new AppError('DEVICE_RULE_METRIC_UNKNOWN', { field: 'params.metric', params: { metric: params.metric } });
  if (kind === 'event') {
    const unknown = (params.events as string[]).find((e) => !type.events.some((d) => d.key === e));
    if (unknown)
      throw new AppError('DEVICE_RULE_EVENT_UNKNOWN', { field: 'params.events', params: { event: unknown } });
  }
}

function assertReadsConfig(ctx: Ctx): void {
  if (!hasPermission(ctx.principal, 'devices.read') && !hasPermission(ctx.principal, 'devices.config'))
    throw new AppError('FORBIDDEN');
}

// ---- device types -----------------------------------------------------------------------------------------------

function toType(ctx: Ctx, t: repo.TypeRow): DeviceType {
  return { ...t, name: byLocale(ctx, t.nameZh, t.nameEn) };
}

/** The device types (devices.read anywhere, or devices.config). @throws FORBIDDEN */
export async function listDeviceTypes(db: Db, ctx: Ctx): Promise<{ items: DeviceType[] }> {
  assertReadsConfig(ctx);
  return { items: (await repo.listTypes(db)).map((t) => toType(ctx, t)) };
}

function checkMetrics(ctx: Ctx, metrics: DeviceTypeCreate['metrics'], events: DeviceTypeCreate['events']): void {
  const seen = new Set<string>();
  for (const [i, m] of metrics.entries()) {
    if (seen.has(m.key)) throw validationError(ctx, `metrics.${i}.key`, 'unique');
    seen.add(m.key);
    if (m.min > m.max) throw validationError(ctx, `metrics.${i}.max`, 'minimum', m.min);
  }
  const ev = new Set<string>();
  for (const [i, e] of events.entries()) {
    if (ev.has(e.key)) throw validationError(ctx, `events.${i}.key`, 'unique');
    ev.add(e.key);
  }
}

/**
 * Adds an admin-defined device type (audited).
 * @throws FORBIDDEN, OUT_OF_SCOPE, VALIDATION, DEVICE_TYPE_CODE_TAKEN (code)
 */
export async function createDeviceType(db: Db, ctx: Ctx, body: DeviceTypeCreate): Promise<DeviceType> {
  assertCan(ctx.principal, 'devices.config', null);
  checkMetrics(ctx, body.metrics, body.events);
  return db.transaction(async (tx) => {
    const fresh = await repo.insertType(tx, { ...body, sort: body.sort ?? 100 });
    if (!fresh) throw new AppError('DEVICE_TYPE_CODE_TAKEN', { field: 'code' });
    const row = (await repo.findType(tx, body.code))!;
    await recordAudit(tx, ctx, {
      action: 'device_type.create',
      targetType: 'device_type',
      targetId: row.code,
      targetLabel: row.nameZh,
      scopePath: null,
      countyId: null,
      before: null,
      after: typeAudit(row),
    });
    return toType(ctx, row);
  });
}

function typeAudit(t: repo.TypeRow): Record<string, unknown> {
  return {
    nameZh: t.nameZh,
    nameEn: t.nameEn,
    metrics: t.metrics.map((m) => m.key).join(','),
    events: t.events.map((e) => e.key).join(','),
    reportIntervalS: t.reportIntervalS,
    active: t.active,
    sort: t.sort,
  };
}

/**
 * Changes a device type (audited); a built-in one keeps its metrics and events.
 * @throws FORBIDDEN, OUT_OF_SCOPE, DEVICE_TYPE_NOT_FOUND, DEVICE_TYPE_BUILTIN, VALIDATION
 */
export async function updateDeviceType(db: Db, ctx: Ctx, code: string, body: DeviceTypePatch): Promise<DeviceType> {
  assertCan(ctx.principal, 'devices.config', null);
  const out = await db.transaction(async (tx) => {
    const before = await repo.findType(tx, code, true);
    if (!before) throw new AppError('DEVICE_TYPE_NOT_FOUND');
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (before.builtin && body.metrics !== undefined && !same(body.metrics, before.metrics))
      throw new AppError('DEVICE_TYPE_BUILTIN', { field: 'metrics' });
    if (before.builtin && body.events !== undefined && !same(body.events, before.events))
      throw new AppError('DEVICE_TYPE_BUILTIN', { field: 'events' });
    const after: repo.TypeRow = {
      ...before,
      ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
    };
    checkMetrics(ctx, after.metrics, after.events);
    await repo.updateType(tx, code, after);
    await recordAudit(tx, ctx, {
      action: 'device_type.update',
      targetType: 'device_type',
      targetId: code,
      targetLabel: after.nameZh,
      scopePath: null,
      countyId: null,
      before: typeAudit(before),
      after: typeAudit(after),
    });
    return toType(ctx, (await repo.findType(tx, code))!);
  });
  deviceChanged(null);
  return out;
}

// ---- rules ------------------------------------------------------------------------------------------------------

function toRule(ctx: Ctx, r: repo.RuleRow): DeviceRule {
  return { ...r, name: byLocale(ctx, r.nameZh, r.nameEn) };
}

function ruleAudit(r: repo.RuleRow): Record<string, unknown> {
  return {
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    params: JSON.stringify(r.params),
    severity: r.severity,
    ladder: r.ladder.map((s) => `${s.level}+${s.afterMin}`).join(','),
    autoResolve: r.autoResolve,
    enabled: r.enabled,
  };
}

/** The rules, of one type or all (devices.read anywhere, or devices.config). @throws FORBIDDEN, DEVICE_TYPE_NOT_FOUND */
export async function listDeviceRules(db: Db, ctx: Ctx, typeCode?: string): Promise<{ items: DeviceRule[] }> {
  assertReadsConfig(ctx);
  if (typeCode && !(await repo.findType(db, typeCode)))
    throw new AppError('DEVICE_TYPE_NOT_FOUND', { field: 'typeCode' });
  return { items: (await repo.listRules(db, typeCode)).map((r) => toRule(ctx, r)) };
}

/**
 * Adds a rule to a device type (audited), its params checked against the kind's schema and the type.
 * @throws FORBIDDEN, OUT_OF_SCOPE, DEVICE_TYPE_NOT_FOUND (typeCode), VALIDATION (params.…),
 *   DEVICE_RULE_METRIC_UNKNOWN, DEVICE_RULE_EVENT_UNKNOWN, DEVICE_RULE_CODE_TAKEN (code)
 */
export async function createDeviceRule(db: Db, ctx: Ctx, body: DeviceRuleCreate): Promise<DeviceRule> {
  assertCan(ctx.principal, 'devices.config', null);
  const out = await db.transaction(async (tx) => {
    const type = await repo.findType(tx, body.typeCode);
    if (!type) throw new AppError('DEVICE_TYPE_NOT_FOUND', { field: 'typeCode' });
    checkRuleParams(ctx, body.kind, body.params, type);
    const id = await repo.insertRule(tx, {
      ...body,
      autoResolve: body.autoResolve ?? false,
      enabled: body.enabled ?? true,
    });
    if (id === null) throw new AppError('DEVICE_RULE_CODE_TAKEN', { field: 'code' });
    const row = (await repo.findRule(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'device_rule.create',
      targetType: 'device_rule',
      targetId: id,
      targetLabel: `${type.nameZh} ${row.nameZh}`,
      scopePath: null,
      countyId: null,
      before: null,
      after: ruleAudit(row),
    });
    return toRule(ctx, row);
  });
  deviceChanged(null);
  return out;
}

/**
 * Changes a rule (audited) at the version the caller read; params are checked as on creation.
 * @throws FORBIDDEN, OUT_OF_SCOPE, DEVICE_RULE_NOT_FOUND, DEVICE_VERSION_CONFLICT (version), VALIDATION,
 *   DEVICE_RULE_METRIC_UNKNOWN, DEVICE_RULE_EVENT_UNKNOWN
 */
export async function updateDeviceRule(db: Db, ctx: Ctx, id: number, body: DeviceRulePatch): Promise<DeviceRule> {
  assertCan(ctx.principal, 'devices.config', null);
  const out = await db.transaction(async (tx) => {
    const before = await repo.findRule(tx, id, true);
    if (!before) throw new AppError('DEVICE_RULE_NOT_FOUND');
    if (before.version !== body.version) throw new AppError('DEVICE_VERSION_CONFLICT', { field: 'version' });
    const { version: _v, ...changes } = body;
    const after: repo.RuleRow = {
      ...before,
      ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    };
    if (body.params !== undefined)
      checkRuleParams(ctx, before.kind, after.params, (await repo.findType(tx, before.typeCode))!);
    await repo.updateRule(tx, after);
    const row = (await repo.findRule(tx, id))!;
    await recordAudit(tx, ctx, {
      action: 'device_rule.update',
      targetType: 'device_rule',
      targetId: id,
      targetLabel: row.nameZh,
      scopePath: null,
      countyId: null,
      before: ruleAudit(before),
      after: ruleAudit(row),
    });
    return toRule(ctx, row);
  });
  deviceChanged(null);
  return out;
}

// ---- devices ----------------------------------------------------------------------------------------------------

export function toListItem(ctx: Ctx, d: repo.DeviceRow): DeviceListItem {
  const seesName = d.residentPath !== null && can(ctx.principal, 'people.sensitive', d.residentPath);
  return {
    id: d.id,
    typeCode: d.typeCode,
    typeName: byLocale(ctx, d.typeNameZh, d.typeNameEn),
    serial: d.serial,
    name: d.name,
    nodeId: d.nodeId,
    placeName: d.placeName,
    houseId: d.houseId,
    houseLabel: d.houseLabel,
    residentId: d.residentId,
    residentName: d.residentName === null ? null : seesName ? d.residentName : maskName(d.residentName),
    status: d.status,
    online: d.online,
    lastSeenAt: d.lastSeenAt ? new Date(d.lastSeenAt).toISOString() : null,
    openAlarms: d.openAlarms,
    installedOn: d.installedOn,
  };
}

const iso = (d: Date | string) => new Date(d).toISOString();

function toAway(a: repo.AwayRow): Away {
  return {
    residentId: a.residentId,
    fromAt: iso(a.fromAt),
    untilAt: a.untilAt ? iso(a.untilAt) : null,
    reason: a.reason,
    setBy: a.setBy,
    setAt: iso(a.setAt),
  };
}

function toOverride(o: repo.OverrideRow): RuleOverride {
  return { ...o, updatedAt: iso(o.updatedAt) };
}

async function toDetail(q: Queryable, ctx: Ctx, d: repo.DeviceRow): Promise<DeviceDetail> {
  const type = (await repo.findType(q, d.typeCode))!;
  const rules = await repo.listRules(q, d.typeCode);
  const overrides = d.residentId ? await repo.listOverrides(q, d.residentId) : [];
  const away = d.residentId ? await repo.findAway(q, d.residentId) : null;
  return {
    ...toListItem(ctx, d),
    location: d.location,
    lat: d.lat,
    lng: d.lng,
    secretPrefix: d.secretPrefix,
    secretRotatedAt: iso(d.secretRotatedAt),
    metrics: type.metrics,
    events: type.events,
    rules: rules.map((r) => {
      const o = overrides.find((x) => x.ruleId === r.id) ?? null;
      const effective = mergeOverride(r, o);
      return { rule: toRule(ctx, r), override: o ? toOverride(o) : null, effectiveParams: effective?.params ?? null };
    }),
    away: away ? toAway(away) : null,
    version: d.version,
    createdAt: iso(d.createdAt),
  };
}

/** A device the caller may read, or DEVICE_NOT_FOUND. */
async function readableDevice(q: Queryable, ctx: Ctx, id: number, forUpdate = false): Promise<repo.DeviceRow> {
  const d = await repo.findDevice(q, id, forUpdate);
  if (!d || !can(ctx.principal, 'devices.read', d.nodePath)) throw new AppError('DEVICE_NOT_FOUND');
  return d;
}

/** A device the caller may manage: not readable is not found, readable but not manageable is 403. */
async function manageableDevice(q: Queryable, ctx: Ctx, id: number): Promise<repo.DeviceRow> {
  const d = await repo.findDevice(q, id, true);
  if (!d) throw new AppError('DEVICE_NOT_FOUND');
  assertCan(ctx.principal, 'devices.manage', d.nodePath, {
    readPermission: 'devices.read',
    notFound: new AppError('DEVICE_NOT_FOUND'),
  });
  return d;
}

/** Where a device may be installed: an active node in the caller's devices.manage area. */
export async function installNode(q: Queryable, ctx: Ctx, nodeId: number, field = 'nodeId') {
  const node = await findNodeById(q, nodeId);
  if (
    !node ||
    node.status !== 'active' ||
    !(can(ctx.principal, 'devices.read', node.path) || can(ctx.principal, 'devices.manage', node.path))
  )
    throw new AppError('ORG_NODE_NOT_FOUND', { field });
  assertCan(ctx.principal, 'devices.manage', node.path);
  return node;
}

/** A house on the node's line (at, below or above it) in the caller's area. */
async function checkHouse(q: Queryable, ctx: Ctx, houseId: number, nodePath: string): Promise<repo.HouseRef> {
  const h = await repo.findHouse(q, houseId);
  if (!h || !can(ctx.principal, 'devices.manage', h.nodePath))
    throw new AppError('HOUSE_NOT_FOUND', { field: 'houseId' });
  if (!h.nodePath.startsWith(nodePath) && !nodePath.startsWith(h.nodePath))
    throw new AppError('DEVICE_HOUSE_ELSEWHERE', { field: 'houseId' });
  return h;
}

/** An active resident in the caller's devices.manage area. */
async function checkResident(q: Queryable, ctx: Ctx, residentId: number): Promise<repo.ResidentRef> {
  const r = await repo.findResident(q, residentId);
  if (!r || r.status !== 'active' || !can(ctx.principal, 'devices.manage', r.nodePath))
    throw new AppError('RESIDENT_NOT_FOUND', { field: 'residentId' });
  return r;
}

function deviceAudit(
  d: Pick<repo.DeviceRow, 'nodeId' | 'houseId' | 'residentId' | 'status' | 'name' | 'installedOn' | 'location'>,
) {
  return {
    name: d.name,
    nodeId: d.nodeId,
    houseId: d.houseId,
    residentId: d.residentId,
    installedOn: d.installedOn,
    location: d.location,
    status: d.status,
  };
}

/** What a new device needs, checked; shared by the form and the import. */
export type CheckedDevice = Omit<repo.NewDevice, 'secretHash' | 'secretPrefix'>;

/**
 * Inserts checked devices with fresh tokens and audits each (without the secret): their credentials, once.
 * Throws DEVICE_SERIAL_TAKEN naming the first serial taken.
 */
export async function insertDevices(
  tx: Queryable,
  ctx: Ctx,
  devices: CheckedDevice[],
): Promise<{ id: number; serial: string; credentials: DeviceCredentials }[]> {
  const out: { id: number; serial: string; credentials: DeviceCredentials }[] = [];
  for (const d of devices) {
    const secret = newToken();
    const id = await repo.insertDevice(
      tx,
      { ...d, secretHash: secret.hash, secretPrefix: secret.prefix },
      ctx.principal.userId || null,
    );
    if (id === null) throw new AppError('DEVICE_SERIAL_TAKEN', { field: 'serial', params: { serial: d.serial } });
    await recordAudit(tx, ctx, {
      action: 'device.create',
      targetType: 'device',
      targetId: id,
      targetLabel: `${d.typeCode} ${d.serial}`,
      scopePath: d.nodePath,
      countyId: d.countyId,
      before: null,
      after: {
        typeCode: d.typeCode,
        serial: d.serial,
        secretPrefix: secret.prefix,
        ...deviceAudit({ ...d, status: 'active' }),
      },
    });
    out.push({ id, serial: d.serial, credentials: credentialsOf(id, secret.token) });
  }
  return out;
}

/**
 * Registers a device in the caller's area (audited); its credentials are in the answer and nowhere else.
 * @throws FORBIDDEN, OUT_OF_SCOPE, ORG_NODE_NOT_FOUND (nodeId), DEVICE_TYPE_NOT_FOUND (typeCode), HOUSE_NOT_FOUND,
 *   DEVICE_HOUSE_ELSEWHERE (houseId), RESIDENT_NOT_FOUND (residentId), DEVICE_SERIAL_TAKEN (serial)
 */
export async function createDevice(deps: DevicesDeps, ctx: Ctx, body: DeviceCreate): Promise<DeviceCreated> {
  assertPermission(ctx.principal, 'devices.manage');
  const out = await deps.db.transaction(async (tx) => {
    const node = await installNode(tx, ctx, body.nodeId);
    const type = await repo.findType(tx, body.typeCode);
    if (!type || !type.active) throw new AppError('DEVICE_TYPE_NOT_FOUND', { field: 'typeCode' });
    if (body.houseId) await checkHouse(tx, ctx, body.houseId, node.path);
    if (body.residentId) await checkResident(tx, ctx, body.residentId);
    const [made] = await insertDevices(tx, ctx, [
      {
        countyId: node.county_id,
        nodeId: node.id,
        nodePath: node.path,
        typeCode: body.typeCode,
        serial: body.serial,
        name: body.name ?? null,
        houseId: body.houseId ?? null,
        residentId: body.residentId ?? null,
        installedOn: body.installedOn ?? null,
        location: body.location ?? null,
        lat: body.lat ?? null,
        lng: body.lng ?? null,
      },
    ]);
    const device = await toDetail(tx, ctx, (await repo.findDevice(tx, made!.id))!);
    return { device, credentials: made!.credentials };
  });
  deviceChanged(out.device.id);
  return out;
}

/** A device's page: where, whom, status, the rules in effect with the person's overrides, away. @throws DEVICE_NOT_FOUND */
export async function getDevice(db: Db, ctx: Ctx, id: number): Promise<DeviceDetail> {
  return toDetail(db, ctx, await readableDevice(db, ctx, id));
}

/**
 * Edits a device at the version the caller read (audited; to `retired` as a retirement). Moving it checks the new
 * place as on registration.
 * @throws DEVICE_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE, DEVICE_VERSION_CONFLICT (version), ORG_NODE_NOT_FOUND,
 *   HOUSE_NOT_FOUND, DEVICE_HOUSE_ELSEWHERE, RESIDENT_NOT_FOUND
 */
export async function updateDevice(deps: DevicesDeps, ctx: Ctx, id: number, body: DevicePatch): Promise<DeviceDetail> {
  const out = await deps.db.transaction(async (tx) => {
    const before = await manageableDevice(tx, ctx, id);
    if (before.version !== body.version) throw new AppError('DEVICE_VERSION_CONFLICT', { field: 'version' });
    let node = { id: before.nodeId, path: before.nodePath, county_id: before.countyId };
    if (body.nodeId !== undefined && body.nodeId !== before.nodeId) node = await installNode(tx, ctx, body.nodeId);
    const houseId = body.houseId === undefined ? before.houseId : body.houseId;
    if (houseId && (houseId !== before.houseId || node.id !== before.nodeId))
      await checkHouse(tx, ctx, houseId, node.path);
    const residentId = body.residentId === undefined ? before.residentId : body.residentId;
    if (residentId && residentId !== before.residentId) await checkResident(tx, ctx, residentId);
    const next = {
      name: body.name === undefined ? before.name : body.name,
      nodeId: node.id,
      nodePath: node.path,
      countyId: node.county_id,
      houseId,
      residentId,
      installedOn: body.installedOn === undefined ? before.installedOn : body.installedOn,
      location: body.location === undefined ? before.location : body.location,
      lat: body.lat === undefined ? before.lat : body.lat,
      lng: body.lng === undefined ? before.lng : body.lng,
      status: body.status ?? before.status,
    };
    await repo.updateDevice(tx, id, next);
    const entry = {
      targetType: 'device',
      targetId: id,
      targetLabel: `${before.typeCode} ${before.serial}`,
      scopePath: node.path,
      countyId: node.county_id,
      before: deviceAudit(before),
      after: deviceAudit(next),
    };
    if (next.status === 'retired' && before.status !== 'retired')
      await recordAudit(tx, ctx, { action: 'device.retire', ...entry });
    else await recordAudit(tx, ctx, { action: 'device.update', ...entry });
    return toDetail(tx, ctx, (await repo.findDevice(tx, id))!);
  });
  deviceChanged(id);
  return out;
}

/**
 * New credentials for a device (audited without the secret): the old token stops working at once.
 * @throws DEVICE_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE
 */
export async function rotateCredentials(deps: DevicesDeps, ctx: Ctx, id: number): Promise<DeviceCredentials> {
  const out = await deps.db.transaction(async (tx) => {
    const d = await manageableDevice(tx, ctx, id);
    const secret = newToken();
    await repo.setSecret(tx, id, secret.hash, secret.prefix);
    await recordAudit(tx, ctx, {
      action: 'device.rotate',
      targetType: 'device',
      targetId: id,
      targetLabel: `${d.typeCode} ${d.serial}`,
      scopePath: d.nodePath,
      countyId: d.countyId,
      diff: { secretPrefix: [d.secretPrefix, secret.prefix] },
    });
    return credentialsOf(id, secret.token);
  });
  deviceChanged(id);
  return out;
}

/** The path conditions of a device list: the caller's devices.read area and, if asked, one node in it. */
export async function listArea(db: Db, ctx: Ctx, nodeId: number | undefined): Promise<string[]> {
  const conds = [scopeSql(scopeFor(ctx.principal, 'devices.read'), 'd.node_path')];
  if (nodeId) {
    const node = await findNodeById(db, nodeId);
    if (!node || !can(ctx.principal, 'devices.read', node.path) || !isValidPath(node.path))
      throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
    conds.push(`d.node_path LIKE '${node.path}%'`);
  }
  return conds;
}

/** Devices of the caller's area, filtered, a page at a time. @throws FORBIDDEN, ORG_NODE_NOT_FOUND (nodeId) */
export async function listDevices(
  db: Db,
  ctx: Ctx,
  query: DeviceListQuery,
): Promise<{ items: DeviceListItem[]; total: number }> {
  if (!hasPermission(ctx.principal, 'devices.read')) throw new AppError('FORBIDDEN');
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await repo.listDevices(db, {
    pathSql: await listArea(db, ctx, query.nodeId),
    typeCode: query.typeCode,
    status: query.status,
    online: query.online,
    residentId: query.residentId,
    q: query.q?.trim() || undefined,
    limit: pageSize,
    offset: ((query.page ?? 1) - 1) * pageSize,
  });
  return { items: rows.map((r) => toListItem(ctx, r)), total };
}

/** Devices by building under a node (or the caller's whole area). @throws FORBIDDEN, ORG_NODE_NOT_FOUND (nodeId) */
export async function listBuildings(db: Db, ctx: Ctx, nodeId?: number): Promise<{ items: BuildingDevices[] }> {
  if (!hasPermission(ctx.principal, 'devices.read')) throw new AppError('FORBIDDEN');
  return { items: await repo.devicesByBuilding(db, await listArea(db, ctx, nodeId)) };
}

// ---- away switch (worker) and overrides -------------------------------------------------------------------------

/** A resident the caller reads devices or alarms of; `permission` over them, else 403 (404 when not readable). */
async function residentFor(
  q: Queryable,
  ctx: Ctx,
  id: number,
  permission: 'devices.read' | 'devices.manage' | 'alarms.handle',
): Promise<repo.ResidentRef> {
  const r = await repo.findResident(q, id);
  const readable =
    r && (can(ctx.principal, 'devices.read', r.nodePath) || can(ctx.principal, 'alarms.handle', r.nodePath));
  if (!r || !readable) throw new AppError('RESIDENT_NOT_FOUND');
  assertCan(ctx.principal, permission, r.nodePath);
  return r;
}

function checkUntil(ctx: Ctx, body: AwayPut): string | null {
  const until = body.untilAt ?? null;
  if (until !== null && new Date(until).getTime() <= Date.now())
    throw validationError(ctx, 'untilAt', 'exclusiveMinimum', 'now');
  return until;
}

async function writeAway(q: Queryable, ctx: Ctx, r: repo.ResidentRef, body: AwayPut): Promise<Away> {
  const until = checkUntil(ctx, body);
  const before = await repo.findAway(q, r.id);
  const row = await repo.setAway(
    q,
    { residentId: r.id, countyId: r.countyId, untilAt: until, reason: body.reason ?? null },
    ctx.principal.userId || null,
  );
  await recordAudit(q, ctx, {
    action: 'resident.away_set',
    targetType: 'resident',
    targetId: r.id,
    targetLabel: maskName(r.name),
    scopePath: r.nodePath,
    countyId: r.countyId,
    before: before
      ? { away: true, untilAt: before.untilAt ? iso(before.untilAt) : null, reason: before.reason }
      : { away: false },
    after: { away: true, untilAt: until, reason: body.reason ?? null },
  });
  return toAway(row);
}

async function removeAway(q: Queryable, ctx: Ctx, r: repo.ResidentRef): Promise<void> {
  if (!(await repo.clearAway(q, r.id))) return;
  await recordAudit(q, ctx, {
    action: 'resident.away_clear',
    targetType: 'resident',
    targetId: r.id,
    targetLabel: maskName(r.name),
    scopePath: r.nodePath,
    countyId: r.countyId,
    diff: { away: [true, false] },
  });
}

/** Whether the person is away (null: at home). @throws RESIDENT_NOT_FOUND, FORBIDDEN */
export async function getAway(db: Db, ctx: Ctx, residentId: number): Promise<Away | null> {
  const r = await residentFor(db, ctx, residentId, 'devices.read');
  const a = await repo.findAway(db, r.id);
  return a ? toAway(a) : null;
}

/** Sets the person away (no-use rules stay quiet), audited. @throws RESIDENT_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE, VALIDATION (untilAt) */
export async function putAway(db: Db, ctx: Ctx, residentId: number, body: AwayPut): Promise<Away> {
  const out = await db.transaction(async (tx) =>
    writeAway(tx, ctx, await residentFor(tx, ctx, residentId, 'alarms.handle'), body),
  );
  deviceChanged(null);
  return out;
}

/** The person is home again (audited). @throws RESIDENT_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE */
export async function deleteAway(db: Db, ctx: Ctx, residentId: number): Promise<void> {
  await db.transaction(async (tx) => removeAway(tx, ctx, await residentFor(tx, ctx, residentId, 'alarms.handle')));
  deviceChanged(null);
}

/** The person's rule overrides. @throws RESIDENT_NOT_FOUND, FORBIDDEN */
export async function listOverrides(db: Db, ctx: Ctx, residentId: number): Promise<{ items: RuleOverride[] }> {
  const r = await residentFor(db, ctx, residentId, 'devices.read');
  return { items: (await repo.listOverrides(db, r.id)).map(toOverride) };
}

/**
 * Sets a person's override of a rule (audited): the params merged over the rule's are checked as a rule's are.
 * @throws RESIDENT_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE, DEVICE_RULE_NOT_FOUND (ruleId), VALIDATION (params.…),
 *   DEVICE_RULE_METRIC_UNKNOWN, DEVICE_RULE_EVENT_UNKNOWN
 */
export async function putOverride(
  db: Db,
  ctx: Ctx,
  residentId: number,
  ruleId: number,
  body: RuleOverridePut,
): Promise<RuleOverride> {
  const out = await db.transaction(async (tx) => {
    const r = await residentFor(tx, ctx, residentId, 'devices.manage');
    const rule = await repo.findRule(tx, ruleId);
    if (!rule) throw new AppError('DEVICE_RULE_NOT_FOUND', { field: 'ruleId' });
    const merged: Record<string, unknown> = { ...rule.params };
    for (const [k, v] of Object.entries(body.params)) if (v !== null && v !== undefined) merged[k] = v;
    checkRuleParams(ctx, rule.kind, merged, (await repo.findType(tx, rule.typeCode))!);
    const before = (await repo.listOverrides(tx, r.id)).find((o) => o.ruleId === ruleId);
    const row = await repo.upsertOverride(
      tx,
      {
        ruleId,
        residentId: r.id,
        countyId: r.countyId,
        params: body.params,
        enabled: body.enabled,
        note: body.note ?? null,
      },
      ctx.principal.userId || null,
    );
    await recordAudit(tx, ctx, {
      action: 'device.override_set',
      targetType: 'resident',
      targetId: r.id,
      targetLabel: maskName(r.name),
      scopePath: r.nodePath,
      countyId: r.countyId,
      before: before ? { rule: rule.code, params: JSON.stringify(before.params), enabled: before.enabled } : null,
      after: { rule: rule.code, params: JSON.stringify(row.params), enabled: row.enabled },
    });
    return toOverride(row);
  });
  deviceChanged(null);
  return out;
}

/** Removes a person's override: the rule applies as it is. @throws RESIDENT_NOT_FOUND, FORBIDDEN, OUT_OF_SCOPE, DEVICE_RULE_NOT_FOUND */
export async function deleteOverride(db: Db, ctx: Ctx, residentId: number, ruleId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const r = await residentFor(tx, ctx, residentId, 'devices.manage');
    const gone = await repo.deleteOverride(tx, ruleId, r.id);
    if (!gone) throw new AppError('DEVICE_RULE_NOT_FOUND', { field: 'ruleId' });
    await recordAudit(tx, ctx, {
      action: 'device.override_clear',
      targetType: 'resident',
      targetId: r.id,
      targetLabel: maskName(r.name),
      scopePath: r.nodePath,
      countyId: r.countyId,
      before: { rule: ruleId, params: JSON.stringify(gone.params), enabled: gone.enabled },
      after: null,
    });
  });
  deviceChanged(null);
}

// ---- the family's side ------------------------------------------------------------------------------------------

/** The people whose contact list holds the caller's phone (family), with their devices, away and open alarms. */
export async function listWatched(db: Db, ctx: Ctx): Promise<{ items: WatchedPerson[] }> {
  const hash = await repo.userPhoneHash(db, ctx.principal.userId);
  if (!hash) return { items: [] };
  const people = await repo.watchedBy(db, hash);
  const devices = await repo.devicesOfResidents(
    db,
    people.map((p) => p.residentId),
  );
  const items: WatchedPerson[] = [];
  for (const p of people) {
    const away = await repo.findAway(db, p.residentId);
    items.push({
      residentId: p.residentId,
      name: p.name,
      relation: p.relation,
      placeName: p.placeName,
      devices: devices
        .filter((d) => d.residentId === p.residentId)
        .map((d) => ({
          id: d.id,
          typeName: byLocale(ctx, d.typeNameZh, d.typeNameEn),
          online: d.online,
          lastSeenAt: d.lastSeenAt ? iso(d.lastSeenAt) : null,
        })),
      away: away ? toAway(away) : null,
      openAlarms: p.openAlarms,
    });
  }
  return { items };
}

/** A person the caller is family of, or RESIDENT_NOT_FOUND. */
async function watchedResident(q: Queryable, ctx: Ctx, residentId: number): Promise<repo.ResidentRef> {
  const hash = await repo.userPhoneHash(q, ctx.principal.userId);
  const rows = hash ? await repo.watchedBy(q, hash, residentId) : [];
  const r = rows.length > 0 ? await repo.findResident(q, residentId) : undefined;
  if (!r) throw new AppError('RESIDENT_NOT_FOUND');
  return r;
}

/** The family sets the person away (audited). @throws RESIDENT_NOT_FOUND, VALIDATION (untilAt) */
export async function putWatchedAway(db: Db, ctx: Ctx, residentId: number, body: AwayPut): Promise<Away> {
  const out = await db.transaction(async (tx) => writeAway(tx, ctx, await watchedResident(tx, ctx, residentId), body));
  deviceChanged(null);
  return out;
}

/** The family switches "away" off (audited). @throws RESIDENT_NOT_FOUND */
export async function deleteWatchedAway(db: Db, ctx: Ctx, residentId: number): Promise<void> {
  await db.transaction(async (tx) => removeAway(tx, ctx, await watchedResident(tx, ctx, residentId)));
  deviceChanged(null);
}
