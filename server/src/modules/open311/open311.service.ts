import type { Ctx } from '../../platform/access/context.js';
import { assertCan, type Principal } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { AppError, formatError, type Locale } from '../../platform/errors/errors.js';
import type { Jobs } from '../../platform/jobs/index.js';
import type { PiiCipher } from '../../platform/pii/index.js';
import { pointInBoundary } from '../cases/cases.logic.js';
import type { PlaceInput } from '../cases/cases.schemas.js';
import { reportCase } from '../cases/cases.service.js';
import {
  type Discovery,
  hashOpen311Key,
  isOpen311KeyShape,
  isRequestTokenShape,
  MAX_REQUESTS,
  newOpen311Key,
  newRequestToken,
  Open311Error,
  open311Status,
  type ParsedPost,
  parsePostBody,
  parseRequestsQuery,
  type Service,
  type ServiceDefinition,
  type ServiceRequest,
  stageTypesOf,
  w3c,
} from './open311.logic.js';
import * as repo from './open311.repo.js';
import type { CreatedOpen311Client, CreateOpen311ClientBody, Open311Client } from './open311.schemas.js';

export type Open311Deps = { db: Db; pii: PiiCipher; jobs: Jobs };

// ---- the GeoReport v2 interface -------------------------------------------------------------------------------

/** The discovery document: one endpoint (this installation's), both formats. */
export function getDiscovery(baseUrl: string): Discovery {
  return {
    changeset: '2026-12-07T00:00:00+08:00',
    contact: 'Linli 邻里 — see docs/open311.md',
    key_service: 'api_key: issued by the system administrator in the console (事件 / Open311 接口)',
    endpoints: [
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: baseUrl,
        changeset: '2026-12-07T00:00:00+08:00',
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  };
}

function toService(r: repo.ServiceRow, locale: Locale): Service {
  const name = locale === 'en' ? r.name_en : r.name_zh;
  const group = locale === 'en' ? r.group_en : r.group_zh;
  return {
    service_code: r.code,
    service_name: name,
    description: r.description ?? name,
    metadata: false,
    type: 'realtime',
    keywords: [r.name_zh, r.name_en, ...(r.urgent ? ['urgent'] : [])].join(','),
    group: group ?? '',
  };
}

/** The public, active leaf categories. */
export async function listServices(db: Db, locale: Locale): Promise<Service[]> {
  return (await repo.listServices(db)).map((r) => toService(r, locale));
}

/**
 * Categories carry no extra attributes (metadata is false for every service), so a definition lists none.
 * @throws Open311Error SERVICE_NOT_FOUND
 */
export async function getServiceDefinition(db: Db, code: string): Promise<ServiceDefinition> {
  const row = await repo.findService(db, code);
  if (!row) throw new Open311Error('SERVICE_NOT_FOUND', { code });
  return { service_code: row.code, attributes: [] };
}

/** The client holding an api_key; the key is checked by its hash only. @throws API_KEY_MISSING, API_KEY_INVALID */
export async function authenticateClient(db: Db, apiKey: string | null | undefined): Promise<repo.ClientRow> {
  const key = typeof apiKey === 'string' ? apiKey.trim() : '';
  if (key === '') throw new Open311Error('API_KEY_MISSING');
  if (!isOpen311KeyShape(key)) throw new Open311Error('API_KEY_INVALID');
  const client = await repo.findClientByKeyHash(db, hashOpen311Key(key));
  if (!client) throw new Open311Error('API_KEY_INVALID');
  await repo.touchClient(db, client.id);
  return client;
}

function statusNotes(r: repo.RequestRow, locale: Locale): string {
  const stage = locale === 'en' ? r.stage_en : r.stage_zh;
  if (r.stage === 'merged' && r.merged_into_id !== null) {
    return locale === 'en' ? `${stage}: see request ${r.merged_into_id}` : `${stage}：见请求 ${r.merged_into_id}`;
  }
  if (r.stage === 'parked' && r.parked_until !== null) {
    return locale === 'en' ? `${stage} until ${r.parked_until}` : `${stage}，至 ${r.parked_until} 复查`;
  }
  return stage;
}

/** The case's place as a label down to its grid or building (never a house or room). */
function placeLabel(r: repo.RequestRow, names: Map<number, { name: string; type: string }>): string {
  const ids = r.node_path.split('/').filter(Boolean).map(Number);
  const parts = ids
    .map((id) => names.get(id))
    .filter(
      (n): n is { name: string; type: string } => n !== undefined && !['county', 'street', 'town'].includes(n.type),
    )
    .map((n) => n.name);
  return parts.join(' ');
}

async function toRequests(db: Db, rows: repo.RequestRow[], locale: Locale): Promise<ServiceRequest[]> {
  const ids = new Set<number>();
  for (const r of rows) for (const id of r.node_path.split('/').filter(Boolean)) ids.add(Number(id));
  const names = await repo.nodeNames(db, [...ids]);
  return rows.map((r) => ({
    service_request_id: String(r.id),
    status: open311Status(r.stage_type),
    status_notes: statusNotes(r, locale),
    service_name: locale === 'en' ? r.service_en : r.service_zh,
    service_code: r.service_code,
    description: r.description,
    agency_responsible: r.department_name ?? r.assignee_node_name,
    service_notice: null,
    requested_datetime: w3c(r.created_at) as string,
    updated_datetime: w3c(r.updated_at) as string,
    expected_datetime: open311Status(r.stage_type) === 'open' ? w3c(r.handle_due_at) : null,
    // What an Open311 client sent is its own; any other case shows only its grid or building.
    address: r.source === 'open311' && r.address ? r.address : placeLabel(r, names) || null,
    address_id: String(r.node_id),
    zipcode: null,
    lat: r.lat,
    long: r.lng,
    media_url: null,
  }));
}

/**
 * GET requests: cases in the key's area, public categories only, newest first, at most MAX_REQUESTS.
 * @throws Open311Error API_KEY_MISSING, API_KEY_INVALID, DATE_INVALID, DATE_RANGE_INVALID, STATUS_INVALID,
 *   REQUEST_ID_INVALID, PARAM_INVALID
 */
export async function listRequests(
  db: Db,
  locale: Locale,
  query: Record<string, unknown>,
  now = new Date(),
): Promise<ServiceRequest[]> {
  const client = await authenticateClient(db, query.api_key as string | undefined);
  const f = parseRequestsQuery(query, now);
  const rows = await repo.listRequests(db, {
    path: client.node_path,
    ids: f.ids,
    serviceCodes: f.serviceCodes,
    stageTypes: f.statuses ? f.statuses.flatMap(stageTypesOf) : null,
    from: f.from,
    to: f.to,
    limit: MAX_REQUESTS,
  });
  return toRequests(db, rows, locale);
}

/** One request of the key's area. @throws Open311Error API_KEY_*, REQUEST_NOT_FOUND */
export async function getRequest(db: Db, locale: Locale, id: string, apiKey: unknown): Promise<ServiceRequest[]> {
  const client = await authenticateClient(db, apiKey as string | undefined);
  if (!/^\d{1,15}$/.test(id)) throw new Open311Error('REQUEST_NOT_FOUND', { id });
  const rows = await repo.listRequests(db, {
    path: client.node_path,
    ids: [Number(id)],
    serviceCodes: null,
    stageTypes: null,
    from: null,
    to: null,
    limit: 1,
  });
  if (rows.length === 0) throw new Open311Error('REQUEST_NOT_FOUND', { id });
  return toRequests(db, rows, locale);
}

/** The request a POST's token stands for. @throws Open311Error API_KEY_*, TOKEN_NOT_FOUND */
export async function getToken(
  db: Db,
  token: string,
  apiKey: unknown,
): Promise<{ service_request_id: string; token: string }[]> {
  const client = await authenticateClient(db, apiKey as string | undefined);
  if (!isRequestTokenShape(token)) throw new Open311Error('TOKEN_NOT_FOUND');
  const rows = await repo.listRequests(db, {
    path: client.node_path,
    ids: null,
    token,
    serviceCodes: null,
    stageTypes: null,
    from: null,
    to: null,
    limit: 1,
  });
  const row = rows[0];
  if (!row) throw new Open311Error('TOKEN_NOT_FOUND');
  return [{ service_request_id: String(row.id), token }];
}

/**
 * Who files a key's requests: the key itself, as a principal without an account (the case gets no reporter
 * account; the contact given is kept sealed on the case), holding one post at the key's node. The cases core
 * answers a report with the case as the reporter may read it, and a reporter without an account reads through
 * scope, so the post is a grid worker's: this principal lives for the one reportCase call and does nothing else,
 * and placeOf has already kept the place inside the key's area.
 */
function clientPrincipal(client: repo.ClientRow, locale: Locale): Principal {
  return {
    userId: 0,
    username: `open311-${client.id}`,
    displayName: `Open311 · ${client.name}`,
    locale,
    grants: [{ postId: 0, role: 'grid_worker', nodeId: client.node_id, path: client.node_path }],
    via: 'token',
  };
}

/** Where a case can sit (the cases core files a case at a grid or below). */
const PLACE_TYPES = new Set(['grid', 'micro_grid', 'building', 'unit']);

/**
 * Where a POST's location falls inside the key's area: a point in the deepest grid (or lower node) of the area
 * whose boundary holds it — the area's own boundary, when drawn, must hold it too; an address_id a grid, building
 * or unit of the area; an address alone the key's own node when that is a grid.
 * @throws Open311Error LOCATION_OUTSIDE, LOCATION_UNPLACEABLE
 */
async function placeOf(db: Db, client: repo.ClientRow, loc: ParsedPost['location']): Promise<PlaceInput> {
  const clientPlaceable = PLACE_TYPES.has(client.node_type);
  if (loc.kind === 'node') {
    const node = await repo.findNode(db, loc.nodeId);
    if (!node || node.status !== 'active' || !node.path.startsWith(client.node_path)) {
      throw new Open311Error('LOCATION_OUTSIDE');
    }
    if (!PLACE_TYPES.has(node.type)) throw new Open311Error('LOCATION_UNPLACEABLE');
    return { nodeId: node.id, ...(loc.address ? { address: loc.address } : {}) };
  }
  if (loc.kind === 'address') {
    if (!clientPlaceable) throw new Open311Error('LOCATION_UNPLACEABLE');
    return { nodeId: client.node_id, address: loc.address };
  }
  const drawn = await repo.nodesWithBoundary(db, client.node_path);
  const own = drawn.find((n) => n.id === client.node_id);
  if (own && !pointInBoundary(loc.lat, loc.lng, own.boundary)) throw new Open311Error('LOCATION_OUTSIDE');
  const holder = drawn.find(
    (n) => n.id !== client.node_id && PLACE_TYPES.has(n.type) && pointInBoundary(loc.lat, loc.lng, n.boundary),
  );
  // The area itself undrawn but its grids drawn: a point in none of them lies outside.
  if (!holder && !own && drawn.length > 0) throw new Open311Error('LOCATION_OUTSIDE');
  if (!holder && !clientPlaceable) throw new Open311Error('LOCATION_UNPLACEABLE');
  return {
    lat: loc.lat,
    lng: loc.lng,
    nodeId: holder?.id ?? client.node_id,
    ...(loc.address ? { address: loc.address } : {}),
  };
}

/** What a refusal of the cases core means to an Open311 client. */
function fromAppError(err: AppError, locale: Locale): Open311Error {
  switch (err.code) {
    case 'CASE_PLACE_OUTSIDE':
    case 'OUT_OF_SCOPE':
      return new Open311Error('LOCATION_OUTSIDE');
    case 'CASE_CATEGORY_NOT_FOUND':
      return new Open311Error('SERVICE_NOT_FOUND', { code: '' }, 400);
    case 'PHONE_INVALID':
      return new Open311Error('PARAM_INVALID', { param: 'phone', detail: formatError(err.code, locale, err.params) });
    default:
      return new Open311Error('REFUSED', { detail: formatError(err.code, locale, err.params) }, err.status);
  }
}

/**
 * POST requests: files a case through the cases core as the key's client, inside the key's area.
 * @throws Open311Error API_KEY_MISSING, API_KEY_INVALID, SERVICE_CODE_MISSING, SERVICE_NOT_FOUND (400 here: a
 *   parameter), LOCATION_MISSING, LOCATION_INVALID, LOCATION_OUTSIDE, PARAM_INVALID
 */
export async function postRequest(
  deps: Open311Deps,
  meta: { requestId: string; ip: string; locale: Locale },
  body: Record<string, unknown>,
): Promise<{ service_request_id: string; token: string; service_notice: string | null }[]> {
  const parsed = parsePostBody(body);
  const client = await authenticateClient(deps.db, parsed.apiKey);
  const service = await repo.findService(deps.db, parsed.serviceCode);
  if (!service) throw new Open311Error('SERVICE_NOT_FOUND', { code: parsed.serviceCode }, 400);
  const place = await placeOf(deps.db, client, parsed.location);
  const token = newRequestToken();
  const ctx: Ctx = {
    principal: clientPrincipal(client, meta.locale),
    requestId: meta.requestId,
    ip: meta.ip,
    locale: meta.locale,
  };
  try {
    const detail = await reportCase(
      deps,
      ctx,
      {
        categoryId: service.id,
        ...(parsed.description ? { description: parsed.description } : {}),
        place,
      },
      {
        source: 'open311',
        ...(parsed.contactName ? { contactName: parsed.contactName } : {}),
        ...(parsed.contactPhone ? { contactPhone: parsed.contactPhone } : {}),
        ...(parsed.externalId ? { externalId: parsed.externalId } : {}),
        open311Token: token,
      },
    );
    const notice = service.urgent
      ? meta.locale === 'en'
        ? 'Urgent: answered within the category’s response time'
        : '紧急诉求，将在时限内响应'
      : null;
    return [{ service_request_id: String(detail.id), token, service_notice: notice }];
  } catch (err) {
    if (err instanceof AppError) throw fromAppError(err, meta.locale);
    throw err;
  }
}

// ---- key management (/api/cases/open311-clients) --------------------------------------------------------------

/** Open311 keys are the installation's: cases.config, held by the system administrator. */
function assertConfig(ctx: Ctx): void {
  assertCan(ctx.principal, 'cases.config', null);
}

function toClient(r: repo.ClientRow): Open311Client {
  return {
    id: r.id,
    name: r.name,
    keyPrefix: r.key_prefix,
    nodeId: r.node_id,
    nodeName: r.node_name,
    createdByName: r.created_by_name,
    createdAt: r.created_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  };
}

/** @throws FORBIDDEN, OUT_OF_SCOPE */
export async function listOpen311Clients(db: Db, ctx: Ctx): Promise<{ items: Open311Client[] }> {
  assertConfig(ctx);
  return { items: (await repo.listClients(db)).map(toClient) };
}

const AREA_TYPES = new Set(['county', 'street', 'town', 'community', 'village', 'grid']);

/**
 * A new key for a node's area; the key itself is in this answer only (the database keeps its SHA-256).
 * @throws FORBIDDEN, OUT_OF_SCOPE, ORG_NODE_NOT_FOUND (nodeId), OPEN311_NODE_INVALID (nodeId)
 */
export async function createOpen311Client(
  db: Db,
  ctx: Ctx,
  body: CreateOpen311ClientBody,
): Promise<CreatedOpen311Client> {
  assertConfig(ctx);
  const node = await repo.findNode(db, body.nodeId);
  if (!node || node.status !== 'active') throw new AppError('ORG_NODE_NOT_FOUND', { field: 'nodeId' });
  if (!AREA_TYPES.has(node.type)) throw new AppError('OPEN311_NODE_INVALID', { field: 'nodeId' });
  const { key, prefix } = newOpen311Key();
  const createdBy = ctx.principal.userId > 0 ? ctx.principal.userId : null;
  const id = await db.transaction(async (tx) => {
    const newId = await repo.insertClient(tx, {
      countyId: node.county_id,
      name: body.name,
      keyHash: hashOpen311Key(key),
      keyPrefix: prefix,
      nodeId: node.id,
      nodePath: node.path,
      createdBy,
    });
    await recordAudit(tx, ctx, {
      action: 'open311_client.create',
      targetType: 'open311_client',
      targetId: newId,
      targetLabel: body.name,
      scopePath: node.path,
      countyId: node.county_id,
      after: { name: body.name, nodeId: node.id, keyPrefix: prefix },
    });
    return newId;
  });
  const row = await repo.findClient(db, id);
  return { client: toClient(row!), apiKey: key };
}

/** Revokes a key at once (its requests stay). @throws FORBIDDEN, OUT_OF_SCOPE, OPEN311_CLIENT_NOT_FOUND */
export async function revokeOpen311Client(db: Db, ctx: Ctx, id: number): Promise<Open311Client> {
  assertConfig(ctx);
  await db.transaction(async (tx) => {
    const before = await repo.findClient(tx, id);
    if (!before || before.revoked_at !== null) throw new AppError('OPEN311_CLIENT_NOT_FOUND');
    if (!(await repo.revokeClient(tx, id))) throw new AppError('OPEN311_CLIENT_NOT_FOUND');
    await recordAudit(tx, ctx, {
      action: 'open311_client.revoke',
      targetType: 'open311_client',
      targetId: id,
      targetLabel: before.name,
      scopePath: before.node_path,
      countyId: before.county_id,
      before: { revoked: false },
      after: { revoked: true },
    });
  });
  return toClient((await repo.findClient(db, id))!);
}
